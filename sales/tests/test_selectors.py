"""The aggregates equal the sums of the records they stand for, in a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from core.testing import ProducerFactory, ProductFactory
from sales.models import SalesRecord
from sales.selectors import producer_trend, province_sales_summary

pytestmark = pytest.mark.django_db


def sums(qs):
    total = qs.aggregate(u=Sum("units"), r=Sum("revenue"))
    return (total["u"] or 0, total["r"] or 0)


def test_province_summary_equals_the_records(sales_data):
    year = sales_data["year"]
    summary = province_sales_summary(year)
    in_year = SalesRecord.objects.filter(month__year=year)
    assert (summary.units, summary.revenue) == sums(in_year) == (467, 19_000_000)
    assert summary.records == in_year.count() == 6
    assert summary.producers == 3 and summary.products == 3
    for table in (summary.by_channel, summary.by_group, summary.by_commune, summary.by_month):
        assert sum(f.units for f in table) == summary.units
        assert sum(f.revenue for f in table) == summary.revenue
    for figure in summary.by_channel:
        assert (figure.units, figure.revenue) == sums(in_year.filter(channel=figure.key))
    for figure in summary.by_month:
        assert (figure.units, figure.revenue) == sums(in_year.filter(month=figure.key))
    assert len(summary.by_month) == 12
    by_group = {f.key: f.revenue for f in summary.by_group}
    assert by_group["I"] == sums(in_year.filter(product__category__group__code="I"))[1] == 10_000_000
    assert round(sum(f.share for f in summary.by_channel)) == 100


def test_commune_summary_counts_only_those_communes(sales_data, users):
    year = sales_data["year"]
    chi_lang = users["chi_lang"]
    summary = province_sales_summary(year, communes=[chi_lang])
    expected = sums(SalesRecord.objects.filter(month__year=year, product__commune=chi_lang))
    assert (summary.units, summary.revenue) == expected == (167, 10_000_000)
    assert [f.label for f in summary.by_commune] == [str(chi_lang)]
    assert "export" not in {f.key for f in summary.by_channel}
    # ids work as well as objects; an empty list is an empty summary
    assert province_sales_summary(year, communes=[chi_lang.pk]).revenue == 10_000_000
    assert province_sales_summary(year, communes=[]).revenue == 0


def test_product_without_commune_counts_under_its_producers_commune(users):
    product = ProductFactory(producer=users["own_producer"], commune=None)
    SalesRecord.objects.create(
        product=product, month=dt.date(2026, 3, 1), channel="zalo", units=3, revenue=30
    )
    summary = province_sales_summary(2026, communes=[users["chi_lang"]])
    assert summary.revenue == 30 and summary.by_commune[0].label == str(users["chi_lang"])


def test_producer_trend_equals_its_records(sales_data, users):
    year = sales_data["year"]
    months = [dt.date(year, m, 1) for m in range(1, 13)]
    producer = users["producer_account_of"]
    trend = producer_trend(producer, months=months)
    own = SalesRecord.objects.filter(product__producer=producer, month__year=year)
    assert (trend.units, trend.revenue) == sums(own) == (27, 4_000_000)
    assert [f.revenue for f in trend.by_month[:2]] == [2_200_000, 1_800_000]
    assert all(f.revenue == 0 for f in trend.by_month[2:])
    assert {f.key: f.revenue for f in trend.by_channel} == {"shopee": 3_300_000, "own_shop": 700_000}
    assert trend.matrix["shopee"][:2] == [1_500_000, 1_800_000]
    assert sum(f.revenue for f in trend.by_product) == trend.revenue


def _queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx)


def test_aggregates_run_a_fixed_number_of_queries(sales_data, users):
    year = sales_data["year"]
    few_summary = _queries(lambda: province_sales_summary(year))
    few_trend = _queries(lambda: producer_trend(users["producer_account_of"]))
    for n in range(15):
        producer = ProducerFactory(commune=users["other_commune"] if n % 2 else users["chi_lang"])
        product = ProductFactory(producer=producer)
        for month in (1, 2, 3):
            for channel in ("shopee", "zalo", "export"):
                SalesRecord.objects.create(
                    product=product, month=dt.date(year, month, 1), channel=channel, units=n, revenue=n * 1000
                )
    assert _queries(lambda: province_sales_summary(year)) == few_summary <= 6
    assert _queries(lambda: producer_trend(users["producer_account_of"])) == few_trend <= 2
