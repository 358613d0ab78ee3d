"""The round calendar and the transitional periods are read from the decision's data file."""

import datetime as dt
from types import SimpleNamespace

import pytest

from evaluation import rounds


@pytest.fixture
def calendar_file(tmp_path, monkeypatch):
    def use(text: str):
        path = tmp_path / "rounds.yaml"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setattr(rounds, "ROUNDS_FILE", path)
        rounds._calendar.cache_clear()

    yield use
    rounds._calendar.cache_clear()


def test_the_shipped_file_gives_the_decrees_dates():
    assert rounds.round_calendar() == {1: ((4, 30), (6, 30)), 2: ((10, 30), (12, 30))}
    assert rounds.old_rules_days() == {"new": 60, "upgrade": 60, "reevaluation": 30}
    round_2 = SimpleNamespace(number=2, year=2026, deadline=None, closed_at=None)
    assert rounds.forward_before(round_2) == dt.date(2026, 10, 30)
    assert rounds.round_ends_before(round_2) == dt.date(2026, 12, 30)


def test_a_new_decision_is_a_data_change(calendar_file):
    calendar_file(
        'rounds:\n  1: {forwarded_before: "31/03", ends_before: "31/05"}\n'
        'transition: {old_rules: "QD26-2026", days: {new: 90, upgrade: 90, reevaluation: 45}}\n'
    )
    round_1 = SimpleNamespace(number=1, year=2028, deadline=None, closed_at=None)
    assert rounds.forward_before(round_1) == dt.date(2028, 3, 31)
    assert rounds.round_ends_before(round_1) == dt.date(2028, 5, 31)
    assert rounds.forward_before(SimpleNamespace(number=2, year=2028)) is None
    assert rounds.old_rules_days()["reevaluation"] == 45


def test_an_impossible_date_in_the_file_is_refused(calendar_file):
    calendar_file(
        'rounds:\n  1: {forwarded_before: "31/04", ends_before: "30/06"}\n'
        "transition: {old_rules: x, days: {}}\n"
    )
    with pytest.raises(ValueError):
        rounds.round_calendar()
