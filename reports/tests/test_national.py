"""The exchange with the national OCOP database (issue 17 point 7): the dry run lists every
certified product with the required fields it lacks, the Excel job writes the documented layout,
and only the provincial office may use either."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from certificates.models import Certificate
from jobs.testing import job_file
from producers.models import Producer
from products.models import Product
from reports import national
from reports.selectors import figures, province_scope
from reports.tests.helpers import build_world, certify, make_product, months_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(users, communes):
    w = build_world(users, communes)
    # One complete row: its producer has an address, its certificate a decision.
    Producer.objects.filter(pk=users["own_producer"].pk).update(address="thôn Quán Thanh, xã Chi Lăng")
    Certificate.objects.filter(product=w["valid4"], is_current=True).update(
        decision_number="2150/QĐ-UBND", decision_date=months_ago(12)
    )
    return w


def test_dry_run_lists_every_certified_product_and_flags_missing_fields(users, world):
    report = national.dry_run(users["office"])
    certified = figures(province_scope()).certified
    assert report.products == certified == len(report.rows) == 5
    names = {r.product_name for r in report.rows}
    assert names == {
        "Na dai Chi Lăng",
        "Rau bò khai Chi Lăng",
        "Mật ong Chi Lăng",
        "Thạch đen Thất Khê",
        "Trám đen Thất Khê",
    }
    by_name = {r.product_name: r for r in report.rows}
    assert by_name["Na dai Chi Lăng"].missing == []
    # Other rows of the same producer lack only the decision; the other producer has no address.
    assert by_name["Rau bò khai Chi Lăng"].missing == ["decision_number", "decision_date"]
    assert by_name["Thạch đen Thất Khê"].missing == ["decision_number", "decision_date", "address"]
    assert by_name["Thạch đen Thất Khê"].missing_titles == [
        "Số quyết định công nhận",
        "Ngày quyết định",
        "Địa chỉ",
    ]
    assert report.rows_with_missing == 4 and report.ready == 1
    assert report.missing_by_field["address"] == 2 and report.missing_by_field["tax_code"] == 0
    assert report.producers == 2
    # Every certificate the certified products held, the superseded one of "Mật ong" too.
    assert report.certificates == 6


def test_records_carry_the_new_unit_codes_and_the_decision(users, world):
    records = {r["product_name"]: r for r in national.product_records(users["office"])}
    na = records["Na dai Chi Lăng"]
    assert na["commune_code"] == users["chi_lang"].code and na["province_code"] == "20"
    assert (na["group_code"], na["subgroup_code"], na["stars"]) == ("I", "I.1.a", 4)
    assert (
        na["decision_number"] == "2150/QĐ-UBND" and na["tax_code"] == users["own_producer"].registration_code
    )
    assert na["public_url"].endswith(reverse("catalogue:product", args=[world["valid4"].slug]))
    assert set(na) == {f.key for f in national.PRODUCT_FIELDS}
    # A product without its own commune: the producer's unit.
    assert records["Trám đen Thất Khê"]["commune_code"] == users["foreign_producer"].commune.code


def test_a_product_without_producer_is_flagged_not_dropped(users, world):
    orphan = make_product(users, "Hồng không chủ", producer=None, commune=users["chi_lang"])
    certify(users, orphan, 3, months_ago(1))
    row = next(r for r in national.dry_run(users["office"]).rows if r.product_name == "Hồng không chủ")
    assert {"producer_code", "producer_name", "tax_code", "address"} <= set(row.missing)


def test_page_and_excel_for_the_office_only(client, users, world):
    client.force_login(users["office"])
    page = client.get(reverse("reports:national"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Trám đen Thất Khê" in html and "Số quyết định công nhận" in html
    data = job_file(client, reverse("reports:national_xlsx"))
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Sản phẩm", "Chủ thể", "Giấy chứng nhận", "Kiểm tra", "Bố cục"]
    products = list(book["Sản phẩm"].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(products) if row[0] and "(product_code)" in str(row[0]))
    assert [str(c).rsplit("(", 1)[1].rstrip(")") for c in products[header]] == [
        f.key for f in national.PRODUCT_FIELDS
    ]
    assert len([r for r in products[header + 1 :] if r[0]]) == 5
    checks = [
        r
        for r in book["Kiểm tra"].iter_rows(values_only=True)
        if r[0] and r[0] in set(Product.objects.values_list("slug", flat=True))
    ]
    assert len(checks) == 4
    for name in ("officer", "council", "producer"):
        client.force_login(users[name])
        assert client.get(reverse("reports:national")).status_code == 403
        assert client.get(reverse("reports:national_xlsx")).status_code == 403
