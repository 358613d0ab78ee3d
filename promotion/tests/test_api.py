"""The read-only public API, mounted here on a test URLconf (api/v1/urls.py belongs to the API app)."""

import pytest
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from promotion.api import EventViewSet

router = DefaultRouter()
router.register("events", EventViewSet, basename="event")
urlpatterns = [
    path("api/", include(router.urls)),
    path("su-kien/", include("promotion.public_urls")),
    path("", include("catalogue.urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def test_list_and_filters(client, events):
    data = client.get("/api/events/").json()
    names = [e["name"] for e in data["results"]]
    assert "Sự kiện nội bộ chưa công bố" not in names and len(names) == 4
    upcoming = client.get("/api/events/", {"timing": "upcoming"}).json()["results"]
    assert [e["name"] for e in upcoming] == ["Tuần lễ OCOP đang diễn ra", "Hội chợ Xuân sắp tới"]
    assert upcoming[0]["timing"] == "ongoing" and upcoming[1]["timing"] == "upcoming"
    fairs = client.get("/api/events/", {"kind": "fair", "timing": "past"}).json()["results"]
    assert [e["name"] for e in fairs] == ["Hội chợ OCOP 2025"]
    assert fairs[0]["participants_count"] == 2 and fairs[0]["url"].endswith(
        f"/su-kien/{events['past'].slug}/"
    )


def test_detail_has_participants_but_no_results(client, events):
    data = client.get(f"/api/events/{events['past'].slug}/").json()
    assert data["kind_display"] == "Hội chợ"
    producers = {p["producer"]: p for p in data["participants"]}
    assert producers["HTX Na Chi Lăng"]["products"] == [
        {"name": "Na dai Chi Lăng", "slug": "na-dai-chi-lang"}
    ]
    assert "sales_revenue" not in str(data)
    assert client.get(f"/api/events/{events['draft'].slug}/").status_code == 404


def test_read_only(client, events, users):
    client.force_login(users["office"])
    assert client.post("/api/events/", {"name": "x"}).status_code in (403, 405)
    assert client.delete(f"/api/events/{events['past'].slug}/").status_code in (403, 405)
