"""The printable certificate (PDF, ReportLab) and the QR codes for labels (segno).

Fonts, colours and NFC text come from core.pdf (DejaVu Sans covers Vietnamese and ★). QR codes
carry the absolute public verification URL (ASCII: the public code is ASCII; iri_to_uri
percent-encodes anything else)."""

import io
import math

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from django.utils.formats import number_format
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from certificates.models import Certificate, CertificateStatus
from core.pdf import FONT, FONT_BOLD, GOLD, GREEN, INK, RED, nfc, register_fonts

QR_ERROR = "m"  # 15 % of the symbol may be damaged: labels get scratched
QR_BORDER = 4  # the quiet zone the standard asks for
QR_DPI = 300
QR_SIZES_MM = (20, 30, 50)
QR_MIN_MM, QR_MAX_MM = 10, 100

ISSUER_HEADINGS = {
    Certificate.Issuer.PROVINCE: ("UBND TỈNH LẠNG SƠN", "Chủ tịch Ủy ban nhân dân tỉnh Lạng Sơn"),
    Certificate.Issuer.MINISTRY: ("BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "Bộ trưởng Bộ Nông nghiệp và Môi trường"),
    Certificate.Issuer.DISTRICT: ("UBND HUYỆN (TRƯỚC 01/07/2025)", "Chủ tịch Ủy ban nhân dân huyện"),
}


def public_path(certificate: Certificate) -> str:
    return reverse("catalogue:verify", args=[certificate.public_code])


def public_url(certificate: Certificate) -> str:
    """The absolute verification address printed on certificates and labels (ASCII only)."""
    return iri_to_uri(settings.SITE_URL.rstrip("/") + public_path(certificate))


def _d(day) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


# QR codes ---------------------------------------------------------------------------------------------


def make_qr(data: str) -> segno.QRCode:
    return segno.make(data, error=QR_ERROR, micro=False)


def qr_png(data: str, size_mm: int, dpi: int = QR_DPI) -> bytes:
    """A PNG at least `size_mm` wide at `dpi` (whole pixels per module, so it stays sharp); its
    dpi tag makes it print exactly `size_mm` wide."""
    qr = make_qr(data)
    modules = qr.symbol_size(scale=1, border=QR_BORDER)[0]
    needed = math.ceil(size_mm / 25.4 * dpi)
    scale = math.ceil(needed / modules)
    pixels = modules * scale
    out = io.BytesIO()
    qr.save(out, kind="png", scale=scale, border=QR_BORDER, dpi=round(pixels * 25.4 / size_mm))
    return out.getvalue()


def qr_svg(data: str, size_mm: int) -> bytes:
    """An SVG exactly `size_mm` millimetres wide (unit mm)."""
    qr = make_qr(data)
    modules = qr.symbol_size(scale=1, border=QR_BORDER)[0]
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=size_mm / modules, border=QR_BORDER, unit="mm", title=data)
    return out.getvalue()


def _draw_qr(c: canvas.Canvas, data: str, x: float, y: float, size: float) -> None:
    """Draw the QR code as vector squares (sharp at any zoom) with its quiet zone, lower-left at x, y."""
    qr = make_qr(data)
    matrix = qr.matrix
    n = len(matrix)
    module = size / (n + 2 * QR_BORDER)
    c.saveState()
    c.setFillColor(white)
    c.rect(x, y, size, size, stroke=0, fill=1)
    c.setFillColor(HexColor("#000000"))
    top = y + size - QR_BORDER * module
    for r, row in enumerate(matrix):
        col = 0
        while col < n:  # one rectangle per run of dark modules
            if row[col]:
                start = col
                while col < n and row[col]:
                    col += 1
                c.rect(
                    x + (QR_BORDER + start) * module,
                    top - (r + 1) * module,
                    (col - start) * module,
                    module,
                    stroke=0,
                    fill=1,
                )
            else:
                col += 1
    c.restoreState()


# PDF -----------------------------------------------------------------------------------------------


def _centred(c, text, x, y, font, size, color=INK):
    c.setFont(font, size)
    c.setFillColor(color)
    c.drawCentredString(x, y, nfc(text))


def _fit_lines(text, font, size, width, max_lines, min_size):
    """Shrink the font until the text fits in max_lines lines of `width`."""
    text = nfc(text)
    while True:
        lines = simpleSplit(text, font, size, width)
        if len(lines) <= max_lines or size <= min_size:
            return lines[:max_lines], size
        size -= 1


def _label_value(c, x, y, label, value, size=12.5):
    c.setFillColor(INK)
    c.setFont(FONT, size)
    label = nfc(label)
    c.drawString(x, y, label)
    c.setFont(FONT_BOLD, size)
    c.drawString(x + pdfmetrics.stringWidth(label, FONT, size) + 4, y, nfc(value))


def _address(certificate: Certificate) -> str:
    product = certificate.product
    producer = product.producer  # None for a product listed without producer
    commune = product.place
    address = producer.address if producer else ""
    parts = [address] if address else []
    if commune and (not address or commune.name not in address):
        parts.append(str(commune))
    if not parts and producer and producer.address_as_given:
        parts.append(producer.address_as_given)
    parts.append("tỉnh Lạng Sơn")
    return ", ".join(p for p in parts if p)


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate on one A4 landscape page."""
    from django.utils import timezone

    register_fonts()
    product = certificate.product
    url = public_url(certificate)
    heading, signer_default = ISSUER_HEADINGS.get(
        certificate.issuer, ISSUER_HEADINGS[Certificate.Issuer.PROVINCE]
    )
    decision = certificate.decision
    number = certificate.number or "—"

    out = io.BytesIO()
    width, height = landscape(A4)
    c = canvas.Canvas(out, pagesize=(width, height), pageCompression=1)
    c.setTitle(nfc(f"Giấy chứng nhận sản phẩm OCOP – {product.name}"))
    c.setAuthor(nfc(heading))
    c.setSubject(url)

    # Frame: a thick green line and a thin gold one inside it.
    c.setStrokeColor(GREEN)
    c.setLineWidth(4)
    c.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    c.setStrokeColor(GOLD)
    c.setLineWidth(1.2)
    c.rect(13 * mm, 13 * mm, width - 26 * mm, height - 26 * mm)

    # National heading (right) and issuer (left), as on administrative documents.
    left_x, right_x, top = 75 * mm, width - 82 * mm, height - 25 * mm
    _centred(c, heading, left_x, top, FONT_BOLD, 11.5)
    c.setLineWidth(0.6)
    c.setStrokeColor(INK)
    c.line(left_x - 15 * mm, top - 5, left_x + 15 * mm, top - 5)
    _centred(c, f"Số: {number}", left_x, top - 20, FONT, 11)
    _centred(c, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", right_x, top, FONT_BOLD, 11.5)
    motto = "Độc lập - Tự do - Hạnh phúc"
    _centred(c, motto, right_x, top - 15, FONT_BOLD, 11.5)
    half = pdfmetrics.stringWidth(nfc(motto), FONT_BOLD, 11.5) / 2
    c.line(right_x - half, top - 19, right_x + half, top - 19)

    # Title and product.
    y = height - 50 * mm
    _centred(c, "GIẤY CHỨNG NHẬN SẢN PHẨM OCOP", width / 2, y, FONT_BOLD, 26, RED)
    _centred(c, "Chương trình Mỗi xã một sản phẩm (OCOP)", width / 2, y - 16, FONT, 11.5, GREEN)
    y -= 36
    _centred(c, "Chứng nhận sản phẩm", width / 2, y, FONT, 12.5)
    lines, size = _fit_lines(product.name, FONT_BOLD, 24, width - 80 * mm, 2, 14)
    for line in lines:
        y -= size + 6
        _centred(c, line, width / 2, y, FONT_BOLD, size, GREEN)

    # Stars drawn with the font's ★ glyph.
    y -= 34
    c.setFont(FONT_BOLD, 30)
    c.setFillColor(GOLD)
    c.drawCentredString(width / 2, y, "★" * certificate.stars)
    _centred(c, f"Đạt hạng {certificate.stars} sao", width / 2, y - 17, FONT_BOLD, 13, INK)

    # Details: five lines, two columns where short.
    x, x2 = 40 * mm, 150 * mm
    y -= 40
    step = 18
    _label_value(c, x, y, "Chủ thể sản xuất:", product.producer_name or "đang cập nhật")
    y -= step
    address = simpleSplit(nfc(_address(certificate)), FONT_BOLD, 12.5, width - 110 * mm)
    _label_value(c, x, y, "Địa chỉ:", address[0] if address else "—")
    y -= step
    score = f"{number_format(certificate.score, 2)}/100" if certificate.score is not None else "—"
    _label_value(c, x, y, "Điểm đánh giá:", score)
    _label_value(c, x2, y, "Bộ tiêu chí:", certificate.get_criteria_set_display())
    y -= step
    decision_text = certificate.decision_number or (decision.number if decision else "") or "—"
    decision_day = certificate.decision_date or (decision.signed_on if decision else None)
    _label_value(
        c,
        x,
        y,
        "Theo Quyết định số:",
        f"{decision_text}, ngày {_d(decision_day)} – {certificate.get_issuer_display()}",
    )
    y -= step
    _label_value(c, x, y, "Ngày cấp:", _d(certificate.issued_on))
    _label_value(c, x2, y, "Có giá trị đến ngày:", _d(certificate.expires_on), size=13.5)

    # QR code with the URL under it (bottom left).
    qr_size = 34 * mm
    qr_x, qr_y = 24 * mm, 24 * mm
    _draw_qr(c, url, qr_x, qr_y + 8, qr_size)
    c.setFont(FONT, 7.5)
    c.setFillColor(INK)
    c.drawString(qr_x, qr_y, url)
    c.drawString(qr_x, qr_y - 9, nfc(f"Mã xác minh: {certificate.public_code}"))

    # Place, date and signature (bottom right).
    sign_x = width - 75 * mm
    signed = decision_day or certificate.issued_on
    place = "Hà Nội" if certificate.issuer == Certificate.Issuer.MINISTRY else "Lạng Sơn"
    _centred(
        c,
        f"{place}, ngày {signed.day:02d} tháng {signed.month:02d} năm {signed.year}",
        sign_x,
        60 * mm,
        FONT,
        11.5,
    )
    title = (decision.signer_title if decision and decision.signer_title else signer_default).upper()
    for i, line in enumerate(simpleSplit(nfc(title), FONT_BOLD, 11, 95 * mm)[:2]):
        _centred(c, line, sign_x, 53 * mm - i * 13, FONT_BOLD, 11)
    if decision and decision.signer_name:
        _centred(c, decision.signer_name, sign_x, 27 * mm, FONT_BOLD, 12)

    # A copy of a certificate that no longer holds says so across the page.
    status = certificate.status_on(timezone.localdate())
    stamp, when = None, ""
    if status == CertificateStatus.REVOKED:
        stamp, when = "ĐÃ THU HỒI", f"từ ngày {_d(certificate.revoked_on)}"
    elif status == CertificateStatus.EXPIRED:
        stamp, when = "HẾT HIỆU LỰC", f"từ ngày {_d(certificate.expires_on)}"
    elif not certificate.is_current:
        stamp = "ĐÃ ĐƯỢC THAY THẾ"
    elif certificate.is_sample:
        stamp = "DỮ LIỆU MẪU"
    if stamp:
        c.saveState()
        c.translate(width / 2, height / 2)
        c.rotate(18)
        c.setFillColor(Color(0.7, 0.15, 0.12, alpha=0.2))
        c.setFont(FONT_BOLD, 56)
        c.drawCentredString(0, 0, nfc(stamp))
        if when:
            c.setFont(FONT_BOLD, 26)
            c.drawCentredString(0, -34, nfc(when))
        c.restoreState()

    c.showPage()
    c.save()
    return out.getvalue()


def pdf_filename(certificate: Certificate) -> str:
    from core.text import slugify_vi

    return f"giay-chung-nhan-ocop-{slugify_vi(certificate.number or certificate.public_code, 60)}.pdf"
