"""A buyer on a phone (390×844) reads the product page's "Mua ở đâu" block with the sales points
stocking it, and the map's "Điểm bán" layer shows and hides them (real chromium)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference(django_db_blocker):
    # transaction=True tests flush the database: load the reference data again.
    from django.core.management import call_command

    with django_db_blocker.unblock(), open("/dev/null", "w") as quiet:
        call_command("load_reference", stdout=quiet)


def test_where_to_buy_block_on_a_phone(new_context, live_server, reference, settings):
    from core.testing import ProductFactory, make_users
    from geo.models import Commune
    from sales.services import sales_point_create, sales_point_set_products

    settings.MAP_TILE_URL = f"{live_server.url}/no-tiles/{{z}}/{{x}}/{{y}}.png"  # no network in tests
    users = make_users({c.code: c for c in Commune.objects.all()})
    product = ProductFactory(producer=users["own_producer"], name="Na dai Chi Lăng", slug="na-dai-chi-lang")
    office = users["office"]
    common = {"commune": users["chi_lang"], "is_published": True}
    showroom = sales_point_create(
        actor=office,
        name="Điểm giới thiệu và bán sản phẩm OCOP tỉnh Lạng Sơn – trung tâm thành phố",
        kind="ocop_showroom",
        address="Số 1 đường Lê Lợi, khu phố rất dài để thử xuống dòng trên điện thoại",
        lat=Decimal("21.853"),
        lng=Decimal("106.761"),
        opening_hours="7:30–21:00 hằng ngày",
        phone="0205 3812 345",
        zalo="0912345678",
        **common,
    )
    market = sales_point_create(actor=office, name="Chợ Đồng Mỏ", kind="market", address="Chợ", **common)
    for point in (showroom, market):
        sales_point_set_products(point, [product.pk], actor=office)

    context = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/san-pham/{product.slug}/")
    block = page.locator("#mua-o-dau")
    expect(block.get_by_role("heading", name="Mua ở đâu")).to_be_visible()
    expect(block.locator(".sales-point")).to_have_count(2)
    phone = block.get_by_role("link", name="Điện thoại 0205 3812 345")
    expect(phone).to_have_attribute("href", "tel:02053812345")
    box = phone.bounding_box()
    assert box["height"] >= 44  # a finger can hit it
    expect(block.get_by_role("link", name="Zalo 0912345678")).to_have_attribute(
        "href", "https://zalo.me/0912345678"
    )
    expect(block).to_contain_text("7:30–21:00 hằng ngày")
    # Nothing is wider than the phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide"
    block_box = block.bounding_box()
    assert block_box["x"] >= 0 and block_box["x"] + block_box["width"] <= 390
    page.screenshot(path="/tmp/market17-mua-o-dau.png", full_page=True)

    block.get_by_role("link", name="Tất cả điểm bán sản phẩm OCOP").click()
    expect(page.get_by_role("heading", name="Điểm bán sản phẩm OCOP")).to_be_visible()
    expect(page.locator(".sales-point")).to_have_count(2)

    # The map's layer: the points come as markers and the layer can be switched off.
    page.goto(f"{live_server.url}/ban-do/")
    expect(page.locator("#map")).to_have_attribute("data-sales-loaded", "2")
    expect(page.locator(".ocop-pin-sales_point")).to_have_count(2)
    toggle = page.get_by_label("Điểm bán")
    toggle.uncheck()
    expect(page.locator(".ocop-pin-sales_point")).to_have_count(0)
