"""The sample data of sales, promotion and support: idempotent, marked as samples, plausible."""

import pytest
from django.core.management import call_command
from django.db.models import Sum

from products.models import Product
from promotion.models import Event, Participation
from sales.models import SalesRecord
from sales.months import add_months, this_month
from support.models import Course, Grant, Programme

pytestmark = pytest.mark.django_db


def counts():
    return (
        SalesRecord.objects.count(),
        Event.objects.count(),
        Participation.objects.count(),
        Programme.objects.count(),
        Grant.objects.count(),
        Course.objects.count(),
    )


def test_demo_is_idempotent_and_marked_as_sample():
    with open("/dev/null", "w") as quiet:
        call_command("load_demo", stdout=quiet)
        first = counts()
        figures = list(
            SalesRecord.objects.order_by("product_id", "month", "channel").values_list("units", "revenue")
        )
        call_command("load_demo", stdout=quiet)
    assert counts() == first
    # deterministic: the second run changed nothing
    assert figures == list(
        SalesRecord.objects.order_by("product_id", "month", "channel").values_list("units", "revenue")
    )
    records = SalesRecord.objects.all()
    assert records.count() > 39 * 12
    assert not records.filter(is_sample=False).exists() and "Dữ liệu mẫu" in records.first().note
    months = sorted({m for m in records.values_list("month", flat=True)})
    assert months[0] == add_months(this_month(), -12) and months[-1] == add_months(this_month(), -1)
    assert records.values("product").distinct().count() == Product.objects.filter(is_sample=True).count()
    # fresh custard apple sells in summer, not in spring
    na = records.filter(product__name="Na Hòa Lạc")
    august = na.filter(month__month=8).aggregate(s=Sum("units"))["s"]
    march = na.filter(month__month=3).aggregate(s=Sum("units"))["s"] or 0
    assert august > 5 * march
    assert all("(dữ liệu mẫu)" in e.name and e.is_sample for e in Event.objects.all())
    assert (
        Event.objects.get(name="Hội chợ OCOP Lạng Sơn 2025 (dữ liệu mẫu)")
        .participations.filter(results_recorded_at__isnull=False)
        .exists()
    )
    assert sum(1 for e in Event.objects.all() if e.timing() == "upcoming") == 1
    assert all(p.is_sample and "(dữ liệu mẫu)" in p.name for p in Programme.objects.all())
    assert Grant.objects.filter(producer__name="HTX Chế biến nông sản Lụa Vy").count() == 3
    assert all(g.is_sample for g in Grant.objects.all()) and Course.objects.count() == 2
