import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
import segno
from django.urls import reverse
from PIL import Image

from certificates.printing import QR_BORDER, public_url, qr_png, qr_svg
from certificates.services import decision_recognise
from core.testing import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(users, today):
    product = ProductFactory(producer=users["own_producer"], name="Thạch đen Tràng Định")
    _, [c] = decision_recognise(
        number="1520/QĐ-UBND",
        signed_on=today - dt.timedelta(days=3),
        signer_name="Nguyễn Văn An",
        signer_title="KT. Chủ tịch - Phó Chủ tịch",
        entries=[{"product": product, "stars": 4, "score": Decimal("78.5"), "criteria_set": "QD26-2026"}],
        actor=users["office"],
    )
    return c


def test_public_url_is_absolute_and_ascii(certificate, settings):
    settings.SITE_URL = "https://ocop.langson.gov.vn/"
    url = public_url(certificate)
    assert url == "https://ocop.langson.gov.vn" + reverse("catalogue:verify", args=[certificate.public_code])
    assert url.isascii()


def test_pdf_is_a4_landscape_with_vietnamese_text(client, users, certificate):
    client.force_login(users["office"])
    response = client.get(reverse("certificates:pdf", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    number = certificate.number.replace("/", "-").lower()
    assert f"giay-chung-nhan-ocop-{number}.pdf" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    data = response.content
    assert data.startswith(b"%PDF")
    assert b"/MediaBox [ 0 0 841.8898 595.2756 ]" in data  # A4 landscape
    assert b"DejaVuSans" in data  # the shipped font is embedded
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed: text not extracted")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    assert "GIẤY CHỨNG NHẬN SẢN PHẨM OCOP" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "UBND TỈNH LẠNG SƠN" in text and "Thạch đen Tràng Định" in text
    assert "★★★★" in text and "78,50" in text
    assert "1520/QĐ-UBND" in text and certificate.number in text
    assert certificate.expires_on.strftime("%d/%m/%Y") in text
    assert public_url(certificate) in text and "Nguyễn Văn An" in text


def test_pdf_of_a_revoked_certificate_says_so(client, users, certificate, today):
    from certificates.services import certificate_record_violation, certificate_revoke

    certificate_record_violation(
        certificate, found_on=today, reason="mark_misuse", details="Dùng sai logo", actor=users["office"]
    )
    certificate_revoke(
        certificate,
        reason="mark_misuse",
        revoked_on=today,
        decision_number="9/QĐ",
        note="",
        actor=users["office"],
    )
    client.force_login(users["office"])
    data = client.get(reverse("certificates:pdf", args=[certificate.pk]), {"xem": 1})
    assert data["Content-Disposition"].startswith("inline")
    if shutil.which("pdftotext"):
        # -raw: content-stream order, so the rotated stamp comes out as one line
        text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=data.content, capture_output=True).stdout
        text = text.decode()
        assert "ĐÃ THU HỒI" in text


def _modules(url):
    qr = segno.make(url, error="m", micro=False)
    return qr, len(qr.matrix) + 2 * QR_BORDER


@pytest.mark.parametrize("size_mm", [20, 30, 50])
def test_png_is_big_enough_at_300_dpi_and_carries_the_url_matrix(size_mm):
    url = "https://ocop.langson.gov.vn/xac-minh/ABCDEFGHJK/"
    image = Image.open(io.BytesIO(qr_png(url, size_mm))).convert("L")
    needed = size_mm / 25.4 * 300
    assert image.width == image.height >= needed
    assert image.width < needed * 1.5  # whole pixels per module, not much more
    assert image.width * 25.4 / image.info["dpi"][0] == pytest.approx(size_mm, abs=0.2)  # prints at size
    qr, modules = _modules(url)
    scale = image.width // modules
    assert image.width == modules * scale
    pixels = image.load()
    for r, row in enumerate(qr.matrix):
        for c, dark in enumerate(row):
            centre = ((QR_BORDER + c) * scale + scale // 2, (QR_BORDER + r) * scale + scale // 2)
            assert (pixels[centre] < 128) == bool(dark)


def test_svg_is_sized_in_millimetres():
    url = "https://ocop.langson.gov.vn/xac-minh/ABCDEFGHJK/"
    svg = qr_svg(url, 30).decode()
    assert 'width="30mm"' in svg or 'width="30.0mm"' in svg
    assert "<path" in svg and url in svg  # the URL is the SVG's title


def test_qr_downloads(client, users, certificate):
    client.force_login(users["council"])
    png = client.get(reverse("certificates:qr_png", args=[certificate.pk]), {"size": 50})
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert f"qr-ocop-{certificate.public_code.lower()}-50mm.png" in png["Content-Disposition"]
    assert Image.open(io.BytesIO(png.content)).width >= 50 / 25.4 * 300
    svg = client.get(reverse("certificates:qr_svg", args=[certificate.pk]), {"size": 20})
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert public_url(certificate) in svg.content.decode()
    default = client.get(reverse("certificates:qr_svg", args=[certificate.pk]))
    assert b'width="30' in default.content
    for bad in ("5", "500", "abc"):
        assert (
            client.get(reverse("certificates:qr_png", args=[certificate.pk]), {"size": bad}).status_code
            == 400
        )
