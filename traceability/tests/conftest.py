import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from areas.models import DiaryEntry, DiaryKind, Season
from areas.services import area_create, certification_add
from areas.tests.shapes import small_square
from certificates.models import Certificate
from core.testing import ProductFactory
from traceability.services import batch_create

DAY = dt.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def honey(users):
    """A public honey product of the producer account's producer (Chi Lăng), with a 4-star
    certificate issued a year ago."""
    product = ProductFactory(
        name="Mật ong bạc hà Chi Lăng", slug="mat-ong-bac-ha", producer=users["producer_account_of"]
    )
    day = timezone.localdate()
    Certificate.objects.create(
        product=product,
        number="12/GCN-OCOP",
        stars=4,
        issued_on=day - 365 * DAY,
        expires_on=day + 700 * DAY,
    )
    return product


@pytest.fixture
def area(users, honey):
    area = area_create(
        actor=users["office"],
        name="Vùng nuôi ong Chi Lăng",
        kind="livestock",
        crop="Ong mật",
        declared_ha=Decimal("4.6"),
        commune=users["chi_lang"],
        geometry=small_square(106.70, 21.85),
        producers=[users["producer_account_of"]],
        products=[honey],
    )
    day = timezone.localdate()
    certification_add(
        area,
        actor=users["office"],
        kind="vietgap",
        number="VietGAP-CN-123",
        valid_from=day - 100 * DAY,
        valid_until=day + 600 * DAY,
    )
    return area


@pytest.fixture
def harvest(area):
    day = timezone.localdate()
    season = Season.objects.create(area=area, name="Vụ mật 2026", start_date=day - 120 * DAY)
    return DiaryEntry.objects.create(
        season=season, kind=DiaryKind.HARVEST, date=day - 20 * DAY, quantity=Decimal("150"), unit="kg"
    )


@pytest.fixture
def make_batch(users, honey):
    def make(actor=None, harvests=None, **data):
        day = timezone.localdate()
        values = {
            "product": honey,
            "lot": "L2026-01",
            "produced_on": day - 10 * DAY,
            "expires_on": day + 700 * DAY,
            "quantity": Decimal("120"),
            "unit": "lo",
        }
        values.update(data)
        return batch_create(values, actor=actor or users["producer"], harvests=harvests)

    return make
