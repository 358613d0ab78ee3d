"""The one rule for what the public may see of a product: Product.objects.public(), public_q() and
Product.is_public (products.models)."""

import pytest
from django.db.models import Count

from core.channels import Platform
from core.testing import ProductFactory
from producers.models import Producer
from products.models import Product, ProductSalesLink, ProductStatus, public_q

pytestmark = pytest.mark.django_db


@pytest.fixture
def by_status(users):
    producer = users["own_producer"]
    return {
        status: ProductFactory(producer=producer, status=status, name=f"Na {status}")
        for status in ProductStatus.values
    } | {"sample": ProductFactory(producer=producer, status=ProductStatus.ACTIVE, is_sample=True)}


def test_drafts_and_withdrawn_are_hidden_retired_and_sample_products_are_public(by_status):
    public = set(Product.objects.public())
    assert by_status[ProductStatus.DRAFT] not in public
    assert by_status[ProductStatus.WITHDRAWN] not in public
    assert {by_status[ProductStatus.ACTIVE], by_status[ProductStatus.RETIRED], by_status["sample"]} <= public


def test_instance_form_agrees_with_the_queryset(by_status):
    public_pks = set(Product.objects.public().values_list("pk", flat=True))
    for product in by_status.values():
        assert product.is_public == (product.pk in public_pks), product.status
    assert not by_status[ProductStatus.DRAFT].is_public


def test_the_rule_applies_across_relations(by_status, users):
    # A reverse relation inside an aggregate: a producer counts its public products only.
    counted = Producer.objects.annotate(n=Count("products", filter=public_q("products__"), distinct=True))
    assert counted.get(pk=users["own_producer"].pk).n == 3
    # A forward relation: rows pointing at a public product.
    for product in by_status.values():
        ProductSalesLink.objects.create(product=product, platform=Platform.values[0])
    links = ProductSalesLink.objects.filter(public_q("product__"))
    assert {link.product_id for link in links} == {p.pk for p in by_status.values() if p.is_public}
