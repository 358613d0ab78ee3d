"""The API contract: a valid OpenAPI 3 schema, and every documented read endpoint answering 200
with exactly the documented keys."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

from certificates.models import Certificate
from reports.tests.helpers import build_world


@pytest.fixture
def schema(api, db):
    response = api.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on an invalid document
    paths = set(schema["paths"])
    for expected in (
        "/api/v1/products/",
        "/api/v1/products/{slug}/",
        "/api/v1/producers/",
        "/api/v1/producers/{slug}/",
        "/api/v1/certificates/",
        "/api/v1/certificates/{public_code}/",
        "/api/v1/communes/",
        "/api/v1/groups/",
        "/api/v1/statistics/",
        "/api/v1/geojson/",
    ):
        assert expected in paths
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])
    search = {p["name"] for p in schema["paths"]["/api/v1/products/"]["get"]["parameters"]}
    assert {"search", "stars", "group", "subgroup", "commune", "district", "valid", "page"} <= search


@pytest.mark.django_db
def test_spectacular_command_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert target.read_text(encoding="utf-8").startswith("openapi: 3")


@pytest.mark.django_db
def test_docs_are_served_from_our_own_static_files(api):
    response = api.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "api/swagger-ui/swagger-ui-bundle.js" in html and "api/docs.js" in html
    assert not re.search(r"cdn|jsdelivr|unpkg|https?://(?!127)", html.replace("http://testserver", ""))
    for path in ("api/swagger-ui/swagger-ui-bundle.js", "api/swagger-ui/swagger-ui.css", "api/docs.js"):
        assert finders.find(path), path


def _resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _event():
    import datetime as dt

    from promotion.models import Event

    event, _ = Event.objects.get_or_create(
        slug="hoi-cho-ocop-2026",
        defaults={
            "name": "Hội chợ OCOP 2026",
            "kind": "fair",
            "place": "Lạng Sơn",
            "start_date": dt.date(2026, 12, 1),
            "end_date": dt.date(2026, 12, 5),
            "is_published": True,
        },
    )
    return event


def _batch(product):
    import datetime as dt

    from traceability.models import Batch

    batch, _ = Batch.objects.get_or_create(
        product=product, lot="CT-1", defaults={"produced_on": dt.date(2026, 6, 1), "quantity": 10}
    )
    return batch


def _fill(path, world) -> str:
    product = world["valid4"]
    values = {
        "/api/v1/products/{slug}/": product.slug,
        "/api/v1/producers/{slug}/": product.producer.slug,
        "/api/v1/certificates/{public_code}/": Certificate.objects.get(product=product).public_code,
        "/api/v1/communes/{code}/": "06463",
        "/api/v1/former-districts/{code}/": "187",
        "/api/v1/groups/{code}/": "I",
        "/api/v1/events/{slug}/": _event().slug,
        "/api/v1/traceability/batches/{id}/": str(_batch(product).pk),
    }
    return re.sub(r"\{[^}]+\}", values.get(path, ""), path)


def _check_keys(schema, node, data, where):
    node = _resolve(schema, node)
    if node.get("type") == "array":
        assert isinstance(data, list), where
        for item in data[:3]:
            _check_keys(schema, node["items"], item, where + "[]")
        return
    if "properties" not in node or data is None:
        return
    assert set(data) == set(node["properties"]), where
    for key, prop in node["properties"].items():
        prop = _resolve(schema, prop)
        if prop.get("type") in ("object", "array") or "properties" in prop:
            _check_keys(schema, prop, data[key], f"{where}.{key}")


@pytest.mark.django_db
def test_every_documented_read_endpoint_answers_with_its_keys(api, token_client, schema, users, communes):
    world = build_world(users, communes)
    office = token_client("office")  # the reads for the office only (test_schema_rules.STAFF_READS)
    checked = 0
    for path, operations in schema["paths"].items():
        if "get" not in operations or path.endswith(("/schema/", "/docs/")):
            continue
        client = api if {} in operations["get"]["security"] else office
        response = client.get(_fill(path, world), HTTP_ACCEPT="application/json")
        assert response.status_code == 200, path
        content = operations["get"]["responses"]["200"]["content"]
        documented = content.get("application/json") or next(iter(content.values()))
        _check_keys(schema, documented["schema"], response.json(), path)
        checked += 1
    assert checked >= 12


@pytest.mark.django_db
def test_errors_are_json(api, users, communes):
    build_world(users, communes)
    missing = api.get("/api/v1/products/khong-co/")
    assert missing.status_code == 404 and "detail" in missing.json()
    bad = api.get("/api/v1/products/", {"stars": "7"})
    assert bad.status_code == 400 and "stars" in bad.json()
    bad = api.get("/api/v1/statistics/", {"commune": "9999"})
    assert bad.status_code == 400 and "commune" in bad.json()
    unknown = api.get("/api/v1/statistics/", {"commune": "99999"})  # well formed, names no commune
    assert unknown.status_code == 404 and "99999" in unknown.json()["detail"]
