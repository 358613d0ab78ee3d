"""Numbers in the Vietnamese way through Django's localisation: 1.234.567 đ."""

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def num(value):
    """1234567 -> "1.234.567" (grouping of the active language)."""
    if value is None or value == "":
        return "—"
    return formats.number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


@register.filter
def vnd(value):
    """1234567 -> "1.234.567 đ"."""
    if value is None or value == "":
        return "—"
    return f"{num(value)}\u00a0đ"


@register.filter
def pct(value):
    if value is None:
        return "—"
    return f"{formats.number_format(value, decimal_pos=1, use_l10n=True)}\u00a0%"


@register.filter
def mmyyyy(value):
    return f"{value:%m/%Y}" if value else "—"


@register.simple_tag
def chart_data(kind, figures, label, *, money=True, field="revenue", horizontal=False):
    """The JSON a chart reads: labels and one dataset from a list of Figure rows."""
    return {
        "type": kind,
        "money": money,
        "horizontal": horizontal,
        "labels": [f.label for f in figures],
        "datasets": [{"label": str(label), "data": [getattr(f, field) for f in figures]}],
    }


@register.filter
def get_item(mapping, key):
    return mapping.get(key, key) if mapping else key
