"""Self-assessment per criterion (the producer's claims with evidence), the helper team's pre-check
(accepted / query / not supported, with a comment), the producer's answers to queries, and council
members' comments per criterion; what a council member sees beside each criterion of the sheet."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import AuditReason
from core.services import attribute, require_perm
from evaluation.documents import add_document, checklist_status, lock_dossier
from evaluation.models import (
    CriteriaSet,
    CriterionClaim,
    CriterionComment,
    Dossier,
    DossierDocument,
    Round,
    ScoreSheet,
)
from evaluation.notify import notify_queries, notify_query_answered
from evaluation.stars import sheet_total

Review = CriterionClaim.Review


def official_sheet(dossier: Dossier, criteria_set: CriteriaSet | None = None):
    """The product's official sheet: the round's criteria set once in a round, else the active one
    (or the one the claims were made on)."""
    if criteria_set is None:
        if dossier.round_id:
            criteria_set = dossier.round.criteria_set
        else:
            first = dossier.claims.select_related("criteria_set").first()
            criteria_set = (
                first.criteria_set if first else CriteriaSet.objects.get(code="QD26-2026", is_active=True)
            )
    return criteria_set, criteria_set.parsed().sheet_for(dossier.product.category.code)


def claims_of(dossier: Dossier) -> dict[str, CriterionClaim]:
    return {c.criterion_code: c for c in dossier.claims.select_related("evidence", "reviewed_by")}


def claimed_choices(dossier: Dossier) -> dict[str, str]:
    return {c.criterion_code: c.option_code for c in dossier.claims.all() if c.option_code}


@dataclass
class ClaimInput:
    option: str = ""
    note: str = ""
    evidence: int | None = None  # a document of the dossier
    photo: object | None = None  # an uploaded photo or scan, stored as an "evidence" document


@transaction.atomic
def claims_save(dossier: Dossier, claims: dict[str, ClaimInput], *, actor) -> list[CriterionClaim]:
    """The producer's self-assessment: for each criterion of the product's official sheet, the option
    it claims, a note and its evidence. Unknown criteria or options are refused, every one named."""
    dossier = lock_dossier(dossier)
    require_perm(actor, "evaluation.change_dossier_papers", dossier)
    criteria_set, sheet = official_sheet(dossier)
    known = {c.code: c for c in sheet.criteria()}
    documents = {d.pk: d for d in dossier.documents.all()}
    errors = {}
    for code, entry in claims.items():
        criterion = known.get(code)
        if criterion is None:
            errors[code] = _("Tiêu chí %(c)s không có trong phiếu của sản phẩm.") % {"c": code}
            continue
        if entry.option:
            try:
                criterion.choice(entry.option)
            except KeyError:
                errors[code] = _("Tiêu chí %(c)s: lựa chọn không hợp lệ.") % {"c": code}
        if entry.evidence and entry.evidence not in documents:
            errors[f"evidence-{code}"] = _("Tiêu chí %(c)s: minh chứng không thuộc hồ sơ này.") % {"c": code}
    if errors:
        raise ValidationError(errors)
    existing = {c.criterion_code: c for c in dossier.claims.select_for_update()}
    saved = []
    for code, entry in claims.items():
        claim = existing.get(code) or CriterionClaim(
            dossier=dossier, criteria_set=criteria_set, criterion_code=code
        )
        evidence = documents.get(entry.evidence) if entry.evidence else None
        if entry.photo is not None:
            evidence = add_document(
                dossier,
                kind="evidence",
                upload=entry.photo,
                actor=actor,
                note=_("Minh chứng tiêu chí %(c)s") % {"c": code},
            )
        new = (entry.option, entry.note.strip(), evidence.pk if evidence else None)
        if claim.pk and (claim.option_code, claim.note, claim.evidence_id) == new:
            continue
        if not claim.pk and not any(new):
            continue
        claim.option_code, claim.note, claim.evidence = entry.option, entry.note.strip(), evidence
        attribute(claim, actor, AuditReason.SELF_ASSESSED, code)
        claim.save()
        saved.append(claim)
    return saved


@transaction.atomic
def precheck_save(dossier: Dossier, reviews: dict[str, tuple[str, str]], *, actor) -> list[CriterionClaim]:
    """The helper team's review of claimed criteria: {code: (review, comment)}. A query or a "not
    supported" needs a comment (the producer must know what to answer)."""
    dossier = lock_dossier(dossier)
    require_perm(actor, "evaluation.precheck_dossier", dossier)
    claims = {c.criterion_code: c for c in dossier.claims.select_for_update()}
    errors = {}
    for code, (review, comment) in reviews.items():
        if code not in claims:
            errors[code] = _("Tiêu chí %(c)s chưa được chủ thể tự đánh giá.") % {"c": code}
        elif review and review not in Review.values:
            errors[code] = _("Tiêu chí %(c)s: kết quả rà soát không hợp lệ.") % {"c": code}
        elif review in (Review.QUERY, Review.NOT_SUPPORTED) and not comment.strip():
            errors[code] = _("Tiêu chí %(c)s: cần ghi ý kiến khi yêu cầu làm rõ hoặc không chấp nhận.") % {
                "c": code
            }
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    saved = []
    for code, (review, comment) in reviews.items():
        claim = claims[code]
        if (claim.review, claim.review_comment) == (review, comment.strip()):
            continue
        claim.review, claim.review_comment = review, comment.strip()
        claim.reviewed_by, claim.reviewed_at = actor, now
        attribute(claim, actor, AuditReason.PRECHECKED, f"{code}: {review}")
        claim.save()
        saved.append(claim)
    queried = [c.criterion_code for c in saved if c.review == CriterionClaim.Review.QUERY]
    notify_queries(dossier, queried, actor=actor)
    return saved


@transaction.atomic
def query_answer(
    dossier: Dossier, code: str, *, answer: str, actor, upload=None, evidence: int | None = None
) -> CriterionClaim:
    """The producer (or its commune) answers the helper team's query on one criterion, with an
    optional new document as evidence."""
    dossier = lock_dossier(dossier)
    require_perm(actor, "evaluation.answer_precheck", dossier)
    claim = CriterionClaim.objects.select_for_update().filter(dossier=dossier, criterion_code=code).first()
    if claim is None or not claim.open_query:
        raise ValidationError(_("Tiêu chí %(c)s không có yêu cầu làm rõ đang chờ trả lời.") % {"c": code})
    if not answer.strip():
        raise ValidationError({"answer": _("Cần ghi nội dung trả lời.")})
    if upload is not None:
        claim.evidence = add_document(
            dossier,
            kind="evidence",
            upload=upload,
            actor=actor,
            note=_("Trả lời tiêu chí %(c)s") % {"c": code},
        )
    elif evidence:
        claim.evidence = (
            DossierDocument.objects.filter(dossier=dossier, pk=evidence).first() or claim.evidence
        )
    claim.answer, claim.answered_at = answer.strip(), timezone.now()
    attribute(claim, actor, AuditReason.QUERY_ANSWERED, code)
    claim.save()
    notify_query_answered(dossier, code, actor=actor)
    return claim


@transaction.atomic
def query_answers(dossier: Dossier, answers: dict[str, tuple[str, object]], *, actor) -> list[CriterionClaim]:
    """Several answers at once ({code: (answer, upload or None)}): all or nothing."""
    return [
        query_answer(dossier, code, answer=answer, upload=upload, actor=actor)
        for code, (answer, upload) in answers.items()
    ]


@transaction.atomic
def criterion_comments_save(round_: Round, dossier: Dossier, comments: dict[str, str], *, actor) -> int:
    """A council member's comments per criterion while the round is open (an empty text removes one)."""
    if not actor.has_perm("evaluation.score_round", round_):
        raise PermissionDenied(_("Bạn không thuộc hội đồng của đợt này."))
    round_ = Round.objects.select_related("criteria_set").get(pk=round_.pk)
    dossier = Dossier.objects.select_related("product__category").get(pk=dossier.pk)
    if round_.status != Round.Status.OPEN or dossier.round_id != round_.pk:
        raise ValidationError(_("Chỉ ghi ý kiến khi hồ sơ đang trong đợt đánh giá chưa kết thúc."))
    known = {c.code for c in official_sheet(dossier, round_.criteria_set)[1].criteria()}
    changed = 0
    for code, text in comments.items():
        if code not in known:
            raise ValidationError(_("Tiêu chí %(c)s không có trong phiếu của sản phẩm.") % {"c": code})
        text = text.strip()
        current = CriterionComment.objects.filter(
            round=round_, dossier=dossier, member=actor, criterion_code=code
        ).first()
        if current is None and text:
            current = CriterionComment(
                round=round_, dossier=dossier, member=actor, criterion_code=code, text=text
            )
        elif current is not None and text and current.text != text:
            current.text = text
        elif current is not None and not text:
            current.delete()
            changed += 1
            continue
        else:
            continue
        attribute(current, actor, AuditReason.CRITERION_COMMENTED, code)
        current.save()
        changed += 1
    return changed


def criterion_context(round_: Round, dossier: Dossier, user) -> dict:
    """What the score sheet shows beside each criterion: the claim with its evidence and pre-check,
    and the council's comments (everyone's, the member's own editable). Two queries."""
    comments: dict[str, list[CriterionComment]] = {}
    mine: dict[str, str] = {}
    for c in CriterionComment.objects.filter(round=round_, dossier=dossier).select_related("member"):
        comments.setdefault(c.criterion_code, []).append(c)
        if c.member_id == user.pk:
            mine[c.criterion_code] = c.text
    return {
        "claims": claims_of(dossier),
        "criterion_comments": comments,
        "my_comments": mine,
        "can_comment": user.has_perm("evaluation.score_round", round_) and round_.status == Round.Status.OPEN,
    }


def self_assessment_summary(dossier: Dossier) -> dict | None:
    """The claimed total on the product's sheet, for the advisor before any council has scored."""
    if not dossier.product.category_id:
        return None
    choices = claimed_choices(dossier)
    if not choices:
        return None
    _criteria_set, sheet = official_sheet(dossier)
    return {"sheet": sheet, "choices": choices, "total": sheet_total(sheet, choices)}


def scored_by_council(dossier: Dossier) -> bool:
    return ScoreSheet.objects.filter(dossier=dossier, status=ScoreSheet.Status.SUBMITTED).exists()


def papers_summary(dossier: Dossier) -> dict:
    """The dossier page's block: the checklist and the criteria with a query still to answer."""
    return {
        "papers": checklist_status(dossier),
        "open_queries": [
            c.criterion_code for c in dossier.claims.filter(review=Review.QUERY) if c.open_query
        ],
    }
