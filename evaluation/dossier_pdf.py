"""Mẫu số 01 and 02 as PDF in the layout of the official forms (core.pdf), always in Vietnamese:
the national header, the form's number, place and date, title (Mẫu 01: "của tỉnh … năm …"), the
numbered fields, for Mẫu 02 the self-assessment per criterion (Phần III), and the signature block the
form names (data: evaluation/data/dossier-QD26-2026.yaml). Neither official form has a "Kính gửi" line."""

from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from core import pdf
from evaluation import documents as docs
from evaluation import selfassessment as sa

NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def _styles() -> dict[str, ParagraphStyle]:
    base = pdf.styles()["base"]
    bold = dict(parent=base, fontName=pdf.FONT_BOLD)
    return {
        "national": ParagraphStyle("national", alignment=TA_CENTER, fontSize=11, leading=14, **bold),
        "motto": ParagraphStyle("motto", alignment=TA_CENTER, fontSize=11.5, leading=15, **bold),
        "number": ParagraphStyle("number", parent=base, alignment=TA_RIGHT, fontSize=9),
        "date": ParagraphStyle("date", parent=base, alignment=TA_RIGHT, fontSize=10, leading=13),
        "title": ParagraphStyle(
            "ftitle", alignment=TA_CENTER, fontSize=12.5, leading=16, spaceBefore=10, **bold
        ),
        "body": ParagraphStyle("body", parent=base, fontSize=10.5, leading=14, spaceAfter=3),
        "section": ParagraphStyle("section", fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=3, **bold),
        "sign": ParagraphStyle("sign", alignment=TA_CENTER, fontSize=10.5, leading=14, **bold),
        "signhint": ParagraphStyle("signhint", parent=base, alignment=TA_CENTER, fontSize=9, leading=12),
    }


def _p(text, style) -> Paragraph:
    return Paragraph(escape(pdf.nfc(text)).replace("\n", "<br/>"), style)


def form_pdf(dossier, code: str) -> bytes:
    spec = docs.form_spec(code)  # KeyError for an unknown form
    data = docs.form_initial(dossier, code)
    st = _styles()
    story = [
        _p(spec.number_vi, st["number"]),
        _p(NATIONAL, st["national"]),
        Paragraph(f"<u>{escape(pdf.nfc(MOTTO))}</u>", st["motto"]),
        Spacer(1, 4 * mm),
        _p(data.get("place_date") or "……, ngày …… tháng …… năm ……", st["date"]),
        _p(spec.title_vi, st["title"]),
        *([_p(spec.subtitle(dossier), st["title"])] if spec.subtitle_vi else []),
        Spacer(1, 3 * mm),
    ]
    number = 0
    for field in spec.fields:
        if field.code == "place_date":
            continue
        number += 1
        story.append(_p(f"{number}. {field.label_vi}: {data.get(field.code) or '……'}", st["body"]))
    if code == "02":
        story += _self_assessment_table(dossier, st)
    story += [
        Spacer(1, 8 * mm),
        _signature(spec, data, st),
    ]
    out = pdf.spool()
    document = pdf.document(
        out, title=f"{spec.number_vi} – {dossier.product.name}", margins_mm=(25, 18, 16, 16)
    )
    pdf.build(document, story, footer="")
    out.seek(0)
    return out.read()


def _self_assessment_table(dossier, st) -> list:
    story = [_p("III. TỰ ĐÁNH GIÁ THEO BỘ TIÊU CHÍ", st["section"])]
    summary = sa.self_assessment_summary(dossier)
    if summary is None:
        return [*story, _p("(Chưa tự đánh giá trên hệ thống.)", st["body"])]
    sheet, choices = summary["sheet"], summary["choices"]
    rows = []
    for criterion in sheet.criteria():
        option_code = choices.get(criterion.code)
        option = criterion.choice(option_code) if option_code else None
        rows.append(
            (
                criterion.code,
                criterion.name_vi,
                option.label_vi if option else "—",
                pdf.vn_number(option.points) if option else "",
            )
        )
    rows.append(("", "Tổng điểm tự đánh giá", "", pdf.vn_number(summary["total"])))
    story.append(
        pdf.table(["Mã", "Tiêu chí", "Mức tự đánh giá", "Điểm"], rows, [12, 55, 88, 15], numeric_from=3)
    )
    return story


def _signature(spec, data, st) -> Table:
    """The signature block of the official form (Phụ lục III): its title and hint come from the data."""
    block = [
        _p(spec.signature_vi, st["sign"]),
        _p(spec.signature_hint_vi, st["signhint"]),
        Spacer(1, 18 * mm),
        _p(data.get("representative") or "", st["sign"]),
    ]
    table = Table([["", block]], colWidths=[80 * mm, 80 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table
