import datetime as dt

import pytest

from core.testing import ProducerFactory, ProductFactory
from products.models import Classification
from sales.models import SalesRecord
from sales.months import add_months, this_month


def record(product, month, channel, units, revenue):
    return SalesRecord.objects.create(
        product=product, month=month, channel=channel, units=units, revenue=revenue
    )


@pytest.fixture
def sales_data(users, communes):
    """Figures for the producer account's producer (Chi Lăng), another Chi Lăng producer and a
    producer of another commune, over this year and last year."""
    year = this_month().year
    jan, feb = dt.date(year, 1, 1), dt.date(year, 2, 1)
    last_year = dt.date(year - 1, 12, 1)
    fruit = Classification.objects.get(scheme="QD26-2026", code="I.1.a")
    drink = Classification.objects.filter(scheme="QD26-2026", is_leaf=True, group__code="II").first()
    mine = users["producer_account_of"]
    p_mine = ProductFactory(producer=mine, name="Xúc xích Sầm Thu", category=fruit)
    p_own = ProductFactory(producer=users["own_producer"], name="Na dai Chi Lăng", category=fruit)
    p_foreign = ProductFactory(producer=users["foreign_producer"], name="Thạch đen Thất Khê", category=drink)
    records = [
        record(p_mine, jan, "shopee", 10, 1_500_000),
        record(p_mine, jan, "own_shop", 5, 700_000),
        record(p_mine, feb, "shopee", 12, 1_800_000),
        record(p_own, jan, "supermarket", 100, 4_000_000),
        record(p_own, feb, "ocop_showroom", 40, 2_000_000),
        record(p_foreign, feb, "export", 300, 9_000_000),
        record(p_foreign, last_year, "export", 999, 99_000_000),  # another year: never counted
    ]
    return {
        "year": year,
        "jan": jan,
        "feb": feb,
        "mine": p_mine,
        "own": p_own,
        "foreign": p_foreign,
        "records": records,
        "future": add_months(this_month(), 1),
    }


@pytest.fixture
def many_producers(users):
    def make(n):
        for _ in range(n):
            producer = ProducerFactory(commune=users["chi_lang"])
            ProductFactory(producer=producer)

    return make
