"""OCOP criteria sets (bộ tiêu chí) as versioned data: load, validate, Excel template.

Pure Python, no Django, so the build script, the tests and the app share one reader.
A set is refused as a whole when any sheet has any problem: a half-valid transcription
must never score a product.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

import yaml

from evaluation.stars import MARK_LEVELS, STAR_BANDS

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml reads the 26 sheets ~10× faster

FULL_SET_SIZE = 26  # Phụ lục II of 26/2026 has one sheet per leaf of the Phụ lục I classification
# A yes/no criterion has no options in the source; these synthetic codes let callers pick one.
YES_SUFFIX, NO_SUFFIX = ".co", ".khong"


class CriteriaSetInvalid(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("Bộ tiêu chí không hợp lệ:\n" + "\n".join(f"- {p}" for p in self.problems))


@dataclass(frozen=True)
class Option:
    code: str
    label_vi: str
    points: int
    min_star: int | None = None
    correction: str | None = None
    # A stop rule of the sheet ("không đánh giá các bước tiếp theo"): picking it ends the assessment.
    stops: bool = False
    # Not printed as an option: written from the criterion's note so the stop rule can be picked.
    from_note: bool = False


@dataclass(frozen=True)
class Alternative:
    """One of the tourism sheet's "Trường hợp 1/2" option lists; the assessor uses one."""

    code: str
    label_vi: str
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Criterion:
    code: str
    name_vi: str
    max_points: int
    options: tuple[Option, ...] = ()
    alternatives: tuple[Alternative, ...] = ()
    notes_vi: tuple[str, ...] = ()
    knockout_vi: str | None = None
    # Tea/coffee sheets nest sub-criteria (6.1.1 under 6.1 "Ngoại hình"); they are flattened
    # into scoring criteria and keep their heading here.
    parent_code: str | None = None
    parent_name_vi: str | None = None
    correction: str | None = None

    @property
    def is_yes_no(self) -> bool:
        return not self.options and not self.alternatives

    def option_lists(self) -> tuple[tuple[Option, ...], ...]:
        """The lists an assessor picks from: one, or one per alternative."""
        if self.alternatives:
            return tuple(alt.options for alt in self.alternatives)
        if self.options:
            return (self.options,)
        yes = Option(self.code + YES_SUFFIX, "Có", self.max_points)
        return ((Option(self.code + NO_SUFFIX, "Không", 0), yes),)

    @property
    def choices(self) -> tuple[Option, ...]:
        return tuple(option for options in self.option_lists() for option in options)

    def choice(self, option_code: str) -> Option:
        for option in self.choices:
            if option.code == option_code:
                return option
        raise KeyError(option_code)


@dataclass(frozen=True)
class Group:
    code: str
    name_vi: str
    max_points: int
    criteria: tuple[Criterion, ...]
    notes_vi: tuple[str, ...] = ()


@dataclass(frozen=True)
class Part:
    code: str
    max_points: int
    groups: tuple[Group, ...]
    correction: str | None = None


@dataclass(frozen=True)
class Sheet:
    number: int
    classification_code: str
    name_vi: str
    parts: tuple[Part, ...]
    disqualifiers_vi: tuple[str, ...] = ()
    classification_note_vi: str | None = None

    @property
    def max_points(self) -> int:
        return sum(part.max_points for part in self.parts)

    def criteria(self) -> Iterator[Criterion]:
        for part in self.parts:
            for group in part.groups:
                yield from group.criteria

    def criterion(self, code: str) -> Criterion:
        for criterion in self.criteria():
            if criterion.code == code:
                return criterion
        raise KeyError(code)


@dataclass(frozen=True)
class Correction:
    """A source typo fixed in the transcription (kept visible, never silently)."""

    sheets: tuple[int, ...]
    as_printed: str
    corrected_to: int
    reason: str
    part: str | None = None
    criterion: str | None = None
    option: str | None = None


@dataclass(frozen=True)
class CriteriaSet:
    id: str
    title_vi: str
    status: str
    part_totals: dict[str, int]
    sheets: tuple[Sheet, ...]
    corrections: tuple[Correction, ...] = ()
    # Everything else at the top of the file (decision, source, notes, star bands), kept as read.
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def decision_number(self) -> str | None:
        return (self.meta.get("decision") or {}).get("number")

    @property
    def decision_date(self) -> date | None:
        return _as_date((self.meta.get("decision") or {}).get("date"))

    @property
    def effective_from(self) -> date | None:
        return _as_date(self.meta.get("effective_from"))

    @property
    def council_marks_rule(self) -> str:
        """How members' minimum marks combine (see council_marks_note in the data file). A file
        that does not say keeps the earlier reading, per star level."""
        return self.meta.get("council_marks_rule", "per_level_majority")

    def sheet(self, number: int) -> Sheet:
        for sheet in self.sheets:
            if sheet.number == number:
                return sheet
        raise KeyError(number)

    def sheet_for(self, classification_code: str) -> Sheet:
        for sheet in self.sheets:
            if sheet.classification_code == classification_code:
                return sheet
        raise KeyError(classification_code)


# --------------------------------------------------------------------------- validation

# How the members' minimum marks combine into the council's (the data file says which; stars.py).
COUNCIL_MARKS_RULES = frozenset({"per_criterion_majority", "per_level_majority"})

_TYPED_KEYS = ("id", "title_vi", "status", "part_totals", "corrections", "sheets")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _key(value: Any) -> Any:
    """A counting key for a code of any type (a damaged file may hold a list where a code belongs)."""
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _mappings(items: Any, where: str, what: str, problems: list[str]) -> list[Mapping[str, Any]]:
    """The well-formed entries of a list; each malformed one becomes a problem."""
    if not isinstance(items, list):
        problems.append(f"{where}: thiếu danh sách {what}")
        return []
    bad = [i for i, item in enumerate(items, start=1) if not isinstance(item, Mapping)]
    problems += [f"{where}: {what} thứ {i} không đúng cấu trúc" for i in bad]
    return [item for item in items if isinstance(item, Mapping)]


def _expected_bands() -> list[dict[str, int]]:
    bands = []
    upper = None
    for stars, floor in STAR_BANDS:
        band = {"stars": stars, "min": int(floor)}
        band.update({"max": 100} if upper is None else {"max_exclusive": upper})
        bands.append(band)
        upper = int(floor)
    return bands


def validate_criteria_set(raw: Any) -> list[str]:
    """Every problem of the whole set, in Vietnamese, naming the sheet and the code."""
    if not isinstance(raw, Mapping):
        return ["Bộ tiêu chí: nội dung không phải một bảng khóa/giá trị (mapping)"]
    problems: list[str] = []
    top = "Bộ tiêu chí"
    for key in ("id", "title_vi", "status"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            problems.append(f"{top}: thiếu trường {key}")
    totals = raw.get("part_totals")
    if not isinstance(totals, Mapping) or not all(_is_int(v) for v in totals.values()):
        problems.append(f"{top}: part_totals phải ghi điểm tối đa (số nguyên) của từng phần A, B, C")
        totals = {}
    elif sum(totals.values()) != 100:
        problems.append(f"{top}: tổng điểm các phần (part_totals) là {sum(totals.values())}, phải là 100")
    if "council_marks_rule" in raw and raw["council_marks_rule"] not in COUNCIL_MARKS_RULES:
        problems.append(
            f"{top}: council_marks_rule phải là một trong {sorted(COUNCIL_MARKS_RULES)}"
            f" (đang là {raw['council_marks_rule']!r})"
        )
    if "star_bands" in raw and raw["star_bands"] != _expected_bands():
        problems.append(
            f"{top}: khung xếp hạng sao khác quy định (5★ 90–100, 4★ 70–<90, 3★ 50–<70, 2★ 30–<50, 1★ <30)"
        )

    sheets = raw.get("sheets")
    if not isinstance(sheets, list):
        return [*problems, f"{top}: thiếu danh sách phiếu (sheets)"]
    if sheets and len(sheets) != FULL_SET_SIZE:
        problems.append(f"{top}: có {len(sheets)} phiếu, bộ đầy đủ phải có {FULL_SET_SIZE} phiếu")
    numbers, classes = Counter(), Counter()
    for index, sheet in enumerate(sheets, start=1):
        if not isinstance(sheet, Mapping):
            problems.append(f"{top}: phiếu thứ {index} không đúng cấu trúc")
            continue
        numbers[_key(sheet.get("number"))] += 1
        classes[_key(sheet.get("classification_code"))] += 1
        problems.extend(_validate_sheet(sheet, index, totals))
    problems += [f"{top}: số phiếu {n} bị trùng" for n, k in numbers.items() if k > 1 and n is not None]
    problems += [f"{top}: mã phân loại {c} dùng cho nhiều phiếu" for c, k in classes.items() if k > 1 and c]

    known = set(numbers)
    for index, corr in enumerate(_mappings(raw.get("corrections", []), top, "đính chính", problems), start=1):
        where = f"{top}, đính chính thứ {index}"
        for key in ("sheets", "as_printed", "corrected_to", "reason"):
            if key not in corr:
                problems.append(f"{where}: thiếu trường {key}")
        if not isinstance(corr.get("sheets", []), list):
            problems.append(f"{where}: sheets phải là danh sách số phiếu")
        elif unknown := [n for n in corr.get("sheets", []) if n not in known]:
            problems.append(f"{where}: nhắc tới phiếu không có trong bộ: {unknown}")
    return problems


def _texts(node: Mapping[str, Any], at: str, lists: tuple[str, ...], texts: tuple[str, ...]) -> list[str]:
    """Optional wording fields: lists of strings, or single strings."""
    problems = [
        f"{at}: {key} phải là danh sách các đoạn văn bản"
        for key in lists
        if key in node and not (isinstance(node[key], list) and all(isinstance(t, str) for t in node[key]))
    ]
    problems += [
        f"{at}: {key} phải là văn bản" for key in texts if key in node and not isinstance(node[key], str)
    ]
    return problems


def _validate_sheet(sheet: Mapping[str, Any], index: int, totals: Mapping[str, int]) -> list[str]:
    number = sheet.get("number")
    at = f"Bộ {number}" if _is_int(number) else f"Phiếu thứ {index}"
    problems: list[str] = []
    if not _is_int(number) or not 1 <= number <= FULL_SET_SIZE:
        problems.append(f"{at}: số phiếu phải là số nguyên 1–{FULL_SET_SIZE}")
    for key in ("classification_code", "name_vi"):
        if not isinstance(sheet.get(key), str) or not sheet[key].strip():
            problems.append(f"{at}: thiếu trường {key}")
    problems += _texts(sheet, at, ("disqualifiers_vi",), ("classification_note_vi",))
    parts = _mappings(sheet.get("parts"), at, "phần", problems)
    codes = [_key(p.get("code")) for p in parts]
    if totals and codes != list(totals):
        problems.append(f"{at}: các phần là {codes}, phải là {list(totals)}")
    criterion_codes, option_codes, group_codes = Counter(), Counter(), Counter()
    sheet_total = 0
    for part in parts:
        p_at = f"{at}, phần {part.get('code')}"
        p_max = part.get("max_points")
        problems += _texts(part, p_at, (), ("correction",))
        sheet_total += p_max if _is_int(p_max) else 0
        if _key(part.get("code")) in totals and p_max != totals[part["code"]]:
            problems.append(f"{p_at}: điểm tối đa {p_max}, quy định là {totals[part['code']]}")
        group_sum = 0
        for group in _mappings(part.get("groups"), p_at, "nhóm", problems):
            g_at = f"{at}, nhóm {group.get('code')}"
            group_codes[_key(group.get("code"))] += 1
            problems += _texts(group, g_at, ("notes_vi",), ())
            for key in ("code", "name_vi"):
                if not isinstance(group.get(key), str) or not group[key].strip():
                    problems.append(f"{g_at}: thiếu trường {key}, hoặc không phải văn bản")
            g_max = group.get("max_points")
            if not _is_int(g_max) or g_max <= 0:
                problems.append(f"{g_at}: điểm tối đa phải là số nguyên dương (đang là {g_max!r})")
                g_max = 0
            group_sum += g_max
            crit_sum = 0
            criteria = _mappings(group.get("criteria"), g_at, "tiêu chí", problems)
            if not criteria:
                problems.append(f"{g_at}: nhóm không có tiêu chí nào")
            for criterion in criteria:
                criterion_codes[_key(criterion.get("code"))] += 1
                crit_sum += criterion.get("max_points") if _is_int(criterion.get("max_points")) else 0
                problems.extend(_validate_criterion(criterion, at, option_codes))
            if crit_sum != g_max:
                problems.append(
                    f"{g_at}: tổng điểm các tiêu chí là {crit_sum}, khác điểm tối đa {g_max} của nhóm"
                )
        if _is_int(p_max) and group_sum != p_max:
            problems.append(f"{p_at}: tổng điểm các nhóm là {group_sum}, khác điểm tối đa {p_max} của phần")
    if sheet_total != 100:
        problems.append(f"{at}: tổng điểm các phần là {sheet_total}, phải là 100")
    dup = "bị trùng trong phiếu"
    problems += [f"{at}, nhóm {c}: mã nhóm {dup}" for c, k in group_codes.items() if k > 1 and c]
    problems += [f"{at}, tiêu chí {c}: mã tiêu chí {dup}" for c, k in criterion_codes.items() if k > 1 and c]
    problems += [f"{at}: mã phương án {c} {dup}" for c, k in option_codes.items() if k > 1 and c]
    return problems


def _validate_criterion(criterion: Mapping[str, Any], at: str, option_codes: Counter) -> list[str]:
    c_at = f"{at}, tiêu chí {criterion.get('code')}"
    problems: list[str] = []
    if not isinstance(criterion.get("code"), str) or not criterion["code"]:
        problems.append(f"{c_at}: thiếu mã tiêu chí, hoặc mã không phải chuỗi (ví dụ '1.1')")
    if not isinstance(criterion.get("name_vi"), str) or not criterion["name_vi"].strip():
        problems.append(f"{c_at}: thiếu tên tiêu chí")
    problems += _texts(
        criterion, c_at, ("notes_vi",), ("knockout_vi", "correction", "parent_code", "parent_name_vi")
    )
    c_max = criterion.get("max_points")
    if not _is_int(c_max) or c_max <= 0:
        return [*problems, f"{c_at}: điểm tối đa phải là số nguyên dương (đang là {c_max!r})"]
    options, alternatives = criterion.get("options"), criterion.get("alternatives")
    if options and alternatives:
        problems.append(f"{c_at}: chỉ được có options hoặc alternatives, không được có cả hai")
    lists: list[tuple[str, list[Mapping[str, Any]]]] = []
    if alternatives:
        for alt in _mappings(alternatives, c_at, "trường hợp", problems):
            a_at = f"trường hợp {alt.get('code')}"
            lists.append((a_at, _mappings(alt.get("options"), f"{c_at}, {a_at}", "phương án", problems)))
            if not isinstance(alt.get("label_vi"), str) or not alt.get("options"):
                problems.append(f"{c_at}: {a_at} phải có tên (label_vi) và ít nhất một phương án")
            if not isinstance(alt.get("code"), str) or not alt.get("code"):
                problems.append(f"{c_at}: có trường hợp thiếu mã, hoặc mã không phải chuỗi")
    elif options:
        lists.append(("các phương án", _mappings(options, c_at, "phương án", problems)))
    for label, opts in lists:
        valid_points = []
        for option in opts:
            code = option.get("code")
            option_codes[_key(code)] += 1
            if not isinstance(code, str) or not code:
                problems.append(f"{c_at}: có phương án thiếu mã, hoặc mã không phải chuỗi")
            problems += _texts(option, f"{c_at}, phương án {code}", (), ("correction",))
            if not isinstance(option.get("label_vi"), str) or not option["label_vi"].strip():
                problems.append(f"{c_at}: phương án {code} thiếu nội dung (label_vi)")
            points = option.get("points")
            if not _is_int(points) or not 0 <= points <= c_max:
                problems.append(f"{c_at}: phương án {code} có {points!r} điểm, ngoài khoảng 0–{c_max}")
            else:
                valid_points.append(points)
            for flag in ("stops", "from_note"):
                if flag in option and not isinstance(option[flag], bool):
                    problems.append(f"{c_at}: phương án {code}: {flag} phải là true hoặc false")
            star = option.get("min_star")
            if star is not None and star not in MARK_LEVELS:
                problems.append(f"{c_at}: phương án {code} có min_star {star!r}, chỉ được là 3, 4 hoặc 5")
        if valid_points and len(valid_points) == len(opts) and max(valid_points) != c_max:
            problems.append(
                f"{c_at}: điểm tối đa {c_max} khác điểm cao nhất của {label} ({max(valid_points)})"
            )
    return problems


# --------------------------------------------------------------------------- building


def _tuple(value: Any) -> tuple[str, ...]:
    return tuple(value or ())


def _option(raw: Mapping[str, Any]) -> Option:
    return Option(
        raw["code"],
        raw["label_vi"],
        raw["points"],
        raw.get("min_star"),
        raw.get("correction"),
        bool(raw.get("stops")),
        bool(raw.get("from_note")),
    )


def _criterion(raw: Mapping[str, Any]) -> Criterion:
    return Criterion(
        code=raw["code"],
        name_vi=raw["name_vi"],
        max_points=raw["max_points"],
        options=tuple(_option(o) for o in raw.get("options") or ()),
        alternatives=tuple(
            Alternative(a["code"], a["label_vi"], tuple(_option(o) for o in a["options"]))
            for a in raw.get("alternatives") or ()
        ),
        notes_vi=_tuple(raw.get("notes_vi")),
        knockout_vi=raw.get("knockout_vi"),
        parent_code=raw.get("parent_code"),
        parent_name_vi=raw.get("parent_name_vi"),
        correction=raw.get("correction"),
    )


def _sheet(raw: Mapping[str, Any]) -> Sheet:
    parts = tuple(
        Part(
            code=p["code"],
            max_points=p["max_points"],
            correction=p.get("correction"),
            groups=tuple(
                Group(
                    g["code"],
                    g["name_vi"],
                    g["max_points"],
                    tuple(_criterion(c) for c in g["criteria"]),
                    _tuple(g.get("notes_vi")),
                )
                for g in p["groups"]
            ),
        )
        for p in raw["parts"]
    )
    return Sheet(
        raw["number"],
        raw["classification_code"],
        raw["name_vi"],
        parts,
        _tuple(raw.get("disqualifiers_vi")),
        raw.get("classification_note_vi"),
    )


def criteria_set_from_dict(raw: Any) -> CriteriaSet:
    problems = validate_criteria_set(raw)
    if problems:
        raise CriteriaSetInvalid(problems)
    corrections = tuple(
        Correction(
            tuple(c["sheets"]),
            str(c["as_printed"]),
            c["corrected_to"],
            c["reason"],
            c.get("part"),
            c.get("criterion"),
            c.get("option"),
        )
        for c in raw.get("corrections") or ()
    )
    return CriteriaSet(
        id=raw["id"],
        title_vi=raw["title_vi"],
        status=raw["status"],
        part_totals=dict(raw["part_totals"]),
        sheets=tuple(_sheet(s) for s in raw["sheets"]),
        corrections=corrections,
        meta={k: v for k, v in raw.items() if k not in _TYPED_KEYS},
    )


def load_criteria_set(source: str | Path | IO[str] | IO[bytes]) -> CriteriaSet:
    """Read a criteria-set YAML file (path or open stream); raise CriteriaSetInvalid on any problem."""
    if hasattr(source, "read"):
        raw = yaml.load(source, Loader=_Loader)  # type: ignore[arg-type]
    else:
        with open(source, encoding="utf-8") as stream:
            raw = yaml.load(stream, Loader=_Loader)
    return criteria_set_from_dict(raw)


# --------------------------------------------------------------------------- Excel template

XLSX_COLUMNS = (
    "sheet_number",
    "classification_code",
    "sheet_name",
    "part",
    "group_code",
    "group_name",
    "group_max",
    "criterion_code",
    "criterion_name",
    "criterion_max",
    "alternative_code",
    "option_code",
    "option_label",
    "points",
    "min_star",
)
# Optional trailing columns, so the template carries notes and corrections too.
XLSX_EXTRA_COLUMNS = (
    "part_max",
    "part_correction",
    "group_notes",
    "criterion_parent_code",
    "criterion_parent_name",
    "criterion_notes",
    "criterion_knockout",
    "criterion_correction",
    "alternative_label",
    "option_correction",
    "option_stops",
    "option_from_note",
)
_ROWS, _SHEETS, _SET = "tieu_chi", "phieu", "bo"
_SHEET_COLUMNS = ("sheet_number", "classification_code", "sheet_name", "classification_note", "disqualifiers")


def _lines(values: tuple[str, ...]) -> str | None:
    if any("\n" in v for v in values):
        raise ValueError("Ghi chú nhiều dòng không ghi được vào mẫu Excel (mỗi ghi chú một dòng)")
    return "\n".join(values) or None


def export_criteria_set_xlsx(criteria_set: CriteriaSet, path: str | Path) -> None:
    """Write the one-row-per-option template (yes/no criteria get one row with no option)."""
    from core.sheet_writer import Sheet, write_sheets

    def rows():
        for sheet in criteria_set.sheets:
            for part in sheet.parts:
                for group in part.groups:
                    for crit in group.criteria:
                        lists: list[tuple[Alternative | None, tuple[Option, ...]]]
                        lists = [(alt, alt.options) for alt in crit.alternatives] or [(None, crit.options)]
                        for alt, options in lists:
                            for opt in options or (None,):
                                yield [
                                    sheet.number,
                                    sheet.classification_code,
                                    sheet.name_vi,
                                    part.code,
                                    group.code,
                                    group.name_vi,
                                    group.max_points,
                                    crit.code,
                                    crit.name_vi,
                                    crit.max_points,
                                    alt and alt.code,
                                    opt and opt.code,
                                    opt and opt.label_vi,
                                    opt and opt.points,
                                    opt and opt.min_star,
                                    part.max_points,
                                    part.correction,
                                    _lines(group.notes_vi),
                                    crit.parent_code,
                                    crit.parent_name_vi,
                                    _lines(crit.notes_vi),
                                    crit.knockout_vi,
                                    crit.correction,
                                    alt and alt.label_vi,
                                    opt and opt.correction,
                                    (1 if opt.stops else None) if opt else None,
                                    (1 if opt.from_note else None) if opt else None,
                                ]

    def settings():
        yield ("id", "text", criteria_set.id)
        yield ("title_vi", "text", criteria_set.title_vi)
        yield ("status", "text", criteria_set.status)
        structured = {
            "part_totals": criteria_set.part_totals,
            **criteria_set.meta,
            "corrections": [_correction_dict(c) for c in criteria_set.corrections],
        }
        for key, value in structured.items():
            if isinstance(value, str) and value == value.strip() and "\n" not in value:
                yield (key, "text", value)
            else:
                yield (key, "yaml", yaml.safe_dump(value, allow_unicode=True, sort_keys=False))

    sheets = (
        [
            sheet.number,
            sheet.classification_code,
            sheet.name_vi,
            sheet.classification_note_vi,
            _lines(sheet.disqualifiers_vi),
        ]
        for sheet in criteria_set.sheets
    )
    write_sheets(
        path,
        [
            Sheet(_ROWS, XLSX_COLUMNS + XLSX_EXTRA_COLUMNS, rows()),
            Sheet(_SHEETS, _SHEET_COLUMNS, sheets),
            Sheet(_SET, ("key", "format", "value"), settings()),
        ],
        title=criteria_set.title_vi,
    )


def _correction_dict(corr: Correction) -> dict[str, Any]:
    data = {
        "sheets": list(corr.sheets),
        "part": corr.part,
        "criterion": corr.criterion,
        "option": corr.option,
        "as_printed": corr.as_printed,
        "corrected_to": corr.corrected_to,
        "reason": corr.reason,
    }
    return {k: v for k, v in data.items() if v is not None}


def _cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel turns a typed "7" into 7.0
    text = str(value).strip()
    return text or None


def _cell_number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


def _read_table(book: Any, name: str) -> list[tuple[int, dict[str, Any]]]:
    grid = book.grid(name)
    header = [_cell_text(h) for h in (grid[0] if grid else ())]
    table = []
    for line, values in enumerate(grid[1:], start=2):
        if any(v not in (None, "") for v in values):
            table.append((line, dict(zip(header, values, strict=False))))
    return table


def read_criteria_set_xlsx(path: str | Path) -> dict[str, Any]:
    """The raw document of an Excel template, validated; raise CriteriaSetInvalid on any problem
    (a file core.sheet_reader refuses, too big or not a workbook, included)."""
    from core.sheet_reader import SheetFileError, open_workbook

    try:
        book = open_workbook(Path(path).read_bytes(), str(path))
    except SheetFileError as exc:
        raise CriteriaSetInvalid([str(exc)]) from exc
    raw, problems = _raw_from_workbook(book)
    problems += validate_criteria_set(raw)
    if problems:
        raise CriteriaSetInvalid(problems)
    return raw


def load_criteria_set_xlsx(path: str | Path) -> CriteriaSet:
    """Read the Excel template back; same validation, same refusal as the YAML loader."""
    return criteria_set_from_dict(read_criteria_set_xlsx(path))


def _raw_from_workbook(book: Any) -> tuple[dict[str, Any], list[str]]:
    problems: list[str] = []
    raw: dict[str, Any] = {}
    for line, row in _read_table(book, _SET):
        key, value = _cell_text(row.get("key")), row.get("value")
        if not key:
            continue
        try:
            raw[key] = yaml.safe_load(value) if row.get("format") == "yaml" else _cell_text(value)
        except yaml.YAMLError as error:
            problems.append(f"Trang {_SET}, dòng {line}: giá trị của {key} không đọc được ({error})")
    part_totals = raw["part_totals"] if isinstance(raw.get("part_totals"), dict) else {}

    def same(node: dict[str, Any], key: str, value: Any, line: int, what: str) -> None:
        # Every row repeats its sheet, group and criterion; the copies must agree.
        if key not in node:
            node[key] = value
        elif node[key] != value:
            problems.append(
                f"Trang {_ROWS}, dòng {line}: {what} có {key} khác các dòng trước ({node[key]!r} ≠ {value!r})"
            )

    sheets: dict[int, dict[str, Any]] = {}
    for line, row in _read_table(book, _ROWS):
        number = _cell_number(row.get("sheet_number"))
        sheet = sheets.setdefault(number, {"number": number, "parts": {}})
        same(sheet, "classification_code", _cell_text(row.get("classification_code")), line, f"Bộ {number}")
        same(sheet, "name_vi", _cell_text(row.get("sheet_name")), line, f"Bộ {number}")
        part_code = _cell_text(row.get("part"))
        part = sheet["parts"].setdefault(part_code, {"code": part_code, "groups": {}})
        part_max = _cell_number(row.get("part_max"))
        same(
            part,
            "max_points",
            part_totals.get(part_code) if part_max is None else part_max,
            line,
            f"Bộ {number}, phần {part_code}",
        )
        _put(part, "correction", _cell_text(row.get("part_correction")))
        g_code = _cell_text(row.get("group_code"))
        group = part["groups"].setdefault(g_code, {"code": g_code, "criteria": {}})
        g_at = f"Bộ {number}, nhóm {g_code}"
        same(group, "name_vi", _cell_text(row.get("group_name")), line, g_at)
        same(group, "max_points", _cell_number(row.get("group_max")), line, g_at)
        _put(group, "notes_vi", _split(row.get("group_notes")))
        c_code = _cell_text(row.get("criterion_code"))
        crit = group["criteria"].setdefault(c_code, {"code": c_code})
        c_at = f"Bộ {number}, tiêu chí {c_code}"
        same(crit, "name_vi", _cell_text(row.get("criterion_name")), line, c_at)
        same(crit, "max_points", _cell_number(row.get("criterion_max")), line, c_at)
        for key, column in (
            ("parent_code", "criterion_parent_code"),
            ("parent_name_vi", "criterion_parent_name"),
            ("knockout_vi", "criterion_knockout"),
            ("correction", "criterion_correction"),
        ):
            _put(crit, key, _cell_text(row.get(column)))
        _put(crit, "notes_vi", _split(row.get("criterion_notes")))
        option_code = _cell_text(row.get("option_code"))
        if option_code is None:
            continue  # yes/no criterion
        option = {
            "code": option_code,
            "label_vi": _cell_text(row.get("option_label")),
            "points": _cell_number(row.get("points")),
        }
        _put(option, "min_star", _cell_number(row.get("min_star")))
        _put(option, "correction", _cell_text(row.get("option_correction")))
        for key in ("stops", "from_note"):
            if _cell_number(row.get(f"option_{key}")):
                option[key] = True
        alt_code = _cell_text(row.get("alternative_code"))
        if alt_code is None:
            crit.setdefault("options", []).append(option)
        else:
            alts = crit.setdefault("alternatives", {})
            alt = alts.setdefault(
                alt_code,
                {"code": alt_code, "label_vi": _cell_text(row.get("alternative_label")), "options": []},
            )
            alt["options"].append(option)

    extra = {_cell_number(row.get("sheet_number")): row for _, row in _read_table(book, _SHEETS)}
    for number, sheet in sheets.items():
        info = extra.get(number, {})
        sheet["disqualifiers_vi"] = _split(info.get("disqualifiers")) or []
        _put(sheet, "classification_note_vi", _cell_text(info.get("classification_note")))
        for part in sheet["parts"].values():
            for group in part["groups"].values():
                for crit in group["criteria"].values():
                    if "alternatives" in crit:
                        crit["alternatives"] = list(crit["alternatives"].values())
                group["criteria"] = list(group["criteria"].values())
            part["groups"] = list(part["groups"].values())
        sheet["parts"] = list(sheet["parts"].values())
    raw["sheets"] = list(sheets.values())
    return raw, problems


def _put(node: dict[str, Any], key: str, value: Any) -> None:
    if value not in (None, [], ""):
        node[key] = value


def _split(value: Any) -> list[str] | None:
    text = _cell_text(value)
    return text.split("\n") if text else None
