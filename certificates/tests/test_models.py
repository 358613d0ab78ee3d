import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from certificates.models import Certificate, add_months
from certificates.services import certificate_issue
from core.testing import ProductFactory

pytestmark = pytest.mark.django_db


def test_add_months_handles_month_ends():
    assert add_months(dt.date(2023, 12, 31), 36) == dt.date(2026, 12, 31)
    assert add_months(dt.date(2024, 2, 29), 36) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)


def test_status_is_derived_from_dates_and_revocation(users):
    product = ProductFactory(producer=users["own_producer"])
    c = certificate_issue(product, stars=3, issued_on=dt.date(2024, 1, 15), actor=users["office"])
    assert c.expires_on == dt.date(2027, 1, 15)
    assert c.status_on(dt.date(2026, 1, 1)) == "valid"
    assert c.status_on(dt.date(2026, 11, 1)) == "expiring"
    assert c.status_on(dt.date(2027, 1, 15)) == "expiring"
    assert c.status_on(dt.date(2027, 1, 16)) == "expired"
    c.revoked_on = dt.date(2025, 5, 1)
    assert c.status_on(dt.date(2025, 4, 30)) == "valid"
    assert c.status_on(dt.date(2025, 5, 1)) == "revoked"


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
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Certificate.objects.create(**{**base, **bad})


def test_service_refuses_out_of_range_stars(users):
    product = ProductFactory(producer=users["own_producer"])
    with pytest.raises(ValidationError):
        certificate_issue(product, stars=2, issued_on=dt.date(2025, 1, 1), actor=users["office"])
    assert not Certificate.objects.filter(product=product).exists()
