"""core.lookups: `__in` with ids beyond the database's integer range finds nothing instead of
failing, so the multiple-choice fields of the back-office forms refuse them with a message."""

import os

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from core.testing import ProductFactory
from evaluation.models import Round
from products.models import Product

HUGE = 99_999_999_999_999_999_999  # beyond 64 bits: SQLite's driver raised OverflowError

pytestmark = pytest.mark.django_db


def test_in_drops_values_out_of_the_integer_range():
    product = ProductFactory()
    assert list(Product.objects.filter(pk__in=[HUGE, product.pk])) == [product]
    assert not Product.objects.filter(pk__in=[HUGE]).exists()
    assert not Product.objects.filter(pk__in=[-HUGE]).exists()
    assert list(Product.objects.filter(producer__in=[HUGE, product.producer_id])) == [product]
    assert list(Product.objects.filter(producer__in=[product.producer])) == [product]
    assert Product.objects.exclude(pk__in=[HUGE]).count() == Product.objects.count()


@pytest.fixture
def office(client):
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)
    client.force_login(User.objects.get(username="vanphong"))
    return client


def test_the_three_forms_that_gave_a_500_refuse_a_huge_id_with_a_message(office):
    """A council's members and a round's dossiers (evaluation), the products of an
    intellectual-property record (registry) and the producers/products of a raw-material area."""
    round_ = Round.objects.first()
    assigned = set(round_.dossiers.values_list("pk", flat=True))
    cases = [
        (reverse("evaluation:round_new"), "members"),
        (reverse("backoffice:ip_new"), "products"),
        (reverse("areas:create"), "producers"),
        (reverse("areas:create"), "products"),
    ]
    for url, field in cases:
        response = office.post(url, {field: [str(HUGE)]})
        assert response.status_code == 200, (url, field)
        errors = response.context["form"].errors[field]
        assert str(HUGE) in errors[0], (url, field, errors)
    # The assignment form answers with a redirect to the round (its errors are not shown).
    response = office.post(reverse("evaluation:round_assign", args=[round_.pk]), {"dossiers": [str(HUGE)]})
    assert response.status_code == 302
    assert set(round_.dossiers.values_list("pk", flat=True)) == assigned
