"""The exchange document validates against its shipped JSON Schema, through the API and the file."""

import json

import jsonschema
import pytest

from traceability.export import export_batches, json_schema, public_batches
from traceability.services import batch_recall

pytestmark = pytest.mark.django_db


@pytest.fixture
def batches(make_batch, area, harvest, users, today):
    first = make_batch(area=area, harvests=[harvest])
    second = make_batch(lot="L2026-02", inputs_note="Mật mua của hộ liên kết")
    batch_recall(second, on=today, reason="Sai nhãn", actor=users["producer"])
    return first, second


def validate(data):
    jsonschema.Draft202012Validator.check_schema(json_schema())
    jsonschema.Draft202012Validator(json_schema(), format_checker=jsonschema.FormatChecker()).validate(data)


def test_the_export_validates_and_answers_who_what_where_when_which_lot(batches, harvest):
    data = export_batches(public_batches())
    validate(data)
    assert [b["lot"] for b in data["batches"]] == ["L2026-01", "L2026-02"]
    kinds = [(e["type"], e["which_lot"]) for e in data["events"]]
    assert kinds == [
        ("harvest", "L2026-01"),
        ("production", "L2026-01"),
        ("production", "L2026-02"),
        ("recall", "L2026-02"),
    ]
    first_harvest = data["events"][0]
    assert first_harvest["when"] == harvest.date.isoformat()
    assert first_harvest["where"]["name"] == "Vùng nuôi ong Chi Lăng"
    assert data["products"][0]["ocop_certificate"]["stars"] == 4


def test_the_schema_can_fail(batches):
    data = export_batches(public_batches())
    data["batches"][0]["lot"] = "LÔ có dấu"
    with pytest.raises(jsonschema.ValidationError):
        validate(data)


def test_the_api_serves_the_export_and_documents_it(client, batches):
    response = client.get("/api/v1/traceability/")
    assert response.status_code == 200
    validate(response.json())
    one = client.get(f"/api/v1/traceability/batches/{batches[0].pk}/")
    validate(one.json())
    assert [b["lot"] for b in one.json()["batches"]] == ["L2026-01"]
    assert client.get("/api/v1/traceability/batches/999999/").status_code == 404
    assert client.get("/api/v1/traceability/", {"product": "x"}).status_code == 400
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/traceability/"]["get"]
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert "events" in body["properties"]
    assert body["properties"]["events"]["items"]["properties"]["which_lot"]["maxLength"] == 20


def test_the_api_hides_batches_of_hidden_products(client, batches, honey):
    honey.status = "draft"
    honey.save()
    assert client.get("/api/v1/traceability/").json()["batches"] == []
    assert client.get(f"/api/v1/traceability/batches/{batches[0].pk}/").status_code == 404


def test_the_file_download_validates(client, batches, users):
    client.force_login(users["producer"])
    response = client.get("/quan-ly/lo-san-pham/xuat-du-lieu/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    validate(json.loads(response.content))
