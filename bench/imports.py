"""Import timing: `python manage.py import_products FILE` of the province's list (17,000 rows),
into a database that holds only the reference data (the first import of a national list), then
of the same file again (a re-import: every row matches, nothing to change).

The file is made from the synthetic data with the import's Vietnamese headers (STT, Tên sản phẩm,
Tên chủ thể, Địa chỉ, Nhóm sản phẩm, Hạng sao, Số quyết định, Ngày quyết định) plus «Mã số thuế»:
producers.services refuses a producer without a tax code, so a file with only the eight
headers imports nothing (checked and reported once, on 20 rows, as a dry run).

A file longer than reports.importing.MAX_ROWS (50,000) is refused by the import: the full import
then runs as equal parts, one after the other, and the times are added.

The times are wall-clock times of the whole command (Django's start, reading the file, checking
every row, writing): "seconds" is the first import, "reimport_s" the second one. The target
(under 10 s for 17,000 rows) is checked against that whole time; "django_startup_s" (the
command's `--help`, which loads Django and every app but imports nothing) says how much of it
is the start of any command."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from bench import data
from bench.common import BENCH_USER, PYTHON, WORK_DIR, app_env, log, manage, run


def _probe_env(url: str) -> dict[str, str]:
    return app_env(url, DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver")


def make_file(rows: int, file: Path, source_url: str, tax_code: bool = True) -> dict:
    cmd = [PYTHON, "-m", "bench.probe", "import-file", str(rows), str(file)]
    if not tax_code:
        cmd.append("--no-tax-code")
    result, _ = run(cmd, _probe_env(source_url))
    return json.loads(result.stdout.strip().splitlines()[-1])


def last_line(result) -> str:
    text = (result.stdout or "").strip().splitlines() + (result.stderr or "").strip().splitlines()
    lines = [line for line in text if line.strip()]
    return lines[-1][:300] if lines else f"exit {result.returncode}"


def first_problem(result) -> str:
    for line in (result.stdout or "").splitlines() + (result.stderr or "").splitlines():
        if line.startswith("Dòng ") and "cột" in line:
            return line[:300]
    return last_line(result)


def _import(file: str, env: dict, timeout: float) -> tuple[bool, float, str, object]:
    try:
        result, seconds = manage(
            ["import_products", file, "--user", BENCH_USER], env, check=False, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return False, timeout, f"not finished in {timeout:.0f} s (stopped)", None
    return result.returncode == 0, seconds, last_line(result), result


def import_on(db: str, args, prepare, files: dict) -> dict:
    full = files["full"]
    rows = full["rows"]
    out: dict = {"db": db, "rows": rows, "format": args.import_format, "headers": full["headers"]}
    url, _, pg_name = prepare(db, 0, args)
    run([PYTHON, "-m", "bench.probe", "user"], _probe_env(url))
    env = app_env(url)
    try:
        _, startup = manage(["import_products", "--help"], env)
        out["django_startup_s"] = round(startup, 2)
        if "brief" in files:
            brief = files["brief"]
            result, _ = manage(
                ["import_products", brief["file"], "--user", BENCH_USER, "--dry-run"], env, check=False
            )
            out["eight_headers_only"] = {
                "rows": brief["rows"],
                "accepted": result.returncode == 0,
                "message": first_problem(result) if result.returncode else last_line(result),
            }
            log(
                f"  {brief['rows']} rows with only the eight headers (dry run): "
                f"{out['eight_headers_only']['message']}"
            )
        out["single_file"] = {"accepted": full["single_ok"], "message": full["single_message"]}
        out["max_rows"] = full["max_rows"]
        parts = [full["file"]] if full["single_ok"] else full["parts"]
        out["files"] = len(parts)
        out["parts"] = []
        # The first import into a database with only the reference data, then the same file(s)
        # again: every row matches what the first import wrote.
        for key, label in (("seconds", ""), ("reimport_s", "re-import of ")):
            total = 0.0
            for part in parts:
                ok, seconds, message, _ = _import(part, env, timeout=900)
                total += seconds
                out["parts"].append(f"{label}{Path(part).name}: {message} ({seconds:.1f} s)")
                log(f"  {db}: {out['parts'][-1]}")
                if not ok:
                    out["error" if key == "seconds" else "reimport_error"] = message
                    return out
            out[key] = round(total, 2)
        return out
    finally:
        if pg_name:
            data.drop_pg(pg_name)


def measure_imports(args, prepare) -> list[dict]:
    rows = args.import_rows
    log(f"== import of {rows:,} rows (python manage.py import_products, {args.import_format})")
    source = WORK_DIR / f"import-source-{rows}.sqlite3"
    data.prepare_sqlite(rows, args.seed, source, use_cache=not args.no_cache)
    url, ext = data.sqlite_url(source), args.import_format
    files = {
        "full": make_file(rows, WORK_DIR / f"import-{rows}.{ext}", url),
        "brief": make_file(20, WORK_DIR / f"import-eight-headers.{ext}", url, tax_code=False),
    }
    if not files["full"]["single_ok"]:
        log(f"  one file of {rows:,} rows is refused: {files['full']['single_message']}")
    imports = []
    for i, db in enumerate(args.dbs):
        if i > 0:
            files.pop("brief", None)
        try:
            imports.append(import_on(db, args, prepare, files))
        except Exception as exc:  # an unfinished command is a finding, not a crash of the bench
            imports.append({"db": db, "rows": rows, "format": args.import_format, "error": str(exc)[:500]})
    return imports
