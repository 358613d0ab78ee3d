import pytest
from django.core.exceptions import ValidationError

from core.gs1 import check_digit, normalise_gtin, validate_lot


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("9506000134352", "09506000134352"),  # GTIN-13, GS1's own example
        ("95060001343 52", "09506000134352"),
        ("40170725", "00000040170725"),  # GTIN-8
        ("036000291452", "00036000291452"),  # GTIN-12 (UPC-A)
        ("10614141000415", "10614141000415"),  # GTIN-14
    ],
)
def test_gtins_are_checked_and_stored_as_14_digits(value, expected):
    assert normalise_gtin(value) == expected


@pytest.mark.parametrize("value", ["9506000134353", "123", "95060001343521234", "abcdefghijklm"])
def test_bad_gtins_are_refused(value):
    with pytest.raises(ValidationError):
        normalise_gtin(value)


def test_check_digit():
    assert check_digit("950600013435") == 2


@pytest.mark.parametrize("lot", ["A", "L2026-01", "ABC/12.x_(1)", "x" * 20])
def test_lots_of_the_gs1_character_set_pass(lot):
    validate_lot(lot)


@pytest.mark.parametrize("lot", ["", "x" * 21, "LÔ1", "A B", "A#1", "A~1"])
def test_lots_outside_ai_10_are_refused(lot):
    with pytest.raises(ValidationError):
        validate_lot(lot)


@pytest.mark.django_db
def test_a_products_gtin_is_stored_as_14_digits_unique_and_checked(users):
    from core.testing import ProductFactory
    from products.services import product_update

    product = ProductFactory(producer=users["producer_account_of"])
    product = product_update(product, actor=users["producer"], gtin="9506000134352")
    assert product.gtin == "09506000134352"
    with pytest.raises(ValidationError) as exc:
        product_update(product, actor=users["producer"], gtin="9506000134353")
    assert "gtin" in exc.value.message_dict
    other = ProductFactory(producer=users["producer_account_of"])
    with pytest.raises(ValidationError):
        product_update(other, actor=users["producer"], gtin="09506000134352")  # another product's
    assert product_update(other, actor=users["producer"], gtin="").gtin is None
