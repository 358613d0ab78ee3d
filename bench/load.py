"""`make load`: 100 concurrent clients for 60 s on the public pages and the API, against gunicorn
with production settings on 127.0.0.1; every error counts (it must be zero). Not part of CI.

    python -m bench.load                         # SQLite, 17,000 products, 100 connections, 60 s
    python -m bench.load --db postgres --connections 100 --duration 60 --workers 3

wrk keeps `--connections` connections busy (a closed loop, no think time: a harsher load than
100 people browsing) over a shuffled mix of URLs (product pages, search, catalogue and filters,
QR verification, map GeoJSON, API list and detail). Errors are wrk's socket errors (connect,
read, write, timeouts after --timeout) and every response that is not 2xx/3xx; gunicorn's
access log gives the status codes per kind of page. The load generator shares the machine's
cores with the server: the report says how they were split.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import data  # noqa: E402
from bench.common import BENCH_VAR, WORK_DIR, ensure_apt, log  # noqa: E402
from bench.loadgen import wrk  # noqa: E402
from bench.run import CREATED_PG, prepare, probe  # noqa: E402
from bench.server import Gunicorn, collectstatic, cpu_snapshot, pg_backends  # noqa: E402

# Share of requests per kind of page (a visitor mostly lands on products from a search or a QR).
MIX = {
    "product": 30,
    "search": 20,
    "catalogue": 5,
    "filtered": 10,
    "verify": 15,
    "map_geojson": 5,
    "api_products": 10,
    "api_product": 5,
}
KINDS = (
    ("/api/v1/products/", "api"),
    ("/san-pham/", "catalogue/product"),
    ("/xac-minh/", "verify"),
    ("/ban-do/", "map"),
)


def url_mix(targets: dict, total: int = 2000, seed: int = 1) -> list[str]:
    endpoints = targets["endpoints"]
    pools = {name: endpoints[name]["paths"] for name in MIX if name in endpoints}
    slugs = [p.removeprefix("/san-pham/").strip("/") for p in endpoints["product"]["paths"]]
    pools["api_product"] = [f"/api/v1/products/{s}/" for s in slugs]
    rng = random.Random(seed)
    paths = []
    for name, weight in MIX.items():
        pool = pools[name]
        paths += [pool[i % len(pool)] for i in range(total * weight // sum(MIX.values()))]
    rng.shuffle(paths)
    return paths


def statuses(access_log: Path) -> dict:
    counts: dict = collections.defaultdict(collections.Counter)
    if not access_log.exists():
        return {}
    for line in access_log.read_text(errors="replace").splitlines():
        status, _, path = line.partition(" ")
        path = path.strip('"')
        kind = next((k for prefix, k in KINDS if path.startswith(prefix)), "other")
        counts[kind][status] += 1
    return {kind: dict(c) for kind, c in counts.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--products", type=int, default=17000)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=30, help="seconds before wrk counts a timeout")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    args.no_cache = False
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    wrk_bin = ensure_apt("wrk", ["wrk"])
    if not wrk_bin:
        print("wrk is missing and cannot be installed here: no load test.")
        return 2
    result: dict = {"started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "settings": vars(args).copy()}
    server = None
    try:
        log(f"load: {args.db}, {args.products:,} products")
        url, info, pg_name = prepare(args.db, args.products, args, prefix="load")
        collectstatic(url)
        targets = probe(["setup", "--seed", str(args.seed)], url, WORK_DIR / "targets-load.json")
        paths = url_mix(targets)
        server = Gunicorn(url, args.workers, f"load-{args.db}", access_log=True)
        log(
            f"load: wrk -t{args.threads} -c{args.connections} -d{args.duration:g}s over {len(paths)} URLs; "
            f"gunicorn {args.workers} sync workers; both share {os.cpu_count()} cores"
        )
        load = wrk(
            wrk_bin,
            server.url,
            paths,
            label="load",
            duration=args.duration,
            connections=args.connections,
            threads=args.threads,
            timeout_s=args.timeout,
            server_ticks=server.cpu_snapshot,
            db_ticks=(lambda: cpu_snapshot(pg_backends(pg_name))) if pg_name else None,
        )
        server.stop()
        result["wrk"] = load
        result["statuses"] = statuses(server.access_path)
    finally:
        if server:
            server.stop()
        for name in CREATED_PG:
            data.drop_pg(name)
        for copy in WORK_DIR.glob("load-*.sqlite3*"):
            copy.unlink(missing_ok=True)
    if "error" in load:
        print(load["error"])
        return 1
    errors = load["non_2xx_3xx"] + load["socket_errors"]
    print()
    print(
        f"load: {args.connections} concurrent connections for {load['seconds']} s on {args.db} "
        f"({args.products:,} products), gunicorn {args.workers} sync workers"
    )
    print(
        f"  {load['requests']:,} requests, {load['rps']} req/s; latency p50 {load['p50_ms']} ms, "
        f"p95 {load['p95_ms']} ms, p99 {load['p99_ms']} ms, max {load['max_ms']} ms"
    )
    print(
        f"  cores used: server {load['cpu_cores_server']}, PostgreSQL {load['cpu_cores_db'] or 0}, "
        f"wrk {load['cpu_cores_wrk']}, "
        f"other processes {load['cpu_cores_other']} (the load generator and the server share the machine)"
    )
    for kind, counts in sorted(result["statuses"].items()):
        print(f"  {kind:18} {', '.join(f'{s}: {n}' for s, n in sorted(counts.items()))}")
    print(f"  errors: {errors} ({load['errors_detail']}) — {'PASS' if errors == 0 else 'FAIL'} (must be 0)")
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    out = BENCH_VAR / f"load-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    (BENCH_VAR / "load-latest.json").write_text(out.read_text())
    log(f"written {out}")
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
