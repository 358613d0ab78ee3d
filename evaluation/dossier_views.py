"""Pages of the dossier's own papers (issue 14): documents, Mẫu 01/02, self-assessment with the
helper team's pre-check and the producer's answers, council comments per criterion."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from core.uploads import DocumentUploadField, ImageUploadField
from core.web import check, staff_required
from evaluation import documents as docs
from evaluation import selfassessment as sa
from evaluation.dossier_models import dossier_storage
from evaluation.dossier_pdf import form_pdf
from evaluation.models import Dossier, DossierDocument, Round

CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}


def _dossier(request, pk) -> Dossier:
    dossier = get_object_or_404(
        Dossier.objects.select_related(
            "product__producer__commune", "product__category", "round__criteria_set"
        ),
        pk=pk,
    )
    check(request.user, "evaluation.view_dossier", dossier)
    return dossier


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Loại tài liệu"))
    file = DocumentUploadField(label=gettext_lazy("Tệp (PDF hoặc ảnh JPEG, PNG)"))
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(i.code, i.label_vi) for i in docs.checklist()]


class ReplaceForm(forms.Form):
    file = DocumentUploadField(label=gettext_lazy("Tệp thay thế"))


@staff_required
def dossier_documents(request, pk):
    dossier = _dossier(request, pk)
    can_edit = request.user.has_perm("evaluation.change_dossier_papers", dossier)
    form = UploadForm(initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        replace = request.POST.get("replace", "")
        form = (ReplaceForm if replace else UploadForm)(request.POST, request.FILES)
        if form.is_valid():
            try:
                if replace:
                    document = get_object_or_404(DossierDocument, pk=replace, dossier=dossier)
                    docs.document_replace(document, upload=form.cleaned_data["file"], actor=request.user)
                else:
                    docs.document_upload(
                        dossier,
                        kind=form.cleaned_data["kind"],
                        upload=form.cleaned_data["file"],
                        note=form.cleaned_data["note"],
                        actor=request.user,
                    )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("Đã lưu tài liệu."))
                return redirect("evaluation:dossier_documents", pk=pk)
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            form = UploadForm()
    rows = docs.checklist_status(dossier)
    versions: dict[int, list] = {}
    for record in (
        DossierDocument.history.filter(dossier_id=dossier.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    ):
        versions.setdefault(record.id, []).append(record)
    for row in rows:
        for document in row["documents"]:
            # Earlier files only (a change of note alone is not a version).
            document.versions = [v for v in versions.get(document.pk, [])[1:] if v.file != document.file.name]
    return render(
        request,
        "evaluation/dossier_documents.html",
        {
            "dossier": dossier,
            "rows": rows,
            "missing": [r["item"].label_vi for r in rows if r["required"] and not r["present"]],
            "form": form if can_edit else None,
            "replace_form": ReplaceForm() if can_edit else None,
        },
    )


def _file_response(name: str, filename: str, file_format: str):
    if not name:
        raise Http404
    try:
        handle = dossier_storage().open(name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, filename=filename, content_type=CONTENT_TYPES.get(file_format, "application/octet-stream")
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_safe
@staff_required
def document_file(request, pk, version=None):
    """A dossier document (or an earlier version of it), to those who may see the dossier."""
    document = get_object_or_404(DossierDocument.objects.select_related("dossier__product__producer"), pk=pk)
    if not request.user.has_perm("evaluation.view_dossier", document.dossier):
        raise Http404  # another commune's dossier: not even its existence is told
    if version is not None:
        record = get_object_or_404(DossierDocument.history.filter(id=pk), history_id=version)
        return _file_response(record.file, record.original_name, record.file_format)
    return _file_response(document.file.name, document.original_name, document.file_format)


# Mẫu 01 and 02 ---------------------------------------------------------------------------------------


def _form_class(spec):
    fields = {}
    for f in spec.fields:
        widget = forms.Textarea(attrs={"rows": 3}) if f.multiline else forms.TextInput
        fields[f.code] = forms.CharField(
            label=f.label_vi, required=f.required, widget=widget, max_length=4000
        )
    return type("DossierPaperForm", (forms.Form,), fields)


@staff_required
def dossier_form(request, pk, code):
    dossier = _dossier(request, pk)
    try:
        spec = docs.form_spec(code)
    except KeyError as exc:
        raise Http404 from exc
    can_edit = request.user.has_perm("evaluation.change_dossier_papers", dossier)
    form_class = _form_class(spec)
    form = form_class(initial=docs.form_initial(dossier, code))
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        # Incomplete forms are saved as drafts: the checklist counts them once complete.
        form = form_class(request.POST)
        form.is_valid()
        data = {name: request.POST.get(name, "") for name in form.fields}
        try:
            docs.dossier_form_save(dossier, code, data, actor=request.user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            missing = docs.form_missing_fields(spec, data)
            if missing:
                messages.warning(request, _("Đã lưu bản nháp; còn thiếu: %(m)s.") % {"m": "; ".join(missing)})
            else:
                messages.success(request, _("Đã lưu %(f)s.") % {"f": spec.number_vi})
            return redirect("evaluation:dossier_form", pk=pk, code=code)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "evaluation/dossier_form.html",
        {"dossier": dossier, "spec": spec, "form": form, "can_edit": can_edit},
    )


@require_safe
@staff_required
def dossier_form_pdf(request, pk, code):
    dossier = _dossier(request, pk)
    try:
        content = form_pdf(dossier, code)
    except KeyError as exc:
        raise Http404 from exc
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="mau-{code}-ho-so-{dossier.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# Self-assessment, pre-check, answers ------------------------------------------------------------------


def _self_assessment_post(request, dossier, sheet):
    action = request.POST.get("action")
    codes = [c.code for c in sheet.criteria()]
    if action == "claims":
        photo_field = ImageUploadField(required=False)
        claims = {}
        for code in codes:
            photo = request.FILES.get(f"p-{code}")
            if photo is not None:
                try:
                    photo_field.clean(photo)
                except ValidationError as exc:
                    raise ValidationError({f"p-{code}": [f"{code}: {m}" for m in exc.messages]}) from exc
            evidence = request.POST.get(f"e-{code}", "")
            claims[code] = sa.ClaimInput(
                option=request.POST.get(f"o-{code}", ""),
                note=request.POST.get(f"n-{code}", ""),
                evidence=int(evidence) if evidence.isdigit() else None,
                photo=photo,
            )
        sa.claims_save(dossier, claims, actor=request.user)
        return _("Đã lưu bản tự đánh giá.")
    if action == "precheck":
        reviews = {
            code: (request.POST.get(f"r-{code}", ""), request.POST.get(f"rc-{code}", ""))
            for code in codes
            if f"r-{code}" in request.POST
        }
        sa.precheck_save(dossier, reviews, actor=request.user)
        return _("Đã lưu kết quả rà soát.")
    if action == "answers":
        answers = {
            code: (request.POST.get(f"a-{code}", ""), request.FILES.get(f"af-{code}"))
            for code in codes
            if request.POST.get(f"a-{code}", "").strip()
        }
        if not answers:
            raise ValidationError(_("Chưa có nội dung trả lời."))
        sa.query_answers(dossier, answers, actor=request.user)
        return _("Đã gửi trả lời.")
    raise ValidationError(_("Thao tác không hợp lệ."))


@staff_required
def self_assessment(request, pk):
    dossier = _dossier(request, pk)
    if dossier.product.category_id is None:
        raise Http404
    _criteria_set, sheet = sa.official_sheet(dossier)
    user = request.user
    if request.method == "POST":
        try:
            done = _self_assessment_post(request, dossier, sheet)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, done)
            return redirect("evaluation:self_assessment", pk=pk)
    claims = sa.claims_of(dossier)
    summary = sa.self_assessment_summary(dossier)
    can = {
        "claims": user.has_perm("evaluation.change_dossier_papers", dossier),
        "precheck": user.has_perm("evaluation.precheck_dossier", dossier),
        "answers": user.has_perm("evaluation.answer_precheck", dossier)
        and any(c.open_query for c in claims.values()),
    }
    modes = [m for m, allowed in can.items() if allowed]
    mode = request.GET.get("mode") if request.GET.get("mode") in modes else (modes[0] if modes else "")
    return render(
        request,
        "evaluation/self_assessment.html",
        {
            "dossier": dossier,
            "sheet": sheet,
            "claims": claims,
            "total": summary["total"] if summary else None,
            "documents": list(dossier.documents.all()),
            "mode": mode,
            "modes": modes,
            "reviews": sa.Review.choices,
        },
    )


@require_POST
@staff_required
def criterion_comments(request, round_pk, dossier_pk):
    round_ = get_object_or_404(Round, pk=round_pk)
    dossier = get_object_or_404(Dossier, pk=dossier_pk, round=round_)
    comments = {
        key.removeprefix("cc-"): value for key, value in request.POST.items() if key.startswith("cc-")
    }
    try:
        sa.criterion_comments_save(round_, dossier, comments, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã lưu ý kiến theo tiêu chí."))
    target = request.POST.get("criterion", "")
    url = redirect("evaluation:scoresheet", round_pk=round_.pk, dossier_pk=dossier.pk).url
    return redirect(f"{url}#c-{target}" if target.replace(".", "").isalnum() else url)
