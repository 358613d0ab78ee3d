"""The map at national scale (catalogue.map): one view at a time, points when few, grid clusters
counted in the database when many, a bounded answer, and the list beside the map paged in SQL."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue import map as catalogue_map

pytestmark = pytest.mark.django_db

GEOJSON = "/ban-do/du-lieu.geojson"
# Two places 0.3° apart (about 33 km): one cell at the province's zoom, two at zoom 12.
WEST = (Decimal("21.80000"), Decimal("106.40000"))
EAST = (Decimal("21.80000"), Decimal("106.70000"))


def get(client, params=None):
    response = client.get(GEOJSON, params or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return response.json()


@pytest.fixture
def spread(make_product, make_producer):
    """Three producers (one product each) at WEST, two at EAST, and a draft at EAST."""
    made = []
    for i, (lat, lng) in enumerate([WEST, WEST, WEST, EAST, EAST]):
        producer = make_producer(f"HTX {i}", commune="06325", lat=lat, lng=lng)
        made.append(make_product(f"Sản phẩm {i}", producer=producer, stars=3 + i % 2))
    make_product("Nháp", producer=made[-1].producer, status="draft")
    return made


def clusters(data):
    return sorted((f["properties"]["count"], f["geometry"]["coordinates"]) for f in data["features"])


def test_few_products_in_the_view_come_as_points(client, spread):
    data = get(client, {"kind": "product"})
    assert data["clustered"] is False
    assert data["total"] == 5  # the draft is never public
    assert {f["properties"]["name"] for f in data["features"]} == {f"Sản phẩm {i}" for i in range(5)}


def test_many_products_are_counted_in_cells_of_the_grid(client, spread, monkeypatch):
    monkeypatch.setattr(catalogue_map, "MAX_POINTS", 2)
    province = get(client, {"kind": "product", "zoom": 6})
    assert province["clustered"] is True
    assert clusters(province) == [(5, [pytest.approx(106.52), pytest.approx(21.8)])]  # the mean point
    closer = get(client, {"kind": "product", "zoom": 12, "bbox": "106.3,21.7,106.8,21.9"})
    assert clusters(closer) == [(2, [106.7, 21.8]), (3, [106.4, 21.8])]
    # the producers too when no kind is chosen: one cluster counts both
    both = get(client, {"zoom": 12, "bbox": "106.3,21.7,106.8,21.9"})
    assert clusters(both) == [(4, [106.7, 21.8]), (6, [106.4, 21.8])]


def test_the_view_keeps_only_what_lies_in_its_box(client, spread, monkeypatch):
    east_only = {"kind": "product", "zoom": 12, "bbox": "106.6,21.7,106.8,21.9"}
    assert {f["properties"]["name"] for f in get(client, east_only)["features"]} == {
        "Sản phẩm 3",
        "Sản phẩm 4",
    }
    monkeypatch.setattr(catalogue_map, "MAX_POINTS", 1)
    assert clusters(get(client, east_only)) == [(2, [106.7, 21.8])]
    nowhere = {"kind": "product", "zoom": 12, "bbox": "100,10,101,11"}
    assert get(client, nowhere)["features"] == []


def test_filters_apply_to_clusters(client, spread, monkeypatch):
    monkeypatch.setattr(catalogue_map, "MAX_POINTS", 1)
    four_stars = get(client, {"kind": "product", "stars": "4", "zoom": 12, "bbox": "106.3,21.7,106.8,21.9"})
    assert clusters(four_stars) == [(1, [106.4, 21.8]), (1, [106.7, 21.8])]  # products 1 and 3


@pytest.mark.parametrize("zoom", [1, 5, 9, 12, 15, 18])
def test_a_view_never_holds_more_than_max_cells(zoom):
    for bbox in ("-180,-90,180,90", "105.9,21.3,107.4,22.5", "106.7,21.8,106.8,21.9"):
        view = catalogue_map.parse_view({"bbox": bbox, "zoom": str(zoom)})
        cells = ((view.east - view.west) / view.cell + 1) * ((view.north - view.south) / view.cell + 1)
        assert cells <= catalogue_map.MAX_CELLS * 1.1


def test_cells_shrink_as_the_map_zooms_in():
    sizes = [
        catalogue_map.parse_view({"bbox": "106.7,21.8,106.8,21.9", "zoom": z}).cell for z in range(8, 14)
    ]
    assert all(a == pytest.approx(2 * b) for a, b in zip(sizes, sizes[1:], strict=False))


@pytest.mark.parametrize("bad", ["", "x", "1,2,3", "1,2,3,nan", "5,5,5,5", "1,2,3,inf"])
def test_a_bad_box_or_zoom_means_the_province(bad):
    view = catalogue_map.parse_view({"bbox": bad, "zoom": "abc"})
    assert (view.west, view.south, view.east, view.north) == catalogue_map.PROVINCE_BBOX
    assert view.zoom == catalogue_map.DEFAULT_ZOOM
    assert catalogue_map.parse_view({"zoom": "99"}).zoom == catalogue_map.MAX_ZOOM


def test_the_answer_is_bounded_whatever_the_data(client, make_product, make_producer, monkeypatch):
    # 40 places on a line; at most MAX_CELLS clusters, whatever box and zoom a client asks for.
    monkeypatch.setattr(catalogue_map, "MAX_POINTS", 5)
    monkeypatch.setattr(catalogue_map, "MAX_CELLS", 10)
    for i in range(40):
        producer = make_producer(f"HTX {i}", lat=Decimal("21.5") + Decimal(i) / 50, lng=Decimal("106.5"))
        make_product(f"Sản phẩm {i}", producer=producer)
    for zoom in (9, 14, 18):
        response = client.get(GEOJSON, {"kind": "product", "zoom": zoom, "bbox": "106,21,107,23"})
        data = json.loads(response.content)
        assert data["clustered"] is True
        assert len(data["features"]) <= 10
        assert sum(f["properties"]["count"] for f in data["features"]) == 40
        assert len(response.content) < 10 * 200  # a cluster is a few dozen bytes


def test_map_data_query_count_does_not_grow_with_rows(client, make_product, make_producer, monkeypatch):
    monkeypatch.setattr(catalogue_map, "MAX_POINTS", 3)

    def add(n, start):
        for i in range(start, start + n):
            producer = make_producer(f"HTX {i}", lat=Decimal("21.8"), lng=Decimal("106.4") + Decimal(i) / 100)
            make_product(f"Sản phẩm {i}", producer=producer, stars=3)

    def count(params):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(GEOJSON, params).status_code == 200
        return len(queries)

    add(4, 0)
    clustered = count({"zoom": 9})
    add(20, 4)
    assert count({"zoom": 9}) == clustered
    points = count({"zoom": 18, "bbox": "106.39,21.79,106.42,21.81"})  # 3 products in the box
    assert points <= clustered + 4


def test_the_list_beside_the_map_is_paged(client, spread, monkeypatch):
    monkeypatch.setattr(catalogue_map, "LIST_SIZE", 2)
    first = client.get("/ban-do/").content.decode()
    third = client.get("/ban-do/", {"page": 3}).content.decode()
    assert first.count('class="place place-product"') == 2
    assert third.count('class="place place-product"') == 1  # 5 products, 2 a page
    assert "Sản phẩm 0" in first and "Sản phẩm 0" not in third
    assert 'rel="next"' in first and 'rel="prev"' in third
    assert "Nháp" not in first + third


def test_the_kept_grid_follows_every_change_of_public_content(client, spread, make_product, monkeypatch):
    monkeypatch.setattr(catalogue_map, "MAX_POINTS", 2)
    params = {"kind": "product", "zoom": 6}
    assert get(client, params)["total"] == 5
    with CaptureQueriesContext(connection) as kept:
        assert get(client, params)["total"] == 5
    make_product("Sản phẩm mới", producer=spread[0].producer)
    assert get(client, params)["total"] == 6  # a new generation: counted again
    fresh = {"kind": "product", "zoom": 14, "bbox": "106.3,21.7,106.8,21.9"}  # above CACHED_ZOOM
    with CaptureQueriesContext(connection) as counted:
        assert get(client, fresh)["total"] == 6
    assert len(kept) < len(counted)
