"""Each role's home page is its queue: what is due, scoped by role, in a fixed number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from backoffice.selectors import (
    commune_dossiers_due,
    dossiers_to_accept,
    dossiers_to_assign,
    precheck_due,
    producer_dossiers,
    queries_to_answer,
    reevaluation_due,
    rounds_to_close,
    rounds_to_decide,
    sales_month_due,
    sheets_to_fill,
    worklist,
)
from certificates.services import certificate_issue, certificate_send_reminder
from core.testing import ProductFactory, make_user
from evaluation.models import CriteriaSet, Dossier, DossierKind, DossierState, Round, ScoreSheet
from evaluation.selectors import commune_deadline
from sales.models import SalesRecord
from sales.months import add_months

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 4)


def dossier(product, state, **kw):
    return Dossier.objects.create(product=product, state=state, **kw)


@pytest.fixture
def products(users):
    return {
        "mine": ProductFactory(producer=users["own_producer"], name="Na Chi Lăng"),
        "foreign": ProductFactory(producer=users["foreign_producer"], name="Thạch đen Thất Khê"),
        "account": ProductFactory(producer=users["producer_account_of"], name="Xúc xích Sầm Thu"),
    }


@pytest.fixture
def round_(users):
    r = Round.objects.create(
        name="Đợt 2/2026",
        year=2026,
        number=2,
        criteria_set=CriteriaSet.objects.first(),
        chair=users["council"],
    )
    r.members.add(users["council"])
    return r


def keys(queues):
    return [q.key for q in queues]


def test_each_role_gets_its_own_queues(users):
    assert keys(worklist(users["office"], TODAY)) == [
        "to_accept",
        "to_assign",
        "rounds_to_close",
        "to_decide",
        "reevaluation",
    ]
    assert keys(worklist(users["officer"], TODAY)) == ["commune_due", "queries", "reevaluation", "sales_due"]
    assert keys(worklist(users["council"], TODAY)) == ["sheets_to_fill", "rounds_to_close"]
    assert keys(worklist(users["producer"], TODAY)) == [
        "producer_dossiers",
        "queries",
        "reevaluation",
        "sales_due",
    ]
    assert worklist(users["nobody"], TODAY) == []


def test_commune_officer_sees_its_dossiers_due_with_days_left(users, products):
    late = dossier(products["mine"], DossierState.SUBMITTED, submitted_on=dt.date(2026, 11, 2))
    fresh = dossier(products["account"], DossierState.SUBMITTED, submitted_on=dt.date(2026, 12, 1))
    dossier(products["foreign"], DossierState.SUBMITTED, submitted_on=dt.date(2026, 12, 1))  # other commune
    dossier(products["mine"], DossierState.DRAFT)  # not with the commune yet
    queue = commune_dossiers_due(users["officer"], TODAY)
    assert [d.pk for d in queue.items] == [late.pk, fresh.pk] and queue.total == 2
    assert queue.items[0].deadline == commune_deadline(late) and queue.items[0].days_left < 0
    assert queue.items[1].days_left == (commune_deadline(fresh) - TODAY).days > 0


def test_office_queues(users, products, round_):
    forwarded = dossier(products["foreign"], DossierState.COMMUNE_FORWARDED, forwarded_on=TODAY)
    dossier(products["mine"], DossierState.SUBMITTED)
    assert [d.pk for d in dossiers_to_accept(users["office"]).items] == [forwarded.pk]
    assert dossiers_to_accept(users["officer"]).total == 0  # visible, but not its queue (worklist)
    in_round = dossier(products["mine"], DossierState.IN_ROUND, round=round_)
    ScoreSheet.objects.create(
        round=round_,
        dossier=in_round,
        member=users["council"],
        criteria_set=round_.criteria_set,
        sheet_number=1,
        status=ScoreSheet.Status.SUBMITTED,
    )
    (row,) = rounds_to_close(users["office"]).items
    assert (row.dossier_count, row.member_count, row.submitted_count) == (1, 1, 1)
    round_.status = Round.Status.CLOSED
    round_.save()
    assert rounds_to_close(users["office"]).total == 0


def test_council_member_sheets_to_fill(users, products, round_):
    a = dossier(products["mine"], DossierState.IN_ROUND, round=round_)
    b = dossier(products["foreign"], DossierState.IN_ROUND, round=round_)
    c = dossier(products["account"], DossierState.IN_ROUND, round=round_)
    common = {
        "round": round_,
        "member": users["council"],
        "criteria_set": round_.criteria_set,
        "sheet_number": 1,
    }
    ScoreSheet.objects.create(dossier=a, status=ScoreSheet.Status.SUBMITTED, **common)
    ScoreSheet.objects.create(dossier=b, status=ScoreSheet.Status.DRAFT, **common)
    queue = sheets_to_fill(users["council"])
    assert [(d.pk, d.has_draft) for d in queue.items] == [(b.pk, True), (c.pk, False)]
    other = make_user("member-2", "council_member")
    assert sheets_to_fill(other).total == 0  # not on this council
    # The chair closes: the round appears in the chair's queue, not in another member's.
    assert rounds_to_close(users["council"]).total == 1 and rounds_to_close(other).total == 0


def test_producer_sees_its_dossiers_needing_action(users, products):
    mine = dossier(products["account"], DossierState.DRAFT)
    dossier(products["account"], DossierState.SUBMITTED)
    dossier(products["mine"], DossierState.DRAFT)  # another producer's
    assert [d.pk for d in producer_dossiers(users["producer"]).items] == [mine.pk]


def test_certificates_entering_their_window(users, products):
    def cert(product, days_left):
        c = certificate_issue(
            product, stars=3, issued_on=TODAY - dt.timedelta(days=900), actor=users["office"]
        )
        c.expires_on = TODAY + dt.timedelta(days=days_left)
        c.save()
        return c

    approaching = cert(products["account"], 200)  # opens in 20 days: approaching
    open_ = cert(products["mine"], 150)
    cert(products["foreign"], 100)  # window closed: not a re-evaluation task any more
    far = ProductFactory(producer=users["producer_account_of"])
    cert(far, 300)
    renewing = ProductFactory(producer=users["own_producer"])
    c = cert(renewing, 140)
    dossier(renewing, DossierState.SUBMITTED, kind=DossierKind.REEVALUATION, renews=c)  # under way
    office = reevaluation_due(users["office"], TODAY)
    assert [c.pk for c in office.items] == [open_.pk, approaching.pk]
    assert [c.window_today for c in office.items] == ["open", "approaching"]
    assert [c.pk for c in reevaluation_due(users["producer"], TODAY).items] == [approaching.pk]
    assert [c.pk for c in reevaluation_due(users["officer"], TODAY).items] == [open_.pk, approaching.pk]


def test_sales_month_due(users, products):
    last_month = add_months(TODAY.replace(day=1), -1)
    assert [p.pk for p in sales_month_due(users["producer"], TODAY).items] == [
        users["producer_account_of"].pk
    ]
    SalesRecord.objects.create(product=products["account"], month=last_month, channel="shopee", units=1)
    assert sales_month_due(users["producer"], TODAY).total == 0
    officer = sales_month_due(users["officer"], TODAY)
    assert [p.name for p in officer.items] == ["HTX Na Chi Lăng"] and officer.month == last_month


def test_queue_shows_the_first_ten_and_the_total(users):
    for n in range(12):
        dossier(ProductFactory(producer=users["own_producer"], name=f"SP {n:02d}"), DossierState.DRAFT)
    make_user("chuthe-na", "producer", producer=users["own_producer"])
    queue = producer_dossiers(users["own_producer"].accounts.get())
    assert len(queue.items) == 10 and queue.total == 12


def test_office_finds_dossiers_to_assign_and_rounds_to_decide(users, products, round_):
    """After accepting, the office puts the dossier in a round; after the chair closes a round, the
    office issues the decision: both are on its home page."""
    received = dossier(products["mine"], DossierState.PROVINCE_RECEIVED, received_on=TODAY)
    dossier(products["foreign"], DossierState.COMMUNE_FORWARDED, forwarded_on=TODAY)  # to accept, not yet
    dossier(products["account"], DossierState.IN_ROUND, round=round_)  # assigned already
    assert [d.pk for d in dossiers_to_assign(users["office"]).items] == [received.pk]
    assert rounds_to_decide(users["office"]).total == 0  # the round is still open
    dossier(products["account"], DossierState.SCORED, round=round_)
    round_.status = Round.Status.CLOSED
    round_.save()
    (row,) = rounds_to_decide(users["office"]).items
    assert row.pk == round_.pk and row.scored_count == 1
    round_.status = Round.Status.DECIDED
    round_.save()
    assert rounds_to_decide(users["office"]).total == 0


@pytest.mark.parametrize("who", ["office", "officer", "council", "producer"])
def test_home_page_query_count_is_constant(
    client, users, products, round_, who, django_assert_max_num_queries
):
    client.force_login(users[who])
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("backoffice:home"))
    for n in range(8):
        p = ProductFactory(
            producer=users["own_producer" if n % 2 else "producer_account_of"], name=f"Mới {n}"
        )
        dossier(p, DossierState.SUBMITTED, submitted_on=TODAY)
        dossier(p, DossierState.COMMUNE_FORWARDED, forwarded_on=TODAY)
        dossier(p, DossierState.DRAFT)
        dossier(p, DossierState.IN_ROUND, round=round_)
        c = certificate_issue(p, stars=4, issued_on=TODAY - dt.timedelta(days=900), actor=users["office"])
        c.expires_on = TODAY + dt.timedelta(days=150)
        c.save()
    with django_assert_max_num_queries(40) as large:
        response = client.get(reverse("backoffice:home"))
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_home_page_shows_the_queue_and_the_reminder_button(
    client, users, products, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    c = certificate_issue(
        products["account"], stars=4, issued_on=today - dt.timedelta(days=900), actor=users["office"]
    )
    c.expires_on = today + dt.timedelta(days=150)
    c.save()
    client.force_login(users["office"])
    body = client.get(reverse("backoffice:home")).content.decode()
    assert "Giấy chứng nhận đến thời hạn đánh giá lại" in body and "Xúc xích Sầm Thu" in body
    assert reverse("certificates:remind", args=[c.pk]) in body
    with django_capture_on_commit_callbacks(execute=True):
        certificate_send_reminder(c, actor=users["office"])
    body = client.get(reverse("backoffice:home")).content.decode()
    assert f"đã nhắc {today:%d/%m/%Y}" in body
    client.force_login(users["producer"])
    body = client.get(reverse("backoffice:home")).content.decode()
    assert "Xúc xích Sầm Thu" in body and reverse("certificates:remind", args=[c.pk]) not in body


def test_open_queries_and_the_helper_teams_precheck_queue(users, products):
    from evaluation.models import CriterionClaim
    from evaluation.tests.papers import helper

    criteria_set = CriteriaSet.objects.first()
    now = timezone.now()

    def claim(d, code, **kw):
        return CriterionClaim.objects.create(dossier=d, criteria_set=criteria_set, criterion_code=code, **kw)

    asked = dossier(products["account"], DossierState.COMMUNE_FORWARDED, forwarded_on=TODAY)
    claim(asked, "1.1", review="query", reviewed_at=now)
    claim(asked, "1.2", review="query", reviewed_at=now - dt.timedelta(days=2), answered_at=now)  # answered
    answered = dossier(products["mine"], DossierState.PROVINCE_RECEIVED, forwarded_on=TODAY)
    claim(answered, "1.1", review="query", reviewed_at=now - dt.timedelta(days=1), answered_at=now)
    fresh = dossier(products["foreign"], DossierState.COMMUNE_FORWARDED, forwarded_on=TODAY)
    claim(fresh, "1.1")  # not reviewed yet
    done = dossier(ProductFactory(producer=users["own_producer"]), DossierState.PROVINCE_RECEIVED)
    claim(done, "1.1", review="accepted", reviewed_at=now)

    producer_queue = queries_to_answer(users["producer"])
    assert [(d.pk, d.open_queries) for d in producer_queue.items] == [(asked.pk, 1)]
    assert [d.pk for d in queries_to_answer(users["officer"]).items] == [asked.pk]  # Chi Lăng only
    team = helper()
    assert keys(worklist(team, TODAY))[0] == "precheck"
    # asked: its 1.2 answer waits for review; answered: likewise; fresh: never reviewed; done: nothing.
    assert sorted(d.pk for d in precheck_due(team).items) == sorted([asked.pk, answered.pk, fresh.pk])
