"""In-process measurements of the staff side (issue 15), run by bench/staff.py as a child
process against one database (DATABASE_URL and the other settings from the environment):

    python -m bench.staff_probe pages OUT.json [--repeat N] [--budget S]
    python -m bench.staff_probe export KIND OUT.json [--query QS]

`pages`: the office account and a commune officer (created here, the officer of the commune
with the most products) load each staff page with Django's test Client; one warm-up request,
then up to N timed ones (fewer when a page is slow: the timed requests stop once `budget`
seconds are spent), the median kept. The map page and its data are measured anonymously (the
public page cache is off in the probes). `export`: one job kind run as the worker runs it
(jobs.runner.job_run), in a process of its own, so that its peak memory (ru_maxrss) is the
job's."""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.base")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()
gc.freeze()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
OFFICE_USER = "bench_office"
OFFICER_USER = "bench_officer"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def anon_mb() -> float:
    """The process's own memory (RssAnon): not the database file SQLite maps (mmap_size,
    config/base.py), which counts in the RSS but is the OS's page cache."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) / 1024
    return 0.0


class PeakSampler(threading.Thread):
    """The highest RssAnon seen, sampled every 50 ms while the job runs."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = anon_mb()
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(0.05):
            self.peak = max(self.peak, anon_mb())


def _users():
    from django.db.models import Count

    from accounts.models import User
    from geo.models import Commune

    office = User.objects.filter(username=OFFICE_USER).first() or User.objects.create_user(
        username=OFFICE_USER, password="bench-" + os.urandom(8).hex(), role="office"
    )
    commune = (
        Commune.objects.annotate(n=Count("products")).order_by("-n", "code").first()
        or Commune.objects.order_by("code").first()
    )
    officer = User.objects.filter(username=OFFICER_USER).first()
    if officer is None:
        officer = User.objects.create_user(
            username=OFFICER_USER, password="bench-" + os.urandom(8).hex(), role="commune_officer"
        )
        officer.communes.add(commune)
    return office, officer, commune


def staff_pages(commune) -> list[tuple[str, str, tuple[str, ...]]]:
    """(name, path, who) of every staff page measured: the office, the commune officer, or both."""
    from certificates.models import Certificate
    from core.web import PAGE_SIZE
    from producers.models import Producer
    from products.models import Product

    products = Product.objects.count()
    producers = Producer.objects.count()

    def a_product(qs):
        return qs.filter(certificates__is_current=True).order_by("pk").first() or qs.order_by("pk").first()

    product = a_product(Product.objects.all())
    local = a_product(Product.objects.filter(commune=commune))
    certificates = Certificate.objects.count()
    middle = lambda n: max(1, n // PAGE_SIZE // 2)  # noqa: E731
    pages = [
        ("products", "/quan-ly/san-pham/"),
        ("products_search", "/quan-ly/san-pham/?q=thach+den"),
        ("products_filtered", f"/quan-ly/san-pham/?group=&status=active&commune={commune.pk}"),
        ("products_middle", f"/quan-ly/san-pham/?page={middle(products)}"),
        ("producers", "/quan-ly/chu-the/"),
        ("producers_search", "/quan-ly/chu-the/?q=hop+tac+xa"),
        ("producers_middle", f"/quan-ly/chu-the/?page={middle(producers)}"),
        ("certificates", "/quan-ly/giay-chung-nhan/"),
        ("certificates_middle", f"/quan-ly/giay-chung-nhan/?page={middle(certificates)}"),
        ("certificates_expiring", "/quan-ly/giay-chung-nhan/?within=6"),
        ("dossiers", "/quan-ly/danh-gia/"),
        ("rounds", "/quan-ly/danh-gia/dot/"),
        ("advisor", "/quan-ly/danh-gia/tu-van/"),
        ("sales", "/quan-ly/tieu-thu/"),
        ("sales_producers", "/quan-ly/tieu-thu/chu-the/"),
        ("promotion", "/quan-ly/xuc-tien/"),
        ("dashboard", "/quan-ly/bao-cao/"),
        ("dashboard_filtered", f"/quan-ly/bao-cao/?commune={commune.code}&year=2025"),  # by code
        ("quality", "/quan-ly/chat-luong-du-lieu/"),
        ("quality_photo", "/quan-ly/chat-luong-du-lieu/?gap=photo"),
        ("quality_certificates", "/quan-ly/chat-luong-du-lieu/?gap=estimated_date"),
    ]
    both, office = ("office", "officer"), ("office",)
    pages = [(name, path, office if name == "rounds" else both) for name, path in pages]
    if product is not None:
        pages.append(("product_detail", f"/quan-ly/san-pham/{product.pk}/", office))
    if local is not None:
        pages.append(("product_detail", f"/quan-ly/san-pham/{local.pk}/", ("officer",)))
    return pages


# The whole province as the map opens (zoom 9), then a town at street level.
MAP_PAGES = [
    ("map_page", "/ban-do/"),
    ("map_data", "/ban-do/du-lieu.geojson"),
    ("map_data_province", "/ban-do/du-lieu.geojson?zoom=9&bbox=105.9,21.3,107.4,22.5"),
    ("map_data_street", "/ban-do/du-lieu.geojson?zoom=15&bbox=106.74,21.83,106.78,21.87"),
]


def map_pages() -> list[tuple[str, str, tuple[str, ...]]]:
    return [(name, path, ("anonymous",)) for name, path in MAP_PAGES]


def _time(client: Client, path: str, repeat: int, budget: float) -> dict:
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    first = (time.perf_counter() - started) * 1000
    body = b"".join(response.streaming_content) if response.streaming else response.content
    result = {
        "status": response.status_code,
        "bytes": len(body),
        "queries": len(queries),
        "first_ms": round(first, 1),
    }
    if response.status_code != 200:
        return result
    times, spent = [], first / 1000
    for _ in range(repeat):
        if times and spent > budget:
            break
        started = time.perf_counter()
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
        elapsed = time.perf_counter() - started
        spent += elapsed
        times.append(elapsed * 1000)
    if not times:  # one slow request: the warm-up is the only measurement
        times = [first]
    result.update(ms=round(statistics.median(times), 1), runs=len(times))
    return result


OPEN_STATES = ("draft", "submitted", "commune_forwarded", "province_received")


def cmd_dossiers(args) -> None:
    """Dossiers at national scale (the synthetic data has none): one recognised dossier per
    certificate (its stars, score and dates) and an open one for every tenth product; skipped
    when the database has them already. Written with bulk_create, without history."""
    from django.db import transaction

    from certificates.models import Certificate
    from evaluation.models import Dossier
    from evaluation.services import latest_scored_reconcile
    from evaluation.stars import star_gap
    from products.models import Product

    started = time.perf_counter()
    if Dossier.objects.exists():
        Path(args.out).write_text(json.dumps({"dossiers": Dossier.objects.count(), "created": 0}))
        return
    batch, created = [], 0

    def flush():
        nonlocal batch, created
        with transaction.atomic():
            Dossier.objects.bulk_create(batch, batch_size=2000)
        created += len(batch)
        batch = []

    rows = Certificate.objects.order_by("pk").values_list("pk", "product_id", "stars", "score", "issued_on")
    # The product's latest scored dossier is its last certificate's (created last, the open ones
    # have no score): marked as it is written, not updated afterwards (170,000 dead rows on
    # PostgreSQL slowed every dossier page); latest_scored_reconcile below checks it.
    last = dict(rows.values_list("product_id", "pk").order_by("pk").iterator(chunk_size=5000))
    for pk, product_id, stars, score, issued_on in rows.iterator(chunk_size=5000):
        batch.append(
            Dossier(
                product_id=product_id,
                kind="new",
                state="recognised",
                stars=stars,
                score=score,
                star_gap=star_gap(score, stars),  # Dossier.save's, which bulk_create skips
                is_latest_scored=score is not None and last[product_id] == pk,
                certificate_id=pk,
                submitted_on=issued_on,
                received_on=issued_on,
            )
        )
        if len(batch) >= 10000:
            flush()
    products = Product.objects.order_by("pk").values_list("pk", flat=True)
    for i, product_id in enumerate(products.iterator(chunk_size=5000)):
        if i % 10 == 0:
            batch.append(Dossier(product_id=product_id, kind="upgrade", state=OPEN_STATES[i // 10 % 4]))
            if len(batch) >= 10000:
                flush()
    flush()
    corrected = latest_scored_reconcile()  # 0: the marker written above is the services' one
    if connection.vendor == "postgresql":  # as bench/data.py does after loading
        with connection.cursor() as cursor:
            # VACUUM cannot run in a transaction (the bench's own test runs in one).
            vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            cursor.execute(f"{vacuum} evaluation_dossier")
    result = {
        "dossiers": created,
        "created": created,
        "latest_scored_corrected": corrected,
        "seconds": round(time.perf_counter() - started, 1),
    }
    Path(args.out).write_text(json.dumps(result))


def cmd_pages(args) -> None:
    from django.conf import settings

    from core.content import public_content_changed

    # The cache (Redis or var/bench/runtime/cache) outlives this database: nothing another
    # database's run kept (pages, map grids, dashboard figures) may be read here.
    public_content_changed()

    settings.ALLOWED_HOSTS = ["*"]
    office, officer, commune = _users()
    out: dict = {"commune": commune.code, "pages": {}}
    clients = {"office": Client(), "officer": Client(), "anonymous": Client()}
    clients["office"].force_login(office, backend=MODEL_BACKEND)
    clients["officer"].force_login(officer, backend=MODEL_BACKEND)
    measured = [(who, name, path) for name, path, whos in staff_pages(commune) + map_pages() for who in whos]
    for who, name, path in measured:
        r = _time(clients[who], path, args.repeat, args.budget) | {"path": path}
        out["pages"][f"{name}@{who}"] = r
        print(
            f"    {name}@{who}: {r.get('ms', r['first_ms'])} ms ({r['status']}, {r['queries']} q)", flush=True
        )
    Path(args.out).write_text(json.dumps(out, indent=2))


EXPORTS = {
    "export_products": "",
    "export_producers": "",
    "standard_report_pdf": "valid=1",
}


def _size(name: str) -> int:
    from jobs.storage import jobs_dir

    path = jobs_dir() / name if name else None
    return path.stat().st_size if path and path.exists() else 0


def cmd_export(args) -> None:
    from django.utils import timezone

    from jobs.models import Job
    from jobs.runner import job_run

    office, _, _ = _users()
    before = rss_mb()
    job = Job.objects.create(
        kind=args.kind,
        params={"query": args.query if args.query is not None else EXPORTS.get(args.kind, "")},
        created_by=office,
        language="vi",
        heartbeat_at=timezone.now(),
    )
    sampler = PeakSampler()
    sampler.start()
    started = time.perf_counter()
    job_run(job.pk)
    seconds = time.perf_counter() - started
    sampler.done.set()
    sampler.join()
    job.refresh_from_db()
    result = {
        "kind": args.kind,
        "status": job.status,
        "error": job.error or "",
        "seconds": round(seconds, 2),
        "rows": (job.report or {}).get("rows"),
        "rss_before_mb": round(before, 1),
        "peak_rss_mb": round(rss_mb(), 1),  # with the pages of a memory-mapped SQLite file
        "peak_anon_mb": round(max(sampler.peak, anon_mb()), 1),
        "bytes": _size(job.result_file),
        "download": bool(job.result_file),
    }
    Path(args.out).write_text(json.dumps(result, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.staff_probe")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pages")
    p.add_argument("out")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--budget", type=float, default=2.0, help="seconds of timed requests per page at most")
    p.set_defaults(func=cmd_pages)
    p = sub.add_parser("dossiers")
    p.add_argument("out")
    p.set_defaults(func=cmd_dossiers)
    p = sub.add_parser("export")
    p.add_argument("kind", choices=sorted(EXPORTS))
    p.add_argument("out")
    p.add_argument("--query", default=None)
    p.set_defaults(func=cmd_export)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
