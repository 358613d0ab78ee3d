"""The staff side at national scale (issue 15): the back-office pages, the map and the exports,
measured in-process (Django's test Client, median of up to N requests after a warm-up) as the
office account and as a commune officer, at 17,000 and 200,000 products on SQLite and
PostgreSQL. Each target is printed as met or missed, with each page's time at the largest size
over its time at the smallest (the cost must not grow with the data).

    python -m bench.staff                 # both databases, 17,000 and 200,000 products
    python -m bench.staff --quick         # smoke run: 2,000 and 5,000 products, fewer repeats
    python -m bench.staff --db sqlite --sizes 17000

`make bench` runs it inside bench/run.py on the databases that run already prepared (the
generated data is cached under var/bench/cache by bench/data.py); on its own it prepares them
the same way. The exports run as the worker runs them (jobs.runner.job_run), each in a process
of its own so that its peak memory is the job's."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH_VAR, PYTHON, WORK_DIR, app_env, log, run  # noqa: E402

TARGETS = {
    "page_ms": 300.0,  # every staff page, the map page and a map data request, at every size
    "map_bytes": 500_000,  # one map data answer
    "export_s": 20.0,  # the product list as Excel, as a job
    "export_mb": 300.0,  # its peak memory
    "pdf_s": 5.0,  # the standard list as PDF, for 5,000 rows
    "pdf_rows": 5000,
}
EXPORT_KINDS = ("export_products", "standard_report_pdf")


def _env(url: str) -> dict:
    # In-process: no page cache (the work of each page is measured), no collected static files.
    return app_env(
        url,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver",
        OCOP_PUBLIC_CACHE_SECONDS="0",
        DJANGO_STATIC_MANIFEST="0",
    )


def measure(url: str, label: str, *, quick: bool = False, exports: bool = True) -> dict:
    """The staff pages, the map and the exports of the database at url."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    out = WORK_DIR / f"staff-{label}.json"
    out.unlink(missing_ok=True)
    repeat, budget = ("3", "1") if quick else ("5", "2")
    run([PYTHON, "-m", "bench.staff_probe", "dossiers", str(out)], _env(url), timeout=900)
    dossiers = json.loads(out.read_text())
    log(f"  dossiers: {dossiers['dossiers']:,} ({dossiers.get('seconds', 0)} s to create)")
    log(f"  staff pages (in-process, median of ≤ {repeat}): {label}")
    started = time.perf_counter()
    result, _ = run(
        [PYTHON, "-m", "bench.staff_probe", "pages", str(out), "--repeat", repeat, "--budget", budget],
        _env(url),
        timeout=1800,
    )
    staff = json.loads(out.read_text()) | {"pages_s": round(time.perf_counter() - started, 1)}
    staff["dossiers"] = dossiers["dossiers"]
    staff["exports"] = {}
    for kind in EXPORT_KINDS if exports else ():
        out = WORK_DIR / f"staff-{label}-{kind}.json"
        out.unlink(missing_ok=True)
        try:
            run([PYTHON, "-m", "bench.staff_probe", "export", kind, str(out)], _env(url), timeout=900)
            staff["exports"][kind] = e = json.loads(out.read_text())
            log(
                f"    {kind}: {e['seconds']} s, {e['rows']} rows, peak {e['peak_anon_mb']} MB ({e['status']})"
            )
        except Exception as exc:  # a failed export is a measured miss, not the end of the bench
            staff["exports"][kind] = {"status": "failed", "error": str(exc)[-500:]}
            log(f"    {kind}: failed")
    return staff


def _check(target: str, db: str, value: str, passed: bool) -> dict:
    return {"target": target, "db": db, "value": value, "pass": passed}


def evaluate(results: list[dict]) -> list[dict]:
    """PASS/MISS of every staff target, for every database and size measured."""
    checks = []
    for r in results:
        staff = r.get("staff")
        if not staff:
            continue
        db, n = r["db"], r["products"]
        for key, page in staff["pages"].items():
            ms = page.get("ms")
            target = f"staff {key} < {TARGETS['page_ms']:.0f} ms at {n:,}"
            if ms is None:
                checks.append(_check(target, db, f"HTTP {page['status']}", False))
                continue
            checks.append(_check(target, db, f"{ms} ms ({page['queries']} q)", ms < TARGETS["page_ms"]))
            if key.startswith("map_data"):
                checks.append(
                    _check(
                        f"staff {key} answer < {TARGETS['map_bytes'] // 1000} KB at {n:,}",
                        db,
                        f"{page['bytes'] / 1000:.0f} KB",
                        page["bytes"] < TARGETS["map_bytes"],
                    )
                )
        e = staff["exports"].get("export_products")
        if e:
            ok = e.get("status") == "succeeded"
            checks.append(
                _check(
                    f"product export (job) < {TARGETS['export_s']:.0f} s, "
                    f"< {TARGETS['export_mb']:.0f} MB at {n:,}",
                    db,
                    f"{e.get('seconds')} s, peak {e.get('peak_anon_mb')} MB "
                    f"(RSS with the mapped database file {e.get('peak_rss_mb')} MB), {e.get('rows')} rows"
                    if ok
                    else f"failed: {e.get('error', '')[:200]}",
                    ok and e["seconds"] < TARGETS["export_s"] and e["peak_anon_mb"] < TARGETS["export_mb"],
                )
            )
        e = staff["exports"].get("standard_report_pdf")
        if e:
            ok = e.get("status") == "succeeded"
            rows = e.get("rows") or 0
            # The target is for 5,000 rows: a longer list is judged at its rate per 5,000 rows.
            per = (
                e["seconds"] * TARGETS["pdf_rows"] / rows
                if ok and rows > TARGETS["pdf_rows"]
                else e.get("seconds")
            )
            checks.append(
                _check(
                    f"standard list PDF (job) < {TARGETS['pdf_s']:.0f} s "
                    f"for {TARGETS['pdf_rows']:,} rows at {n:,}",
                    db,
                    f"{e.get('seconds')} s for {rows:,} rows ({per:.2f} s per 5,000)"
                    if ok
                    else f"failed: {e.get('error', '')[:200]}",
                    ok and per < TARGETS["pdf_s"],
                )
            )
    return checks


def ratios(results: list[dict]) -> dict[str, dict[str, float]]:
    """db → page → time at the largest size / time at the smallest."""
    out: dict[str, dict[str, float]] = {}
    for db in dict.fromkeys(r["db"] for r in results):
        sized = sorted((r for r in results if r["db"] == db and r.get("staff")), key=lambda r: r["products"])
        if len(sized) < 2:
            continue
        small, large = sized[0]["staff"]["pages"], sized[-1]["staff"]["pages"]
        out[db] = {
            key: round(large[key]["ms"] / small[key]["ms"], 1)
            for key in large
            if key in small and large[key].get("ms") and small[key].get("ms")
        }
    return out


def print_report(results: list[dict]) -> list[dict]:
    results = [r for r in results if r.get("staff")]
    if not results:
        return []
    print("\n== Staff side (in-process, ms: median; q: SQL queries; ratio: largest size / smallest)")
    by_ratio = ratios(results)
    for db in dict.fromkeys(r["db"] for r in results):
        sized = sorted((r for r in results if r["db"] == db), key=lambda r: r["products"])
        keys = list(dict.fromkeys(k for r in sized for k in r["staff"]["pages"]))
        head = "".join(f"{r['products']:>12,}" for r in sized)
        print(f"-- {db}\n   {'page':<36}{head}  {'ratio':>6}  q")
        for key in keys:
            cells = ""
            for r in sized:
                p = r["staff"]["pages"].get(key, {})
                cells += f"{p.get('ms', 'HTTP ' + str(p.get('status', '-'))):>12}"
            q = "/".join(str(r["staff"]["pages"].get(key, {}).get("queries", "-")) for r in sized)
            print(f"   {key:<36}{cells}  {by_ratio.get(db, {}).get(key, ''):>6}  {q}")
    checks = evaluate(results)
    missed = [c for c in checks if not c["pass"]]
    print(f"\n   staff targets: {len(checks) - len(missed)} met, {len(missed)} missed")
    for c in checks:
        if not c["pass"] or c["target"].startswith(("product export", "standard list")):
            print(f"   {'MET ' if c['pass'] else 'MISS'} [{c['db']}] {c['target']}: {c['value']}")
    return checks


def main(argv=None) -> int:
    from bench import data

    parser = argparse.ArgumentParser(prog="bench.staff", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--sizes", default="17000,200000")
    parser.add_argument("--quick", action="store_true", help="2,000 and 5,000 products, fewer repeats")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-exports", action="store_true")
    args = parser.parse_args(argv)
    if args.quick and args.sizes == parser.get_default("sizes"):
        args.sizes = "2000,5000"
    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = []
    started = time.perf_counter()
    for db in dbs:
        for n in sizes:
            log(f"== staff: {db}, {n:,} products")
            pg_name = None
            try:
                if db == "sqlite":
                    path = WORK_DIR / f"staff-{n}.sqlite3"
                    data.prepare_sqlite(n, args.seed, path)
                    url = data.sqlite_url(path)
                else:
                    pg_name = f"ocop_staff_{os.getpid()}_{n}"
                    data.prepare_postgres(n, args.seed, pg_name)
                    url = data.pg_url(pg_name)
                staff = measure(url, f"{db}-{n}", quick=args.quick, exports=not args.no_exports)
                results.append({"db": db, "products": n, "staff": staff})
            finally:
                if pg_name:
                    data.drop_pg(pg_name)
                for copy in WORK_DIR.glob(f"staff-{n}.sqlite3*"):
                    copy.unlink(missing_ok=True)
    checks = print_report(results)
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    out = BENCH_VAR / "staff-latest.json"
    out.write_text(json.dumps({"results": results, "checks": checks}, indent=2, ensure_ascii=False))
    log(f"written {out} ({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
