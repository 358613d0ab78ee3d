"""Working days for the statutory deadlines (weekends and public holidays excluded).

The holiday calendar is data (data/holidays-vn.yaml), one entry per year with its status. A day in a
year the calendar does not cover is counted as a working day when it is a weekday, but callers can
(and the pages do) ask missing_years() and warn: Tết must never be counted silently."""

import datetime as dt
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

HOLIDAYS_FILE = Path(__file__).resolve().parent / "data" / "holidays-vn.yaml"


class HolidayCalendarMissing(UserWarning):
    """A working-day count touched a year without a holiday calendar."""


@dataclass(frozen=True)
class Calendar:
    days_off: frozenset[dt.date]
    working_days: frozenset[dt.date]  # Saturdays worked in exchange for a bridging day off
    status: dict[int, str]  # year → "official" | "provisional"


@lru_cache(maxsize=1)
def calendar() -> Calendar:
    doc = yaml.safe_load(HOLIDAYS_FILE.read_text(encoding="utf-8"))
    off, work, status = set(), set(), {}
    for year, entry in doc["years"].items():
        status[int(year)] = entry["status"]
        for day, _name in entry.get("days_off") or ():
            if day.year != int(year):
                raise ValueError(f"{HOLIDAYS_FILE.name}: {day} ghi trong năm {year}")
            off.add(day)
        work.update(day for day, _name in entry.get("working_days") or ())
    return Calendar(frozenset(off), frozenset(work), status)


def holidays() -> frozenset[dt.date]:
    return calendar().days_off


def covered_years() -> dict[int, str]:
    return dict(calendar().status)


def missing_years(start: dt.date, end: dt.date) -> list[int]:
    """Years between start and end (inclusive) without a holiday calendar."""
    status = calendar().status
    return [year for year in range(start.year, end.year + 1) if year not in status]


def is_working_day(day: dt.date) -> bool:
    cal = calendar()
    if day in cal.working_days:
        return True
    return day.weekday() < 5 and day not in cal.days_off


def _warn(start: dt.date, end: dt.date) -> None:
    missing = missing_years(min(start, end), max(start, end))
    if missing:
        warnings.warn(
            f"Chưa có lịch nghỉ lễ năm {', '.join(map(str, missing))}: số ngày làm việc có thể sai",
            HolidayCalendarMissing,
            stacklevel=3,
        )


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (the day of receipt does not count)."""
    _warn(start, end)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def add_working_days(start: dt.date, days: int) -> dt.date:
    day, left = start, days
    while left > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    _warn(start, day)
    return day
