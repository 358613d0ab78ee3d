"""Build QD26-2026.yaml, the project's transcription of Decision 26/2026/QĐ-TTg, Phụ lục II.

Usage (from the project root):
    .venv/bin/python evaluation/data/criteria/build_qd26.py PATH/ocop-criteria-26-2026.yaml [-o OUT]

The input is the shared domain transcription (all 26 sheets, official wording, `required_for_star`
marks, flagged typos).  Run by hand when that transcription changes; the project reads only the
output, never the input.  The result is validated with evaluation.criteria before it is written.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path
from string import ascii_lowercase
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))  # the project root, for evaluation.criteria

from evaluation.criteria import validate_criteria_set  # noqa: E402

# Phụ lục I label of the leaf sub-group each Phụ lục II sheet scores.
CLASSIFICATION = {
    1: "I.1.a", 2: "I.1.b", 3: "I.2.a", 4: "I.2.b", 5: "I.3.a", 6: "I.3.b", 7: "I.3.c", 8: "I.3.d",
    9: "I.4.a", 10: "I.4.b", 11: "I.5.a", 12: "I.5.b", 13: "I.6", 14: "II.1.a", 15: "II.1.b",
    16: "II.2.a", 17: "II.2.b", 18: "III.1", 19: "III.2", 20: "III.3", 21: "IV.1", 22: "IV.2",
    23: "V.1", 24: "V.2", 25: "V.3", 26: "VI.1",
}  # fmt: skip

# In-criterion notes that end the assessment ("bị loại…", "không đánh giá các bước tiếp theo").
KNOCKOUT = re.compile(
    r"bị loại|không đánh giá các bước tiếp theo|không xem xét các chỉ tiêu khác", re.IGNORECASE
)
# The stop rules among them: the assessment ends when the option they name is picked.
STOP = re.compile(r"không đánh giá các bước tiếp theo|không xem xét các chỉ tiêu khác", re.IGNORECASE)
ZERO_ABOVE = re.compile(r"0 điểm tại một trong các chỉ tiêu trên", re.IGNORECASE)
NO_DECLARATION = re.compile(r"không có Phiếu công bố", re.IGNORECASE)
STOP_SUFFIX = "dung"
# The reading of minimum marks over a council, beside the star rule (evaluation.stars.council_marks).
COUNCIL_MARKS_RULE = "per_criterion_majority"
COUNCIL_MARKS_NOTE = (
    "Mức tối thiểu trên phiếu của cả hội đồng được xét theo từng tiêu chí: mức tối thiểu của một tiêu chí "
    "đạt khi quá nửa số phiếu của thành viên đạt mức đó; sản phẩm đạt mức tối thiểu của một hạng sao khi mọi "
    "tiêu chí mang dấu của hạng đó đều đạt. Quyết định không nói cách gộp phiếu của các thành viên; đây là "
    "cách hiểu của dự án (A criterion's minimum is met when most members' sheets meet it; a star level's "
    "minimums are met when every marked criterion is: the project's reading, the decision is silent)."
)
# The parser attached the sheet's "TỔNG CỘNG | 100" footer row to the last criterion.
FOOTER = re.compile(r"^TỔNG CỘNG\s*\|\|")
# A lone "o " before a label is the Wingdings rendering of the □ tick box, not wording.
TICK_BOX = re.compile(r"^o\s+(?=[A-ZÀ-Ỹ])")

BLANK = "points cell blank"
# The five source typos of ocop-criteria.md §5.4.  `check` proves the input still shows the typo
# (or the value it was already corrected to) so a changed source cannot be "corrected" blindly.
CORRECTIONS: list[dict[str, Any]] = [
    {
        "sheets": [4],
        "criterion": "7",
        "option": "7.c",
        "as_printed": "13",
        "corrected_to": 3,
        "reason": "Phương án “Có trên 2 chỉ tiêu” của tiêu chí DINH DƯỠNG (tối đa 3 điểm) in 13 điểm, vượt "
        "điểm tối đa; cùng phương án được 3 điểm ở các bộ khác (1, 3).",
    },
    {
        "sheets": [11],
        "criterion": "6.1.1",
        "option": "6.1.1.b",
        "as_printed": "11",
        "corrected_to": 1,
        "reason": "Phương án “Có rất ít tạp chất, chấp nhận được” của tiêu chí Tạp chất (tối đa 2 điểm) "
        "in 11 điểm, vượt điểm tối đa; nằm giữa “Có tạp chất” (0) và “Sạch” (2).",
    },
    {
        "sheets": [23],
        "criterion": "9",
        "as_printed": "4 1",
        "corrected_to": 4,
        "reason": "Ô điểm của nhóm 9 HƯỚNG DẪN SỬ DỤNG ghi “4 1”; phương án cao nhất được 4 điểm và chỉ với "
        "4 điểm phần C mới đủ 35.",
    },
    {
        "sheets": [26],
        "part": "A",
        "as_printed": "35",
        "corrected_to": 40,
        "reason": "Tiêu đề phần A ghi “(35 Điểm)”, nhưng ô điểm của phần và tổng các nhóm 1–3 (14 + 12 + 14) "
        "là 40, đúng với phần A = 40 điểm của Điều 3.",
    },
    {
        "sheets": [4, 7, 10, 11],
        "criterion": "1.2",
        "option": "1.2.a",
        "as_printed": "",
        "corrected_to": 0,
        "reason": "Phương án “Không được cấp giấy chứng nhận chất lượng” để trống ô điểm; cùng phương án "
        "được 0 điểm ở các bộ khác.",
    },
]

STAR_RULE_NOTE = (
    "Chú giải cuối mỗi phiếu chỉ ghi: phương án đánh dấu *** / **** / ***** là mức tối thiểu phải đạt để "
    "được xếp hạng 3 / 4 / 5 sao. Việc sản phẩm 4 sao cũng phải đạt các mức đánh dấu của 3 sao, sản phẩm 5 "
    "sao phải đạt các mức của 3 sao và 4 sao là cách hiểu của dự án (đọc chú giải theo nghĩa lũy tiến), "
    "không phải câu chữ của Quyết định. (A 4★ product must also meet the 3★ marks, a 5★ the 3★ and 4★ "
    "marks: this is the project's reading of the sheet legend, not literal text.)"
)

TRANSCRIPTION_NOTES = [
    "Mã phương án = mã tiêu chí + chữ cái theo thứ tự in trong phiếu (1.1.a, 1.1.b, …); tiêu chí có hai "
    "danh sách “Trường hợp 1/2” (bộ 26) dùng mã TH1, TH2 (8.TH1.a, …).",
    "Tiêu chí không có phương án là tiêu chí có/không (0 điểm hoặc điểm tối đa).",
    "Nhóm chấm trực tiếp (không có tiêu chí con) được ghi thành một tiêu chí mang mã của nhóm; ghi chú của "
    "nhóm chuyển sang tiêu chí đó.",
    "Tiêu chí con của bộ 11 và 13 (6.1.1, 6.2.1, …) được chấm như tiêu chí; tiêu chí cha ghi ở "
    "parent_code / parent_name_vi.",
    "Ghi chú “bị loại…”, “không đánh giá các bước tiếp theo”, “không xem xét các chỉ tiêu khác” ghi ở "
    "knockout_vi; các ghi chú khác ở notes_vi.",
    "Bỏ dòng “TỔNG CỘNG || 100” mà bản phân tích gắn nhầm vào tiêu chí cuối; bỏ ký tự “o” (ô đánh dấu □ "
    "hiển thị bằng phông Wingdings) ở đầu một phương án của bộ 7, nhóm 7.",
    "Quy tắc dừng (“không đánh giá các bước tiếp theo”, “không xem xét các chỉ tiêu khác”) được đánh "
    "dấu stops: true trên phương án dẫn tới dừng: phương án 0 điểm của các chỉ tiêu ghi “0 điểm tại một "
    "trong các chỉ tiêu trên”, phương án “Không có …” khi thiếu phiếu công bố; khi phiếu không in phương "
    "án đó (tạp chất không chấp nhận được, không có phiếu công bố), phương án được thêm theo ghi chú, 0 "
    "điểm, mã kết thúc bằng .dung và from_note: true.",
    "Bộ 19 và bộ 26 không có câu “Hồ sơ bị loại khi…” ở đầu phiếu trong bản nguồn (disqualifiers_vi rỗng).",
]


def _notes(raw: list[str] | None) -> tuple[list[str], list[str]]:
    """(notes, knock-outs) of one criterion, official wording kept."""
    notes, knockouts = [], []
    for note in raw or []:
        if FOOTER.match(note):
            continue
        (knockouts if KNOCKOUT.search(note) else notes).append(note)
    return notes, knockouts


def _options(raw: list[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    options = []
    for letter, source in zip(ascii_lowercase, raw, strict=False):
        assert len(raw) <= len(ascii_lowercase)
        option: dict[str, Any] = {
            "code": f"{prefix}.{letter}",
            "label_vi": TICK_BOX.sub("", source["label_vi"].strip()),
            "points": source["points"],
        }
        if "required_for_star" in source:
            option["min_star"] = source["required_for_star"]
        options.append(option)
    return options


def _criterion(
    source: dict[str, Any], group_notes: list[str], parent: dict[str, Any] | None
) -> dict[str, Any]:
    code = source["code"]
    crit: dict[str, Any] = {
        "code": code,
        "name_vi": source["name_vi"].strip(),
        "max_points": source["max_points"],
    }
    if parent:
        crit["parent_code"], crit["parent_name_vi"] = parent["code"], parent["name_vi"].strip()
    requirement = [source["requirement_vi"]] if source.get("requirement_vi") else []
    notes, knockouts = _notes(group_notes + (source.get("notes_vi") or []) + requirement)
    if notes:
        crit["notes_vi"] = notes
    if knockouts:
        assert len(knockouts) == 1, (code, knockouts)
        crit["knockout_vi"] = knockouts[0]
    raw_options = source.get("options") or []
    cases = list(dict.fromkeys(o.get("case_vi") for o in raw_options))
    if cases and cases != [None]:
        assert None not in cases, code
        crit["alternatives"] = [
            {
                "code": f"TH{n}",
                "label_vi": case,
                "options": _options([o for o in raw_options if o.get("case_vi") == case], f"{code}.TH{n}"),
            }
            for n, case in enumerate(cases, start=1)
        ]
    elif raw_options:
        crit["options"] = _options(raw_options, code)
    return crit


def _stop_option(code: str, label: str) -> dict[str, Any]:
    return {"code": f"{code}.{STOP_SUFFIX}", "label_vi": label, "points": 0, "stops": True, "from_note": True}


def _mark_stops(sheet: dict[str, Any]) -> None:
    """Mark (or add from the note) the option each stop rule of the sheet names."""
    for part in sheet["parts"]:
        for group in part["groups"]:
            for index, crit in enumerate(group["criteria"]):
                note = crit.get("knockout_vi") or ""
                if not STOP.search(note):
                    continue
                assert "options" in crit, crit["code"]
                if ZERO_ABOVE.search(note):
                    for above in group["criteria"][: index + 1]:
                        for option in above.get("options", []):
                            if option["points"] == 0:
                                option["stops"] = True
                elif NO_DECLARATION.search(note):
                    missing = [
                        o
                        for o in crit["options"]
                        if o["points"] == 0 and o["label_vi"].startswith("Không có")
                    ]
                    for option in missing:
                        option["stops"] = True
                    if not missing:
                        crit["options"].insert(
                            0,
                            _stop_option(
                                crit["code"],
                                "Không có phiếu công bố sản phẩm theo quy định "
                                "(không đánh giá các bước tiếp theo)",
                            ),
                        )
                else:
                    crit["options"].insert(
                        0,
                        _stop_option(
                            crit["code"],
                            "Có tạp chất không chấp nhận được, có nguy cơ gây mất an toàn thực phẩm "
                            "(không đánh giá các bước tiếp theo)",
                        ),
                    )


def _sheet(source: dict[str, Any]) -> dict[str, Any]:
    number = source["no"]
    parts = []
    for part in source["parts"]:
        groups = []
        for group in part["groups"]:
            implicit = len(group["criteria"]) == 1 and group["criteria"][0].get("implicit")
            group_notes = group.get("notes_vi") or []
            assert implicit or not group_notes, (number, group["code"])
            criteria = []
            for crit in group["criteria"]:
                if "subcriteria" in crit:
                    criteria += [_criterion(sub, [], crit) for sub in crit["subcriteria"]]
                else:
                    criteria.append(_criterion(crit, group_notes if implicit else [], None))
            groups.append({"code": group["code"], "name_vi": group["name_vi"].strip(),
                           "max_points": group["max_points"], "criteria": criteria})  # fmt: skip
        parts.append({"code": part["code"], "max_points": part["max_points"], "groups": groups})
    return {
        "number": number,
        "classification_code": CLASSIFICATION[number],
        "name_vi": source["name_vi"].strip(),
        "classification_note_vi": source["classification_note_vi"],
        "disqualifiers_vi": list(source.get("disqualifiers_vi") or []),
        "parts": parts,
    }


def _note(corr: dict[str, Any]) -> str:
    printed = f"“{corr['as_printed']}”" if corr["as_printed"] else "ô trống"
    return f"Đính chính lỗi in của nguồn: in {printed}, ghi {corr['corrected_to']}. {corr['reason']}"


def _apply_corrections(sheets: list[dict[str, Any]], source: list[dict[str, Any]]) -> None:
    for corr in CORRECTIONS:
        for number in corr["sheets"]:
            sheet, src = sheets[number - 1], source[number - 1]
            if "part" in corr:
                part = next(p for p in sheet["parts"] if p["code"] == corr["part"])
                assert part["max_points"] == corr["corrected_to"], (number, corr)
                part["correction"] = _note(corr)
                continue
            crit = next(c for p in sheet["parts"] for g in p["groups"] for c in g["criteria"]
                        if c["code"] == corr["criterion"])  # fmt: skip
            if "option" not in corr:  # a points cell of a criterion scored directly
                assert crit["max_points"] == corr["corrected_to"], (number, corr)
                assert corr["as_printed"] in str(src), (number, corr)
                crit["correction"] = _note(corr)
                continue
            option = next(o for o in crit["options"] if o["code"] == corr["option"])
            printed = str(option["points"]) if corr["as_printed"] else BLANK
            assert (
                printed == corr["as_printed"] or BLANK in str(src) or option["points"] == corr["corrected_to"]
            )
            option["points"] = corr["corrected_to"]
            option["correction"] = _note(corr)


def build(source_path: Path) -> dict[str, Any]:
    with open(source_path, encoding="utf-8") as stream:
        shared = yaml.safe_load(stream)
    source = sorted(shared["criteria_sets"], key=lambda s: s["no"])
    assert [s["no"] for s in source] == list(range(1, 27))
    sheets = [_sheet(s) for s in source]
    _apply_corrections(sheets, source)
    for sheet in sheets:
        _mark_stops(sheet)
    s1 = shared["sources"]["S1"]
    return {
        "id": "QD26-2026",
        "title_vi": "Bộ tiêu chí đánh giá, phân hạng sản phẩm OCOP theo Quyết định 26/2026/QĐ-TTg",
        "decision": {
            "number": "26/2026/QĐ-TTg",
            "date": date(2026, 5, 22),
            "issuer_vi": "Thủ tướng Chính phủ",
            "name_vi": "Ban hành Bộ tiêu chí và quy trình đánh giá, phân hạng sản phẩm mỗi xã một sản phẩm",
            "appendix_vi": "Phụ lục II — Bộ tiêu chí đánh giá sản phẩm OCOP (kiêm phiếu đánh giá)",
        },
        "status": "official",
        "effective_from": date(2026, 5, 22),
        "source": {
            "document": "Quyết định 26/2026/QĐ-TTg ngày 22/5/2026 của Thủ tướng Chính phủ, Phụ lục II "
            "(26 bộ tiêu chí kiêm phiếu đánh giá)",
            "public_copy": s1["ref"],
            "confidence": s1["confidence"],
            "transcription": "Bản chuyển dữ liệu dùng chung ocop-criteria-26-2026.yaml, chuyển sang cấu trúc "
            "của dự án bằng evaluation/data/criteria/build_qd26.py",
            "verify_vi": "Chưa đối chiếu với bản Công báo chính thức: kiểm tra lại một số điểm, nhất là năm "
            "lỗi in đã đính chính, trước khi vận hành.",
        },
        "star_rule_note": STAR_RULE_NOTE,
        "council_marks_rule": COUNCIL_MARKS_RULE,
        "council_marks_note": COUNCIL_MARKS_NOTE,
        "star_bands": [
            {"stars": 5, "min": 90, "max": 100},
            {"stars": 4, "min": 70, "max_exclusive": 90},
            {"stars": 3, "min": 50, "max_exclusive": 70},
            {"stars": 2, "min": 30, "max_exclusive": 50},
            {"stars": 1, "min": 0, "max_exclusive": 30},
        ],
        "part_totals": {"A": 40, "B": 25, "C": 35},
        "corrections": CORRECTIONS,
        "transcription_notes": TRANSCRIPTION_NOTES,
        "sheets": sheets,
    }


HEADER = """\
# Bộ tiêu chí OCOP theo Quyết định 26/2026/QĐ-TTg, Phụ lục II (26 phiếu).
# GENERATED by evaluation/data/criteria/build_qd26.py — do not edit by hand; rerun the script.
# Loaded and validated by evaluation.criteria.load_criteria_set.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="shared ocop-criteria-26-2026.yaml")
    parser.add_argument("-o", "--output", type=Path, default=HERE / "QD26-2026.yaml")
    args = parser.parse_args(argv)
    data = build(args.source)
    problems = validate_criteria_set(data)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
    args.output.write_text(HEADER + text, encoding="utf-8")
    options = sum(len(c.get("options", [])) for s in data["sheets"] for p in s["parts"] for g in p["groups"]
                  for c in g["criteria"])  # fmt: skip
    print(f"{args.output}: {len(data['sheets'])} sheets, {options} options (without alternatives)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
