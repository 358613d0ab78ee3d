"""The evaluation workflow: criteria sets, dossiers, rounds, score sheets, results, decisions."""

import datetime as dt
import json
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import Certificate
from core.audit import AuditReason
from core.content import dossiers_changed
from core.services import attribute, require_perm
from evaluation import stars as star_rule
from evaluation.criteria import CriteriaSetInvalid, Sheet, validate_criteria_set
from evaluation.documents import missing_documents
from evaluation.models import (
    CriteriaSet,
    Dossier,
    DossierKind,
    DossierState,
    DossierTransition,
    Round,
    RoundResult,
    ScoreSheet,
)
from evaluation.notify import notify_dossier_step, notify_round_assigned, notify_round_closed
from evaluation.rounds import dossier_regime, forward_before
from evaluation.rules import WHO
from evaluation.workflow import FINAL_STATES, OPEN_STATES, SYSTEM_TRANSITIONS, TRANSITIONS

S = DossierState
REEVALUATION_OPENS_DAYS = 180  # Điều 7: submit no earlier than 180 …
REEVALUATION_CLOSES_DAYS = 120  # … and no later than 120 days before expiry
DISCUSSION_SPREAD = Decimal(15)  # members' totals further apart than this are discussed
MINISTRY_FROM = Decimal(90)  # Điều 7.3: every product the council scores 90 or more goes to the Ministry
# Mã sản phẩm on the Phụ lục II sheet: (T)-(X)-(STT)-(năm), T the province's administrative code
# (Lạng Sơn: 20, QĐ 19/2025/QĐ-TTg), X the commune's, STT the commune's running number in the year.
PROVINCE_CODE = "20"


# Criteria sets ---------------------------------------------------------------------------------------


@transaction.atomic
def criteria_set_load(
    raw: dict, *, source_name: str = "", source_checksum: str = "", actor
) -> tuple[CriteriaSet, bool]:
    """Store a validated criteria set as the active revision of its code. A set with any problem
    is refused whole, every problem named; an unchanged document creates nothing."""
    if actor is not None:
        require_perm(actor, "evaluation.add_criteriaset")
    # Stored as JSON: dates become ISO strings, so an unchanged file compares equal next time.
    raw = json.loads(json.dumps(raw, default=str))
    problems = validate_criteria_set(raw)
    if problems:
        raise CriteriaSetInvalid(problems)
    code = raw["id"]
    current = CriteriaSet.objects.select_for_update().filter(code=code, is_active=True).first()
    if current is not None and current.document == raw:
        if source_checksum and current.source_checksum != source_checksum:
            current.source_checksum = source_checksum
            current.save(update_fields=["source_checksum"])
        return current, False
    revision = (current.revision + 1) if current else 1
    if current is not None:
        current.is_active = False
        current.save(update_fields=["is_active"])
    created = CriteriaSet.objects.create(
        code=code,
        revision=revision,
        title=raw.get("title_vi") or code,
        status=raw.get("status", "official"),
        document=raw,
        source_name=source_name,
        source_checksum=source_checksum,
        loaded_by=actor if getattr(actor, "pk", None) else None,
    )
    return created, True


def active_criteria_set(code: str = "QD26-2026") -> CriteriaSet:
    return CriteriaSet.objects.get(code=code, is_active=True)


# Dossiers --------------------------------------------------------------------------------------------


def _log(dossier: Dossier, src: str, dst: str, actor, comment: str) -> None:
    DossierTransition.objects.create(
        dossier=dossier,
        from_state=src,
        to_state=dst,
        actor=actor if getattr(actor, "pk", None) else None,
        comment=comment,
    )


def _move(dossier: Dossier, dst: str, actor, comment: str = "", **fields) -> Dossier:
    """Every state change goes through here: one row in the transition log and in the history."""
    if (dossier.state, dst) not in TRANSITIONS and (dossier.state, dst) not in SYSTEM_TRANSITIONS:
        raise ValidationError(
            _("Không thể chuyển hồ sơ từ “%(src)s” sang “%(dst)s”.")
            % {"src": S(dossier.state).label, "dst": S(dst).label}
        )
    src = dossier.state
    dossier.state = dst
    for key, value in fields.items():
        setattr(dossier, key, value)
    attribute(dossier, actor, AuditReason.STATE_CHANGED, f"{S(src).label} → {S(dst).label}")
    dossier.save()
    # A score given or taken back, a refusal: the product's latest scored dossier may change.
    latest_scored_refresh([dossier.product_id])
    dossier.refresh_from_db(fields=["is_latest_scored"])
    _log(dossier, src, dst, actor, comment)
    dossiers_changed()  # the dashboard's upgrade pipeline reads states and scores
    notify_dossier_step(dossier, dst, actor=actor, comment=comment)  # the next people to act
    if dst in FINAL_STATES and dossier.renews_id:
        from certificates.services import certificate_end_hold

        # Điều 12: a certificate held for this re-evaluation is valid until the decision, no longer.
        certificate_end_hold(dossier.renews, on=timezone.localdate(), actor=actor)
    return dossier


LATEST_BATCH = 500  # ids per statement (SQLite's bound parameters, PostgreSQL's plan size)


def _latest_scored_ids(dossiers) -> set[int]:
    """Each product's latest dossier (created_at, id) with a score that is not a refusal, among
    `dossiers`: the definition Dossier.is_latest_scored keeps."""
    latest = {}
    rows = (
        dossiers.filter(score__isnull=False)
        .exclude(state=S.NOT_RECOGNISED)
        .order_by("product_id", "created_at", "id")
        .values_list("product_id", "id")
    )
    for product_id, pk in rows.iterator(chunk_size=5000):
        latest[product_id] = pk  # the last one of its product wins
    return set(latest.values())


def _set_latest_scored(want: set[int], have: set[int]) -> int:
    changed = 0
    for ids, value in ((sorted(have - want), False), (sorted(want - have), True)):
        for start in range(0, len(ids), LATEST_BATCH):
            changed += Dossier.objects.filter(pk__in=ids[start : start + LATEST_BATCH]).update(
                is_latest_scored=value
            )
    return changed


def latest_scored_refresh(product_ids) -> int:
    """Write Dossier.is_latest_scored of these products' dossiers (no history: derived). Every
    move of a dossier calls it for its product inside the same transaction; bulk writers
    (generators, demo data) for the products they touched. The products' rows are locked first:
    two rounds closing at once for one product would each miss the other's score. Returns how
    many dossiers changed."""
    from products.models import Product

    ids = sorted({pk for pk in product_ids if pk is not None})
    changed = 0
    for start in range(0, len(ids), LATEST_BATCH):
        batch = ids[start : start + LATEST_BATCH]
        list(Product.objects.select_for_update().filter(pk__in=batch).order_by("pk").values_list("pk"))
        dossiers = Dossier.objects.filter(product_id__in=batch)
        have = set(dossiers.filter(is_latest_scored=True).values_list("id", flat=True))
        changed += _set_latest_scored(_latest_scored_ids(dossiers), have)
    return changed


def latest_scored_reconcile() -> int:
    """The daily check (evaluation.tasks): every dossier whose stored is_latest_scored differs
    from the definition is corrected; returns how many. Repairs what a write bypassing the
    services (raw SQL, a bare queryset.update() of a score or a state) left stale."""
    with transaction.atomic():
        have = set(Dossier.objects.filter(is_latest_scored=True).values_list("id", flat=True))
        return _set_latest_scored(_latest_scored_ids(Dossier.objects.all()), have)


def reevaluation_window(certificate: Certificate) -> tuple[dt.date, dt.date]:
    return (
        certificate.expires_on - dt.timedelta(days=REEVALUATION_OPENS_DAYS),
        certificate.expires_on - dt.timedelta(days=REEVALUATION_CLOSES_DAYS),
    )


@transaction.atomic
def dossier_create(
    product,
    *,
    kind: str,
    actor,
    renews: Certificate | None = None,
    registration_note: str = "",
    today: dt.date | None = None,
) -> Dossier:
    require_perm(actor, "evaluation.add_dossier")
    require_perm(actor, "products.change_product", product)
    today = today or timezone.localdate()
    if Dossier.objects.filter(product=product, state__in=OPEN_STATES).exists():
        raise ValidationError({"product": _("Sản phẩm đã có một hồ sơ đang xử lý.")})
    from certificates.services import certificate_is_148_era, hold_limit

    current = Certificate.objects.filter(product=product, is_current=True).first()
    if kind == DossierKind.REEVALUATION:
        renews = renews or current
        if renews is None or renews.product_id != product.pk or not renews.is_current:
            raise ValidationError({"kind": _("Công nhận lại cần giấy chứng nhận hiện hành của sản phẩm.")})
        if renews.revoked_on and renews.revoked_on <= today:
            raise ValidationError(
                {"kind": _("Giấy chứng nhận đã bị thu hồi: nộp hồ sơ đánh giá mới (lần đầu).")}
            )
        opens, closes = reevaluation_window(renews)
        # Điều 12: the holder of a certificate issued before Decision 26/2026 may still apply after
        # the window, up to 180 days past expiry; the certificate is held valid until the decision.
        late_allowed = certificate_is_148_era(renews) and closes < today <= hold_limit(renews)
        if today > closes and not late_allowed:
            raise ValidationError(
                {
                    "kind": _(
                        "Đã quá thời hạn nộp hồ sơ công nhận lại (đến %(closes)s, 120 ngày trước khi giấy "
                        "chứng nhận hết hạn ngày %(expires)s): nộp hồ sơ đánh giá mới (lần đầu) cho sản phẩm."
                    )
                    % {
                        "closes": closes.strftime("%d/%m/%Y"),
                        "expires": renews.expires_on.strftime("%d/%m/%Y"),
                    }
                }
            )
        if today < opens:
            raise ValidationError(
                {
                    "kind": _(
                        "Hồ sơ công nhận lại chỉ được nộp từ %(opens)s đến %(closes)s "
                        "(180 đến 120 ngày trước khi giấy chứng nhận hết hạn ngày %(expires)s)."
                    )
                    % {
                        "opens": opens.strftime("%d/%m/%Y"),
                        "closes": closes.strftime("%d/%m/%Y"),
                        "expires": renews.expires_on.strftime("%d/%m/%Y"),
                    }
                }
            )
    elif kind == DossierKind.UPGRADE:
        if current is None or not current.is_valid or current.stars >= 5:
            raise ValidationError({"kind": _("Nâng hạng cần giấy chứng nhận còn hiệu lực dưới 5 sao.")})
        renews = None
    else:
        # A product past its re-evaluation window has one path left: a new dossier (lần đầu).
        past_window = current is not None and today > current.reevaluation_closes_on
        if current is not None and current.is_valid and not past_window:
            raise ValidationError(
                {
                    "kind": _(
                        "Sản phẩm đang có giấy chứng nhận còn hiệu lực: chọn nâng hạng hoặc công nhận lại."
                    )
                }
            )
        renews = None
    if product.category_id is None:
        raise ValidationError({"product": _("Sản phẩm chưa có phân nhóm nên chưa chọn được phiếu chấm.")})
    if not product.category.is_leaf:
        raise ValidationError(
            {
                "product": _(
                    "Trường «Phân nhóm» của sản phẩm mới là nhóm chung (%(c)s): chọn một phân nhóm "
                    "để có phiếu chấm."
                )
                % {"c": product.category}
            }
        )
    dossier = Dossier(product=product, kind=kind, renews=renews, registration_note=registration_note)
    attribute(dossier, actor, AuditReason.DOSSIER_CREATED)
    dossier.save()
    _log(dossier, S.DRAFT, S.DRAFT, actor, _("Tạo hồ sơ"))
    return dossier


@transaction.atomic
def dossier_transition(
    dossier: Dossier, dst: str, *, actor, comment: str = "", today: dt.date | None = None
) -> Dossier:
    """A hand-made step of the workflow. A step that is not allowed changes nothing."""
    dossier = (
        Dossier.objects.select_for_update(of=("self",)).select_related("product__producer").get(pk=dossier.pk)
    )
    step = TRANSITIONS.get((dossier.state, dst))
    if step is None:
        raise ValidationError(
            _("Không thể chuyển hồ sơ từ “%(src)s” sang “%(dst)s”.")
            % {"src": S(dossier.state).label, "dst": S(dst).label}
        )
    if not WHO[step[0]].test(actor, dossier):
        raise PermissionDenied(_("Bạn không có quyền thực hiện bước này."))
    today = today or timezone.localdate()
    fields = {}
    if dst == S.SUBMITTED and dossier.state == S.DRAFT:
        fields["submitted_on"] = today
        if dossier.kind == DossierKind.REEVALUATION and dossier.renews_id:
            from certificates.services import certificate_hold, certificate_is_148_era

            if certificate_is_148_era(dossier.renews):
                certificate_hold(dossier.renews, actor=actor, today=today)
    elif dst == S.DRAFT and not comment.strip():
        raise ValidationError({"comment": _("Cần ghi rõ nội dung cần bổ sung.")})
    elif dst == S.COMMUNE_FORWARDED:
        missing = [label for field, label in REPORT_FIELDS if not getattr(dossier, field).strip()]
        errors = {}
        if missing:
            errors["report"] = _("Chưa điền báo cáo đánh giá của xã (Mẫu 03): %(m)s.") % {
                "m": ", ".join(str(m) for m in missing)
            }
        if absent := missing_documents(dossier):  # issue 14: the kind's required documents
            errors["documents"] = _("Hồ sơ còn thiếu tài liệu bắt buộc: %(m)s.") % {"m": "; ".join(absent)}
        if errors:
            raise ValidationError(errors)
        fields["forwarded_on"] = today
    elif dst == S.PROVINCE_RECEIVED:
        fields["received_on"] = today
    return _move(dossier, dst, actor, comment, **fields)


REPORT_FIELDS = [
    (f, Dossier._meta.get_field(f).verbose_name)
    for f in ("report_origin", "report_labour", "report_idea", "report_identity")
]


@transaction.atomic
def dossier_write_report(dossier: Dossier, *, actor, **report) -> Dossier:
    """The commune's Mẫu 03 evaluation, written while the dossier is with the commune."""
    dossier = (
        Dossier.objects.select_for_update(of=("self",)).select_related("product__producer").get(pk=dossier.pk)
    )
    if not WHO["commune"].test(actor, dossier):
        raise PermissionDenied(_("Chỉ cán bộ xã phụ trách hoặc Văn phòng OCOP tỉnh được ghi báo cáo."))
    if dossier.state != S.SUBMITTED:
        raise ValidationError(_("Chỉ ghi báo cáo Mẫu 03 khi hồ sơ đang ở xã."))
    for field, _label in REPORT_FIELDS:
        if field in report:
            setattr(dossier, field, report[field])
    attribute(dossier, actor, AuditReason.FORM_03_REPORTED)
    dossier.save()
    return dossier


# Rounds and score sheets ----------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    name: str,
    year: int,
    number: int,
    chair,
    members,
    actor,
    criteria_set=None,
    level: str = Round.Level.PROVINCE,
) -> Round:
    require_perm(actor, "evaluation.add_round")
    criteria_set = criteria_set or active_criteria_set()
    round_ = Round(name=name, year=year, number=number, chair=chair, criteria_set=criteria_set, level=level)
    round_.full_clean()
    attribute(round_, actor, AuditReason.ROUND_CREATED)
    round_.save()
    round_.members.set({*members, chair})
    return round_


@transaction.atomic
def round_assign(round_: Round, dossiers, *, actor) -> None:
    require_perm(actor, "evaluation.change_round")
    if round_.status != Round.Status.OPEN:
        raise ValidationError(_("Đợt đánh giá đã kết thúc."))
    cutoff = forward_before(round_)
    errors, assigned = [], []
    for dossier in dossiers:
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("product__category")
            .get(pk=dossier.pk)
        )
        if dossier.state != S.PROVINCE_RECEIVED:
            errors.append(_("%(p)s: hồ sơ chưa được tỉnh tiếp nhận.") % {"p": dossier.product})
            continue
        # "Before 30/10" excludes 30/10 itself.
        if cutoff and dossier.forwarded_on and dossier.forwarded_on >= cutoff:
            errors.append(
                _("%(p)s: xã chuyển ngày %(d)s, không trước ngày %(c)s của đợt %(n)s.")
                % {
                    "p": dossier.product,
                    "d": dossier.forwarded_on.strftime("%d/%m/%Y"),
                    "c": cutoff.strftime("%d/%m/%Y"),
                    "n": round_.number,
                }
            )
            continue
        code = dossier.product_code or _next_product_code(dossier, round_.year)
        _move(dossier, S.IN_ROUND, actor, str(round_), round=round_, product_code=code)
        assigned.append(dossier)
    if errors:
        raise ValidationError(errors)
    notify_round_assigned(round_, assigned, actor=actor)


def _next_product_code(dossier: Dossier, year: int) -> str:
    """(T)-(X)-(STT)-(year) of Phụ lục II; X is "00" when the product has no commune. The unique
    constraint on product_code guards two rounds numbering at once."""
    place = dossier.product.place
    commune = place.code if place is not None else "00"
    prefix, suffix = f"{PROVINCE_CODE}-{commune}-", f"-{year}"
    taken = Dossier.objects.filter(product_code__startswith=prefix, product_code__endswith=suffix)
    numbers = [int(code[len(prefix) : -len(suffix)]) for code in taken.values_list("product_code", flat=True)]
    return f"{prefix}{max(numbers, default=0) + 1:03d}{suffix}"


def sheet_for(dossier: Dossier, criteria_set: CriteriaSet):
    return criteria_set.parsed().sheet_for(dossier.product.category.code)


@transaction.atomic
def scoresheet_save(
    round_: Round,
    dossier: Dossier,
    *,
    actor,
    choices: dict[str, str],
    knocked_out=False,
    knockout_reason: str = "",
    knockout_kind: str = "",
    knockout_evidence: str = "",
    submit: bool = False,
) -> ScoreSheet:
    """Save (or submit) a member's sheet. A stop rule of the sheet ("không đánh giá các bước tiếp
    theo") applies as soon as its option is picked: the criteria after it are not scored and the
    sheet records the stop. A knock-out the member records is either a fact (a forged dossier:
    evidence required, and it disqualifies alone) or the member's judgement (counted by majority)."""
    if not actor.has_perm("evaluation.score_round", round_):
        raise PermissionDenied(_("Bạn không thuộc hội đồng của đợt này."))
    dossier = Dossier.objects.select_related("product__category").get(pk=dossier.pk)
    round_ = Round.objects.select_related("criteria_set").get(pk=round_.pk)
    if round_.status != Round.Status.OPEN or dossier.round_id != round_.pk or dossier.state != S.IN_ROUND:
        raise ValidationError(_("Phiếu chỉ được chấm khi hồ sơ đang trong đợt đánh giá chưa kết thúc."))
    sheet_def = sheet_for(dossier, round_.criteria_set)
    sheet, _created = ScoreSheet.objects.select_for_update().get_or_create(
        round=round_,
        dossier=dossier,
        member=actor,
        defaults={"criteria_set": round_.criteria_set, "sheet_number": sheet_def.number},
    )
    if sheet.status == ScoreSheet.Status.SUBMITTED:
        raise ValidationError(_("Phiếu đã nộp nên không sửa được nữa."))
    errors = {}
    clean = {}
    stopped_at = None
    for criterion in sheet_def.criteria():
        if stopped_at is not None:
            continue  # not assessed after a stop rule
        option = choices.get(criterion.code)
        if not option:
            if submit:
                errors[criterion.code] = _("Tiêu chí %(c)s chưa được chấm.") % {"c": criterion.code}
            continue
        try:
            picked = criterion.choice(option)
        except KeyError:
            errors[criterion.code] = _("Tiêu chí %(c)s: lựa chọn không hợp lệ.") % {"c": criterion.code}
            continue
        clean[criterion.code] = option
        if picked.stops:
            stopped_at = criterion
    Knockout = ScoreSheet.Knockout
    if stopped_at is not None:
        knocked_out, knockout_kind = True, Knockout.STOP
        knockout_reason = _("Tiêu chí %(c)s: %(note)s") % {
            "c": stopped_at.code,
            "note": stopped_at.knockout_vi or _("dừng đánh giá theo phương án đã chọn"),
        }
    elif knocked_out:
        knockout_kind = knockout_kind or Knockout.JUDGEMENT
        if knockout_kind not in (Knockout.FACT, Knockout.JUDGEMENT):
            errors["knockout_kind"] = _("Căn cứ loại bỏ hồ sơ không hợp lệ.")
        if not knockout_reason.strip():
            errors["knockout_reason"] = _("Cần ghi lý do loại bỏ hồ sơ.")
        if knockout_kind == Knockout.FACT and not knockout_evidence.strip():
            errors["knockout_evidence"] = _("Loại bỏ hồ sơ vì sự việc (giả mạo hồ sơ, …) cần ghi chứng cứ.")
    else:
        knockout_kind, knockout_reason, knockout_evidence = "", "", ""
    if errors:
        raise ValidationError(errors)
    sheet.choices = clean
    sheet.knocked_out = knocked_out
    sheet.knockout_reason = knockout_reason
    sheet.knockout_kind = knockout_kind
    sheet.knockout_evidence = knockout_evidence if knockout_kind == Knockout.FACT else ""
    sheet.total = star_rule.sheet_total(sheet_def, clean)
    sheet.marks_met = {str(k): v for k, v in star_rule.sheet_marks_met(sheet_def, clean).items()}
    if submit:
        sheet.status = ScoreSheet.Status.SUBMITTED
        sheet.submitted_at = timezone.now()
    attribute(sheet, actor, AuditReason.SHEET_SUBMITTED if submit else AuditReason.SHEET_DRAFT_SAVED)
    sheet.save()
    if submit:
        dossiers_changed()  # the pipeline's upgrade plans read the submitted sheets
    return sheet


def council_result(sheets: list[ScoreSheet], sheet_def: Sheet | None = None, rule: str = "") -> dict:
    """The council's result from the submitted sheets: the mean score; the minimum marks combined as
    the criteria data says (council_marks_rule: per criterion, a criterion's minimum is met when most
    members' sheets meet it); a recorded fact (with evidence) disqualifies alone, a stop rule or a
    member's judgement when most members record it. Without the sheet's definition, the stored
    per-level marks are combined by majority (the earlier reading)."""
    totals = [s.total for s in sheets]
    score = star_rule.council_score(totals)
    if sheet_def is not None:
        members = [star_rule.criterion_marks_met(sheet_def, s.choices) for s in sheets]
        met, missed = star_rule.council_marks(members, rule or "per_criterion_majority")
    else:
        met = {
            level: sum(1 for s in sheets if s.marks_met.get(str(level))) * 2 > len(sheets)
            for level in star_rule.MARK_LEVELS
        }
        missed = {}
    fact = [s for s in sheets if s.knocked_out and s.knockout_kind == ScoreSheet.Knockout.FACT]
    knocked_out = bool(fact) or sum(1 for s in sheets if s.knocked_out) * 2 > len(sheets)
    result = star_rule.star_result(score, met_min_marks=met, knocked_out=knocked_out)
    return {
        "score": score,
        "lowest": min(totals),
        "highest": max(totals),
        "result": result,
        "missed": {
            str(level): codes for level, codes in missed.items() if codes and level <= result.band_stars
        },
        "needs_discussion": max(totals) - min(totals) > DISCUSSION_SPREAD,
        "knocked_out": knocked_out,
        "fact": bool(fact),
    }


@transaction.atomic
def round_close(round_: Round, *, actor) -> list[RoundResult]:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if not actor.has_perm("evaluation.close_round", round_):
        raise PermissionDenied(_("Chỉ chủ tịch hội đồng được kết thúc đợt."))
    if round_.status != Round.Status.OPEN:
        raise ValidationError(_("Đợt đánh giá đã kết thúc."))
    dossiers = list(round_.dossiers.filter(state=S.IN_ROUND).select_related("product__category"))
    if not dossiers:
        raise ValidationError(_("Đợt chưa có hồ sơ nào."))
    results, missing = [], []
    criteria = round_.criteria_set.parsed()
    rule = criteria.council_marks_rule
    for dossier in dossiers:
        sheets = list(dossier.sheets.filter(round=round_, status=ScoreSheet.Status.SUBMITTED))
        if not sheets:
            missing.append(str(dossier.product))
            continue
        computed = council_result(sheets, sheet_for(dossier, round_.criteria_set), rule)
        r = computed["result"]
        results.append(
            RoundResult(
                round=round_,
                dossier=dossier,
                sheets_count=len(sheets),
                score=computed["score"],
                lowest=computed["lowest"],
                highest=computed["highest"],
                band_stars=r.band_stars,
                stars=r.stars,
                blocked_by=r.blocked_by,
                missed_marks=computed["missed"],
                knocked_out=computed["knocked_out"],
                needs_discussion=computed["needs_discussion"],
            )
        )
        _move(
            dossier,
            S.SCORED,
            actor,
            _("Kết quả hội đồng: %(s)s điểm") % {"s": computed["score"]},
            score=computed["score"],
            stars=r.stars,
        )
    if missing:
        raise ValidationError(_("Chưa có phiếu đã nộp cho: %(p)s.") % {"p": ", ".join(missing)})
    RoundResult.objects.bulk_create(results)
    round_.status = Round.Status.CLOSED
    round_.closed_at = timezone.now()
    attribute(round_, actor, AuditReason.ROUND_CLOSED)
    round_.save()
    notify_round_closed(round_, actor=actor)
    return results


def _upgrade_kept(dossier: Dossier, stars: int) -> Certificate | None:
    """For an upgrade dossier, the current certificate when `stars` is no higher than its stars:
    the upgrade failed and that certificate stays unchanged. None otherwise (or not an upgrade)."""
    if dossier.kind != DossierKind.UPGRADE:
        return None
    current = Certificate.objects.filter(product=dossier.product_id, is_current=True).first()
    if current is not None and stars <= current.stars:
        return current
    return None


def _keep(dossier: Dossier, current: Certificate, actor, stars: int) -> Dossier:
    return _move(
        dossier,
        S.KEPT,
        actor,
        _("Không nâng hạng: kết quả %(s)s sao, giữ nguyên giấy chứng nhận %(c)s (%(cs)s sao)")
        % {"s": stars, "c": current.display_number, "cs": current.stars},
    )


@transaction.atomic
def round_decide(
    round_: Round, *, number: str, signed_on: dt.date, signer_name: str, actor, signer_title: str = ""
) -> dict:
    """The provincial decision after a closed round: every product the council scored 90 or more
    goes to the Ministry whatever its marks (Điều 7.3); 3★/4★ are certified by the province; an
    upgrade that reaches no higher star keeps the current certificate (no lower one, no new expiry);
    the others are not recognised."""
    from certificates.services import decision_recognise

    require_perm(actor, "evaluation.change_round")
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status != Round.Status.CLOSED:
        raise ValidationError(_("Chỉ ra quyết định cho đợt đã kết thúc chấm."))
    results = list(round_.results.select_related("dossier__product"))
    entries = []
    outcome = {"recognised": [], "sent_to_ministry": [], "not_recognised": [], "kept": []}
    for result in results:
        dossier = result.dossier
        if not result.knocked_out and result.score >= MINISTRY_FROM:
            _move(dossier, S.SENT_TO_MINISTRY, actor, _("Đề nghị Bộ NN&MT đánh giá 5 sao"))
            outcome["sent_to_ministry"].append(dossier)
        elif (current := _upgrade_kept(dossier, result.stars)) is not None:
            _keep(dossier, current, actor, result.stars)
            outcome["kept"].append(dossier)
        elif result.stars >= 3:
            regime = dossier_regime(dossier, signed_on)
            entries.append(
                {
                    "product": dossier.product,
                    "stars": result.stars,
                    "score": result.score,
                    # Điều 12: a dossier lodged before 22/5/2026 and decided within its period
                    # finishes under the old rules.
                    "criteria_set": round_.criteria_set.code
                    if regime.lapsed or regime.criteria_set == "QD26-2026"
                    else regime.criteria_set,
                    # The sheets the score came from: the certificate says so where they differ.
                    "scored_with": round_.criteria_set.code,
                    "dossier": dossier,
                }
            )
        else:
            _move(dossier, S.NOT_RECOGNISED, actor, _("Dưới 50 điểm, bị loại hoặc chưa đạt mức tối thiểu"))
            outcome["not_recognised"].append(dossier)
    if entries:
        decision, certificates = decision_recognise(
            number=number,
            signed_on=signed_on,
            signer_name=signer_name,
            signer_title=signer_title,
            entries=[{k: v for k, v in e.items() if k != "dossier"} for e in entries],
            actor=actor,
        )
        for entry, certificate in zip(entries, certificates, strict=True):
            _move(
                entry["dossier"],
                S.RECOGNISED,
                actor,
                _("Quyết định %(n)s") % {"n": number},
                certificate=certificate,
            )
            outcome["recognised"].append(entry["dossier"])
    round_.status = Round.Status.DECIDED
    attribute(round_, actor, AuditReason.ROUND_DECIDED, number)
    round_.save()
    return outcome


@transaction.atomic
def ministry_result(
    dossier: Dossier, *, score: Decimal, actor, number: str = "", signed_on=None, signer_name: str = ""
) -> Dossier:
    """The Ministry's score for a 5★ candidate: ≥ 90 and a Ministry decision → 5★; otherwise the
    dossier returns to the province, which may certify 3★/4★ on that score (province_certify_returned)
    or re-evaluate it (dossier_reevaluate_returned)."""
    from certificates.services import decision_recognise

    require_perm(actor, "evaluation.change_round")
    dossier = Dossier.objects.select_for_update(of=("self",)).select_related("product").get(pk=dossier.pk)
    if dossier.state != S.SENT_TO_MINISTRY:
        raise ValidationError(_("Hồ sơ không ở bước chờ Bộ đánh giá."))
    score = Decimal(score)
    if not Decimal(0) <= score <= Decimal(100):
        raise ValidationError({"score": _("Điểm phải từ 0 đến 100.")})
    if score >= 90:
        if not (number and signed_on and signer_name):
            raise ValidationError(_("Cần số, ngày và người ký quyết định của Bộ."))
        _decision, (certificate,) = decision_recognise(
            number=number,
            signed_on=signed_on,
            signer_name=signer_name,
            issuer=Certificate.Issuer.MINISTRY,
            entries=[
                {
                    "product": dossier.product,
                    "stars": 5,
                    "score": score,
                    "criteria_set": dossier.round.criteria_set.code,
                }
            ],
            actor=actor,
        )
        return _move(
            dossier,
            S.RECOGNISED_5_STAR,
            actor,
            _("Bộ công nhận 5 sao"),
            ministry_score=score,
            certificate=certificate,
            stars=5,
        )
    return _move(dossier, S.RETURNED, actor, _("Bộ chấm %(s)s điểm") % {"s": score}, ministry_score=score)


@transaction.atomic
def province_certify_returned(
    dossier: Dossier, *, number: str, signed_on: dt.date, signer_name: str, actor
) -> Dossier:
    from certificates.services import decision_recognise

    require_perm(actor, "evaluation.change_round")
    dossier = Dossier.objects.select_for_update(of=("self",)).select_related("product").get(pk=dossier.pk)
    if dossier.state != S.RETURNED:
        raise ValidationError(_("Hồ sơ không ở bước Bộ trả lại."))
    stars = min(star_rule.band_stars(dossier.ministry_score), 4)
    if (current := _upgrade_kept(dossier, stars)) is not None:
        return _keep(dossier, current, actor, stars)
    if stars < 3:
        return _move(dossier, S.NOT_RECOGNISED, actor, _("Điểm của Bộ dưới 50"))
    _decision, (certificate,) = decision_recognise(
        number=number,
        signed_on=signed_on,
        signer_name=signer_name,
        entries=[
            {
                "product": dossier.product,
                "stars": stars,
                "score": dossier.ministry_score,
                "criteria_set": dossier.round.criteria_set.code,
            }
        ],
        actor=actor,
    )
    return _move(
        dossier,
        S.RECOGNISED,
        actor,
        _("Tỉnh công nhận theo điểm của Bộ"),
        certificate=certificate,
        stars=stars,
    )


@transaction.atomic
def dossier_reevaluate_returned(dossier: Dossier, *, actor, comment: str) -> Dossier:
    """Điều 7.4: the province re-evaluates a dossier the Ministry returned; it goes back to the
    received dossiers, ready for a new round (its earlier results stay in the round results)."""
    require_perm(actor, "evaluation.change_round")
    dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
    if dossier.state != S.RETURNED:
        raise ValidationError(_("Hồ sơ không ở bước Bộ trả lại."))
    if not comment.strip():
        raise ValidationError({"comment": _("Cần ghi lý do đánh giá lại.")})
    return _move(dossier, S.PROVINCE_RECEIVED, actor, comment, score=None, stars=None)
