"""The OCOP star rule (Decision 26/2026/QĐ-TTg, Điều 3.3 and 4) and the council mean.

`star_result` is the only place where a score becomes stars; everything else (sheet totals,
minimum marks, the advisor) feeds it.  Pure Python: no Django, no database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # criteria imports this module; the sheet helpers only need its types
    from evaluation.criteria import Criterion, Option, Sheet

MAX_SCORE = Decimal(100)
# (stars, lowest score of the band), highest first: 90–100 → 5, 70–<90 → 4, 50–<70 → 3, 30–<50 → 2, <30 → 1.
STAR_BANDS: tuple[tuple[int, Decimal], ...] = (
    (5, Decimal(90)),
    (4, Decimal(70)),
    (3, Decimal(50)),
    (2, Decimal(30)),
    (1, Decimal(0)),
)
MARK_LEVELS = (3, 4, 5)  # the sheets mark minimum options with *** / **** / *****
CERTIFIABLE_FROM = 3  # 1★ and 2★ get no decision and no certificate (Điều 4)
_CENT = Decimal("0.01")

Level = Literal["ministry", "province", "none"]


def _score(value: Decimal | int | str) -> Decimal:
    # Floats are refused: 89.99999999 from binary arithmetic must not decide a star.
    if isinstance(value, bool | float):
        raise TypeError(f"Điểm phải là Decimal, int hoặc chuỗi số, không phải {type(value).__name__}")
    score = value if isinstance(value, Decimal) else Decimal(value)
    if not score.is_finite() or not 0 <= score <= MAX_SCORE:
        raise ValueError(f"Điểm {value} nằm ngoài khoảng 0–100")
    return score


def band_stars(score: Decimal | int | str) -> int:
    """Stars from the score alone, before minimum marks and knock-outs."""
    value = _score(score)
    return next(stars for stars, floor in STAR_BANDS if value >= floor)


def star_gap(score: Decimal | None, stars: int | None) -> Decimal | None:
    """The points a council score lacks to reach the floor of the next star (0 when it is
    there already); None without a score or at 5★. 0★-2★ aim at 3★, the first certified star."""
    if score is None or (stars or 0) >= 5:
        return None
    floors = dict(STAR_BANDS)
    return max(floors[max((stars or 0) + 1, CERTIFIABLE_FROM)] - Decimal(score), Decimal(0))


def council_score(member_totals: Sequence[Decimal]) -> Decimal:
    """Mean of the council members' sheet totals, rounded half-up to 2 decimals (Điều 3.3)."""
    totals = [_score(total) for total in member_totals]
    if not totals:
        raise ValueError("Chưa có phiếu chấm nào của thành viên hội đồng")
    # Sheet totals are sums of whole points; allowing at most cents keeps the rounded mean
    # inside [min, max] of the members' totals.
    if any(total != total.quantize(_CENT) for total in totals):
        raise ValueError("Tổng điểm của một thành viên chỉ được có tối đa 2 chữ số thập phân")
    return (sum(totals, Decimal(0)) / len(totals)).quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class StarResult:
    stars: int  # 0 when knocked out
    band_stars: int
    certifiable: bool
    level: Level  # who certifies: 'ministry' (5★), 'province' (3–4★), 'none'
    blocked_by: list[int] = field(default_factory=list)  # unmet mark levels that capped the result


def _met_levels(met_min_marks: Mapping[int, bool] | set[int] | frozenset[int]) -> set[int]:
    met = (
        {level for level, ok in met_min_marks.items() if ok}
        if isinstance(met_min_marks, Mapping)
        else set(met_min_marks)
    )
    unknown = met - set(MARK_LEVELS)
    if unknown:
        raise ValueError(f"Mức sao tối thiểu chỉ có 3, 4, 5 (nhận được {sorted(unknown)})")
    return met


def star_result(
    score: Decimal | int | str,
    *,
    met_min_marks: Mapping[int, bool] | set[int] | frozenset[int],
    knocked_out: bool = False,
) -> StarResult:
    """The star rating of a product.

    The result is the highest s ≤ band_stars such that the minimum marks of every level 3..s are met.
    Reading the marks cumulatively (a 4★ product also meets the 3★ marks, a 5★ the 3★ and 4★ ones) is
    the project's reading of the sheet legend, not literal text of the decision.  A level missing from
    a mapping counts as not met.  A knock-out (Hồ sơ bị loại…) disqualifies whatever the score.
    """
    band = band_stars(score)
    met = _met_levels(met_min_marks)
    if knocked_out:
        return StarResult(stars=0, band_stars=band, certifiable=False, level="none")
    blocked = [level for level in MARK_LEVELS if level <= band and level not in met]
    stars = blocked[0] - 1 if blocked else band
    level: Level = "ministry" if stars == 5 else "province" if stars >= CERTIFIABLE_FROM else "none"
    return StarResult(stars, band, stars >= CERTIFIABLE_FROM, level, blocked)


# --------------------------------------------------------------------------- one scoring sheet


def _picked(sheet: Sheet, chosen: Mapping[str, str]) -> dict[str, Option]:
    """criterion code → chosen Option; an unknown criterion or option is an error, not a zero."""
    picked = {}
    for criterion_code, option_code in chosen.items():
        try:
            criterion = sheet.criterion(criterion_code)
        except KeyError:
            raise ValueError(f"Bộ {sheet.number}: không có tiêu chí {criterion_code}") from None
        try:
            picked[criterion_code] = criterion.choice(option_code)
        except KeyError:
            raise ValueError(
                f"Bộ {sheet.number}, tiêu chí {criterion_code}: không có phương án {option_code}"
            ) from None
    return picked


def _marks(criterion: Criterion, picked: Option | None, level: int) -> list[Option]:
    """Options marked for `level` that bind this criterion.

    With alternatives ("Trường hợp 1/2") only the list actually used binds; with nothing chosen, all do.
    """
    lists = criterion.option_lists()
    if picked is not None and len(lists) > 1:
        lists = tuple(options for options in lists if picked in options)
    return [option for options in lists for option in options if option.min_star == level]


def sheet_total(sheet: Sheet, chosen: Mapping[str, str]) -> Decimal:
    """Points of one member's sheet; criteria left unanswered score 0."""
    return sum((Decimal(option.points) for option in _picked(sheet, chosen).values()), Decimal(0))


def sheet_marks_met(sheet: Sheet, chosen: Mapping[str, str]) -> dict[int, bool]:
    """Level L is met iff every option marked for L is reached: chosen points ≥ the marked option's points."""
    picked = _picked(sheet, chosen)
    met = {}
    for level in MARK_LEVELS:
        met[level] = all(
            (picked[c.code].points if c.code in picked else 0) >= mark.points
            for c in sheet.criteria()
            for mark in _marks(c, picked.get(c.code), level)
        )
    return met


def criterion_marks_met(sheet: Sheet, chosen: Mapping[str, str]) -> dict[int, dict[str, bool]]:
    """Per star level, every criterion that carries a mark of that level → does this sheet reach it."""
    picked = _picked(sheet, chosen)
    met: dict[int, dict[str, bool]] = {}
    for level in MARK_LEVELS:
        met[level] = {}
        for criterion in sheet.criteria():
            marks = _marks(criterion, picked.get(criterion.code), level)
            if marks:
                have = picked[criterion.code].points if criterion.code in picked else 0
                met[level][criterion.code] = all(have >= mark.points for mark in marks)
    return met


def council_marks(
    members: Sequence[Mapping[int | str, Mapping[str, bool]]], rule: str = "per_criterion_majority"
) -> tuple[dict[int, bool], dict[int, list[str]]]:
    """The council's minimum marks from each member's criterion_marks_met: (level → met, level →
    criteria missed). `rule` comes from the criteria data (council_marks_rule):

    - per_criterion_majority: a criterion's minimum is met when most members' sheets meet it, and a
      level when every criterion marked for it is; three members who each miss a different mark do
      not sink a product that no majority faulted.
    - per_level_majority: a level is met when most members' sheets meet every mark of the level."""
    if not members:
        raise ValueError("Chưa có phiếu chấm nào của thành viên hội đồng")
    n = len(members)

    def at(member, level):
        return member.get(level, member.get(str(level), {})) or {}

    met: dict[int, bool] = {}
    missed: dict[int, list[str]] = {}
    for level in MARK_LEVELS:
        codes = list(dict.fromkeys(code for member in members for code in at(member, level)))
        if rule == "per_criterion_majority":
            missed[level] = [
                code for code in codes if sum(1 for m in members if at(m, level).get(code)) * 2 <= n
            ]
            met[level] = not missed[level]
        elif rule == "per_level_majority":
            met[level] = sum(1 for m in members if all(at(m, level).values())) * 2 > n
            missed[level] = (
                []
                if met[level]
                else [code for code in codes if sum(1 for m in members if at(m, level).get(code)) * 2 <= n]
            )
        else:
            raise ValueError(f"Cách gộp mức tối thiểu không hợp lệ: {rule!r}")
    return met, missed


def sheet_stop(sheet: Sheet, chosen: Mapping[str, str]) -> Criterion | None:
    """The first criterion (in sheet order) whose picked option is a stop rule, or None."""
    picked = _picked(sheet, chosen)
    for criterion in sheet.criteria():
        option = picked.get(criterion.code)
        if option is not None and option.stops:
            return criterion
    return None


@dataclass(frozen=True)
class MissingMark:
    min_star: int
    criterion_code: str
    criterion_name_vi: str
    option_code: str
    option_label_vi: str
    points_gained: int


@dataclass(frozen=True)
class Advice:
    target_star: int
    total: Decimal
    band_min: Decimal
    points_gap: Decimal  # points still missing to enter the target band
    missing_marks: list[MissingMark]  # biggest gain first
    gap_after_marks: Decimal  # what is left of the gap once every missing mark is reached
    current: StarResult


def advisor(sheet: Sheet, chosen: Mapping[str, str], target_star: int) -> Advice:
    """What a product lacks for `target_star`: unmet marked options and the points gap to the band."""
    if target_star not in range(1, 6):
        raise ValueError("Hạng sao mục tiêu phải từ 1 đến 5")
    picked = _picked(sheet, chosen)
    total = sheet_total(sheet, chosen)
    missing = []
    for criterion in sheet.criteria():
        current = picked.get(criterion.code)
        have = current.points if current else 0
        needed = [
            mark
            for level in MARK_LEVELS
            if level <= target_star
            for mark in _marks(criterion, current, level)
            if mark.points > have
        ]
        if needed:
            # Reaching the highest requirement also meets the lower levels' marks.
            mark = max(needed, key=lambda option: option.points)
            missing.append(
                MissingMark(
                    min_star=mark.min_star or 0,
                    criterion_code=criterion.code,
                    criterion_name_vi=criterion.name_vi,
                    option_code=mark.code,
                    option_label_vi=mark.label_vi,
                    points_gained=mark.points - have,
                )
            )
    missing.sort(key=lambda item: -item.points_gained)  # stable: sheet order among equal gains
    band_min = dict(STAR_BANDS)[target_star]
    gap = max(Decimal(0), band_min - total)
    gained = sum(item.points_gained for item in missing)
    current_result = star_result(total, met_min_marks=sheet_marks_met(sheet, chosen))
    return Advice(
        target_star=target_star,
        total=total,
        band_min=band_min,
        points_gap=gap,
        missing_marks=missing,
        gap_after_marks=max(Decimal(0), gap - gained),
        current=current_result,
    )
