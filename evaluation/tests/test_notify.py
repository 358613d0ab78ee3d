"""Each step of the evaluation tells the people who act next, in the app and by e-mail (issue 14
point 7); the person who took the step is not told of it; another commune's officer hears nothing."""

import datetime as dt

import pytest
from django.core import mail

from accounts.models import Role
from core.testing import make_user
from evaluation import selfassessment as sa
from evaluation import services
from evaluation.testing import attach_required_documents
from evaluation.tests.papers import S, helper, new_dossier, submitted
from evaluation.tests.test_services import choose
from notices.models import Notice

pytestmark = pytest.mark.django_db


def titles(user) -> list[str]:
    return list(Notice.objects.filter(user=user).order_by("pk").values_list("title", flat=True))


@pytest.fixture
def people(users):
    for name in ("office", "officer", "producer", "council"):
        users[name].email = f"{name}@example.vn"
        users[name].save()
    users["other_officer"] = make_user("other", Role.COMMUNE_OFFICER, communes=[users["other_commune"]])
    return users


def test_each_dossier_step_tells_who_acts_next(people, django_capture_on_commit_callbacks):
    users = people
    dossier = new_dossier(users)
    with django_capture_on_commit_callbacks(execute=True):
        submitted(dossier, users)
    assert titles(users["officer"]) == ["Hồ sơ OCOP chờ xã đánh giá: Thạch đen Chi Lăng"]
    assert [m.to for m in mail.outbox] == [["officer@example.vn"]]
    assert titles(users["producer"]) == []  # who submitted is not told

    services.dossier_transition(dossier, S.DRAFT, actor=users["officer"], comment="Thiếu phiếu kiểm nghiệm")
    (back,) = Notice.objects.filter(user=users["producer"])
    assert back.title.startswith("Hồ sơ OCOP được trả lại để bổ sung")
    assert back.body == "Thiếu phiếu kiểm nghiệm" and back.url.endswith(f"/{dossier.pk}/")

    submitted(dossier, users)
    attach_required_documents(dossier)
    # The helper team pre-checks what reaches the province, whatever its members' role.
    expert = helper("chuyengia", role=Role.COUNCIL_MEMBER)
    services.dossier_transition(
        dossier, S.COMMUNE_FORWARDED, actor=users["officer"], today=dt.date(2026, 3, 9)
    )
    assert titles(users["office"]) == ["Hồ sơ OCOP chờ tỉnh tiếp nhận: Thạch đen Chi Lăng"]
    assert titles(expert) == ["Hồ sơ OCOP chờ tỉnh tiếp nhận: Thạch đen Chi Lăng"]
    services.dossier_transition(
        dossier, S.PROVINCE_RECEIVED, actor=users["office"], today=dt.date(2026, 3, 10)
    )
    assert titles(users["producer"])[-1] == "Tỉnh đã tiếp nhận hồ sơ OCOP: Thạch đen Chi Lăng"
    assert titles(users["officer"])[-1] == "Tỉnh đã tiếp nhận hồ sơ OCOP: Thạch đen Chi Lăng"
    assert len(titles(users["office"])) == 1  # the office received it itself
    assert titles(users["other_officer"]) == []
    assert titles(users["council"]) == []

    chair, member = make_user("chair", Role.COUNCIL_MEMBER), users["council"]
    round_ = services.round_create(
        name="Đợt 1/2026", year=2026, number=1, chair=chair, members=[member], actor=users["office"]
    )
    services.round_assign(round_, [dossier], actor=users["office"])
    assert titles(member) == [f"Có 1 hồ sơ cần chấm điểm ở {round_}"]
    assert titles(chair) == [f"Có 1 hồ sơ cần chấm điểm ở {round_}"]

    sheet_def = services.sheet_for(dossier, round_.criteria_set)
    for who in (chair, member):
        services.scoresheet_save(round_, dossier, actor=who, choices=choose(sheet_def, 74), submit=True)
    services.round_close(round_, actor=chair)
    assert titles(users["office"])[-1] == f"{round_} đã kết thúc: chờ ban hành quyết định công nhận"


def test_a_query_tells_the_producer_and_an_answer_tells_the_helper_team(people):
    users = people
    dossier = new_dossier(users)
    sa.claims_save(dossier, {"1.1": sa.ClaimInput(option="1.1.c")}, actor=users["producer"])
    submitted(dossier, users)
    attach_required_documents(dossier)
    services.dossier_transition(
        dossier, S.COMMUNE_FORWARDED, actor=users["officer"], today=dt.date(2026, 3, 9)
    )
    Notice.objects.all().delete()
    team = helper()
    sa.precheck_save(dossier, {"1.1": (sa.Review.ACCEPTED, "")}, actor=team)
    assert titles(users["producer"]) == []  # nothing to answer
    sa.precheck_save(dossier, {"1.1": (sa.Review.QUERY, "Hợp đồng thu mua?")}, actor=team)
    assert titles(users["producer"]) == ["Tổ giúp việc cần làm rõ tiêu chí 1.1: Thạch đen Chi Lăng"]
    assert titles(users["officer"]) == ["Tổ giúp việc cần làm rõ tiêu chí 1.1: Thạch đen Chi Lăng"]
    sa.query_answer(dossier, "1.1", answer="Hợp đồng đến 2028", actor=users["producer"])
    assert titles(team) == ["Chủ thể đã trả lời tiêu chí 1.1: Thạch đen Chi Lăng"]
