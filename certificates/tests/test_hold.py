"""Điều 12 of Decision 26/2026: a 148-era certificate whose holder applied for re-evaluation stays
valid until the decision, at most 180 days after expiry; valid_q, with_status and status_on agree."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from certificates.models import Certificate, CertificateStatus
from certificates.services import certificate_end_hold, certificate_hold, certificate_issue, hold_limit
from core.testing import ProductFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _old(users, *, expired_days_ago, criteria_set="QD148-2023"):
    product = ProductFactory(producer=users["own_producer"])
    expires = TODAY - dt.timedelta(days=expired_days_ago)
    certificate = certificate_issue(
        product,
        stars=3,
        issued_on=expires.replace(year=expires.year - 3),
        actor=users["office"],
        criteria_set=criteria_set,
    )
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=expires)
    return Certificate.objects.get(pk=certificate.pk)


def _statuses(certificate, day):
    listed = {
        s
        for s in CertificateStatus.values
        if Certificate.objects.with_status(s, day).filter(pk=certificate.pk)
    }
    return certificate.status_on(day), listed


def test_hold_keeps_the_certificate_valid_and_the_three_forms_agree(users):
    certificate = _old(users, expired_days_ago=30)
    assert not Certificate.objects.valid().filter(pk=certificate.pk).exists()
    held = certificate_hold(certificate, actor=users["office"])
    assert held.held_until == certificate.expires_on + dt.timedelta(days=180) == hold_limit(certificate)
    held = Certificate.objects.get(pk=certificate.pk)
    assert held.valid_until == held.held_until
    assert Certificate.objects.valid().filter(pk=held.pk).exists()
    for day in (TODAY, held.held_until, held.held_until + dt.timedelta(days=1)):
        status, listed = _statuses(held, day)
        assert listed == {status}, day
    assert held.status_on(held.held_until) != CertificateStatus.EXPIRED
    assert held.status_on(held.held_until + dt.timedelta(days=1)) == CertificateStatus.EXPIRED
    # The past-day form (statistics at a date) sees the hold too.
    assert Certificate.objects.valid(TODAY - dt.timedelta(days=1)).filter(pk=held.pk).exists()
    assert "valid_until" in str(Certificate.objects.valid().query)
    assert held.history.latest().history_change_reason.startswith("Giữ hiệu lực")


def test_the_decision_ends_the_hold(users):
    certificate = certificate_hold(_old(users, expired_days_ago=5), actor=users["office"])
    ended = certificate_end_hold(certificate, on=TODAY, actor=users["office"])
    assert ended.held_until == TODAY
    assert not Certificate.objects.valid(TODAY + dt.timedelta(days=1)).filter(pk=ended.pk).exists()
    # A decision before expiry removes the hold altogether.
    early = certificate_hold(_old(users, expired_days_ago=-10), actor=users["office"])
    assert certificate_end_hold(early, on=TODAY, actor=users["office"]).held_until is None


def test_refused_holds(users):
    with pytest.raises(ValidationError, match="quá 180 ngày"):
        certificate_hold(_old(users, expired_days_ago=181), actor=users["office"])
    recent = certificate_issue(
        ProductFactory(producer=users["own_producer"]),
        stars=3,
        issued_on=dt.date(2026, 6, 10),
        actor=users["office"],
    )
    with pytest.raises(ValidationError, match="trước Quyết định 26/2026"):
        certificate_hold(recent, actor=users["office"])
    revoked = _old(users, expired_days_ago=10)
    Certificate.objects.filter(pk=revoked.pk).update(revoked_on=revoked.expires_on)
    with pytest.raises(ValidationError, match="thu hồi"):
        certificate_hold(revoked, actor=users["office"])
    assert Certificate.objects.filter(held_until__isnull=False).count() == 0


def test_valid_q_stays_indexable(users):
    """valid_q compares the stored column valid_until (no expression over expiry and hold), so the
    planner answers it from an index ((is_current, valid_until) on a real table; on a test table it
    may prefer the partial index on is_current), never by reading the whole table."""
    from django.db import connection, transaction

    _old(users, expired_days_ago=3)
    sql, params = Certificate.objects.valid().values("pk").query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "USING INDEX" in plan or "Index Scan" in plan, plan
    assert "COALESCE" not in plan.upper() and "COALESCE" not in sql.upper()


def test_the_public_verification_page_explains_the_hold(client, users):
    from django.urls import reverse

    certificate = certificate_hold(_old(users, expired_days_ago=30), actor=users["office"])
    html = client.get(reverse("catalogue:verify", args=[certificate.public_code])).content.decode()
    assert "CÒN HIỆU LỰC" in html
    assert "giữ hiệu lực trong khi chờ quyết định đánh giá lại" in html
    assert certificate.held_until.strftime("%d/%m/%Y") in html
    assert f"Có hiệu lực đến hết ngày {certificate.expires_on.strftime('%d/%m/%Y')}" not in html
