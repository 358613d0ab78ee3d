"""The star-upgrade advisor on top of evaluation.stars.advisor: where points were lost, and the
fewest criteria to raise so that both the score band and the minimum marks of the next star are met.
Pure Python."""

from dataclasses import dataclass
from decimal import Decimal

from evaluation.criteria import Sheet
from evaluation.stars import STAR_BANDS, Advice, advisor, sheet_marks_met, sheet_total, star_result


@dataclass(frozen=True)
class LostPoints:
    criterion_code: str
    criterion_name_vi: str
    have: int
    max_points: int
    next_label_vi: str  # what the next better option requires
    next_points: int

    @property
    def recoverable(self) -> int:
        return self.max_points - self.have


@dataclass(frozen=True)
class Step:
    criterion_code: str
    criterion_name_vi: str
    option_label_vi: str
    points_gained: int
    required_mark: bool


@dataclass(frozen=True)
class UpgradePlan:
    current_stars: int
    target_star: int | None
    total: Decimal
    advice: Advice | None
    lost: list[LostPoints]
    path: list[Step]
    reachable: bool


def _best_option(criterion, chosen_code):
    """The highest-scoring option from the same list as the chosen one (tourism sheets have two)."""
    for options in criterion.option_lists():
        if not chosen_code or any(o.code == chosen_code for o in options):
            return max(options, key=lambda o: o.points)
    return max(criterion.choices, key=lambda o: o.points)


def lost_points(sheet: Sheet, chosen: dict[str, str]) -> list[LostPoints]:
    lost = []
    for criterion in sheet.criteria():
        code = chosen.get(criterion.code)
        have = criterion.choice(code).points if code else 0
        best = _best_option(criterion, code)
        if best.points > have:
            better = sorted((o for o in criterion.choices if o.points > have), key=lambda o: o.points)
            lost.append(
                LostPoints(
                    criterion.code, criterion.name_vi, have, best.points, better[0].label_vi, better[0].points
                )
            )
    lost.sort(key=lambda item: (-item.recoverable, item.criterion_code))
    return lost


def upgrade_plan(sheet: Sheet, chosen: dict[str, str]) -> UpgradePlan:
    total = sheet_total(sheet, chosen)
    current = star_result(total, met_min_marks=sheet_marks_met(sheet, chosen))
    lost = lost_points(sheet, chosen)
    target = current.stars + 1 if current.stars < 5 else None
    if target is None:
        return UpgradePlan(current.stars, None, total, None, lost, [], True)
    target = max(target, 3)
    advice = advisor(sheet, chosen, target)
    # Every unmet minimum mark must be reached anyway; raising those criteria to their best
    # option costs no extra criterion, so do it, then take the largest remaining gains first
    # (largest-first is the fewest items that reach a sum).
    marked = {m.criterion_code for m in advice.missing_marks}
    path, gained = [], Decimal(0)
    for item in lost:
        if item.criterion_code in marked:
            criterion = sheet.criterion(item.criterion_code)
            best = _best_option(criterion, chosen.get(item.criterion_code))
            path.append(
                Step(item.criterion_code, item.criterion_name_vi, best.label_vi, item.recoverable, True)
            )
            gained += item.recoverable
    band_min = dict(STAR_BANDS)[target]
    for item in lost:
        if total + gained >= band_min:
            break
        if item.criterion_code in marked:
            continue
        criterion = sheet.criterion(item.criterion_code)
        best = _best_option(criterion, chosen.get(item.criterion_code))
        path.append(Step(item.criterion_code, item.criterion_name_vi, best.label_vi, item.recoverable, False))
        gained += item.recoverable
    return UpgradePlan(current.stars, target, total, advice, lost, path, total + gained >= band_min)
