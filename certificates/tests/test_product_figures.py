"""The figures the catalogue reads on the product (Product.current_stars, valid_until) are those of
its certificates after any sequence of certificate services and on any later day: random sequences
of issue, historical record, completion, hold, end of hold, revocation and the passing of days, checked
after every step against the certificates themselves (certificates.models.valid_q)."""

import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils import timezone

from certificates.models import QD26_IN_FORCE, Certificate, not_revoked_q, product_certified_q
from certificates.services import (
    certificate_complete,
    certificate_end_hold,
    certificate_hold,
    certificate_issue,
    certificate_record_historical,
    certificate_record_violation,
    certificate_revoke,
    product_figures_reconcile,
    product_figures_refresh,
)
from core.testing import ProductFactory
from products.models import Product

STEPS = 12


class Clock:
    """timezone.localdate() moved forward by the test (every reader calls it through the module)."""

    def __init__(self, monkeypatch):
        self.day = timezone.localdate()
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: self.day)


def expected_figures(product: Product, day: dt.date) -> tuple[int | None, dt.date | None]:
    """From the certificates, in Python: the current one's star and last day unless revoked."""
    current = [c for c in Certificate.objects.filter(product=product) if c.is_current]
    assert len(current) <= 1
    if not current or (current[0].revoked_on and current[0].revoked_on <= day):
        return None, None
    return current[0].stars, current[0].in_force_until


def check(products, day: dt.date) -> None:
    for product in products:
        product.refresh_from_db()
        assert (product.current_stars, product.valid_until) == expected_figures(product, day), product.pk
    # The catalogue's "certified today" is the canonical rule ...
    by_figures = set(Product.objects.filter(product_certified_q()).values_list("pk", flat=True))
    valid = Certificate.objects.valid().filter(product=OuterRef("pk"))
    assert by_figures == set(Product.objects.filter(Exists(valid)).values_list("pk", flat=True))
    # ... and its star filter the current certificate's star unless revoked, expired or not.
    for stars in (3, 4, 5):
        rated = Certificate.objects.filter(
            not_revoked_q(day), product=OuterRef("pk"), is_current=True, stars=stars
        )
        assert set(Product.objects.filter(current_stars=stars).values_list("pk", flat=True)) == set(
            Product.objects.filter(Exists(rated)).values_list("pk", flat=True)
        )
    # Nothing left for the daily job to repair.
    assert product_figures_reconcile() == 0


def _criteria(day: dt.date) -> str:
    return "QD26-2026" if day >= QD26_IN_FORCE else "QD148-2023"


def step(rng: random.Random, clock: Clock, products, office) -> str:
    day = clock.day
    product = rng.choice(products)
    current = Certificate.objects.filter(product=product, is_current=True).first()
    action = rng.choice(["issue", "historical", "complete", "hold", "end_hold", "revoke", "days", "days"])
    if action == "issue":
        issued = day - dt.timedelta(days=rng.choice([0, 30, 400, 1000, 1090, 1100, 1300]))
        certificate_issue(
            product,
            stars=rng.choice([3, 4, 5]),
            issued_on=issued,
            criteria_set=_criteria(issued),
            actor=office,
            check_perm=False,
        )
    elif action == "historical":
        issued = day - dt.timedelta(days=rng.choice([10, 500, 1000, 1095, 1200, 2000]))
        stars = rng.choice([3, 4])
        certificate_record_historical(
            product,
            stars=stars,
            issued_on=issued,
            criteria_set=_criteria(issued),
            number=f"{rng.randint(1, 99)}/LS",
            actor=office,
            check_perm=False,
        )
    elif action == "complete" and current and not current.decision_id:
        issued = current.issued_on - dt.timedelta(days=rng.choice([0, 60]))
        certificate_complete(
            current,
            decision_number="1/QĐ-UBND",
            decision_date=issued,
            issued_on=issued,
            actor=office,
        )
    elif action == "hold" and current:
        certificate_hold(current, actor=office)
    elif action == "end_hold" and current:
        certificate_end_hold(current, on=day - dt.timedelta(days=rng.choice([0, 20, 200])), actor=office)
    elif action == "revoke" and current and not current.revoked_on:
        certificate_record_violation(
            current,
            found_on=max(current.issued_on, day - dt.timedelta(days=3)),
            reason="mark_misuse",
            details="Dùng biểu trưng sai.",
            actor=office,
        )
        certificate_revoke(
            current,
            reason="mark_misuse",
            revoked_on=max(current.issued_on, day - dt.timedelta(days=rng.choice([0, 2]))),
            decision_number=f"{rng.randint(1, 999)}/QĐ-UBND",
            actor=office,
        )
    elif action == "days":
        # Time passes: certificates expire, holds run out, without any write.
        clock.day = day + dt.timedelta(days=rng.choice([1, 30, 180, 400]))
    return action


@pytest.mark.parametrize("seed", range(4))
def test_figures_follow_the_certificates_through_random_sequences(users, monkeypatch, seed):
    rng = random.Random(seed)
    clock = Clock(monkeypatch)
    products = [ProductFactory(producer=users["own_producer"], status="active") for _ in range(3)]
    office = users["office"]
    for product, stars in zip(products, (3, 5), strict=False):  # the third starts uncertified
        certificate_issue(product, stars=stars, issued_on=clock.day, actor=office, check_perm=False)
    done = []
    for _ in range(STEPS):
        try:
            done.append(step(rng, clock, products, office))
        except ValidationError:
            done.append("refused")  # a service refused the step: nothing changed
        check(products, clock.day)
    assert len([action for action in done if action != "refused"]) >= STEPS // 2, done


def test_a_write_that_bypasses_the_services_is_repaired_by_the_daily_job(users, make_certificate, today):
    certificate = make_certificate(stars=4)
    product = certificate.product
    product.refresh_from_db()
    assert (product.current_stars, product.valid_until) == (4, certificate.expires_on)
    Certificate.objects.filter(pk=certificate.pk).update(revoked_on=today)  # no service: stale
    assert Product.objects.filter(pk=product.pk, current_stars=4).exists()
    assert product_figures_reconcile() == 1
    product.refresh_from_db()
    assert (product.current_stars, product.valid_until) == (None, None)
    assert product_figures_reconcile() == 0


def test_saving_a_product_read_before_its_certificate_keeps_the_figures(users, make_certificate):
    product = ProductFactory(producer=users["own_producer"], status="active")
    certificate = make_certificate(stars=5, product=product)  # `product` in memory: no figures
    product.name = "Tên mới"
    product.save()
    product.refresh_from_db()
    assert product.name == "Tên mới"
    assert (product.current_stars, product.valid_until) == (5, certificate.expires_on)


def test_refresh_is_set_based_and_batched(users, make_certificate, django_assert_max_num_queries):
    certificates = [make_certificate(stars=3) for _ in range(3)]
    Product.objects.update(current_stars=None, valid_until=None)
    ids = [c.product_id for c in certificates] * 400  # 1,200 ids, 3 distinct
    with django_assert_max_num_queries(1):
        product_figures_refresh(ids)
    assert set(Product.objects.filter(current_stars=3).values_list("pk", flat=True)) == set(ids)


def test_an_edit_in_the_django_admin_refreshes_the_figures(make_certificate, today):
    from django.test import Client
    from django.urls import reverse

    from core.testing import make_user

    certificate = make_certificate(stars=4)
    root = make_user("root", "", superuser=True)
    root.is_staff = True
    root.save()
    admin = Client()
    admin.force_login(root)
    url = reverse("admin:certificates_certificate_change", args=[certificate.pk])
    form = admin.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        stars=3, issued_on=certificate.issued_on.isoformat(), expires_on=certificate.expires_on.isoformat()
    )
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    response = admin.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    product = Product.objects.get(pk=certificate.product_id)
    assert (product.current_stars, product.valid_until) == (3, certificate.expires_on)
