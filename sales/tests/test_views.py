"""Permissions (a URL matrix), the month form, the trend page, the exports."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from sales.models import SalesRecord
from sales.months import format_month, this_month

pytestmark = pytest.mark.django_db

SECRET_AMOUNT = "1.800.000"  # February, Shopee, of the producer account's own product


def producer_urls(producer):
    return [
        reverse("sales:producer", args=[producer.pk]),
        reverse("sales:entry", args=[producer.pk]),
        reverse("sales:producer_export", args=[producer.pk]),
    ]


@pytest.mark.parametrize(
    ("role", "target", "allowed"),
    [
        ("producer", "producer_account_of", True),
        ("producer", "own_producer", False),
        ("producer", "foreign_producer", False),
        ("officer", "producer_account_of", True),
        ("officer", "own_producer", True),
        ("officer", "foreign_producer", False),
        ("office", "foreign_producer", True),
        ("council", "producer_account_of", False),
        ("nobody", "producer_account_of", False),
    ],
)
def test_producer_pages_matrix(client, users, sales_data, role, target, allowed):
    client.force_login(users[role])
    for url in producer_urls(users[target]):
        response = client.get(url)
        assert response.status_code == (200 if allowed else 403), url
        if not allowed:
            assert users[target].name.encode() not in response.content


def test_anonymous_goes_to_login(client, users, sales_data):
    urls = [reverse("sales:index"), reverse("sales:export"), reverse("sales:producer_index")]
    urls += producer_urls(users["producer_account_of"])
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"], url


def test_producer_sees_only_its_own_figures(client, users, sales_data):
    client.force_login(users["producer"])
    response = client.get(reverse("sales:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("sales:producer", args=[users["producer_account_of"].pk])
    body = client.get(response["Location"] + f"?nam={sales_data['year']}").content.decode()
    assert "Xúc xích Sầm Thu" in body and SECRET_AMOUNT in body
    assert "Na dai Chi Lăng" not in body and "Thạch đen Thất Khê" not in body
    # province aggregates and the producer list are not for producers
    assert client.get(reverse("sales:export")).status_code == 403
    assert client.get(reverse("sales:producer_index")).status_code == 403
    # posting figures for another producer is refused and writes nothing
    before = SalesRecord.objects.count()
    foreign = users["foreign_producer"]
    response = client.post(reverse("sales:entry", args=[foreign.pk]), {"month": "01/2026"})
    assert response.status_code == 403 and SalesRecord.objects.count() == before


def test_council_reads_aggregates_only(client, users, sales_data):
    client.force_login(users["council"])
    body = client.get(reverse("sales:index"), {"nam": sales_data["year"]}).content.decode()
    assert "19.000.000" in body  # province revenue of the year
    assert "Nhập số liệu theo chủ thể" not in body
    assert client.get(reverse("sales:producer_index")).status_code == 403


def test_officer_aggregates_are_limited_to_its_communes(client, users, sales_data):
    client.force_login(users["officer"])
    body = client.get(reverse("sales:index"), {"nam": sales_data["year"]}).content.decode()
    assert "10.000.000" in body and "19.000.000" not in body and "Xuất khẩu" not in body
    listing = client.get(reverse("sales:producer_index")).content.decode()
    assert users["own_producer"].name in listing and users["foreign_producer"].name not in listing


def entry_post(client, producer, month, cells):
    data = {"month": month}
    for (product, channel, field), value in cells.items():
        data[f"p{product.pk}-{channel}-{field}"] = value
    return client.post(reverse("sales:entry", args=[producer.pk]), data)


def test_month_form_saves_reopens_updates_and_clears(client, users, sales_data):
    client.force_login(users["producer"])
    producer, product = users["producer_account_of"], sales_data["mine"]
    month = format_month(sales_data["jan"])
    response = entry_post(
        client,
        producer,
        month,
        {
            (product, "shopee", "units"): "11",
            (product, "shopee", "revenue"): "1.650.000",
            (product, "lazada", "units"): "3",
            (product, "lazada", "revenue"): "450000 đ",
            (product, "own_shop", "units"): "",
            (product, "own_shop", "revenue"): "",
        },
    )
    assert response.status_code == 302
    saved = {
        r.channel: (r.units, r.revenue)
        for r in SalesRecord.objects.filter(product=product, month=sales_data["jan"])
    }
    # Shopee updated, Lazada created, the cleared own-shop cell deleted
    assert saved == {"shopee": (11, 1_650_000), "lazada": (3, 450_000)}
    page = client.get(response["Location"]).content.decode()
    assert 'value="1.650.000"' in page and 'value="450.000"' in page
    assert "Đã lưu số liệu tháng" in page
    record = SalesRecord.objects.get(product=product, month=sales_data["jan"], channel="shopee")
    assert record.history.first().history_user == users["producer"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "Xúc xích Sầm Thu – Shopee – Số lượng: Không được là số âm."),
        ("mười", "Xúc xích Sầm Thu – Shopee – Số lượng: Phải là một số, ví dụ 1.250.000."),
        ("2,5", "Xúc xích Sầm Thu – Shopee – Số lượng: Phải là số nguyên, không có phần lẻ."),
    ],
)
def test_bad_numbers_are_refused_per_field_and_nothing_is_written(client, users, sales_data, value, message):
    client.force_login(users["producer"])
    producer, product = users["producer_account_of"], sales_data["mine"]
    before = list(SalesRecord.objects.order_by("pk").values_list("pk", "units", "revenue"))
    response = entry_post(
        client,
        producer,
        format_month(sales_data["jan"]),
        {
            (product, "shopee", "units"): value,
            (product, "shopee", "revenue"): "100000",
            (product, "zalo", "units"): "4",  # a good cell next to the bad one is not saved either
            (product, "zalo", "revenue"): "abc",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "Xúc xích Sầm Thu – Zalo – Doanh thu (đồng): Phải là một số" in body
    assert 'aria-invalid="true"' in body
    assert list(SalesRecord.objects.order_by("pk").values_list("pk", "units", "revenue")) == before


def test_future_month_is_refused(client, users, sales_data):
    client.force_login(users["producer"])
    producer, product = users["producer_account_of"], sales_data["mine"]
    future = format_month(sales_data["future"])
    before = SalesRecord.objects.count()
    response = entry_post(
        client, producer, future, {(product, "shopee", "units"): "1", (product, "shopee", "revenue"): "1000"}
    )
    assert response.status_code == 200
    assert f"Tháng {future} chưa đến" in response.content.decode()
    assert SalesRecord.objects.count() == before
    page = client.get(reverse("sales:entry", args=[producer.pk]), {"thang": future}).content.decode()
    assert f"Tháng {future} chưa đến" in page and 'name="p' not in page


def test_entry_form_lists_every_product_and_channel(client, users, sales_data):
    client.force_login(users["officer"])
    producer = users["producer_account_of"]
    body = client.get(reverse("sales:entry", args=[producer.pk])).content.decode()
    assert f"Số liệu tiêu thụ tháng {format_month(this_month())}" in body
    for label in (
        "Shopee",
        "TikTok Shop",
        "Lazada",
        "Zalo",
        "Facebook",
        "Cửa hàng riêng",
        "Siêu thị",
        "Xuất khẩu",
    ):
        assert f"Xúc xích Sầm Thu – {label} – Số lượng" in body
    assert 'inputmode="numeric"' in body


def test_exports_open_with_vietnamese_headers(client, users, sales_data):
    client.force_login(users["office"])
    response = client.get(reverse("sales:export"), {"nam": sales_data["year"]})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == [
        "Tổng hợp",
        "Theo kênh bán",
        "Theo nhóm sản phẩm",
        "Theo xã, phường",
        "Theo tháng",
    ]
    channels = book["Theo kênh bán"]
    assert [c.value for c in channels[2]] == [
        "STT",
        "Kênh bán",
        "Số lượng",
        "Doanh thu (đồng)",
        "Tỷ trọng doanh thu (%)",
    ]
    total_row = channels[channels.max_row]
    assert total_row[1].value == "Tổng cộng" and total_row[3].value == 19_000_000
    assert total_row[3].number_format == "#,##0"
    months = book["Theo tháng"]
    assert months.cell(row=3, column=1).value.date() == dt.date(sales_data["year"], 1, 1)
    assert months.cell(row=3, column=1).number_format == "mm/yyyy"

    client.force_login(users["producer"])
    response = client.get(reverse("sales:producer_export", args=[users["producer_account_of"].pk]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["Theo tháng", "Theo kênh bán", "Theo sản phẩm", "Tháng × kênh"]
    assert [c.value for c in book["Theo sản phẩm"][2]][:3] == ["Sản phẩm", "Số lượng", "Doanh thu (đồng)"]


def test_list_pages_run_a_constant_number_of_queries(client, users, sales_data, many_producers):
    client.force_login(users["office"])

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    urls = [
        reverse("sales:producer_index"),
        reverse("sales:index"),
        reverse("sales:producer", args=[users["own_producer"].pk]),
    ]
    few = [count(u) for u in urls]
    many_producers(12)
    assert [count(u) for u in urls] == few


def test_htmx_gets_only_the_producer_rows(client, users):
    client.force_login(users["office"])
    partial = client.get(reverse("sales:producer_index"), headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b"<table" in partial.content
