"""The one Excel (.xlsx) writer of every export: lists, tables of figures, several sheets.

    from core.sheet_writer import Column, Sheet, xlsx_response

    return xlsx_response(
        "chu-the.xlsx",
        _("Danh sách chủ thể OCOP"),
        [Column(_("Tên chủ thể"), width=40), Column(_("Ngày tạo"), "date"), Column(_("Số lao động"), "int")],
        ((p.name, p.created_at, p.employees_count) for p in qs.iterator(chunk_size=2000)),
    )

XlsxWriter in constant-memory mode writes each row as it comes into a temporary file: a list of
200,000 rows never exists as objects. Rows are any iterable of sequences (a generator over
queryset.iterator() is best); several sheets go through write_sheets/sheets_response.

Every text is written with write_string: a name such as =HYPERLINK(...), +1, -1 or @SUM(A1) stays
text and is never run as a formula (CSV-style injection). Text is NFC-normalised, XML-illegal
control characters are dropped and a carriage return becomes a line feed (Excel's line break).
Dates are real date cells shown dd/mm/yyyy; numbers are numbers with Excel's grouping (a
Vietnamese Excel shows 1.234,5)."""

import csv
import datetime as dt
import io
import math
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from unicodedata import is_normalized

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPOOL_BYTES = 8 * 1024 * 1024
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
MONTH_FORMAT = "mm/yyyy"
KINDS = {
    "text": None,
    "int": "#,##0",
    "decimal": "#,##0.00",
    "money": "#,##0",  # đồng: whole numbers
    "percent": "0.0",  # a share already in per cent (45.2), not a fraction
    "date": DATE_FORMAT,
    "datetime": DATETIME_FORMAT,
    "month": MONTH_FORMAT,
}
MAX_AUTO_WIDTH = 60
# Characters XML 1.0 forbids (all C0 controls but tab, line feed and carriage return).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")

_TITLE = {"bold": True, "font_size": 14, "font_name": "Arial"}
_HEADER = {
    "bold": True,
    "font_name": "Arial",
    "font_color": "#FFFFFF",
    "bg_color": "#1B6B3A",
    "border": 1,
    "border_color": "#9AA59F",
    "text_wrap": True,
    "valign": "vcenter",
}


@dataclass(frozen=True)
class Column:
    """header: Vietnamese column title; kind: one of KINDS; width in characters (None: from the
    content, at most MAX_AUTO_WIDTH); number_format overrides the kind's (e.g. "0.00" for scores)."""

    header: str
    kind: str = "text"
    width: float | None = None
    number_format: str | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Unknown column kind {self.kind!r}")

    @property
    def format(self) -> str | None:
        return self.number_format or KINDS[self.kind]


def as_column(spec) -> Column:
    if isinstance(spec, Column):
        return spec
    if isinstance(spec, str | Promise):
        return Column(str(spec))
    return Column(*spec)


@dataclass
class Sheet:
    """One worksheet: a title block (the title, then the subtitle and a blank row when there is a
    subtitle), the bold header, the rows, then an optional bold totals row."""

    name: str
    columns: Sequence
    rows: Iterable[Sequence]
    title: str = ""
    subtitle: str = ""
    totals: Sequence | None = None
    autofilter: bool = True


def clean_text(value) -> str:
    """NFC, no XML-illegal character, line feeds only."""
    text = unicodedata.normalize("NFC", str(value))
    return _ILLEGAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _sheet_name(name: str, taken: set[str]) -> str:
    base = _SHEET_NAME.sub("-", clean_text(name)).strip("'")[:31] or "Sheet"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


class _Writer:
    """Formats are made once per workbook (XlsxWriter keeps each one)."""

    def __init__(self, workbook):
        self.workbook = workbook
        self.formats: dict = {}
        self.taken: set[str] = set()

    def fmt(self, number_format: str | None = None, bold: bool = False):
        key = (number_format, bold)
        if key not in self.formats:
            props = {}
            if number_format:
                props["num_format"] = number_format
            if bold:
                props["bold"] = True
            self.formats[key] = self.workbook.add_format(props) if props else None
        return self.formats[key]

    def named(self, key: str, props: dict):
        if key not in self.formats:
            self.formats[key] = self.workbook.add_format(props)
        return self.formats[key]

    def cell(self, ws, row: int, col: int, value, column: Column, bold: bool = False) -> int:
        """Write one value; returns its width in characters (for automatic column widths)."""
        if value is None or value == "":
            return 0
        if type(value) is str:  # the common case first: 200,000 rows × a dozen cells
            # Text that is printable and already NFC needs no cleaning (clean_text's result).
            text = value if value.isprintable() and is_normalized("NFC", value) else clean_text(value)
            ws.write_string(row, col, text, self.fmt(None, bold))  # never write(): no formula
            return len(text) if "\n" not in text else max(len(line) for line in text.split("\n"))
        if isinstance(value, Promise):  # a lazy translation (a choice's label)
            value = str(value)
        if isinstance(value, bool):
            value = _("Có") if value else _("Không")
        if isinstance(value, str):
            text = clean_text(value)
            ws.write_string(row, col, text, self.fmt(None, bold))  # never write(): no formula
            return max((len(line) for line in text.split("\n")), default=0)
        if isinstance(value, dt.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            form = column.format if column.kind in ("datetime", "date", "month") else DATETIME_FORMAT
            ws.write_datetime(row, col, value.replace(tzinfo=None), self.fmt(form, bold))
            return 16
        if isinstance(value, dt.date):
            form = column.format if column.kind in ("date", "month") else DATE_FORMAT
            ws.write_datetime(row, col, value, self.fmt(form, bold))
            return 10
        if isinstance(value, int | float | Decimal):
            number = float(value)
            if not math.isfinite(number):
                return 0
            ws.write_number(row, col, number, self.fmt(column.format, bold))
            return len(f"{number:,.2f}") if column.kind == "decimal" else len(f"{value:,}")
        text = clean_text(value)
        ws.write_string(row, col, text, self.fmt(None, bold))
        return len(text)

    def sheet(self, spec: Sheet) -> int:
        columns = [as_column(c) for c in spec.columns]
        ws = self.workbook.add_worksheet(_sheet_name(spec.name or spec.title, self.taken))
        row = 0
        if spec.title:
            ws.write_string(row, 0, clean_text(spec.title), self.named("title", _TITLE))
            row += 1
        if spec.subtitle:
            ws.write_string(row, 0, clean_text(spec.subtitle))
            row += 2  # and a blank row
        header_row = row
        header = self.named("header", _HEADER)
        widths = []
        for col, column in enumerate(columns):
            text = clean_text(column.header)
            ws.write_string(header_row, col, text, header)
            widths.append(len(text))
        count = 0
        for values in spec.rows:
            row += 1
            count += 1
            for col, (value, column) in enumerate(zip(values, columns, strict=False)):
                width = self.cell(ws, row, col, value, column)
                if width > widths[col]:
                    widths[col] = width
        if spec.totals is not None:
            row += 1
            for col, (value, column) in enumerate(zip(spec.totals, columns, strict=False)):
                widths[col] = max(widths[col], self.cell(ws, row, col, value, column, bold=True))
        for col, column in enumerate(columns):
            ws.set_column(col, col, column.width or min(widths[col] + 4, MAX_AUTO_WIDTH))
        ws.freeze_panes(header_row + 1, 0)
        if spec.autofilter and columns:
            ws.autofilter(header_row, 0, header_row + max(count, 1), len(columns) - 1)
        ws.repeat_rows(header_row)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)  # as wide as one page, as long as it takes
        return count


def write_sheets(target, sheets: Iterable[Sheet], *, title: str = "") -> int:
    """Write the workbook into target (a path or a binary file); returns the number of data rows."""
    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,  # rows go to a temporary file as they are written
            "strings_to_formulas": False,  # belt and braces: write_string is used anyway
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    writer = _Writer(workbook)
    count = 0
    try:
        for spec in sheets:
            count += writer.sheet(spec)
            title = title or spec.title
        workbook.set_properties({"title": clean_text(title), "author": "OCOP Lạng Sơn"})
    finally:
        workbook.close()
    return count


def write_xlsx(
    target,
    title: str,
    columns: Sequence,
    rows: Iterable[Sequence],
    *,
    subtitle: str = "",
    sheet_title: str = "",
) -> int:
    """One list on one sheet (title, subtitle, header, rows) into target (a path or a binary
    file); returns the number of data rows. A background job calls this for large lists."""
    return write_sheets(
        target, [_list_sheet(title, columns, rows, subtitle=subtitle, sheet_title=sheet_title)]
    )


def _list_sheet(title, columns, rows, *, subtitle: str = "", sheet_title: str = "") -> Sheet:
    return Sheet(sheet_title or title, columns, rows, title=title, subtitle=subtitle)


def sheets_response(filename: str, sheets: Iterable[Sheet], *, title: str = "") -> FileResponse:
    """An attachment response with the workbook, written to a temporary file first (spooled in
    memory up to SPOOL_BYTES) and then streamed from it."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - FileResponse closes it
    try:
        write_sheets(spool, sheets, title=title)
    except BaseException:
        spool.close()
        raise
    size = spool.tell()
    spool.seek(0)
    response = FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
    response["Content-Length"] = str(size)
    return response


def xlsx_response(filename: str, title: str, columns: Sequence, rows: Iterable[Sequence], **options):
    """One list as an attachment; options: those of write_xlsx (subtitle, sheet_title)."""
    return sheets_response(filename, [_list_sheet(title, columns, rows, **options)], title=title)


# CSV: streamed, formula-safe ----------------------------------------------------------------------

CSV_TYPE = "text/csv; charset=utf-8"
# A cell starting with one of these is run as a formula by Excel, LibreOffice or Google Sheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A value as a CSV cell: NFC text without control characters; a text that a spreadsheet would
    run as a formula (=HYPERLINK(...), +1, -1, @SUM) gets a leading apostrophe, so it stays text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = clean_text(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_lines(header: Sequence[str], rows: Iterable[Sequence]):
    """The lines of a CSV file (UTF-8 with a byte-order mark, so Excel reads Vietnamese), one
    row at a time: a generator for a StreamingHttpResponse."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values) -> str:
        writer.writerow(values)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield "\ufeff" + line([csv_cell(h) for h in header])
    for row in rows:
        yield line([csv_cell(v) for v in row])


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]):
    """A streamed CSV download: the rows are written as they come, never held in memory."""
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in csv_lines(header, rows)), content_type=CSV_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
