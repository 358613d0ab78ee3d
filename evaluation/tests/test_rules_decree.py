"""The rules Decision 26/2026/QĐ-TTg sets that the process used to get wrong (issue 14, point 6):
each with the case it allows and the cases it refuses."""

import datetime as dt
import warnings
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from certificates.models import Certificate
from certificates.services import certificate_issue
from core.testing import ProductFactory, make_user
from evaluation import services
from evaluation import stars as star_rule
from evaluation.criteria import validate_criteria_set
from evaluation.models import Dossier, DossierState, Round, RoundResult, ScoreSheet
from evaluation.rounds import dossier_regime, forward_before, round_ends_before
from evaluation.workdays import (
    HolidayCalendarMissing,
    covered_years,
    is_working_day,
    missing_years,
    working_days_between,
)
from products.models import Classification

pytestmark = pytest.mark.django_db
S = DossierState
TODAY = timezone.localdate()


@pytest.fixture
def category():
    return Classification.objects.get(scheme="QD26-2026", code="I.3.c")


@pytest.fixture
def product(users, category):
    return ProductFactory(producer=users["own_producer"], name="Thạch đen Chi Lăng", category=category)


@pytest.fixture
def council(users):
    return {
        "chair": make_user("chair", Role.COUNCIL_MEMBER),
        "m1": make_user("m1", Role.COUNCIL_MEMBER),
        "m2": make_user("m2", Role.COUNCIL_MEMBER),
    }


def _round(council, users, number=3, year=2026, **kw):
    return services.round_create(
        name=f"Đợt {number}/{year}",
        year=year,
        number=number,
        chair=council["chair"],
        members=[council["m1"], council["m2"]],
        actor=users["office"],
        **kw,
    )


def _scored(product, round_, kind, *, score, stars, band=None, knocked_out=False, renews=None):
    """A dossier the council has scored (round closed): the decision's input, without scoring 26 sheets."""
    dossier = Dossier.objects.create(
        product=product, kind=kind, state=S.SCORED, round=round_, score=score, stars=stars, renews=renews
    )
    RoundResult.objects.create(
        round=round_,
        dossier=dossier,
        sheets_count=3,
        score=score,
        lowest=score,
        highest=score,
        band_stars=band or star_rule.band_stars(score),
        stars=stars,
        knocked_out=knocked_out,
    )
    return dossier


def _decide(round_, users, number="12/QĐ-UBND"):
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.CLOSED, closed_at=timezone.now())
    return services.round_decide(
        round_, number=number, signed_on=TODAY, signer_name="Nguyễn Văn A", actor=users["office"]
    )


# --------------------------------------------------------------------------- upgrade never lowers


def test_upgrade_that_reaches_no_higher_star_keeps_the_certificate(users, council, category):
    four_a = ProductFactory(producer=users["own_producer"], category=category)
    four_b = ProductFactory(producer=users["own_producer"], category=category)
    three = ProductFactory(producer=users["own_producer"], category=category)
    issued = dt.date(2026, 6, 10)
    cert_a = certificate_issue(four_a, stars=4, issued_on=issued, actor=users["office"], score=Decimal(75))
    cert_b = certificate_issue(four_b, stars=4, issued_on=issued, actor=users["office"], score=Decimal(75))
    certificate_issue(three, stars=3, issued_on=issued, actor=users["office"], score=Decimal(55))
    round_ = _round(council, users)
    lower = _scored(four_a, round_, "upgrade", score=Decimal(60), stars=3)
    same = _scored(four_b, round_, "upgrade", score=Decimal(72), stars=4)
    higher = _scored(three, round_, "upgrade", score=Decimal(75), stars=4)

    outcome = _decide(round_, users)

    assert {d.pk for d in outcome["kept"]} == {lower.pk, same.pk}
    assert [d.pk for d in outcome["recognised"]] == [higher.pk]
    for dossier, cert in ((lower, cert_a), (same, cert_b)):
        dossier.refresh_from_db()
        assert dossier.state == S.KEPT and dossier.certificate is None
        # No new (lower) certificate, no expiry moved: the current certificate is untouched.
        assert list(Certificate.objects.filter(product=dossier.product)) == [cert]
        fresh = Certificate.objects.get(pk=cert.pk)
        assert (fresh.stars, fresh.expires_on, fresh.is_current) == (4, cert.expires_on, True)
        assert "Không nâng hạng" in dossier.transitions.last().comment
    assert Certificate.objects.get(product=three, is_current=True).stars == 4


def test_failed_upgrade_is_kept_and_a_reevaluation_may_lower(users, council, category):
    four = ProductFactory(producer=users["own_producer"], category=category)
    renewing = ProductFactory(producer=users["own_producer"], category=category)
    issued = dt.date(2026, 6, 10)
    kept = certificate_issue(four, stars=4, issued_on=issued, actor=users["office"])
    old = certificate_issue(renewing, stars=4, issued_on=issued, actor=users["office"])
    round_ = _round(council, users)
    failed = _scored(four, round_, "upgrade", score=Decimal(40), stars=2)
    lowered = _scored(renewing, round_, "reevaluation", score=Decimal(60), stars=3, renews=old)
    outcome = _decide(round_, users)
    assert [d.pk for d in outcome["kept"]] == [failed.pk]
    assert Certificate.objects.get(product=four, is_current=True) == kept
    # Lowering a rank is what re-evaluation does: a new 3★ certificate replaces the 4★ one.
    assert [d.pk for d in outcome["recognised"]] == [lowered.pk]
    assert Certificate.objects.get(product=renewing, is_current=True).stars == 3


def test_returned_upgrade_below_current_is_kept(users, council, category):
    product = ProductFactory(producer=users["own_producer"], category=category)
    current = certificate_issue(product, stars=4, issued_on=dt.date(2026, 6, 10), actor=users["office"])
    round_ = _round(council, users)
    dossier = _scored(product, round_, "upgrade", score=Decimal(91), stars=5)
    _decide(round_, users)
    services.ministry_result(dossier, score=Decimal(80), actor=users["office"])
    dossier = services.province_certify_returned(
        dossier, number="13/QĐ-UBND", signed_on=TODAY, signer_name="A", actor=users["office"]
    )
    assert dossier.state == S.KEPT
    assert list(Certificate.objects.filter(product=product)) == [current]


# --------------------------------------------------------------------------- ≥ 90 → Ministry; returned


def test_every_score_of_ninety_goes_to_the_ministry_whatever_its_marks(users, council, category):
    capped = ProductFactory(producer=users["own_producer"], category=category)
    knocked = ProductFactory(producer=users["own_producer"], category=category)
    round_ = _round(council, users)
    # 92 points but a 4★ mark missed: capped at 4★, still proposed to the Ministry.
    d1 = _scored(capped, round_, "new", score=Decimal(92), stars=4, band=5)
    d2 = _scored(knocked, round_, "new", score=Decimal(95), stars=0, band=5, knocked_out=True)
    outcome = _decide(round_, users)
    assert [d.pk for d in outcome["sent_to_ministry"]] == [d1.pk]
    assert [d.pk for d in outcome["not_recognised"]] == [d2.pk]
    assert not Certificate.objects.filter(product=capped).exists()


def test_a_returned_dossier_may_be_re_evaluated_by_the_province(product, users, council):
    round_ = _round(council, users)
    dossier = _scored(product, round_, "new", score=Decimal(90), stars=5)
    _decide(round_, users)
    with pytest.raises(ValidationError, match="Bộ trả lại"):
        services.dossier_reevaluate_returned(dossier, actor=users["office"], comment="Chấm lại")
    services.ministry_result(dossier, score=Decimal(86), actor=users["office"])
    with pytest.raises(ValidationError, match="lý do"):
        services.dossier_reevaluate_returned(dossier, actor=users["office"], comment=" ")
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied for a council member
        services.dossier_reevaluate_returned(dossier, actor=council["m1"], comment="Chấm lại")
    dossier = services.dossier_reevaluate_returned(
        dossier, actor=users["office"], comment="Bổ sung phiếu kiểm nghiệm, đánh giá lại"
    )
    assert dossier.state == S.PROVINCE_RECEIVED and dossier.score is None
    again = _round(council, users, number=4)
    services.round_assign(again, [dossier], actor=users["office"])
    dossier.refresh_from_db()
    assert dossier.state == S.IN_ROUND and dossier.round == again


# --------------------------------------------------------------------------- minimum marks per criterion


def _sheet_def(criteria_set_code="QD26-2026"):
    return services.active_criteria_set(criteria_set_code).parsed().sheet_for("I.3.c")


def _best(sheet_def) -> dict[str, str]:
    return {c.code: max(c.choices, key=lambda o: o.points).code for c in sheet_def.criteria()}


def _marked_4(sheet_def):
    """Criteria carrying a 4★ mark, with the option just below the mark (misses it)."""
    out = []
    for criterion in sheet_def.criteria():
        marks = [o for o in criterion.choices if o.min_star == 4]
        if marks:
            below = [o for o in criterion.choices if o.points < marks[0].points and not o.stops]
            if below:
                out.append((criterion.code, max(below, key=lambda o: o.points).code))
    return out


def _mem(sheet_def, choices, total):
    return ScoreSheet(choices=choices, total=Decimal(total))


def test_the_reading_is_written_in_the_criteria_data_and_checked():
    criteria = services.active_criteria_set().parsed()
    assert criteria.council_marks_rule == "per_criterion_majority"
    assert "quá nửa số phiếu" in criteria.meta["council_marks_note"]
    raw = {"council_marks_rule": "any_member", "id": "X", "title_vi": "X", "status": "official"}
    assert any("council_marks_rule" in p for p in validate_criteria_set(raw))


def test_three_members_missing_different_marks_do_not_sink_the_product():
    sheet_def = _sheet_def()
    marked = _marked_4(sheet_def)
    assert len(marked) >= 3
    sheets = []
    for code, below in marked[:3]:
        choices = _best(sheet_def) | {code: below}
        sheets.append(_mem(sheet_def, choices, 85))
    per_criterion = services.council_result(sheets, sheet_def, "per_criterion_majority")
    assert per_criterion["result"].stars == 4 and per_criterion["missed"] == {}
    # The earlier reading (per star level) sank it: refused now, kept only as the other data value.
    per_level = services.council_result(sheets, sheet_def, "per_level_majority")
    assert per_level["result"].stars == 3


def test_a_mark_most_members_miss_caps_the_star_and_names_the_criterion():
    sheet_def = _sheet_def()
    (code, below), (other, other_below) = _marked_4(sheet_def)[:2]
    sheets = [
        _mem(sheet_def, _best(sheet_def) | {code: below, other: other_below}, 85),
        _mem(sheet_def, _best(sheet_def) | {code: below, other: other_below}, 87),
        _mem(sheet_def, _best(sheet_def), 89),
    ]
    computed = services.council_result(sheets, sheet_def, "per_criterion_majority")
    assert computed["result"].stars == 3 and computed["result"].blocked_by == [4]
    assert computed["missed"] == {"4": [code, other]}
    result = RoundResult(
        score=computed["score"], stars=3, band_stars=4, blocked_by=[4], missed_marks=computed["missed"]
    )
    assert result.cap_text == (f"87 điểm, 3★: tiêu chí {code} và {other} chưa đạt mức tối thiểu của 4★")


def test_council_marks_pure_rule():
    members = [
        {4: {"5.1": False, "6.1": True}},
        {4: {"5.1": True, "6.1": False}},
        {4: {"5.1": True, "6.1": True}},
    ]
    met, missed = star_rule.council_marks(members)
    assert met[4] and missed[4] == []
    met, missed = star_rule.council_marks(members[:2])
    assert not met[4] and missed[4] == ["5.1", "6.1"]  # one of two is not "most"
    with pytest.raises(ValueError):
        star_rule.council_marks(members, "any_member")
    with pytest.raises(ValueError):
        star_rule.council_marks([])


# --------------------------------------------------------------------------- stop rules and facts


def test_stop_rules_are_marked_in_the_sheets_data():
    criteria = services.active_criteria_set().parsed()
    stops = {
        (s.number, c.code, o.code)
        for s in criteria.sheets
        for c in s.criteria()
        for o in c.choices
        if o.stops
    }
    food = criteria.sheet_for("I.3.c")
    foreign = food.criterion("6.1").choice("6.1.dung")
    assert foreign.stops and foreign.from_note and foreign.points == 0
    cosmetics = [(n, c, o) for n, c, o in stops if o == "6.a"]
    assert cosmetics, "no declaration (mỹ phẩm) stops the sheet"
    # Every criterion whose note says "không đánh giá các bước tiếp theo" has its stop option.
    for sheet in criteria.sheets:
        for criterion in sheet.criteria():
            note = (criterion.knockout_vi or "").lower()
            if "không đánh giá các bước tiếp theo" in note or "không xem xét các chỉ tiêu khác" in note:
                assert any(o.stops for o in criterion.choices) or any(
                    o.stops for c in sheet.criteria() for o in c.choices
                ), (sheet.number, criterion.code)


def _in_round(product, users, council, number=3):
    dossier = services.dossier_create(product, kind="new", actor=users["office"])
    Dossier.objects.filter(pk=dossier.pk).update(state=S.PROVINCE_RECEIVED, forwarded_on=dt.date(2026, 3, 1))
    round_ = _round(council, users, number=number)
    services.round_assign(round_, [dossier], actor=users["office"])
    dossier.refresh_from_db()
    return round_, dossier


def test_picking_a_stop_option_ends_the_sheet(product, users, council):
    round_, dossier = _in_round(product, users, council)
    sheet_def = _sheet_def()
    choices = _best(sheet_def) | {"6.1": "6.1.dung"}
    codes = [c.code for c in sheet_def.criteria()]
    after = codes[codes.index("6.1") + 1 :]
    for code in after[:2]:
        choices.pop(code)  # not scored after the stop: submitting is still allowed
    sheet = services.scoresheet_save(round_, dossier, actor=council["m1"], choices=choices, submit=True)
    assert sheet.knocked_out and sheet.knockout_kind == ScoreSheet.Knockout.STOP
    assert "không đánh giá các bước tiếp theo" in sheet.knockout_reason
    assert not set(after) & set(sheet.choices)
    # Without the stop, the same unanswered criteria are refused on submit.
    with pytest.raises(ValidationError, match="chưa được chấm"):
        services.scoresheet_save(
            round_,
            dossier,
            actor=council["m2"],
            choices={k: v for k, v in choices.items() if k != "6.1"},
            submit=True,
        )


def test_a_fact_with_evidence_disqualifies_alone_a_judgement_needs_a_majority(product, users, council):
    round_, dossier = _in_round(product, users, council)
    sheet_def = _sheet_def()
    with pytest.raises(ValidationError) as refused:
        services.scoresheet_save(
            round_, dossier, actor=council["m1"], choices=_best(sheet_def), knocked_out=True,
            knockout_kind="fact", knockout_reason="Giả mạo phiếu kiểm nghiệm",
        )  # fmt: skip
    assert "knockout_evidence" in refused.value.message_dict
    services.scoresheet_save(
        round_, dossier, actor=council["m1"], choices=_best(sheet_def), knocked_out=True,
        knockout_kind="fact", knockout_reason="Giả mạo phiếu kiểm nghiệm",
        knockout_evidence="Phiếu số 123/KN không có trong sổ của phòng thử nghiệm", submit=True,
    )  # fmt: skip
    for member in ("m2", "chair"):
        services.scoresheet_save(
            round_, dossier, actor=council[member], choices=_best(sheet_def), submit=True
        )
    (result,) = services.round_close(round_, actor=council["chair"])
    assert result.knocked_out and result.stars == 0

    # One member's judgement out of three does not disqualify.
    other = ProductFactory(producer=users["own_producer"], category=dossier.product.category)
    round2, dossier2 = _in_round(other, users, council, number=4)
    services.scoresheet_save(
        round2, dossier2, actor=council["m1"], choices=_best(sheet_def), knocked_out=True,
        knockout_reason="Giống sản phẩm khác", submit=True,
    )  # fmt: skip
    for member in ("m2", "chair"):
        services.scoresheet_save(
            round2, dossier2, actor=council[member], choices=_best(sheet_def), submit=True
        )
    (result2,) = services.round_close(round2, actor=council["chair"])
    assert not result2.knocked_out and result2.stars == 5


# --------------------------------------------------------------------------- round dates


def test_round_end_dates_and_late_rounds(users, council):
    one = Round(year=2026, number=1)
    two = Round(year=2026, number=2)
    extra = Round(year=2026, number=3)
    assert round_ends_before(one) == dt.date(2026, 6, 30) and round_ends_before(two) == dt.date(2026, 12, 30)
    assert forward_before(two) == dt.date(2026, 10, 30)
    assert not one.is_late_on(dt.date(2026, 6, 29)) and one.is_late_on(dt.date(2026, 6, 30))
    assert round_ends_before(extra) is None and not extra.is_late_on(dt.date(2027, 1, 1))
    extra.deadline = dt.date(2026, 8, 15)
    assert extra.is_late_on(dt.date(2026, 8, 15))
    closed = Round(year=2026, number=1, closed_at=dt.datetime(2026, 6, 29, 9, tzinfo=dt.UTC))
    assert not closed.is_late_on(dt.date(2026, 7, 5))


def test_before_thirty_october_excludes_thirty_october(product, users, council, category):
    on_cutoff = services.dossier_create(product, kind="new", actor=users["office"])
    day_before = services.dossier_create(
        ProductFactory(producer=users["own_producer"], category=category), kind="new", actor=users["office"]
    )
    Dossier.objects.filter(pk=on_cutoff.pk).update(
        state=S.PROVINCE_RECEIVED, forwarded_on=dt.date(2026, 10, 30)
    )
    Dossier.objects.filter(pk=day_before.pk).update(
        state=S.PROVINCE_RECEIVED, forwarded_on=dt.date(2026, 10, 29)
    )
    round_ = _round(council, users, number=2)
    with pytest.raises(ValidationError, match="không trước ngày 30/10/2026"):
        services.round_assign(round_, [on_cutoff], actor=users["office"])
    services.round_assign(round_, [day_before], actor=users["office"])
    day_before.refresh_from_db()
    assert day_before.state == S.IN_ROUND


# --------------------------------------------------------------------------- Điều 12


def test_dossiers_lodged_before_22_may_2026_finish_under_the_old_rules():
    new = Dossier(kind="new", submitted_on=dt.date(2026, 5, 21))
    regime = dossier_regime(new, dt.date(2026, 7, 21))
    assert (regime.criteria_set, regime.finish_by, regime.lapsed) == (
        "QD148-2023",
        dt.date(2026, 7, 21),
        False,
    )
    assert dossier_regime(new, dt.date(2026, 7, 22)).lapsed
    renewal = Dossier(kind="reevaluation", submitted_on=dt.date(2026, 5, 1))
    assert dossier_regime(renewal, dt.date(2026, 6, 1)).finish_by == dt.date(2026, 6, 21)
    assert dossier_regime(Dossier(kind="new", submitted_on=dt.date(2026, 5, 22))).criteria_set == "QD26-2026"
    assert dossier_regime(Dossier(kind="new")).criteria_set == "QD26-2026"


def test_a_dossier_lodged_before_22_may_scored_on_the_26_sheets_says_which_rules_applied(
    client, product, users, council
):
    """Điều 12: lodged before 22/5/2026 and decided within its 60 days, it finishes under 148; the
    council scored it on the 26/2026 sheets (148's tables are not in the system): the dossier and the
    certificate say both, and why."""
    round_ = _round(council, users)
    dossier = _scored(product, round_, "new", score=Decimal("75"), stars=4)
    Dossier.objects.filter(pk=dossier.pk).update(submitted_on=dt.date(2026, 5, 10))
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.CLOSED, closed_at=timezone.now())
    services.round_decide(
        round_,
        number="30/QĐ-UBND",
        signed_on=dt.date(2026, 7, 10),  # within 60 days of 22/5/2026
        signer_name="Nguyễn Văn A",
        actor=users["office"],
    )
    dossier.refresh_from_db()
    certificate = dossier.certificate
    assert (certificate.criteria_set, certificate.scored_with) == ("QD148-2023", "QD26-2026")
    client.force_login(users["office"])
    page = client.get(reverse("certificates:detail", args=[certificate.pk])).content.decode()
    assert "hoàn thành theo quy định cũ (QĐ 148/QĐ-TTg (2023))" in page
    assert "điểm được chấm trên phiếu của QĐ 26/2026/QĐ-TTg" in page
    page = client.get(reverse("evaluation:dossier_detail", args=[dossier.pk])).content.decode()
    assert "Nộp trước 22/05/2026: hoàn thành theo quy định cũ" in page
    assert f"Phiếu chấm: {round_.criteria_set}" in page and "không có bảng điểm của QĐ 148" in page


def test_a_dossier_under_26_2026_names_no_transitional_rules(client, product, users, council):
    round_ = _round(council, users)
    dossier = _scored(product, round_, "new", score=Decimal("75"), stars=4)
    Dossier.objects.filter(pk=dossier.pk).update(submitted_on=dt.date(2026, 5, 22))  # the first day of 26
    _decide(round_, users)
    dossier.refresh_from_db()
    assert (dossier.certificate.criteria_set, dossier.certificate.scored_with) == ("QD26-2026", "")
    client.force_login(users["office"])
    page = client.get(reverse("certificates:detail", args=[dossier.certificate.pk])).content.decode()
    assert 'id="rules-applied"' not in page
    page = client.get(reverse("evaluation:dossier_detail", args=[dossier.pk])).content.decode()
    assert 'id="rules-applied"' not in page and "quy định cũ" not in page


def _expired_148(product, users, days_ago):
    expires = TODAY - dt.timedelta(days=days_ago)
    issued = expires.replace(year=expires.year - 3)
    certificate = certificate_issue(
        product, stars=4, issued_on=issued, actor=users["office"], criteria_set="QD148-2023"
    )
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=expires)
    return Certificate.objects.get(pk=certificate.pk)


def test_a_148_certificate_whose_holder_applied_stays_valid_until_the_decision(product, users, council):
    certificate = _expired_148(product, users, days_ago=10)
    assert not Certificate.objects.valid().filter(pk=certificate.pk).exists()
    dossier = services.dossier_create(product, kind="reevaluation", actor=users["officer"])
    assert dossier.renews == certificate
    services.dossier_transition(dossier, S.SUBMITTED, actor=users["officer"])
    certificate.refresh_from_db()
    assert certificate.held_until == certificate.expires_on + dt.timedelta(days=180)
    assert Certificate.objects.valid().filter(pk=certificate.pk).exists()
    assert certificate.is_valid and certificate.is_held_on()
    assert Certificate.objects.with_status("expired").filter(pk=certificate.pk).count() == 0
    assert "valid_until" in str(Certificate.objects.valid().query)

    # The decision (not recognised) ends the hold: valid on the decision day, not after.
    round_ = _round(council, users)
    Dossier.objects.filter(pk=dossier.pk).update(state=S.SCORED, round=round_, score=40, stars=2)
    RoundResult.objects.create(
        round=round_, dossier=dossier, sheets_count=1, score=40, lowest=40, highest=40, band_stars=2, stars=2
    )
    _decide(round_, users)
    certificate.refresh_from_db()
    assert certificate.held_until == TODAY
    assert not Certificate.objects.valid(TODAY + dt.timedelta(days=1)).filter(pk=certificate.pk).exists()


def test_no_hold_past_180_days_nor_for_a_26_2026_certificate(product, users, category):
    _expired_148(product, users, days_ago=181)
    with pytest.raises(ValidationError, match="hồ sơ đánh giá mới"):
        services.dossier_create(product, kind="reevaluation", actor=users["officer"])
    from certificates.services import certificate_hold

    recent = ProductFactory(producer=users["own_producer"], category=category)
    current = certificate_issue(recent, stars=3, issued_on=dt.date(2026, 6, 10), actor=users["office"])
    with pytest.raises(ValidationError, match="trước Quyết định 26/2026"):
        certificate_hold(current, actor=users["office"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=current.pk).update(held_until=current.expires_on)  # not after expiry


def test_a_product_past_its_window_has_the_new_dossier_path(product, users):
    certificate = certificate_issue(product, stars=3, issued_on=dt.date(2026, 6, 10), actor=users["office"])
    late = certificate.expires_on - dt.timedelta(days=100)
    with pytest.raises(ValidationError, match="nộp hồ sơ đánh giá mới"):
        services.dossier_create(product, kind="reevaluation", actor=users["officer"], today=late)
    # Before the window closes a new dossier is still refused (re-evaluate instead) …
    with pytest.raises(ValidationError, match="nâng hạng hoặc công nhận lại"):
        services.dossier_create(
            product, kind="new", actor=users["officer"], today=certificate.expires_on - dt.timedelta(days=150)
        )
    # … after it, a new dossier is the documented path.
    assert services.dossier_create(product, kind="new", actor=users["officer"], today=late).kind == "new"


# --------------------------------------------------------------------------- working days


def test_holiday_calendar_covers_2025_to_2030_and_warns_outside():
    assert set(range(2025, 2031)) <= set(covered_years())
    for tet in (dt.date(2028, 1, 26), dt.date(2029, 2, 13), dt.date(2030, 2, 4)):
        assert not is_working_day(tet)
    assert is_working_day(dt.date(2026, 1, 10))  # Saturday worked in exchange for 02/01/2026
    assert not is_working_day(dt.date(2026, 1, 2))
    assert missing_years(dt.date(2030, 12, 1), dt.date(2031, 2, 1)) == [2031]
    with pytest.warns(HolidayCalendarMissing, match="2031"):
        working_days_between(dt.date(2031, 1, 20), dt.date(2031, 2, 20))
    with warnings.catch_warnings():
        warnings.simplefilter("error", HolidayCalendarMissing)
        working_days_between(dt.date(2029, 1, 20), dt.date(2029, 2, 20))  # covered: no warning


def test_the_dossier_page_warns_about_a_year_without_calendar(client, product, users):
    dossier = services.dossier_create(product, kind="new", actor=users["office"])
    Dossier.objects.filter(pk=dossier.pk).update(state=S.SUBMITTED, submitted_on=dt.date(2030, 12, 20))
    client.force_login(users["office"])
    with pytest.warns(HolidayCalendarMissing):
        page = client.get(reverse("evaluation:dossier_detail", args=[dossier.pk])).content.decode()
    assert "Chưa có lịch nghỉ lễ năm 2031" in page


# --------------------------------------------------------------------------- product code


def test_the_ocop_product_code_is_given_when_the_dossier_enters_a_round(product, users, council, category):
    round_, dossier = _in_round(product, users, council)
    commune = product.place.code
    assert dossier.product_code == f"20-{commune}-001-2026"
    second = ProductFactory(producer=users["own_producer"], category=category)
    round2, dossier2 = _in_round(second, users, council, number=4)
    assert dossier2.product_code == f"20-{commune}-002-2026"
