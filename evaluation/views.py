"""Evaluation pages: dossiers, rounds, score sheets, results, advisor, criteria sets."""

import tempfile
from pathlib import Path

import yaml
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from certificates.models import Certificate
from core.sheet_writer import Column, xlsx_response
from core.web import apply_errors, change_log, check, paginate_ids, staff_required
from evaluation import forms as f
from evaluation import services
from evaluation.advice import upgrade_plan
from evaluation.criteria import CriteriaSetInvalid, read_criteria_set_xlsx
from evaluation.models import CriteriaSet, Dossier, DossierState, Round, ScoreSheet
from evaluation.rounds import dossier_regime
from evaluation.scoring_view import scoresheet_live, scoresheet_spec
from evaluation.selectors import (
    advisor_rows,
    calendar_warning,
    commune_deadline,
    commune_is_late,
    dossier_rows,
    dossiers_visible_to,
    late_q,
    latest_sheet,
    reevaluation_deadline,
)
from evaluation.selfassessment import criterion_context, papers_summary, self_assessment_summary
from evaluation.workflow import next_steps
from products.models import Product


def _get_dossier(request, pk) -> Dossier:
    dossier = get_object_or_404(
        Dossier.objects.select_related("product__producer", "product__category", "round"), pk=pk
    )
    check(request.user, "evaluation.view_dossier", dossier)
    return dossier


@staff_required
def dossier_index(request):
    qs = dossiers_visible_to(request.user)
    state, late = request.GET.get("state", ""), request.GET.get("late") == "1"
    if state:
        qs = qs.filter(state=state)
    if late:
        qs = qs.filter(late_q())
    # The page's ids from the (created_at, id) index, then its rows: 170,000 dossiers never
    # come into Python (issue 15); the rows by id without the scope, which the ids passed.
    page, query = paginate_ids(request, qs.order_by("-created_at", "-id"), rows=dossier_rows())
    for d in page.object_list:
        d.is_late, d.commune_deadline = commune_is_late(d), commune_deadline(d)
    return render(
        request,
        "evaluation/dossier_list.html",
        {
            "page": page,
            "query": query,
            "states": DossierState.choices,
            "state": state,
            "late": late,
            "can_add": request.user.has_perm("evaluation.add_dossier"),
            "can_rounds": request.user.has_perm("evaluation.view_round"),
        },
    )


@staff_required
def dossier_new(request):
    check(request.user, "evaluation.add_dossier")
    initial = {k: request.GET[k] for k in ("product", "kind") if request.GET.get(k)}
    form = f.DossierForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        renews = None
        # The link from a certificate's page carries its id; anything else in it is ignored
        # (a non-numeric value reached the database and failed with a 500).
        certificate = request.GET.get("certificate", "")
        if certificate.isdigit():
            renews = Certificate.objects.filter(pk=certificate).first()
        try:
            dossier = services.dossier_create(
                form.cleaned_data["product"],
                kind=form.cleaned_data["kind"],
                registration_note=form.cleaned_data["registration_note"],
                renews=renews,
                actor=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo hồ sơ."))
            return redirect("evaluation:dossier_detail", pk=dossier.pk)
    return render(
        request,
        "backoffice/form.html",
        {"form": form, "title": _("Tạo hồ sơ đánh giá"), "cancel": reverse("evaluation:dossier_index")},
    )


@staff_required
def dossier_detail(request, pk):
    dossier = _get_dossier(request, pk)
    steps = [(to, label, f.StepForm(initial={"to": to})) for to, label in next_steps(dossier, request.user)]
    regime = dossier_regime(dossier)
    can_report = dossier.state == DossierState.SUBMITTED and services.WHO["commune"].test(
        request.user, dossier
    )
    return render(
        request,
        "evaluation/dossier_detail.html",
        {
            "dossier": dossier,
            "steps": steps,
            "transitions": dossier.transitions.select_related("actor"),
            "report_form": f.ReportForm(instance=dossier) if can_report else None,
            "results": dossier.results.select_related("round"),
            "history": change_log(dossier),
            "is_late": commune_is_late(dossier),
            "commune_deadline": commune_deadline(dossier),
            "reevaluation_deadline": reevaluation_deadline(dossier),
            **papers_summary(dossier),  # issue 14: documents checklist, open queries
            "calendar_warning": calendar_warning(dossier),
            "regime": regime,
            "sheets_set": _sheets_set(dossier) if regime.finish_by else None,
        },
    )


def _sheets_set(dossier) -> CriteriaSet:
    """The criteria set whose sheets the council scores the dossier on: its round's, or the one in force
    (shown to a dossier under the transitional rules, whose old sheets the system does not have)."""
    if dossier.round_id:
        return dossier.round.criteria_set
    return services.active_criteria_set()


@staff_required
def dossier_step(request, pk):
    dossier = _get_dossier(request, pk)
    if request.method == "POST":
        form = f.StepForm(request.POST)
        if form.is_valid():
            try:
                services.dossier_transition(
                    dossier, form.cleaned_data["to"], actor=request.user, comment=form.cleaned_data["comment"]
                )
            except ValidationError as exc:
                for msg in exc.messages:
                    messages.error(request, msg)
            else:
                messages.success(request, _("Đã chuyển bước hồ sơ."))
    return redirect("evaluation:dossier_detail", pk=pk)


@staff_required
def dossier_report(request, pk):
    dossier = _get_dossier(request, pk)
    form = f.ReportForm(request.POST or None, instance=Dossier.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.dossier_write_report(dossier, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for msg in exc.messages:
                messages.error(request, msg)
        else:
            messages.success(request, _("Đã lưu báo cáo Mẫu 03."))
    return redirect("evaluation:dossier_detail", pk=pk)


# Rounds ----------------------------------------------------------------------------------------------


@staff_required
def round_index(request):
    check(request.user, "evaluation.view_round")
    rounds = Round.objects.select_related("chair", "criteria_set").annotate(n=Count("dossiers"))
    return render(
        request,
        "evaluation/round_list.html",
        {"rounds": rounds, "can_add": request.user.has_perm("evaluation.add_round")},
    )


@staff_required
def round_new(request):
    check(request.user, "evaluation.add_round")
    form = f.RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.round_create(
                name=data["name"],
                year=data["year"],
                number=data["number"],
                chair=data["chair"],
                members=data["members"],
                criteria_set=data["criteria_set"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("evaluation:round_detail", pk=round_.pk)
    return render(
        request,
        "backoffice/form.html",
        {"form": form, "title": _("Tạo đợt đánh giá"), "cancel": reverse("evaluation:round_index")},
    )


def _round_context(request, round_):
    user = request.user
    dossiers = list(round_.dossiers.select_related("product__producer", "product__category"))
    sheets = ScoreSheet.objects.filter(round=round_).select_related("member")
    by_dossier = {}
    for sheet in sheets:
        by_dossier.setdefault(sheet.dossier_id, []).append(sheet)
    for d in dossiers:
        d.round_sheets = by_dossier.get(d.pk, [])
        d.my_sheet = next((s for s in d.round_sheets if s.member_id == user.pk), None)
    waiting = Dossier.objects.filter(state=DossierState.PROVINCE_RECEIVED).select_related("product")
    return {
        "round": round_,
        "dossiers": dossiers,
        "members": round_.members.order_by("username"),
        "results": round_.results.select_related("dossier__product"),
        "can_score": user.has_perm("evaluation.score_round", round_) and round_.status == Round.Status.OPEN,
        "can_close": user.has_perm("evaluation.close_round", round_) and round_.status == Round.Status.OPEN,
        "can_manage": user.has_perm("evaluation.change_round"),
        "assign_form": f.AssignForm(queryset=waiting) if round_.status == Round.Status.OPEN else None,
        "decision_form": f.DecisionForm() if round_.status == Round.Status.CLOSED else None,
        "close_form": f.CloseForm(),
        "reevaluate_form": f.ReevaluateForm(),
        "ministry_dossiers": [d for d in dossiers if d.state == DossierState.SENT_TO_MINISTRY],
        "returned_dossiers": [d for d in dossiers if d.state == DossierState.RETURNED],
        "ministry_form": f.MinistryForm(),
        "history": change_log(round_),
    }


@staff_required
def round_detail(request, pk):
    round_ = get_object_or_404(Round.objects.select_related("chair", "criteria_set"), pk=pk)
    check(request.user, "evaluation.view_round")
    template = (
        "evaluation/round_print.html" if request.GET.get("in") == "1" else "evaluation/round_detail.html"
    )
    return render(request, template, _round_context(request, round_))


def _run(request, action, success):
    try:
        action()
    except (ValidationError, PermissionDenied) as exc:
        if isinstance(exc, PermissionDenied):
            raise
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(request, success)


@staff_required
def round_assign(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    check(request.user, "evaluation.change_round")
    waiting = Dossier.objects.filter(state=DossierState.PROVINCE_RECEIVED)
    form = f.AssignForm(request.POST, queryset=waiting)
    if request.method == "POST" and form.is_valid():
        _run(
            request,
            lambda: services.round_assign(round_, form.cleaned_data["dossiers"], actor=request.user),
            _("Đã đưa hồ sơ vào đợt."),
        )
    return redirect("evaluation:round_detail", pk=pk)


@staff_required
def round_close(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    if request.method == "POST":
        form = f.CloseForm(request.POST)
        if form.is_valid():
            _run(
                request,
                lambda: services.round_close(round_, actor=request.user),
                _("Đã kết thúc đợt đánh giá."),
            )
        else:
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
    return redirect("evaluation:round_detail", pk=pk)


@staff_required
def round_decide(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    check(request.user, "evaluation.change_round")
    form = f.DecisionForm(request.POST)
    if request.method == "POST" and form.is_valid():
        _run(
            request,
            lambda: services.round_decide(
                round_, actor=request.user, **{k: v for k, v in form.cleaned_data.items() if k != "confirm"}
            ),
            _("Đã ban hành quyết định công nhận."),
        )
    elif request.method == "POST":
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
    return redirect("evaluation:round_detail", pk=pk)


@staff_required
def dossier_reevaluate(request, pk):
    """A dossier the Ministry returned goes back to the province's received dossiers (Điều 7.4)."""
    dossier = get_object_or_404(Dossier, pk=pk)
    check(request.user, "evaluation.change_round")
    form = f.ReevaluateForm(request.POST)
    round_pk = dossier.round_id
    if request.method == "POST" and form.is_valid():
        _run(
            request,
            lambda: services.dossier_reevaluate_returned(
                dossier, actor=request.user, comment=form.cleaned_data["comment"]
            ),
            _("Hồ sơ được đưa về chờ đánh giá lại."),
        )
    elif request.method == "POST":
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("evaluation:round_detail", pk=round_pk)


@staff_required
def dossier_ministry(request, pk):
    dossier = get_object_or_404(Dossier, pk=pk)
    check(request.user, "evaluation.change_round")
    form = f.MinistryForm(request.POST)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if dossier.state == DossierState.RETURNED:
            _run(
                request,
                lambda: services.province_certify_returned(
                    dossier,
                    number=data["number"],
                    signed_on=data["signed_on"],
                    signer_name=data["signer_name"],
                    actor=request.user,
                ),
                _("Đã công nhận theo điểm của Bộ."),
            )
        else:
            _run(
                request,
                lambda: services.ministry_result(dossier, actor=request.user, **data),
                _("Đã ghi kết quả của Bộ."),
            )
    return redirect("evaluation:round_detail", pk=dossier.round_id)


@staff_required
def round_export(request, pk):
    """The results table as Excel, with Vietnamese headers."""
    round_ = get_object_or_404(Round, pk=pk)
    check(request.user, "evaluation.view_round")
    score = "0.00"
    results = round_.results.select_related("dossier__product__producer")
    return xlsx_response(
        f"ket-qua-dot-{round_.pk}.xlsx",
        str(round_),
        [
            Column("STT", "int"),
            Column("Sản phẩm", width=34),
            Column("Chủ thể", width=34),
            Column("Số phiếu", "int"),
            Column("Điểm TB", "decimal", number_format=score),
            Column("Thấp nhất", "decimal", number_format=score),
            Column("Cao nhất", "decimal", number_format=score),
            Column("Hạng sao", "int"),
            Column("Cần thảo luận"),
            Column("Bị loại"),
        ],
        (
            (
                n,
                r.dossier.product.name,
                r.dossier.product.producer_name,
                r.sheets_count,
                r.score,
                r.lowest,
                r.highest,
                r.stars,
                "Có" if r.needs_discussion else "",
                "Có" if r.knocked_out else "",
            )
            for n, r in enumerate(results.iterator(chunk_size=2000), start=1)
        ),
        sheet_title="Kết quả",
    )


# Score sheets ----------------------------------------------------------------------------------------


@staff_required
def scoresheet(request, round_pk, dossier_pk):
    round_ = get_object_or_404(Round.objects.select_related("criteria_set"), pk=round_pk)
    dossier = get_object_or_404(
        Dossier.objects.select_related("product__category", "product__producer"), pk=dossier_pk, round=round_
    )
    if not request.user.has_perm("evaluation.score_round", round_):
        raise PermissionDenied
    sheet_def = services.sheet_for(dossier, round_.criteria_set)
    existing = ScoreSheet.objects.filter(round=round_, dossier=dossier, member=request.user).first()
    chosen = dict(existing.choices) if existing else {}
    errors = {}
    if request.method == "POST":
        chosen = {c.code: request.POST.get(f"c-{c.code}", "") for c in sheet_def.criteria()}
        try:
            existing = services.scoresheet_save(
                round_,
                dossier,
                actor=request.user,
                choices={k: v for k, v in chosen.items() if v},
                knocked_out=request.POST.get("knocked_out") == "on",
                knockout_reason=request.POST.get("knockout_reason", ""),
                knockout_kind=request.POST.get("knockout_kind", ""),
                knockout_evidence=request.POST.get("knockout_evidence", ""),
                submit="submit" in request.POST,
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        else:
            messages.success(request, _("Đã nộp phiếu.") if "submit" in request.POST else _("Đã lưu nháp."))
            return redirect("evaluation:scoresheet", round_pk=round_.pk, dossier_pk=dossier.pk)
    locked = existing is not None and existing.status == ScoreSheet.Status.SUBMITTED
    return render(
        request,
        "evaluation/scoresheet.html",
        {
            "round": round_,
            "dossier": dossier,
            "sheet": sheet_def,
            "chosen": chosen,
            "errors": errors,
            "existing": existing,
            "locked": locked or round_.status != Round.Status.OPEN,
            **criterion_context(round_, dossier, request.user),  # issue 14: claims, pre-check, comments
            "live": scoresheet_live(sheet_def, {k: v for k, v in chosen.items() if v}),
            "spec": scoresheet_spec(sheet_def),
            "knockout_kinds": [
                (ScoreSheet.Knockout.FACT, ScoreSheet.Knockout.FACT.label),
                (ScoreSheet.Knockout.JUDGEMENT, ScoreSheet.Knockout.JUDGEMENT.label),
            ],
        },
    )


# Advisor ---------------------------------------------------------------------------------------------


@staff_required
def advisor(request, product_pk):
    product = get_object_or_404(Product.objects.select_related("producer", "category"), pk=product_pk)
    check(request.user, "products.view_product", product)
    sheet = latest_sheet(product)
    plan = self_assessed = None
    if sheet is not None:
        sheet_def = sheet.criteria_set.parsed().sheet(sheet.sheet_number)
        plan = upgrade_plan(sheet_def, sheet.choices)
    elif (dossier := product.dossiers.order_by("-created_at", "-id").first()) and (
        self_assessed := self_assessment_summary(dossier)  # issue 14: before any council has scored
    ):
        self_assessed["dossier"] = dossier
        plan = upgrade_plan(self_assessed["sheet"], self_assessed["choices"])
    return render(
        request,
        "evaluation/advisor.html",
        {"product": product, "sheet": sheet, "plan": plan, "self_assessed": self_assessed},
    )


@staff_required
def advisor_province(request):
    """Products closest to their next star (from each product's latest scored round)."""
    check(request.user, "evaluation.view_advice")
    # The latest scored dossier of each product and its gap to the next star are kept on the
    # dossier: the page's ids come from the list's order index (170,000 dossiers did, issue 15).
    page, query = paginate_ids(request, advisor_rows(request.user), rows=dossier_rows())
    rows = []
    for d in page.object_list:
        stars = d.stars or 0
        target = max(stars + 1, 3)
        rows.append(
            {
                "dossier": d,
                "product": d.product,
                "stars": stars,
                "score": d.score,
                "target": target,
                "gap": d.star_gap,
            }
        )
    page.object_list = rows
    return render(request, "evaluation/advisor_list.html", {"page": page, "query": query})


# Criteria sets ---------------------------------------------------------------------------------------


@staff_required
def criteria_index(request):
    check(request.user, "evaluation.view_criteriaset")
    form = f.CriteriaUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST":
        check(request.user, "evaluation.add_criteriaset")
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                raw = _read_criteria_upload(upload)
                criteria_set, created = services.criteria_set_load(
                    raw, source_name=upload.name, actor=request.user
                )
            except CriteriaSetInvalid as exc:
                problems = exc.problems
            except (yaml.YAMLError, ValueError, KeyError) as exc:
                problems = [_("Không đọc được tệp: %(e)s") % {"e": exc}]
            else:
                messages.success(
                    request,
                    _("Đã nạp %(c)s.") % {"c": criteria_set} if created else _("Bộ tiêu chí không thay đổi."),
                )
                return redirect("evaluation:criteria_index")
    sets = CriteriaSet.objects.select_related("loaded_by")
    return render(
        request,
        "evaluation/criteria_list.html",
        {
            "sets": sets,
            "form": form,
            "problems": problems,
            "can_add": request.user.has_perm("evaluation.add_criteriaset"),
        },
    )


def _read_criteria_upload(upload) -> dict:
    name = upload.name.lower()
    if name.endswith((".xlsx", ".xlsm")):
        with tempfile.NamedTemporaryFile(suffix=Path(name).suffix) as tmp:
            for chunk in upload.chunks():
                tmp.write(chunk)
            tmp.flush()
            return read_criteria_set_xlsx(tmp.name)
    raw = yaml.safe_load(upload.read().decode("utf-8"))
    if not isinstance(raw, dict):
        raise ValueError(_("tệp YAML không có cấu trúc bộ tiêu chí"))
    return raw


@staff_required
def criteria_sheet(request, pk, number):
    criteria_set = get_object_or_404(CriteriaSet, pk=pk)
    check(request.user, "evaluation.view_criteriaset")
    try:
        sheet = criteria_set.parsed().sheet(number)
    except KeyError as exc:
        raise PermissionDenied from exc
    return render(request, "evaluation/criteria_sheet.html", {"criteria_set": criteria_set, "sheet": sheet})
