import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from core.testing import ProductFactory
from sales.models import SalesRecord

pytestmark = pytest.mark.django_db


def test_one_record_per_product_month_and_channel(users):
    product = ProductFactory(producer=users["own_producer"])
    SalesRecord.objects.create(
        product=product, month=dt.date(2026, 1, 1), channel="shopee", units=1, revenue=1
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SalesRecord.objects.create(
            product=product, month=dt.date(2026, 1, 1), channel="shopee", units=2, revenue=2
        )
    # Another channel or another month is a different record.
    SalesRecord.objects.create(
        product=product, month=dt.date(2026, 1, 1), channel="lazada", units=1, revenue=1
    )
    SalesRecord.objects.create(
        product=product, month=dt.date(2026, 2, 1), channel="shopee", units=1, revenue=1
    )
    assert SalesRecord.objects.count() == 3


@pytest.mark.parametrize(
    "values",
    [
        {"units": -1, "revenue": 0},
        {"units": 0, "revenue": -5},
        {"units": 1, "revenue": 1, "month": dt.date(2026, 1, 15)},
    ],
)
def test_database_refuses_negative_numbers_and_mid_month_dates(users, values):
    product = ProductFactory(producer=users["own_producer"])
    data = {"month": dt.date(2026, 1, 1), "channel": "shopee", **values}
    with pytest.raises(IntegrityError), transaction.atomic():
        SalesRecord.objects.create(product=product, **data)
    assert not SalesRecord.objects.exists()


def test_model_validation_names_the_unique_rule(users):
    from django.core.exceptions import ValidationError

    product = ProductFactory(producer=users["own_producer"])
    SalesRecord.objects.create(product=product, month=dt.date(2026, 1, 1), channel="shopee")
    duplicate = SalesRecord(product=product, month=dt.date(2026, 1, 1), channel="shopee")
    with pytest.raises(ValidationError, match="đã có số liệu của kênh này"):
        duplicate.full_clean()


def test_records_keep_history(users):
    product = ProductFactory(producer=users["own_producer"])
    record = SalesRecord.objects.create(product=product, month=dt.date(2026, 1, 1), channel="shopee", units=1)
    record.units = 2
    record.save()
    assert record.history.count() == 2
