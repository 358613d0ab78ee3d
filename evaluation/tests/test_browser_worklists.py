"""Real browser (issue 14 point 7): along one dossier's path, every person who must act next finds
the task on their home page and a notice of it — the producer on a phone, the others at a desk."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from core.testing.browser import fill_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESK = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def world(django_db_blocker):
    from django.core.management import call_command

    from accounts.models import Role
    from core.testing import make_user, make_users
    from evaluation.tests.papers import helper
    from geo.models import Commune

    with django_db_blocker.unblock(), open("/dev/null", "w") as quiet:
        call_command("load_reference", stdout=quiet)
    users = make_users({c.code: c for c in Commune.objects.all()})
    users["team"] = helper("togiupviec")
    users["chair"] = make_user("chutich", Role.COUNCIL_MEMBER)
    return users


def check_home(new_context, base, username, queue, text, notice, *, phone=False):
    """Signs in, finds `text` in the home page's queue `queue`, and `notice` among the notices."""
    page = new_context(**(PHONE if phone else DESK)).new_page()
    page.goto(f"{base}/dang-nhap/")
    fill_login(page, username)
    page.goto(f"{base}/quan-ly/")
    expect(page.locator(f"#q-{queue}")).to_contain_text(text)
    if phone:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{base}/quan-ly/thong-bao/")
    expect(page.locator("main")).to_contain_text(notice)
    page.context.close()


def test_each_person_finds_the_task_on_the_home_page_and_a_notice(new_context, live_server, world):
    from evaluation import selfassessment as sa
    from evaluation import services
    from evaluation.models import DossierState as S
    from evaluation.testing import attach_required_documents
    from evaluation.tests.papers import new_dossier, with_report
    from evaluation.tests.test_services import choose

    base, users = live_server.url, world
    dossier = new_dossier(users)  # the producer's draft
    name = dossier.product.name
    check_home(new_context, base, "producer", "producer_dossiers", name, "", phone=True)

    sa.claims_save(dossier, {"1.1": sa.ClaimInput(option="1.1.c")}, actor=users["producer"])
    services.dossier_transition(dossier, S.SUBMITTED, actor=users["producer"], today=dt.date(2026, 3, 2))
    check_home(new_context, base, "officer", "commune_due", name, f"Hồ sơ OCOP chờ xã đánh giá: {name}")

    with_report(dossier, users)
    attach_required_documents(dossier)
    services.dossier_transition(
        dossier, S.COMMUNE_FORWARDED, actor=users["officer"], today=dt.date(2026, 3, 9)
    )
    check_home(new_context, base, "office", "to_accept", name, f"Hồ sơ OCOP chờ tỉnh tiếp nhận: {name}")
    check_home(new_context, base, "togiupviec", "precheck", name, "")

    sa.precheck_save(dossier, {"1.1": (sa.Review.QUERY, "Hợp đồng thu mua?")}, actor=users["team"])
    check_home(
        new_context, base, "producer", "queries", name, "Tổ giúp việc cần làm rõ tiêu chí 1.1", phone=True
    )
    sa.query_answer(dossier, "1.1", answer="Hợp đồng đến 2028", actor=users["producer"])
    check_home(new_context, base, "togiupviec", "precheck", name, "Chủ thể đã trả lời tiêu chí 1.1")

    services.dossier_transition(dossier, S.PROVINCE_RECEIVED, actor=users["office"])
    round_ = services.round_create(
        name="Đợt 1/2026",
        year=2026,
        number=1,
        chair=users["chair"],
        members=[users["council"]],
        actor=users["office"],
    )
    services.round_assign(round_, [dossier], actor=users["office"])
    check_home(new_context, base, "council", "sheets_to_fill", name, "Có 1 hồ sơ cần chấm điểm")

    sheet_def = services.sheet_for(dossier, round_.criteria_set)
    for member in (users["council"], users["chair"]):
        services.scoresheet_save(round_, dossier, actor=member, choices=choose(sheet_def, 74), submit=True)
    check_home(new_context, base, "chutich", "rounds_to_close", "Đợt 1/2026", "Có 1 hồ sơ cần chấm điểm")
    services.round_close(round_, actor=users["chair"])
    check_home(new_context, base, "office", "to_accept", "", "đã kết thúc: chờ ban hành quyết định")

    services.round_decide(
        round_,
        number="15/QĐ-UBND",
        signed_on=dt.date(2026, 6, 20),
        signer_name="Nguyễn Văn A",
        actor=users["office"],
    )
    check_home(
        new_context, base, "producer", "producer_dossiers", "", f"được công nhận OCOP: {name}", phone=True
    )
