from decimal import Decimal

import pytest

from evaluation.advice import upgrade_plan
from evaluation.stars import sheet_marks_met, sheet_total, star_result


def lowest_choices(sheet):
    return {
        c.code: min((o for o in c.choices if not o.stops), key=lambda o: o.points).code
        for c in sheet.criteria()
    }


def apply(sheet, chosen, path):
    chosen = dict(chosen)
    for step in path:
        criterion = sheet.criterion(step.criterion_code)
        chosen[step.criterion_code] = next(
            o.code for o in criterion.choices if o.label_vi == step.option_label_vi
        )
    return chosen


@pytest.mark.parametrize("sheet_number", [1, 7, 14, 20, 26])
def test_following_the_path_reaches_the_next_star(qd26, sheet_number):
    sheet = qd26.sheet(sheet_number)
    chosen = lowest_choices(sheet)
    for _ in range(4):
        plan = upgrade_plan(sheet, chosen)
        if plan.target_star is None:
            break
        assert plan.reachable
        chosen = apply(sheet, chosen, plan.path)
        total = sheet_total(sheet, chosen)
        result = star_result(total, met_min_marks=sheet_marks_met(sheet, chosen))
        assert result.stars >= plan.target_star
    assert plan.current_stars == 5 or plan.target_star is None or result.stars == 5


def test_lost_points_are_ordered_by_recoverable_points(qd26):
    sheet = qd26.sheet(1)
    plan = upgrade_plan(sheet, lowest_choices(sheet))
    gains = [item.recoverable for item in plan.lost]
    assert gains == sorted(gains, reverse=True)
    assert plan.total == Decimal(sum(min(o.points for o in c.choices) for c in sheet.criteria()))
    # Every unmet minimum mark for the next star is on the path.
    assert {m.criterion_code for m in plan.advice.missing_marks} <= {s.criterion_code for s in plan.path}
