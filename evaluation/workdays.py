"""Working days for the statutory deadlines (weekends and public holidays excluded)."""

import datetime as dt
from functools import lru_cache
from pathlib import Path

import yaml

HOLIDAYS_FILE = Path(__file__).resolve().parent / "data" / "holidays-vn.yaml"


@lru_cache(maxsize=1)
def holidays() -> frozenset[dt.date]:
    doc = yaml.safe_load(HOLIDAYS_FILE.read_text(encoding="utf-8"))
    return frozenset(day for days in doc["years"].values() for day, _name in days)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in holidays()


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (the day of receipt does not count)."""
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
    return day
