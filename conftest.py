"""Shared fixtures: reference data loaded once per test database, users per role,
and pytest-playwright pointed at Debian's chromium."""

import os
import shutil

import pytest
from django.core.management import call_command
from hypothesis import settings as hypothesis_settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # pytest-playwright keeps an asyncio loop

# No per-example time limit: speed is measured by the benchmarks, and on a shared 2-core machine
# hypothesis' 200 ms deadline failed a correct test (FlakyFailure: DeadlineExceeded).
hypothesis_settings.register_profile("ocop", deadline=None)
hypothesis_settings.load_profile("ocop")

CHROMIUM = os.environ.get("OCOP_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), open(os.devnull, "w") as quiet:
        call_command("load_reference", stdout=quiet)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Fast hashing for the many test accounts; the real hasher is Django's default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # One in-memory cache per test run (the file cache of var/ is shared with `make run`
    # and with other test runs), emptied before each test.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
    }
    # Tests read the rendered context of repeated requests: the public page cache is off except
    # where a test turns it on (catalogue/tests/test_pagecache.py, the catalogue's browser tests).
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    # Background jobs run in the test's thread, from huey's in-memory queue, when the transaction
    # that started them commits (jobs.testing.run_jobs); their results go to the test's folder.
    settings.JOBS_DIR = tmp_path / "jobs"
    settings.DOSSIER_FILES_DIR = tmp_path / "dossier-files"  # private dossier documents (evaluation)
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def communes(db):
    from geo.models import Commune

    return {c.code: c for c in Commune.objects.all()}


@pytest.fixture
def users(db, communes):
    from core.testing import make_users

    return make_users(communes)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"Debian chromium not found at {CHROMIUM} (make test installs it when run as root)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }
