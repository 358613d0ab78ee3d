import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_pass_check_deploy():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **env,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SECURE": "1",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "ocop.langson.gov.vn",
        "DJANGO_SETTINGS_MODULE": "config.base",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "tile.openstreetmap.org" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_login_is_throttled_after_five_failures(client, users):
    url = reverse("login")
    for _ in range(4):
        response = client.post(url, {"username": "office", "password": "wrong"}, REMOTE_ADDR="10.0.0.7")
        assert response.status_code == 200
    fifth = client.post(url, {"username": "office", "password": "wrong"}, REMOTE_ADDR="10.0.0.7")
    assert fifth.status_code == 429
    assert "Tạm khóa đăng nhập" in fifth.content.decode()
    # Now even the right password is refused for this account, from this address or another.
    locked = client.post(url, {"username": "office", "password": "pw-Test-12345"}, REMOTE_ADDR="10.0.0.7")
    assert locked.status_code == 429
    elsewhere = client.post(url, {"username": "office", "password": "pw-Test-12345"}, REMOTE_ADDR="10.0.0.8")
    assert elsewhere.status_code == 429
    assert "_auth_user_id" not in client.session
    # The address is locked too: another account from it is refused, from another address it gets in.
    same_address = client.post(
        url, {"username": "council", "password": "pw-Test-12345"}, REMOTE_ADDR="10.0.0.7"
    )
    assert same_address.status_code == 429
    other = client.post(url, {"username": "council", "password": "pw-Test-12345"}, REMOTE_ADDR="10.0.0.8")
    assert other.status_code == 302


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 20000
