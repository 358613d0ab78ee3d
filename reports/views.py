"""Statistics dashboard, exports, reports and the import page. Thin: forms parse, selectors
read, reports.importing checks every row with the domain services' rules, then writes in bulk."""

import datetime as dt
import hashlib
import secrets
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.roles import is_office
from core.sheet_writer import xlsx_response
from core.web import check, list_response, paginate_ids, staff_required
from jobs.selectors import own_job
from jobs.services import job_find_or_start, job_start, job_start_after
from reports import exports, quality
from reports.forms import DashboardFilterForm, ImportForm, QualityFilterForm, StandardReportForm, YearForm
from reports.importing import ImportFileError, read_table
from reports.selectors import EXPIRY_MONTHS, cached_completeness, cached_figures, scope_for, scope_label
from reports.tasks import import_storage

IMPORT_MAX_AGE = dt.timedelta(days=1)


def _stamp() -> str:
    return timezone.localdate().strftime("%Y%m%d")


# Dashboard ----------------------------------------------------------------------------------------


@require_safe
@staff_required
def dashboard(request):
    form = DashboardFilterForm(request.GET or None, user=request.user)
    values = form.values()
    scope = scope_for(request.user, year=values["year"], commune=values["commune"])
    data = cached_figures(scope, unknown_label=_("Chưa xác định"))
    report_form = StandardReportForm(user=request.user, initial={"valid": "1"}, auto_id="report_%s")
    sales = events = None
    if request.user.has_perm("sales.view_summary"):
        from sales.selectors import province_sales_summary, user_communes

        communes = [scope.commune.pk] if scope.commune else user_communes(request.user)
        sales = province_sales_summary(scope.day.year, communes=communes)
    if scope.is_province or request.user.has_perm("sales.view_summary"):
        from promotion.selectors import events_summary

        events = events_summary(scope.day.year)
    inspections = None
    if request.user.has_perm("inspections.view_inspectionplan"):
        from inspections.selectors import inspection_summary

        inspections = inspection_summary(request.user)
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "report_form": report_form,
            "year_form": YearForm(initial={"year": scope.day.year}, auto_id="summary_%s"),
            "scope": scope,
            "scope_label": scope_label(scope),
            "figures": data,
            "completeness": cached_completeness(scope),
            "chart_data": data.as_chart_data(),
            "expiry_months": EXPIRY_MONTHS,
            "can_import": is_office(request.user),
            "sales": sales,
            "events": events,
            "inspections": inspections,
        },
    )


# The national OCOP database (issue 17 point 7) -------------------------------------------------


@require_safe
@staff_required
def national_dry_run(request):
    """What an export to the national database would send (reports.national.dry_run)."""
    from reports import national

    check(request.user, "reports.exchange_national")
    return render(
        request,
        "reports/national.html",
        {"report": national.dry_run(request.user), "layout_version": national.LAYOUT_VERSION},
    )


@require_safe
@staff_required
def national_export(request):
    check(request.user, "reports.exchange_national")
    return _start_export(request, "national_export_xlsx")


# The standard report and the yearly summary -------------------------------------------------------


@require_safe
@staff_required
def standard_report(request, fmt):
    if fmt != "xlsx":
        # The PDF takes seconds for a few thousand rows: a background job (reports.tasks).
        job = job_find_or_start("standard_report_pdf", {"query": request.GET.urlencode()}, actor=request.user)
        return redirect("jobs:detail", job.pk)
    form = StandardReportForm(request.GET or None, user=request.user)
    values = form.values()
    filters = exports.StandardFilters(
        valid_only=values["valid_only"], commune=values["commune"], year=values["year"]
    )
    qs = exports.ocop_list(request.user, filters)
    title, subtitle = exports.standard_title(filters)
    filename = f"danh-sach-san-pham-ocop-{_stamp()}"
    columns = exports.standard_columns()
    return xlsx_response(
        f"{filename}.xlsx",
        title,
        columns,
        exports.standard_rows(qs),
        subtitle=subtitle,
        sheet_title="OCOP",
    )


@require_safe
@staff_required
def yearly_summary(request):
    job = job_find_or_start("yearly_summary_pdf", {"query": request.GET.urlencode()}, actor=request.user)
    return redirect("jobs:detail", job.pk)


# List exports (the back-office lists' filters, each user's visibility): background jobs ----------


def _start_export(request, kind: str):
    # A GET (the lists link here with their filters) that only starts, or finds, the user's own job
    # for the same filters: reloading the link does not queue the work twice.
    job = job_find_or_start(kind, {"query": request.GET.urlencode()}, actor=request.user)
    return redirect("jobs:detail", job.pk)


@require_safe
@staff_required
def export_producers(request):
    return _start_export(request, "export_producers")


@require_safe
@staff_required
def export_products(request):
    return _start_export(request, "export_products")


@require_safe
@staff_required
def export_certificates(request):
    check(request.user, "certificates.view_certificate")
    return _start_export(request, "export_certificates")


# The data-quality worklist ------------------------------------------------------------------------


@require_safe
@staff_required
def quality_worklist(request):
    check(request.user, "reports.view_quality")
    form = QualityFilterForm(request.GET or None, user=request.user)
    values = form.values()
    summary = quality.cached_summary(request.user, values["commune"])
    code = values["gap"] or next((c for c, n in summary.totals.items() if n), quality.GAPS[0].code)
    gap = quality.GAPS_BY_CODE[code]
    # The list's length is the summary's count: the ids of the page only are read.
    page, query = paginate_ids(
        request, quality.gap_records(request.user, gap, values["commune"]), count=summary.totals[code]
    )
    page.object_list = list(quality.lines(gap, page.object_list))
    return list_response(
        request,
        "reports/quality",
        {
            "form": form,
            "summary": summary,
            "gap": gap,
            "kind_label": quality.KIND_LABELS[gap.kind],
            "page": page,
            "query": query,
            "commune": values["commune"],
            "commune_code": values["commune"].code if values["commune"] else "",
        },
    )


@require_safe
@staff_required
def quality_export(request):
    check(request.user, "reports.view_quality")
    return _start_export(request, "export_quality")


# Import -------------------------------------------------------------------------------------------
# Upload (the file is read at once, so an unreadable file is refused on the form), then two jobs:
# the preview checks every row and writes nothing; the confirmation imports the same file.


def _remove_stale_uploads() -> None:
    """Uploads never imported, older than a day."""
    storage = import_storage()
    try:
        _dirs, files = storage.listdir("")
    except FileNotFoundError:
        return
    limit = timezone.now() - IMPORT_MAX_AGE
    for name in files:
        try:
            if storage.get_modified_time(name) < limit:
                storage.delete(name)
        except OSError:
            continue


def _keep_upload(data: bytes, filename: str) -> dict:
    """Keep the file in the private import folder under a random name; the job's params hold it."""
    _remove_stale_uploads()
    suffix = PurePath(filename).suffix.lower()
    path = import_storage().save(f"{secrets.token_urlsafe(24)}{suffix}", ContentFile(data))
    return {"path": path, "name": filename, "sha256": hashlib.sha256(data).hexdigest()}


def _confirm_import(request, preview_id: str):
    preview = own_job(request.user, preview_id, kind="import_products")
    report = (preview.report or {}) if preview else {}
    if preview is None or preview.params.get("commit") or not report.get("ok"):
        messages.error(request, _("Bản xem trước đã hết hạn hoặc không hợp lệ: hãy tải tệp lên lại."))
        return redirect("reports:import")
    # Two clicks on "confirm" start one import.
    job = job_start_after(preview, "import_products", {**preview.params, "commit": True}, actor=request.user)
    return redirect("jobs:detail", job.pk)


@staff_required
def import_page(request):
    if not is_office(request.user):
        raise PermissionDenied
    form = ImportForm()
    if request.method == "POST" and "preview" in request.POST:
        return _confirm_import(request, request.POST["preview"])
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data, filename = upload.read(), upload.name
            try:
                read_table(data, filename)
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                params = {**_keep_upload(data, filename), "commit": False}
                job = job_start("import_products", params, actor=request.user)
                return redirect("jobs:detail", job.pk)
    return render(request, "reports/import.html", {"form": form})
