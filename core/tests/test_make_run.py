"""`make run` serves the demo on any port, and the links it prints (QR codes, e-mails) point to
that server, unless OCOP_SITE_URL says otherwise. `make -n` prints the commands without running."""

import os
import shutil
import subprocess

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")


def _dry_run(**env) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "OCOP_SITE_URL"} | env
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8123"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_the_site_address_follows_the_port():
    commands = _dry_run()
    assert "OCOP_SITE_URL=http://127.0.0.1:8123 .venv/bin/gunicorn" in commands
    assert "OCOP_SITE_URL=http://127.0.0.1:8123 .venv/bin/python manage.py run_huey" in commands


def test_a_configured_site_address_wins():
    commands = _dry_run(OCOP_SITE_URL="https://ocop.langson.gov.vn")
    assert "OCOP_SITE_URL=https://ocop.langson.gov.vn .venv/bin/gunicorn" in commands


def test_run_is_production_on_this_machine():
    commands = _dry_run()
    # gunicorn with production's configuration, DEBUG left off (config/env.py's default).
    assert ".venv/bin/gunicorn -c deploy/gunicorn.conf.py -w 3 -b 127.0.0.1:8123" in commands
    assert "DJANGO_DEBUG" not in commands and "runserver" not in commands
    # The worker beside it runs the periodic jobs too (huey's consumer is the scheduler).
    assert "manage.py run_huey &" in commands and "--no-periodic" not in commands


def test_dev_keeps_the_reloading_server():
    commands = subprocess.run(
        ["make", "-n", "dev", "PORT=8123"], cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
    ).stdout
    assert "DJANGO_DEBUG=1 .venv/bin/python manage.py runserver 127.0.0.1:8123" in commands
    assert "manage.py run_huey" in commands
