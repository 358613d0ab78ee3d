"""A producer enters a month's sales on a phone (390×844) and sees its trend (real chromium)."""

import re

import pytest
from playwright.sync_api import expect

from core.testing.browser import fill_login
from sales.months import add_months, format_month, this_month

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference(django_db_blocker):
    # transaction=True tests flush the database: load the reference data again.
    from django.core.management import call_command

    with django_db_blocker.unblock(), open("/dev/null", "w") as quiet:
        call_command("load_reference", stdout=quiet)


def test_producer_enters_a_month_on_a_phone_and_sees_its_trend(new_context, live_server, reference):
    from core.testing import ProductFactory, make_users
    from geo.models import Commune
    from sales.models import SalesRecord

    users = make_users({c.code: c for c in Commune.objects.all()})
    producer = users["producer_account_of"]
    ProductFactory(producer=producer, name="Xúc xích Sầm Thu")
    ProductFactory(producer=producer, name="Lạp sườn Sầm Thu")
    ProductFactory(producer=users["foreign_producer"], name="Thạch đen Thất Khê")
    month = this_month()
    previous = add_months(month, -1)

    context = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/quan-ly/tieu-thu/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))
    fill_login(page, "producer")
    expect(page.get_by_role("heading", name=re.compile("Tiêu thụ sản phẩm"))).to_be_visible()

    # Open last month with the month picker.
    page.get_by_role("link", name=f"Nhập số liệu tháng {format_month(month)}").click()
    page.get_by_label("Tháng (mm/yyyy)").fill(format_month(previous))
    page.get_by_role("button", name="Mở", exact=True).click()
    expect(
        page.get_by_role("heading", name=f"Số liệu tiêu thụ tháng {format_month(previous)}", exact=False)
    ).to_be_visible()
    expect(page.get_by_label("Thạch đen Thất Khê – Shopee – Số lượng")).to_have_count(0)

    # A negative number and text are refused, naming product, channel and field; nothing is saved.
    page.get_by_label("Xúc xích Sầm Thu – Shopee – Số lượng").fill("12")
    page.get_by_label("Xúc xích Sầm Thu – Shopee – Doanh thu (đồng)").fill("1.800.000")
    page.get_by_label("Xúc xích Sầm Thu – Zalo – Doanh thu (đồng)").fill("-50000")
    page.get_by_label("Lạp sườn Sầm Thu – Cửa hàng riêng – Số lượng").fill("năm")
    page.get_by_role("button", name=f"Lưu số liệu tháng {format_month(previous)}").click()
    summary = page.get_by_role("alert").filter(has_text="Chưa lưu")
    expect(summary).to_contain_text("Xúc xích Sầm Thu – Zalo – Doanh thu (đồng): Không được là số âm.")
    expect(summary).to_contain_text("Lạp sườn Sầm Thu – Cửa hàng riêng – Số lượng: Phải là một số")
    assert SalesRecord.objects.count() == 0
    # The values typed are kept; fix the two cells and save.
    expect(page.get_by_label("Xúc xích Sầm Thu – Shopee – Doanh thu (đồng)")).to_have_value("1.800.000")
    page.get_by_label("Xúc xích Sầm Thu – Zalo – Doanh thu (đồng)").fill("50000")
    page.get_by_label("Xúc xích Sầm Thu – Zalo – Số lượng").fill("1")
    page.get_by_label("Lạp sườn Sầm Thu – Cửa hàng riêng – Số lượng").fill("5")
    page.get_by_label("Lạp sườn Sầm Thu – Cửa hàng riêng – Doanh thu (đồng)").fill("600000")
    page.get_by_role("button", name=f"Lưu số liệu tháng {format_month(previous)}").click()
    expect(page.get_by_text(f"Đã lưu số liệu tháng {format_month(previous)}")).to_be_visible()
    expect(page.get_by_label("Xúc xích Sầm Thu – Shopee – Doanh thu (đồng)")).to_have_value("1.800.000")
    assert SalesRecord.objects.count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # The trend: the month's total in the table, and the chart drawn.
    page.get_by_role("link", name="Xem xu hướng").click()
    table = page.locator("#trend-table")
    row = table.get_by_role("row").filter(has_text=format_month(previous))
    expect(row).to_contain_text("2.450.000")
    expect(table.locator("tfoot")).to_contain_text("2.450.000")
    expect(page.get_by_role("img", name="Biểu đồ doanh thu theo tháng")).to_be_visible()
    canvas = "document.querySelector('canvas[data-chart-source=chart-trend]')"
    page.wait_for_function(f"() => window.Chart && Chart.getChart({canvas})")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.locator("body")).not_to_contain_text("Thạch đen Thất Khê")
    context.close()
