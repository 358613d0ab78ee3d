"""PDF reports with ReportLab: the standard list "Danh sách sản phẩm OCOP" and the yearly
summary with its charts (reportlab.graphics: no browser needed). Fonts, text, tables and pages
come from core.pdf."""

import itertools

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from core.pdf import (
    FONT,
    GOLD,
    GREEN,
    RED,
    TableMaker,
    build,
    document,
    nfc,
    paragraph,
    register_fonts,
    spool,
    table,
    vn_date,
    vn_number,
)

STAR_COLOURS = (colors.HexColor("#7fb48f"), GREEN, GOLD)
MAX_PDF_ROWS = 5000


# The standard list --------------------------------------------------------------------------------


def standard_list_pdf(title: str, subtitle: str, headers: list[str], rows, *, widths_mm: list[float]):
    """rows: the values of the report's columns (dates and numbers as Python values). Returns
    (a spooled file positioned at 0, the number of rows written)."""
    out = spool()
    doc = document(out, title=title, landscape=True, margins_mm=(10, 10, 10, 12))
    story = [paragraph(title.upper(), "title"), paragraph(subtitle, "subtitle"), Spacer(1, 4 * mm)]
    listed = list(itertools.islice(rows, MAX_PDF_ROWS + 1))
    truncated = len(listed) > MAX_PDF_ROWS
    listed = listed[:MAX_PDF_ROWS]
    count = len(listed)
    if listed:
        story.append(TableMaker(headers, widths_mm).paged(listed))
    if count == 0:
        story.append(paragraph(_("Không có sản phẩm nào theo điều kiện đã chọn.")))
    if truncated:
        story.append(
            paragraph(
                _("Bản PDF chỉ in %(n)s dòng đầu; dùng bản Excel để có đầy đủ danh sách.")
                % {"n": vn_number(MAX_PDF_ROWS)},
                "small",
            )
        )
    story.append(Spacer(1, 3 * mm))
    total = ngettext("Tổng số: %(n)s sản phẩm.", "Tổng số: %(n)s sản phẩm.", count) % {"n": vn_number(count)}
    story.append(paragraph(total))
    build(doc, story)
    out.seek(0)
    return out, count


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
    out = spool()
    doc = document(out, title=_("Báo cáo tổng hợp sản phẩm OCOP năm %(y)d") % {"y": year})
    day = figures.day
    star_counts = {r.code: r.count for r in figures.by_star}
    issued = {r.code: r.count for r in figures.issued_in_year}
    story = [
        paragraph(_("HỆ THỐNG THÔNG TIN OCOP TỈNH LẠNG SƠN"), "subtitle"),
        Spacer(1, 3 * mm),
        paragraph(_("BÁO CÁO TỔNG HỢP SẢN PHẨM OCOP NĂM %(y)d") % {"y": year}, "title"),
        paragraph(
            _("%(scope)s · số liệu tính đến ngày %(d)s") % {"scope": scope_label, "d": vn_date(day)},
            "subtitle",
        ),
        Spacer(1, 5 * mm),
        paragraph(_("1. Tổng quan"), "h2"),
        paragraph(_overview(figures, year, star_counts, issued), "base"),
    ]

    # 2. Stars: chart beside the table
    star_labels = [r.label for r in figures.by_star]
    star_values = [r.count for r in figures.by_star]
    story += [
        paragraph(_("2. Sản phẩm còn hiệu lực theo hạng sao"), "h2"),
        KeepTogether(
            [
                star_bars(star_labels, star_values),
                table(
                    [_("Hạng sao"), _("Số sản phẩm"), _("Cấp trong năm %(y)d") % {"y": year}],
                    [(r.label, r.count, issued.get(r.code, 0)) for r in figures.by_star]
                    + [(_("Tổng"), figures.certified, sum(issued.values()))],
                    [40, 40, 50],
                    numeric_from=1,
                ),
            ]
        ),
    ]

    # 3. Former districts
    districts = figures.by_district
    story += [
        paragraph(_("3. Sản phẩm còn hiệu lực theo huyện, thành phố cũ (trước 01/07/2025)"), "h2"),
        horizontal_bars([r.label for r in districts], [r.count for r in districts]),
        table(
            [_("Huyện, thành phố cũ"), _("Số sản phẩm")],
            [(r.label, r.count) for r in districts],
            [100, 40],
            numeric_from=1,
        ),
        paragraph(_("Một xã, phường mới gồm địa bàn của hai huyện cũ được tính ở cả hai huyện."), "small"),
    ]

    # 4. Groups
    story += [
        paragraph(_("4. Sản phẩm còn hiệu lực theo nhóm sản phẩm"), "h2"),
        table(
            [_("Nhóm sản phẩm"), _("Số sản phẩm")],
            [(r.label, r.count) for r in figures.by_group],
            [110, 30],
            numeric_from=1,
        ),
    ]

    # 5. Over the years
    timeline = figures.timeline
    story += [
        paragraph(_("5. Sản phẩm còn hiệu lực và hết hiệu lực qua các năm"), "h2"),
        vertical_bars(
            [str(p.day.year) for p in timeline],
            [[p.valid for p in timeline], [p.lapsed for p in timeline]],
            names=[_("Còn hiệu lực"), _("Hết hiệu lực, chưa công nhận lại")],
            palette=[GREEN, RED],
        ),
        table(
            [_("Ngày"), _("Còn hiệu lực"), _("Hết hiệu lực, chưa công nhận lại")],
            [(vn_date(p.day), p.valid, p.lapsed) for p in timeline],
            [40, 40, 60],
            numeric_from=1,
        ),
    ]

    # 6. Expiring
    story += [
        paragraph(_("6. Giấy chứng nhận sắp hết hạn"), "h2"),
        table(
            [_("Hết hạn trong"), _("Số giấy chứng nhận")],
            [(ngettext("%(m)d tháng", "%(m)d tháng", m) % {"m": m}, n) for m, n in figures.expiring.items()],
            [50, 40],
            numeric_from=1,
        ),
    ]
    if figures.expiring_list:
        story += [
            Spacer(1, 2 * mm),
            table(
                [_("Sản phẩm"), _("Chủ thể"), _("Hạng sao"), _("Có hiệu lực đến")],
                [(c.product, c.producer, f"{c.stars}★", c.expires_on) for c in figures.expiring_list],
                [60, 60, 18, 26],
                numeric_from=2,
            ),
        ]

    # 7. Producers
    story += [
        paragraph(_("7. Chủ thể OCOP theo loại hình"), "h2"),
        table(
            [_("Loại hình"), _("Số chủ thể")],
            [(r.label, r.count) for r in figures.producers_by_kind] + [(_("Tổng"), figures.producers)],
            [80, 40],
            numeric_from=1,
        ),
    ]
    if figures.pipeline:
        story += [
            paragraph(_("8. Sản phẩm 3 sao gần đạt 4 sao"), "h2"),
            table(
                [_("Sản phẩm"), _("Chủ thể"), _("Điểm"), _("Còn thiếu")],
                [
                    (r.product, r.producer, vn_number(r.score, 2), vn_number(r.gap, 2))
                    for r in figures.pipeline
                ],
                [62, 62, 20, 20],
                numeric_from=2,
            ),
        ]
    build(doc, story)
    out.seek(0)
    return out
