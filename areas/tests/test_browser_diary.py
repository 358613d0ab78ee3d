"""A producer keeps the production diary on a phone (390×844, real chromium): one screen per entry,
a bad harvest refused on its fields, a harvest inside a spray's pre-harvest interval flagged."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from core.testing.browser import fill_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("areas.tests.urls"),
]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def season(django_db_blocker):
    from django.core.management import call_command
    from django.utils import timezone

    from areas.services import area_create, season_create
    from areas.tests.shapes import small_square
    from core.testing import make_users
    from geo.models import Commune

    with django_db_blocker.unblock(), open("/dev/null", "w") as quiet:
        call_command("load_reference", stdout=quiet)
    users = make_users({c.code: c for c in Commune.objects.all()})
    area = area_create(
        actor=users["office"],
        name="Vùng na Hữu Lũng",
        kind="crop",
        crop="Na",
        declared_ha=4,
        commune=users["chi_lang"],
        geometry=small_square(106.70, 21.85),
        producers=[users["producer_account_of"]],
        growing_area_code="VN-LSON-0009",
    )
    return season_create(
        area,
        actor=users["office"],
        name="Vụ na 2026",
        start_date=timezone.localdate() - dt.timedelta(days=60),
    )


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_producer_records_a_spray_and_a_harvest_on_a_phone(new_context, live_server, season):
    from django.utils import timezone

    today = timezone.localdate()
    page = new_context(**PHONE).new_page()
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(live_server.url) else route.abort(),
    )
    page.goto(f"{live_server.url}/quan-ly/vung-nguyen-lieu/{season.area_id}/vu/{season.pk}/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))
    fill_login(page, "producer")
    expect(page.get_by_role("heading", name="Vụ na 2026")).to_be_visible()
    fits_the_phone(page)

    # A spray: one screen with the product, its active ingredient, dose and interval.
    page.get_by_role("link", name="Phun thuốc BVTV/thuốc thú y").click()
    expect(page.get_by_role("heading", name="Phun thuốc BVTV/thuốc thú y")).to_be_visible()
    expect(page.locator("#id_quantity")).to_have_attribute("inputmode", "decimal")
    fits_the_phone(page)
    page.locator("#id_date").fill((today - dt.timedelta(days=3)).isoformat())
    page.get_by_label("Tên thuốc").fill("Radiant 60SC")
    page.get_by_label("Hoạt chất").fill("Spinetoram")
    page.get_by_label("Liều lượng").fill("20 ml/bình 16 lít")
    page.get_by_label("Thời gian cách ly (ngày)").fill("7")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".diary-entry")).to_have_count(1)
    expect(page.locator(".diary-entry")).to_contain_text("Radiant 60SC")

    # A harvest in the future with a negative quantity: refused, each field named, nothing saved.
    page.get_by_role("link", name="Thu hoạch").click()
    page.locator("#id_date").fill((today + dt.timedelta(days=1)).isoformat())
    page.get_by_label("Sản lượng").fill("-5")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Ngày thu hoạch: Ngày không được ở tương lai")).to_be_visible()
    expect(page.get_by_text("Sản lượng: Số lượng không được âm.")).to_be_visible()
    fits_the_phone(page)

    # Today, inside the 7-day interval: saved and flagged on both lines.
    page.locator("#id_date").fill(today.isoformat())
    page.get_by_label("Sản lượng").fill("1.250,5")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".diary-entry")).to_have_count(2)
    expect(page.locator(".diary-entry .diary-warning")).to_have_count(2)
    expect(page.locator(".diary-entry").first).to_contain_text("1.250,5 kg")
    fits_the_phone(page)
    page.screenshot(path="/tmp/areas16-diary-390.png", full_page=True)
