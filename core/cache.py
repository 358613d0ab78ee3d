"""Django's Redis cache backend, reusing one redis client per connection pool, and failing open.

One client per pool: Django 5.2 builds a new redis.Redis for every cache operation, and
redis-py's constructor fills its table of ~170 response callbacks each time: about 0.5 ms per
operation, more than the round trip itself, on every cached public page (two operations). A
redis.Redis is safe to share (connections come from its pool), so each pool keeps one.

Failing open: the cache only makes things faster (sessions are in the database behind it), so
with Redis down every operation answers as a cache miss instead of failing the request: pages
are served uncached, DRF's throttle finds no history and lets the request through, a stored
value is simply not stored. The outage is logged once per process and Redis is left alone for
RETRY_SECONDS (a dead host would otherwise cost a connect timeout per operation); its return
is logged too. When it comes back, the public content generation (core.content) is dropped, so
that no page cached before the outage is served if the data changed while the bumps were lost.
"""

import logging
import threading
import time

from django.core.cache.backends import redis as django_redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)
RETRY_SECONDS = 5.0


class _ReusingClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class _Outages:
    """Which cache servers are down, shared by the threads of a process (Django keeps one
    backend instance per thread)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._down_since: dict[str, float] = {}
        self._retry_at: dict[str, float] = {}

    def skip(self, location: str) -> bool:
        """Down and not yet due for another try."""
        return time.monotonic() < self._retry_at.get(location, 0.0)

    def failed(self, location: str, operation: str, error: Exception) -> None:
        now = time.monotonic()
        with self._lock:
            first = location not in self._down_since
            self._down_since.setdefault(location, now)
            self._retry_at[location] = now + RETRY_SECONDS
        if first:
            logger.error(
                "Cache unavailable (%s on %s: %s): serving without it (pages uncached, API throttling "
                "off) until it answers again",
                type(error).__name__,
                operation,
                error,
            )

    def answered(self, location: str) -> bool:
        """Record an answer; True when it ends an outage."""
        if location not in self._down_since:
            return False
        with self._lock:
            since = self._down_since.pop(location, None)
            self._retry_at.pop(location, None)
        if since is None:
            return False
        logger.warning("Cache available again after %.0f s", time.monotonic() - since)
        return True

    def is_down(self, location: str) -> bool:
        return location in self._down_since


outages = _Outages()


def _fail_open(name: str, fallback):
    """The parent's operation `name`, answering fallback(*args, **kwargs) while Redis is down."""
    parent = getattr(django_redis.RedisCache, name)

    def operation(self, *args, **kwargs):
        if outages.skip(self._location):
            return fallback(*args, **kwargs)
        try:
            result = parent(self, *args, **kwargs)
        except UNAVAILABLE as error:
            outages.failed(self._location, name, error)
            return fallback(*args, **kwargs)
        if outages.answered(self._location):
            self._after_outage()
        return result

    operation.__name__ = name
    operation.__doc__ = parent.__doc__
    return operation


def _missing(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found (the cache is unavailable)")


def _default(key, default=None, version=None):
    return default


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingClient
        self._location = ",".join(self._servers)

    get = _fail_open("get", _default)
    get_many = _fail_open("get_many", lambda *a, **k: {})
    has_key = _fail_open("has_key", lambda *a, **k: False)
    set = _fail_open("set", lambda *a, **k: None)
    set_many = _fail_open("set_many", lambda data, *a, **k: list(data))
    add = _fail_open("add", lambda *a, **k: False)
    touch = _fail_open("touch", lambda *a, **k: False)
    delete = _fail_open("delete", lambda *a, **k: False)
    delete_many = _fail_open("delete_many", lambda *a, **k: None)
    incr = _fail_open("incr", _missing)
    clear = _fail_open("clear", lambda *a, **k: None)

    def _after_outage(self) -> None:
        from core.content import GENERATION_KEY

        self.delete(GENERATION_KEY)

    def ping(self) -> None:
        """Ask Redis directly (for /healthz): raises while it is down, whatever the fail-open state."""
        self._cache.get_client(write=True).ping()

    @property
    def unavailable(self) -> bool:
        return outages.is_down(self._location)
