"""PDF reports with ReportLab: the standard list "Danh sách sản phẩm OCOP" and the yearly
summary with its charts (reportlab.graphics: no browser needed).

ReportLab's built-in fonts have no Vietnamese letters: DejaVu Sans (shipped in
certificates/fonts/ with its licence) covers Vietnamese and ★. ReportLab does no shaping, so
every string is normalised to NFC first (nfc())."""

import datetime as dt
import tempfile
import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape

from django.apps import apps
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    KeepTogether,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)

FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
GREEN = colors.HexColor("#1b6b3a")
GREEN_LIGHT = colors.HexColor("#e6f2ea")
GOLD = colors.HexColor("#c99700")
RED = colors.HexColor("#b3261e")
GREY = colors.HexColor("#5b6660")
STAR_COLOURS = (colors.HexColor("#7fb48f"), GREEN, GOLD)
MAX_PDF_ROWS = 5000
TABLE_CHUNK = 250  # rows per table: ReportLab lays out each table at once


def font_dir() -> Path:
    """DejaVu from the certificates app (shipped with its licence), else from the system."""
    shipped = Path(apps.get_app_config("certificates").path) / "fonts"
    if (shipped / "DejaVuSans.ttf").exists():
        return shipped
    return Path("/usr/share/fonts/truetype/dejavu")


def register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = font_dir()
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
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


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=11.5)
    return {
        "base": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9),
        "head": ParagraphStyle(
            "head", parent=base, fontName=FONT_BOLD, fontSize=7.5, leading=9, textColor=colors.white
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


def _p(text, style) -> Paragraph:
    return Paragraph(escape(nfc(text)), style)


def _table_style(numeric_from: int | None = None) -> TableStyle:
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("BACKGROUND", (0, 0), (-1, 0), GREEN),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa59f")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f6f8f7")]),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if numeric_from is not None:
        commands.append(("ALIGN", (numeric_from, 1), (-1, -1), "RIGHT"))
    return TableStyle(commands)


def _footer(label: str):
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


def _spool():
    return tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)


def _generated_label() -> str:
    now = timezone.localtime()
    return _("Hệ thống thông tin OCOP Lạng Sơn · lập ngày %(d)s") % {"d": now.strftime("%d/%m/%Y %H:%M")}


# The standard list --------------------------------------------------------------------------------


def standard_list_pdf(title: str, subtitle: str, headers: list[str], rows, *, widths_mm: list[float]):
    """rows: the values of the report's columns (dates and numbers as Python values). Returns
    (a spooled file positioned at 0, the number of rows written)."""
    styles = _styles()
    out = _spool()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=10 * mm,
        rightMargin=10 * mm,
        topMargin=10 * mm,
        bottomMargin=12 * mm,
        title=nfc(title),
        author="OCOP Lạng Sơn",
    )
    story = [_p(title.upper(), styles["title"]), _p(subtitle, styles["subtitle"]), Spacer(1, 4 * mm)]
    head = [_p(h, styles["head"]) for h in headers]
    widths = [w * mm for w in widths_mm]
    chunk, count, truncated = [], 0, False

    def flush():
        if chunk:
            table = LongTable([head, *chunk], colWidths=widths, repeatRows=1)
            table.setStyle(_table_style())
            story.append(table)
            chunk.clear()

    for row in rows:
        if count >= MAX_PDF_ROWS:
            truncated = True
            break
        chunk.append([_p(_cell_text(v), styles["cell"]) for v in row])
        count += 1
        if len(chunk) >= TABLE_CHUNK:
            flush()
    flush()
    if count == 0:
        story.append(_p(_("Không có sản phẩm nào theo điều kiện đã chọn."), styles["base"]))
    if truncated:
        story.append(
            _p(
                _("Bản PDF chỉ in %(n)s dòng đầu; dùng bản Excel để có đầy đủ danh sách.")
                % {"n": vn_number(MAX_PDF_ROWS)},
                styles["small"],
            )
        )
    story.append(Spacer(1, 3 * mm))
    total = ngettext("Tổng số: %(n)s sản phẩm.", "Tổng số: %(n)s sản phẩm.", count) % {"n": vn_number(count)}
    story.append(_p(total, styles["base"]))
    footer = _footer(_generated_label())
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    out.seek(0)
    return out, count


def _cell_text(value) -> str:
    if isinstance(value, dt.date):
        return vn_date(value)
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, int | float):
        return vn_number(value)
    return nfc(value)


# Charts -------------------------------------------------------------------------------------------


def _int_label(value) -> str:
    return vn_number(int(round(value)))


def vertical_bars(labels, series, *, width=170 * mm, height=60 * mm, names=None, palette=None) -> Drawing:
    register_fonts()
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 10 * mm
    chart.width, chart.height = width - 16 * mm, height - 16 * mm
    chart.data = [list(values) or [0] for values in series]
    chart.categoryAxis.categoryNames = [nfc(label) for label in labels] or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max((max(v) for v in chart.data if v), default=0)
    chart.valueAxis.valueMax = max(top * 1.15, 1)
    chart.valueAxis.labelTextFormat = _int_label
    chart.barLabelFormat = _int_label
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    chart.groupSpacing = 6
    palette = palette or [GREEN, GOLD, RED]
    for i in range(len(chart.data)):
        chart.bars[i].fillColor = palette[i % len(palette)]
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    if names:
        legend = Legend()
        legend.fontName, legend.fontSize = FONT, 7
        legend.x, legend.y = width - 60 * mm, height - 2 * mm
        legend.alignment = "right"
        legend.colorNamePairs = [(palette[i % len(palette)], nfc(n)) for i, n in enumerate(names)]
        drawing.add(legend)
    return drawing


def star_bars(labels, values, *, width=80 * mm, height=55 * mm) -> Drawing:
    drawing = vertical_bars(labels, [values], width=width, height=height)
    chart = drawing.contents[0]
    for i, colour in enumerate(STAR_COLOURS[: len(values)]):
        chart.bars[(0, i)].fillColor = colour
    return drawing


def horizontal_bars(labels, values, *, width=170 * mm) -> Drawing:
    register_fonts()
    height = max(len(labels), 1) * 6.5 * mm + 12 * mm
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 32 * mm, 6 * mm
    chart.width, chart.height = width - 42 * mm, height - 10 * mm
    chart.data = [list(reversed(values)) or [0]]
    chart.categoryAxis.categoryNames = [nfc(label) for label in reversed(labels)] or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(max(values, default=0) * 1.15, 1)
    chart.valueAxis.labelTextFormat = _int_label
    chart.barLabelFormat = _int_label
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.bars[0].fillColor = GREEN
    chart.bars[0].strokeColor = None
    drawing.add(chart)
    return drawing


# The yearly summary -------------------------------------------------------------------------------


def _figure_table(headers, rows, widths_mm, styles, numeric_from=1):
    data = [[_p(h, styles["head"]) for h in headers]]
    for row in rows:
        data.append([_p(_cell_text(v), styles["cell"]) for v in row])
    table = LongTable(data, colWidths=[w * mm for w in widths_mm], repeatRows=1)
    table.setStyle(_table_style(numeric_from))
    return table


def _caption(text, styles):
    return _p(text, styles["small"])


def _overview(figures, year: int, star_counts: dict, issued: dict) -> str:
    """The overview paragraph: one sentence per count, so each gets its own plural form."""
    certified, issued_n = figures.certified, sum(issued.values())
    expiring, producers = figures.expiring.get(6, 0), figures.producers
    sentences = [
        ngettext(
            "Tính đến ngày %(d)s có %(n)s sản phẩm OCOP còn hiệu lực (%(s3)s sản phẩm 3 sao, %(s4)s sản "
            "phẩm 4 sao, %(s5)s sản phẩm 5 sao).",
            "Tính đến ngày %(d)s có %(n)s sản phẩm OCOP còn hiệu lực (%(s3)s sản phẩm 3 sao, %(s4)s sản "
            "phẩm 4 sao, %(s5)s sản phẩm 5 sao).",
            certified,
        )
        % {
            "d": vn_date(figures.day),
            "n": vn_number(certified),
            "s3": vn_number(star_counts.get("3", 0)),
            "s4": vn_number(star_counts.get("4", 0)),
            "s5": vn_number(star_counts.get("5", 0)),
        },
        ngettext(
            "Trong năm %(y)d có %(i)s giấy chứng nhận được cấp.",
            "Trong năm %(y)d có %(i)s giấy chứng nhận được cấp.",
            issued_n,
        )
        % {"y": year, "i": vn_number(issued_n)},
        ngettext(
            "%(e)s giấy chứng nhận hết hạn trong 6 tháng tới.",
            "%(e)s giấy chứng nhận hết hạn trong 6 tháng tới.",
            expiring,
        )
        % {"e": vn_number(expiring)},
        ngettext("Có %(p)s chủ thể OCOP trong sổ.", "Có %(p)s chủ thể OCOP trong sổ.", producers)
        % {"p": vn_number(producers)},
    ]
    return " ".join(sentences)


def yearly_summary_pdf(figures, *, year: int, scope_label: str):
    """figures: reports.selectors.Figures for the year. Returns a spooled file at position 0."""
    styles = _styles()
    out = _spool()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=nfc(_("Báo cáo tổng hợp sản phẩm OCOP năm %(y)d") % {"y": year}),
        author="OCOP Lạng Sơn",
    )
    s = styles
    day = figures.day
    star_counts = {r.code: r.count for r in figures.by_star}
    issued = {r.code: r.count for r in figures.issued_in_year}
    story = [
        _p(_("HỆ THỐNG THÔNG TIN OCOP TỈNH LẠNG SƠN"), s["subtitle"]),
        Spacer(1, 3 * mm),
        _p(_("BÁO CÁO TỔNG HỢP SẢN PHẨM OCOP NĂM %(y)d") % {"y": year}, s["title"]),
        _p(
            _("%(scope)s · số liệu tính đến ngày %(d)s") % {"scope": scope_label, "d": vn_date(day)},
            s["subtitle"],
        ),
        Spacer(1, 5 * mm),
        _p(_("1. Tổng quan"), s["h2"]),
        _p(_overview(figures, year, star_counts, issued), s["base"]),
    ]

    # 2. Stars: chart beside the table
    star_labels = [r.label for r in figures.by_star]
    star_values = [r.count for r in figures.by_star]
    story += [
        _p(_("2. Sản phẩm còn hiệu lực theo hạng sao"), s["h2"]),
        KeepTogether(
            [
                star_bars(star_labels, star_values),
                _figure_table(
                    [_("Hạng sao"), _("Số sản phẩm"), _("Cấp trong năm %(y)d") % {"y": year}],
                    [(r.label, r.count, issued.get(r.code, 0)) for r in figures.by_star]
                    + [(_("Tổng"), figures.certified, sum(issued.values()))],
                    [40, 40, 50],
                    s,
                ),
            ]
        ),
    ]

    # 3. Former districts
    districts = figures.by_district
    story += [
        _p(_("3. Sản phẩm còn hiệu lực theo huyện, thành phố cũ (trước 01/07/2025)"), s["h2"]),
        horizontal_bars([r.label for r in districts], [r.count for r in districts]),
        _figure_table(
            [_("Huyện, thành phố cũ"), _("Số sản phẩm")],
            [(r.label, r.count) for r in districts],
            [100, 40],
            s,
        ),
        _caption(_("Một xã, phường mới gồm địa bàn của hai huyện cũ được tính ở cả hai huyện."), s),
    ]

    # 4. Groups
    story += [
        _p(_("4. Sản phẩm còn hiệu lực theo nhóm sản phẩm"), s["h2"]),
        _figure_table(
            [_("Nhóm sản phẩm"), _("Số sản phẩm")],
            [(r.label, r.count) for r in figures.by_group],
            [110, 30],
            s,
        ),
    ]

    # 5. Over the years
    timeline = figures.timeline
    story += [
        _p(_("5. Sản phẩm còn hiệu lực và hết hiệu lực qua các năm"), s["h2"]),
        vertical_bars(
            [str(p.day.year) for p in timeline],
            [[p.valid for p in timeline], [p.lapsed for p in timeline]],
            names=[_("Còn hiệu lực"), _("Hết hiệu lực, chưa công nhận lại")],
            palette=[GREEN, RED],
        ),
        _figure_table(
            [_("Ngày"), _("Còn hiệu lực"), _("Hết hiệu lực, chưa công nhận lại")],
            [(vn_date(p.day), p.valid, p.lapsed) for p in timeline],
            [40, 40, 60],
            s,
        ),
    ]

    # 6. Expiring
    story += [
        _p(_("6. Giấy chứng nhận sắp hết hạn"), s["h2"]),
        _figure_table(
            [_("Hết hạn trong"), _("Số giấy chứng nhận")],
            [(ngettext("%(m)d tháng", "%(m)d tháng", m) % {"m": m}, n) for m, n in figures.expiring.items()],
            [50, 40],
            s,
        ),
    ]
    if figures.expiring_list:
        story += [
            Spacer(1, 2 * mm),
            _figure_table(
                [_("Sản phẩm"), _("Chủ thể"), _("Hạng sao"), _("Có hiệu lực đến")],
                [(c.product, c.producer, f"{c.stars}★", c.expires_on) for c in figures.expiring_list],
                [60, 60, 18, 26],
                s,
                numeric_from=2,
            ),
        ]

    # 7. Producers
    story += [
        _p(_("7. Chủ thể OCOP theo loại hình"), s["h2"]),
        _figure_table(
            [_("Loại hình"), _("Số chủ thể")],
            [(r.label, r.count) for r in figures.producers_by_kind] + [(_("Tổng"), figures.producers)],
            [80, 40],
            s,
        ),
    ]
    if figures.pipeline:
        story += [
            _p(_("8. Sản phẩm 3 sao gần đạt 4 sao"), s["h2"]),
            _figure_table(
                [_("Sản phẩm"), _("Chủ thể"), _("Điểm"), _("Còn thiếu")],
                [
                    (r.product, r.producer, vn_number(r.score, 2), vn_number(r.gap, 2))
                    for r in figures.pipeline
                ],
                [62, 62, 20, 20],
                s,
                numeric_from=2,
            ),
        ]
    footer = _footer(_generated_label())
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    out.seek(0)
    return out
