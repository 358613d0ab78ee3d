"""Property-based contract test of the public API with schemathesis: generated requests against
/api/v1/schema/ must never cause a server error or a response the schema does not describe.
Bounded: read operations only, a few examples each."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application).include(method="GET")


@pytest.fixture
def world(db, users, communes):
    from api.tests.test_contract import build_world

    # Calling the WSGI application directly would close the test's database connection at the end
    # of each request; Django's own test client disconnects this handler in the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield build_world(users, communes)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_public_api_never_fails_and_matches_its_schema(case, world):
    cache.clear()  # anonymous throttling would answer 429 after many generated calls
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
