"""Real browser (Debian chromium through pytest-playwright) against a live server: the QR code of a
printed label is decoded from the PDF's image (zxing-cpp) and the address it holds is opened on a
390 px phone; the page shows the product, its certificate, the producer, the area with its
certification and map, the harvest and the batch dates. Requests leaving the server are blocked."""

import datetime as dt
import io
import subprocess
from decimal import Decimal

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = dt.timedelta(days=1)


@pytest.fixture
def scene(django_db_blocker):
    from django.core.management import call_command
    from django.utils import timezone

    from areas.models import DiaryEntry, DiaryKind, Season
    from areas.services import area_create, certification_add
    from areas.tests.shapes import small_square
    from certificates.models import Certificate
    from core.testing import ProductFactory, make_users
    from geo.models import Commune
    from traceability.services import batch_create

    with django_db_blocker.unblock(), open("/dev/null", "w") as quiet:
        call_command("load_reference", stdout=quiet)
    users = make_users({c.code: c for c in Commune.objects.all()})
    day = timezone.localdate()
    honey = ProductFactory(
        name="Mật ong bạc hà Chi Lăng", slug="mat-ong-bac-ha", producer=users["producer_account_of"]
    )
    Certificate.objects.create(
        product=honey, number="12/GCN-OCOP", stars=4, issued_on=day - 365 * DAY, expires_on=day + 700 * DAY
    )
    area = area_create(
        actor=users["office"],
        name="Vùng nuôi ong Chi Lăng",
        kind="livestock",
        crop="Ong mật",
        declared_ha=Decimal("4.6"),
        commune=users["chi_lang"],
        geometry=small_square(106.70, 21.85),
        producers=[users["producer_account_of"]],
        products=[honey],
    )
    certification_add(
        area,
        actor=users["office"],
        kind="vietgap",
        number="VIETGAP-TT-15-0073-LSN",  # a real-length number: the badge must wrap on a phone
        valid_from=day - 100 * DAY,
        valid_until=day + 600 * DAY,
    )
    season = Season.objects.create(area=area, name="Vụ mật 2026", start_date=day - 120 * DAY)
    harvest = DiaryEntry.objects.create(
        season=season, kind=DiaryKind.HARVEST, date=day - 20 * DAY, quantity=150, unit="kg"
    )
    batch = batch_create(
        {
            "product": honey,
            "lot": "MO-2026/01",
            "produced_on": day - 10 * DAY,
            "expires_on": day + 700 * DAY,
            "quantity": Decimal("120"),
            "unit": "lo",
            "area": area,
        },
        actor=users["producer"],
        harvests=[harvest],
    )
    return {"batch": batch, "users": users}


def decoded_label(pdf: bytes, tmp_path) -> str:
    (tmp_path / "label.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "600", "-singlefile", str(tmp_path / "label.pdf"), str(tmp_path / "page")],
        check=True,
    )
    [result] = zxingcpp.read_barcodes(Image.open(io.BytesIO((tmp_path / "page.png").read_bytes())))
    return result.text


def test_the_printed_qr_opens_the_batch_page_on_a_phone(scene, live_server, page: Page, settings, tmp_path):
    from traceability.labels import label_pdf

    settings.SITE_URL = live_server.url
    url = decoded_label(label_pdf(scene["batch"], "30x20"), tmp_path)
    assert url == f"{live_server.url}/lo/{scene['batch'].product_id}/10/MO-2026%2F01"
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(live_server.url) else r.abort())
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    expect(page.locator("h1")).to_have_text("Mật ong bạc hà Chi Lăng")
    expect(page.locator(".trace-lot")).to_contain_text("MO-2026/01")
    expect(page.locator(".product-badges")).to_contain_text("4 sao")
    body = page.locator("main, body").first
    for text in (
        "HKD Sầm Thu",
        "Vùng nuôi ong Chi Lăng",
        "VietGAP",
        "Vụ mật 2026",
        scene["batch"].produced_on.strftime("%d/%m/%Y"),
    ):
        expect(body).to_contain_text(text)
    # The area's map is drawn by Leaflet from our static files, with the area's outline.
    expect(page.locator(".area-minimap .leaflet-overlay-pane path")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "batch-390.png"), full_page=True)
