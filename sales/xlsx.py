"""Excel downloads of the sales, promotion and support tables (openpyxl): Vietnamese headers,
grouped numbers, dd/mm/yyyy dates."""

import datetime as dt
import io
from dataclasses import dataclass, field

from django.http import HttpResponse

VND = "#,##0"
COUNT = "#,##0"
PERCENT = "0.0"
DATE = "dd/mm/yyyy"
MONTH = "mm/yyyy"


@dataclass
class Sheet:
    title: str  # at most 31 characters
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    formats: dict[int, str] = field(default_factory=dict)  # 0-based column -> number format
    caption: str = ""
    totals: list | None = None


def build_workbook(sheets: list[Sheet]):
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for spec in sheets:
        sheet = book.create_sheet(spec.title[:31])
        if spec.caption:
            sheet.append([spec.caption])
            sheet.cell(row=1, column=1).font = Font(bold=True, size=12)
        sheet.append(spec.headers)
        header_row = sheet.max_row
        for cell in sheet[header_row]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = f"A{header_row + 1}"  # a string: sheet.cell() would create a row
        body = list(spec.rows)
        if spec.totals is not None:
            body.append(spec.totals)
        for row in body:
            sheet.append([_cell_value(v) for v in row])
            for col, fmt in spec.formats.items():
                cell = sheet.cell(row=sheet.max_row, column=col + 1)
                if cell.value is not None and not isinstance(cell.value, str):
                    cell.number_format = fmt
        if spec.totals is not None:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        for index, header in enumerate(spec.headers, start=1):
            values = [len(str(header))] + [len(str(r[index - 1])) for r in body if len(r) >= index]
            sheet.column_dimensions[get_column_letter(index)].width = min(max(values) + 4, 60)
    return book


def _cell_value(value):
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if value is None or isinstance(value, int | float | dt.date):
        return value
    return str(value)


def xlsx_response(filename: str, sheets: list[Sheet]) -> HttpResponse:
    out = io.BytesIO()
    build_workbook(sheets).save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
