"""bench/staff.py on a tiny dataset, in-process: every staff page answers for the office and
the commune officer, the exports run as jobs, and the targets are judged and printed."""

import datetime as dt
import json
from argparse import Namespace

import pytest

from certificates.services import certificate_issue
from core.testing import ProducerFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny(users, communes):
    for i in range(6):
        producer = ProducerFactory(name=f"HTX Thử {i}", commune=communes["06463"])
        product = ProductFactory(name=f"Thạch đen {i}", producer=producer)
        certificate_issue(
            product,
            stars=3 + i % 3,
            issued_on=dt.date(2025, 1, 1 + i),
            actor=users["office"],
            check_perm=False,
        )


def test_staff_probe_measures_every_page_and_the_bench_judges_them(tiny, tmp_path, settings, capsys):
    from bench import staff, staff_probe

    settings.ALLOWED_HOSTS = ["testserver"]
    staff_probe.cmd_dossiers(Namespace(out=tmp_path / "dossiers.json"))
    assert json.loads((tmp_path / "dossiers.json").read_text())["dossiers"] == 6 + 1  # one open
    staff_probe.cmd_pages(Namespace(out=tmp_path / "pages.json", repeat=1, budget=0.1))
    pages = json.loads((tmp_path / "pages.json").read_text())["pages"]
    assert {key: page["status"] for key, page in pages.items() if page["status"] != 200} == {}
    assert {"products_middle@office", "dashboard@officer", "map_data_street@anonymous"} <= set(pages)
    assert all(page["ms"] > 0 and page["queries"] > 0 for page in pages.values())

    exports = {}
    for kind in staff.EXPORT_KINDS:
        staff_probe.cmd_export(Namespace(kind=kind, out=tmp_path / f"{kind}.json", query=None))
        exports[kind] = json.loads((tmp_path / f"{kind}.json").read_text())
    assert exports["export_products"]["status"] == "succeeded"
    assert exports["export_products"]["rows"] == 6 and exports["export_products"]["download"]
    assert exports["standard_report_pdf"]["status"] == "succeeded"
    assert exports["export_products"]["peak_anon_mb"] > 0

    staff_data = {"pages": pages, "exports": exports}
    results = [
        {"db": "sqlite", "products": 6, "staff": staff_data},
        {"db": "sqlite", "products": 60, "staff": staff_data},
    ]
    checks = staff.evaluate(results)
    assert len(checks) == 2 * (len(pages) + 3 + 2)  # each page, 3 map sizes, the two exports
    assert staff.ratios(results)["sqlite"]["products@office"] == 1.0
    staff.print_report(results)
    printed = capsys.readouterr().out
    assert "staff targets:" in printed and "product export (job)" in printed
