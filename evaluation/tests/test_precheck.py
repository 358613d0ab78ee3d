"""The helper team's pre-check of claimed criteria, the producer's answers, and what council members
see and write beside each criterion of the score sheet."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from accounts.roles import is_helper_team
from core.testing import make_user
from evaluation import documents as docs
from evaluation import selfassessment as sa
from evaluation import services
from evaluation.models import CriterionComment
from evaluation.testing import attach_required_documents
from evaluation.tests.papers import S, helper, new_dossier, pdf_upload, submitted

pytestmark = pytest.mark.django_db
Review = sa.Review


@pytest.fixture
def claimed(users):
    dossier = new_dossier(users)
    evidence = docs.document_upload(
        dossier, kind="evidence", upload=pdf_upload("hop-dong.pdf"), actor=users["producer"]
    )
    sa.claims_save(
        dossier,
        {
            "1.1": sa.ClaimInput(option="1.1.c", evidence=evidence.pk, note="100% nguyên liệu tại xã"),
            "1.3": sa.ClaimInput(option="1.3.b"),
        },
        actor=users["producer"],
    )
    submitted(dossier, users)
    attach_required_documents(dossier)
    services.dossier_transition(
        dossier, S.COMMUNE_FORWARDED, actor=users["officer"], today=dt.date(2026, 3, 9)
    )
    return dossier


def test_the_helper_team_is_a_group(users):
    assert not is_helper_team(users["office"])
    member = helper()
    assert is_helper_team(member) and member.has_perm("accounts.use_staff_pages")
    council_helper = helper("tgv2", role="")  # in the group only: still a staff page user
    assert council_helper.has_perm("accounts.use_staff_pages")


def test_precheck_query_and_answer(users, claimed):
    team = helper()
    with pytest.raises(PermissionDenied):  # the office without the group
        sa.precheck_save(claimed, {"1.1": (Review.ACCEPTED, "")}, actor=users["office"])
    with pytest.raises(ValidationError, match="cần ghi ý kiến"):
        sa.precheck_save(claimed, {"1.1": (Review.QUERY, " ")}, actor=team)
    with pytest.raises(ValidationError, match="chưa được chủ thể tự đánh giá"):
        sa.precheck_save(claimed, {"2.1": (Review.ACCEPTED, "")}, actor=team)
    sa.precheck_save(
        claimed,
        {"1.1": (Review.QUERY, "Hợp đồng thu mua hết hạn 2025?"), "1.3": (Review.ACCEPTED, "")},
        actor=team,
    )
    claims = sa.claims_of(claimed)
    assert claims["1.1"].open_query and not claims["1.3"].open_query
    assert claims["1.1"].reviewed_by == team
    with pytest.raises(ValidationError, match="không có yêu cầu làm rõ"):
        sa.query_answer(claimed, "1.3", answer="x", actor=users["producer"])
    with pytest.raises(PermissionDenied):
        sa.query_answer(claimed, "1.1", answer="x", actor=users["council"])
    sa.query_answer(
        claimed,
        "1.1",
        answer="Hợp đồng gia hạn đến 2028",
        upload=pdf_upload("gia-han.pdf"),
        actor=users["producer"],
    )
    claim = sa.claims_of(claimed)["1.1"]
    assert not claim.open_query and claim.answer == "Hợp đồng gia hạn đến 2028"
    assert claim.evidence.original_name == "gia-han.pdf"
    # Asked again: the query is open until the producer answers again.
    sa.precheck_save(claimed, {"1.1": (Review.QUERY, "Cần bản có dấu")}, actor=team)
    assert sa.claims_of(claimed)["1.1"].open_query
    # The producer may not change its claims any more: only answer.
    with pytest.raises(PermissionDenied):
        sa.claims_save(claimed, {"1.1": sa.ClaimInput(option="1.1.a")}, actor=users["producer"])


def test_precheck_and_answer_through_the_page(client, users, claimed):
    team = helper()
    client.force_login(team)
    url = reverse("evaluation:self_assessment", args=[claimed.pk])
    page = client.get(url).content.decode()
    assert 'name="r-1.1"' in page and "hop-dong.pdf" in page and "100% nguyên liệu tại xã" in page
    client.post(
        url, {"action": "precheck", "r-1.1": "query", "rc-1.1": "Thiếu hợp đồng", "r-1.3": "accepted"}
    )
    assert sa.claims_of(claimed)["1.1"].review == Review.QUERY
    client.force_login(users["producer"])
    page = client.get(url).content.decode()
    assert 'name="a-1.1"' in page and 'name="a-1.3"' not in page and "Thiếu hợp đồng" in page
    detail = client.get(reverse("evaluation:dossier_detail", args=[claimed.pk])).content.decode()
    assert "Tổ giúp việc yêu cầu làm rõ 1 tiêu chí (1.1)" in detail
    response = client.post(url, {"action": "answers", "a-1.1": "Đã bổ sung", "af-1.1": pdf_upload("hd.pdf")})
    assert response.status_code == 302
    assert sa.claims_of(claimed)["1.1"].answer == "Đã bổ sung"
    detail = client.get(reverse("evaluation:dossier_detail", args=[claimed.pk])).content.decode()
    assert "yêu cầu làm rõ" not in detail
    # The producer cannot pre-check its own claims.
    client.post(url, {"action": "precheck", "r-1.1": "accepted"})
    assert sa.claims_of(claimed)["1.1"].review == Review.QUERY


@pytest.fixture
def in_round(users, claimed):
    team = helper()
    sa.precheck_save(claimed, {"1.1": (Review.NOT_SUPPORTED, "Không có hợp đồng thu mua")}, actor=team)
    services.dossier_transition(
        claimed, S.PROVINCE_RECEIVED, actor=users["office"], today=dt.date(2026, 3, 20)
    )
    member = make_user("thanhvien", Role.COUNCIL_MEMBER)
    round_ = services.round_create(
        name="Đợt 1/2026",
        year=2026,
        number=1,
        chair=users["council"],
        members=[member],
        actor=users["office"],
    )
    services.round_assign(round_, [claimed], actor=users["office"])
    claimed.refresh_from_db()
    return round_, claimed, member


def test_council_sees_claim_evidence_and_precheck_beside_each_criterion(
    client, users, in_round, django_assert_max_num_queries
):
    round_, dossier, member = in_round
    client.force_login(member)
    url = reverse("evaluation:scoresheet", args=[round_.pk, dossier.pk])
    with django_assert_max_num_queries(30):
        page = client.get(url).content.decode()
    assert "Chủ thể tự đánh giá" in page and "hop-dong.pdf" in page
    assert "Không có căn cứ" in page and "Không có hợp đồng thu mua" in page
    assert 'form="criterion-comments"' in page
    client.post(
        reverse("evaluation:criterion_comments", args=[round_.pk, dossier.pk]),
        {"cc-1.1": "Cần kiểm tra thực địa", "cc-1.3": "", "criterion": "1.1"},
    )
    comment = CriterionComment.objects.get(dossier=dossier)
    assert (comment.member, comment.criterion_code, comment.text) == (member, "1.1", "Cần kiểm tra thực địa")
    client.force_login(users["council"])  # the chair sees the member's comment
    assert "Cần kiểm tra thực địa" in client.get(url).content.decode()
    # Emptying it removes it.
    client.force_login(member)
    client.post(reverse("evaluation:criterion_comments", args=[round_.pk, dossier.pk]), {"cc-1.1": ""})
    assert not CriterionComment.objects.filter(dossier=dossier).exists()


def test_only_the_council_comments_while_the_round_is_open(users, in_round):
    round_, dossier, member = in_round
    with pytest.raises(PermissionDenied):
        sa.criterion_comments_save(round_, dossier, {"1.1": "x"}, actor=users["officer"])
    with pytest.raises(ValidationError, match="không có trong phiếu"):
        sa.criterion_comments_save(round_, dossier, {"99.9": "x"}, actor=member)
    round_.status = round_.Status.CLOSED
    round_.save()
    with pytest.raises(ValidationError, match="chưa kết thúc"):
        sa.criterion_comments_save(round_, dossier, {"1.1": "x"}, actor=member)
