"""Every rule and transition of the evaluation workflow, refused ones included."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from certificates.services import certificate_issue
from core.testing import ProductFactory, make_user
from evaluation import services
from evaluation.models import Dossier, DossierState, DossierTransition, Round, ScoreSheet
from evaluation.selectors import commune_is_late, latest_sheet
from evaluation.testing import attach_required_documents
from products.models import Classification

pytestmark = pytest.mark.django_db
S = DossierState


@pytest.fixture
def product(users):
    return ProductFactory(
        producer=users["own_producer"],
        name="Thạch đen Chi Lăng",
        category=Classification.objects.get(scheme="QD26-2026", code="I.3.c"),
    )


@pytest.fixture
def council(users):
    return {
        "chair": make_user("chair", Role.COUNCIL_MEMBER),
        "m1": make_user("m1", Role.COUNCIL_MEMBER),
        "m2": make_user("m2", Role.COUNCIL_MEMBER),
    }


def received(product, users, kind="new", **kw):
    dossier = services.dossier_create(product, kind=kind, actor=users["officer"], **kw)
    services.dossier_transition(dossier, S.SUBMITTED, actor=users["officer"], today=dt.date(2026, 3, 2))
    services.dossier_write_report(
        dossier,
        actor=users["officer"],
        report_origin="Nguyên liệu tại xã",
        report_labour="10 lao động",
        report_idea="Truyền thống",
        report_identity="Người Tày",
    )
    attach_required_documents(dossier)
    services.dossier_transition(
        dossier, S.COMMUNE_FORWARDED, actor=users["officer"], today=dt.date(2026, 3, 20)
    )
    return services.dossier_transition(
        dossier, S.PROVINCE_RECEIVED, actor=users["office"], today=dt.date(2026, 3, 25)
    )


def choose(sheet, target_points: int):
    """Choices totalling target_points: every criterion at its lowest option, then raised in turn."""
    lowest = {
        c.code: min((o for o in c.choices if not o.stops), key=lambda o: o.points) for c in sheet.criteria()
    }
    chosen = {code: o.code for code, o in lowest.items()}
    total = sum(o.points for o in lowest.values())
    for criterion in sheet.criteria():
        current = lowest[criterion.code].points
        fits = [o for o in criterion.choices if not o.stops and total - current + o.points <= target_points]
        best = max(fits, key=lambda o: o.points)
        chosen[criterion.code] = best.code
        total += best.points - current
    assert total == target_points, (total, target_points)
    return chosen


def test_the_happy_path_from_draft_to_received(product, users):
    dossier = received(product, users)
    assert dossier.state == S.PROVINCE_RECEIVED
    assert (dossier.submitted_on, dossier.forwarded_on) == (dt.date(2026, 3, 2), dt.date(2026, 3, 20))
    log = list(DossierTransition.objects.filter(dossier=dossier).values_list("to_state", flat=True))
    assert log == [S.DRAFT, S.SUBMITTED, S.COMMUNE_FORWARDED, S.PROVINCE_RECEIVED]
    assert dossier.history.latest().history_user == users["office"]


def test_forbidden_steps_change_nothing(product, users):
    dossier = services.dossier_create(product, kind="new", actor=users["officer"])
    with pytest.raises(ValidationError, match="Không thể chuyển"):
        services.dossier_transition(dossier, S.PROVINCE_RECEIVED, actor=users["office"])
    services.dossier_transition(dossier, S.SUBMITTED, actor=users["producer"] if False else users["officer"])
    with pytest.raises(ValidationError, match="Mẫu 03"):
        services.dossier_transition(dossier, S.COMMUNE_FORWARDED, actor=users["officer"])
    with pytest.raises(PermissionDenied):
        services.dossier_transition(dossier, S.COMMUNE_FORWARDED, actor=users["council"])
    with pytest.raises(ValidationError, match="bổ sung"):
        services.dossier_transition(dossier, S.DRAFT, actor=users["officer"], comment="  ")
    dossier.refresh_from_db()
    assert dossier.state == S.SUBMITTED
    assert DossierTransition.objects.filter(dossier=dossier).count() == 2


def test_other_communes_officer_cannot_move_the_dossier(users):
    foreign = ProductFactory(
        producer=users["foreign_producer"],
        category=Classification.objects.get(scheme="QD26-2026", code="I.3.c"),
    )
    dossier = services.dossier_create(foreign, kind="new", actor=users["office"])
    with pytest.raises(PermissionDenied):
        services.dossier_transition(dossier, S.SUBMITTED, actor=users["officer"])


def test_a_group_level_category_is_refused_naming_the_field(users):
    group_only = ProductFactory(
        producer=users["own_producer"], category=Classification.objects.get(scheme="QD26-2026", code="I")
    )
    with pytest.raises(ValidationError) as exc:
        services.dossier_create(group_only, kind="new", actor=users["officer"])
    [message] = exc.value.message_dict["product"]
    assert "«Phân nhóm»" in message and "I Thực phẩm" in message
    assert not Dossier.objects.filter(product=group_only).exists()


def test_one_open_dossier_per_product_and_kind_rules(product, users):
    services.dossier_create(product, kind="new", actor=users["officer"])
    with pytest.raises(ValidationError, match="đang xử lý"):
        services.dossier_create(product, kind="new", actor=users["officer"])
    other = ProductFactory(
        producer=users["own_producer"], category=Classification.objects.get(scheme="QD26-2026", code="I.1.a")
    )
    with pytest.raises(ValidationError, match="Nâng hạng"):
        services.dossier_create(other, kind="upgrade", actor=users["officer"])
    certificate_issue(other, stars=3, issued_on=dt.date(2025, 1, 10), actor=users["office"])
    with pytest.raises(ValidationError, match="nâng hạng hoặc công nhận lại"):
        services.dossier_create(other, kind="new", actor=users["officer"])
    assert services.dossier_create(other, kind="upgrade", actor=users["officer"]).kind == "upgrade"


def test_reevaluation_only_in_the_180_to_120_day_window(product, users):
    # A certificate of Decision 26/2026 (an older one may apply late: test_rules_decree).
    certificate = certificate_issue(product, stars=3, issued_on=dt.date(2026, 6, 10), actor=users["office"])
    expires = certificate.expires_on  # 10/06/2029
    with pytest.raises(ValidationError, match="180 đến 120 ngày"):
        services.dossier_create(
            product, kind="reevaluation", actor=users["officer"], today=expires - dt.timedelta(days=181)
        )
    with pytest.raises(ValidationError):
        services.dossier_create(
            product, kind="reevaluation", actor=users["officer"], today=expires - dt.timedelta(days=119)
        )
    dossier = services.dossier_create(
        product, kind="reevaluation", actor=users["officer"], today=expires - dt.timedelta(days=150)
    )
    assert dossier.renews == certificate


def test_commune_lateness_counts_working_days(product, users):
    dossier = services.dossier_create(product, kind="new", actor=users["officer"])
    services.dossier_transition(dossier, S.SUBMITTED, actor=users["officer"], today=dt.date(2026, 8, 24))
    dossier.refresh_from_db()
    assert not commune_is_late(dossier, today=dt.date(2026, 9, 16))
    assert commune_is_late(dossier, today=dt.date(2026, 9, 17))


def test_round_cutoff_and_scoring(product, users, council):
    dossier = received(product, users)
    late_round = services.round_create(
        name="Đợt 1/2026",
        year=2026,
        number=1,
        chair=council["chair"],
        members=[council["m1"], council["m2"]],
        actor=users["office"],
    )
    services.round_assign(late_round, [dossier], actor=users["office"])
    dossier.refresh_from_db()
    assert dossier.state == S.IN_ROUND and dossier.round == late_round
    sheet_def = services.sheet_for(dossier, late_round.criteria_set)
    assert sheet_def.classification_code == "I.3.c"

    with pytest.raises(PermissionDenied):
        services.scoresheet_save(late_round, dossier, actor=users["officer"], choices={})
    partial = dict(list(choose(sheet_def, 60).items())[:3])
    draft = services.scoresheet_save(late_round, dossier, actor=council["m1"], choices=partial)
    assert draft.status == ScoreSheet.Status.DRAFT
    with pytest.raises(ValidationError) as exc:
        services.scoresheet_save(late_round, dossier, actor=council["m1"], choices=partial, submit=True)
    assert len(exc.value.message_dict) > 5  # every unscored criterion is named
    with pytest.raises(ValidationError, match="lựa chọn không hợp lệ"):
        services.scoresheet_save(late_round, dossier, actor=council["m1"], choices={"1.1": "9.9.z"})

    for member, points in ((council["m1"], 72), (council["m2"], 76), (council["chair"], 74)):
        sheet = services.scoresheet_save(
            late_round, dossier, actor=member, choices=choose(sheet_def, points), submit=True
        )
        assert sheet.total == points
    with pytest.raises(ValidationError, match="đã nộp"):
        services.scoresheet_save(late_round, dossier, actor=council["m1"], choices=choose(sheet_def, 99))

    with pytest.raises(PermissionDenied):
        services.round_close(late_round, actor=council["m1"])
    (result,) = services.round_close(late_round, actor=council["chair"])
    assert result.score == Decimal("74.00") and not result.needs_discussion
    dossier.refresh_from_db()
    assert dossier.state == S.SCORED and dossier.score == Decimal("74.00")
    assert dossier.stars == result.stars
    assert latest_sheet(product).member == council["chair"]  # closest to the mean


def test_round_refuses_dossiers_forwarded_after_the_cutoff(product, users, council):
    dossier = received(product, users)
    Dossier.objects.filter(pk=dossier.pk).update(forwarded_on=dt.date(2026, 5, 2))
    round_ = services.round_create(
        name="Đợt 1", year=2026, number=1, chair=council["chair"], members=[], actor=users["office"]
    )
    with pytest.raises(ValidationError, match="không trước ngày 30/04/2026"):
        services.round_assign(round_, [dossier], actor=users["office"])
    extra = services.round_create(
        name="Đợt bổ sung", year=2026, number=3, chair=council["chair"], members=[], actor=users["office"]
    )
    services.round_assign(extra, [dossier], actor=users["office"])


def test_wide_disagreement_is_flagged_for_discussion(product, users, council):
    dossier = received(product, users)
    round_ = services.round_create(
        name="Đợt 2",
        year=2026,
        number=2,
        chair=council["chair"],
        members=[council["m1"]],
        actor=users["office"],
    )
    services.round_assign(round_, [dossier], actor=users["office"])
    sheet_def = services.sheet_for(dossier, round_.criteria_set)
    services.scoresheet_save(round_, dossier, actor=council["m1"], choices=choose(sheet_def, 55), submit=True)
    services.scoresheet_save(
        round_, dossier, actor=council["chair"], choices=choose(sheet_def, 90), submit=True
    )
    (result,) = services.round_close(round_, actor=council["chair"])
    assert result.needs_discussion and result.spread == 35
    assert result.score == Decimal("72.50")


def test_minimum_marks_count_when_most_members_meet_them(product, users, council):
    from evaluation.models import ScoreSheet as Sheet

    def sheet(total, marks):
        return Sheet(total=Decimal(total), marks_met={"3": marks[0], "4": marks[1], "5": marks[2]})

    met_by_two = services.council_result(
        [sheet(75, (True, True, False)), sheet(77, (True, True, False)), sheet(74, (True, False, False))]
    )
    assert met_by_two["result"].stars == 4
    met_by_one = services.council_result(
        [sheet(75, (True, True, False)), sheet(77, (True, False, False)), sheet(74, (True, False, False))]
    )
    assert met_by_one["result"].stars == 3 and met_by_one["result"].blocked_by == [4]


def test_closing_needs_a_submitted_sheet_for_every_dossier(product, users, council):
    dossier = received(product, users)
    round_ = services.round_create(
        name="Đợt 2", year=2026, number=2, chair=council["chair"], members=[], actor=users["office"]
    )
    services.round_assign(round_, [dossier], actor=users["office"])
    with pytest.raises(ValidationError, match="Chưa có phiếu"):
        services.round_close(round_, actor=council["chair"])
    assert Round.objects.get(pk=round_.pk).status == Round.Status.OPEN
    dossier.refresh_from_db()
    assert dossier.state == S.IN_ROUND


def test_criteria_set_reload_is_idempotent_and_refuses_bad_sets(users):
    from evaluation.criteria import CriteriaSetInvalid
    from evaluation.models import CriteriaSet

    current = CriteriaSet.objects.get(code="QD26-2026", is_active=True)
    same, created = services.criteria_set_load(current.document, actor=users["office"])
    assert not created and same.pk == current.pk
    broken = dict(current.document, sheets=[dict(current.document["sheets"][0], number=99)])
    with pytest.raises(CriteriaSetInvalid):
        services.criteria_set_load(broken, actor=users["office"])
    with pytest.raises(PermissionDenied):
        services.criteria_set_load(current.document, actor=users["officer"])
    assert CriteriaSet.objects.filter(code="QD26-2026").count() == 1


def scored(product, users, council, points: int):
    dossier = received(product, users)
    round_ = services.round_create(
        name="Đợt 1", year=2026, number=1, chair=council["chair"], members=[], actor=users["office"]
    )
    services.round_assign(round_, [dossier], actor=users["office"])
    sheet_def = services.sheet_for(dossier, round_.criteria_set)
    # Meet every minimum mark, then aim at the points.
    chosen = choose(sheet_def, points)
    services.scoresheet_save(round_, dossier, actor=council["chair"], choices=chosen, submit=True)
    services.round_close(round_, actor=council["chair"])
    return Round.objects.get(pk=round_.pk), Dossier.objects.get(pk=dossier.pk)


def test_decision_certifies_3_and_4_stars_and_sends_90_plus_to_the_ministry(users, council):
    leaf = Classification.objects.get(scheme="QD26-2026", code="I.3.c")
    low = ProductFactory(producer=users["own_producer"], category=leaf, name="Sản phẩm thấp")
    high = ProductFactory(producer=users["own_producer"], category=leaf, name="Sản phẩm cao")
    round_low, d_low = scored(low, users, council, 40)
    round_high, d_high = scored(high, users, council, 100)
    assert d_low.stars < 3 and d_high.stars == 5
    with pytest.raises(PermissionDenied):
        services.round_decide(
            round_high,
            number="1/QĐ-UBND",
            signed_on=dt.date(2026, 6, 20),
            signer_name="Chủ tịch",
            actor=council["chair"],
        )
    outcome = services.round_decide(
        round_low,
        number="12/QĐ-UBND",
        signed_on=dt.date(2026, 6, 20),
        signer_name="Chủ tịch UBND tỉnh",
        actor=users["office"],
    )
    assert outcome["not_recognised"] == [d_low]
    services.round_decide(
        round_high,
        number="13/QĐ-UBND",
        signed_on=dt.date(2026, 6, 20),
        signer_name="Chủ tịch UBND tỉnh",
        actor=users["office"],
    )
    d_high.refresh_from_db()
    assert d_high.state == S.SENT_TO_MINISTRY and d_high.certificate is None
    with pytest.raises(ValidationError):
        services.ministry_result(d_high, score=Decimal("93"), actor=users["office"])  # no decision given
    services.ministry_result(
        d_high,
        score=Decimal("93.5"),
        number="99/QĐ-BNNMT",
        signed_on=dt.date(2026, 9, 1),
        signer_name="Bộ trưởng",
        actor=users["office"],
    )
    d_high.refresh_from_db()
    assert d_high.state == S.RECOGNISED_5_STAR
    assert d_high.certificate.stars == 5 and d_high.certificate.issuer == "ministry"


def test_province_certifies_on_the_ministry_score_when_below_90(users, council):
    leaf = Classification.objects.get(scheme="QD26-2026", code="I.3.c")
    product = ProductFactory(producer=users["own_producer"], category=leaf)
    round_, dossier = scored(product, users, council, 100)
    services.round_decide(
        round_,
        number="14/QĐ-UBND",
        signed_on=dt.date(2026, 6, 20),
        signer_name="Chủ tịch",
        actor=users["office"],
    )
    services.ministry_result(dossier, score=Decimal("84"), actor=users["office"])
    dossier.refresh_from_db()
    assert dossier.state == S.RETURNED
    services.province_certify_returned(
        dossier,
        number="15/QĐ-UBND",
        signed_on=dt.date(2026, 10, 1),
        signer_name="Chủ tịch",
        actor=users["office"],
    )
    dossier.refresh_from_db()
    assert dossier.state == S.RECOGNISED and dossier.certificate.stars == 4
    assert dossier.certificate.expires_on == dt.date(2029, 10, 1)


def test_recognised_round_issues_certificates(users, council):
    leaf = Classification.objects.get(scheme="QD26-2026", code="I.3.c")
    product = ProductFactory(producer=users["own_producer"], category=leaf)
    round_, dossier = scored(product, users, council, 100)
    # Lower the council result to a 4★ band to take the provincial path.
    round_.results.update(stars=4, score=Decimal("80"))
    services.round_decide(
        round_,
        number="16/QĐ-UBND",
        signed_on=dt.date(2026, 6, 20),
        signer_name="Chủ tịch",
        actor=users["office"],
    )
    dossier.refresh_from_db()
    assert dossier.state == S.RECOGNISED
    certificate = dossier.certificate
    assert (certificate.stars, certificate.score, certificate.decision_number) == (
        4,
        Decimal("80"),
        "16/QĐ-UBND",
    )
    assert certificate.issued_on == dt.date(2026, 6, 20) and certificate.is_current
    assert Round.objects.get(pk=round_.pk).status == Round.Status.DECIDED
