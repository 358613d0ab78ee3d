import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from certificates.models import (
    EXPIRING_WITHIN_DAYS,
    EXPIRING_WITHIN_MONTHS,
    Certificate,
    Decision,
    ReevaluationWindow,
    Violation,
    add_months,
    expiring_limit,
)
from certificates.services import certificate_issue
from core.testing import ProductFactory

pytestmark = pytest.mark.django_db


def test_add_months_handles_month_ends():
    assert add_months(dt.date(2023, 12, 31), 36) == dt.date(2026, 12, 31)
    assert add_months(dt.date(2024, 2, 29), 36) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2025, 3, 31), -6) == dt.date(2024, 9, 30)


def test_expiring_means_within_six_calendar_months():
    assert EXPIRING_WITHIN_MONTHS == 6 and 181 <= EXPIRING_WITHIN_DAYS <= 184
    assert expiring_limit(dt.date(2026, 8, 31)) == dt.date(2027, 2, 28)
    assert expiring_limit(dt.date(2026, 1, 15)) == dt.date(2026, 7, 15)


def test_status_is_derived_from_dates_and_revocation(users):
    product = ProductFactory(producer=users["own_producer"])
    c = certificate_issue(product, stars=3, issued_on=dt.date(2024, 1, 15), actor=users["office"])
    assert c.expires_on == dt.date(2027, 1, 15)
    assert c.status_on(dt.date(2026, 1, 1)) == "valid"
    # Six calendar months before 15/01/2027 is 15/07/2026: from that day on, "expiring".
    assert c.status_on(dt.date(2026, 7, 14)) == "valid"
    assert c.status_on(dt.date(2026, 7, 15)) == "expiring"
    assert c.status_on(dt.date(2026, 11, 1)) == "expiring"
    assert c.status_on(dt.date(2027, 1, 15)) == "expiring"
    assert c.status_on(dt.date(2027, 1, 16)) == "expired"
    assert c.status_label  # the API other apps use stays
    c.revoked_on = dt.date(2025, 5, 1)
    assert c.status_on(dt.date(2025, 4, 30)) == "valid"
    assert c.status_on(dt.date(2025, 5, 1)) == "revoked"


def test_is_valid_covers_valid_and_expiring(users, today):
    product = ProductFactory(producer=users["own_producer"])
    c = certificate_issue(product, stars=3, issued_on=add_months(today, -33), actor=users["office"])
    assert c.status == "expiring" and c.is_valid
    c.revoked_on = today
    assert not c.is_valid


def test_reevaluation_window_180_to_120_days_before_expiry(users):
    product = ProductFactory(producer=users["own_producer"])
    c = certificate_issue(product, stars=4, issued_on=dt.date(2024, 1, 15), actor=users["office"])
    expires = c.expires_on
    assert c.reevaluation_opens_on == expires - dt.timedelta(days=180)
    assert c.reevaluation_closes_on == expires - dt.timedelta(days=120)
    on = c.reevaluation_window_on
    assert on(expires - dt.timedelta(days=211)) == ReevaluationWindow.NOT_YET
    assert on(expires - dt.timedelta(days=210)) == ReevaluationWindow.APPROACHING
    assert on(expires - dt.timedelta(days=180)) == ReevaluationWindow.OPEN
    assert on(expires - dt.timedelta(days=120)) == ReevaluationWindow.OPEN
    assert on(expires - dt.timedelta(days=119)) == ReevaluationWindow.CLOSED
    assert on(expires + dt.timedelta(days=1)) == ReevaluationWindow.NONE
    c.is_current = False
    assert on(expires - dt.timedelta(days=150)) == ReevaluationWindow.NONE


def test_new_certificate_supersedes_the_current_one(users):
    product = ProductFactory(producer=users["own_producer"])
    old = certificate_issue(product, stars=3, issued_on=dt.date(2022, 6, 1), actor=users["office"])
    new = certificate_issue(product, stars=4, issued_on=dt.date(2025, 6, 1), actor=users["office"])
    old.refresh_from_db()
    assert not old.is_current and new.is_current
    assert old.public_code != new.public_code and len(new.public_code) == 10


def test_database_guards_the_invariants(users):
    product = ProductFactory(producer=users["own_producer"])
    certificate_issue(product, stars=3, issued_on=dt.date(2025, 1, 1), actor=users["office"])
    base = {"product": product, "issued_on": dt.date(2025, 2, 1), "expires_on": dt.date(2028, 2, 1)}
    for bad in (
        {"stars": 4},
        {"stars": 2, "is_current": False},
        {"stars": 4, "is_current": False, "score": 120},
        {"stars": 4, "is_current": False, "expires_on": dt.date(2024, 1, 1)},
        {"stars": 4, "is_current": False, "revoked_on": dt.date(2025, 1, 1)},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Certificate.objects.create(**{**base, **bad})


def test_decision_and_violation_constraints(users):
    product = ProductFactory(producer=users["own_producer"])
    c = certificate_issue(product, stars=3, issued_on=dt.date(2025, 1, 1), actor=users["office"])
    Decision.objects.create(number="1/QĐ-UBND", signed_on=dt.date(2025, 1, 1), kind="recognition")
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(number="1/QĐ-UBND", signed_on=dt.date(2025, 1, 1), kind="recognition")
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(number="", signed_on=dt.date(2025, 1, 1), kind="recognition")
    with pytest.raises(IntegrityError), transaction.atomic():
        Violation.objects.create(
            certificate=c, found_on=dt.date(2025, 3, 1), due_on=dt.date(2025, 3, 1), reason="mark_misuse"
        )


def test_service_refuses_out_of_range_stars(users):
    product = ProductFactory(producer=users["own_producer"])
    with pytest.raises(ValidationError):
        certificate_issue(product, stars=2, issued_on=dt.date(2025, 1, 1), actor=users["office"])
    assert not Certificate.objects.filter(product=product).exists()


def test_public_codes_use_every_letter_of_the_alphabet_and_nothing_else():
    from certificates.models import PUBLIC_CODE_ALPHABET, new_public_code

    codes = [new_public_code() for _ in range(2000)]
    letters = "".join(codes)
    assert all(len(code) == 10 for code in codes) and len(set(codes)) == 2000
    assert set(letters) == set(PUBLIC_CODE_ALPHABET)  # 20,000 draws: each of the 32 letters appears
    assert not set(letters) & set("IO01")  # no look-alikes
