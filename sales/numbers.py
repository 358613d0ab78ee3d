"""Whole numbers as people type them on a phone: "1.250.000", "1 250 000", "1250000đ".

Number inputs are text inputs with a numeric keypad (inputmode=numeric), so that the
server, not the browser, answers "abc" or "-5" with a message naming the field."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


class NumberInput(forms.TextInput):
    """A text box with the phone's numeric keypad; values shown grouped (1.250.000)."""

    def __init__(self, attrs=None):
        base = {"inputmode": "numeric", "autocomplete": "off", "class": "num"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int):
            return format_number(value)
        return super().format_value(value)


class WholeNumberField(forms.Field):
    """A non-negative whole number (đồng, units, counts); messages begin with the label."""

    widget = NumberInput
    default_error_messages = {"required": gettext_lazy("Trường này không được để trống.")}

    def __init__(self, *, max_value: int = MAX_VND, **kwargs):
        self.max_value = max_value
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return parse_whole_number(value, max_value=self.max_value)
        except ValidationError as exc:
            message = exc.messages[0]
            raise ValidationError(message[:1].upper() + message[1:] + ".", code=exc.code) from exc
