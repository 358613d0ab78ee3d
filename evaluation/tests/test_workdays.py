import datetime as dt

from evaluation.workdays import add_working_days, is_working_day, working_days_between


def test_weekends_and_holidays_are_not_working_days():
    assert not is_working_day(dt.date(2026, 11, 21))  # Saturday
    assert not is_working_day(dt.date(2026, 9, 2))  # Quốc khánh
    assert is_working_day(dt.date(2026, 11, 23))


def test_fifteen_working_days_skip_weekends_and_national_day():
    # Submitted Monday 24/08/2026: 1–2/09 are holidays.
    assert add_working_days(dt.date(2026, 8, 24), 15) == dt.date(2026, 9, 16)
    assert working_days_between(dt.date(2026, 8, 24), dt.date(2026, 9, 16)) == 15
    assert working_days_between(dt.date(2026, 8, 24), dt.date(2026, 8, 24)) == 0
