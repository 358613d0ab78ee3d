"""The one Excel (.xlsx) writer of every export: lists, tables of figures, several sheets.

    from core.sheet_writer import Column, Sheet, xlsx_response

    return xlsx_response(
        "chu-the.xlsx",
        _("Danh sách chủ thể OCOP"),
        [Column(_("Tên chủ thể"), width=40), Column(_("Ngày tạo"), "date"), Column(_("Số lao động"), "int")],
        ((p.name, p.created_at, p.employees_count) for p in qs.iterator(chunk_size=2000)),
    )

XlsxWriter in constant-memory mode keeps each row as it comes in a temporary file: a list of
200,000 rows never exists as objects. Rows are any iterable of sequences (a generator over
queryset.iterator() is best); several sheets go through write_sheets/sheets_response. The cells'
XML is rendered here (_Rows), a renderer per column, and XlsxWriter writes the rest of the file
(styles, widths, filter, print setup): its per-cell write_*() was most of a large export's time.

Every text is an escaped inline string, never a formula: a name such as =HYPERLINK(...), +1, -1,
@SUM(A1) or <r>…</r> stays text (CSV-style injection). Text is NFC-normalised, XML-illegal
characters are dropped and a carriage return becomes a line feed (Excel's line break).
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
from xlsxwriter.utility import xl_col_to_name

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
# Characters XML 1.0 forbids (all C0 controls but tab, line feed and carriage return; U+FFFE,
# U+FFFF) and lone surrogates (not encodable in UTF-8).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
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
    """Formats are made once per workbook (XlsxWriter keeps each one). The cells are rendered
    here as SpreadsheetML and appended to the worksheet's row file (see _Rows)."""

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

    def sheet(self, spec: Sheet) -> int:
        columns = [as_column(c) for c in spec.columns]
        ws = self.workbook.add_worksheet(_sheet_name(spec.name or spec.title, self.taken))
        out = _Rows(ws)
        row = 0
        if spec.title:
            out.text_row(row, [clean_text(spec.title)], self.named("title", _TITLE))
            row += 1
        if spec.subtitle:
            out.text_row(row, [clean_text(spec.subtitle)], None)
            row += 2  # and a blank row
        header_row = row
        headers = [clean_text(column.header) for column in columns]
        out.text_row(header_row, headers, self.named("header", _HEADER))
        widths = [len(text) for text in headers]
        cells = [_column_cells(self, col, column, widths) for col, column in enumerate(columns)]
        count = 0
        for values in spec.rows:
            row += 1
            count += 1
            out.row(row, values, cells)
        if spec.totals is not None:
            row += 1
            bold = [_column_cells(self, col, column, widths, bold=True) for col, column in enumerate(columns)]
            out.row(row, spec.totals, bold)
        out.close(len(columns))
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


# Cells as SpreadsheetML ---------------------------------------------------------------------------
#
# XlsxWriter's write_*() cost about 5 µs a cell in Python (cell-reference decorator, dimension
# checks, a cell object, then per-attribute XML escaping): 60 % of a 200,000-row export (issue 15).
# In constant-memory mode a worksheet's rows are plain XML appended to a temporary file that
# XlsxWriter copies into the sheet at close(); _Rows appends the same <row>/<c> elements itself,
# one string per row, with a renderer per column chosen once. Every text is escaped here and
# written as an inline string, never as a formula; XlsxWriter's own inline-string path would
# also have passed a text shaped like "<r>…</r>" through unescaped (a formula could be injected).

_EXCEL_ESCAPE = re.compile(r"_x[0-9a-fA-F]{4}_")
_EXCEL_EPOCH = dt.date(1899, 12, 30).toordinal()
_ROWS_PER_WRITE = 500


def _xml_text(text: str) -> str:
    """A clean text as the content of <t>: XML-escaped, and a literal _xHHHH_ (which Excel reads as
    an escaped character) escaped itself, as Excel does."""
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "_x" in text:
        text = _EXCEL_ESCAPE.sub(r"_x005F\g<0>", text)
    return text


def _text_width(text: str) -> int:
    return len(text) if "\n" not in text else max(len(line) for line in text.split("\n"))


def _inline(ref: str, style: str, text: str) -> str:
    space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{_xml_text(text)}</t></is></c>'


def _serial(value: dt.date) -> int:
    """Excel's day number (1900 system, with its 29/02/1900: days up to 28/02/1900 are one less)."""
    days = value.toordinal() - _EXCEL_EPOCH
    return days if days >= 61 else days - 1


def _style(fmt) -> str:
    return f' s="{fmt._get_xf_index()}"' if fmt is not None else ""


def _column_cells(writer: _Writer, col: int, column: Column, widths: list[int], bold: bool = False):
    """The renderer of one column's cells: (value, row number as text) -> "<c …>" or "". The value's
    own type decides the cell (text, number, date); the column's kind gives the number format.
    The width of a column without a fixed one is kept in widths[col]."""
    letter = xl_col_to_name(col)
    auto = column.width is None
    text_style = _style(writer.fmt(None, bold))
    number_style = _style(writer.fmt(column.format, bold))
    date_style = _style(writer.fmt(column.format if column.kind in ("date", "month") else DATE_FORMAT, bold))
    datetime_form = column.format if column.kind in ("datetime", "date", "month") else DATETIME_FORMAT
    datetime_style = _style(writer.fmt(datetime_form, bold))
    decimal = column.kind == "decimal"

    def text_cell(text: str, n: str) -> str:
        if not text:
            return ""
        if auto:
            width = _text_width(text)
            if width > widths[col]:
                widths[col] = width
        return _inline(letter + n, text_style, text)

    def number_cell(value, n: str) -> str:
        number = float(value)
        if not math.isfinite(number):
            return ""
        if auto:
            width = len(f"{number:,.2f}") if decimal else len(f"{value:,}")
            if width > widths[col]:
                widths[col] = width
        return f'<c r="{letter}{n}"{number_style}><v>{number:.16G}</v></c>'

    def date_cell(value: dt.date, n: str) -> str:
        if auto and widths[col] < 10:
            widths[col] = 10
        return f'<c r="{letter}{n}"{date_style}><v>{_serial(value)}</v></c>'

    def cell(value, n: str) -> str:
        kind = type(value)
        if kind is str:  # the common case first, inlined: 200,000 rows × a dozen cells
            if not value:
                return ""
            # Text that is printable and already NFC needs no cleaning (clean_text's result);
            # printable, it has no line break and no whitespace but the space.
            if not (value.isprintable() and is_normalized("NFC", value)):
                return text_cell(clean_text(value), n)
            if auto and len(value) > widths[col]:
                widths[col] = len(value)
            if (
                value[0] == " "
                or value[-1] == " "
                or "&" in value
                or "<" in value
                or ">" in value
                or "_x" in value
            ):
                return _inline(letter + n, text_style, value)  # to escape, or spaces to keep
            return f'<c r="{letter}{n}"{text_style} t="inlineStr"><is><t>{value}</t></is></c>'
        if value is None:
            return ""
        if kind is int or kind is float or kind is Decimal:
            return number_cell(value, n)
        if kind is dt.date:
            return date_cell(value, n)
        if isinstance(value, bool):
            return text_cell(_("Có") if value else _("Không"), n)
        if isinstance(value, dt.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            moment = value.replace(tzinfo=None)
            day = moment - moment.replace(hour=0, minute=0, second=0, microsecond=0)
            serial = _serial(moment.date()) + day / dt.timedelta(days=1)
            if auto and widths[col] < 16:
                widths[col] = 16
            return f'<c r="{letter}{n}"{datetime_style}><v>{serial:.16G}</v></c>'
        if isinstance(value, dt.date):
            return date_cell(value, n)
        if isinstance(value, int | float | Decimal):
            return number_cell(value, n)
        return text_cell(clean_text(value), n)  # a lazy translation (a choice's label), any other

    return cell


class _Rows:
    """Rows appended as SpreadsheetML to a constant-memory worksheet's row file, in order; close()
    gives XlsxWriter the sheet's dimensions (the <dimension> element, the print area)."""

    def __init__(self, ws):
        if not ws.constant_memory:
            raise ValueError("_Rows needs a constant_memory workbook")
        self.ws = ws
        self.pending: list[str] = []
        self.first = self.last = None

    def _add(self, row: int, cells: str) -> None:
        if row >= self.ws.xls_rowmax:  # beyond Excel's last row: dropped, as write() does
            return
        if self.first is None:
            self.first = row
        self.last = row
        self.pending.append(f'<row r="{row + 1}">{cells}</row>')
        if len(self.pending) >= _ROWS_PER_WRITE:
            self.flush()

    def text_row(self, row: int, texts: list[str], fmt) -> None:
        style, n = _style(fmt), str(row + 1)
        refs = [xl_col_to_name(col) + n for col in range(len(texts))]
        # An empty header keeps its style (a blank cell); an empty unstyled text is no cell.
        cells = [
            _inline(ref, style, text) if text else f'<c r="{ref}"{style}/>'
            for ref, text in zip(refs, texts, strict=True)
            if text or style
        ]
        if cells:
            self._add(row, "".join(cells))

    def row(self, row: int, values, cells) -> None:
        n = str(row + 1)
        rendered = "".join([cell(value, n) for value, cell in zip(values, cells, strict=False)])
        if rendered:
            self._add(row, rendered)

    def flush(self) -> None:
        self.ws.row_data_fh.write("".join(self.pending))
        self.pending.clear()

    def close(self, columns: int) -> None:
        self.flush()
        if self.first is not None:
            self.ws._check_dimensions(self.first, 0)
            self.ws._check_dimensions(self.last, max(columns - 1, 0))


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
