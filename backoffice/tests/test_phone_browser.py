"""The back-office on a phone (390×844, real chromium): the menu folds behind a button and opens,
shows the role's modules only, and list pages fit the screen (no sideways scrolling of the page;
table cells carry their column's name)."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from core.testing.browser import fill_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
# Against the phone's width, not innerWidth: a mobile browser zooms out to fit wider content.
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= 390"


@pytest.fixture
def reference(django_db_blocker):
    # transaction=True tests flush the database: load the reference data again.
    from django.core.management import call_command

    with django_db_blocker.unblock(), open("/dev/null", "w") as quiet:
        call_command("load_reference", stdout=quiet)


@pytest.fixture
def data(reference):
    from django.utils import timezone

    from certificates.services import certificate_issue
    from core.testing import ProductFactory, make_users
    from geo.models import Commune

    users = make_users({c.code: c for c in Commune.objects.all()})
    today = timezone.localdate()
    for n in range(3):
        product = ProductFactory(
            producer=users["producer_account_of"],
            name=f"Lạp sườn hun khói gác bếp truyền thống Sầm Thu loại đặc biệt số {n}",
        )
        certificate_issue(
            product, stars=3 + n % 2, issued_on=today - dt.timedelta(days=400), actor=users["office"]
        )
    return users


def login(page, url, username):
    page.goto(url)
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))
    fill_login(page, username)


def test_office_opens_the_menu_and_a_list_on_a_phone(new_context, live_server, data):
    page = new_context(**PHONE).new_page()
    login(page, f"{live_server.url}/quan-ly/", "office")
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()
    menu = page.locator("#menu")
    certificates = menu.get_by_role("link", name="Giấy chứng nhận", exact=True)
    expect(certificates).to_be_hidden()  # folded behind the button
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    page.get_by_text("Danh mục chức năng").click()
    expect(certificates).to_be_visible()
    expect(menu.get_by_role("link", name="Kiểm tra sau công nhận")).to_be_visible()
    certificates.click()
    expect(page.get_by_role("heading", name="Giấy chứng nhận OCOP")).to_be_visible()
    expect(page.locator("#results")).to_contain_text("Lạp sườn hun khói")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    # The table became cards: the header row is gone, each cell names its column.
    expect(page.locator("#results thead")).to_be_hidden()
    label = page.evaluate(
        "getComputedStyle(document.querySelector('#results td[data-label]'), '::before').content"
    )
    assert label == '"Sản phẩm: "'
    expect(menu.get_by_role("link", name="Giấy chứng nhận", exact=True)).to_be_hidden()  # folded again

    page.goto(f"{live_server.url}/quan-ly/danh-gia/tu-van/")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.goto(f"{live_server.url}/quan-ly/kiem-tra/")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    # The check itself can fail: anything wider than the screen makes the page scroll sideways.
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<div style=\"width:600px\">x</div>')"
    )
    assert not page.evaluate(NO_SIDEWAYS_SCROLL)


def test_producer_menu_shows_its_modules_only_and_works_without_javascript(new_context, live_server, data):
    page = new_context(**PHONE, java_script_enabled=False).new_page()
    login(page, f"{live_server.url}/quan-ly/", "producer")
    # Without JavaScript the menu is served open: every entry of the role is reachable.
    menu = page.locator("#menu")
    expect(menu.get_by_role("link", name="Sản phẩm", exact=True)).to_be_visible()
    expect(menu.get_by_role("link", name="Tiêu thụ")).to_be_visible()
    expect(menu.get_by_role("link", name="Kiểm tra sau công nhận")).to_have_count(0)
    expect(menu.get_by_role("link", name="Địa chỉ cũ")).to_have_count(0)
    expect(menu.get_by_role("link", name="Quản trị hệ thống")).to_have_count(0)
    menu.get_by_role("link", name="Giấy chứng nhận", exact=True).click()
    expect(page.locator("#results")).to_contain_text("Lạp sườn hun khói")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
