"""The one rule for when a certificate is valid: Certificate.objects.valid(on=day) and valid_q
(certificates.models), today and on a past day."""

import datetime as dt

import pytest
from django.db.models import Count

from certificates.models import Certificate, add_months, valid_q
from core.testing import ProductFactory
from products.models import ProductStatus

pytestmark = pytest.mark.django_db


def _certificate(product, issued_on, *, is_current=True, **kwargs):
    return Certificate.objects.create(
        product=product,
        stars=kwargs.pop("stars", 3),
        issued_on=issued_on,
        expires_on=kwargs.pop("expires_on", add_months(issued_on, 36)),
        is_current=is_current,
        **kwargs,
    )


def _valid_pks(day=None):
    return set(Certificate.objects.valid(on=day).values_list("pk", flat=True))


def test_valid_today_is_current_unexpired_and_unrevoked(users, today):
    producer = users["own_producer"]
    ok = _certificate(ProductFactory(producer=producer), today - dt.timedelta(days=400))
    ends_today = _certificate(
        ProductFactory(producer=producer), today - dt.timedelta(days=99), expires_on=today
    )
    expired = _certificate(
        ProductFactory(producer=producer),
        today - dt.timedelta(days=99),
        expires_on=today - dt.timedelta(days=1),
    )
    revoked_today = _certificate(
        ProductFactory(producer=producer), today - dt.timedelta(days=99), revoked_on=today
    )
    revoked_later = _certificate(
        ProductFactory(producer=producer),
        today - dt.timedelta(days=99),
        revoked_on=today + dt.timedelta(days=5),
    )
    superseded = _certificate(ok.product, today - dt.timedelta(days=900), is_current=False)

    valid = _valid_pks()
    assert valid == {ok.pk, ends_today.pk, revoked_later.pk}
    assert {expired.pk, revoked_today.pk, superseded.pk}.isdisjoint(valid)
    # The instance form says the same for the current certificates.
    for c in (ok, ends_today, expired, revoked_today):
        assert c.is_valid == (c.pk in valid)


def test_valid_on_a_past_day_is_the_certificate_in_force_then(users, today):
    """is_current tells only today's state: on a past day the certificate then in force counts,
    superseded or not since."""
    y = today.year
    product = ProductFactory(producer=users["own_producer"])
    first = _certificate(product, dt.date(y - 4, 3, 1), is_current=False)  # expires 01/03 of y - 1
    second = _certificate(product, dt.date(y - 2, 6, 1))  # re-issued (upgrade): supersedes the first
    revoked = _certificate(
        ProductFactory(producer=users["own_producer"]), dt.date(y - 4, 3, 1), revoked_on=dt.date(y - 3, 5, 1)
    )

    assert _valid_pks(dt.date(y - 4, 2, 28)) == set()  # nothing issued yet
    assert _valid_pks(dt.date(y - 4, 12, 31)) == {first.pk, revoked.pk}  # first is not current today
    assert _valid_pks(dt.date(y - 3, 12, 31)) == {first.pk}  # revoked on 01/05
    assert _valid_pks(dt.date(y - 2, 12, 31)) == {second.pk}  # first unexpired, but superseded
    assert _valid_pks(today) == {second.pk}


def test_the_condition_counts_per_day_in_one_aggregate(users):
    """valid_q is what the year-end statistics aggregate with, one filter per day."""
    product = ProductFactory(producer=users["own_producer"])
    _certificate(product, dt.date(2021, 3, 1), is_current=False)
    _certificate(product, dt.date(2023, 6, 1))
    days = [dt.date(2020, 12, 31), dt.date(2021, 12, 31), dt.date(2023, 12, 31)]
    counts = Certificate.objects.aggregate(
        **{f"d{i}": Count("product_id", distinct=True, filter=valid_q(day)) for i, day in enumerate(days)}
    )
    assert counts == {"d0": 0, "d1": 1, "d2": 1}


def test_a_past_day_cannot_be_applied_across_a_relation():
    with pytest.raises(ValueError):
        valid_q(dt.date(2020, 12, 31), prefix="certificates__")


def test_public_certificates_compose_both_rules(users, today):
    producer = users["own_producer"]
    shown = _certificate(ProductFactory(producer=producer), today - dt.timedelta(days=30))
    draft = _certificate(
        ProductFactory(producer=producer, status=ProductStatus.DRAFT), today - dt.timedelta(days=30)
    )
    retired = _certificate(
        ProductFactory(producer=producer, status=ProductStatus.RETIRED), today - dt.timedelta(days=30)
    )
    lapsed = _certificate(ProductFactory(producer=producer), today - dt.timedelta(days=2000))

    public = set(Certificate.objects.of_public_products().values_list("pk", flat=True))
    assert public == {shown.pk, retired.pk, lapsed.pk}
    assert set(Certificate.objects.valid().of_public_products()) == {shown, retired}
    assert draft.pk in _valid_pks()  # valid, yet not for the public
