import datetime as dt

import pytest
from django.utils import timezone

from market.models import MarketPage


@pytest.fixture(autouse=True)
def _market_files(settings, tmp_path):
    settings.MARKET_FILES_DIR = tmp_path / "market-files"


def make_page(
    title, *, audience="public", publish_in=-1, unpublish_in=None, category="export_rules", body=""
):
    """A page published `publish_in` days from now (None: a draft)."""
    from core.text import slugify_vi

    now = timezone.now()
    return MarketPage.objects.create(
        title=title,
        slug=slugify_vi(title),
        category=category,
        audience=audience,
        body=body or f"Nội dung của {title}.",
        publish_at=None if publish_in is None else now + dt.timedelta(days=publish_in),
        unpublish_at=None if unpublish_in is None else now + dt.timedelta(days=unpublish_in),
    )


@pytest.fixture
def pages(db):
    return {
        "public": make_page("Quy định xuất khẩu hồi sang Trung Quốc"),
        "producers": make_page("Giá hồi khô tuần này", audience="producers", category="demand_prices"),
        "draft": make_page("Bản nháp lịch tập huấn", publish_in=None, category="training"),
        "scheduled": make_page("Thông báo hẹn công bố", publish_in=3, category="support_calls"),
        "withdrawn": make_page("Thông báo đã gỡ", publish_in=-10, unpublish_in=-1),
    }
