"""Import of a partner's batch file (.xlsx or .csv) through core.sheet_reader, with its error rules:
every bad cell is reported as "Dòng n, cột X: …", nothing is written unless every row is good (one
transaction), and a file holding formulas is refused (a partner's file is data, not a program).

Columns (headers matched folded, in any order): mã sản phẩm (GTIN or the product's public slug),
số lô, ngày sản xuất, hạn sử dụng, số lượng, đơn vị, ghi chú."""

import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import AuditReason
from core.gs1 import normalise_gtin
from core.parsing import blank, cell_text, parse_date, parse_number
from core.sheet_reader import (
    HeaderMatcher,
    RowErrorsMixin,
    SheetFileError,
    containing,
    exactly,
    open_workbook,
)
from core.text import fold_words
from products.models import Product
from traceability.models import Unit
from traceability.services import batch_create

HEADERS = HeaderMatcher(
    [
        ("product", exactly("ma san pham", "gtin", "ma gtin", "san pham", "ma vach")),
        ("lot", exactly("so lo", "lo", "ma lo", "lot", "batch")),
        ("produced_on", containing("ngay san xuat", "nsx")),
        ("expires_on", containing("han su dung", "hsd", "ngay het han")),
        ("quantity", exactly("so luong", "quantity")),
        ("unit", exactly("don vi", "don vi tinh", "dvt", "unit")),
        ("note", containing("ghi chu")),
    ]
)
REQUIRED = ("product", "lot", "produced_on", "quantity")
# A text cell that Excel or a spreadsheet would run: =SUM(…), +cmd|…, -2+3, @SUM(…).
FORMULA_TEXT = re.compile(r"^[=@]|^[+-](?![\d.,\s]*$)")
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
UNITS = {fold_words(label): value for value, label in Unit.choices} | {fold_words(v): v for v in Unit.values}


@dataclass
class Row:
    line: int
    data: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)


@dataclass
class Report(RowErrorsMixin):
    rows: list = field(default_factory=list)
    created: int = 0


def _has_formulas(data: bytes) -> bool:
    """Whether a (checked) .xlsx holds a formula in any sheet."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                with archive.open(info) as member:
                    tail = b""
                    while chunk := member.read(1 << 16):
                        if _FORMULA_TAG.search(tail + chunk):
                            return True
                        tail = chunk[-8:]
    return False


def _product(value, cache: dict) -> Product:
    text = cell_text(value)
    if text in cache:
        return cache[text]
    product = None
    digits = re.sub(r"[\s-]", "", text)
    if digits.isdigit():
        try:
            product = Product.objects.filter(gtin=normalise_gtin(digits)).first()
        except ValidationError as exc:
            raise ValueError(exc.messages[0]) from None
    else:
        product = Product.objects.filter(slug=text).first()
    if product is None:
        raise ValueError(_("Không có sản phẩm có mã «%(v)s» (GTIN hoặc đường dẫn).") % {"v": text})
    cache[text] = product
    return product


def _parse(row: Row, values: dict, header, products: dict) -> None:
    def column(key):
        return header.headers[key][0] if key in header.headers else key

    for key, value in values.items():
        if isinstance(value, str) and FORMULA_TEXT.match(value.strip()):
            row.errors.append(
                (column(key), _("Ô chứa công thức, không được nhận: «%(v)s».") % {"v": value[:40]})
            )
            return
    for key in REQUIRED:
        if blank(values.get(key)):
            row.errors.append((column(key), _("Không được để trống.")))
    if row.errors:
        return
    parsers = {
        "product": lambda v: _product(v, products),
        "lot": cell_text,
        "produced_on": parse_date,
        "expires_on": parse_date,
        "quantity": parse_number,
        "unit": _unit,
        "note": cell_text,
    }
    for key, parse in parsers.items():
        if key in values and not blank(values[key]):
            try:
                row.data[key] = parse(values[key])
            except ValueError as exc:
                row.errors.append((column(key), str(exc)))


def _unit(value) -> str:
    folded = fold_words(cell_text(value))
    if folded not in UNITS:
        raise ValueError(
            _("Đơn vị «%(v)s» không có trong danh sách (%(list)s).")
            % {"v": cell_text(value), "list": ", ".join(str(label) for _v, label in Unit.choices)}
        )
    return UNITS[folded]


def import_batches(data: bytes, filename: str, *, actor) -> Report:
    """Read, check every row, then create every batch in one transaction (or none)."""
    book = open_workbook(data, filename)
    if filename.lower().endswith((".xlsx", ".xlsm")) and _has_formulas(bytes(data)):
        raise SheetFileError(_("Tệp có công thức Excel: hãy dán giá trị (Paste Values) rồi lưu lại tệp."))
    grid = book.grid(book.names[0]) if book.names else []
    header = HEADERS.find(grid, lambda keys: {"product", "lot"} <= keys)
    if header is None:
        raise SheetFileError(_("Không tìm thấy dòng tiêu đề có cột «Mã sản phẩm» và «Số lô»."))
    missing = [key for key in REQUIRED if key not in header.headers]
    if missing:
        names = {"produced_on": _("Ngày sản xuất"), "quantity": _("Số lượng")}
        raise SheetFileError(
            _("Thiếu cột: %(cols)s.") % {"cols": ", ".join(str(names.get(k, k)) for k in missing)}
        )
    report, products = Report(), {}
    for line, values in HEADERS.rows(grid, header):
        row = Row(line)
        _parse(row, values, header, products)
        report.rows.append(row)
    if not report.rows:
        raise SheetFileError(_("Tệp không có dòng dữ liệu nào."))
    if not report.ok:
        return report
    seen: dict = {}
    for row in report.rows:
        key = (row.data["product"].pk, row.data["lot"])
        if key in seen:
            row.errors.append((header.headers["lot"][0], _("Số lô trùng với dòng %(n)d.") % {"n": seen[key]}))
        seen.setdefault(key, row.line)
    if not report.ok:
        return report
    try:
        with transaction.atomic():
            for row in report.rows:
                try:
                    batch_create(row.data, actor=actor, reason=AuditReason.BATCH_IMPORTED)
                except PermissionDenied:
                    row.errors.append(
                        (header.headers["product"][0], _("Bạn không có quyền ghi lô cho sản phẩm này."))
                    )
                except ValidationError as exc:
                    for key, messages in exc.message_dict.items():
                        target = "lot" if key == "__all__" else key  # (product, lot) is unique
                        column = header.headers.get(target, (target,))[0]
                        row.errors.extend((column, m) for m in messages)
            if not report.ok:
                raise _RollBack
    except _RollBack:
        return report
    report.created = len(report.rows)
    return report


class _RollBack(Exception):
    pass
