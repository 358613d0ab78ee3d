"""wrk as the load generator: one run per endpoint, rotating through its URLs (bench/rotate.lua).

wrk is a C program with one event loop per thread, so it takes little of the 2 cores it shares
with the server; the CPU seconds of both sides are measured (/proc and wait4) and reported, so
the reader sees how the cores were split."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import BENCH_SRC, WORK_DIR

TICK = os.sysconf("SC_CLK_TCK")


def busy_ticks() -> int:
    """CPU ticks the whole machine spent busy (all processes, all cores)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = fields
    return user + nice + system + irq + softirq + steal


def _delta(before: dict[int, int], after: dict[int, int]) -> int:
    """CPU ticks spent between two snapshots by processes alive at the second one."""
    return sum(max(0, ticks - before.get(pid, 0)) for pid, ticks in after.items())


def wrk(
    binary: str,
    base_url: str,
    paths: list[str] | None,
    *,
    label: str,
    duration: float,
    connections: int,
    threads: int,
    cookie: str = "",
    timeout_s: int = 30,
    server_ticks: Callable[[], dict[int, int]] | None = None,
    db_ticks: Callable[[], dict[int, int]] | None = None,
) -> dict:
    """Load base_url (+ each of paths in turn) for `duration` seconds; the summary."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    out = WORK_DIR / f"wrk-{label}.json"
    out.unlink(missing_ok=True)
    env = dict(os.environ, WRK_OUT=str(out), WRK_PATHS="")
    url = base_url
    if paths:
        paths_file = WORK_DIR / f"wrk-{label}.paths"
        paths_file.write_text("\n".join(paths) + "\n")
        env["WRK_PATHS"] = str(paths_file)
        if len(paths) == 1:  # one URL: no Lua per request
            env["WRK_PATHS"] = ""
            url = base_url + paths[0]
    cmd = [
        binary,
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{max(1, round(duration))}s",
        "--timeout",
        f"{timeout_s}s",
        "-s",
        str(BENCH_SRC / "rotate.lua"),
    ]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    cmd.append(url)
    before = server_ticks() if server_ticks else {}
    db_before = db_ticks() if db_ticks else {}
    machine_before = busy_ticks()
    started = time.perf_counter()
    process = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    stdout, stderr = process.stdout.read(), process.stderr.read()
    process.stdout.close()
    process.stderr.close()
    wall = time.perf_counter() - started
    after = server_ticks() if server_ticks else {}
    db_after = db_ticks() if db_ticks else {}
    machine = (busy_ticks() - machine_before) / TICK / wall
    if process.returncode != 0 or not out.exists():
        return {"error": f"wrk failed ({process.returncode}): {stderr.strip() or stdout.strip()}"[:500]}
    data = json.loads(Path(out).read_text())
    seconds = data["duration_us"] / 1e6
    lat = data["latency_us"]
    errors = data["errors"]
    socket_errors = errors["connect"] + errors["read"] + errors["write"] + errors["timeout"]
    server_cores = _delta(before, after) / TICK / wall
    db_cores = _delta(db_before, db_after) / TICK / wall
    wrk_cores = (usage.ru_utime + usage.ru_stime) / wall
    return {
        "requests": data["requests"],
        "seconds": round(seconds, 2),
        "rps": round(data["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(lat["p50"] / 1000, 2),
        "p90_ms": round(lat["p90"] / 1000, 2),
        "p95_ms": round(lat["p95"] / 1000, 2),
        "p99_ms": round(lat["p99"] / 1000, 2),
        "max_ms": round(lat["max"] / 1000, 2),
        "non_2xx_3xx": errors["status"],
        "socket_errors": socket_errors,
        "errors_detail": errors,
        "kb_per_response": round(data["bytes"] / max(1, data["requests"]) / 1024, 1),
        "cpu_cores_server": round(server_cores, 2),
        "cpu_cores_wrk": round(wrk_cores, 2),
        # Everything else on the machine (other people's tests, the bench's own Python): noise.
        "cpu_cores_db": round(db_cores, 2) if db_ticks else None,
        "cpu_cores_other": round(max(0.0, machine - server_cores - db_cores - wrk_cores), 2),
        "connections": connections,
        "threads": threads,
        "urls": len(paths) if paths else 1,
    }
