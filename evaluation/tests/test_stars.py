"""The star rule, the council mean, sheet totals, minimum marks and the advisor."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evaluation.criteria import Alternative, Criterion, Group, Option, Part, Sheet
from evaluation.stars import (
    advisor,
    band_stars,
    council_score,
    sheet_marks_met,
    sheet_total,
    star_result,
)

scores = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
mark_sets = st.sets(st.sampled_from([3, 4, 5]))
ALL_MARKS = {3, 4, 5}


# --------------------------------------------------------------------------- star_result


@pytest.mark.parametrize(
    ("score", "stars"),
    [
        ("0", 1), ("29.99", 1), ("30", 2), ("49.99", 2), ("50", 3), ("69.99", 3),
        ("70", 4), ("89.99", 4), ("90", 5), ("100", 5),
    ],
)  # fmt: skip
def test_exact_band_boundaries(score, stars):
    assert band_stars(Decimal(score)) == stars
    result = star_result(Decimal(score), met_min_marks=ALL_MARKS)
    assert (result.stars, result.band_stars, result.blocked_by) == (stars, stars, [])


@pytest.mark.parametrize(("stars", "certifiable", "level"), [(1, False, "none"), (2, False, "none"),
                                                             (3, True, "province"), (4, True, "province"),
                                                             (5, True, "ministry")])  # fmt: skip
def test_who_certifies(stars, certifiable, level):
    score = {1: 10, 2: 40, 3: 60, 4: 80, 5: 95}[stars]
    result = star_result(Decimal(score), met_min_marks={3: True, 4: True, 5: True})
    assert (result.stars, result.certifiable, result.level) == (stars, certifiable, level)


def test_75_points_with_4_star_marks_unmet_is_3_stars():
    result = star_result(Decimal(75), met_min_marks={3: True, 4: False, 5: False})
    assert (result.stars, result.band_stars, result.blocked_by) == (3, 4, [4])
    assert result.certifiable and result.level == "province"


def test_marks_are_cumulative_and_missing_levels_count_as_unmet():
    # 95 points, 3★ marks missed: 2★ whatever the higher marks say.
    assert star_result(Decimal(95), met_min_marks={4, 5}).stars == 2
    assert star_result(Decimal(95), met_min_marks={4, 5}).blocked_by == [3]
    # A mapping that says nothing about 5★ does not grant it.
    result = star_result(Decimal(95), met_min_marks={3: True, 4: True})
    assert (result.stars, result.blocked_by, result.level) == (4, [5], "province")
    # No marks apply at 1★ and 2★.
    assert star_result(Decimal(45), met_min_marks=set()).stars == 2


def test_bad_input_is_refused():
    with pytest.raises(TypeError):
        star_result(89.99, met_min_marks=ALL_MARKS)  # type: ignore[arg-type]
    for bad in (Decimal("-0.01"), Decimal("100.01"), Decimal("NaN")):
        with pytest.raises(ValueError):
            band_stars(bad)
    with pytest.raises(ValueError):
        star_result(Decimal(80), met_min_marks={2})


@given(a=scores, b=scores, met=mark_sets)
def test_monotonic_in_score(a, b, met):
    low, high = sorted((a, b))
    assert star_result(low, met_min_marks=met).stars <= star_result(high, met_min_marks=met).stars


@given(score=scores, met=mark_sets, extra=st.sampled_from([3, 4, 5]))
def test_meeting_one_more_mark_level_never_lowers_the_star(score, met, extra):
    before = star_result(score, met_min_marks=met)
    after = star_result(score, met_min_marks=met | {extra})
    assert after.stars >= before.stars
    assert before.stars <= before.band_stars


@given(score=scores, met=mark_sets)
def test_knock_out_always_disqualifies(score, met):
    result = star_result(score, met_min_marks=met, knocked_out=True)
    assert result.stars == 0 and not result.certifiable and result.level == "none"
    assert result.band_stars == band_stars(score)


@given(score=scores, met=mark_sets)
def test_result_is_the_highest_level_with_all_lower_marks(score, met):
    result = star_result(score, met_min_marks=met)
    assert all(level in met for level in range(3, result.stars + 1))
    assert result.stars == result.band_stars or result.stars + 1 not in met
    assert result.certifiable == (result.stars >= 3)


# --------------------------------------------------------------------------- council mean


@given(st.lists(scores, min_size=1, max_size=15))
def test_mean_lies_between_lowest_and_highest_member(totals):
    mean = council_score(totals)
    assert min(totals) <= mean <= max(totals)
    assert mean == mean.quantize(Decimal("0.01"))


def test_mean_rounds_half_up_to_two_decimals():
    assert council_score([Decimal("89.99"), Decimal("90")]) == Decimal("90.00")  # 89.995 → 90.00 → 5★
    assert council_score([Decimal(70), Decimal(71), Decimal(71)]) == Decimal("70.67")
    assert council_score([Decimal(1), Decimal(0), Decimal(0)]) == Decimal("0.33")


def test_mean_refuses_empty_and_sub_cent_totals():
    with pytest.raises(ValueError):
        council_score([])
    with pytest.raises(ValueError):
        council_score([Decimal("70.001")])


# --------------------------------------------------------------------------- one sheet


def _best(sheet: Sheet) -> dict[str, str]:
    return {c.code: max(c.option_lists()[0], key=lambda o: o.points).code for c in sheet.criteria()}


def test_best_answers_score_100_and_five_stars_on_every_sheet(qd26):
    for sheet in qd26.sheets:
        chosen = _best(sheet)
        assert sheet_total(sheet, chosen) == Decimal(100)
        assert sheet_marks_met(sheet, chosen) == {3: True, 4: True, 5: True}
        assert (
            star_result(sheet_total(sheet, chosen), met_min_marks=sheet_marks_met(sheet, chosen)).stars == 5
        )


def test_unknown_codes_are_errors_not_zeros(qd26):
    sheet = qd26.sheet(1)
    with pytest.raises(ValueError, match="không có tiêu chí"):
        sheet_total(sheet, {"99.9": "99.9.a"})
    with pytest.raises(ValueError, match="không có phương án"):
        sheet_marks_met(sheet, {"1.1": "1.2.a"})


@st.composite
def answered_sheets(draw, criteria_set):
    """A sheet and one member's answers: each criterion unanswered or one option."""
    sheet = draw(st.sampled_from(criteria_set.sheets))
    chosen = {}
    for criterion in sheet.criteria():
        options = criterion.option_lists()[draw(st.integers(0, len(criterion.option_lists()) - 1))]
        pick = draw(st.integers(-1, len(options) - 1))
        if pick >= 0:
            chosen[criterion.code] = options[pick].code
    return sheet, chosen


@given(data=st.data())
def test_a_better_answer_never_lowers_the_star(qd26, data):
    sheet, chosen = data.draw(answered_sheets(qd26))
    total = sheet_total(sheet, chosen)
    assert 0 <= total <= 100
    before = star_result(total, met_min_marks=sheet_marks_met(sheet, chosen)).stars
    criterion = data.draw(st.sampled_from(list(sheet.criteria())))
    current = criterion.choice(chosen[criterion.code]) if criterion.code in chosen else None
    options = next((o for o in criterion.option_lists() if current in o), criterion.option_lists()[0])
    better = [o for o in options if o.points >= (current.points if current else 0)]
    upgraded = {**chosen, criterion.code: data.draw(st.sampled_from(better)).code}
    after_total = sheet_total(sheet, upgraded)
    after = star_result(after_total, met_min_marks=sheet_marks_met(sheet, upgraded)).stars
    assert after_total >= total and after >= before


@given(data=st.data(), target=st.integers(1, 5))
def test_following_the_advisor_meets_every_mark_up_to_the_target(qd26, data, target):
    sheet, chosen = data.draw(answered_sheets(qd26))
    advice = advisor(sheet, chosen, target)
    gains = [m.points_gained for m in advice.missing_marks]
    assert gains == sorted(gains, reverse=True) and all(g > 0 for g in gains)
    assert advice.points_gap == max(Decimal(0), advice.band_min - sheet_total(sheet, chosen))
    followed = {**chosen, **{m.criterion_code: m.option_code for m in advice.missing_marks}}
    met = sheet_marks_met(sheet, followed)
    assert all(met[level] for level in (3, 4, 5) if level <= target)
    assert sheet_total(sheet, followed) == advice.total + sum(gains)
    if not advice.missing_marks and advice.points_gap == 0:
        assert advice.current.stars >= target


def test_advisor_example_on_the_vegetable_sheet(qd26):
    sheet = qd26.sheet(1)
    chosen = _best(sheet)
    chosen["4.1"] = "4.1.c"  # market outside the commune, ≥ 5 agents: meets 3★ and 4★, misses 5★
    chosen["1.5"] = "1.5.a"  # no linkage contract: misses the 4★ and 5★ marks
    advice = advisor(sheet, chosen, target_star=5)
    assert [(m.criterion_code, m.min_star) for m in advice.missing_marks] == [("1.5", 5), ("4.1", 5)]
    assert [m.points_gained for m in advice.missing_marks] == [3, 2]  # 0 → 3 and 3 → 5
    assert advice.current.stars == 3 and advice.current.blocked_by == [4, 5]
    assert advice.points_gap == 0 and advice.total >= 90


def test_alternatives_bind_only_the_list_in_use():
    def opt(code: str, points: int, star: int | None = None) -> Option:
        return Option(code, code, points, star)

    service = Criterion(
        "8",
        "Đáp ứng điều kiện kinh doanh dịch vụ",
        3,
        alternatives=(
            Alternative("TH1", "Trường hợp 1", (opt("8.TH1.a", 1), opt("8.TH1.b", 3, 4))),
            Alternative("TH2", "Trường hợp 2", (opt("8.TH2.a", 1), opt("8.TH2.b", 3))),
        ),
    )
    rest = Criterion("9", "Phần còn lại", 97)
    sheet = Sheet(1, "X", "Thử", (Part("A", 100, (Group("1", "Nhóm", 100, (service, rest)),)),))
    assert sheet_marks_met(sheet, {"8": "8.TH2.a"})[4] is True
    assert sheet_marks_met(sheet, {"8": "8.TH1.a"})[4] is False
    assert sheet_marks_met(sheet, {})[4] is False
    assert sheet_total(sheet, {"8": "8.TH1.b", "9": "9.co"}) == Decimal(100)
    assert [m.option_code for m in advisor(sheet, {"8": "8.TH1.a"}, 4).missing_marks] == ["8.TH1.b"]
