"""What the published schema promises, the server keeps: every operation declares the errors it
can answer, reads need no credentials, and the query parameters' constraints are enforced (a value
the schema forbids is a 400, never silently ignored)."""

import json

import pytest

from core.testing import ProductFactory
from reports.tests.helpers import build_world

pytestmark = pytest.mark.django_db

# The reads for the provincial office only: the exchange with the national database (issue 17).
STAFF_READS = {"/api/v1/national-export/", "/api/v1/national-export/dry-run/"}


@pytest.fixture
def schema(api):
    return json.loads(api.get("/api/v1/schema/", {"format": "json"}).content)


def operations(schema):
    for path, items in schema["paths"].items():
        for method, operation in items.items():
            yield method.upper(), path, operation


def test_every_operation_declares_its_errors(schema):
    for method, path, operation in operations(schema):
        codes = set(operation["responses"])
        where = f"{method} {path}"
        assert {"401", "429"} <= codes, where
        if method == "GET" and path in STAFF_READS:
            assert {} not in operation["security"] and "403" in codes, where
        elif method == "GET":
            assert {} in operation["security"], where  # anyone may read
        else:
            assert {} not in operation["security"], where
            assert {"400", "403", "404" if "{" in path else "400", "415", "422"} <= codes, where
        if "{" in path:
            assert "404" in codes, where
        for code in codes - {"200", "201"}:
            content = operation["responses"][code]["content"]
            assert "application/json" in content, where


def test_query_constraints_are_published(schema):
    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/products/"]["get"]["parameters"]}
    assert parameters["page_size"] == {"type": "integer", "minimum": 1, "maximum": 200}
    assert parameters["page"]["minimum"] == 1
    assert parameters["search"]["maxLength"] == 100
    assert parameters["commune"]["pattern"] == "^(?:[0-9]{5})?$"
    assert "facebook" in parameters["channel"]["enum"]
    certificates = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/v1/certificates/"]["get"]["parameters"]
    }
    assert certificates["year"] == {"type": "integer", "minimum": 1900, "maximum": 2100}
    geojson = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/geojson/"]["get"]["parameters"]}
    assert "facebook" in geojson["channel"]["enum"]


@pytest.mark.parametrize(
    "url,params,status,field",
    [
        ("/api/v1/products/", {"valid": "-1"}, 400, "valid"),
        ("/api/v1/products/", {"channel": ""}, 400, "channel"),
        ("/api/v1/products/", {"page_size": "0"}, 400, "page_size"),
        ("/api/v1/products/", {"page_size": "201"}, 400, "page_size"),
        ("/api/v1/products/", {"page_size": "abc"}, 400, "page_size"),
        ("/api/v1/products/", {"commune": "abc"}, 400, "commune"),
        ("/api/v1/products/", {"search": "x\x00"}, 400, "search"),
        ("/api/v1/products/", {"page": ""}, 404, "detail"),
        ("/api/v1/certificates/", {"current": "1"}, 400, "current"),
        ("/api/v1/certificates/", {"year": "2000.5"}, 400, "year"),
        ("/api/v1/events/", {"kind": ""}, 400, "kind"),
        ("/api/v1/geojson/", {"channel": "fax"}, 400, "channel"),
        ("/api/v1/geojson/", {"format": ""}, 400, "format"),
        ("/api/v1/areas/geojson/", {"bbox": "1,2,3"}, 400, "bbox"),
        ("/api/v1/areas/geojson/", {"bbox": "107,22,106,21"}, 422, "bbox"),  # min above max
        ("/api/v1/areas/geojson/", {"product": "a\x00"}, 400, "product"),
        ("/api/v1/statistics/", {"commune": "123"}, 400, "commune"),
        ("/api/v1/statistics/", {"commune": "99999"}, 404, "detail"),
    ],
)
def test_what_the_schema_forbids_is_refused(api, db, url, params, status, field):
    response = api.get(url, params)
    assert response.status_code == status, response.content
    assert field in response.json()


def test_what_the_schema_allows_is_accepted(api, users, communes):
    build_world(users, communes)
    for url, params in [
        ("/api/v1/products/", {"valid": "true", "commune": "", "page_size": "200"}),
        ("/api/v1/certificates/", {"current": "false", "year": "2025"}),
        ("/api/v1/areas/geojson/", {"bbox": "106.1,21.5,107.2,22.4"}),
        ("/api/v1/statistics/", {"commune": ""}),
        ("/api/v1/products/khong.co/", {}),  # any text but a slash reaches the view: a JSON 404
    ]:
        response = api.get(url, params)
        assert response.status_code in (200, 404), (url, response.content)
        assert response["Content-Type"].startswith("application/"), url


def test_staff_read_back_what_the_rules_let_them_see(api, token_client, users):
    draft = ProductFactory(producer=users["own_producer"], name="Bản nháp", status="draft")
    url = f"/api/v1/products/{draft.slug}/"
    assert api.get(url).status_code == 404  # drafts do not exist for the public
    assert token_client("office").get(url).json()["slug"] == draft.slug
    assert token_client("officer").get(url).status_code == 200  # Chi Lăng: the officer's commune
    assert token_client("producer").get(url).status_code == 404  # another producer's draft
    producer = users["foreign_producer"]  # no public product: not public
    assert api.get(f"/api/v1/producers/{producer.slug}/").status_code == 404
    assert token_client("officer").get(f"/api/v1/producers/{producer.slug}/").status_code == 404
    assert token_client("council").get(f"/api/v1/producers/{producer.slug}/").status_code == 200


@pytest.mark.parametrize("field", ["commune", "category", "producer"])
def test_a_reference_holding_a_nul_character_is_a_400_naming_the_field(token_client, field):
    # PostgreSQL cannot compare a text holding NUL: found by schemathesis as a 500 on PostgreSQL.
    body = {"name": "Mật ong", field: "I.1\x00a"}
    response = token_client("office").post("/api/v1/products/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
