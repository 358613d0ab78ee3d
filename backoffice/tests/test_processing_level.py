"""The product form records the processing level (issue 17 point 6); blank = not yet classified."""

import pytest
from django.urls import reverse

from backoffice.tests.test_views import _form_data
from core.testing import ProductFactory

pytestmark = pytest.mark.django_db


def test_product_form_sets_and_clears_the_processing_level(client, users):
    product = ProductFactory(producer=users["own_producer"], processing_level="")
    client.force_login(users["officer"])
    url = reverse("backoffice:product_edit", args=[product.pk])
    form = client.get(url).context["form"]
    assert "Chế biến sâu" in dict(form.fields["processing_level"].choices).values()
    assert client.post(url, {**_form_data(form), "processing_level": "deep"}).status_code == 302
    product.refresh_from_db()
    assert product.processing_level == "deep"
    assert product.history.first().processing_level == "deep"
    detail = client.get(reverse("backoffice:product_detail", args=[product.pk])).content.decode()
    assert "Chế biến sâu" in detail
    bad = {**_form_data(client.get(url).context["form"]), "processing_level": "nau-chin"}
    response = client.post(url, bad)
    assert response.status_code == 200 and "Mức độ chế biến" in response.content.decode()
    product.refresh_from_db()
    assert product.processing_level == "deep"
