"""Cell parsers shared by every spreadsheet import: dates, years, stars, Vietnamese numbers, scores.

Each takes a cell as core.sheet_reader gives it (str, int, float, datetime/date or None) and returns
the value, None for an empty cell, or raises ValueError with a Vietnamese message that quotes the
cell, so an importer only adds the row and the column. Pure: no database, no request.
"""

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import fold

# Excel counts days from 30/12/1899 (its 1900 leap-year bug included). Numbers below 10000
# (18/05/1927) are far more likely a year or a typo than a date, and 2958465 is 31/12/9999.
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_SERIAL_MIN, EXCEL_SERIAL_MAX = 10000, 2958465

# A date inside a longer text ("123/QĐ-UBND ngày 12/03/2021"): day, month, year of 4 digits.
DATE_IN_TEXT = re.compile(r"(?<!\d)(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})(?!\d)")
_DMY = re.compile(
    r"^(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4}|\d{2})"
    r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
# "ngày 12 tháng 3 năm 2024", as decisions write it (matched on the folded text).
_WORDS = re.compile(r"^(?:ngay\s*)?(?P<d>\d{1,2})\s*thang\s*(?P<m>\d{1,2})\s*(?:nam\s*)?(?P<y>\d{4})$")

_STAR_WORDS = {"ba": 3, "bon": 4, "nam": 5}
_STARS = re.compile(
    r"^(?:ocop)?(?:hang)?(?:(?P<n>[0-9])(?:\.0+)?|(?P<w>ba|bon|nam)(?=sao))?"
    r"(?P<s>sao|[*★]+)?(?:ocop)?$"
)

_CURRENCY = re.compile(r"(?:vn[dđ]|đồng|dong|đ)\.?$", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_DIGITS = re.compile(r"^\d+$")
_MAX_DIGITS = 20  # beyond this a "number" is a code or a typing error, and Decimal's context ends
_CENT = Decimal("0.01")
_GROUPED = {
    ".": re.compile(r"^\d{1,3}(?:\.\d{3})+$"),
    ",": re.compile(r"^\d{1,3}(?:,\d{3})+$"),
}


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_cell(value):
    """A text cell in NFC with its spaces (non-breaking ones too) squeezed, unless it holds several
    lines; any other cell as it is."""
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value).replace("\u00a0", " ").strip()
        return " ".join(value.split()) if "\n" not in value else value
    return value


def cell_text(value) -> str:
    """A cell as the text the user sees: whole floats lose their ".0", dates are dd/mm/yyyy, text
    is cleaned (clean_cell)."""
    if blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return clean_cell(str(value))


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _two_digit_year(year: str) -> int:
    # Excel's rule for a two-digit year: 00–29 are 2000–2029, 30–99 are 1930–1999.
    number = int(year)
    return number if len(year) == 4 else (2000 + number if number < 30 else 1900 + number)


def parse_date(value) -> dt.date | None:
    """dd/mm/yyyy (also d/m/yy, with . or - between), yyyy-mm-dd, "ngày 12 tháng 3 năm 2024",
    an Excel date cell or an Excel day number. An impossible day (31/02) is refused."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if _is_number(value):
        if value == int(value) and EXCEL_SERIAL_MIN <= value <= EXCEL_SERIAL_MAX:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError(_("«%(v)s» không phải là ngày hợp lệ (dd/mm/yyyy).") % {"v": cell_text(value)})
    text = cell_text(value)
    if not text:
        return None
    match = _DMY.match(text) or _ISO.match(text) or _WORDS.match(fold(text))
    if match:
        try:
            return dt.date(_two_digit_year(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            raise ValueError(
                _("«%(v)s» không phải là ngày hợp lệ: tháng %(m)s không có ngày %(d)s.")
                % {"v": text, "d": match["d"], "m": match["m"]}
            ) from None
    raise ValueError(_("«%(v)s» không phải là ngày hợp lệ (dd/mm/yyyy).") % {"v": text})


def parse_year(value, *, minimum: int = 2000) -> int | None:
    """2021, "2021", "năm 2021" or a date's year, between `minimum` and this year."""
    if isinstance(value, dt.date):
        return value.year
    text = cell_text(value)
    if not text:
        return None
    this_year = timezone.localdate().year
    match = re.fullmatch(r"(?:nam\s*)?(\d{4})", fold(text))
    if match and minimum <= int(match[1]) <= this_year:
        return int(match[1])
    raise ValueError(
        _("«%(v)s» không phải là năm hợp lệ (%(min)d–%(y)d).") % {"v": text, "min": minimum, "y": this_year}
    )


def parse_stars(value) -> int | None:
    """3, "3", "3 sao", "3★", "3*", "***", "★★★", "hạng 3 sao", "ba sao", "3 sao OCOP" → 3.
    Anything else, or a star outside 3–5, is refused."""
    if blank(value):
        return None
    stars = None
    if _is_number(value):
        stars = int(value) if value == int(value) else None
    else:
        text = fold(cell_text(value)).replace(" ", "")
        match = _STARS.match(text)
        if match and (match["n"] or match["w"] or match["s"]):
            symbols = match["s"] or ""
            if match["n"]:
                # "3★" and "3*" name the number; "3***" says it twice and must agree.
                stars = int(match["n"])
                if len(symbols) > 1 and symbols != "sao" and len(symbols) != stars:
                    stars = None
            elif match["w"]:
                stars = _STAR_WORDS[match["w"]]
            elif symbols != "sao":
                stars = len(symbols)
    if stars is None or not 3 <= stars <= 5:
        raise ValueError(
            _("Hạng sao phải là 3, 4 hoặc 5 (ví dụ 4, «4 sao», «4★», «****», «bốn sao»); tệp ghi «%(v)s».")
            % {"v": cell_text(value)}
        )
    return stars


def parse_number(value) -> Decimal | None:
    """A number as Vietnamese write it: "85.000" → 85000, "1.234,5" → 1234.5, "1,5" → 1.5,
    "1.234.567", "85.000 đ", "85.000 VNĐ", "1 234 567". A lone "." followed by exactly three
    digits groups thousands (Vietnamese "1.234" is 1234); with one, two or four-plus digits it is a
    decimal point ("72.5"). A number cell from Excel is kept as it is (1.234 stays 1.234)."""
    if blank(value):
        return None
    if _is_number(value):
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            raise ValueError(_("«%(v)s» không phải là số hợp lệ.") % {"v": value})
        return Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    original = cell_text(value)
    text = _SPACES.sub("", _CURRENCY.sub("", original.strip()).strip())
    sign = ""
    if text[:1] in ("-", "\u2212"):
        sign, text = "-", text[1:]
    number = _vietnamese_number(text)
    if number is None or len(number) > _MAX_DIGITS + 1:
        raise ValueError(_("«%(v)s» không phải là số hợp lệ (ví dụ 85.000 hoặc 1.234,5).") % {"v": original})
    return Decimal(sign + number)


def _vietnamese_number(text: str) -> str | None:
    """The digits of a number in Python's notation, or None."""
    if _DIGITS.match(text):
        return text
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        # Both: the last one is the decimal mark ("1.234,5"; "1,234.5" as English writes it).
        mark = "," if text.rfind(",") > text.rfind(".") else "."
        group = "." if mark == "," else ","
        whole, _sep, fraction = text.rpartition(mark)
        if _GROUPED[group].match(whole) and _DIGITS.match(fraction):
            return whole.replace(group, "") + "." + fraction
        return None
    mark = "." if dots else ","
    if (dots or commas) > 1:
        return text.replace(mark, "") if _GROUPED[mark].match(text) else None
    whole, _sep, fraction = text.partition(mark)
    if not _DIGITS.match(whole or "0") or not _DIGITS.match(fraction):
        return None
    if mark == "." and len(fraction) == 3 and whole:
        return whole + fraction  # "85.000": Vietnamese thousands
    return (whole or "0") + "." + fraction


def parse_decimal(value, *, places: int | None = None) -> Decimal | None:
    """parse_number, refusing more than `places` decimals written in the cell; a number cell
    computed by Excel (a formula: 72.333…) is rounded to `places` as Excel shows it."""
    number = parse_number(value)
    if number is None or places is None:
        return number
    quantum = Decimal(1).scaleb(-places)
    if number.adjusted() > _MAX_DIGITS:
        raise ValueError(_("«%(v)s» quá lớn.") % {"v": cell_text(value)})
    if _is_number(value):
        return number.quantize(quantum)
    if number != number.quantize(quantum):
        raise ValueError(_("«%(v)s» có quá %(n)d chữ số thập phân.") % {"v": cell_text(value), "n": places})
    return number.quantize(quantum)


def parse_int(value) -> int | None:
    """parse_number, refusing a fraction ("1,5")."""
    number = parse_number(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ValueError(_("«%(v)s» phải là số nguyên.") % {"v": cell_text(value)})
    return int(number)


def parse_score(value) -> Decimal | None:
    """A score of 0–100 with at most two decimals: 72, "72,5", "72.25" (a computed Excel cell is
    rounded to two decimals, as Excel shows it)."""
    text = cell_text(value)
    try:
        number = parse_number(value)
    except ValueError:
        raise ValueError(_("«%(v)s» không phải là điểm hợp lệ (ví dụ 72 hoặc 72,5).") % {"v": text}) from None
    if number is None:
        return None
    if not _is_number(value) and number != number.quantize(_CENT):
        raise ValueError(_("Điểm chỉ có tối đa 2 chữ số thập phân (tệp ghi «%(v)s»).") % {"v": text})
    if not 0 <= number <= 100:
        raise ValueError(_("Điểm phải từ 0 đến 100 (tệp ghi «%(v)s»).") % {"v": text})
    return number.quantize(_CENT)
