"""Printable batch labels (ReportLab through core.pdf, QR through certificates.printing's segno
helpers): one label per page at the label's own size, as roll label printers take them.

Each label carries the batch's GS1 Digital Link QR code (traceability.links), the product's name,
the lot, the production and expiry dates and the OCOP stars in force at production."""

import io

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from certificates.printing import _draw_qr
from core.pdf import AUTHOR, FONT, FONT_BOLD, GOLD, INK, RED, nfc, register_fonts, vn_date
from traceability import links
from traceability.selectors import certificate_at

# width, height, QR side (mm); font sizes (points) of the name and of the other lines. The QR code
# keeps modules of at least 0.35 mm (a 60-character address is a version 4 symbol, 41 modules with
# its quiet zone); the text column keeps room for "NSX 24/11/2026" on one line.
SIZES = {"30x20": (30, 20, 14, 4.4, 4.0), "40x30": (40, 30, 20, 5.6, 5.0), "50x30": (50, 30, 22, 7.0, 6.0)}
MARGIN = 1.2 * mm


def _lines(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    lines = simpleSplit(nfc(text), font, size, width)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and pdfmetrics.stringWidth(last + "…", font, size) > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines


def label_pdf(batch, size: str = "40x30", count: int = 1) -> bytes:
    width_mm, height_mm, qr_mm, name_pt, text_pt = SIZES[size]
    width, height = width_mm * mm, height_mm * mm
    register_fonts()
    url = links.batch_url(batch)
    certificate = certificate_at(batch.product, batch.produced_on)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(width, height))
    c.setTitle(nfc(f"Nhãn lô {batch.lot} – {batch.product.name}"))
    c.setAuthor(AUTHOR)
    qr_size = qr_mm * mm
    qr_y = (height - qr_size) / 2
    text_x = MARGIN + qr_size + 0.8 * mm
    text_width = width - text_x - MARGIN
    for _ in range(count):
        _draw_qr(c, url, MARGIN, qr_y, qr_size)
        y = height - MARGIN - name_pt * 0.9
        c.setFillColor(INK)
        c.setFont(FONT_BOLD, name_pt)
        for line in _lines(batch.product.name, FONT_BOLD, name_pt, text_width, 2 if size == "30x20" else 3):
            c.drawString(text_x, y, line)
            y -= name_pt * 1.1
        c.setFont(FONT, text_pt)
        rows = [(f"Lô {batch.lot}", 2), (f"NSX {vn_date(batch.produced_on)}", 1)]
        if batch.expires_on:
            rows.append((f"HSD {vn_date(batch.expires_on)}", 1))
        for row, max_lines in rows:
            for line in _lines(row, FONT, text_pt, text_width, max_lines):
                c.drawString(text_x, y, line)
                y -= text_pt * 1.15
        if certificate is not None:
            c.setFillColor(GOLD)
            c.setFont(FONT_BOLD, text_pt)
            c.drawString(text_x, max(y, MARGIN), nfc(f"{'★' * certificate.stars} OCOP"))
        if batch.recalled_on:
            c.setFillColor(RED)
            c.setFont(FONT_BOLD, text_pt)
            c.drawString(text_x, MARGIN, nfc("ĐÃ THU HỒI"))
        c.showPage()
    c.save()
    return out.getvalue()


def label_filename(batch, size: str) -> str:
    return f"nhan-lo-{batch.product_id}-{batch.pk}-{size}.pdf"
