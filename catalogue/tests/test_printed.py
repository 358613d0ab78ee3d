"""The printable catalogue for fairs and partners (catalogue.printed, job fair_catalogue_pdf, chosen
on promotion's page)."""

import datetime as dt
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from certificates.services import certificate_issue
from core.testing import ProductFactory
from core.testing.files import png_bytes
from jobs.testing import run_jobs, started_job
from products.services import product_photo_add
from promotion.models import Event, Participation

pytestmark = pytest.mark.django_db
SITE = "https://ocop.langson.example"


def pdf_text(data: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def qr_codes(data: bytes, tmp_path) -> set[str]:
    """The QR codes of the first card page, rendered with pdftoppm and read by zxing-cpp."""
    zxingcpp = pytest.importorskip("zxingcpp")
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    source = tmp_path / "catalogue.pdf"
    source.write_bytes(data)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "150",
            "-f",
            "2",
            "-l",
            "2",
            "-singlefile",
            str(source),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    with Image.open(tmp_path / "page.png") as page:
        return {b.text for b in zxingcpp.read_barcodes(page)}


@pytest.fixture
def fair(users, settings):
    settings.SITE_URL = SITE
    office = users["office"]
    issued = timezone.localdate() - dt.timedelta(days=200)
    na = ProductFactory(producer=users["own_producer"], name="Na dai Chi Lăng", slug="na-dai-chi-lang")
    certificate_issue(na, stars=4, issued_on=issued, actor=office, decision_number="123/QĐ-UBND")
    product_photo_add(na, SimpleUploadedFile("na.png", png_bytes((80, 60)), "image/png"), actor=office)
    thach = ProductFactory(producer=users["foreign_producer"], name="Thạch đen Thất Khê", slug="thach-den")
    certificate_issue(thach, stars=3, issued_on=issued, actor=office)
    uncertified = ProductFactory(producer=users["own_producer"], name="Miến dong chưa chứng nhận")
    draft = ProductFactory(producer=users["own_producer"], name="Sản phẩm nháp", status="draft")
    certificate_issue(draft, stars=5, issued_on=issued, actor=office)
    start = timezone.localdate() + dt.timedelta(days=10)
    event = Event.objects.create(
        name="Hội chợ OCOP Xứ Lạng",
        slug="hoi-cho",
        kind="fair",
        start_date=start,
        end_date=start,
        place="Lạng Sơn",
    )
    Participation.objects.create(event=event, producer=users["own_producer"]).products.set([na])
    users["own_producer"].phone = "0912345678"
    users["own_producer"].save()
    return {"na": na, "thach": thach, "uncertified": uncertified, "draft": draft, "event": event}


def make_pdf(client, user, data) -> tuple[bytes, object]:
    client.force_login(user)
    with run_jobs():
        response = client.post(reverse("promotion:catalogue"), data)
    job = started_job(response)
    job.refresh_from_db()
    assert job.status == job.Status.SUCCEEDED, (job.status, job.error)
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    return b"".join(download.streaming_content), job


def test_event_catalogue_has_cover_cards_and_qr_to_the_product_page(client, users, fair, tmp_path):
    data, job = make_pdf(
        client, users["office"], {"language": "vi", "event": fair["event"].pk, "valid_only": "on"}
    )
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Danh mục sản phẩm OCOP" in text and "Hội chợ OCOP Xứ Lạng" in text and "Tỉnh Lạng Sơn" in text
    assert "Na dai Chi Lăng" in text and "HTX Na Chi Lăng" in text
    assert "Thạch đen Thất Khê" not in text  # not at the event
    assert "Sản phẩm nháp" not in text  # never a hidden product
    assert "123/QĐ-UBND" in text and "Còn hiệu lực" in text and "0912345678" in text
    assert "★★★★" in text
    assert qr_codes(data, tmp_path) == {SITE + "/san-pham/na-dai-chi-lang/"}
    assert job.progress_total == 1


def test_english_edition_has_english_labels_and_names_as_they_are(client, users, fair):
    data, _ = make_pdf(client, users["office"], {"language": "en", "stars": ["3", "4"], "valid_only": "on"})
    text = pdf_text(data)
    assert "OCOP product catalogue" in text and "Lang Son province" in text
    assert "Producer" in text and "Valid until" in text and "4 stars" in text
    assert "Na dai Chi Lăng" in text and "Thạch đen Thất Khê" in text
    assert "Danh mục sản phẩm OCOP" not in text and "Chủ thể" not in text
    assert "Miến dong" not in text


def test_filters_stars_and_uncertified(client, users, fair):
    text = pdf_text(
        make_pdf(client, users["office"], {"language": "vi", "stars": ["3"], "valid_only": "on"})[0]
    )
    assert "Thạch đen Thất Khê" in text and "Na dai Chi Lăng" not in text
    text = pdf_text(make_pdf(client, users["office"], {"language": "vi"})[0])
    assert "Miến dong chưa chứng nhận" in text and "Chưa có" in text


def test_commune_officer_gets_its_communes_only(client, users, fair):
    # The officer answers for Chi Lăng: Thất Khê's product never appears, whatever is asked.
    text = pdf_text(make_pdf(client, users["officer"], {"language": "vi", "valid_only": "on"})[0])
    assert "Na dai Chi Lăng" in text and "Thạch đen Thất Khê" not in text
    client.force_login(users["officer"])
    response = client.post(
        reverse("promotion:catalogue"), {"language": "vi", "commune": users["other_commune"].pk}
    )
    assert response.status_code == 200 and response.context["form"].errors["commune"]


@pytest.mark.parametrize("role", ["producer", "council"])
def test_other_roles_may_not_print(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("promotion:catalogue")).status_code == 403


def test_form_page_renders(client, users, fair):
    client.force_login(users["office"])
    response = client.get(reverse("promotion:catalogue"), {"su_kien": fair["event"].pk})
    assert response.status_code == 200
    assert "Hội chợ OCOP Xứ Lạng" in response.content.decode()


def test_event_page_links_to_its_catalogue(client, users, fair):
    client.force_login(users["office"])
    page = client.get(reverse("promotion:event_detail", args=[fair["event"].pk])).content.decode()
    assert f"{reverse('promotion:catalogue')}?su_kien={fair['event'].pk}" in page
