"""Certified means public (issue 13, point 2): a product that gets a certificate, by a decision or a
historical entry, is public from that moment; it leaves the public only by an explicit withdrawal
with a reason, and the verification page never links to a page that answers 404."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from certificates.services import certificate_issue, certificate_record_historical, decision_recognise
from core.audit import AuditReason
from core.testing import ProductFactory
from products.models import Product, ProductStatus
from products.services import product_restore, product_update, product_withdraw

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(users):
    return ProductFactory(
        producer=users["own_producer"], status=ProductStatus.DRAFT, name="Miến dong Khau Phụ"
    )


def _public_page(client, product):
    return client.get(reverse("catalogue:product", args=[product.slug]))


def test_a_certificate_issued_to_a_draft_publishes_it_at_once(users, draft, client, today):
    assert _public_page(client, draft).status_code == 404
    certificate = certificate_issue(draft, stars=3, issued_on=today, actor=users["office"])
    draft.refresh_from_db()
    assert draft.status == ProductStatus.ACTIVE and draft.is_public
    assert draft.history.first().history_change_reason == AuditReason.PUBLISHED_WHEN_CERTIFIED.value
    assert _public_page(client, draft).status_code == 200
    verify = client.get(reverse("catalogue:verify", args=[certificate.public_code]))
    assert reverse("catalogue:product", args=[draft.slug]) in verify.content.decode()


def test_a_recognition_decision_publishes_its_products(users, draft, client, today):
    decision_recognise(
        number="2150/QĐ-UBND",
        signed_on=today - dt.timedelta(days=3),
        signer_name="Nguyễn Văn A",
        entries=[{"product": draft, "stars": 3, "score": 61}],
        actor=users["office"],
    )
    assert Product.objects.public().filter(pk=draft.pk).exists()
    assert _public_page(client, draft).status_code == 200


def test_a_historical_certificate_publishes_its_product(users, draft):
    certificate_record_historical(
        draft, stars=3, issued_on=dt.date(2021, 6, 1), criteria_set="QD1048-2019", actor=users["office"]
    )
    draft.refresh_from_db()
    assert draft.is_public  # even a lapsed certificate: its page says so, it does not vanish


def test_a_certified_product_cannot_be_sent_back_to_draft_by_an_edit(users, draft, today):
    certificate_issue(draft, stars=3, issued_on=today, actor=users["office"])
    with pytest.raises(ValidationError) as exc:
        product_update(Product.objects.get(pk=draft.pk), actor=users["office"], status=ProductStatus.DRAFT)
    assert "Tạm ẩn khỏi trang công khai" in str(exc.value.message_dict["status"])
    with pytest.raises(ValidationError):
        product_update(
            Product.objects.get(pk=draft.pk), actor=users["office"], status=ProductStatus.WITHDRAWN
        )
    assert Product.objects.get(pk=draft.pk).status == ProductStatus.ACTIVE


def test_an_uncertified_product_may_still_go_back_to_draft(users):
    product = ProductFactory(producer=users["own_producer"], status=ProductStatus.ACTIVE)
    product_update(product, actor=users["office"], status=ProductStatus.DRAFT)
    assert Product.objects.get(pk=product.pk).status == ProductStatus.DRAFT


def test_withdrawal_needs_a_reason_and_the_office(users, make_certificate):
    product = make_certificate().product
    with pytest.raises(ValidationError) as exc:
        product_withdraw(product, actor=users["office"], reason="   ")
    assert "reason" in exc.value.message_dict
    for role in ("officer", "producer", "council"):
        with pytest.raises(PermissionDenied):
            product_withdraw(product, actor=users[role], reason="Thông tin sai")
    assert Product.objects.get(pk=product.pk).is_public


def test_withdrawn_product_is_hidden_but_its_certificate_still_verifies(users, make_certificate, client):
    certificate = make_certificate()
    product = product_withdraw(certificate.product, actor=users["office"], reason="Nhãn đang được xác minh")
    assert product.status == ProductStatus.WITHDRAWN and product.withdrawn_reason == "Nhãn đang được xác minh"
    assert _public_page(client, product).status_code == 404
    verify = client.get(reverse("catalogue:verify", args=[certificate.public_code]))
    assert verify.status_code == 200
    page = verify.content.decode()
    assert reverse("catalogue:product", args=[product.slug]) not in page  # no link to a 404
    assert "đang tạm ẩn" in page
    # A new certificate does not undo a deliberate withdrawal.
    certificate_issue(
        product, stars=4, issued_on=certificate.issued_on + dt.timedelta(days=30), actor=users["office"]
    )
    assert Product.objects.get(pk=product.pk).status == ProductStatus.WITHDRAWN
    # Nor does an edit: coming back is its own action.
    with pytest.raises(ValidationError):
        product_update(Product.objects.get(pk=product.pk), actor=users["office"], status=ProductStatus.ACTIVE)
    restored = product_restore(product, actor=users["office"])
    assert restored.is_public and restored.withdrawn_reason == ""
    assert _public_page(client, restored).status_code == 200


def test_withdraw_and_restore_from_the_product_page(users, make_certificate, client):
    product = make_certificate().product
    client.force_login(users["office"])
    detail = client.get(reverse("backoffice:product_detail", args=[product.pk]))
    assert "Tạm ẩn khỏi trang công khai" in detail.content.decode()
    url = reverse("backoffice:product_visibility", args=[product.pk])
    response = client.post(url, {"reason": "", "version": product.version}, follow=True)
    assert "Ghi lý do" in response.content.decode()
    assert Product.objects.get(pk=product.pk).is_public
    client.post(url, {"reason": "Sai tên chủ thể, đang xác minh", "version": product.version})
    product.refresh_from_db()
    assert product.status == ProductStatus.WITHDRAWN
    assert (
        "Sai tên chủ thể"
        in client.get(reverse("backoffice:product_detail", args=[product.pk])).content.decode()
    )
    client.post(url, {"action": "restore", "version": product.version})
    assert Product.objects.get(pk=product.pk).is_public


def test_a_commune_officer_sees_no_withdraw_form_and_cannot_post_it(users, make_certificate, client):
    product = make_certificate().product  # Chi Lăng, the officer's commune
    client.force_login(users["officer"])
    detail = client.get(reverse("backoffice:product_detail", args=[product.pk]))
    assert detail.status_code == 200 and "product_visibility" not in detail.content.decode()
    url = reverse("backoffice:product_visibility", args=[product.pk])
    assert client.post(url, {"reason": "x", "version": product.version}).status_code == 403
    assert Product.objects.get(pk=product.pk).is_public


def test_a_certified_product_without_producer_has_working_pages(users, client, communes, today):
    product = ProductFactory(producer=None, commune=communes["06463"], status=ProductStatus.DRAFT)
    certificate = certificate_issue(product, stars=3, issued_on=today, actor=users["office"])
    verify = client.get(reverse("catalogue:verify", args=[certificate.public_code]))
    assert verify.status_code == 200 and "Đang cập nhật" in verify.content.decode()
    client.force_login(users["officer"])  # the product's own commune: the officer may see it
    detail = client.get(reverse("backoffice:product_detail", args=[product.pk]))
    assert detail.status_code == 200 and "Thiếu chủ thể" in detail.content.decode()


def test_lists_exports_and_reminders_work_for_a_product_without_producer(users, client, communes, today):
    from certificates.models import Certificate
    from certificates.reminders import reminder_text
    from reports.exports import certificate_rows, standard_rows

    product = ProductFactory(producer=None, commune=communes["06463"], name="Hồng không chủ thể")
    certificate = certificate_issue(product, stars=3, issued_on=today, actor=users["office"])
    client.force_login(users["officer"])
    listing = client.get(reverse("certificates:index"))
    assert listing.status_code == 200 and "Hồng không chủ thể" in listing.content.decode()
    rows = [r for r in certificate_rows(users["officer"], {}) if r[3] == "Hồng không chủ thể"]
    assert rows and rows[0][4] == "" and rows[0][5] == communes["06463"].name
    standard = [
        r for r in standard_rows(Certificate.objects.filter(pk=certificate.pk)) if r[1] == product.name
    ]
    assert standard[0][2] == "" and standard[0][4] == communes["06463"].name
    subject, body = reminder_text(certificate, "30", today)
    assert "Hồng không chủ thể" in subject + body
