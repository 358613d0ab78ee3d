"""The resolver answers a person with the page, a machine with the linkset (RFC 9264), and
?linkType= with a 307 to one link (GS1-Conformant Resolver standard 1.2.0)."""

import json

import jsonschema
import pytest

from traceability.links import GS1_VOC, LINKSET_TYPE
from traceability.services import batch_issue_code, batch_recall

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(make_batch, area, harvest):
    return make_batch(area=area, harvests=[harvest])


def test_a_person_gets_the_page(client, batch, settings):
    response = client.get(f"/lo/{batch.product_id}/10/L2026-01", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mật ong bạc hà Chi Lăng" in page and "L2026-01" in page
    assert "HKD Sầm Thu" in page  # the producer
    assert "VietGAP" in page and "Vùng nuôi ong Chi Lăng" in page  # the area and its certification
    assert "ocop-product-areas" in page  # the area's map data
    assert "Vụ mật 2026" in page  # the harvest
    assert batch.produced_on.strftime("%d/%m/%Y") in page
    assert 'rel="linkset"' in response["Link"]
    assert "Accept" in response["Vary"]


def test_a_machine_gets_the_linkset(client, batch, settings):
    settings.SITE_URL = "https://ocop.example.vn"
    url = f"/lo/{batch.product_id}/10/L2026-01"
    for response in (client.get(url, HTTP_ACCEPT=LINKSET_TYPE), client.get(url + "?linkType=linkset")):
        assert response.status_code == 200
        assert response["Content-Type"] == LINKSET_TYPE
        data = json.loads(response.content)
        context = data["linkset"][0]
        assert context["anchor"] == "https://ocop.example.vn" + url
        assert context[GS1_VOC + "pip"][0]["href"] == "https://ocop.example.vn/san-pham/mat-ong-bac-ha/"
        assert "/xac-minh/" in context[GS1_VOC + "certificationInfo"][0]["href"]
        trace = context[GS1_VOC + "traceability"][0]
        assert trace["href"].endswith(f"/api/v1/traceability/batches/{batch.pk}/")
        assert trace["type"] == "application/json"
        jsonschema.validate(data, LINKSET_SCHEMA)


@pytest.mark.parametrize(
    ("link_type", "target"),
    [
        ("gs1:pip", "/san-pham/mat-ong-bac-ha/"),
        ("https://gs1.org/voc/pip", "/san-pham/mat-ong-bac-ha/"),
        ("gs1:certificationInfo", "/xac-minh/"),
        ("gs1:traceability", "/api/v1/traceability/batches/"),
        ("gs1:nonsense", "/lo/"),  # unknown: the default link
    ],
)
def test_link_type_redirects_to_one_link(client, batch, link_type, target):
    response = client.get(f"/lo/{batch.product_id}/10/L2026-01", {"linkType": link_type})
    assert response.status_code == 307
    assert target in response["Location"]


def test_the_default_link_answers_with_the_page(client, batch):
    response = client.get(f"/lo/{batch.product_id}/10/L2026-01", {"linkType": "gs1:nonsense"})
    assert client.get(response["Location"]).status_code == 200


def test_the_gtin_address_resolves_even_after_the_gtin_changes(client, batch, honey, users):
    honey.gtin = "09506000134352"
    honey.save()
    batch_issue_code(batch, actor=users["producer"])
    assert client.get("/01/09506000134352/10/L2026-01").status_code == 200
    assert client.get("/01/9506000134352/10/L2026-01").status_code == 200  # GTIN-13 form
    honey.gtin = None
    honey.save()
    assert client.get("/01/09506000134352/10/L2026-01").status_code == 200
    assert client.get(f"/lo/{honey.pk}/10/L2026-01").status_code == 200
    assert client.get("/01/09506000134352/10/L2026-02").status_code == 404
    assert client.get("/01/09506000134353/10/L2026-01").status_code == 404  # bad check digit


def test_a_lot_with_reserved_characters_round_trips(client, make_batch):
    batch = make_batch(lot="A/1%2")
    from traceability.links import batch_path

    path = batch_path(batch)
    assert path.endswith("/10/A%2F1%252")
    assert client.get(path).status_code == 200


def test_a_recalled_batch_shows_as_recalled(client, batch, users, today):
    batch_recall(batch, on=today, reason="Lọ bị rò rỉ", actor=users["producer"])
    page = client.get(f"/lo/{batch.product_id}/10/L2026-01").content.decode()
    assert "LÔ ĐÃ BỊ THU HỒI" in page and "Lọ bị rò rỉ" in page and today.strftime("%d/%m/%Y") in page


def test_a_hidden_product_still_resolves_without_its_details(client, batch, honey):
    honey.status = "draft"
    honey.save()
    response = client.get(f"/lo/{batch.product_id}/10/L2026-01")
    assert response.status_code == 200
    assert "HKD Sầm Thu" not in response.content.decode()
    data = json.loads(client.get(f"/lo/{batch.product_id}/10/L2026-01?linkType=linkset").content)
    assert GS1_VOC + "pip" not in data["linkset"][0]


def test_the_page_reads_a_fixed_number_of_queries(client, batch, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        client.get(f"/lo/{batch.product_id}/10/L2026-01")


# The GS1-Conformant resolver 1.2.0 linkset schema's core (https://ref.gs1.org/standards/resolver/
# linkset-schema): an array of context objects with an anchor, link relations mapping to arrays of
# target objects with an href.
LINKSET_SCHEMA = {
    "type": "object",
    "required": ["linkset"],
    "properties": {
        "linkset": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["anchor"],
                "properties": {"anchor": {"type": "string", "pattern": "^https?://[a-zA-Z0-9./]+"}},
                "patternProperties": {
                    "^https://gs1.org/voc/": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["href"],
                            "properties": {
                                "href": {"type": "string"},
                                "title": {"type": "string"},
                                "type": {"type": "string"},
                                "hreflang": {"type": "array", "items": {"type": "string"}},
                            },
                        },
                    }
                },
            },
        }
    },
}
