"""core.parsing: the cell parsers every import shares."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.parsing import (
    parse_date,
    parse_decimal,
    parse_int,
    parse_number,
    parse_score,
    parse_stars,
    parse_year,
)

STAR_SPELLINGS = [
    (3, 3),
    (4.0, 4),
    ("3", 3),
    ("3 sao", 3),
    ("3sao", 3),
    ("3★", 3),
    ("3 ★", 3),
    ("3*", 3),
    ("★★★", 3),
    ("***", 3),
    ("****", 4),
    ("★★★★★", 5),
    ("5 SAO", 5),
    ("Ba sao", 3),
    ("bốn sao", 4),
    ("bon sao", 4),
    ("Năm sao", 5),
    ("nam sao", 5),
    ("hạng 4 sao", 4),
    ("3 sao OCOP", 3),
    ("4.0", 4),
]
BAD_STARS = ["6 sao", "2", 2, 6, "**", "3,5", 3.5, "nhiều", "sao", "hai sao", "3***** ", "4★★", True]


@pytest.mark.parametrize("value,stars", STAR_SPELLINGS)
def test_stars_every_way_they_are_written(value, stars):
    assert parse_stars(value) == stars


@pytest.mark.parametrize("value", BAD_STARS)
def test_other_stars_are_refused_with_a_vietnamese_message(value):
    with pytest.raises(ValueError, match="Hạng sao phải là 3, 4 hoặc 5"):
        parse_stars(value)


@pytest.mark.parametrize("value", [None, "", "  "])
def test_an_empty_cell_is_none(value):
    for parse in (parse_stars, parse_date, parse_number, parse_score, parse_year, parse_int):
        assert parse(value) is None


@pytest.mark.parametrize(
    "value,day",
    [
        ("12/03/2024", dt.date(2024, 3, 12)),
        ("1/2/2024", dt.date(2024, 2, 1)),
        ("1/2/24", dt.date(2024, 2, 1)),
        ("12.03.2024", dt.date(2024, 3, 12)),
        ("12-03-2024", dt.date(2024, 3, 12)),
        ("2024-03-12", dt.date(2024, 3, 12)),
        ("2024-03-12 00:00:00", dt.date(2024, 3, 12)),
        ("12/03/2024 09:30", dt.date(2024, 3, 12)),
        ("ngày 12 tháng 3 năm 2024", dt.date(2024, 3, 12)),
        (dt.datetime(2024, 3, 12, 9, 30), dt.date(2024, 3, 12)),
        (dt.date(2024, 3, 12), dt.date(2024, 3, 12)),
        (45363, dt.date(2024, 3, 12)),  # an Excel day number
        (45363.0, dt.date(2024, 3, 12)),
    ],
)
def test_dates(value, day):
    assert parse_date(value) == day


@pytest.mark.parametrize("value", ["31/02/2021", "29/02/2023", "32/01/2024", "12/13/2024"])
def test_impossible_days_are_refused(value):
    with pytest.raises(ValueError, match=f"«{value}» không phải là ngày hợp lệ"):
        parse_date(value)


@pytest.mark.parametrize("value", ["abc", "2021", 2021, "12/03", 45363.5, "03/12/2024/1"])
def test_what_is_not_a_date_is_refused(value):
    with pytest.raises(ValueError, match="không phải là ngày hợp lệ"):
        parse_date(value)


def test_years():
    assert parse_year("2021") == parse_year(2021) == parse_year("năm 2021") == 2021
    assert parse_year(dt.date(2022, 5, 1)) == 2022
    for bad in ("1999", "21", str(dt.date.today().year + 1)):
        with pytest.raises(ValueError, match="không phải là năm hợp lệ"):
            parse_year(bad)


@pytest.mark.parametrize(
    "value,number",
    [
        ("85.000", Decimal(85000)),
        ("85000", Decimal(85000)),
        ("1.234", Decimal(1234)),  # Vietnamese: a thousands dot
        ("1.234.567", Decimal(1234567)),
        ("1.234,5", Decimal("1234.5")),
        ("1,5", Decimal("1.5")),
        ("1,234", Decimal("1.234")),  # Vietnamese: a decimal comma
        ("1,234,567", Decimal(1234567)),
        ("1,234.5", Decimal("1234.5")),
        ("72.5", Decimal("72.5")),
        ("85.000 đ", Decimal(85000)),
        ("85.000đ", Decimal(85000)),
        ("85.000 VNĐ", Decimal(85000)),
        ("85.000 vnd", Decimal(85000)),
        ("1 234 567", Decimal(1234567)),
        ("1\u00a0234", Decimal(1234)),
        ("-5", Decimal(-5)),
        (85000, Decimal(85000)),
        (1.234, Decimal("1.234")),  # a number cell is kept as it is
    ],
)
def test_vietnamese_numbers(value, number):
    assert parse_number(value) == number


@pytest.mark.parametrize("value", ["1.23.4", "1,2,3", "12.34,5,6", "abc", "1.234,5.6", "5.", "1e5", "--1"])
def test_what_is_not_a_number_is_refused(value):
    with pytest.raises(ValueError, match="không phải là số hợp lệ"):
        parse_number(value)


def test_decimal_places_and_whole_numbers():
    assert parse_decimal("1,25", places=2) == Decimal("1.25")
    assert parse_decimal(72.3333333, places=2) == Decimal("72.33")  # a formula's result, as Excel shows it
    with pytest.raises(ValueError, match="có quá 2 chữ số thập phân"):
        parse_decimal("1,255", places=2)
    assert parse_int("85.000 đ") == 85000
    with pytest.raises(ValueError, match="phải là số nguyên"):
        parse_int("1,5")


def test_scores():
    assert parse_score("72,5") == parse_score("72.5") == parse_score(72.5) == Decimal("72.50")
    assert parse_score(71.25) == Decimal("71.25")
    with pytest.raises(ValueError, match="không phải là điểm hợp lệ"):
        parse_score("abc")
    with pytest.raises(ValueError, match="Điểm phải từ 0 đến 100"):
        parse_score("101")
    with pytest.raises(ValueError, match="tối đa 2 chữ số thập phân"):
        parse_score("72,125")


def vietnamese(number: Decimal) -> str:
    """A number as a Vietnamese writes it: dots between thousands, a decimal comma."""
    sign = "-" if number < 0 else ""
    whole, _dot, fraction = f"{abs(number):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + fraction if fraction else "")


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=3, allow_nan=False, allow_infinity=False))
def test_a_number_written_the_vietnamese_way_reads_back(number):
    assert parse_number(vietnamese(number)) == number
    assert parse_number(vietnamese(number) + " đ") == number


@given(st.integers(min_value=0, max_value=10**15))
def test_whole_numbers_read_back_grouped_or_not(number):
    assert parse_int(vietnamese(Decimal(number))) == number
    assert parse_int(str(number)) == number
    assert parse_int(number) == number


@given(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_a_date_reads_back_from_every_format(day):
    assert parse_date(day.strftime("%d/%m/%Y")) == day
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.day}/{day.month}/{day.year}") == day
    assert parse_date((day - dt.date(1899, 12, 30)).days) == day
