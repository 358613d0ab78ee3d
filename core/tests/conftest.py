"""Services made unreachable for real, for the degradation and error-page tests: settings
pointed at dead ports (nothing listens on port 1), no stand-ins for our own code."""

import itertools

import pytest
from django.db import connections

from core import errors

DEAD_PORT = 1
_outage = itertools.count(1)


@pytest.fixture
def database_down_after(transactional_db, tmp_path):
    """A function that makes the default database unreachable from then on: PostgreSQL at a dead
    port, SQLite at a file in a folder that does not exist. Restored after the test."""
    connection = connections["default"]
    saved = dict(connection.settings_dict)

    def take_down():
        connection.close()
        if connection.vendor == "sqlite":
            connection.settings_dict["NAME"] = str(tmp_path / "missing" / "ocop.sqlite3")
        else:
            connection.settings_dict.update(HOST="127.0.0.1", PORT=str(DEAD_PORT))

    yield take_down
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)
    errors._down_until[0] = 0.0  # core.errors remembers the outage for a few seconds: it is over


@pytest.fixture
def database_down(database_down_after):
    """The default database unreachable for the whole test."""
    database_down_after()


def dead_redis_cache() -> dict:
    """Production's cache settings (config/base.py) with Redis at a dead port; each call a new
    location, so each test sees the outage begin (and logged) afresh."""
    return {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{DEAD_PORT}/{next(_outage)}",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }


@pytest.fixture
def redis_down(settings):
    settings.CACHES = dead_redis_cache()
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
