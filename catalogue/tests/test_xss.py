"""Script payloads in every user-editable text that the public sees are shown as text, never run:
product and producer pages, catalogue, home, map list and GeoJSON, verification page, events,
raw-material areas, JSON-LD and Open Graph tags; the map popups are checked in a real browser."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page

PAYLOAD = "\"'><img src=x onerror=alert(1)><script>alert(2)</script>"
RAW_MARKERS = ("<img src=x", "<script>alert(2)")


def build(users, communes):
    from areas.services import area_create
    from certificates.services import certificate_issue
    from producers.services import producer_create, producer_set_sales_links
    from products.models import Classification
    from products.services import ip_record_save, product_create
    from promotion.services import event_create

    office, chi_lang = users["office"], communes["06463"]
    producer = producer_create(
        actor=office,
        name=f"HTX {PAYLOAD}",
        kind="htx",
        registration_code="0300588569",
        commune=chi_lang,
        representative=PAYLOAD,
        address=PAYLOAD,
        description=PAYLOAD,
        lat=Decimal("21.67"),
        lng=Decimal("106.62"),
    )
    producer_set_sales_links(
        producer,
        [{"platform": "website", "url": "https://example.vn/a", "label": PAYLOAD, "address": ""}],
        actor=office,
    )
    product = product_create(
        actor=office,
        name=f"Na {PAYLOAD}",
        producer=producer,
        status="active",
        category=Classification.objects.get(scheme="QD26-2026", code="I.1.a"),
        description=PAYLOAD,
        specifications=PAYLOAD,
        packaging=PAYLOAD[:200],
        raw_material_origin=PAYLOAD,
    )
    ip_record_save(None, actor=office, kind="gi", name=f"GI {PAYLOAD}", scope=PAYLOAD, products=[product])
    certificate = certificate_issue(
        product, stars=4, issued_on=dt.date(2025, 6, 1), actor=office, decision_number=PAYLOAD[:50]
    )
    event_create(
        actor=office,
        name=f"Hội chợ {PAYLOAD}",
        kind="fair",
        place=PAYLOAD,
        organiser=PAYLOAD,
        description=PAYLOAD,
        start_date=dt.date(2026, 12, 1),
        end_date=dt.date(2026, 12, 2),
        is_published=True,
    )
    square = {
        "type": "Polygon",
        "coordinates": [
            [[106.62, 21.67], [106.621, 21.67], [106.621, 21.671], [106.62, 21.671], [106.62, 21.67]]
        ],
    }
    area_create(
        actor=office,
        name=f"Vùng {PAYLOAD}",
        kind="crop",
        crop=PAYLOAD[:100],
        declared_ha=1,
        commune=chi_lang,
        geometry=square,
        note=PAYLOAD,
        producers=[producer],
        products=[product],
    )
    return product, producer, certificate


@pytest.mark.django_db
def test_public_pages_escape_every_payload(client, users, communes):
    from promotion.models import Event

    product, producer, certificate = build(users, communes)
    event = Event.objects.get()
    pages = [
        "/",
        "/san-pham/",
        "/san-pham/?q=na",
        f"/san-pham/{product.slug}/",
        f"/chu-the/{producer.slug}/",
        "/ban-do/",
        f"/xac-minh/{certificate.public_code}/",
        "/su-kien/",
        f"/su-kien/{event.slug}/",
        "/ban-do/vung-nguyen-lieu/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for marker in RAW_MARKERS:
            assert marker not in html, f"{url} renders {marker!r} unescaped"
    html = client.get(f"/san-pham/{product.slug}/").content.decode()
    json_ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert json.loads(json_ld)["name"] == product.name  # escaped for HTML, intact as data
    for url in ("/ban-do/du-lieu.geojson", "/ban-do/vung-nguyen-lieu/du-lieu.geojson", "/api/v1/products/"):
        body = client.get(url).content.decode()
        assert PAYLOAD not in body or json.loads(body)  # JSON strings carry the text; browsers never parse it


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_map_popups_show_payloads_as_text(page: Page, live_server, django_db_blocker):
    from django.core.management import call_command

    from core.testing import make_users
    from geo.models import Commune

    with django_db_blocker.unblock(), open("/dev/null", "w") as quiet:
        call_command("load_reference", stdout=quiet)
    communes = {c.code: c for c in Commune.objects.all()}
    build(make_users(communes), communes)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost).*"), lambda route: route.abort())
    page.goto(f"{live_server.url}/ban-do/")
    page.locator(".leaflet-marker-icon").first.wait_for(timeout=15000)
    # The product and its producer share a point: open the cluster, then the product's pin.
    cluster = page.locator(".marker-cluster")
    if cluster.count():
        cluster.first.click()
    pin = page.locator(".ocop-pin").first
    pin.wait_for(timeout=5000)
    pin.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5000)
    assert "onerror=alert(1)" in popup.inner_text()
    assert popup.locator("img").count() == 0 and popup.locator("script").count() == 0
    page.goto(f"{live_server.url}/ban-do/vung-nguyen-lieu/")
    page.wait_for_timeout(1500)
    assert dialogs == []
