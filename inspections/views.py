"""Inspection pages of the back-office: the plans (with their counts), a plan and its visits, the
plan form and the visit form. Thin: forms parse, services write, selectors read, rules decide."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.web import apply_errors, change_log, check, form_page, paginate, staff_required
from inspections import forms as f
from inspections.models import InspectionPlan
from inspections.selectors import inspection_summary, open_findings, plan_list, plan_visits, visits_visible_to
from inspections.services import inspection_plan_save, inspection_visit_save
from products.selectors import products_visible_to


@staff_required
def plan_index(request):
    check(request.user, "inspections.view_inspectionplan")
    page, query = paginate(request, plan_list(request.user))
    return render(
        request,
        "inspections/plan_list.html",
        {
            "page": page,
            "query": query,
            "summary": inspection_summary(request.user),
            "findings": open_findings(request.user)[:20],
            "can_add": request.user.has_perm("inspections.add_inspectionplan"),
        },
    )


@staff_required
def plan_detail(request, pk):
    check(request.user, "inspections.view_inspectionplan")
    plan = get_object_or_404(InspectionPlan, pk=pk)
    return render(
        request,
        "inspections/plan_detail.html",
        {
            "plan": plan,
            "products": plan.products.filter(pk__in=products_visible_to(request.user).values("pk"))
            .select_related("producer")
            .order_by("name"),
            "visits": plan_visits(request.user, plan),
            "can_change": request.user.has_perm("inspections.change_inspectionplan", plan),
            "can_add_visit": request.user.has_perm("inspections.add_inspectionvisit"),
            "history": change_log(plan),
        },
    )


@staff_required
def plan_edit(request, pk=None):
    plan = get_object_or_404(InspectionPlan, pk=pk) if pk else None
    check(
        request.user, "inspections.change_inspectionplan" if plan else "inspections.add_inspectionplan", plan
    )
    initial = (
        {"year": plan.year, "title": plan.title, "scope": plan.scope, "products": plan.products.all()}
        if plan
        else {"year": timezone.localdate().year}
    )
    return form_page(
        request,
        f.PlanForm(request.POST or None, initial=initial),
        lambda data: inspection_plan_save(plan, actor=request.user, **data),
        done=lambda saved: (
            _("Đã lưu kế hoạch kiểm tra."),
            reverse("inspections:plan_detail", args=[saved.pk]),
        ),
        title=_("Sửa kế hoạch kiểm tra") if plan else _("Thêm kế hoạch kiểm tra"),
        cancel=reverse("inspections:plan_detail", args=[plan.pk]) if plan else reverse("inspections:index"),
    )


@staff_required
def visit_edit(request, plan_pk, pk=None):
    plan = get_object_or_404(InspectionPlan, pk=plan_pk)
    visit = None
    if pk:
        visit = get_object_or_404(visits_visible_to(request.user).select_related("product"), pk=pk, plan=plan)
        check(request.user, "inspections.change_inspectionvisit", visit)
    else:
        check(request.user, "inspections.add_inspectionvisit")
    initial = {}
    if visit:
        initial = {
            k: getattr(visit, k)
            for k in ("product", "planned_on", "inspectors", "visited_on", "findings", "result")
        }
        if visit.violation_id:
            initial["violation_reason"] = visit.violation.reason
    form = f.VisitForm(request.POST or None, initial=initial, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            visit = inspection_visit_save(visit, plan=plan, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if visit.violation_id:
                messages.warning(
                    request,
                    _(
                        "Đã ghi nhận vi phạm trên giấy chứng nhận: quyết định thu hồi phải ban hành "
                        "trước %(d)s."
                    )
                    % {"d": visit.violation.due_on.strftime("%d/%m/%Y")},
                )
            messages.success(request, _("Đã lưu lượt kiểm tra."))
            return redirect("inspections:plan_detail", pk=plan.pk)
    return render(
        request,
        "inspections/visit_form.html",
        {
            "form": form,
            "plan": plan,
            "visit": visit,
            "title": _("Sửa lượt kiểm tra") if visit else _("Thêm lượt kiểm tra"),
            "history": change_log(visit) if visit else [],
        },
    )
