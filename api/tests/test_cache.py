"""The public API's lists from the public page cache (api.v1.views.CachedPublicList): anonymous
clients share them, every write through the services shows at once, signed-in clients always
get fresh data, and a cached answer is still throttled."""

import pytest
from rest_framework.throttling import AnonRateThrottle

from catalogue import pagecache
from products.services import product_update
from reports.tests.helpers import build_world

pytestmark = pytest.mark.django_db

CACHE = pagecache.STATUS_HEADER
LISTS = ["/api/v1/products/", "/api/v1/producers/", "/api/v1/certificates/"]


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def world(users, communes):
    return build_world(users, communes)


@pytest.mark.parametrize("url", LISTS)
def test_an_anonymous_list_is_served_again_from_the_cache(api, world, url):
    first = api.get(url, {"page_size": 1})
    second = api.get(url, {"page_size": 1})
    assert (first[CACHE], second[CACHE]) == ("miss", "hit")
    assert second.json() == first.json()
    assert first.json()["results"] and "page=2" in second.json()["next"]  # absolute links kept
    assert second["Content-Type"] == "application/json"
    # Other parameters, other pages; the browsable API renders the same cached data.
    assert api.get(url, {"page_size": 2})[CACHE] == "miss"
    html = api.get(url, {"page_size": 1}, HTTP_ACCEPT="text/html")
    assert html[CACHE] == "hit" and html["Content-Type"].startswith("text/html")


def test_a_write_through_the_services_shows_at_once(api, world, users):
    url = "/api/v1/products/"
    names = lambda response: {row["name"] for row in response.json()["results"]}  # noqa: E731
    assert "Na dai Chi Lăng" in names(api.get(url, {"page_size": 200}))
    assert api.get(url, {"page_size": 200})[CACHE] == "hit"
    product_update(world["valid4"], actor=users["office"], name="Na dai Hữu Lũng")
    fresh = api.get(url, {"page_size": 200})
    assert fresh[CACHE] == "miss"
    assert "Na dai Hữu Lũng" in names(fresh) and "Na dai Chi Lăng" not in names(fresh)


def test_signed_in_clients_always_get_fresh_data(world, token_client):
    office = token_client("office")
    for _ in range(2):
        response = office.get("/api/v1/products/")
        assert response.status_code == 200 and CACHE not in response


def test_the_cache_is_off_when_its_time_is_zero(api, world, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    assert CACHE not in api.get("/api/v1/products/") and CACHE not in api.get("/api/v1/products/")


def test_a_cached_answer_still_counts_against_the_anonymous_rate(api, world, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "3/minute", raising=False)
    monkeypatch.setattr(AnonRateThrottle, "num_requests", 3, raising=False)
    monkeypatch.setattr(AnonRateThrottle, "duration", 60, raising=False)
    statuses = [api.get("/api/v1/products/")[CACHE] for _ in range(3)]
    assert statuses == ["miss", "hit", "hit"]
    assert api.get("/api/v1/products/").status_code == 429
