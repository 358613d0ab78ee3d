-- wrk script of bench/loadgen.py.
-- WRK_PATHS: a file of request paths, one a line; each thread rotates through them, starting
--   at its own offset. Without it, wrk sends its command-line URL (no Lua per request).
-- WRK_OUT: where done() writes the summary as JSON (latencies in microseconds).
-- Headers given with -H (the session cookie) are sent with every request.

local paths_file = os.getenv("WRK_PATHS")

if paths_file and #paths_file > 0 then
  local requests = {}
  local counter = 0
  local threads = 0

  function setup(thread)
    threads = threads + 1
    thread:set("thread_id", threads)
  end

  function init(args)
    local paths = {}
    for line in io.lines(paths_file) do
      if #line > 0 then paths[#paths + 1] = line end
    end
    for i, path in ipairs(paths) do
      requests[i] = wrk.format(nil, path)
    end
    counter = ((thread_id or 1) * 7919) % #requests  -- threads do not move in lockstep
  end

  function request()
    counter = counter + 1
    return requests[(counter % #requests) + 1]
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local out = io.open(os.getenv("WRK_OUT"), "w")
  out:write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"min": %d, "mean": %.1f, "max": %d, "p50": %d, "p90": %d, "p95": %d, "p99": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99)))
  out:close()
end
