"""Writes to inspections: plans, visits and their results. A visit concluded "vi phạm" records the
violation on the product's current certificate (certificates.services.certificate_record_violation),
which starts the 15-day revocation path of Điều 8; both rows are written in one transaction."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import AuditReason
from core.services import attribute, full_clean, require_perm
from inspections.models import InspectionPlan, InspectionVisit, VisitResult


@transaction.atomic
def inspection_plan_save(plan: InspectionPlan | None, *, year, title, scope="", products=(), actor):
    """Create (plan None) or update a plan and its products."""
    if plan is None:
        require_perm(actor, "inspections.add_inspectionplan")
        plan, reason = InspectionPlan(), AuditReason.CREATED
    else:
        require_perm(actor, "inspections.change_inspectionplan", plan)
        plan, reason = InspectionPlan.objects.select_for_update().get(pk=plan.pk), AuditReason.UPDATED
    plan.year, plan.title, plan.scope = year, (title or "").strip(), (scope or "").strip()
    full_clean(plan)
    attribute(plan, actor, reason)
    plan.save()
    plan.products.set(products)
    return plan


def _validate_result(visit: InspectionVisit, errors: dict) -> None:
    if not visit.result:
        if visit.visited_on:
            errors.setdefault("result", []).append(_("Ghi kết luận của lượt kiểm tra đã thực hiện."))
        return
    if visit.visited_on is None:
        errors.setdefault("visited_on", []).append(_("Ghi ngày kiểm tra khi có kết luận."))
    elif visit.visited_on > timezone.localdate():
        errors.setdefault("visited_on", []).append(_("Ngày kiểm tra không được sau hôm nay."))
    if not visit.findings.strip():
        errors.setdefault("findings", []).append(_("Ghi kết quả, phát hiện của lượt kiểm tra."))


@transaction.atomic
def inspection_visit_save(
    visit: InspectionVisit | None,
    *,
    plan: InspectionPlan,
    product,
    planned_on: dt.date,
    inspectors: str,
    visited_on: dt.date | None = None,
    findings: str = "",
    result: str = "",
    violation_reason: str = "",
    actor,
) -> InspectionVisit:
    """Create or update a visit. A result of violation records, once, a violation on the product's
    current certificate with the visit's findings; the certificates app then runs revocation."""
    from certificates.models import Certificate
    from certificates.services import certificate_record_violation

    if visit is None:
        require_perm(actor, "inspections.add_inspectionvisit")
        visit, reason = InspectionVisit(created_by=actor), AuditReason.CREATED
    else:
        require_perm(actor, "inspections.change_inspectionvisit", visit)
        visit = InspectionVisit.objects.select_for_update().get(pk=visit.pk)
        reason = AuditReason.RESULTS_RECORDED if result else AuditReason.UPDATED
    errors: dict[str, list[str]] = {}
    if visit.violation_id and (result != VisitResult.VIOLATION or product.pk != visit.product_id):
        errors.setdefault("result", []).append(
            _("Vi phạm đã được ghi nhận trên giấy chứng nhận: không đổi kết luận hoặc sản phẩm được nữa.")
        )
    visit.plan, visit.product, visit.planned_on = plan, product, planned_on
    visit.inspectors, visit.visited_on = (inspectors or "").strip(), visited_on
    visit.findings, visit.result = (findings or "").strip(), result or ""
    _validate_result(visit, errors)
    certificate = None
    if visit.result == VisitResult.VIOLATION and not visit.violation_id:
        certificate = Certificate.objects.current().filter(product=product).first()
        if certificate is None or certificate.revoked_on:
            errors.setdefault("result", []).append(
                _("Sản phẩm không có giấy chứng nhận OCOP hiện hành để ghi nhận vi phạm.")
            )
        if not violation_reason:
            errors.setdefault("violation_reason", []).append(_("Chọn căn cứ vi phạm (Điều 8)."))
    full_clean(visit, errors, exclude=["violation"])
    if certificate is not None:
        try:
            visit.violation = certificate_record_violation(
                certificate,
                found_on=visit.visited_on,
                reason=violation_reason,
                details=_("Kiểm tra sau công nhận (%(p)s): %(f)s") % {"p": plan.title, "f": visit.findings},
                actor=actor,
            )
        except ValidationError as exc:
            raise ValidationError({"result": exc.messages}) from exc
    attribute(visit, actor, reason)
    visit.save()
    return visit
