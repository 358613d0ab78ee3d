"""`make bench`: how fast the OCOP portal is at national scale (17,000 products) and with
headroom (200,000), on SQLite and PostgreSQL, against a real gunicorn under wrk.

    python -m bench.run                  # both databases, 17,000 and 200,000 products, 5 s per endpoint
    python -m bench.run --quick          # smoke run: 2,000 and 5,000 products, 2 s per endpoint
    python -m bench.run --db sqlite --sizes 17000 --duration 5

For each database and size: a fresh database (generation cached, see bench/data.py), the
in-process timings of catalogue.search.search_products, then gunicorn with production settings
under wrk for each endpoint, with /ping (the framework's floor) measured in the same run.
Then, back to back for every database and size (so that all of them see the same code, in a
tree other engineers change while the bench runs), the SQL queries per page. Once per run: nginx
serving a saved catalogue page (the machine's limit), the import of 17,000 rows and its
re-import, and a cProfile of the pages behind each missed target. Prints a table and PASS/MISS
per target; writes JSON to var/bench/ (timestamped, and latest.json).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import json
import os
import platform
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import data, staff  # noqa: E402
from bench.common import (  # noqa: E402
    BENCH_VAR,
    PG_HOST,
    PG_PORT,
    PG_USER,
    PYTHON,
    WORK_DIR,
    app_env,
    code_fingerprint,
    ensure_apt,
    log,
    run,
)
from bench.imports import measure_imports  # noqa: E402
from bench.loadgen import wrk  # noqa: E402
from bench.report import ENDPOINT_ORDER, TARGETS, evaluate, one_line, print_report  # noqa: E402
from bench.server import Gunicorn, Nginx, collectstatic, cpu_snapshot, fetch, pg_backends  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--sizes", default="17000,200000", help="products per database, comma-separated")
    parser.add_argument(
        "--duration",
        type=float,
        default=5.0,
        help="seconds of load per endpoint (default 5: the run fits in 15 min)",
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: 2,000 and 5,000 products, 2 s")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--no-cache", action="store_true", help="generate the databases again")
    parser.add_argument("--skip-http", action="store_true", help="no server, no wrk (queries, search)")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument(
        "--skip-staff", action="store_true", help="no staff pages, map and exports (bench/staff.py)"
    )
    parser.add_argument("--import-format", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument("--no-profile", action="store_true", help="no cProfile of the pages that miss")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL databases (debugging)")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes = "2000,5000" if args.sizes == parser.get_default("sizes") else args.sizes
        args.duration = 2.0 if args.duration == parser.get_default("duration") else args.duration
    args.size_list = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    args.dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    args.import_rows = min(17000, max(args.size_list)) if args.quick else 17000
    return args


# Machine ------------------------------------------------------------------------------------------


def _version(command: list[str]) -> str:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=20)
        text = (result.stdout + result.stderr).strip().splitlines()
        return text[0] if text else ""
    except (OSError, subprocess.TimeoutExpired):
        return ""


def _proc_field(path: str, prefix: str, sep: str = ":") -> str:
    with contextlib.suppress(OSError):
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(sep, 1)[1].strip().strip('"')
    return ""


def postgres_reachable() -> bool:
    cmd = ["psql", "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, "-d", "postgres", "-Atc", "SELECT 1"]
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=20).stdout.strip() == "1"
    except (OSError, subprocess.TimeoutExpired):
        return False


def machine_info(wrk_bin: str | None, nginx_bin: str | None) -> dict:
    mem = _proc_field("/proc/meminfo", "MemTotal").split()
    pg = _version(["psql", "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, "-At", "-c", "show server_version"])
    return {
        "nproc": os.cpu_count(),
        "cpu_model": _proc_field("/proc/cpuinfo", "model name"),
        "memory_gib": round(int(mem[0]) / 1024 / 1024, 1) if mem else None,
        "os": _proc_field("/etc/os-release", "PRETTY_NAME", "="),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": importlib.metadata.version("Django"),
        "gunicorn": importlib.metadata.version("gunicorn"),
        "psycopg": importlib.metadata.version("psycopg"),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": pg,
        "wrk": _version([wrk_bin, "-v"]) if wrk_bin else "missing",
        "nginx": _version([nginx_bin, "-v"]) if nginx_bin else "missing",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


# One database ------------------------------------------------------------------------------------


def probe(command: list[str], url: str, out: Path | None = None, timeout: float = 1800) -> dict:
    """Run bench.probe in a child process against the database at url; its JSON output."""
    out = out or WORK_DIR / f"probe-{command[0]}.json"
    out.unlink(missing_ok=True)
    # In-process probes count and profile the work of a page: never a cached copy of it.
    env = app_env(url, DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver", OCOP_PUBLIC_CACHE_SECONDS="0")
    run([PYTHON, "-m", "bench.probe", command[0], *command[1:], str(out)], env, timeout=timeout)
    return json.loads(out.read_text())


CREATED_PG: list[str] = []  # dropped at the end, whatever happens


def prepare(db: str, n: int, args, prefix: str = "bench") -> tuple[str, dict, str | None]:
    """(database URL, preparation facts, PostgreSQL database name to drop)."""
    if db == "sqlite":
        path = WORK_DIR / f"{prefix}-{n}.sqlite3"
        info = data.prepare_sqlite(n, args.seed, path, use_cache=not args.no_cache)
        return data.sqlite_url(path), info, None
    name = f"ocop_{prefix}_{os.getpid()}_{n}"
    CREATED_PG.append(name)
    info = data.prepare_postgres(n, args.seed, name, use_cache=not args.no_cache)
    return data.pg_url(name), info, name


def preflight(server: Gunicorn, spec: dict, cookie: str) -> tuple[int, str]:
    """The worst status of a few of the endpoint's URLs (and a note); warms the workers."""
    for path in spec["paths"][:10]:
        status, _, _ = fetch(server.url + path, cookie if spec.get("login") else "")
        if status != 200:
            return status, f"{path} → {status}"
    return 200, ""


def measure_http(db: str, n: int, url: str, targets: dict, args, tools: dict, pg_name: str | None) -> dict:
    server = Gunicorn(url, args.workers, f"{db}-{n}")
    db_ticks = (lambda: cpu_snapshot(pg_backends(pg_name))) if pg_name else None
    load: dict = {}

    def load_test(label: str, paths: list[str], cookie: str = "") -> dict:
        return wrk(
            tools["wrk"],
            server.url,
            paths,
            label=f"{db}-{n}-{label}",
            duration=args.duration,
            connections=args.connections,
            threads=args.threads,
            cookie=cookie,
            server_ticks=server.cpu_snapshot,
            db_ticks=db_ticks,
        )

    try:
        load["ping"] = load_test("ping", ["/ping"])
        log(one_line("ping", load["ping"]))
        for name in ENDPOINT_ORDER:
            spec = targets["endpoints"][name]
            cookie = targets["cookie"] if spec.get("login") else ""
            status, note = preflight(server, spec, cookie)
            if status == 404 and name == "api_products":
                load[name] = {"unavailable": f"not available ({note})"}
            elif status != 200:
                load[name] = {"unavailable": f"error: {note}"}
            else:
                load[name] = load_test(name, spec["paths"], cookie) | {"what": spec["what"]}
            log(one_line(name, load[name]))
        if "catalogue_html" not in tools:
            status, body, _ = fetch(server.url + "/san-pham/")
            if status == 200:
                tools["catalogue_html"], tools["catalogue_html_from"] = body, f"{db} {n}"
    finally:
        server.stop()
    return load


def bench_database(db: str, n: int, args, tools: dict) -> dict:
    log(f"== {db}, {n:,} products")
    started = time.perf_counter()
    url, info, pg_name = prepare(db, n, args)
    result: dict = {"db": db, "products": n, "url": url, "pg_name": pg_name}
    result["prepare"] = info | {"seconds": round(time.perf_counter() - started, 1)}
    targets_file = WORK_DIR / f"targets-{db}-{n}.json"
    targets = probe(["setup", "--seed", str(args.seed)], url, targets_file)
    result["targets_file"] = str(targets_file)
    result["public_products"] = targets["products_public"]
    result["representatives"] = targets["representatives"]
    log("  search_products timings (in-process)")
    result["search"] = s = probe(["search", "--repeat", "3" if args.quick else "5"], url)
    log(
        f"  search p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms "
        f"(exact-token p95 {s['exact_p95_ms']}, typo p95 {s['typo_p95_ms']})"
    )
    log("  catalogue page per order and filter, cache miss (in-process)")
    result["catalogue_pages"] = pages = probe(["catalogue", "--repeat", "3" if args.quick else "5"], url)
    slowest = max(pages.items(), key=lambda item: item[1]["ms_p50"])
    log(f"  catalogue pages: slowest {slowest[0]} p50 {slowest[1]['ms_p50']} ms")
    if not args.skip_http and tools.get("wrk"):
        result["http"] = measure_http(db, n, url, targets, args, tools, pg_name)
        result["server"] = {"workers": args.workers, "worker_class": "sync"}
    if not args.skip_staff:
        result["staff"] = staff.measure(url, f"{db}-{n}", quick=args.quick)
    return result


def count_queries(results: list[dict]) -> None:
    """Queries per page for every database and size, back to back, on one version of the code
    (measured again once if the code changed meanwhile)."""
    for attempt in range(2):
        before = code_fingerprint()
        log(f"== SQL queries per page (test client), code {before}")
        for r in results:
            r["queries"] = probe(["queries", r["targets_file"]], r["url"])
            r["queries_code"] = before
        after = code_fingerprint()
        if after == before:
            return
        log(f"  the application code changed during the measurement ({before} → {after})")
        if attempt == 1:
            for r in results:
                r["queries_code"] = f"{before}..{after}"


def measure_nginx(tools: dict, args) -> dict:
    log("== machine limit: nginx serving the saved catalogue page")
    server = Nginx(tools["nginx"], tools["catalogue_html"], workers=os.cpu_count() or 2)
    try:
        result = wrk(
            tools["wrk"],
            server.url,
            None,
            label="nginx",
            duration=args.duration,
            connections=args.connections,
            threads=args.threads,
            server_ticks=server.cpu_snapshot,
        )
        result["page_from"] = tools.get("catalogue_html_from")
        log(one_line("nginx", result))
        return result
    finally:
        server.stop()


def profile_misses(report: dict) -> list[str]:
    """cProfile, the slowest SQL and its plan, for the pages behind each missed target."""
    saved = []
    pages = {
        "catalogue page": [("catalogue", "/san-pham/")],
        "search": [("search", "/san-pham/?q=thach+den"), ("search_typo", "/san-pham/?q=thach+dne")],
    }
    done = set()
    for check in report["checks"]:
        kind = next((k for k in pages if check["target"].startswith(k)), None)
        if check["pass"] or kind is None:
            continue
        r = [r for r in report["results"] if r["db"] == check["db"]][-1]  # the largest size
        for name, path in pages[kind]:
            out = WORK_DIR / f"profile-{r['db']}-{r['products']}-{name}.txt"
            if out in done:
                continue
            done.add(out)
            env = app_env(
                r["url"], DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver", OCOP_PUBLIC_CACHE_SECONDS="0"
            )
            cmd = [PYTHON, "-m", "bench.probe", "profile", path, "-n", "10", "--explain", "--sort", "tottime"]
            try:
                result, _ = run(cmd, env, timeout=900)
                out.write_text(result.stdout)
                saved.append(str(out))
            except Exception as exc:
                log(f"profile of {path} failed: {exc}")
    return saved


def _write(report: dict, partial: bool = False) -> Path:
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    clean = json.loads(json.dumps(report, default=str))
    for r in clean.get("results", []):
        for key in ("url", "targets_file"):
            r.pop(key, None)
    text = json.dumps(clean, indent=2, ensure_ascii=False)
    if partial:
        path = BENCH_VAR / "partial.json"
        path.write_text(text)
        return path
    path = BENCH_VAR / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(text)
    (BENCH_VAR / "latest.json").write_text(text)
    (BENCH_VAR / "partial.json").unlink(missing_ok=True)
    return path


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    if "postgres" in args.dbs and not postgres_reachable():
        log(f"PostgreSQL is not reachable on {PG_HOST}:{PG_PORT} as {PG_USER} (psql): postgres is skipped")
        args.dbs = [db for db in args.dbs if db != "postgres"]
        if not args.dbs:
            return 2
    tools: dict = {}
    if not args.skip_http:
        tools["wrk"] = ensure_apt("wrk", ["wrk"])
        tools["nginx"] = ensure_apt("nginx", ["nginx-light", "nginx"])
    report: dict = {
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine_info(tools.get("wrk"), tools.get("nginx")),
        "settings": {
            "dbs": args.dbs,
            "sizes": args.size_list,
            "duration": args.duration,
            "workers": args.workers,
            "worker_class": "sync",
            "connections": args.connections,
            "threads": args.threads,
            "seed": args.seed,
            "quick": args.quick,
            "targets": TARGETS,
            "code": code_fingerprint(),
            "data_state": data.state_hash(),
        },
        "results": [],
        "imports": [],
        "profiles": [],
    }
    log(
        f"bench: {', '.join(args.dbs)}; sizes {', '.join(f'{n:,}' for n in args.size_list)}; "
        f"{args.duration:g} s per endpoint; gunicorn {args.workers} sync workers; wrk -t{args.threads} "
        f"-c{args.connections} — the load generator and the server share {os.cpu_count()} cores"
    )
    started = time.perf_counter()
    try:
        log("collectstatic (manifest) into var/bench/runtime/static")
        collectstatic(data.sqlite_url(WORK_DIR / "collectstatic.sqlite3"))
        for db in args.dbs:
            for n in args.size_list:
                report["results"].append(bench_database(db, n, args, tools))
                _write(report, partial=True)
        count_queries(report["results"])
        if tools.get("nginx") and tools.get("wrk") and tools.get("catalogue_html"):
            report["nginx"] = measure_nginx(tools, args)
        elif not args.skip_http:
            report["nginx"] = {"unavailable": "nginx or wrk missing, or no catalogue page saved"}
        if not args.skip_import:
            report["imports"] = measure_imports(args, prepare)
        report["checks"] = evaluate(report["results"], report["imports"], args.size_list, args.dbs)
        report["staff_checks"] = staff.evaluate(report["results"])
        if not args.no_profile:
            report["profiles"] = profile_misses(report)
    finally:
        if not args.keep:
            for name in dict.fromkeys(CREATED_PG):
                data.drop_pg(name)
            for copy in WORK_DIR.glob("*.sqlite3*"):  # copies of the cache: up to 330 MB each
                copy.unlink(missing_ok=True)
    report["elapsed_s"] = round(time.perf_counter() - started, 1)
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    path = _write(report)
    print_report(report)
    staff.print_report(report["results"])
    log(f"written {path} and {BENCH_VAR / 'latest.json'} ({report['elapsed_s']:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
