"""Lost updates through the API: a PATCH that sends the `version` it read is refused with 409 when
the record changed since, as the back-office form is (products/services' expected_version)."""

import pytest
from rest_framework.test import APIClient

from core.testing import ProductFactory
from products.models import Classification, Product

pytestmark = pytest.mark.django_db


def _product(users, **fields):
    leaf = Classification.objects.get(scheme="QD26-2026", code="I.1.a")
    return ProductFactory(producer=users["own_producer"], category=leaf, **fields)


@pytest.fixture
def office_api(users):
    client = APIClient()
    client.force_authenticate(users["office"])
    return client


def test_a_patch_with_a_stale_version_is_refused_with_409(office_api, users):
    product = _product(users, packaging="Hộp giấy")
    url = f"/api/v1/products/{product.slug}/"
    read = office_api.get(url).json()["version"]
    first = office_api.patch(url, {"packaging": "Túi 500 g", "version": read}, format="json")
    assert first.status_code == 200, first.json()
    assert first.json()["version"] == read + 1
    second = office_api.patch(url, {"packaging": "Hũ thủy tinh", "version": read}, format="json")
    assert second.status_code == 409
    assert "thay đổi" in second.json()["detail"]
    assert Product.objects.get(pk=product.pk).packaging == "Túi 500 g"


def test_a_patch_without_a_version_is_not_checked(office_api, users):
    product = _product(users)
    url = f"/api/v1/products/{product.slug}/"
    assert office_api.patch(url, {"packaging": "Túi"}, format="json").status_code == 200
    assert office_api.patch(url, {"packaging": "Hộp"}, format="json").status_code == 200


def test_a_producer_patch_with_a_stale_version_is_refused(office_api, users):
    producer = users["own_producer"]
    url = f"/api/v1/producers/{producer.slug}/"
    read = office_api.get(url).json()["version"]
    assert office_api.patch(url, {"representative": "A", "version": read}, format="json").status_code == 200
    assert office_api.patch(url, {"representative": "B", "version": read}, format="json").status_code == 409


def test_the_schema_declares_the_409_of_updates():
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    assert "409" in schema["paths"]["/api/v1/products/{slug}/"]["patch"]["responses"]
    assert "409" not in schema["paths"]["/api/v1/products/"]["post"]["responses"]
