"""The digital map: its GeoJSON, the server-rendered list under it, and where points come from."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.tests.helpers import years_ago

pytestmark = pytest.mark.django_db

GEOJSON = "/ban-do/du-lieu.geojson"


def features(client, params=None, kind="product"):
    response = client.get(GEOJSON, params or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    return [f for f in data["features"] if f["properties"]["kind"] == kind]


def by_name(found):
    return {f["properties"]["name"]: f for f in found}


@pytest.fixture
def shelf(make_product, make_producer, communes):
    placed = make_producer(
        "HTX Có tọa độ", commune="06325", lat=Decimal("21.90123"), lng=Decimal("106.32456")
    )
    unplaced = make_producer("HTX Theo xã", commune="06040")
    nowhere = make_producer("HKD Chưa rõ", commune=None)
    return {
        "placed": make_product("Quýt vàng Bắc Sơn", producer=placed, stars=4, category="I.1.a"),
        "by_commune": make_product("Thạch đen Thất Khê", producer=unplaced, stars=3, category="I.3.c"),
        "expired": make_product(
            "Rượu men lá", producer=unplaced, stars=5, issued_on=years_ago(3.5), category="II.1.a"
        ),
        "nowhere": make_product("Miến dong", producer=nowhere, stars=3, category="I.3.b", is_sample=True),
        "draft": make_product("Nháp", producer=unplaced, status="draft", category="I.3.c"),
    }


def test_geojson_features_carry_the_documented_properties(client, shelf):
    quyt = by_name(features(client))["Quýt vàng Bắc Sơn"]
    assert quyt["type"] == "Feature"
    assert quyt["geometry"] == {"type": "Point", "coordinates": [106.32456, 21.90123]}
    assert quyt["properties"] == {
        "kind": "product",
        "name": "Quýt vàng Bắc Sơn",
        "url": f"/san-pham/{shelf['placed'].slug}/",
        "stars": 4,
        "status": "valid",
        "group": "I",
        "commune": "Xã Bắc Sơn",
        "producer": "HTX Có tọa độ",
    }


def test_points_come_from_the_producer_else_the_commune_centre(client, shelf, communes):
    found = by_name(features(client))
    that_khe = communes["06040"]
    assert found["Thạch đen Thất Khê"]["geometry"]["coordinates"] == [
        float(that_khe.lng),
        float(that_khe.lat),
    ]
    assert "Miến dong" not in found  # no point at all: only in the list under the map
    assert "Nháp" not in found  # drafts are never public
    assert found["Rượu men lá"]["properties"]["status"] == "expired"


def test_producers_are_features_too_with_their_best_valid_star(client, shelf):
    producers = by_name(features(client, kind="producer"))
    assert set(producers) == {"HTX Có tọa độ", "HTX Theo xã"}
    assert producers["HTX Theo xã"]["properties"]["stars"] == 3  # the expired 5★ does not count
    assert producers["HTX Theo xã"]["properties"]["url"] == f"/chu-the/{shelf['by_commune'].producer.slug}/"
    assert features(client, {"kind": "producer"}, kind="product") == []
    assert features(client, {"kind": "product"}, kind="producer") == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"stars": "4"}, {"Quýt vàng Bắc Sơn"}),
        ({"stars": ["3", "5"]}, {"Thạch đen Thất Khê", "Rượu men lá"}),
        ({"group": "II"}, {"Rượu men lá"}),
        ({"commune": "06040"}, {"Thạch đen Thất Khê", "Rượu men lá"}),
        ({"valid": "on"}, {"Quýt vàng Bắc Sơn", "Thạch đen Thất Khê"}),
        ({"q": "thach den"}, {"Thạch đen Thất Khê"}),
        ({"commune": "06040", "group": "I", "stars": "3"}, {"Thạch đen Thất Khê"}),
    ],
)
def test_geojson_takes_the_same_filters_as_the_catalogue(client, shelf, params, expected):
    assert set(by_name(features(client, params))) == expected


def test_map_page_lists_everything_server_side_for_when_tiles_fail(client, shelf, settings):
    settings.MAP_TILE_URL = "https://tiles.example.vn/{z}/{x}/{y}.png"
    response = client.get("/ban-do/", {"stars": "3"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-tiles="https://tiles.example.vn/{z}/{x}/{y}.png"' in html
    assert 'data-geojson="/ban-do/du-lieu.geojson?stars=3"' in html
    # the list under the map, rendered by the server, with the product without a point
    assert f'href="/san-pham/{shelf["nowhere"].slug}/">Miến dong</a>' in html
    assert f'href="/san-pham/{shelf["by_commune"].slug}/">Thạch đen Thất Khê</a>' in html
    assert "Quýt vàng Bắc Sơn" not in html  # 4★, filtered out
    # our own Leaflet, never a CDN (the server clusters: no markercluster plug-in)
    for asset in (
        "/static/catalogue/vendor/leaflet/leaflet.js",
        "/static/catalogue/vendor/leaflet/leaflet.css",
        "/static/catalogue/map.js",
    ):
        assert asset in html
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)
    # the filters the map offers
    for name in ("stars", "group", "commune"):
        assert f'name="{name}"' in html


def test_map_script_builds_popups_from_text_never_html():
    from django.contrib.staticfiles import finders

    script = Path(finders.find("catalogue/map.js")).read_text(encoding="utf-8")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script
    assert "textContent" in script


def test_geojson_and_map_query_counts_do_not_grow_with_rows(client, make_product, make_producer):
    def add(n, start):
        for i in range(start, start + n):
            producer = make_producer(f"HTX {i}", commune="06325" if i % 2 else "06040")
            make_product(f"Sản phẩm {i}", producer=producer, stars=3 + i % 3)

    def count(path):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    add(2, 0)
    few_geojson, few_page = count(GEOJSON), count("/ban-do/")
    add(20, 2)
    assert count(GEOJSON) == few_geojson
    assert count("/ban-do/") == few_page
