"""Product feeds (sales.feeds): CSV and RSS 2.0 with the g: namespace, public products only."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.sheet_writer import csv_cell
from core.testing import ProductFactory
from core.testing.files import png_bytes
from products.services import product_photo_add
from sales import feeds

G = "{http://base.google.com/ns/1.0}"
pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(users, settings):
    settings.SITE_URL = "https://ocop.langson.example"
    mine = users["producer_account_of"]
    shown = ProductFactory(
        producer=mine, name="Xúc xích Sầm Thu", description='=HYPERLINK("x") ngon', price_min=120_000
    )
    product_photo_add(shown, SimpleUploadedFile("a.png", png_bytes(), "image/png"), actor=users["office"])
    draft = ProductFactory(producer=mine, name="Bản nháp", status="draft")
    other = ProductFactory(
        producer=users["foreign_producer"], name="Thạch đen Thất Khê", gtin="08930000000019"
    )
    return {"shown": shown, "draft": draft, "other": other, "producer": mine}


def _csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))


def test_producer_downloads_its_own_csv_feed(client, users, catalogue):
    client.force_login(users["producer"])
    response = client.get(reverse("sales:producer_feed", args=[catalogue["producer"].pk, "csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert [r["title"] for r in rows] == ["Xúc xích Sầm Thu"]  # no draft, no other producer's
    row = rows[0]
    assert list(row) == feeds.FIELDS
    assert row["id"] == f"OCOP-LS-{catalogue['shown'].pk}"
    assert row["price"] == "120000 VND" and row["availability"] == "in stock" and row["condition"] == "new"
    assert row["link"] == "https://ocop.langson.example" + reverse(
        "catalogue:product", args=[catalogue["shown"].slug]
    )
    assert row["image_link"].startswith("https://ocop.langson.example/media/products/")
    assert row["brand"] == "HKD Sầm Thu" and row["gtin"] == ""
    assert row["description"].startswith("'=HYPERLINK")  # formula-safe


def test_producer_cannot_download_another_producers_feed(client, users, catalogue):
    client.force_login(users["producer"])
    response = client.get(reverse("sales:producer_feed", args=[users["foreign_producer"].pk, "xml"]))
    assert response.status_code == 403


def test_showroom_xml_feed_is_rss_with_google_namespace(client, catalogue):
    response = client.get(reverse("feeds:showroom", args=["xml"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(b"".join(response.streaming_content))
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = root.findall("./channel/item")
    titles = sorted(i.findtext(f"{G}title") for i in items)
    assert titles == ["Thạch đen Thất Khê", "Xúc xích Sầm Thu"]
    shown = next(i for i in items if i.findtext(f"{G}title") == "Xúc xích Sầm Thu")
    assert shown.findtext(f"{G}price") == "120000 VND"
    assert shown.findtext(f"{G}image_link").endswith(".webp")
    other = next(i for i in items if i.findtext(f"{G}title") == "Thạch đen Thất Khê")
    assert other.find(f"{G}price") is None  # no price in the register: left out, not invented
    assert other.findtext(f"{G}gtin") == "08930000000019" and other.findtext(f"{G}identifier_exists") == "yes"
    assert shown.find(f"{G}gtin") is None and shown.findtext(f"{G}identifier_exists") == "no"


def test_public_producer_feed_and_hidden_producer(client, users, catalogue):
    response = client.get(reverse("feeds:producer", args=[catalogue["producer"].slug, "csv"]))
    assert [r["title"] for r in _csv(response)] == ["Xúc xích Sầm Thu"]
    # A producer with no public product has no public feed.
    assert client.get(reverse("feeds:producer", args=[users["own_producer"].slug, "csv"])).status_code == 404


def test_showroom_feed_query_count(client, users, django_assert_max_num_queries):
    for _ in range(15):
        ProductFactory(producer=users["own_producer"])
    with django_assert_max_num_queries(4):
        response = client.get(reverse("feeds:showroom", args=["csv"]))
        assert len(_csv(response)) == 15


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+2", "'=1+2"),
        ("+84 912", "'+84 912"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Na", "Na"),
        (5, "5"),
    ],
)
def test_csv_cell_is_formula_safe(value, cell):
    assert csv_cell(value) == cell


def test_producer_detail_page_links_to_its_feeds(client, users, catalogue):
    client.force_login(users["producer"])
    page = client.get(reverse("backoffice:producer_detail", args=[catalogue["producer"].pk])).content.decode()
    assert reverse("sales:producer_feed", args=[catalogue["producer"].pk, "csv"]) in page
    assert reverse("sales:producer_feed", args=[catalogue["producer"].pk, "xml"]) in page
