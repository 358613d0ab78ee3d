"""The open API against its own schema with schemathesis, every check (`--checks all`: server
errors, status codes, content types, response schemas, headers, invalid data rejected, valid data
accepted, ignored authentication, unsupported methods, and the stateful checks), every phase
(examples, coverage, fuzzing, stateful), anonymous and with a staff token: zero failures.

The command line runs against the test database served by pytest-django's live server, exactly as
a developer runs it (schemathesis.toml at the repository's root holds the project's conventions).
Bounded: a few generated examples per operation and a fixed seed, under two minutes for both."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.throttling import AnonRateThrottle

from core.testing import make_users
from geo.models import Commune
from reports.tests.helpers import build_world

ROOT = Path(__file__).resolve().parents[2]
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
EXAMPLES = os.environ.get("OCOP_SCHEMATHESIS_EXAMPLES", "5")
STAFF_TOKEN = "5" * 40  # the office account's


@pytest.fixture
def served(live_server, django_db_blocker, monkeypatch):
    # transaction=True tests flush the database: load the reference data again.
    with django_db_blocker.unblock(), open(os.devnull, "w") as quiet:
        call_command("load_reference", stdout=quiet)
    communes = {c.code: c for c in Commune.objects.all()}
    users = make_users(communes)
    build_world(users, communes)
    Token.objects.create(user=users["office"], key=STAFF_TOKEN)
    # Thousands of anonymous requests a minute: throttling (429, documented) would hide the rest.
    monkeypatch.setattr(AnonRateThrottle, "rate", "1000000/minute", raising=False)
    monkeypatch.setattr(AnonRateThrottle, "num_requests", 1_000_000, raising=False)
    monkeypatch.setattr(AnonRateThrottle, "duration", 60, raising=False)
    return live_server.url


def run_schemathesis(url: str, *options: str) -> subprocess.CompletedProcess:
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{url}/api/v1/schema/",
        "--checks",
        "all",
        "--max-examples",
        EXAMPLES,
        "--seed",
        "20261204",
        "--workers",
        "1",  # the live server shares the test's database connection
        "--no-color",
        *options,
    ]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


def assert_no_failures(result: subprocess.CompletedProcess):
    output = result.stdout + result.stderr
    # Exit status 0: no failure and no error (schemathesis exits 1 on either).
    assert result.returncode == 0, output[-8000:]
    assert "Tested:" in output, output[-3000:]  # the schema loaded and operations ran


@pytest.mark.django_db(transaction=True)
def test_anonymous_clients_get_only_what_the_schema_promises(served):
    # Every read. An anonymous write is a 401 whatever its body (test_write_matrix.py): its bodies
    # are generated with the staff token below, where they reach the rules.
    writes = ("--exclude-method", "POST", "--exclude-method", "PUT", "--exclude-method", "PATCH")
    assert_no_failures(run_schemathesis(served, *writes))


@pytest.mark.django_db(transaction=True)
def test_a_staff_token_gets_only_what_the_schema_promises(served):
    # The operations a token changes: the writes, and reading back what was written (a draft). The
    # other reads answer a token as they answer anyone (the anonymous run above).
    staff = ("--header", f"Authorization: Token {STAFF_TOKEN}")
    only = ("--include-path-regex", "^/api/v1/produc", "--exclude-operation-id-regex", "_list$")
    assert_no_failures(run_schemathesis(served, *staff, *only))
