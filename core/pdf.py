"""The PDF toolkit of the certificates and the reports (ReportLab): fonts, text, page templates
and tables.

ReportLab's built-in fonts have no Vietnamese letters: DejaVu Sans (shipped in core/fonts/ with
its licence) covers Vietnamese and ★; register_fonts() registers it once per process. ReportLab
does no shaping, so every string is normalised to NFC first (nfc()).

table() builds a long table quickly: a cell that fits on one line is a plain string (a Paragraph
per cell made the 5,000-row list several times slower); only longer cells are wrapped Paragraphs.
Header cells never break inside a word: a column narrower than the longest word of its header is
widened, taking the room from the other columns."""

import datetime as dt
import tempfile
import unicodedata
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape as landscape_of
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, LongTable, Paragraph, SimpleDocTemplate, TableStyle
from reportlab.platypus.paragraph import split as paragraph_words

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
GREEN = colors.HexColor("#1b6b3a")
GREEN_LIGHT = colors.HexColor("#e6f2ea")
GOLD = colors.HexColor("#c99700")
RED = colors.HexColor("#b3261e")
GREY = colors.HexColor("#5b6660")
INK = colors.HexColor("#1d2421")
GRID = colors.HexColor("#9aa59f")
STRIPE = colors.HexColor("#f6f8f7")
AUTHOR = "OCOP Lạng Sơn"

CELL_SIZE, CELL_LEADING = 7.5, 9
PAD = 3  # points left and right of a table cell's text
CELL_VPAD = 2  # points above and below it


def register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def nfc(text) -> str:
    return unicodedata.normalize("NFC", str(text if text is not None else ""))


def vn_number(value, decimals: int | None = None) -> str:
    """1234.5 → "1.234,5" (Vietnamese separators, whatever the active language)."""
    if value is None or value == "":
        return ""
    with translation.override("vi"):
        return formats.number_format(value, decimals, use_l10n=True, force_grouping=True)


def vn_date(day) -> str:
    return day.strftime("%d/%m/%Y") if isinstance(day, dt.date) else ""


def cell_text(value) -> str:
    """A value as a table shows it: dd/mm/yyyy, 1.234,5, Có/Không."""
    if isinstance(value, dt.date):
        return vn_date(value)
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, int | float):
        return vn_number(value)
    return nfc(value)


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=11.5)
    return {
        "base": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=CELL_SIZE, leading=CELL_LEADING),
        "head": ParagraphStyle(
            "head",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=CELL_SIZE,
            leading=CELL_LEADING,
            textColor=colors.white,
            splitLongWords=0,  # a header word is never cut ("Xã/phườn g"); table() makes room
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=FONT_BOLD, fontSize=14, leading=18, alignment=TA_CENTER
        ),
        "subtitle": ParagraphStyle("subtitle", parent=base, alignment=TA_CENTER, textColor=GREY),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=11,
            leading=14,
            spaceBefore=8,
            spaceAfter=4,
            textColor=GREEN,
        ),
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5, textColor=GREY),
    }


def paragraph(text, style: str = "base") -> Paragraph:
    return Paragraph(escape(nfc(text)), styles()[style])


# Tables -------------------------------------------------------------------------------------------


def header_widths(headers, widths: list[float]) -> list[float]:
    """The column widths (points), each at least its header's longest word; the room a column
    gains is taken from the others in proportion to their slack, so the total stays the same."""
    register_fonts()
    need = [
        max((pdfmetrics.stringWidth(w, FONT_BOLD, CELL_SIZE) for w in nfc(h).split()), default=0)
        + 2 * PAD
        + 0.5
        for h in headers
    ]
    widths = list(widths)
    short = sum(max(n - w, 0) for n, w in zip(need, widths, strict=True))
    if not short:
        return widths
    slack = [max(w - n, 0) for n, w in zip(need, widths, strict=True)]
    total_slack = sum(slack)
    if total_slack < short:  # no room anywhere: the header words come first
        return [max(n, w) for n, w in zip(need, widths, strict=True)]
    return [n if n > w else w - short * s / total_slack for n, w, s in zip(need, widths, slack, strict=True)]


def table_style(numeric_from: int | None = None) -> TableStyle:
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
        ("LEADING", (0, 0), (-1, -1), CELL_LEADING),
        ("BACKGROUND", (0, 0), (-1, 0), GREEN),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.25, GRID),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, STRIPE]),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_VPAD),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_VPAD),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
    ]
    if numeric_from is not None:
        commands.append(("ALIGN", (numeric_from, 1), (-1, -1), "RIGHT"))
    return TableStyle(commands)


class TableMaker:
    """Tables of one layout (headers and widths computed once): table() for a short one, paged()
    for a long list laid out one page-sized table at a time."""

    def __init__(self, headers, widths_mm, *, numeric_from: int | None = None):
        self.widths = header_widths(headers, [w * mm for w in widths_mm])
        self.room = [w - 2 * PAD for w in self.widths]
        self.head = [paragraph(h, "head") for h in headers]
        self.style = table_style(numeric_from)
        self.cell_style = styles()["cell"]
        self.head_height = max(
            (p.wrap(r, 1e6)[1] for p, r in zip(self.head, self.room, strict=True)), default=0
        )
        self.head_height += 2 * CELL_VPAD

    def cell(self, value, room: float):
        """A plain string, its lines broken to fit the column where a Paragraph would break them:
        ReportLab draws a string far faster than it lays out a Paragraph (issue 15). Only a word
        wider than the column needs a Paragraph (it cuts the word)."""
        text = cell_text(value)
        if "\n" not in text and pdfmetrics.stringWidth(text, FONT, CELL_SIZE) <= room:
            return text  # one line
        lines = self.lines(text, room)
        if lines is None:
            return Paragraph(escape(text), self.cell_style)
        return "\n".join(lines)

    def lines(self, text: str, room: float) -> list[str] | None:
        """Paragraph's line breaking (reportlab.platypus.paragraph, breakLines) for one font: words
        split at whitespace (a line feed is a space), filled greedily, a line allowed to exceed the
        room by spaceShrinkage of a space per word. None when a word alone is wider than the room."""
        space = pdfmetrics.stringWidth(" ", FONT, CELL_SIZE)
        shrink = self.cell_style.spaceShrinkage * space
        lines, line, width = [], [], -space
        for word in paragraph_words(text):
            if not word:
                continue
            word_width = pdfmetrics.stringWidth(word, FONT, CELL_SIZE)
            if word_width > room:
                return None
            width += space + word_width
            if line and width > room + shrink * len(line):
                lines.append(" ".join(line))
                line, width = [], word_width
            line.append(word)
        if line:
            lines.append(" ".join(line))
        return lines

    def row(self, values) -> list:
        return [self.cell(v, room) for v, room in zip(values, self.room, strict=False)]

    def height(self, cells) -> float:
        """A row's height as Table computes it (lines × leading, or the Paragraph's, + padding)."""
        tallest = 0.0
        for cell, room in zip(cells, self.room, strict=False):
            if isinstance(cell, Paragraph):
                h = cell.wrap(room, 1e6)[1]
            else:
                h = CELL_LEADING * (cell.count("\n") + 1)
            tallest = max(tallest, h)
        return tallest + 2 * CELL_VPAD

    def table(self, cells_rows) -> LongTable:
        table = LongTable([self.head, *cells_rows], colWidths=self.widths, repeatRows=1)
        table.setStyle(self.style)
        return table

    def __call__(self, rows) -> LongTable:
        return self.table([self.row(r) for r in rows])

    def paged(self, rows) -> "PagedTable":
        cells = [self.row(r) for r in rows]
        return PagedTable(self, cells, [self.height(c) for c in cells])


class PagedTable(Flowable):
    """A long list as one table per page, each with the header row, filling the page: ReportLab
    splits a long table by laying out all its remaining rows again at each page (a 5,000-row list
    spent most of its time there, issue 15). The rows' heights are known beforehand, so the
    split takes the rows that fit the frame's room."""

    def __init__(self, maker: TableMaker, cells: list, heights: list[float]):
        super().__init__()
        self.maker, self.cells, self.heights = maker, cells, heights

    def wrap(self, availWidth, availHeight):
        self.width = sum(self.maker.widths)
        self.height = self.maker.head_height + sum(self.heights)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        room, count = availHeight - self.maker.head_height, 0
        for h in self.heights:
            if h > room:
                break
            room -= h
            count += 1
        if count == 0:
            return []  # not even one row here: the next page
        if count == len(self.cells):
            return [self.maker.table(self.cells)]
        rest = PagedTable(self.maker, self.cells[count:], self.heights[count:])
        return [self.maker.table(self.cells[:count]), rest]

    def draw(self):
        table = self.maker.table(self.cells)
        table.wrapOn(self.canv, self.width, self.height)
        table.drawOn(self.canv, 0, 0)


def table(headers, rows, widths_mm, *, numeric_from: int | None = None) -> LongTable:
    """A table with a green header row repeated on each page; rows of Python values."""
    return TableMaker(headers, widths_mm, numeric_from=numeric_from)(rows)


# Pages --------------------------------------------------------------------------------------------


def spool():
    """Where a document is written: memory up to 16 MB, then a temporary file."""
    return tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)


def document(out, *, title: str, landscape: bool = False, margins_mm=(18, 18, 14, 14)) -> SimpleDocTemplate:
    """An A4 document (left, right, top, bottom margins in mm)."""
    left, right, top, bottom = (m * mm for m in margins_mm)
    return SimpleDocTemplate(
        out,
        pagesize=landscape_of(A4) if landscape else A4,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=nfc(title),
        author=AUTHOR,
    )


def generated_label() -> str:
    now = timezone.localtime()
    return _("Hệ thống thông tin OCOP Lạng Sơn · lập ngày %(d)s") % {"d": now.strftime("%d/%m/%Y %H:%M")}


def page_footer(label: str):
    """Draws the label on the left of each page's foot and "Trang n" on the right."""

    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(GREY)
        canvas.drawString(doc.leftMargin, 7 * mm, nfc(label))
        canvas.drawRightString(
            doc.pagesize[0] - doc.rightMargin, 7 * mm, nfc(_("Trang %(n)d") % {"n": canvas.getPageNumber()})
        )
        canvas.restoreState()

    return draw


def build(doc: SimpleDocTemplate, story: list, *, footer: str | None = None) -> None:
    """Lay out the story with the footer (the generated-on label by default) on every page."""
    register_fonts()
    draw = page_footer(generated_label() if footer is None else footer)
    doc.build(story, onFirstPage=draw, onLaterPages=draw)
