import datetime as dt

import pytest

from promotion.models import Event

pytestmark = pytest.mark.django_db


def test_events_endpoint_lists_published_events_only(client):
    Event.objects.create(
        name="Hội chợ OCOP",
        slug="hoi-cho",
        kind="fair",
        place="Lạng Sơn",
        is_published=True,
        start_date=dt.date(2026, 12, 1),
        end_date=dt.date(2026, 12, 3),
    )
    Event.objects.create(
        name="Nháp",
        slug="nhap",
        kind="fair",
        place="Lạng Sơn",
        is_published=False,
        start_date=dt.date(2026, 12, 1),
        end_date=dt.date(2026, 12, 3),
    )
    data = client.get("/api/v1/events/").json()
    names = [e["name"] for e in data.get("results", data)]
    assert names == ["Hội chợ OCOP"]
    assert client.get("/api/v1/events/nhap/").status_code == 404


def test_areas_geojson_endpoint(client):
    with open("/dev/null", "w") as quiet:
        from django.core.management import call_command

        call_command("load_demo", stdout=quiet)
    response = client.get("/api/v1/areas/geojson/")
    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "FeatureCollection" and len(data["features"]) >= 5
    feature = data["features"][0]
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert client.get("/api/v1/areas/geojson/", {"bbox": "x"}).status_code == 400
