"""Two people edit the same producer or product: the first save wins, the second is told and
keeps what they typed (and may then save over it deliberately)."""

import re

import pytest
from django.urls import reverse

from core.testing import ProductFactory
from producers.models import Producer
from products.models import Product

pytestmark = pytest.mark.django_db

MESSAGE = "Bản ghi đã được người khác thay đổi từ khi bạn mở trang này"


def _hidden_version(page: str) -> int:
    return int(re.search(r'<input type="hidden" name="version" value="(\d+)"', page).group(1))


def _producer_data(producer, representative, version):
    return {
        "name": producer.name,
        "kind": producer.kind,
        "registration_code": producer.registration_code,
        "commune": producer.commune_id,
        "representative": representative,
        "version": version,
    }


def test_the_producer_form_carries_the_version_and_a_stale_save_is_refused(client, users):
    producer = users["own_producer"]
    url = reverse("backoffice:producer_edit", args=[producer.pk])
    client.force_login(users["office"])
    opened = _hidden_version(client.get(url).content.decode())  # both open the form at version 1
    assert opened == 1

    first = client.post(url, _producer_data(producer, "Hoàng Văn A", opened))
    assert first.status_code == 302

    client.force_login(users["officer"])
    second = client.post(url, _producer_data(producer, "Lý Thị B", opened))
    assert second.status_code == 200
    page = second.content.decode()
    assert MESSAGE in page
    assert 'value="Lý Thị B"' in page  # the user's input is kept
    assert Producer.objects.get(pk=producer.pk).representative == "Hoàng Văn A"
    # The form now carries the current version: saving again overwrites, on purpose.
    assert _hidden_version(page) == 2
    again = client.post(url, _producer_data(producer, "Lý Thị B", _hidden_version(page)))
    assert again.status_code == 302
    saved = Producer.objects.get(pk=producer.pk)
    assert (saved.representative, saved.version) == ("Lý Thị B", 3)


def test_a_stale_product_save_is_refused(client, users):
    product = ProductFactory(producer=users["own_producer"], name="Na Chi Lăng", status="draft")
    url = reverse("backoffice:product_edit", args=[product.pk])
    client.force_login(users["office"])
    opened = _hidden_version(client.get(url).content.decode())
    data = {
        "name": "Na dai Chi Lăng",
        "producer": product.producer_id,
        "commune": product.commune_id,
        "status": "draft",
        "version": opened,
    }
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "name": "Na Chi Lăng loại 1"})
    assert stale.status_code == 200
    page = stale.content.decode()
    assert MESSAGE in page and 'value="Na Chi Lăng loại 1"' in page
    assert Product.objects.get(pk=product.pk).name == "Na dai Chi Lăng"


def test_a_new_record_form_has_no_version(client, users):
    client.force_login(users["office"])
    page = client.get(reverse("backoffice:product_new")).content.decode()
    assert 'name="version"' not in page
