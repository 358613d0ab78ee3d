"""core.cache.RedisCache against the machine's Redis (production's cache backend)."""

import socket

import pytest
from django.core.cache import caches

REDIS_URL = "redis://127.0.0.1:6379/9"


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": REDIS_URL}}
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()


def test_one_client_is_reused_for_every_operation(redis_cache):
    backend = redis_cache._cache
    assert backend.get_client("a") is backend.get_client("b", write=True)


def test_the_operations_the_portal_uses_work(redis_cache, db, django_capture_on_commit_callbacks):
    from core.content import GENERATION_KEY, public_content_changed, public_content_generation

    first = public_content_generation()
    with django_capture_on_commit_callbacks(execute=True):
        public_content_changed()  # bumps now and again after the commit
    assert public_content_generation() == first + 2
    redis_cache.set("page", (first, b"<html>", {"Content-Type": "text/html"}), 30)
    found = redis_cache.get_many([GENERATION_KEY, "page"])
    assert found == {GENERATION_KEY: first + 2, "page": (first, b"<html>", {"Content-Type": "text/html"})}
