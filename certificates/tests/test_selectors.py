import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certificates.models import Certificate, CertificateStatus, add_months
from core.testing import ProductFactory

pytestmark = pytest.mark.django_db

BASE = dt.date(2026, 1, 31)


@pytest.fixture
def spread(users):
    """Certificates with expiries around month ends and revocations before, on and after them."""
    product = ProductFactory(producer=users["own_producer"])
    rows = []
    for i in range(0, 1300, 23):
        issued = BASE - dt.timedelta(days=i)
        expires = add_months(issued, 36)
        revoked = issued + dt.timedelta(days=(i * 7) % 900) if i % 3 == 0 else None
        rows.append(
            Certificate(
                product=product,
                stars=3,
                issued_on=issued,
                expires_on=expires,
                revoked_on=revoked,
                is_current=False,
                public_code=f"T{i:09d}",
            )
        )
    Certificate.objects.bulk_create(rows)
    return list(Certificate.objects.all())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=st.dates(min_value=dt.date(2025, 6, 1), max_value=dt.date(2030, 6, 1)))
def test_database_status_matches_python_status(spread, day):
    qs = Certificate.objects.all()
    for status in CertificateStatus.values:
        in_db = set(qs.with_status(status, on=day).values_list("pk", flat=True))
        in_python = {c.pk for c in spread if c.status_on(day) == status}
        assert in_db == in_python, (status, day)


def test_expiring_within_months_and_valid_certificates(users):
    product = ProductFactory(producer=users["own_producer"])
    day = dt.date(2026, 8, 31)
    c = Certificate.objects.create(
        product=product, stars=3, issued_on=dt.date(2024, 2, 28), expires_on=dt.date(2027, 2, 28)
    )
    assert list(Certificate.objects.expiring_within(6, on=day)) == [c]  # 31/08 + 6 months = 28/02
    assert not Certificate.objects.expiring_within(3, on=day).exists()
    assert list(Certificate.objects.valid(on=day)) == [c]


def test_sqlite_reads_the_current_list_in_its_order_index(users):
    """The office's certificate lists (current certificates, newest first; expiring, soonest
    first): SQLite walks a partial index whose condition is the query's `WHERE is_current`,
    instead of sorting every current certificate for each page (issue 15, at 200,000: a middle
    page 190-370 → 3-10 ms, the expiring list 450 → 5 ms)."""
    from django.db import connection

    from certificates.selectors import certificate_list

    if connection.vendor != "sqlite":
        pytest.skip("the plan checked is SQLite's (PostgreSQL reads certificates_list_order_idx)")
    for filters, index in (
        ({}, "certificates_current_order_idx"),
        ({"within": 6}, "certificates_expiring_idx"),
    ):
        ids = certificate_list(users["office"], **filters).values_list("pk", flat=True)[40:60]
        sql, params = ids.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert index in plan, plan
        assert "TEMP B-TREE" not in plan, plan
