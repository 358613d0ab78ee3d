"""Whole numbers as people type them on a phone: "1.250.000", "1 250 000", "1250000đ".

The form fields built on these are in core.forms."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_UNITS = 10**12
MAX_VND = 10**15  # a million billion đồng: anything above is a typing error
_CURRENCY = re.compile(r"\s*(vn[dđ]|đồng|dong|đ|d)\.?\s*$", re.IGNORECASE)
_PLAIN = re.compile(r"^\d+$")
_GROUPED = re.compile(r"^\d{1,3}([.,\u00a0 ]\d{3})+$")
_DECIMAL = re.compile(r"^\d+[.,]\d{1,2}$")
_NEGATIVE = re.compile(r"^[-\u2212]\s*[\d.,\s]+$")


def format_number(value) -> str:
    """1234567 -> "1.234.567" (Vietnamese grouping)."""
    if value is None or value == "":
        return ""
    return f"{int(value):,}".replace(",", ".")


def parse_whole_number(text, *, max_value: int = MAX_VND) -> int | None:
    """None for an empty cell; ValidationError (codes negative, decimal, invalid, too_large) otherwise."""
    if text is None:
        return None
    if isinstance(text, int):
        value = text
    else:
        raw = _CURRENCY.sub("", str(text).strip()).strip()
        if raw == "":
            return None
        if _NEGATIVE.match(raw):
            raise ValidationError(_("không được là số âm"), code="negative")
        compact = raw.replace(" ", "").replace("\u00a0", "")
        if _PLAIN.match(compact):
            value = int(compact)
        elif _GROUPED.match(raw) or _GROUPED.match(compact):
            value = int(re.sub(r"\D", "", compact))
        elif _DECIMAL.match(compact):
            raise ValidationError(_("phải là số nguyên, không có phần lẻ"), code="decimal")
        else:
            raise ValidationError(_("phải là một số, ví dụ 1.250.000"), code="invalid")
    if value < 0:
        raise ValidationError(_("không được là số âm"), code="negative")
    if value > max_value:
        raise ValidationError(
            _("quá lớn (tối đa %(max)s)") % {"max": format_number(max_value)}, code="too_large"
        )
    return value
