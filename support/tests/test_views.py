import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse

from support.models import Attendance, Grant
from support.services import attendance_add, attendance_mark, grant_save

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "target", "status"),
    [
        ("producer", "producer_account_of", 200),
        ("producer", "own_producer", 403),
        ("producer", "foreign_producer", 403),
        ("officer", "own_producer", 200),
        ("officer", "foreign_producer", 403),
        ("council", "foreign_producer", 200),
        ("office", "foreign_producer", 200),
        ("nobody", "own_producer", 403),
    ],
)
def test_producer_page_matrix(client, users, support_data, role, target, status):
    client.force_login(users[role])
    response = client.get(reverse("support:producer", args=[users[target].pk]))
    assert response.status_code == status
    if status == 403:
        assert users[target].name.encode() not in response.content


def test_producer_page_lists_what_was_received(client, users, support_data):
    client.force_login(users["officer"])
    body = client.get(reverse("support:producer", args=[users["own_producer"].pk])).content.decode()
    assert "Thiết kế bao bì 2026" in body and "20.000.000" in body and "25.000.000" in body
    assert "Bán hàng trên sàn TMĐT" in body and "đã tham dự" in body


def test_include_for_the_producer_detail_page(rf, users, support_data):
    template = Template('{% include "support/_producer_support.html" %}')
    request = rf.get("/")
    request.user = users["officer"]
    html = template.render(Context({"producer": users["own_producer"], "request": request}))
    assert "Đào tạo, hỗ trợ đã nhận" in html and "25.000.000" in html
    request.user = users["producer"]  # not its producer: nothing is shown
    assert "Đào tạo, hỗ trợ" not in template.render(
        Context({"producer": users["own_producer"], "request": request})
    )


def test_index_and_details_per_role(client, users, support_data):
    programme = support_data["packaging"]
    client.force_login(users["producer"])
    assert client.get(reverse("support:index")).status_code == 200
    body = client.get(reverse("support:programme_detail", args=[programme.pk])).content.decode()
    # a producer sees its own grant under the programme, not the others'
    assert users["producer_account_of"].name in body and users["own_producer"].name not in body
    assert client.get(reverse("support:programme_new")).status_code == 403
    assert client.get(reverse("support:grant_new")).status_code == 403
    course = support_data["past_course"]
    body = client.get(reverse("support:course_detail", args=[course.pk])).content.decode()
    assert users["own_producer"].name not in body
    client.force_login(users["office"])
    for name in ("programme_new", "grant_new", "course_new"):
        assert client.get(reverse(f"support:{name}")).status_code == 200


def test_office_records_a_grant_and_bad_values_are_named(client, users, support_data, today):
    client.force_login(users["office"])
    data = {
        "producer": users["own_producer"].pk,
        "programme": support_data["packaging"].pk,
        "amount": "-1",
        "granted_on": "31/02/2026",
    }
    response = client.post(reverse("support:grant_new"), data)
    body = response.content.decode()
    assert response.status_code == 200 and "Kinh phí hỗ trợ (đồng): Không được là số âm." in body
    assert "Ngày hỗ trợ:" in body
    before = Grant.objects.count()
    tomorrow = today + dt.timedelta(days=2)
    data.update(amount="12.500.000", granted_on=tomorrow.strftime("%d/%m/%Y"))
    assert "không được sau hôm nay" in client.post(reverse("support:grant_new"), data).content.decode()
    data["granted_on"] = today.strftime("%d/%m/%Y")
    response = client.post(reverse("support:grant_new"), data)
    assert response.status_code == 302 and Grant.objects.count() == before + 1
    assert Grant.objects.latest("pk").amount == 12_500_000


def test_grant_rules(users, support_data):
    foreign_product = users["foreign_producer"].products.create(name="Thạch", slug="thach", status="active")
    with pytest.raises(ValidationError) as exc:
        grant_save(
            None,
            actor=users["office"],
            producer=users["own_producer"],
            programme=support_data["packaging"],
            product=foreign_product,
            amount=1,
            granted_on=dt.date(support_data["year"] - 5, 1, 1),
        )
    assert set(exc.value.message_dict) == {"product", "granted_on"}


def test_attendance_roll_call(users, support_data):
    course = support_data["past_course"]
    own = Attendance.objects.get(course=course, producer=users["own_producer"])
    mine = Attendance.objects.get(course=course, producer=users["producer_account_of"])
    assert attendance_mark(course, [mine.pk], actor=users["office"]) == 2
    own.refresh_from_db()
    mine.refresh_from_db()
    assert (own.attended, mine.attended) == (False, True)
    with pytest.raises(ValidationError, match="chưa diễn ra"):
        attendance_mark(support_data["next_course"], [1], actor=users["office"])
    with pytest.raises(ValidationError, match="đã có trong danh sách"):
        attendance_add(course, users["own_producer"], actor=users["office"])


def test_list_page_query_count_is_constant(client, users, support_data):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from support.tests.conftest import programme

    client.force_login(users["office"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("support:index")).status_code == 200
        return len(ctx)

    few = count()
    for n in range(8):
        p = programme(f"Chương trình {n}", "other", dt.date(2026, 1, 1))
        Grant.objects.create(
            producer=users["own_producer"], programme=p, amount=n, granted_on=dt.date(2026, 1, 2)
        )
    assert count() == few
