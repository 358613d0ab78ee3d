"""Months as the first day of the month, read and written as "mm/yyyy"."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

FIRST_YEAR = 2000
_MM_YYYY = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")
_YYYY_MM = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + (month.month - 1) + n
    return dt.date(index // 12, index % 12 + 1, 1)


def this_month() -> dt.date:
    return month_start(timezone.localdate())


def last_months(count: int = 12, *, end: dt.date | None = None) -> list[dt.date]:
    """The `count` months ending with `end` (this month by default), oldest first."""
    end = month_start(end or this_month())
    return [add_months(end, -k) for k in range(count - 1, -1, -1)]


def format_month(month: dt.date) -> str:
    return f"{month.month:02d}/{month.year}"


def parse_month(text: str) -> dt.date:
    """Read "05/2026", "5/2026" or "2026-05" (what an <input type=month> sends)."""
    text = (text or "").strip()
    match = _MM_YYYY.match(text)
    if match:
        month, year = int(match.group(1)), int(match.group(2))
    else:
        match = _YYYY_MM.match(text)
        if not match:
            raise ValidationError(
                _("Tháng phải có dạng mm/yyyy, ví dụ %(example)s.") % {"example": format_month(this_month())},
                code="invalid",
            )
        year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValidationError(_("Tháng phải từ 01 đến 12."), code="invalid")
    if year < FIRST_YEAR:
        raise ValidationError(_("Năm phải từ %(year)s trở đi.") % {"year": FIRST_YEAR}, code="invalid")
    return dt.date(year, month, 1)


def validate_not_future(month: dt.date) -> None:
    if month_start(month) > this_month():
        raise ValidationError(
            _("Tháng %(month)s chưa đến: không nhập số liệu cho tháng trong tương lai.")
            % {"month": format_month(month)},
            code="future",
        )
