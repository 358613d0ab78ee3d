"""The public layer: GeoJSON content and rule, filters, a constant number of queries, the map page,
and the product page's selector and include."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.selectors import areas_for_product, public_area_list
from areas.tests.shapes import small_square
from core.testing import ProducerFactory, ProductFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("areas.tests.urls")]


@pytest.fixture
def public(users, make_area, certify, today):
    """An area supplying an active product, with a valid and a lapsed certification; an area linked
    only to a draft product; an area linked only to a producer."""
    producer = users["own_producer"]
    active = ProductFactory(producer=producer, name="Na dai Chi Lăng", slug="na-dai-chi-lang")
    draft = ProductFactory(producer=producer, name="Na sấy nháp bí mật", slug="na-say-nhap", status="draft")
    area = make_area(name="Vùng na Đồng Mỏ", products=[active, draft], crop="Na dai")
    certify(area, number="VG-1", valid_until=today + dt.timedelta(days=30))
    certify(area, number="VG-0", valid_from=dt.date(2020, 1, 1), valid_until=dt.date(2023, 6, 30))
    hidden_draft = make_area(name="Vùng chỉ có sản phẩm nháp", products=[draft])
    hidden_producer = make_area(name="Vùng chỉ có chủ thể", products=[])
    return {"area": area, "active": active, "draft": draft, "hidden": [hidden_draft, hidden_producer]}


def get_geojson(client, **params):
    response = client.get(reverse("areas_public:geojson"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


def test_geojson_feature_content(client, users, public):
    data = get_geojson(client)
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["name"] for f in data["features"]] == ["Vùng na Đồng Mỏ"]
    feature = data["features"][0]
    area = public["area"]
    assert feature["geometry"] == area.geometry and feature["geometry"]["type"] == "Polygon"
    props = feature["properties"]
    assert props["kind"] == "crop" and props["crop"] == "Na dai"
    assert props["declared_ha"] == 4.6 and props["computed_ha"] == pytest.approx(
        float(area.computed_ha), abs=0.01
    )
    assert props["commune"] == "Xã Chi Lăng"
    # Drafts never appear; the producer is public through its active product.
    assert props["products"] == [{"name": "Na dai Chi Lăng", "url": "/san-pham/na-dai-chi-lang/"}]
    assert props["producers"] == [
        {"name": users["own_producer"].name, "url": f"/chu-the/{users['own_producer'].slug}/"}
    ]
    certifications = {c["number"]: c for c in props["certifications"]}
    assert certifications["VG-1"]["valid"] is True and certifications["VG-1"]["kind"] == "vietgap"
    assert certifications["VG-0"] == {
        "kind": "vietgap",
        "label": "VietGAP",
        "number": "VG-0",
        "valid": False,
        "status": "lapsed",
        "valid_from": "01/01/2020",
        "valid_until": "30/06/2023",
    }
    assert "bí mật" not in json.dumps(data, ensure_ascii=False)


def test_producer_without_public_product_has_no_link(client, users, make_area):
    silent = ProducerFactory(name="HTX chưa có sản phẩm công khai", commune=users["chi_lang"])
    product = ProductFactory(producer=users["own_producer"], name="Hồi Chi Lăng")
    make_area(products=[product], producers=[users["own_producer"], silent])
    producers = get_geojson(client)["features"][0]["properties"]["producers"]
    assert {"name": silent.name, "url": None} in producers


def test_geojson_filters(client, users, public, make_area):
    other = ProductFactory(producer=users["foreign_producer"], name="Thạch đen Thất Khê", slug="thach-den")
    make_area(
        name="Vùng thạch đen",
        commune=users["other_commune"],
        producers=[users["foreign_producer"]],
        products=[other],
        geometry=small_square(106.45, 22.25),
    )

    def names(**params):
        return {f["properties"]["name"] for f in get_geojson(client, **params)["features"]}

    assert names() == {"Vùng na Đồng Mỏ", "Vùng thạch đen"}
    assert names(product="thach-den") == {"Vùng thạch đen"}
    assert names(commune=users["chi_lang"].code) == {"Vùng na Đồng Mỏ"}
    assert names(bbox="106.40,22.20,106.50,22.30") == {"Vùng thạch đen"}
    assert names(bbox="106.0,21.0,106.1,21.1") == set()
    bad = client.get(reverse("areas_public:geojson"), {"bbox": "a,b,c"})
    assert bad.status_code == 400


def test_geojson_query_count_does_not_grow_with_rows(client, users, make_area, certify):
    def add(n):
        for _ in range(n):
            product = ProductFactory(producer=users["own_producer"])
            area = make_area(products=[product], producers=[users["own_producer"], users["foreign_producer"]])
            certify(area)

    add(1)
    with CaptureQueriesContext(connection) as one:
        assert len(get_geojson(client)["features"]) == 1
    add(9)
    with CaptureQueriesContext(connection) as ten:
        assert len(get_geojson(client)["features"]) == 10
    assert len(ten.captured_queries) == len(one.captured_queries) <= 6


def test_public_map_page_lists_areas_without_javascript(client, public):
    response = client.get(reverse("areas_public:map"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Bản đồ vùng nguyên liệu" in content
    assert f'data-areas-map="{reverse("areas_public:geojson")}"' in content
    assert "map-layer.js" in content and "leaflet.js" in content
    assert "Vùng na Đồng Mỏ" in content and "/san-pham/na-dai-chi-lang/" in content
    assert "Hết hiệu lực" in content and "30/06/2023" in content
    assert "bí mật" not in content and "Vùng chỉ có chủ thể" not in content


def test_areas_for_product_and_the_product_page_include(public):
    assert [a.name for a in areas_for_product(public["active"])] == ["Vùng na Đồng Mỏ"]
    assert areas_for_product(public["draft"]) == []
    html = Template("{% load areas_tags %}{% product_areas product %}").render(
        Context({"product": public["active"], "map_tile_url": "/tiles/{z}/{x}/{y}.png"})
    )
    assert "Vùng nguyên liệu" in html and "Vùng na Đồng Mỏ" in html
    assert 'id="ocop-product-areas"' in html and 'data-areas-source="ocop-product-areas"' in html
    marker = '<script id="ocop-product-areas" type="application/json">'
    start = html.index(marker) + len(marker)
    data = json.loads(html[start : html.index("</script>", start)])
    assert data["features"][0]["properties"]["name"] == "Vùng na Đồng Mỏ"
    # A product without areas renders nothing.
    other = ProductFactory(producer=public["active"].producer)
    assert (
        Template("{% load areas_tags %}{% product_areas product %}")
        .render(Context({"product": other}))
        .strip()
        == ""
    )


def test_plain_include_with_the_selector(public):
    areas = public_area_list(product_slug="na-dai-chi-lang")
    html = Template('{% include "areas/_product_areas.html" %}').render(
        Context({"areas": areas, "map_tile_url": ""})
    )
    assert "Vùng na Đồng Mỏ" in html and "json" in html
