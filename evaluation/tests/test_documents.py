"""Dossier documents: the checklist per kind, private storage, visibility, hostile uploads, history,
the forward rule, and Mẫu 01/02 filled on screen and printed."""

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from core.testing import make_user
from core.testing.files import pixel_bomb_png, png_bytes
from evaluation import documents as docs
from evaluation import services
from evaluation.models import Dossier, DossierDocument, DossierKind
from evaluation.testing import attach_required_documents
from evaluation.tests.papers import S, new_dossier, pdf_upload, submitted

pytestmark = pytest.mark.django_db


def codes(items):
    return {i.code for i in items}


def test_the_checklist_is_data_and_differs_per_kind(users):
    dossier = new_dossier(users)
    new = codes(docs.required_items(dossier))
    assert {
        "mau-01",
        "mau-02",
        "quality-declaration",
        "test-report",
        "food-safety-certificate",
        "label",
    } <= new
    assert "upgrade-changes" not in new and "reevaluation-changes" not in new
    dossier.kind = DossierKind.UPGRADE
    assert "upgrade-changes" in codes(docs.required_items(dossier))
    dossier.kind = DossierKind.REEVALUATION
    reevaluation = codes(docs.required_items(dossier))
    assert "reevaluation-changes" in reevaluation and "business-registration" not in reevaluation
    # Every item names its source in Decision 26/2026 (Điều 6, Phụ lục III), checked against its text.
    assert all(i.source and i.verified for i in docs.checklist())
    table = [i.code for i in docs.checklist() if "Mẫu số 02, Phần III" in i.source]
    assert {"business-registration", "test-report", "raw-materials", "awards"} <= set(table)
    assert all(docs.form_spec(code).verified for code in ("01", "02"))
    assert [f.code for f in docs.form_spec("01").fields][:3] == [
        "producer_name",
        "representative",
        "position",
    ]


def test_food_safety_certificate_only_for_food_and_drink(users):
    craft = new_dossier(users, code="IV.1")
    assert "food-safety-certificate" not in codes(docs.required_items(craft))


def test_a_document_is_stored_privately_outside_media_root(users, tmp_path):
    dossier = new_dossier(users)
    document = docs.document_upload(
        dossier, kind="quality-declaration", upload=pdf_upload(), actor=users["producer"]
    )
    path = Path(document.file.path).resolve()
    assert path.is_file()
    assert path.is_relative_to(Path(settings.DOSSIER_FILES_DIR).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert document.original_name == "ban-cong-bo.pdf" and document.file_format == "pdf"
    assert "ban-cong-bo" not in document.file.name  # the stored name never comes from the user
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018  (no public address)


def test_the_private_folder_may_not_be_inside_the_media_folder(tmp_path):
    from django.test import override_settings

    from config import base
    from evaluation.dossier_models import check_private_folder

    assert not Path(base.DOSSIER_FILES_DIR).resolve().is_relative_to(Path(base.MEDIA_ROOT).resolve())
    assert check_private_folder() == []
    with override_settings(MEDIA_ROOT=tmp_path, DOSSIER_FILES_DIR=tmp_path / "dossier-files"):
        assert [e.id for e in check_private_folder()] == ["evaluation.E001"]


def test_the_document_is_shown_only_to_those_who_may_see_the_dossier(client, users):
    dossier = new_dossier(users)
    document = docs.document_upload(
        dossier, kind="label", upload=pdf_upload("nhan.pdf"), actor=users["producer"]
    )
    url = reverse("evaluation:document_file", args=[document.pk])
    for who in ("producer", "officer", "office", "council"):
        client.force_login(users[who])
        response = client.get(url)
        assert response.status_code == 200, who
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert response["Cache-Control"] == "private, no-store"
    other_officer = make_user("canbo.khac", Role.COMMUNE_OFFICER, communes=[users["other_commune"]])
    client.force_login(other_officer)
    assert client.get(url).status_code in (403, 404)
    client.force_login(users["officer"])
    page = client.get(reverse("evaluation:dossier_documents", args=[dossier.pk]))
    assert page.status_code == 200 and "nhan.pdf" in page.content.decode()
    client.force_login(other_officer)
    assert client.get(reverse("evaluation:dossier_documents", args=[dossier.pk])).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("gia-mao.pdf", b"<html><script>alert(1)</script></html>", "Chỉ nhận tài liệu PDF"),
        ("khong-ket-thuc.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "không đầy đủ"),
        ("bom.png", pixel_bomb_png(), "Ảnh quá lớn"),
    ],
)
def test_hostile_uploads_are_refused_by_the_policy(client, users, name, content, message):
    dossier = new_dossier(users)
    with pytest.raises(ValidationError, match=message):
        docs.document_upload(
            dossier, kind="label", upload=SimpleUploadedFile(name, content), actor=users["producer"]
        )
    client.force_login(users["producer"])
    response = client.post(
        reverse("evaluation:dossier_documents", args=[dossier.pk]),
        {"kind": "label", "file": SimpleUploadedFile(name, content)},
        follow=True,
    )
    assert message in response.content.decode()
    assert not DossierDocument.objects.filter(dossier=dossier).exists()


def test_an_encrypted_pdf_is_refused(users):
    dossier = new_dossier(users)
    with pytest.raises(ValidationError, match="mật khẩu"):
        docs.document_upload(
            dossier, kind="label", upload=pdf_upload(extra=b"/Encrypt 5 0 R "), actor=users["producer"]
        )


def test_replacing_a_file_keeps_the_old_version(client, users):
    dossier = new_dossier(users)
    document = docs.document_upload(
        dossier, kind="label", upload=pdf_upload("nhan-cu.pdf"), actor=users["producer"]
    )
    old_name = document.file.name
    new = SimpleUploadedFile("nhan-moi.png", png_bytes())
    document = docs.document_replace(document, upload=new, actor=users["officer"])
    assert document.file.name != old_name and document.file_format == "png"
    assert Path(settings.DOSSIER_FILES_DIR, old_name).is_file()  # the old file stays
    records = list(document.history.order_by("history_date", "history_id"))
    assert [r.file for r in records] == [old_name, document.file.name]
    assert records[-1].history_user == users["officer"]
    client.force_login(users["producer"])
    page = client.get(reverse("evaluation:dossier_documents", args=[dossier.pk])).content.decode()
    assert "nhan-moi.png" in page and "nhan-cu.pdf" in page
    old = client.get(reverse("evaluation:document_version", args=[document.pk, records[0].history_id]))
    assert old.status_code == 200 and b"".join(old.streaming_content).startswith(b"%PDF")
    current = client.get(reverse("evaluation:document_file", args=[document.pk]))
    assert current["Content-Type"] == "image/png"


def test_upload_and_replace_through_the_page(client, users):
    dossier = new_dossier(users)
    client.force_login(users["producer"])
    url = reverse("evaluation:dossier_documents", args=[dossier.pk])
    response = client.post(
        url, {"kind": "test-report", "file": pdf_upload("kiem-nghiem.pdf"), "note": "2026"}
    )
    assert response.status_code == 302
    document = DossierDocument.objects.get(dossier=dossier)
    assert (document.kind, document.note, document.uploaded_by) == ("test-report", "2026", users["producer"])
    client.post(url, {"replace": document.pk, "file": pdf_upload("kiem-nghiem-2.pdf")})
    document.refresh_from_db()
    assert document.original_name == "kiem-nghiem-2.pdf"


def test_who_may_change_the_documents(users):
    dossier = new_dossier(users)
    with pytest.raises(PermissionDenied):
        docs.document_upload(dossier, kind="label", upload=pdf_upload(), actor=users["council"])
    submitted(dossier, users)
    # With the commune, the producer and the officer still complete the dossier.
    docs.document_upload(dossier, kind="label", upload=pdf_upload(), actor=users["producer"])
    attach_required_documents(dossier)
    services.dossier_transition(
        dossier, S.COMMUNE_FORWARDED, actor=users["officer"], today=dt.date(2026, 3, 9)
    )
    with pytest.raises(PermissionDenied):  # forwarded: the papers are frozen
        docs.document_upload(dossier, kind="label", upload=pdf_upload(), actor=users["producer"])
    with pytest.raises(ValidationError, match="danh mục"):
        docs.add_document(dossier, kind="khong-co", upload=pdf_upload(), actor=users["office"])


def test_the_commune_cannot_forward_with_missing_documents_and_says_which(client, users):
    dossier = submitted(new_dossier(users), users)
    docs.document_upload(dossier, kind="label", upload=pdf_upload(), actor=users["producer"])
    with pytest.raises(ValidationError) as refused:
        services.dossier_transition(dossier, S.COMMUNE_FORWARDED, actor=users["officer"])
    text = " ".join(refused.value.messages)
    assert "Mẫu số 01" in text and "Phiếu kết quả kiểm nghiệm" in text
    assert "Bao bì, nhãn" not in text  # present
    assert Dossier.objects.get(pk=dossier.pk).state == S.SUBMITTED
    client.force_login(users["officer"])
    response = client.post(
        reverse("evaluation:dossier_step", args=[dossier.pk]), {"to": S.COMMUNE_FORWARDED}, follow=True
    )
    assert "Hồ sơ còn thiếu tài liệu bắt buộc" in response.content.decode()
    assert "Mẫu số 02" in response.content.decode()
    attach_required_documents(dossier)
    assert docs.missing_documents(dossier) == []
    services.dossier_transition(dossier, S.COMMUNE_FORWARDED, actor=users["officer"])
    assert Dossier.objects.get(pk=dossier.pk).state == S.COMMUNE_FORWARDED


def test_form_01_filled_on_screen_counts_and_prints_in_the_official_layout(client, users):
    dossier = new_dossier(users)
    client.force_login(users["producer"])
    url = reverse("evaluation:dossier_form", args=[dossier.pk, "01"])
    page = client.get(url).content.decode()
    assert "Thạch đen Chi Lăng" in page and "HKD Sầm Thu" in page  # prefilled from the registry
    data = {f.code: docs.form_initial(dossier, "01").get(f.code, "") for f in docs.form_spec("01").fields}
    client.post(url, {**data, "position": ""})
    assert "mau-01" in codes_missing(dossier)  # a draft: saved, not counted
    data.update(
        representative="Sầm Thị Thu",
        position="Chủ hộ kinh doanh",
        phone="0912345678",
        address="Thôn Bản Chu, xã Chi Lăng",
        place_date="Chi Lăng, ngày 02 tháng 3 năm 2026",
        tax_code="4900123456",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert "mau-01" not in codes_missing(dossier)
    printed = client.get(reverse("evaluation:dossier_form_pdf", args=[dossier.pk, "01"]))
    assert printed["Content-Type"] == "application/pdf"
    text = pdf_text(printed.content)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Mẫu số 01",
        "PHIẾU ĐĂNG KÝ THAM GIA ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP",
        f"của tỉnh Lạng Sơn năm {dossier.created_at.year}",
        "Sầm Thị Thu",
        "Chủ hộ kinh doanh",
        "ĐẠI DIỆN",
        "(Ký, đóng dấu, ghi rõ họ tên)",
    ):
        assert expected in text, expected
    assert "Kính gửi" not in text  # the official Mẫu 01 has no such line
    # A council member reads the form but cannot change it.
    client.force_login(users["council"])
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 403


def test_unknown_form_is_not_found(client, users):
    dossier = new_dossier(users)
    client.force_login(users["producer"])
    assert client.get(reverse("evaluation:dossier_form", args=[dossier.pk, "09"])).status_code == 404
    assert client.get(reverse("evaluation:dossier_form_pdf", args=[dossier.pk, "09"])).status_code == 404


def test_dossier_page_shows_the_checklist(client, users, django_assert_max_num_queries):
    dossier = new_dossier(users)
    docs.document_upload(dossier, kind="label", upload=pdf_upload(), actor=users["producer"])
    client.force_login(users["officer"])
    with django_assert_max_num_queries(40):
        page = client.get(reverse("evaluation:dossier_detail", args=[dossier.pk])).content.decode()
    assert "Tài liệu hồ sơ" in page and "còn thiếu" in page


def codes_missing(dossier):
    return {r["item"].code for r in docs.checklist_status(dossier) if r["required"] and not r["present"]}


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().split())
