"""In-process measurements, run by bench/run.py as a child process against one database
(DATABASE_URL and the other settings come from the environment, as for the server):

    python -m bench.probe setup OUT.json            bench user, session cookie, the URLs to load
    python -m bench.probe queries TARGETS.json OUT.json   SQL queries per page (test client)
    python -m bench.probe search OUT.json           catalogue.search.search_products timings
    python -m bench.probe catalogue OUT.json        the catalogue page per order and filter, cache miss
    python -m bench.probe profile URL [--login]     cProfile + slowest SQL + EXPLAIN of one page
    python -m bench.probe import-file N OUT.xlsx    N rows for import_products from this database
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import random
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.base")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()
gc.freeze()  # as config/wsgi.py does in the workers: start-up objects are not scanned again

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.common import BENCH_USER, percentile  # noqa: E402

# Diacritic-free, as typed on a phone; the last ones carry a typo (the typo-tolerant path).
SEARCH_QUERIES = [
    "thach den",
    "hong khong hat",
    "vit quay",
    "quyt bac son",
    "mat ong",
    "khau nhuc",
    "che shan tuyet",
    "ruou men la",
    "mien dong",
    "pho chua",
    "tinh dau hoi",
    "banh chung den",
    "thach dne",
    "mat ogn",
    "vit qay",
]
TYPO_QUERIES = {"thach dne", "mat ogn", "vit qay"}
SAMPLE = 200  # product pages and QR codes rotated through
# Distinct catalogue pages, first pages first: each order (Sort), with and without "lapsed".
UNCACHED_CATALOGUE = [
    f"/san-pham/?sort={sort}{switch}&page={page}"
    for page in range(1, 376)
    for sort in ("stars", "name", "newest", "relevance")
    for switch in ("", "&lapsed=on")
]
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _user():
    from accounts.models import User

    user = User.objects.filter(username=BENCH_USER).first()
    if user is None:
        user = User.objects.create_user(
            username=BENCH_USER,
            password="bench-" + os.urandom(8).hex(),
            role="office",
            first_name="Bench",
            last_name="Office",
        )
    return user


def _client(login: bool) -> Client:
    client = Client()
    if login:
        client.force_login(_user(), backend=MODEL_BACKEND)
    return client


def _representatives(seed: int) -> dict:
    """Objects present at every size with the same seed (the generator's rows are a prefix of
    the larger set's), so per-page query counts compare like with like."""
    from certificates.models import Certificate
    from geo.models import Commune
    from products.models import Product

    product = Product.objects.public().filter(certificates__is_current=True).order_by("pk").first()
    certificate = Certificate.objects.filter(is_current=True).order_by("pk").first()
    commune = Commune.objects.filter(products__isnull=False).order_by("code").first()
    return {
        "product": product.slug if product else None,
        "code": certificate.public_code if certificate else None,
        "commune": commune.code if commune else None,
    }


def cmd_setup(args) -> None:
    """The bench office user, a session cookie for it, and the URLs of each endpoint."""
    from certificates.models import Certificate
    from geo.models import Commune
    from products.models import Product

    client = _client(login=True)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    rng = random.Random(args.seed)
    slugs = list(Product.objects.public().order_by("pk").values_list("slug", flat=True))
    codes = list(Certificate.objects.order_by("pk").values_list("public_code", flat=True))
    communes = sorted(
        set(Commune.objects.filter(products__isnull=False).values_list("code", flat=True).distinct())
    )
    slugs = rng.sample(slugs, min(SAMPLE, len(slugs)))
    codes = rng.sample(codes, min(SAMPLE, len(codes)))
    rep = _representatives(args.seed)
    group_commune = communes[: min(3, len(communes))]
    endpoints = {
        "catalogue": {"paths": ["/san-pham/"], "what": "catalogue page, no query (sorted by stars)"},
        # Catalogue pages never served from the public page cache: every URL a page of its own
        # (3,000 of them; a 10 s run reaches far fewer). Not "?uncached=i": the cache ignores
        # parameters the page does not read, so those URLs are all one cached page (issue 15).
        "catalogue_uncached": {
            "paths": UNCACHED_CATALOGUE,
            "what": "catalogue pages as cache misses (every order, with and without the lapsed "
            "switch, pages 1, 2, 3…): the cost of rendering them",
        },
        "search": {
            "paths": [f"/san-pham/?q={quote_plus(q)}" for q in SEARCH_QUERIES],
            "what": f"catalogue search, {len(SEARCH_QUERIES)} diacritic-free queries "
            f"({len(TYPO_QUERIES)} with a typo)",
        },
        "filtered": {
            "paths": [
                "/san-pham/?stars=4&valid=1",
                "/san-pham/?stars=3&group=I",
                "/san-pham/?subgroup=I.3.c&sort=name",
                "/san-pham/?stars=5&valid=1&sort=newest",
            ]
            + [f"/san-pham/?valid=1&commune={c}" for c in group_commune],
            "what": "filtered listing (stars/valid/group/sub-group/commune)",
        },
        "product": {"paths": [f"/san-pham/{s}/" for s in slugs], "what": f"{len(slugs)} product pages"},
        "map_geojson": {
            "paths": [f"/ban-do/du-lieu.geojson?commune={c}" for c in communes],
            "what": f"map GeoJSON filtered by commune ({len(communes)} communes)",
        },
        "api_products": {
            "paths": [f"/api/v1/products/?page={p}" for p in range(1, 6)],
            "what": "API products list, pages 1-5 (50 per page)",
        },
        # As catalogue_uncached: the API list never served from the cache (its real cost).
        "api_products_uncached": {
            "paths": [f"/api/v1/products/?page=1&uncached={i}" for i in range(3000)],
            "what": "API products list, page 1, as a cache miss (unique URLs)",
        },
        "verify": {
            "paths": [f"/xac-minh/{c}/" for c in codes],
            "what": f"QR verification, {len(codes)} codes",
        },
        "dashboard": {
            "paths": ["/quan-ly/bao-cao/"],
            "what": "statistics dashboard (office user, session cookie)",
            "login": True,
        },
    }
    # One representative URL per page for the query counts (the same objects at every size).
    counted = {
        "home": "/",
        "catalogue": "/san-pham/",
        "search": "/san-pham/?q=thach+den",
        "search_typo": "/san-pham/?q=thach+dne",
        "filtered": "/san-pham/?stars=4&valid=1",
        "product": f"/san-pham/{rep['product']}/" if rep["product"] else None,
        "map_geojson": f"/ban-do/du-lieu.geojson?commune={rep['commune']}" if rep["commune"] else None,
        "api_products": "/api/v1/products/",
        "verify": f"/xac-minh/{rep['code']}/" if rep["code"] else None,
        "dashboard": "/quan-ly/bao-cao/",
    }
    out = {
        "cookie": cookie,
        "endpoints": endpoints,
        "counted": {k: v for k, v in counted.items() if v},
        "representatives": rep,
        "products_public": len(Product.objects.public().values("pk")),
    }
    Path(args.out).write_text(json.dumps(out, indent=2, ensure_ascii=False))


def _request(client: Client, path: str):
    try:
        return client.get(path), None
    except Exception as exc:  # a 500 raises in the test client: record it, go on
        return None, f"{type(exc).__name__}: {exc}"[:300]


def cmd_queries(args) -> None:
    targets = json.loads(Path(args.targets).read_text())
    anonymous, office = _client(False), _client(True)
    results = {}
    for name, path in targets["counted"].items():
        client = office if name == "dashboard" else anonymous
        _request(client, path)  # warm: per-process caches (content types, translations…)
        timings, counts, status, error = [], [], None, None
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response, error = _request(client, path)
                timings.append((time.perf_counter() - started) * 1000)
            counts.append(len(ctx.captured_queries))
            status = response.status_code if response is not None else 500
            size = len(response.content) if response is not None else 0
        slowest = max(ctx.captured_queries, key=lambda q: float(q["time"]), default=None)
        results[name] = {
            "path": path,
            "status": status,
            "error": error,
            "queries": counts[-1],
            "queries_stable": len(set(counts)) == 1,
            "ms_p50": round(percentile(timings, 50), 1),
            "bytes": size,
            "sql_ms": round(sum(float(q["time"]) for q in ctx.captured_queries) * 1000, 1),
            "slowest_sql_ms": round(float(slowest["time"]) * 1000, 1) if slowest else 0,
        }
    Path(args.out).write_text(json.dumps(results, indent=2, ensure_ascii=False))


def cmd_search(args) -> None:
    """Time search_products as the results page uses it: the ids of the first page in rank
    order (the cards are then loaded for those ids alone) plus the count capped at
    SEARCH_COUNT_CAP + 1 rows (shown as "more than 1,000"), for each query, warm (one untimed
    round first). "found" is that capped count."""
    from catalogue.search import search_products
    from catalogue.selectors import PAGE_SIZE, SEARCH_COUNT_CAP
    from products.models import Product

    def once(query: str) -> tuple[float, int]:
        started = time.perf_counter()
        qs = search_products(query, Product.objects.public())
        list(qs.values_list("pk", flat=True)[:PAGE_SIZE])
        found = qs.order_by().values("pk")[: SEARCH_COUNT_CAP + 1].count()
        return (time.perf_counter() - started) * 1000, found

    for query in SEARCH_QUERIES:
        once(query)
    per_query: dict[str, list[float]] = {q: [] for q in SEARCH_QUERIES}
    found = {}
    for _ in range(args.repeat):
        for query in SEARCH_QUERIES:
            ms, found[query] = once(query)
            per_query[query].append(ms)
    everything = [ms for values in per_query.values() for ms in values]
    exact = [ms for q, values in per_query.items() if q not in TYPO_QUERIES for ms in values]
    typo = [ms for q, values in per_query.items() if q in TYPO_QUERIES for ms in values]
    out = {
        "repeat": args.repeat,
        "p50_ms": round(percentile(everything, 50), 1),
        "p95_ms": round(percentile(everything, 95), 1),
        "max_ms": round(max(everything), 1),
        "exact_p95_ms": round(percentile(exact, 95), 1),
        "typo_p95_ms": round(percentile(typo, 95), 1) if typo else None,
        "queries": {
            q: {
                "p50_ms": round(percentile(v, 50), 1),
                "p95_ms": round(percentile(v, 95), 1),
                "found": found[q],
                "typo": q in TYPO_QUERIES,
            }
            for q, v in per_query.items()
        },
    }
    Path(args.out).write_text(json.dumps(out, indent=2, ensure_ascii=False))


def catalogue_probes() -> dict[str, str]:
    """The catalogue page for every order (Sort) and filter (ProductFilters), by name: what
    `probe catalogue` times as a cache miss. The commune and the former district are those with
    the most public products (the same at every run of a size)."""
    from django.db.models import Count

    from geo.models import Commune, FormerDistrict

    commune = (
        Commune.objects.annotate(n=Count("products"))
        .order_by("-n", "code")
        .values_list("code", flat=True)
        .first()
    )
    district = (
        FormerDistrict.objects.annotate(n=Count("communes__products"))
        .order_by("-n", "code")
        .values_list("code", flat=True)
        .first()
    )
    probes = {
        "stars (default)": "/san-pham/",
        "name": "/san-pham/?sort=name",
        "newest": "/san-pham/?sort=newest",
        "page 50": "/san-pham/?page=50",
        "lapsed, stars": "/san-pham/?lapsed=on",
        "lapsed, name": "/san-pham/?lapsed=on&sort=name",
        "lapsed, newest": "/san-pham/?lapsed=on&sort=newest",
        # The deepest page listed (catalogue.selectors.MAX_PAGES); deeper asks show that page.
        "lapsed, page 100": "/san-pham/?lapsed=on&page=100",
        "lapsed, page 5000": "/san-pham/?lapsed=on&page=5000",
        "stars=5": "/san-pham/?stars=5",
        "stars=3, lapsed": "/san-pham/?stars=3&lapsed=on",
        "group=I": "/san-pham/?group=I",
        "subgroup=I.3.c, name": "/san-pham/?subgroup=I.3.c&sort=name",
        "channel=shopee": "/san-pham/?channel=shopee",
        "q=thach den": "/san-pham/?q=thach+den",
        "q=mat ong, stars": "/san-pham/?q=mat+ong&sort=stars",
        "q=vit qay (typo)": "/san-pham/?q=vit+qay",
    }
    if commune:
        probes["commune"] = f"/san-pham/?commune={commune}"
        probes["commune, lapsed, newest"] = f"/san-pham/?commune={commune}&lapsed=on&sort=newest"
    if district:
        probes["district"] = f"/san-pham/?district={district}"
    return probes


def cmd_catalogue(args) -> None:
    """The catalogue page as a cache miss, in process (test client, anonymous, the page cache
    off so that every request renders), for each of catalogue_probes(): p50 and max over
    --repeat requests after one untimed, its SQL queries and their time."""
    from django.test import override_settings

    client = _client(False)
    results = {}
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
        for name, path in catalogue_probes().items():
            _request(client, path)
            timings, sql_ms, queries, error, status = [], [], 0, None, None
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as ctx:
                    started = time.perf_counter()
                    response, error = _request(client, path)
                    timings.append((time.perf_counter() - started) * 1000)
                sql_ms.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
                queries = len(ctx.captured_queries)
                status = response.status_code if response is not None else 500
            results[name] = {
                "path": path,
                "status": status,
                "error": error,
                "ms_p50": round(percentile(timings, 50), 1),
                "ms_max": round(max(timings), 1),
                "sql_ms_p50": round(percentile(sql_ms, 50), 1),
                "queries": queries,
            }
            print(f"{results[name]['ms_p50']:8.1f} ms  {queries:3d} q  {name}: {path}", flush=True)
    Path(args.out).write_text(json.dumps(results, indent=2, ensure_ascii=False))


def _explain(sql: str) -> str:
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    try:
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            return "\n".join(" | ".join(str(c) for c in row) for row in cursor.fetchall())
    except Exception as exc:
        return f"(EXPLAIN failed: {exc})"


def cmd_profile(args) -> None:
    """Where one page's time goes: cProfile over N requests, then its SQL by time."""
    client = _client(args.login)
    _request(client, args.url)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(args.n):
        _request(client, args.url)
    profiler.disable()
    per_request = (time.perf_counter() - started) * 1000 / args.n
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        _request(client, args.url)
        total_ms = (time.perf_counter() - started) * 1000
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream).strip_dirs()
    stats.sort_stats(args.sort).print_stats(args.top)
    queries = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
    sql_ms = sum(float(q["time"]) for q in queries) * 1000
    print(f"== {args.url} ({connection.vendor}): {per_request:.1f} ms/request under cProfile, ")
    print(f"   {total_ms:.1f} ms without; {len(queries)} queries, {sql_ms:.1f} ms in SQL")
    print(stream.getvalue())
    for q in queries[: args.sql]:
        print(f"-- {float(q['time']) * 1000:.1f} ms: {q['sql'][:1500]}")
    if queries and args.explain:
        print("\n== EXPLAIN of the slowest query")
        print(_explain(queries[0]["sql"]))


def cmd_user(args) -> None:
    print(json.dumps({"user": _user().username}))


def cmd_sql(args) -> None:
    """The SQL of one page, one statement a line (to diff two sizes)."""
    client = _client(args.login)
    _request(client, args.url)
    with CaptureQueriesContext(connection) as ctx:
        response, error = _request(client, args.url)
    print(f"-- {args.url}: status {response.status_code if response else error}, {len(ctx)} queries")
    for q in ctx.captured_queries:
        print(f"{float(q['time']) * 1000:8.1f} ms  {q['sql'][: args.width]}")


def cmd_import_file(args) -> None:
    """The first N products of this database as the province's list, with the import's
    Vietnamese headers, as .xlsx (or .csv when OUT ends with .csv); also as parts of at most
    reports.importing.MAX_ROWS rows when N is larger (the import refuses bigger files)."""
    import csv

    from django.db.models import Prefetch

    from catalogue.selectors import current_certificate
    from certificates.models import Certificate
    from products.models import Product

    headers = [
        "STT",
        "Tên sản phẩm",
        "Tên chủ thể",
        "Địa chỉ",
        "Nhóm sản phẩm",
        "Hạng sao",
        "Số quyết định",
        "Ngày quyết định",
    ]
    if args.tax_code:  # producers.services refuses a producer without one
        headers.append("Mã số thuế")
    products = (
        Product.objects.select_related("producer", "category")
        .prefetch_related(
            Prefetch(
                "certificates",
                queryset=Certificate.objects.filter(is_current=True),
                to_attr="current_certificates",
            )
        )
        .order_by("pk")[: args.rows]
    )
    rows = []
    for i, product in enumerate(products, start=1):
        certificate = current_certificate(product)
        category = product.category
        rows.append(
            [
                i,
                product.name,
                product.producer.name,
                product.producer.address,
                f"{category.code} - {category.name_vi}" if category else "",
                certificate.stars if certificate else None,
                certificate.decision_number if certificate else "",
                certificate.decision_date if certificate else None,
            ]
            + ([product.producer.registration_code] if args.tax_code else [])
        )

    def write(out: Path, part: list[list]) -> None:
        if out.suffix == ".csv":
            with out.open("w", newline="", encoding="utf-8-sig") as f:
                writer = csv.writer(f)
                writer.writerow(headers)
                for row in part:
                    date = row[7].strftime("%d/%m/%Y") if row[7] else ""
                    writer.writerow(["" if v is None else v for v in row[:7]] + [date, *row[8:]])
        else:
            from openpyxl import Workbook

            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet("Danh sách OCOP")
            sheet.append(["DANH SÁCH SẢN PHẨM OCOP TỈNH LẠNG SƠN (dữ liệu tổng hợp cho kiểm thử)"])
            sheet.append(headers)
            for row in part:
                sheet.append(row)
            workbook.save(out)

    from reports.importing import MAX_ROWS, ImportFileError, read_table

    out = Path(args.out)
    write(out, rows)
    try:  # does the import accept the file as one? (reading only, no row is checked)
        read_table(out.read_bytes(), out.name)
        single_ok, single_message = True, ""
    except ImportFileError as exc:
        single_ok, single_message = False, str(exc)
    parts = []
    if not single_ok and len(rows) > MAX_ROWS:
        size = -(-len(rows) // -(-len(rows) // MAX_ROWS))  # equal parts of at most MAX_ROWS
        for k, start in enumerate(range(0, len(rows), size), start=1):
            part = out.with_name(f"{out.stem}-part{k}{out.suffix}")
            write(part, rows[start : start + size])
            parts.append(str(part))
    print(
        json.dumps(
            {
                "rows": len(rows),
                "file": str(out),
                "headers": headers,
                "max_rows": MAX_ROWS,
                "single_ok": single_ok,
                "single_message": single_message,
                "parts": parts,
            },
            ensure_ascii=False,
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.probe")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("setup")
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(func=cmd_setup)
    p = sub.add_parser("queries")
    p.add_argument("targets")
    p.add_argument("out")
    p.add_argument("--repeat", type=int, default=2)
    p.set_defaults(func=cmd_queries)
    p = sub.add_parser("search")
    p.add_argument("out")
    p.add_argument("--repeat", type=int, default=5)
    p.set_defaults(func=cmd_search)
    p = sub.add_parser("catalogue")
    p.add_argument("out")
    p.add_argument("--repeat", type=int, default=5)
    p.set_defaults(func=cmd_catalogue)
    p = sub.add_parser("profile")
    p.add_argument("url")
    p.add_argument("--login", action="store_true")
    p.add_argument("-n", type=int, default=20)
    p.add_argument("--top", type=int, default=35)
    p.add_argument("--sql", type=int, default=5, help="slowest queries to print")
    p.add_argument("--sort", default="cumulative")
    p.add_argument("--explain", action="store_true")
    p.set_defaults(func=cmd_profile)
    p = sub.add_parser("sql")
    p.add_argument("url")
    p.add_argument("--login", action="store_true")
    p.add_argument("--width", type=int, default=400)
    p.set_defaults(func=cmd_sql)
    p = sub.add_parser("user")
    p.set_defaults(func=cmd_user)
    p = sub.add_parser("import-file")
    p.add_argument("rows", type=int)
    p.add_argument("out")
    p.add_argument("--no-tax-code", dest="tax_code", action="store_false")
    p.set_defaults(func=cmd_import_file)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
