"""The public portal in a real browser (Debian chromium through pytest-playwright).

Offline-safe: every request that leaves the live server is aborted (map tiles included) and
recorded, so the tests also prove that no page loads anything from elsewhere."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOOPBACK = {"localhost", "127.0.0.1"}


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    """As in production: anonymous pages come from the public page cache once seen."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def catalogue_data(django_db_blocker):
    """transaction=True tests flush the database: load the reference data again, then a
    small catalogue made through the services."""
    from django.core.management import call_command

    from catalogue.tests.helpers import leaf, years_ago
    from certificates.services import certificate_issue
    from core.testing import ProducerFactory, make_users
    from geo.models import Commune
    from products.services import product_create

    with django_db_blocker.unblock():
        with open("/dev/null", "w") as quiet:
            call_command("load_reference", stdout=quiet)
        communes = {c.code: c for c in Commune.objects.all()}
        users = make_users(communes)
        that_khe = ProducerFactory(name="HTX Thạch đen Tràng Định", commune=communes["06046"])
        bac_son = ProducerFactory(name="HTX Nông sản Bắc Sơn", commune=communes["06325"])

        def product(name, producer, code, stars=None, issued_on=None):
            made = product_create(
                actor=users["office"],
                name=name,
                producer=producer,
                category=leaf(code),
                commune=producer.commune,
                status="active",
            )
            certificate = None
            if stars:
                certificate = certificate_issue(
                    made,
                    stars=stars,
                    issued_on=issued_on or years_ago(0.5),
                    actor=users["office"],
                    check_perm=False,
                    decision_number="999/QĐ-UBND",
                    decision_date=issued_on or years_ago(0.5),
                )
            return made, certificate

        thach, thach_certificate = product("Thạch đen Tràng Định", that_khe, "I.3.c", stars=4)
        quyt, _ = product("Quýt vàng Bắc Sơn", bac_son, "I.1.a", stars=3)
        old, old_certificate = product(
            "Hồng không hạt Bảo Lâm", bac_son, "I.1.a", stars=3, issued_on=years_ago(3.5)
        )
        product("Na dai Chi Lăng", users["own_producer"], "I.1.a", stars=4)
    return {
        "thach": thach,
        "quyt": quyt,
        "valid_code": thach_certificate.public_code,
        "expired_code": old_certificate.public_code,
    }


@pytest.fixture
def requested_hosts(page: Page, live_server):
    """Records every request's host; aborts those leaving the live server."""
    hosts: list[str] = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).hostname or ""))
    own = urlsplit(live_server.url).netloc
    page.route(
        "**/*",
        lambda route: route.continue_() if urlsplit(route.request.url).netloc == own else route.abort(),
    )
    return hosts


def test_search_without_diacritics_finds_the_product(
    page: Page, live_server, catalogue_data, requested_hosts
):
    page.goto(f"{live_server.url}/san-pham/")
    # Valid certificates only, until the visible switch shows the lapsed one too (marked so).
    expect(page.locator("#results .pcard")).to_have_count(3)
    page.get_by_label("Hiện cả sản phẩm hết hiệu lực hoặc chưa có chứng nhận").check()
    expect(page.locator("#results .pcard")).to_have_count(4)
    expect(page.locator("#results")).to_contain_text("Hết hiệu lực")
    expect(page).to_have_url(re.compile(r"lapsed=on"))
    page.goto(f"{live_server.url}/san-pham/")
    page.get_by_label("Tìm sản phẩm (gõ có dấu hoặc không dấu)").fill("thach den trang dinh")
    # htmx updates the results in place as one types, and puts the state in the URL
    expect(page.locator("#results .pcard")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Thạch đen Tràng Định")
    expect(page).to_have_url(re.compile(r"/san-pham/\?q=thach(\+|%20)den(\+|%20)trang(\+|%20)dinh$"))
    # a one-letter typo still finds it
    page.get_by_label("Tìm sản phẩm (gõ có dấu hoặc không dấu)").fill("thach dne")
    expect(page.locator("#results .pcard")).to_have_count(1)
    page.locator("#results .pcard-name a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thạch đen Tràng Định")


def test_filters_narrow_the_results(page: Page, live_server, catalogue_data, requested_hosts):
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the filters start folded
    page.goto(f"{live_server.url}/san-pham/")
    expect(page.locator("#results .pcard")).to_have_count(3)
    # Nothing widens the page past the phone (the switch's long label wraps).
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#filter-panel summary").click()
    page.get_by_label("4 sao").check()
    expect(page.locator("#results .pcard")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"stars=4"))
    page.get_by_label("Xã, phường").select_option(label="Xã Tràng Định")
    expect(page.locator("#results .pcard")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Thạch đen Tràng Định")
    expect(page.locator("#result-summary")).to_contain_text("1 sản phẩm")
    # the shared URL gives the same page to someone else, even without JavaScript
    shared = page.url
    page.goto(shared)
    expect(page.locator("#results .pcard")).to_have_count(1)


def test_product_page_shows_star_and_status(page: Page, live_server, catalogue_data, requested_hosts):
    page.goto(f"{live_server.url}/san-pham/{catalogue_data['thach'].slug}/")
    info = page.locator(".product-info")
    expect(info.locator(".stars")).to_contain_text("4 sao")
    expect(info.locator(".status")).to_contain_text("Còn hiệu lực đến")
    expect(page.locator(".minimap .leaflet-marker-icon")).to_have_count(1)


def test_map_shows_markers_without_tiles(page: Page, live_server, catalogue_data, requested_hosts):
    page.goto(f"{live_server.url}/ban-do/")
    markers = page.locator("#map .leaflet-marker-icon")  # single markers and clusters alike
    expect(markers.first).to_be_visible()
    assert markers.count() >= 1
    # tiles were asked for (and blocked): the page says so, and the list below still works
    expect(page.locator("#map-notice")).to_be_visible()
    expect(page.locator(".place-list")).to_contain_text("Quýt vàng Bắc Sơn")
    tile_host = urlsplit(settings.MAP_TILE_URL).hostname
    assert tile_host in requested_hosts
    # narrowed to one product, its marker opens a popup linking to the product page
    page.goto(f"{live_server.url}/ban-do/?commune=06046&kind=product")
    expect(page.locator("#map")).to_have_attribute("data-loaded", "1")  # markers placed, map fitted
    page.get_by_title("Thạch đen Tràng Định").click()
    expect(page.locator(".ocop-popup a")).to_have_attribute(
        "href", f"/san-pham/{catalogue_data['thach'].slug}/"
    )
    expect(page.locator(".leaflet-popup")).to_contain_text("4 sao")


def test_verification_says_valid_or_expired(page: Page, live_server, catalogue_data, requested_hosts):
    page.goto(f"{live_server.url}/xac-minh/{catalogue_data['valid_code'].lower()}/")
    expect(page.locator(".verdict")).to_contain_text("CÒN HIỆU LỰC")
    expect(page.locator(".verdict")).to_contain_text("VALID")
    expect(page.locator(".card")).to_contain_text("999/QĐ-UBND")
    page.goto(f"{live_server.url}/xac-minh/{catalogue_data['expired_code']}/")
    expect(page.locator(".verdict")).to_contain_text("HẾT HIỆU LỰC")
    expect(page.locator(".verdict")).to_contain_text("EXPIRED")
    response = page.goto(f"{live_server.url}/xac-minh/KHONGCOMA/")
    assert response.status == 404
    expect(page.locator(".verdict")).to_contain_text("KHÔNG TÌM THẤY")


def test_language_switch(page: Page, live_server, catalogue_data, requested_hosts):
    page.goto(f"{live_server.url}/san-pham/?q=quyt")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/san-pham/\?q=quyt$"))  # back where we were
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")


def test_no_page_loads_anything_from_elsewhere_but_map_tiles(
    page: Page, live_server, catalogue_data, requested_hosts
):
    producer_slug = catalogue_data["thach"].producer.slug
    for path in (
        "/",
        "/san-pham/",
        "/san-pham/?q=quyt",
        f"/san-pham/{catalogue_data['thach'].slug}/",
        f"/chu-the/{producer_slug}/",
        "/ban-do/",
        f"/xac-minh/{catalogue_data['valid_code']}/",
    ):
        page.goto(f"{live_server.url}{path}", wait_until="networkidle")
    tile_host = urlsplit(settings.MAP_TILE_URL).hostname
    outside = {host for host in requested_hosts if host not in LOOPBACK}
    assert outside <= {tile_host}, outside
    assert requested_hosts  # the recording worked
