"""Real browser (Debian chromium through pytest-playwright) against a live server: the province's
list on the upload page, on a phone."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from core.testing.browser import fill_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference(django_db_blocker):
    from django.core.management import call_command

    with django_db_blocker.unblock(), open("/dev/null", "w") as quiet:
        call_command("load_reference", stdout=quiet)


def test_the_province_list_previews_and_imports_on_a_phone(
    page: Page, live_server, reference, settings, tmp_path
):
    from core.testing import make_users
    from geo.models import Commune
    from products.models import Product
    from reports.tests.test_import_province import full_list

    settings.OCOP_IMPORT_DIR = tmp_path / "imports"
    make_users({c.code: c for c in Commune.objects.all()})
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(full_list())
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/quan-ly/")
    fill_login(page, "office")
    page.goto(live_server.url + reverse("reports:import"))
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_role("button", name="Xem trước").click()
    expect(page.get_by_text("Quyết định ghi ở tiêu đề: số 2150/QĐ-UBND")).to_be_visible(timeout=20000)
    expect(page.get_by_text("tên cũ trùng nhiều nơi")).to_be_attached()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name=re.compile("Xác nhận nhập 9 dòng")).click()
    expect(page.get_by_text("Sản phẩm: 9 thêm mới", exact=False)).to_be_visible(timeout=20000)
    assert Product.objects.public().filter(name="Miến dong Bình Gia").exists()
