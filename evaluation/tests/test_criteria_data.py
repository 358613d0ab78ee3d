"""The shipped criteria sets, the validator and the Excel template."""

import copy
import io
import subprocess
import sys

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from evaluation.criteria import (
    CriteriaSetInvalid,
    export_criteria_set_xlsx,
    load_criteria_set,
    load_criteria_set_xlsx,
    validate_criteria_set,
)

from .conftest import QD26_PATH, QD148_PATH

CLASSIFICATION = {
    1: "I.1.a", 2: "I.1.b", 3: "I.2.a", 4: "I.2.b", 5: "I.3.a", 6: "I.3.b", 7: "I.3.c", 8: "I.3.d",
    9: "I.4.a", 10: "I.4.b", 11: "I.5.a", 12: "I.5.b", 13: "I.6", 14: "II.1.a", 15: "II.1.b",
    16: "II.2.a", 17: "II.2.b", 18: "III.1", 19: "III.2", 20: "III.3", 21: "IV.1", 22: "IV.2",
    23: "V.1", 24: "V.2", 25: "V.3", 26: "VI.1",
}  # fmt: skip


@pytest.fixture
def raw26(qd26_raw) -> dict:
    return copy.deepcopy(qd26_raw)


def _criterion(raw: dict, sheet: int, code: str) -> dict:
    sheet_raw = raw["sheets"][sheet - 1]
    assert sheet_raw["number"] == sheet
    return next(
        c for p in sheet_raw["parts"] for g in p["groups"] for c in g["criteria"] if c["code"] == code
    )


# --------------------------------------------------------------------------- shipped data


def test_shipped_set_validates_with_zero_problems(raw26, qd26):
    assert validate_criteria_set(raw26) == []
    assert qd26.id == "QD26-2026"
    assert qd26.status == "official"
    assert qd26.decision_number == "26/2026/QĐ-TTg"
    assert str(qd26.decision_date) == "2026-05-22"
    assert "not literal text" in raw26["star_rule_note"]


def test_twenty_six_sheets_with_their_appendix_i_labels(qd26):
    assert len(qd26.sheets) == 26
    assert {s.number: s.classification_code for s in qd26.sheets} == CLASSIFICATION
    assert qd26.sheet_for("V.1").name_vi == "Hoa"


def test_every_sheet_sums_to_100(qd26):
    for sheet in qd26.sheets:
        assert [(p.code, p.max_points) for p in sheet.parts] == [("A", 40), ("B", 25), ("C", 35)]
        best = sum(max(o.points for o in c.choices) for c in sheet.criteria())
        assert best == sheet.max_points == 100, sheet.number


def test_transcription_counts(qd26):
    criteria = [c for s in qd26.sheets for c in s.criteria()]
    assert len(criteria) == 787
    printed = [o for c in criteria if not c.is_yes_no for o in c.choices if not o.from_note]
    assert len(printed) == 2535
    # Stop rules whose option the sheet does not print are added from the note (16 of them).
    assert sum(1 for c in criteria for o in c.choices if o.from_note) == 16
    marks = [o for c in criteria for o in c.choices if o.min_star]
    assert len(marks) == 575
    assert {o.min_star for o in marks} == {3, 4, 5}
    # Alternatives ("Trường hợp 1/2") exist on the tourism sheet only.
    assert {(s.number, c.code) for s in qd26.sheets for c in s.criteria() if c.alternatives} == {
        (26, "8"),
        (26, "9"),
        (26, "15"),
    }


def test_exactly_five_corrections_each_visible_where_it_applies(qd26):
    assert len(qd26.corrections) == 5
    by_printed = {c.as_printed: c for c in qd26.corrections}
    assert set(by_printed) == {"13", "11", "4 1", "35", ""}
    assert by_printed[""].sheets == (4, 7, 10, 11)

    nutrition = qd26.sheet(4).criterion("7").choice("7.c")
    assert nutrition.points == 3 and "13" in nutrition.correction
    foreign = qd26.sheet(11).criterion("6.1.1").choice("6.1.1.b")
    assert foreign.points == 1 and "11" in foreign.correction
    guide = qd26.sheet(23).criterion("9")
    assert guide.max_points == 4 and "4 1" in guide.correction
    part_a = qd26.sheet(26).parts[0]
    assert part_a.max_points == 40 and "35" in part_a.correction
    for number in (4, 7, 10, 11):
        blank = qd26.sheet(number).criterion("1.2").choice("1.2.a")
        assert blank.points == 0 and blank.correction
    corrected = [o for s in qd26.sheets for c in s.criteria() for o in c.choices if o.correction]
    assert len(corrected) == 6  # 7.c, 6.1.1.b and four 1.2.a


def test_knockouts_and_yes_no_criteria(qd26):
    assert "nhập khẩu" in qd26.sheet(7).criterion("1.1").knockout_vi
    assert qd26.sheet(1).disqualifiers_vi[0].startswith("Hồ sơ bị loại khi")
    bilingual = qd26.sheet(1).criterion("2.4")
    assert bilingual.is_yes_no and [o.points for o in bilingual.choices] == [0, 1]
    assert bilingual.choice("2.4.co").points == 1


def test_historical_148_set_keeps_totals_only():
    qd148 = load_criteria_set(QD148_PATH)
    assert qd148.id == "QD148-2023" and qd148.status == "historical"
    assert qd148.decision_number == "148/QĐ-TTg" and str(qd148.decision_date) == "2023-02-24"
    assert qd148.part_totals == {"A": 40, "B": 25, "C": 35}
    assert qd148.sheets == ()
    assert "Phụ lục III" in qd148.meta["note_vi"]


def test_modules_do_not_import_django():
    code = "import sys, evaluation.criteria, evaluation.stars; assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=QD26_PATH.parents[3])


# --------------------------------------------------------------------------- validation


def test_broken_copy_is_refused_with_every_problem_named(raw26):
    broken = copy.deepcopy(raw26)
    _criterion(broken, 4, "7")["options"][2]["points"] = 9  # over the max of 3
    _criterion(broken, 5, "1.1")["options"][1]["code"] = "1.1.a"  # duplicate option code
    broken["sheets"][5]["parts"][0]["groups"][0]["max_points"] = 17  # part A of sheet 6 sums to 39
    _criterion(broken, 9, "1.2")["code"] = "1.1"  # duplicate criterion code
    _criterion(broken, 10, "4.1")["options"][0]["min_star"] = 6
    _criterion(broken, 12, "4.3")["options"][-1]["points"] = 4  # max 5 no longer reachable
    broken["sheets"][25]["classification_code"] = "V.3"

    problems = validate_criteria_set(broken)
    expected = [
        ("Bộ 4, tiêu chí 7:", "7.c", "ngoài khoảng 0–3"),
        ("Bộ 5:", "1.1.a", "bị trùng"),
        ("Bộ 6, nhóm 1:", "17"),
        ("Bộ 6, phần A:", "39", "40"),
        ("Bộ 9, tiêu chí 1.1:", "mã tiêu chí bị trùng"),
        ("Bộ 10, tiêu chí 4.1:", "min_star 6"),
        ("Bộ 12, tiêu chí 4.3:", "điểm cao nhất"),
        ("Bộ tiêu chí:", "V.3"),
    ]
    for fragments in expected:
        assert any(all(f in p for f in fragments) for p in problems), (fragments, problems)
    assert len(problems) == len(expected)

    with pytest.raises(CriteriaSetInvalid) as refused:
        load_criteria_set(
            io.StringIO(yaml.dump(broken, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper)))
        )
    assert refused.value.problems == problems
    assert "Bộ 4, tiêu chí 7" in str(refused.value)


@pytest.mark.parametrize(
    "raw",
    [
        None,
        [],
        {"sheets": "x"},
        {
            "id": "X",
            "title_vi": "X",
            "status": "draft",
            "part_totals": {"A": 40},
            "sheets": [1, {"parts": [None]}],
        },
        {
            "sheets": [
                {"number": 1, "parts": [{"code": "A", "groups": [{"criteria": [{"options": [None]}]}]}]}
            ]
        },
    ],
)
def test_validator_reports_malformed_input_instead_of_crashing(raw):
    assert validate_criteria_set(raw)


def _slots(node, found=None) -> list:
    """Every (container, key) of a nested structure, to damage one at a time."""
    found = [] if found is None else found
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        found.append((node, key))
        _slots(value, found)
    return found


@given(data=st.data())
def test_any_single_damaged_field_is_reported_not_crashed_on(qd26_raw, data):
    slots = _slots(qd26_raw["sheets"][data.draw(st.integers(0, 25), label="sheet index")])
    container, key = slots[data.draw(st.integers(0, len(slots) - 1), label="slot")]
    junk = data.draw(st.sampled_from([None, "", -1, 101, 2.5, True, [], {}, [None], {"x": 1}]))
    original = container[key]
    container[key] = junk
    try:
        problems = validate_criteria_set(qd26_raw)
    finally:
        container[key] = original
    if key in ("code", "max_points", "points", "criteria", "groups", "parts", "number"):
        assert problems, (key, junk)
    assert all(isinstance(p, str) for p in problems)


def test_partial_set_and_wrong_star_bands_are_refused(raw26):
    raw26["sheets"] = raw26["sheets"][:3]
    raw26["star_bands"][0]["min"] = 85
    problems = validate_criteria_set(raw26)
    assert any("26 phiếu" in p for p in problems)
    assert any("khung xếp hạng sao" in p for p in problems)


# --------------------------------------------------------------------------- Excel template


def test_excel_round_trip_gives_an_equal_set(qd26, tmp_path):
    path = tmp_path / "QD26-2026.xlsx"
    export_criteria_set_xlsx(qd26, path)
    assert load_criteria_set_xlsx(path) == qd26
    qd148 = load_criteria_set(QD148_PATH)
    export_criteria_set_xlsx(qd148, tmp_path / "QD148-2023.xlsx")
    assert load_criteria_set_xlsx(tmp_path / "QD148-2023.xlsx") == qd148


def test_excel_template_columns_and_refusal(qd26, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "bo.xlsx"
    export_criteria_set_xlsx(qd26, path)
    book = load_workbook(path)
    rows = book["tieu_chi"]
    header = [cell.value for cell in rows[1]]
    assert header[:15] == [
        "sheet_number", "classification_code", "sheet_name", "part", "group_code", "group_name",
        "group_max", "criterion_code", "criterion_name", "criterion_max", "alternative_code", "option_code",
        "option_label", "points", "min_star",
    ]  # fmt: skip
    col = {name: i for i, name in enumerate(header)}
    for row in rows.iter_rows(min_row=2):
        if row[col["option_code"]].value == "7.c" and row[col["sheet_number"]].value == 4:
            row[col["points"]].value = 13  # the source typo, typed back in
        if row[col["criterion_code"]].value == "2.4" and row[col["sheet_number"]].value == 1:
            row[col["group_max"]].value = 11  # disagrees with the group's other rows
    book.save(path)
    with pytest.raises(CriteriaSetInvalid) as refused:
        load_criteria_set_xlsx(path)
    problems = refused.value.problems
    assert any(p.startswith("Bộ 4, tiêu chí 7:") and "7.c" in p for p in problems)
    assert any("Bộ 1, nhóm 2" in p and "max_points" in p for p in problems)
