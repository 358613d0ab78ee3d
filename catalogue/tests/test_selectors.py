"""catalogue.selectors: what the product page lists as related products."""

import random

import pytest
from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When

from catalogue import search_index
from catalogue.search import folded_order
from catalogue.selectors import product_place, related_products
from products.models import Product

pytestmark = pytest.mark.django_db

NAMES = ["Na dai", "Thạch đen", "Miến dong", "Hồi khô", "Mật ong", "Khâu nhục", "Na dai"]  # one twice


def reference_related(product, limit):
    """The definition: every public product of the sub-group or the commune, sub-group first,
    then by folded text and id (what related_products read before its indexes)."""
    place = product_place(product)
    same = Q(category_id=product.category_id) if product.category_id else Q(pk__in=[])
    if place is not None:
        same |= Q(commune=place) | Q(commune__isnull=True, producer__commune=place)
    return list(
        Product.objects.public()
        .filter(same)
        .exclude(pk=product.pk)
        .annotate(
            same_subgroup=Case(
                When(category_id=product.category_id, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("same_subgroup", folded_order(), "pk")[:limit]
    )


def test_related_products_are_the_first_of_the_subgroup_then_of_the_commune(
    make_product, make_producer, communes
):
    rng = random.Random(7)
    codes = sorted(communes)[:3]
    producers = [make_producer(f"HTX thử {i}", commune=codes[i % 3]) for i in range(4)]
    products = []
    for _ in range(36):
        products.append(
            make_product(
                f"{rng.choice(NAMES)} {rng.choice(['', 'Lạng Sơn', 'Bắc Sơn'])}".strip(),
                producer=rng.choice(producers),
                category=rng.choice(["I.1.a", "I.3.c", "I.4.b"]),
                commune=communes[rng.choice(codes)],
                status=rng.choice(["active", "active", "active", "draft", "retired"]),
            )
        )
    # Some products placed by their producer only; one product without a sub-group.
    Product.objects.filter(pk__in=[p.pk for p in products[::5]]).update(commune=None)
    Product.objects.filter(pk=products[1].pk).update(category=None)

    checked = 0
    for product in Product.objects.select_related("producer__commune", "commune"):
        for limit in (1, 4, 9):
            expected = [p.pk for p in reference_related(product, limit)]
            assert [p.pk for p in related_products(product, limit)] == expected, (product.name, limit)
            checked += len(expected)
    assert checked > 300  # the lists are not trivially empty


def test_related_products_are_read_through_their_indexes():
    indexes = set(search_index.RELATED_INDEXES)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'products_product'")
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE tbl_name = 'products_product'")
        found = {name: sql for name, sql in cursor.fetchall() if name in indexes}
    assert set(found) == indexes
    if connection.vendor == "postgresql":  # the collation folded_order() sorts by
        assert all('COLLATE "C"' in sql for sql in found.values())
