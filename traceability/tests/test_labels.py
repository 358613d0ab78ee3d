"""Printed labels: the QR code in the PDF decodes (zxing-cpp) to the batch's Digital Link; printing
issues the code."""

import io
import subprocess

import pytest
import zxingcpp
from PIL import Image

from traceability.labels import SIZES, label_pdf
from traceability.links import batch_url

pytestmark = pytest.mark.django_db


def decode_png(data: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(data)))]


def pdf_page_png(pdf: bytes, tmp_path) -> bytes:
    (tmp_path / "label.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "600", "-singlefile", str(tmp_path / "label.pdf"), str(tmp_path / "page")],
        check=True,
    )
    return (tmp_path / "page.png").read_bytes()


@pytest.mark.parametrize("size", list(SIZES))
def test_each_label_size_carries_a_decodable_qr(make_batch, tmp_path, settings, size):
    settings.SITE_URL = "https://ocop.example.vn"
    batch = make_batch()
    pdf = label_pdf(batch, size, count=2)
    assert pdf.startswith(b"%PDF")
    assert decode_png(pdf_page_png(pdf, tmp_path)) == [batch_url(batch)]
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "L2026-01" in text and "★★★★" in text
    assert batch.produced_on.strftime("%d/%m/%Y") in text and batch.expires_on.strftime("%d/%m/%Y") in text


def test_printing_issues_the_code_and_the_qr_png_decodes(client, make_batch, users):
    batch = make_batch()
    client.force_login(users["producer"])
    response = client.post(f"/quan-ly/lo-san-pham/{batch.pk}/nhan/", {"size": "40x30", "count": "3"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    batch.refresh_from_db()
    assert batch.code_issued_at is not None
    png = client.post(f"/quan-ly/lo-san-pham/{batch.pk}/qr/")
    assert decode_png(png.content) == [batch_url(batch)]
    # Once issued, the batch cannot be deleted from its page either.
    client.post(f"/quan-ly/lo-san-pham/{batch.pk}/xoa/")
    batch.refresh_from_db()


def test_another_producer_cannot_print(client, make_batch, users):
    batch = make_batch()
    client.force_login(users["officer"])
    assert (
        client.post(f"/quan-ly/lo-san-pham/{batch.pk}/nhan/", {"size": "40x30", "count": "1"}).status_code
        == 200
    )
    from accounts.models import Role
    from core.testing import ProducerFactory, make_user

    other = make_user("other-producer", Role.PRODUCER, producer=ProducerFactory(commune=users["chi_lang"]))
    client.force_login(other)
    assert (
        client.post(f"/quan-ly/lo-san-pham/{batch.pk}/nhan/", {"size": "40x30", "count": "1"}).status_code
        == 403
    )
