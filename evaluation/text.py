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


def result_text(score, stars: int, level: int | None, codes: list[str], *, knocked_out: bool = False) -> str:
    """ "89 điểm, 3★: tiêu chí 5.1 và 6.1 chưa đạt mức tối thiểu của 4★" (level: the first star level
    whose minimum marks were missed, codes: its criteria)."""
    head = _("%(score)s điểm, %(stars)s★") % {"score": points(score), "stars": stars}
    if knocked_out:
        return _("%(head)s: loại bỏ hồ sơ") % {"head": head}
    if not level:
        return head
    if not codes:
        return _("%(head)s: chưa đạt mức tối thiểu của %(level)s★") % {"head": head, "level": level}
    return _("%(head)s: tiêu chí %(codes)s chưa đạt mức tối thiểu của %(level)s★") % {
        "head": head,
        "codes": criteria_list(codes),
        "level": level,
    }
