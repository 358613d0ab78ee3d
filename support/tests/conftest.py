import datetime as dt

import pytest
from django.utils import timezone

from support.models import Attendance, Course, Grant, Programme


def programme(name, category, start, end=None, **kw):
    return Programme.objects.create(name=name, category=category, start_date=start, end_date=end, **kw)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def support_data(users, today):
    y = today.year
    packaging = programme("Thiết kế bao bì 2026", "packaging", dt.date(y - 1, 1, 1), dt.date(y + 1, 12, 31))
    trademark = programme("Đăng ký nhãn hiệu", "trademark", dt.date(y - 1, 1, 1), None)
    closed = programme("Thiết bị đã kết thúc", "equipment", dt.date(y - 2, 1, 1), dt.date(y - 1, 6, 30))
    own, foreign, mine = users["own_producer"], users["foreign_producer"], users["producer_account_of"]
    grants = [
        Grant.objects.create(
            producer=own, programme=packaging, amount=20_000_000, granted_on=dt.date(y, 1, 15)
        ),
        Grant.objects.create(
            producer=own, programme=trademark, amount=5_000_000, granted_on=dt.date(y, 1, 20)
        ),
        Grant.objects.create(
            producer=mine, programme=packaging, amount=15_000_000, granted_on=dt.date(y, 1, 5)
        ),
        Grant.objects.create(
            producer=foreign, programme=packaging, amount=7_000_000, granted_on=dt.date(y, 1, 7)
        ),
        Grant.objects.create(
            producer=foreign, programme=closed, amount=90_000_000, granted_on=dt.date(y - 1, 3, 1)
        ),
    ]
    past_course = Course.objects.create(
        title="Bán hàng trên sàn TMĐT",
        topic="trade_promotion",
        start_date=dt.date(y, 1, 3),
        end_date=dt.date(y, 1, 4),
        place="Chi Lăng",
    )
    soon = today + dt.timedelta(days=15)
    next_course = Course.objects.create(
        title="Thiết kế bao bì và nhãn", topic="packaging", start_date=soon, end_date=soon, place="Lạng Sơn"
    )
    Attendance.objects.create(course=past_course, producer=own, people=2, attended=True)
    Attendance.objects.create(course=past_course, producer=mine, people=1, attended=False)
    Attendance.objects.create(course=next_course, producer=foreign, people=3)
    return {
        "year": y,
        "packaging": packaging,
        "trademark": trademark,
        "closed": closed,
        "grants": grants,
        "past_course": past_course,
        "next_course": next_course,
    }
