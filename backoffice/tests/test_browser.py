"""Real browser (Debian chromium through pytest-playwright) against a live server."""

import re

import pytest
from playwright.sync_api import Page, expect

from core.testing import valid_tax_code
from core.testing.browser import fill_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference(django_db_blocker):
    # transaction=True tests flush the database: load the reference data again.
    from django.core.management import call_command

    with django_db_blocker.unblock(), open("/dev/null", "w") as quiet:
        call_command("load_reference", stdout=quiet)


def test_commune_officer_registers_producer_and_product(page: Page, live_server, reference):
    from core.testing import make_users
    from geo.models import Commune

    users = make_users({c.code: c for c in Commune.objects.all()})
    foreign = users["foreign_producer"]

    page.goto(f"{live_server.url}/quan-ly/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))
    fill_login(page, "officer")
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()

    page.get_by_role("link", name="Chủ thể", exact=True).click()
    page.get_by_role("link", name="Thêm chủ thể").click()
    page.get_by_label("Tên chủ thể").fill("HTX Hồi Chi Lăng")
    page.get_by_label("Loại hình").select_option("htx")
    # A wrong check digit first: the form names the field and keeps the input.
    page.get_by_label("Mã số đăng ký/mã số thuế").fill("0300588568")
    page.get_by_label("Xã/phường").select_option(label="Xã Chi Lăng")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("sai chữ số kiểm tra")).to_be_visible()
    page.get_by_label("Mã số đăng ký/mã số thuế").fill(valid_tax_code(99))
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", name="HTX Hồi Chi Lăng")).to_be_visible()

    page.get_by_role("link", name="Thêm sản phẩm").click()
    page.get_by_label("Tên sản phẩm").fill("Tinh dầu hồi Chi Lăng")
    page.get_by_label("Phân nhóm").select_option(label="III.3 – Tinh dầu và dược liệu khác")
    page.get_by_label("Trạng thái").select_option("active")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", name="Tinh dầu hồi Chi Lăng")).to_be_visible()

    page.get_by_role("link", name="Sản phẩm", exact=True).click()
    page.get_by_label("Tìm kiếm").fill("tinh dau hoi")
    expect(page.locator("#results")).to_contain_text("Tinh dầu hồi Chi Lăng")
    page.get_by_role("link", name="Chủ thể", exact=True).click()
    expect(page.locator("#results")).to_contain_text("HTX Hồi Chi Lăng")
    expect(page.locator("#results")).not_to_contain_text(foreign.name)

    response = page.goto(f"{live_server.url}/quan-ly/chu-the/{foreign.pk}/")
    assert response.status == 403
    expect(page.locator("body")).not_to_contain_text(foreign.name)
