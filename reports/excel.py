"""A reusable streaming Excel (.xlsx) writer for every list page.

    from reports.excel import Column, xlsx_response

    return xlsx_response(
        "chu-the.xlsx",
        _("Danh sách chủ thể OCOP"),
        [Column(_("Tên chủ thể"), width=40), Column(_("Ngày tạo"), "date"), Column(_("Số lao động"), "int")],
        ((p.name, p.created_at, p.employees_count) for p in qs.iterator(chunk_size=2000)),
    )

openpyxl's write-only workbook writes each row as it comes, into a temporary file that stays
in memory up to SPOOL_BYTES and moves to disk beyond: a list of 200,000 rows never exists as
objects. Rows are any iterable of sequences (a generator over queryset.iterator() is best).
Dates are real date cells shown dd/mm/yyyy; numbers are numbers (Excel shows them with the
reader's separators: 1.234,5 in Vietnamese). Text that starts with "=" stays text: a product
name is never run as a formula."""

import datetime as dt
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPOOL_BYTES = 8 * 1024 * 1024
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
NUMBER_FORMATS = {"int": "#,##0", "decimal": "#,##0.00", "date": DATE_FORMAT, "datetime": DATETIME_FORMAT}
HEADER_ROW = 4  # title, subtitle, blank line, then the header

_TITLE_FONT = Font(name="Arial", bold=True, size=14)
_HEADER_FONT = Font(name="Arial", bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1B6B3A")
_THIN = Side(style="thin", color="9AA59F")
_HEADER_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")


@dataclass(frozen=True)
class Column:
    """header: Vietnamese column title; kind: text, int, decimal, date or datetime;
    number_format overrides the kind's format (e.g. "0.00" for scores)."""

    header: str
    kind: str = "text"
    width: float | None = None
    number_format: str | None = None

    @property
    def format(self) -> str | None:
        return self.number_format or NUMBER_FORMATS.get(self.kind)


def as_column(spec) -> Column:
    if isinstance(spec, Column):
        return spec
    if isinstance(spec, str):
        return Column(spec)
    return Column(*spec)


def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", unicodedata.normalize("NFC", value))


def _cell(ws, value, column: Column):
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.replace(tzinfo=None)
    if isinstance(value, Promise):  # a lazy translation (a choice's label)
        value = str(value)
    if isinstance(value, str):
        value = _text(value)
        if not value.startswith("="):
            return value
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"  # never a formula
        return cell
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, dt.date | int | float | Decimal) and column.format:
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = (
            DATE_FORMAT
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime) and column.kind != "datetime"
            else column.format
        )
        return cell
    if isinstance(value, dt.date | int | float | Decimal):
        return value
    return _text(str(value))


def write_xlsx(
    target,
    title: str,
    columns: Sequence,
    rows: Iterable[Sequence],
    *,
    subtitle: str = "",
    sheet_title: str = "",
) -> int:
    """Write the workbook into target (a path or a binary file); returns the number of data rows."""
    columns = [as_column(c) for c in columns]
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(title=_text(sheet_title or title)[:31].replace("/", "-") or "Sheet1")
    for index, column in enumerate(columns, start=1):
        width = column.width or (12 if column.kind in NUMBER_FORMATS else 24)
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    title_cell = WriteOnlyCell(ws, value=_text(title))
    title_cell.font = _TITLE_FONT
    ws.append([title_cell])
    ws.append([_text(subtitle)] if subtitle else [])
    ws.append([])
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=_text(str(column.header)))
        cell.font, cell.fill, cell.border, cell.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_BORDER, _WRAP
        header.append(cell)
    ws.append(header)
    count = 0
    for row in rows:
        ws.append([_cell(ws, value, column) for value, column in zip(row, columns, strict=False)])
        count += 1
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(count, 1)}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    workbook.properties.title = _text(title)
    workbook.properties.creator = "OCOP Lạng Sơn"
    workbook.save(target)
    return count


def xlsx_response(
    filename: str, title: str, columns: Sequence, rows: Iterable[Sequence], **kwargs
) -> FileResponse:
    """An attachment response with the workbook; see the module docstring."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - FileResponse closes it
    write_xlsx(spool, title, columns, rows, **kwargs)
    size = spool.tell()
    spool.seek(0)
    response = FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
    response["Content-Length"] = str(size)
    return response
