import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.numbers import format_number, parse_whole_number
from sales.months import add_months, format_month, last_months, parse_month


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("", None),
        ("  ", None),
        ("0", 0),
        ("1250000", 1_250_000),
        ("1.250.000", 1_250_000),
        ("1 250 000", 1_250_000),
        ("1,250,000", 1_250_000),
        ("1.250.000 đ", 1_250_000),
        ("1250000đ", 1_250_000),
        ("500000 VND", 500_000),
        (7, 7),
    ],
)
def test_whole_numbers_as_typed(text, value):
    assert parse_whole_number(text) == value


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("-5", "negative"),
        ("−1.000", "negative"),
        ("abc", "invalid"),
        ("12a", "invalid"),
        ("12,5", "decimal"),
        ("1.2.3", "invalid"),
        (-3, "negative"),
        ("9" * 20, "too_large"),
    ],
)
def test_bad_numbers_are_named(text, code):
    with pytest.raises(ValidationError) as exc:
        parse_whole_number(text)
    assert exc.value.code == code


def test_format_number_groups_with_dots():
    assert format_number(1234567) == "1.234.567"
    assert format_number(None) == ""


def test_months():
    assert parse_month("05/2026") == dt.date(2026, 5, 1)
    assert parse_month("5/2026") == dt.date(2026, 5, 1)
    assert parse_month("2026-05") == dt.date(2026, 5, 1)
    for bad in ("13/2026", "2026", "abc", "05/1999"):
        with pytest.raises(ValidationError):
            parse_month(bad)
    assert add_months(dt.date(2026, 11, 1), 3) == dt.date(2027, 2, 1)
    assert add_months(dt.date(2026, 1, 1), -1) == dt.date(2025, 12, 1)
    assert format_month(dt.date(2026, 3, 1)) == "03/2026"
    months = last_months(12, end=dt.date(2026, 10, 1))
    assert months[0] == dt.date(2025, 11, 1) and months[-1] == dt.date(2026, 10, 1) and len(months) == 12


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("85.000", "85000"), ("1.234,5", "1234.5"), ("1,5", "1.5"), ("85000", "85000"), ("120.000 đ", "120000")],
)
def test_decimal_fields_read_numbers_as_vietnamese_readers_write_them(typed, stored):
    from decimal import Decimal

    from core.forms import LocalizedDecimalField

    assert LocalizedDecimalField(max_digits=12, decimal_places=2).clean(typed) == Decimal(stored)


def test_a_product_price_typed_85_000_is_eighty_five_thousand(users):
    from backoffice.forms import ProductForm

    form = ProductForm(user=users["office"])
    assert form.fields["price_min"].clean("85.000") == 85000
    with pytest.raises(ValidationError):
        form.fields["price_min"].clean("tám mươi")
