import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook

from promotion.models import Event, Participation
from promotion.selectors import event_list, events_summary, year_results
from promotion.services import (
    event_create,
    participation_add,
    participation_record_results,
    participation_remove,
)

pytestmark = pytest.mark.django_db


def test_year_totals_equal_the_sum_of_the_participants(events, today):
    for year in (today.year - 1, today.year):
        report = year_results(year)
        rows = Participation.objects.filter(event__start_date__year=year)
        sums = rows.aggregate(
            s=Sum("sales_revenue"),
            n=Sum("contracts_count"),
            v=Sum("contracts_value"),
            c=Sum("contacts_count"),
        )
        t = report.totals
        assert (t.sales, t.contracts_count, t.contracts_value, t.contacts) == tuple(
            v or 0 for v in sums.values()
        )
        assert t.participants == rows.count()
        assert t.events == Event.objects.filter(start_date__year=year).count()
        assert sum(e.sales_sum or 0 for e in report.events) == t.sales
    past = year_results(today.year - 1)
    assert past.totals.sales == 15_000_000 and past.totals.contracts_value == 80_000_000


def test_events_summary_for_the_dashboard(events, today):
    summary = events_summary(today.year)
    assert summary.events == Event.objects.filter(start_date__year=today.year).count()
    rows = Participation.objects.filter(event__start_date__year=today.year)
    assert summary.sales == rows.aggregate(s=Sum("sales_revenue"))["s"]
    assert summary.contacts == rows.aggregate(s=Sum("contacts_count"))["s"]
    assert summary.participations == rows.count()
    assert summary.producers == rows.values("producer").distinct().count()
    last_year = events_summary(today.year - 1)
    assert (last_year.sales, last_year.contracts_count, last_year.contracts_value) == (
        15_000_000,
        2,
        80_000_000,
    )
    assert [e.name for e in summary.upcoming][:2] == ["Tuần lễ OCOP đang diễn ra", "Hội chợ Xuân sắp tới"]
    assert sum(k["events"] for k in summary.by_kind) == summary.events


def test_event_rules(users, today):
    with pytest.raises(ValidationError) as exc:
        event_create(
            actor=users["office"],
            name="Sai ngày",
            kind="fair",
            start_date=today,
            end_date=today - dt.timedelta(days=1),
            place="Lạng Sơn",
        )
    assert "end_date" in exc.value.message_dict and "__all__" not in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        event_create(
            actor=users["officer"], name="X", kind="fair", start_date=today, end_date=today, place="Y"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(
            name="Z", slug="z", kind="fair", start_date=today, end_date=today - dt.timedelta(days=1)
        )
    event = event_create(
        actor=users["office"], name="Hội chợ A", kind="fair", start_date=today, end_date=today, place="Y"
    )
    again = event_create(
        actor=users["office"], name="Hội chợ A", kind="fair", start_date=today, end_date=today, place="Y"
    )
    assert event.slug == "hoi-cho-a" and again.slug == "hoi-cho-a-2"


def test_results_are_refused_before_the_event_and_when_negative(events, users):
    upcoming = events["upcoming"].participations.get()
    with pytest.raises(ValidationError, match="chỉ ghi kết quả khi sự kiện đã diễn ra"):
        participation_record_results(upcoming, actor=users["office"], sales_revenue=1)
    past = Participation.objects.get(event=events["past"], producer=users["foreign_producer"])
    with pytest.raises(ValidationError) as exc:
        participation_record_results(
            past, actor=users["office"], sales_revenue=-1, contracts_value=5, contracts_count=0
        )
    assert set(exc.value.message_dict) == {"sales_revenue", "contracts_count"}
    with pytest.raises(PermissionDenied):
        participation_record_results(past, actor=users["producer"], sales_revenue=1)
    past.refresh_from_db()
    assert past.sales_revenue == 3_000_000


def test_producer_registers_for_upcoming_events_only(events, users):
    producer = users["producer_account_of"]
    mine = producer.products.create(name="Xúc xích", slug="xuc-xich", status="active")
    p = participation_add(events["upcoming"], producer, actor=users["producer"], products=[mine])
    assert p.self_registered and list(p.products.all()) == [mine]
    with pytest.raises(PermissionDenied):
        participation_add(events["past"], producer, actor=users["producer"])
    with pytest.raises(PermissionDenied):
        participation_add(events["draft"], producer, actor=users["producer"])
    with pytest.raises(PermissionDenied):
        participation_add(events["upcoming"], users["foreign_producer"], actor=users["producer"])
    with pytest.raises(ValidationError, match="đã có trong danh sách"):
        participation_add(events["upcoming"], producer, actor=users["office"])
    with pytest.raises(ValidationError, match="không thuộc chủ thể"):
        participation_add(
            events["upcoming"], users["foreign_producer"], actor=users["office"], products=[mine]
        )
    participation_remove(p, actor=users["producer"])
    assert not Participation.objects.filter(pk=p.pk).exists()


def test_report_page_and_export(client, users, events, today):
    client.force_login(users["office"])
    year = today.year - 1
    body = client.get(reverse("promotion:report"), {"nam": year}).content.decode()
    assert "Hội chợ OCOP 2025" in body and "15.000.000" in body and "80.000.000" in body
    response = client.get(reverse("promotion:report_export"), {"nam": year})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["Kết quả theo sự kiện"]
    assert [c.value for c in sheet[2]][:4] == ["STT", "Sự kiện", "Loại", "Từ ngày"]
    assert sheet.cell(row=3, column=2).value == "Hội chợ OCOP 2025"
    assert sheet.cell(row=3, column=4).number_format == "dd/mm/yyyy"
    totals = sheet[sheet.max_row]
    assert totals[1].value == "Tổng cộng" and totals[7].value == 15_000_000
    assert book["Theo loại sự kiện"].cell(row=2, column=1).value == "Loại sự kiện"


@pytest.mark.parametrize(
    ("role", "status"), [("office", 200), ("council", 200), ("officer", 403), ("producer", 403)]
)
def test_report_permissions(client, users, events, role, status):
    client.force_login(users[role])
    assert client.get(reverse("promotion:report")).status_code == status
    assert client.get(reverse("promotion:report_export")).status_code == status


def test_event_list_query_count_is_constant(client, users, events, today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from promotion.tests.conftest import make_event

    client.force_login(users["office"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("promotion:index")).status_code == 200
        return len(ctx)

    few = count()
    for n in range(8):
        e = make_event(f"Thêm {n}", today)
        Participation.objects.create(event=e, producer=users["own_producer"], sales_revenue=n)
    assert count() == few
    assert event_list(users["office"]).count() == 13
