import datetime as dt

import pytest
from django.utils import timezone

from certificates.services import certificate_issue
from core.testing import ProductFactory
from inspections.services import inspection_plan_save


@pytest.fixture
def certified(users):
    """A certified product of Chi Lăng (the officer's commune) and one of another commune."""
    issued = timezone.localdate() - dt.timedelta(days=400)
    mine = ProductFactory(producer=users["own_producer"], name="Na Chi Lăng")
    other = ProductFactory(producer=users["foreign_producer"], name="Thạch đen Thất Khê")
    return {
        "mine": certificate_issue(mine, stars=4, issued_on=issued, actor=users["office"]),
        "other": certificate_issue(other, stars=3, issued_on=issued, actor=users["office"]),
    }


@pytest.fixture
def plan(users, certified):
    return inspection_plan_save(
        None,
        year=timezone.localdate().year,
        title="Kiểm tra sau công nhận năm nay",
        scope="Nhãn, sử dụng biểu trưng OCOP",
        products=[certified["mine"].product, certified["other"].product],
        actor=users["office"],
    )
