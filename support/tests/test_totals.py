import io

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from support.models import Grant
from support.selectors import support_for_producer, support_totals

pytestmark = pytest.mark.django_db


def test_totals_per_year_programme_and_commune_equal_the_grants(support_data, users):
    year = support_data["year"]
    t = support_totals(year)
    grants = Grant.objects.filter(granted_on__year=year)
    assert t.amount == grants.aggregate(s=Sum("amount"))["s"] == 47_000_000
    assert t.grants == 4 and t.producers == 3
    by_programme = {r.label: r.amount for r in t.by_programme}
    assert by_programme == {"Thiết kế bao bì 2026": 42_000_000, "Đăng ký nhãn hiệu": 5_000_000}
    by_commune = {r.key: (r.grants, r.producers, r.amount) for r in t.by_commune}
    assert by_commune == {
        users["chi_lang"].pk: (3, 2, 40_000_000),
        users["other_commune"].pk: (1, 1, 7_000_000),
    }
    assert {r.key: r.amount for r in t.by_category} == {"packaging": 42_000_000, "trademark": 5_000_000}
    for table in (t.by_programme, t.by_commune, t.by_category):
        assert sum(r.amount for r in table) == t.amount and sum(r.grants for r in table) == t.grants
    assert (t.courses, t.course_producers, t.course_attended, t.course_people) == (
        1 + (support_data["next_course"].start_date.year == year),
        2 + (support_data["next_course"].start_date.year == year),
        1,
        2,
    )
    previous = support_totals(year - 1)
    assert previous.amount == 90_000_000 and previous.by_programme[0].label == "Thiết bị đã kết thúc"


def test_totals_run_a_fixed_number_of_queries(support_data, users):
    year = support_data["year"]
    with CaptureQueriesContext(connection) as ctx:
        support_totals(year)
    few = len(ctx)
    for n in range(10):
        Grant.objects.create(
            producer=users["foreign_producer"],
            programme=support_data["trademark"],
            amount=n,
            granted_on=f"{year}-02-0{n % 9 + 1}",
        )
    with CaptureQueriesContext(connection) as ctx:
        support_totals(year)
    assert len(ctx) == few <= 7


def test_totals_page_and_export(client, users, support_data):
    client.force_login(users["office"])
    year = support_data["year"]
    body = client.get(reverse("support:totals"), {"nam": year}).content.decode()
    assert "47.000.000" in body and "Thiết kế bao bì 2026" in body and str(users["chi_lang"]) in body
    response = client.get(reverse("support:totals_export"), {"nam": year})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["Tổng hợp", "Theo chương trình", "Theo xã, phường", "Theo lĩnh vực"]
    sheet = book["Theo chương trình"]
    assert [c.value for c in sheet[2]] == [
        "STT",
        "Chương trình",
        "Số khoản hỗ trợ",
        "Số chủ thể",
        "Kinh phí (đồng)",
    ]
    assert sheet[sheet.max_row][4].value == 47_000_000 and sheet[sheet.max_row][4].number_format == "#,##0"


@pytest.mark.parametrize(
    ("role", "status"),
    [("office", 200), ("council", 200), ("officer", 403), ("producer", 403), ("nobody", 403)],
)
def test_totals_permissions(client, users, support_data, role, status):
    client.force_login(users[role])
    assert client.get(reverse("support:totals")).status_code == status
    assert client.get(reverse("support:totals_export")).status_code == status


def test_support_for_producer(support_data, users):
    own = users["own_producer"]
    with CaptureQueriesContext(connection) as ctx:
        received = support_for_producer(own)
    assert len(ctx) == 3
    assert received.total_amount == 25_000_000
    assert [g.programme.name for g in received.grants] == ["Đăng ký nhãn hiệu", "Thiết kế bao bì 2026"]
    assert [a.course.title for a in received.attendances] == ["Bán hàng trên sàn TMĐT"]
