import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from certificates.models import Certificate, Decision, RevocationReason, Violation
from certificates.selectors import pending_violations
from certificates.services import certificate_record_violation, certificate_revoke
from notices.models import Notice

pytestmark = pytest.mark.django_db


def test_revocation_reasons_follow_article_8():
    assert set(RevocationReason.values) == {
        "false_dossier",
        "criteria_not_met",
        "violation",
        "mark_misuse",
        "production_stopped",
        "other_finding",
    }


def record(users, certificate, found_on, reason="mark_misuse", actor="office"):
    return certificate_record_violation(
        certificate,
        found_on=found_on,
        reason=reason,
        details="Đoàn kiểm tra liên ngành phát hiện dùng biểu trưng OCOP trên sản phẩm khác.",
        actor=users[actor],
    )


def revoke(users, certificate, revoked_on, number="88/QĐ-UBND", actor="office", reason="mark_misuse"):
    return certificate_revoke(
        certificate,
        reason=reason,
        revoked_on=revoked_on,
        decision_number=number,
        note="Thu hồi theo kết luận kiểm tra.",
        actor=users[actor],
    )


def test_finding_starts_the_15_day_deadline_then_revocation_settles_it(users, today, make_certificate):
    certificate = make_certificate(producer=users["producer_account_of"])
    found = today - dt.timedelta(days=20)
    violation = record(users, certificate, found)
    assert violation.due_on == found + dt.timedelta(days=15)
    assert violation.is_overdue_on(today)
    assert list(pending_violations()) == [violation]

    revoked = revoke(users, certificate, today - dt.timedelta(days=2))
    assert revoked.revoked_on == today - dt.timedelta(days=2)
    assert revoked.status == "revoked" and not revoked.is_valid
    assert revoked.revocation_reason == "mark_misuse"
    decision = revoked.revocation_decision
    assert decision.kind == Decision.Kind.REVOCATION and decision.issuer == Certificate.Issuer.PROVINCE
    assert decision.number == "88/QĐ-UBND" and decision.signed_on == revoked.revoked_on
    violation.refresh_from_db()
    assert violation.revocation_decision == decision and not violation.is_overdue_on(today)
    assert not pending_violations().exists()
    assert revoked.history.first().history_change_reason == "Thu hồi giấy chứng nhận"
    assert revoked.history.first().history_user == users["office"]
    # The producer account and the commune officer are told.
    told = set(Notice.objects.values_list("user__username", flat=True))
    assert told == {"producer", "officer"}


def test_five_star_certificates_are_revoked_by_the_ministry(users, today, make_certificate):
    certificate = make_certificate(stars=5, issuer=Certificate.Issuer.MINISTRY)
    record(users, certificate, today - dt.timedelta(days=1), reason="criteria_not_met")
    revoked = revoke(users, certificate, today, number="12/QĐ-BNNMT", reason="criteria_not_met")
    assert revoked.revocation_decision.issuer == Certificate.Issuer.MINISTRY


def test_one_decision_may_revoke_several_certificates(users, today, make_certificate):
    a, b = make_certificate(), make_certificate()
    for c in (a, b):
        record(users, c, today - dt.timedelta(days=3))
        revoke(users, c, today - dt.timedelta(days=1), number="5/QĐ-UBND")
    assert Decision.objects.filter(kind="revocation").count() == 1


def test_revoking_twice_is_refused(users, today, make_certificate):
    certificate = make_certificate()
    record(users, certificate, today - dt.timedelta(days=3))
    revoke(users, certificate, today - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        revoke(users, certificate, today)
    assert (
        "đã bị thu hồi ngày" in exc.value.messages[0] and "không thể thu hồi lần nữa" in exc.value.messages[0]
    )
    with pytest.raises(ValidationError, match="đã bị thu hồi"):
        record(users, certificate, today)


def test_revocation_dates_cannot_precede_the_finding_or_the_issue(users, today, make_certificate):
    certificate = make_certificate(issued_on=today - dt.timedelta(days=100))
    with pytest.raises(ValidationError) as exc:
        record(users, certificate, today - dt.timedelta(days=101))
    assert "không được trước ngày cấp" in str(exc.value)
    with pytest.raises(ValidationError, match="sau hôm nay"):
        record(users, certificate, today + dt.timedelta(days=1))
    record(users, certificate, today - dt.timedelta(days=10))
    with pytest.raises(ValidationError) as exc:
        revoke(users, certificate, today - dt.timedelta(days=11))
    assert "không được trước ngày phát hiện vi phạm" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError) as exc:
        revoke(users, certificate, today - dt.timedelta(days=101))
    assert "không được trước ngày cấp" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError) as exc:
        revoke(users, certificate, today, number=" ")
    assert "decision_number" in exc.value.message_dict
    certificate.refresh_from_db()
    assert certificate.revoked_on is None


def test_revocation_needs_a_recorded_finding(users, today, make_certificate):
    certificate = make_certificate()
    with pytest.raises(ValidationError, match="ghi nhận vi phạm trước khi thu hồi"):
        revoke(users, certificate, today)


def test_finding_needs_details(users, today, make_certificate):
    certificate = make_certificate()
    with pytest.raises(ValidationError) as exc:
        certificate_record_violation(
            certificate, found_on=today, reason="violation", details="  ", actor=users["office"]
        )
    assert "details" in exc.value.message_dict
    assert not Violation.objects.exists()


@pytest.mark.parametrize("role", ["council", "officer", "producer", "nobody"])
def test_only_the_office_records_and_revokes(users, today, make_certificate, role):
    certificate = make_certificate(producer=users["producer_account_of"])
    with pytest.raises(PermissionDenied):
        record(users, certificate, today, actor=role)
    record(users, certificate, today)
    with pytest.raises(PermissionDenied):
        revoke(users, certificate, today, actor=role)
    certificate.refresh_from_db()
    assert certificate.revoked_on is None


def test_the_internal_note_stays_internal_and_the_public_reason_is_shown(
    client, users, today, make_certificate
):
    """The office writes both on the revocation form: the public verification page and the public
    API show the ground and the public reason, never the internal note."""
    from django.urls import reverse

    certificate = make_certificate(producer=users["producer_account_of"])
    record(users, certificate, today)
    client.force_login(users["office"])
    response = client.post(
        reverse("certificates:revoke", args=[certificate.pk]),
        {
            "reason": "mark_misuse",
            "revoked_on": today.strftime("%d/%m/%Y"),
            "decision_number": "90/QĐ-UBND",
            "public_reason": "Dùng biểu trưng OCOP  trên sản phẩm chưa được công nhận.",
            "note": "Theo tin báo của bà Hoàng Thị B, số điện thoại 0912 345 678.",
        },
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.public_reason == "Dùng biểu trưng OCOP trên sản phẩm chưa được công nhận."
    assert "Hoàng Thị B" in certificate.revoked_reason
    office_page = client.get(reverse("certificates:detail", args=[certificate.pk])).content.decode()
    assert "Hoàng Thị B" in office_page and "chưa được công nhận" in office_page

    client.logout()
    public = client.get(reverse("catalogue:verify", args=[certificate.public_code])).content.decode()
    assert (
        "Sử dụng sai biểu trưng (logo) OCOP: Dùng biểu trưng OCOP trên sản phẩm chưa được công nhận."
        in public
    )
    api = client.get(f"/api/v1/certificates/{certificate.public_code}/").content.decode()
    assert certificate.public_code in api
    for body in (public, api):
        assert "Hoàng Thị B" not in body and "0912" not in body
    # The decision's note is the internal note too: not public either.
    assert (
        "Hoàng Thị B"
        not in client.get(f"/api/v1/certificates/?product={certificate.product_id}").content.decode()
    )


def test_a_public_reason_longer_than_500_characters_is_refused(users, today, make_certificate):
    certificate = make_certificate(producer=users["producer_account_of"])
    record(users, certificate, today)
    with pytest.raises(ValidationError) as exc:
        certificate_revoke(
            certificate,
            reason="mark_misuse",
            revoked_on=today,
            decision_number="91/QĐ-UBND",
            public_reason="x" * 501,
            actor=users["office"],
        )
    assert "500 ký tự" in exc.value.message_dict["public_reason"][0]
