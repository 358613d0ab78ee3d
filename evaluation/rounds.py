"""Round calendar of Decision 26/2026/QĐ-TTg, Điều 5, and the transitional rules of Điều 12.

Round 1 finishes before 30/6 for dossiers the commune forwarded before 30/4; round 2 finishes before
30/12 for dossiers forwarded before 30/10. "Before" (trước ngày) excludes the day itself: a dossier
forwarded on 30/10 misses round 2, a round closed on 30/6 is late. Rounds 3+ are extra rounds with
the deadline the council's plan sets (Round.deadline)."""

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from django.utils import timezone

from certificates.models import QD26_IN_FORCE

ROUNDS_FILE = Path(__file__).resolve().parent / "data" / "rounds-QD26-2026.yaml"


@lru_cache(maxsize=1)
def _calendar() -> dict:
    doc = yaml.safe_load(ROUNDS_FILE.read_text(encoding="utf-8"))

    def month_day(text: str) -> tuple[int, int]:
        day, month = (int(part) for part in str(text).split("/"))
        dt.date(2024, month, day)  # a leap year: refuses 31/06, accepts 29/02
        return month, day

    rounds = {
        int(number): (month_day(entry["forwarded_before"]), month_day(entry["ends_before"]))
        for number, entry in doc["rounds"].items()
    }
    transition = doc["transition"]
    return {
        "rounds": rounds,
        "old_rules": str(transition["old_rules"]),
        "days": {kind: int(days) for kind, days in transition["days"].items()},
    }


def round_calendar() -> dict[int, tuple[tuple[int, int], tuple[int, int]]]:
    """round number → ((month, day) forwarded before, (month, day) finished before)."""
    return _calendar()["rounds"]


def old_rules_days() -> dict[str, int]:
    """Điều 12: days after the entry into force an old-rules dossier has to finish, per kind."""
    return _calendar()["days"]


def forward_before(round_) -> dt.date | None:
    dates = round_calendar().get(round_.number)
    return dt.date(round_.year, *dates[0]) if dates else None


def round_ends_before(round_) -> dt.date | None:
    if round_.deadline:
        return round_.deadline
    dates = round_calendar().get(round_.number)
    return dt.date(round_.year, *dates[1]) if dates else None


def round_is_late(round_, day: dt.date | None = None) -> bool:
    """Late: not finished before its end date (closed on or after it, or still open on it)."""
    ends = round_ends_before(round_)
    if ends is None:
        return False
    if round_.closed_at is not None:
        return timezone.localdate(round_.closed_at) >= ends
    return (day or timezone.localdate()) >= ends


@dataclass(frozen=True)
class Regime:
    """Which rules a dossier is decided under."""

    criteria_set: str  # "QD148-2023" (old rules, transitional) or "QD26-2026"
    finish_by: dt.date | None  # the last day the old rules apply to it
    lapsed: bool  # old-rules dossier past its transitional period


def dossier_regime(dossier, day: dt.date | None = None) -> Regime:
    """Điều 12: a dossier lodged (submitted to the commune) before 22/5/2026 finishes under the old
    rules within 60 days (30 for re-evaluation) of that day; every other dossier is under 26/2026."""
    lodged = dossier.submitted_on
    if lodged is None or lodged >= QD26_IN_FORCE:
        return Regime("QD26-2026", None, False)
    finish_by = QD26_IN_FORCE + dt.timedelta(days=old_rules_days()[dossier.kind])
    return Regime(_calendar()["old_rules"], finish_by, (day or timezone.localdate()) > finish_by)
