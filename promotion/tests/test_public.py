import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_public_page_lists_upcoming_and_past(client, events):
    response = client.get(reverse("events:index"))
    assert response.status_code == 200
    body = response.content.decode()
    upcoming_part, past_part = body.split('id="past-title"')
    assert "Tuần lễ OCOP đang diễn ra" in upcoming_part and "Hội chợ Xuân sắp tới" in upcoming_part
    assert "Đang diễn ra" in upcoming_part
    assert "Hội chợ OCOP 2025" in past_part and "Hội chợ OCOP 2025" not in upcoming_part
    # soonest first among upcoming; newest first among past
    assert upcoming_part.index("Tuần lễ OCOP đang diễn ra") < upcoming_part.index("Hội chợ Xuân sắp tới")
    assert past_part.index("Livestream năm nay") < past_part.index("Hội chợ OCOP 2025")
    assert "Sự kiện nội bộ chưa công bố" not in body
    past = events["past"]
    assert f"{past.start_date:%d/%m/%Y}" in body and f'datetime="{past.start_date:%Y-%m-%d}"' in body
    assert 'lang="vi"' in body and 'href="#main"' in body


def test_detail_by_slug_shows_participants_and_public_products(client, events, users):
    past = events["past"]
    response = client.get(reverse("events:detail", args=[past.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    assert past.name in body and users["own_producer"].name in body
    assert reverse("catalogue:product", args=["na-dai-chi-lang"]) in body
    assert "Sản phẩm nháp" not in body
    # results are not public
    assert "12.000.000" not in body
    assert "Đã diễn ra" in body


def test_unpublished_and_unknown_events_are_not_found(client, events):
    assert client.get(reverse("events:detail", args=[events["draft"].slug])).status_code == 404
    assert client.get(reverse("events:detail", args=["khong-co"])).status_code == 404


def test_public_page_query_count_does_not_grow(client, events, today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from promotion.tests.conftest import make_event

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("events:index"))
        return len(ctx)

    few = count()
    for n in range(10):
        make_event(f"Sự kiện thêm {n}", today.replace(year=today.year - 1))
    assert count() == few
