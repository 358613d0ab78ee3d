"""The producer's self-assessment per criterion on the product's official sheet, with evidence;
the advisor works from it before any council has scored; Mẫu 02 prints it."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.testing.files import jpeg_bytes, pixel_bomb_png
from evaluation import documents as docs
from evaluation import selfassessment as sa
from evaluation.models import CriterionClaim, DossierDocument
from evaluation.tests.papers import new_dossier, pdf_upload
from evaluation.tests.test_documents import pdf_text

pytestmark = pytest.mark.django_db


def test_the_producer_claims_options_with_evidence(users):
    dossier = new_dossier(users)
    document = docs.document_upload(
        dossier, kind="evidence", upload=pdf_upload("hop-dong.pdf"), actor=users["producer"]
    )
    sa.claims_save(
        dossier,
        {
            "1.1": sa.ClaimInput(option="1.1.c", evidence=document.pk, note="Nguyên liệu 100% tại xã"),
            "1.2": sa.ClaimInput(option="1.2.b", photo=SimpleUploadedFile("vung.jpg", jpeg_bytes())),
            "1.3": sa.ClaimInput(),  # nothing claimed: no row
        },
        actor=users["producer"],
    )
    claims = sa.claims_of(dossier)
    assert set(claims) == {"1.1", "1.2"}
    assert (claims["1.1"].option_code, claims["1.1"].evidence, claims["1.1"].note) == (
        "1.1.c",
        document,
        "Nguyên liệu 100% tại xã",
    )
    photo = claims["1.2"].evidence
    assert photo.kind == "evidence" and photo.file_format == "jpeg" and photo.original_name == "vung.jpg"
    assert claims["1.1"].criteria_set.code == "QD26-2026"
    assert claims["1.1"].history.latest().history_user == users["producer"]
    summary = sa.self_assessment_summary(dossier)
    assert summary["total"] == Decimal(3 + 1)


def test_wrong_claims_are_refused_and_named(users):
    dossier = new_dossier(users)
    foreign = new_dossier(users)
    other = docs.document_upload(foreign, kind="label", upload=pdf_upload(), actor=users["producer"])
    with pytest.raises(ValidationError) as refused:
        sa.claims_save(
            dossier,
            {
                "1.1": sa.ClaimInput(option="9.9.z"),
                "99.1": sa.ClaimInput(option="1.1.a"),
                "1.2": sa.ClaimInput(option="1.2.a", evidence=other.pk),
            },
            actor=users["producer"],
        )
    assert set(refused.value.message_dict) == {"1.1", "99.1", "evidence-1.2"}
    assert not CriterionClaim.objects.filter(dossier=dossier).exists()
    with pytest.raises(PermissionDenied):
        sa.claims_save(dossier, {"1.1": sa.ClaimInput(option="1.1.a")}, actor=users["council"])


def test_a_pixel_bomb_as_evidence_photo_is_refused(client, users):
    dossier = new_dossier(users)
    client.force_login(users["producer"])
    response = client.post(
        reverse("evaluation:self_assessment", args=[dossier.pk]),
        {"action": "claims", "o-1.1": "1.1.b", "p-1.1": SimpleUploadedFile("bom.png", pixel_bomb_png())},
        follow=True,
    )
    assert "Ảnh quá lớn" in response.content.decode()
    assert not CriterionClaim.objects.filter(dossier=dossier).exists()
    assert not DossierDocument.objects.filter(dossier=dossier).exists()


def test_the_self_assessment_page_saves_and_shows_the_claims(client, users):
    dossier = new_dossier(users)
    document = docs.document_upload(
        dossier, kind="label", upload=pdf_upload("nhan.pdf"), actor=users["producer"]
    )
    client.force_login(users["producer"])
    url = reverse("evaluation:self_assessment", args=[dossier.pk])
    page = client.get(url).content.decode()
    assert 'name="o-1.1"' in page and "nhan.pdf" in page
    response = client.post(
        url,
        {
            "action": "claims",
            "o-1.1": "1.1.b",
            "e-1.1": str(document.pk),
            "n-1.1": "Giải trình",
            "o-1.3": "1.3.c",
            "p-1.3": SimpleUploadedFile("anh.jpg", jpeg_bytes()),
        },
    )
    assert response.status_code == 302
    claims = sa.claims_of(dossier)
    assert claims["1.1"].evidence == document and claims["1.3"].evidence.original_name == "anh.jpg"
    page = client.get(url).content.decode()
    assert 'value="1.1.b" checked' in page and "Giải trình" in page
    # The officer of another commune sees nothing.
    from accounts.models import Role
    from core.testing import make_user

    client.force_login(make_user("khac", Role.COMMUNE_OFFICER, communes=[users["other_commune"]]))
    assert client.get(url).status_code == 403


def test_the_advisor_works_from_the_self_assessment_before_the_council(client, users):
    dossier = new_dossier(users)
    client.force_login(users["office"])
    url = reverse("evaluation:advisor", args=[dossier.product_id])
    assert "chưa có phiếu chấm" in client.get(url).content.decode()
    _criteria_set, sheet = sa.official_sheet(dossier)
    best = {c.code: max(c.choices, key=lambda o: o.points).code for c in sheet.criteria()}
    half = dict(list(best.items())[: len(best) // 2])
    sa.claims_save(dossier, {k: sa.ClaimInput(option=v) for k, v in half.items()}, actor=users["producer"])
    page = client.get(url).content.decode()
    assert "Theo bản tự đánh giá của chủ thể" in page
    total = sa.self_assessment_summary(dossier)["total"]
    assert f"{total}" in page or f"{total}".replace(".", ",") in page


def test_form_02_prints_the_self_assessment(client, users):
    dossier = new_dossier(users)
    sa.claims_save(dossier, {"1.1": sa.ClaimInput(option="1.1.c")}, actor=users["producer"])
    client.force_login(users["producer"])
    text = pdf_text(client.get(reverse("evaluation:dossier_form_pdf", args=[dossier.pk, "02"])).content)
    assert "Mẫu số 02" in text and "TỰ ĐÁNH GIÁ THEO BỘ TIÊU CHÍ" in text
    assert "Nguồn nguyên liệu" in text and "Tổng điểm tự đánh giá" in text
