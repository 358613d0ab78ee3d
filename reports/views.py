"""Statistics dashboard, exports, reports and the import page. Thin: forms parse, selectors
read, reports.importing checks every row with the domain services' rules, then writes in bulk."""

import datetime as dt
import hashlib
import secrets
from pathlib import PurePath

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.roles import is_office
from backoffice.forms import ProducerFilterForm, ProductFilterForm
from certificates.forms import CertificateFilterForm
from config import env as E
from core.sheet_writer import xlsx_response
from core.web import check, staff_required
from reports import exports
from reports.forms import DashboardFilterForm, ImportForm, StandardReportForm, YearForm
from reports.importing import ImportFileError, import_products, read_table
from reports.pdf import standard_list_pdf, yearly_summary_pdf
from reports.selectors import EXPIRY_MONTHS, figures, scope_for

PDF_TYPE = "application/pdf"
IMPORT_SESSION_KEY = "reports_import"
IMPORT_MAX_AGE = dt.timedelta(days=1)


def _stamp() -> str:
    return timezone.localdate().strftime("%Y%m%d")


def _filters(form) -> dict:
    return {k: v for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v}


def _scope_label(scope) -> str:
    if scope.commune is not None:
        return str(scope.commune)
    if scope.is_province:
        return _("Toàn tỉnh Lạng Sơn")
    return _("Phạm vi được phân công")


# Dashboard ----------------------------------------------------------------------------------------


@require_safe
@staff_required
def dashboard(request):
    form = DashboardFilterForm(request.GET or None, user=request.user)
    values = form.values()
    scope = scope_for(request.user, year=values["year"], commune=values["commune"])
    data = figures(scope, unknown_label=_("Chưa xác định"))
    report_form = StandardReportForm(user=request.user, initial={"valid": "1"}, auto_id="report_%s")
    sales = events = None
    if request.user.has_perm("sales.view_summary"):
        from sales.selectors import province_sales_summary, user_communes

        communes = [scope.commune.pk] if scope.commune else user_communes(request.user)
        sales = province_sales_summary(scope.day.year, communes=communes)
    if scope.is_province or request.user.has_perm("sales.view_summary"):
        from promotion.selectors import events_summary

        events = events_summary(scope.day.year)
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "report_form": report_form,
            "year_form": YearForm(initial={"year": scope.day.year}, auto_id="summary_%s"),
            "scope": scope,
            "scope_label": _scope_label(scope),
            "figures": data,
            "chart_data": data.as_chart_data(),
            "expiry_months": EXPIRY_MONTHS,
            "can_import": is_office(request.user),
            "sales": sales,
            "events": events,
        },
    )


# The standard report and the yearly summary -------------------------------------------------------


@require_safe
@staff_required
def standard_report(request, fmt):
    form = StandardReportForm(request.GET or None, user=request.user)
    values = form.values()
    filters = exports.StandardFilters(
        valid_only=values["valid_only"], commune=values["commune"], year=values["year"]
    )
    qs = exports.ocop_list(request.user, filters)
    title, subtitle = exports.standard_title(filters)
    filename = f"danh-sach-san-pham-ocop-{_stamp()}"
    columns = exports.standard_columns()
    if fmt == "xlsx":
        return xlsx_response(
            f"{filename}.xlsx",
            title,
            columns,
            exports.standard_rows(qs),
            subtitle=subtitle,
            sheet_title="OCOP",
        )
    shown = exports.PDF_COLUMNS + (0 if filters.valid_only else 1)
    widths = (
        [10, 48, 46, 48, 20, 24, 11, 26, 21, 21]
        if filters.valid_only
        else [10, 44, 40, 42, 18, 22, 11, 24, 21, 21, 20]
    )
    rows = exports.pdf_rows(qs, with_status=not filters.valid_only)
    out, _count = standard_list_pdf(
        title, subtitle, [c.header for c in columns[:shown]], rows, widths_mm=widths
    )
    return FileResponse(out, as_attachment=True, filename=f"{filename}.pdf", content_type=PDF_TYPE)


@require_safe
@staff_required
def yearly_summary(request):
    form = YearForm(request.GET or None)
    year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
    commune_form = DashboardFilterForm(request.GET or None, user=request.user)
    scope = scope_for(request.user, year=year, commune=commune_form.values()["commune"])
    data = figures(scope, unknown_label=_("Chưa xác định"))
    out = yearly_summary_pdf(data, year=year, scope_label=_scope_label(scope))
    return FileResponse(
        out, as_attachment=True, filename=f"bao-cao-ocop-nam-{year}.pdf", content_type=PDF_TYPE
    )


# List exports (the back-office lists' filters, each user's visibility) ---------------------------


@require_safe
@staff_required
def export_producers(request):
    form = ProducerFilterForm(request.GET or None, user=request.user)
    return xlsx_response(
        f"chu-the-ocop-{_stamp()}.xlsx",
        _("Danh sách chủ thể OCOP"),
        exports.producer_columns(),
        exports.producer_rows(request.user, _filters(form)),
        subtitle=_("Xuất ngày %(d)s") % {"d": timezone.localdate().strftime("%d/%m/%Y")},
    )


@require_safe
@staff_required
def export_products(request):
    form = ProductFilterForm(request.GET or None, user=request.user)
    return xlsx_response(
        f"san-pham-{_stamp()}.xlsx",
        _("Danh sách sản phẩm"),
        exports.product_columns(),
        exports.product_rows(request.user, _filters(form)),
        subtitle=_("Xuất ngày %(d)s") % {"d": timezone.localdate().strftime("%d/%m/%Y")},
    )


@require_safe
@staff_required
def export_certificates(request):
    check(request.user, "certificates.view_certificate")
    form = CertificateFilterForm(request.GET or None, user=request.user)
    return xlsx_response(
        f"giay-chung-nhan-ocop-{_stamp()}.xlsx",
        _("Danh sách giấy chứng nhận OCOP"),
        exports.certificate_columns(),
        exports.certificate_rows(request.user, _filters(form)),
        subtitle=_("Xuất ngày %(d)s") % {"d": timezone.localdate().strftime("%d/%m/%Y")},
    )


# Import -------------------------------------------------------------------------------------------


def import_storage() -> FileSystemStorage:
    """Where an uploaded list waits for its confirmation: a private folder (never the public
    media folder), OCOP_VAR_DIR/imports unless settings.OCOP_IMPORT_DIR says otherwise. Several
    processes of one machine share it; several app servers need it on a shared disk."""
    location = getattr(settings, "OCOP_IMPORT_DIR", None) or E.VAR_DIR / "imports"
    return FileSystemStorage(location=location, base_url=None)


def _forget_upload(request) -> None:
    pending = request.session.pop(IMPORT_SESSION_KEY, None)
    storage = import_storage()
    if pending and storage.exists(pending["path"]):
        storage.delete(pending["path"])


def _remove_stale_uploads() -> None:
    """Uploads whose preview was never confirmed, older than a day."""
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


def _keep_upload(request, data: bytes, filename: str) -> str:
    """Keep the file for the confirmation under a random token that only this session knows."""
    _forget_upload(request)
    _remove_stale_uploads()
    token = secrets.token_urlsafe(24)
    suffix = PurePath(filename).suffix.lower()
    path = import_storage().save(f"{token}{suffix}", ContentFile(data))
    request.session[IMPORT_SESSION_KEY] = {
        "token": token,
        "path": path,
        "name": filename,
        "sha256": hashlib.sha256(data).hexdigest(),
        "user": request.user.pk,
    }
    return token


def _kept_upload(request, token: str) -> tuple[bytes, str] | None:
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending or not secrets.compare_digest(pending["token"], token or ""):
        return None
    storage = import_storage()
    if pending["user"] != request.user.pk or not storage.exists(pending["path"]):
        return None
    with storage.open(pending["path"], "rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != pending["sha256"]:
        return None
    return data, pending["name"]


@staff_required
def import_page(request):
    if not is_office(request.user):
        raise PermissionDenied
    form = ImportForm()
    report = token = None
    filename = ""
    if request.method == "POST" and "token" in request.POST:
        kept = _kept_upload(request, request.POST["token"])
        if kept is None:
            messages.error(request, _("Bản xem trước đã hết hạn hoặc không hợp lệ: hãy tải tệp lên lại."))
            return redirect("reports:import")
        data, filename = kept
        try:
            table = read_table(data, filename)
        except ImportFileError as exc:  # the file was readable at the preview: should not happen
            messages.error(request, str(exc))
            return redirect("reports:import")
        report = import_products(table, actor=request.user, commit=True)
        if report.committed:
            _forget_upload(request)
            messages.success(request, _("Đã nhập tệp %(f)s. %(s)s") % {"f": filename, "s": report.summary()})
            return redirect("reports:import")
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data, filename = upload.read(), upload.name
            try:
                table = read_table(data, filename)
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                report = import_products(table, actor=request.user, commit=False)
                if report.ok:
                    token = _keep_upload(request, data, filename)
    return render(
        request,
        "reports/import.html",
        {"form": form, "report": report, "token": token, "filename": filename},
    )
