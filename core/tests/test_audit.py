"""History change reasons are one enumeration (core.audit.AuditReason), never text written at
the call site."""

import ast
from pathlib import Path

import pytest
from django.utils import translation

from core.audit import AuditReason, reason_label, reason_text
from core.services import attribute

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {"var", "bench", "scripts", "node_modules"}


def _is_text(node) -> bool:
    if isinstance(node, ast.IfExp):
        return _is_text(node.body) or _is_text(node.orelse)
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)) or isinstance(
        node, ast.JoinedStr | ast.BinOp
    )


def literal_reasons(tree: ast.AST) -> list[int]:
    """Lines that hand a written-out text to the history as a change reason."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            reason = None
            if name == "attribute" and len(node.args) >= 3:
                reason = node.args[2]
            elif name in ("insert", "update") and isinstance(node.func, ast.Attribute):
                # BulkWriter.insert(model, rows, reason) / update(model, rows, names, reason)
                position = 2 if name == "insert" else 3
                if len(node.args) > position and "writer" in ast.unparse(node.func.value).lower():
                    reason = node.args[position]
            for keyword in node.keywords:
                if keyword.arg == "default_change_reason" or (
                    keyword.arg == "reason" and name in ("attribute", "insert", "update")
                ):
                    reason = keyword.value
            if reason is not None and _is_text(reason):
                lines.append(node.lineno)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if (
                    isinstance(target, ast.Attribute)
                    and target.attr == "_change_reason"
                    and _is_text(node.value)
                ):
                    lines.append(node.lineno)
    return sorted(lines)


def test_no_module_writes_a_change_reason_as_text():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0].startswith(".") or parts[0] in SKIP_DIRS or "tests" in parts or "migrations" in parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [f"{path.relative_to(ROOT)}:{line}" for line in literal_reasons(tree)]
    assert offenders == [], "use core.audit.AuditReason: " + ", ".join(offenders)


def test_the_scan_finds_text_reasons():
    code = """
attribute(product, actor, "Cập nhật")
attribute(product, actor, f"Quyết định {number}")
writer.update(Product, rows, ["name"], "Cập nhật")
bulk_create_with_history(rows, Model, default_change_reason="Nhập")
obj._change_reason = "Xóa"
attribute(product, actor, AuditReason.UPDATED)
attribute(round_, actor, AuditReason.ROUND_DECIDED, f"{number}")
attribute(record, actor, "Cập nhật" if record.pk else AuditReason.CREATED)
"""
    assert literal_reasons(ast.parse(code)) == [2, 3, 4, 5, 6, 9]


def test_attribute_refuses_a_text_reason():
    class Record:
        pass

    with pytest.raises(TypeError):
        attribute(Record(), None, "Cập nhật")
    record = Record()
    attribute(record, None, AuditReason.ROUND_DECIDED, "12/QĐ-UBND")
    assert record._change_reason == "Quyết định: 12/QĐ-UBND"


def test_stored_values_stay_the_vietnamese_texts_of_earlier_history_rows():
    # Rows written before the enumeration hold these texts; they must keep their meaning.
    assert reason_text(AuditReason.CREATED) == "Tạo mới"
    assert reason_text(AuditReason.UPDATED) == "Cập nhật"
    assert reason_text(AuditReason.CERTIFICATE_ISSUED) == "Cấp giấy chứng nhận"
    assert len(set(AuditReason.values)) == len(AuditReason)


def test_reason_label_follows_the_language_and_keeps_unknown_texts():
    with translation.override("vi"):
        assert reason_label("Cập nhật") == "Cập nhật"
        assert reason_label("Quyết định: 12/QĐ-UBND") == "Quyết định: 12/QĐ-UBND"
    assert reason_label("Nháp → Đã nộp") == "Nháp → Đã nộp"  # an old row's free text
    assert reason_label("") == "" and reason_label(None) == ""
