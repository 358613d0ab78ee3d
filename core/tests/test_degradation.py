"""When a service fails, the system degrades instead of failing (issue 15, point 6), with the
settings pointed at dead ports (core/tests/conftest.py):
- Redis down: pages served uncached, sessions kept (cached_db), API throttling open, each said
  once in the log (core.cache);
- the database down: cached public pages still served, everything else the Vietnamese
  maintenance page with 503 (core.errors, core.middleware.DatabaseUnavailableMiddleware);
- /healthz says which dependency is down."""

import logging
import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.core.cache import caches
from huey import RedisHuey
from huey.contrib import djhuey
from rest_framework.throttling import AnonRateThrottle

from accounts.models import Role
from catalogue.pagecache import STATUS_HEADER
from core.cache import RedisCache
from core.testing import ProductFactory, make_user
from core.tests.conftest import DEAD_PORT, dead_redis_cache

MAINTENANCE = "Hệ thống đang bảo trì"


def _cache_errors(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "core.cache" and r.levelno >= logging.ERROR]


@pytest.fixture
def page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300


# Redis down ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_with_redis_down_pages_are_served_uncached_and_it_is_logged_once(
    client, redis_down, page_cache_on, caplog
):
    product = ProductFactory(name="Thạch đen Tràng Định")
    assert isinstance(caches["default"], RedisCache)
    url = f"/san-pham/{product.slug}/"
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        pages = [client.get(url) for _ in range(3)]
        home = client.get("/")
    assert [p.status_code for p in pages] == [200, 200, 200] and home.status_code == 200
    assert all("Thạch đen Tràng Định" in p.content.decode() for p in pages)
    assert [p[STATUS_HEADER] for p in pages] == ["miss", "miss", "miss"]  # never stored, never served stale
    errors = _cache_errors(caplog)
    assert len(errors) == 1 and "Cache unavailable" in errors[0] and "ConnectionError" in errors[0]


@pytest.mark.django_db
def test_the_same_pages_are_cached_when_the_cache_answers(client, page_cache_on):
    # The contrast: the test above would see "hit" if the pages were stored.
    url = f"/san-pham/{ProductFactory().slug}/"
    assert [client.get(url)[STATUS_HEADER] for _ in range(2)] == ["miss", "hit"]


def test_with_redis_down_signing_in_works_and_the_session_lasts(client, users, redis_down):
    response = client.post("/dang-nhap/", {"username": "office", "password": "pw-Test-12345"})
    assert response.status_code == 302
    assert client.get("/quan-ly/").status_code == 200


def test_sessions_survive_losing_the_cache(client, users, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # production's with REDIS_URL
    client.force_login(users["office"])
    assert client.get("/quan-ly/").status_code == 200
    settings.CACHES = dead_redis_cache()  # the cache in front of the sessions is gone
    response = client.get("/quan-ly/")
    assert response.status_code == 200 and "office" in response.content.decode()


def test_production_settings_keep_sessions_in_the_database():
    import subprocess
    import sys

    from django.conf import settings

    code = "import django; django.setup(); from django.conf import settings as s; print(s.SESSION_ENGINE)"
    env = {
        "DJANGO_SETTINGS_MODULE": "config.base",
        "REDIS_URL": f"redis://127.0.0.1:{DEAD_PORT}/0",
        "PATH": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django.contrib.sessions.backends.cached_db"


@pytest.mark.django_db
def test_with_redis_down_api_throttling_fails_open_with_a_log_line(client, redis_down, monkeypatch, caplog):
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/minute", raising=False)
    monkeypatch.setattr(AnonRateThrottle, "num_requests", 2, raising=False)
    monkeypatch.setattr(AnonRateThrottle, "duration", 60, raising=False)
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        statuses = [client.get("/api/v1/groups/").status_code for _ in range(5)]
    assert statuses == [200] * 5
    errors = _cache_errors(caplog)
    assert len(errors) == 1 and "API throttling off" in errors[0]


@pytest.mark.django_db
def test_the_same_throttle_refuses_when_the_cache_answers(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/minute", raising=False)
    monkeypatch.setattr(AnonRateThrottle, "num_requests", 2, raising=False)
    monkeypatch.setattr(AnonRateThrottle, "duration", 60, raising=False)
    assert [client.get("/api/v1/groups/").status_code for _ in range(3)] == [200, 200, 429]


def test_the_fail_open_cache_answers_like_an_empty_cache(redis_down):
    cache = caches["default"]
    assert cache.get("a", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set("a", 1) is None and cache.add("a", 1) is False and cache.has_key("a") is False
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]  # the keys not stored
    assert cache.get_or_set("a", 5) == 5
    with pytest.raises(ValueError):
        cache.incr("a")
    assert cache.delete("a") is False and cache.touch("a") is False
    assert cache.unavailable


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of this test's own on a free port, that the test can stop and start again."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    class Server:
        process = None

        def start(self):
            self.process = subprocess.Popen(
                [
                    "redis-server",
                    "--port",
                    str(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                cwd=tmp_path,
                stdout=subprocess.DEVNULL,
            )
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    return
                except OSError:
                    time.sleep(0.05)
            raise RuntimeError("redis-server did not start")

        def stop(self):
            self.process.terminate()
            self.process.wait(timeout=10)

    server = Server()
    server.url = f"redis://127.0.0.1:{port}/0"
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.mark.django_db
def test_redis_going_away_and_coming_back(own_redis, settings, monkeypatch, caplog, client, page_cache_on):
    from core import cache as fail_open
    from core.content import GENERATION_KEY, public_content_generation

    monkeypatch.setattr(fail_open, "RETRY_SECONDS", 0.2)  # try Redis again sooner than production's 5 s
    settings.CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": own_redis.url}}
    cache = caches["default"]
    url = f"/san-pham/{ProductFactory(name='Miến dong Bình Liêu').slug}/"
    before = public_content_generation()
    assert [client.get(url)[STATUS_HEADER] for _ in range(2)] == ["miss", "hit"]

    own_redis.stop()
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        assert client.get(url)[STATUS_HEADER] == "miss"  # served, uncached
        time.sleep(0.3)
        assert client.get(url).status_code == 200
        own_redis.start()  # empty, like a restarted Redis without persistence…
        # …or one that kept the old generation (written past the fail-open wrapper):
        redis.Redis.from_url(own_redis.url).set(cache.make_key(GENERATION_KEY), before)
        time.sleep(0.3)
        assert cache.get("anything") is None  # the first answer after the outage
    messages = [r.getMessage() for r in caplog.records if r.name == "core.cache"]
    assert len(messages) == 2
    assert messages[0].startswith("Cache unavailable") and messages[1].startswith("Cache available again")
    # Writes during the outage could not bump the generation: pages cached before it are not served.
    assert cache.get(GENERATION_KEY) is None and public_content_generation() != before
    assert not cache.unavailable


# The database down --------------------------------------------------------------------------------


def test_with_the_database_down_cached_public_pages_are_still_served(
    client, page_cache_on, database_down_after
):
    product = ProductFactory(name="Na dai Chi Lăng")
    url = f"/san-pham/{product.slug}/"
    assert client.get(url)[STATUS_HEADER] == "miss"
    database_down_after()
    response = client.get(url)
    assert response.status_code == 200 and response[STATUS_HEADER] == "hit"
    assert "Na dai Chi Lăng" in response.content.decode()


def test_with_the_database_down_other_pages_answer_the_maintenance_page(client, page_cache_on, database_down):
    response = client.get("/ban-do/")  # public, but not in the cache
    assert response.status_code == 503
    page = response.content.decode()
    assert MAINTENANCE in page and '<html lang="vi">' in page and 'href="/san-pham/"' in page
    assert response["Retry-After"] == "60" and response["Cache-Control"] == "no-store"


def _office():
    # Not the `users` fixture: these tests flush the database (transactional), reference data included.
    return make_user("office", Role.OFFICE)


def test_with_the_database_down_signed_in_users_get_the_maintenance_page(client, database_down_after):
    client.force_login(_office())
    database_down_after()
    response = client.get("/quan-ly/")
    assert response.status_code == 503 and MAINTENANCE in response.content.decode()
    login = client.post("/dang-nhap/", {"username": "office", "password": "pw-Test-12345"})
    assert login.status_code == 503


def test_with_the_database_down_the_api_answers_503_json(client, database_down):
    response = client.get("/api/v1/groups/")
    assert response.status_code == 503 and response.json() == {"detail": MAINTENANCE}


def test_an_outage_outside_a_view_answers_the_maintenance_page_too(client, settings, database_down_after):
    # Without the middleware, the 500 handler sees the database error being handled.
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "core.middleware.DatabaseUnavailableMiddleware"
    ]
    client.force_login(_office())
    database_down_after()
    client.raise_request_exception = False
    response = client.get("/quan-ly/")
    assert response.status_code == 503 and MAINTENANCE in response.content.decode()


def test_the_outage_is_logged_once_a_minute_not_per_request(client, database_down, caplog):
    from core import errors

    errors._last_logged[0] = 0.0
    with caplog.at_level(logging.ERROR, logger="core.errors"):
        for _ in range(3):
            assert client.get("/api/v1/groups/").status_code == 503
    lines = [r.getMessage() for r in caplog.records if r.name == "core.errors"]
    assert len(lines) == 1 and "Database unavailable" in lines[0]


# /healthz -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_reports_every_dependency(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    data = response.json()
    assert data["status"] == "ok"
    assert {name: check["ok"] for name, check in data["checks"].items()} == {
        "database": True,
        "cache": True,
        "queue": True,
    }


@pytest.mark.django_db
def test_healthz_with_the_cache_down_is_degraded(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "degraded"
    assert data["checks"]["cache"] == {"ok": False, "error": "ConnectionError"}
    assert data["checks"]["database"]["ok"] and data["checks"]["queue"]["ok"]


@pytest.mark.django_db
def test_healthz_with_the_job_queue_down_is_degraded(client, monkeypatch):
    monkeypatch.setattr(djhuey, "HUEY", RedisHuey("ocop", url=f"redis://127.0.0.1:{DEAD_PORT}/0"))
    data = client.get("/healthz").json()
    assert data["status"] == "degraded" and data["checks"]["queue"] == {
        "ok": False,
        "error": "ConnectionError",
    }


def test_healthz_with_the_database_down_answers_503(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "down"
    assert data["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    assert data["checks"]["cache"]["ok"]
