"""The demo's processing levels (issue 17 point 6): assumed from the sub-group, said so in the
staff-only note, unclear sub-groups left unclassified, and a second run changes nothing."""

import pytest

from core.testing import ProductFactory
from products import demo
from products.models import Classification, Product


def leaf(code):
    return Classification.objects.get(scheme="QD26-2026", code=code)


@pytest.mark.django_db
def test_sample_products_get_an_assumed_level_from_their_subgroup():
    na = ProductFactory(name="Na", is_sample=True, processing_level="", category=leaf("I.1.a"))
    oil = ProductFactory(name="Tinh dầu hồi", is_sample=True, processing_level="", category=leaf("III.3"))
    wine = ProductFactory(
        name="Rượu",
        is_sample=True,
        processing_level="",
        category=leaf("II.1.a"),
        internal_note="Tên chưa xác minh",
    )
    real = ProductFactory(name="Thật", is_sample=False, processing_level="", category=leaf("I.1.a"))
    demo.load(log=lambda *_: None)
    levels = dict(Product.objects.values_list("name", "processing_level"))
    assert levels == {"Na": "fresh", "Tinh dầu hồi": "", "Rượu": "processed", "Thật": ""}
    wine.refresh_from_db()
    assert wine.internal_note == f"Tên chưa xác minh\n{demo.ASSUMED_NOTE}"
    na.refresh_from_db()
    assert na.internal_note == demo.ASSUMED_NOTE
    demo.load(log=lambda *_: None)
    na.refresh_from_db()
    assert na.internal_note == demo.ASSUMED_NOTE  # idempotent
    assert oil.pk and real.pk


def test_every_listed_subgroup_and_level_exists():
    codes = set(Product.ProcessingLevel.values)
    assert set(demo.assumed_levels().values()) <= codes
