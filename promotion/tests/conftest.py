import datetime as dt

import pytest
from django.utils import timezone

from core.testing import ProductFactory
from promotion.models import Event, Participation


def make_event(name, start, end=None, *, kind="fair", published=True, slug=None):
    from core.text import slugify_vi

    return Event.objects.create(
        name=name,
        slug=slug or slugify_vi(name),
        kind=kind,
        start_date=start,
        end_date=end or start,
        place="Quảng trường 17-10, Lạng Sơn",
        organiser="Sở Công Thương",
        is_published=published,
    )


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def events(users, today):
    past = make_event("Hội chợ OCOP 2025", dt.date(today.year - 1, 11, 20), dt.date(today.year - 1, 11, 24))
    ongoing = make_event(
        "Tuần lễ OCOP đang diễn ra", today - dt.timedelta(days=1), today + dt.timedelta(days=2), kind="week"
    )
    upcoming = make_event(
        "Hội chợ Xuân sắp tới", today + dt.timedelta(days=20), today + dt.timedelta(days=24)
    )
    draft = make_event("Sự kiện nội bộ chưa công bố", today + dt.timedelta(days=40), published=False)
    live = make_event("Livestream năm nay", dt.date(today.year, 1, 1), kind="livestream")
    product = ProductFactory(producer=users["own_producer"], name="Na dai Chi Lăng", slug="na-dai-chi-lang")
    draft_product = ProductFactory(producer=users["own_producer"], name="Sản phẩm nháp", status="draft")
    p1 = Participation.objects.create(
        event=past,
        producer=users["own_producer"],
        sales_revenue=12_000_000,
        contracts_count=2,
        contracts_value=80_000_000,
        contacts_count=9,
        results_recorded_at=timezone.now(),
    )
    p1.products.set([product, draft_product])
    Participation.objects.create(
        event=past,
        producer=users["foreign_producer"],
        sales_revenue=3_000_000,
        contracts_count=0,
        contracts_value=0,
        contacts_count=4,
        results_recorded_at=timezone.now(),
    )
    Participation.objects.create(
        event=live,
        producer=users["producer_account_of"],
        sales_revenue=5_500_000,
        contracts_count=1,
        contracts_value=20_000_000,
        contacts_count=3,
        results_recorded_at=timezone.now(),
    )
    Participation.objects.create(event=live, producer=users["foreign_producer"], sales_revenue=1_000_000)
    Participation.objects.create(event=upcoming, producer=users["own_producer"])
    return {
        "past": past,
        "ongoing": ongoing,
        "upcoming": upcoming,
        "draft": draft,
        "live": live,
        "product": product,
    }
