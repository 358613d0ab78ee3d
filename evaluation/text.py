"""Small wording helpers for evaluation results (Vietnamese number format, lists of criteria)."""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def points(value) -> str:
    """89 → "89", 87.5 → "87,5" (in the visitor's number format)."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return number_format(int(value))
    return number_format(value.normalize(), use_l10n=True)


def criteria_list(codes: list[str]) -> str:
    """["5.1"] → "5.1"; ["5.1", "6.1", "7"] → "5.1, 6.1 và 7"."""
    codes = [str(c) for c in codes]
    if len(codes) <= 1:
        return "".join(codes)
    return _("%(first)s và %(last)s") % {"first": ", ".join(codes[:-1]), "last": codes[-1]}
