"""Real browser (Debian chromium through pytest-playwright) against a live server: an area is
imported from a GeoJSON file in the back-office and then shows on the public map; another is drawn
with the drawing tools. Requests leaving the live server (map tiles) are blocked."""

import json
import re

import pytest
from playwright.sync_api import Page, expect

from areas.tests.shapes import feature, small_square
from core.testing.browser import fill_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("areas.tests.urls"),
]


@pytest.fixture
def reference(django_db_blocker):
    # transaction=True tests flush the database: load the reference data again.
    from django.core.management import call_command

    with django_db_blocker.unblock(), open("/dev/null", "w") as quiet:
        call_command("load_reference", stdout=quiet)


@pytest.fixture
def people(reference):
    from core.testing import ProductFactory, make_users
    from geo.models import Commune

    users = make_users({c.code: c for c in Commune.objects.all()})
    users["product"] = ProductFactory(
        producer=users["own_producer"],
        name="Na dai Đồng Mỏ",
        slug="na-dai-dong-mo",
        commune=users["chi_lang"],
    )
    return users


def only_local(page: Page, live_server) -> None:
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(live_server.url) else route.abort(),
    )


def log_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/quan-ly/vung-nguyen-lieu/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))
    fill_login(page, username)
    expect(page.get_by_role("heading", name="Vùng nguyên liệu", exact=True)).to_be_visible()


def test_officer_imports_a_geojson_area_and_the_public_sees_it_on_the_map(
    page: Page, live_server, people, tmp_path
):
    only_local(page, live_server)
    upload = tmp_path / "vung-na-dong-mo.geojson"
    upload.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [feature(small_square(106.70, 21.85), name="Vùng na Đồng Mỏ")],
            }
        ),
        encoding="utf-8",
    )
    log_in(page, live_server, "officer")

    page.get_by_role("link", name="Nhập ranh giới từ tệp").click()
    page.get_by_label("Tệp ranh giới (.geojson, .json, .kml)").set_input_files(upload)
    page.get_by_role("button", name="Đọc tệp").click()
    expect(page.get_by_text("Đã đọc ranh giới từ tệp")).to_be_visible()
    # The boundary read from the file is drawn on the form's map and kept in the (folded) textarea.
    expect(page.locator("#area-map .leaflet-overlay-pane path")).to_have_count(1)
    expect(page.get_by_label("Tên vùng")).to_have_value("Vùng na Đồng Mỏ")
    page.get_by_label("Cây trồng/vật nuôi").fill("Na dai")
    page.get_by_label("Diện tích kê khai (ha)").fill("4,5")
    expect(page.locator("#area-estimate")).to_contain_text("kê khai: 4,5 ha")
    page.get_by_label("Chủ thể").select_option(label="HTX Na Chi Lăng")
    page.get_by_label("Sản phẩm", exact=True).select_option(label="Na dai Đồng Mỏ – HTX Na Chi Lăng")
    page.get_by_role("button", name="Lưu").click()

    expect(page.get_by_role("heading", name="Vùng na Đồng Mỏ")).to_be_visible()
    expect(page.get_by_text("Theo ranh giới: 4,58 ha")).to_be_visible()
    expect(page.locator("#area-detail-map .leaflet-overlay-pane path")).to_have_count(1)

    # The public map, signed out.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/ban-do/vung-nguyen-lieu/")
    expect(page.get_by_role("heading", name="Bản đồ vùng nguyên liệu")).to_be_visible()
    expect(page.locator("#areas-map")).to_have_attribute("data-areas-loaded", "1")
    expect(page.locator("#areas-map-notice")).to_be_visible()  # tiles blocked: the page says so
    expect(page.locator(".area-items")).to_contain_text("Vùng na Đồng Mỏ")
    # The layer can be switched off and on.
    toggle = page.get_by_role("checkbox", name="Vùng nguyên liệu")
    toggle.uncheck()
    expect(page.locator("#areas-map .leaflet-overlay-pane path")).to_have_count(0)
    toggle.check()
    shape = page.locator("#areas-map .leaflet-overlay-pane path")
    expect(shape).to_have_count(1)
    shape.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Vùng na Đồng Mỏ")
    expect(popup).to_contain_text("4,58 ha")
    link = popup.get_by_role("link", name="Na dai Đồng Mỏ")
    expect(link).to_have_attribute("href", "/san-pham/na-dai-dong-mo/")


def test_office_draws_an_area_with_the_drawing_tools(page: Page, live_server, people):
    only_local(page, live_server)
    log_in(page, live_server, "office")
    page.get_by_role("link", name="Thêm vùng nguyên liệu").click()
    page.get_by_label("Tên vùng").fill("Vùng hồi vẽ tay")
    page.get_by_label("Cây trồng/vật nuôi").fill("Hồi")
    page.get_by_label("Diện tích kê khai (ha)").fill("150")
    page.get_by_label("Xã/phường").select_option(label="Xã Chi Lăng")  # the map moves to the commune

    page.locator("#area-map").scroll_into_view_if_needed()
    page.locator("#area-map .leaflet-pm-icon-rectangle").click()
    map_box = page.locator("#area-map").bounding_box()
    x, y = map_box["x"] + map_box["width"] / 2, map_box["y"] + map_box["height"] / 2
    page.mouse.click(x - 60, y - 40)
    page.mouse.click(x + 60, y + 40)

    textarea = page.get_by_label("Ranh giới (GeoJSON)")
    expect(page.locator("#area-estimate")).to_contain_text("ước tính")
    geometry = json.loads(textarea.input_value())
    assert geometry["type"] == "Polygon" and len(geometry["coordinates"][0]) == 5
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", name="Vùng hồi vẽ tay")).to_be_visible()
    expect(page.get_by_text("Theo ranh giới:")).to_be_visible()
