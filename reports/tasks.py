"""Background job kinds of reports (jobs.registry): the three large list exports and the products
import. Each export runs with the filters of the list page it came from (its query string) and the
visibility of the user who started it."""

import hashlib
import shutil
from collections import Counter

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import FileSystemStorage
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from accounts.roles import is_office, is_staff_member
from backoffice.forms import ProducerFilterForm, ProductFilterForm
from certificates.forms import CertificateFilterForm
from config import env as E
from core.sheet_writer import XLSX_TYPE, Column, Sheet, write_sheets, write_xlsx
from jobs.registry import JobError, JobFile, job_kind
from jobs.storage import job_scratch_path
from reports import exports, quality
from reports.forms import DashboardFilterForm, QualityFilterForm, StandardReportForm, YearForm
from reports.importing import ImportFileError, import_products, read_table
from reports.pdf import MAX_PDF_ROWS, standard_list_pdf, yearly_summary_pdf
from reports.rules import can_exchange_national, can_view_quality
from reports.selectors import figures, scope_for, scope_label

PDF_TYPE = "application/pdf"

IMPORT_ROWS_SHOWN = 2000  # rows listed on the import's page; every error is listed


def import_storage() -> FileSystemStorage:
    """Where an uploaded list waits for its import: a private folder (never the public media
    folder), OCOP_VAR_DIR/imports unless settings.OCOP_IMPORT_DIR says otherwise. The web
    processes and the workers of one machine share it; several machines need a shared disk."""
    location = getattr(settings, "OCOP_IMPORT_DIR", None) or E.VAR_DIR / "imports"
    return FileSystemStorage(location=location, base_url=None)


# The standard list and the yearly summary as PDF -------------------------------------------------


def _pdf_file(job, out, stem: str, report: dict | None = None) -> JobFile:
    path = job_scratch_path(job, ".pdf")
    out.seek(0)
    with open(path, "wb") as target:
        shutil.copyfileobj(out, target)
    return JobFile(path, f"{stem}.pdf", PDF_TYPE, report=report)


@job_kind(
    "standard_report_pdf",
    label=gettext_lazy("Danh sách sản phẩm OCOP (PDF)"),
    allowed=is_staff_member,
    template="reports/_export_report.html",
)
def standard_report_pdf(job, progress):
    user = job.created_by
    values = StandardReportForm(QueryDict(job.params.get("query", "")), user=user).values()
    filters = exports.StandardFilters(
        valid_only=values["valid_only"], commune=values["commune"], year=values["year"]
    )
    title, subtitle = exports.standard_title(filters)
    columns = exports.standard_columns()
    shown = exports.PDF_COLUMNS + (0 if filters.valid_only else 1)
    widths = (
        [10, 48, 46, 48, 20, 24, 11, 26, 21, 21]
        if filters.valid_only
        else [10, 44, 40, 42, 18, 22, 11, 24, 21, 21, 20]
    )
    # The PDF prints MAX_PDF_ROWS rows at most (and says so when there are more).
    listed = exports.first_rows(exports.ocop_list(user, filters), MAX_PDF_ROWS + 1)
    rows = exports.pdf_rows(listed, with_status=not filters.valid_only)
    progress(0, None, _("Đang dựng bảng"))
    out, count = standard_list_pdf(
        title,
        subtitle,
        [c.header for c in columns[:shown]],
        progress.counting(rows, message=_("Đang dựng bảng")),
        widths_mm=widths,
    )
    return _pdf_file(job, out, f"danh-sach-san-pham-ocop-{timezone.localdate():%Y%m%d}", {"rows": count})


@job_kind(
    "yearly_summary_pdf",
    label=gettext_lazy("Báo cáo tổng hợp OCOP năm (PDF)"),
    allowed=is_staff_member,
)
def yearly_summary_pdf_job(job, progress):
    user = job.created_by
    query = QueryDict(job.params.get("query", ""))
    form = YearForm(query or None)
    year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
    commune = DashboardFilterForm(query or None, user=user).values()["commune"]
    scope = scope_for(user, year=year, commune=commune)
    progress(0, None, _("Đang tính số liệu"))
    out = yearly_summary_pdf(
        figures(scope, unknown_label=_("Chưa xác định")), year=year, scope_label=scope_label(scope)
    )
    return _pdf_file(job, out, f"bao-cao-ocop-nam-{year}")


# Exports ------------------------------------------------------------------------------------------


def can_export_certificates(user) -> bool:
    return is_staff_member(user) and user.has_perm("certificates.view_certificate")


def _export(job, progress, form_class, columns, rows, title: str, stem: str, allowed=is_staff_member):
    user = job.created_by
    if not allowed(user):
        raise PermissionDenied
    form = form_class(QueryDict(job.params.get("query", "")), user=user)
    filters = {k: v for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v}
    path = job_scratch_path(job, ".xlsx")
    progress(0, None, _("Đang ghi các dòng"))
    count = write_xlsx(
        path,
        title,
        columns(),
        progress.counting(rows(user, filters), message=_("Đang ghi các dòng")),
        subtitle=_("Xuất ngày %(d)s") % {"d": timezone.localdate().strftime("%d/%m/%Y")},
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    return JobFile(path, f"{stem}-{stamp}.xlsx", XLSX_TYPE, report={"rows": count})


@job_kind(
    "export_producers",
    label=gettext_lazy("Xuất danh sách chủ thể OCOP"),
    allowed=is_staff_member,
    template="reports/_export_report.html",
)
def export_producers(job, progress):
    return _export(
        job,
        progress,
        ProducerFilterForm,
        exports.producer_columns,
        exports.producer_rows,
        _("Danh sách chủ thể OCOP"),
        "chu-the-ocop",
    )


@job_kind(
    "export_products",
    label=gettext_lazy("Xuất danh sách sản phẩm"),
    allowed=is_staff_member,
    template="reports/_export_report.html",
)
def export_products(job, progress):
    return _export(
        job,
        progress,
        ProductFilterForm,
        exports.product_columns,
        exports.product_rows,
        _("Danh sách sản phẩm"),
        "san-pham",
    )


@job_kind(
    "export_certificates",
    label=gettext_lazy("Xuất danh sách giấy chứng nhận OCOP"),
    allowed=can_export_certificates,
    template="reports/_export_report.html",
)
def export_certificates(job, progress):
    return _export(
        job,
        progress,
        CertificateFilterForm,
        exports.certificate_columns,
        exports.certificate_rows,
        _("Danh sách giấy chứng nhận OCOP"),
        "giay-chung-nhan-ocop",
        allowed=can_export_certificates,
    )


# The data-quality worklist ------------------------------------------------------------------------


def _quality_sheets(user, gaps, commune, progress) -> list[Sheet]:
    summary = quality.summary(user, commune)
    unknown = _("Chưa xác định")
    if commune is not None:
        scope = str(commune)
    else:
        scope = _("Toàn tỉnh Lạng Sơn") if is_office(user) else _("Phạm vi được phân công")
    exported = _("Xuất ngày %(d)s") % {"d": timezone.localdate().strftime("%d/%m/%Y")}
    subtitle = f"{scope} · {exported}"
    counts = Sheet(
        _("Tổng hợp"),
        [Column(_("Xã/phường"), width=30)] + [Column(str(g.label), "int", width=16) for g in quality.GAPS],
        [[str(r.commune or unknown), *(r.counts[g.code] for g in quality.GAPS)] for r in summary.by_commune],
        title=_("Thông tin còn thiếu theo xã, phường"),
        subtitle=subtitle,
        totals=[_("Tổng"), *(summary.totals[g.code] for g in quality.GAPS)],
    )
    site = settings.SITE_URL.rstrip("/")
    columns = [
        Column(_("Tên"), width=40),
        Column(_("Chi tiết"), width=40),
        Column(_("Xã/phường"), width=24),
        Column(_("Đường dẫn để bổ sung"), width=50),
    ]

    def rows(gap):
        records = quality.gap_records(user, gap, commune).iterator(chunk_size=2000)
        for line in progress.counting(quality.lines(gap, records), message=_("Đang ghi các dòng")):
            yield (line.name, line.detail, line.commune, site + line.url)

    return [counts] + [
        Sheet(
            str(gap.label),
            columns,
            rows(gap),
            title=f"{quality.KIND_LABELS[gap.kind]}: {gap.label}",
            subtitle=subtitle,
        )
        for gap in gaps
    ]


@job_kind(
    "export_quality",
    label=gettext_lazy("Xuất danh sách thông tin còn thiếu"),
    allowed=can_view_quality,
    template="reports/_export_report.html",
)
def export_quality(job, progress):
    """params: query (the worklist's filters). One sheet of counts per commune, then one sheet per
    gap (the chosen one, or all), each line with the address of the form that completes it."""
    user = job.created_by
    if not can_view_quality(user):
        raise PermissionDenied
    values = QualityFilterForm(QueryDict(job.params.get("query", "")), user=user).values()
    gaps = [quality.GAPS_BY_CODE[values["gap"]]] if values["gap"] else list(quality.GAPS)
    path = job_scratch_path(job, ".xlsx")
    progress(0, None, _("Đang ghi các dòng"))
    count = write_sheets(path, _quality_sheets(user, gaps, values["commune"], progress))
    stamp = timezone.localdate().strftime("%Y%m%d")
    return JobFile(path, f"thong-tin-con-thieu-{stamp}.xlsx", XLSX_TYPE, report={"rows": count})


# The national OCOP database (issue 17 point 7) -------------------------------------------------


@job_kind(
    "national_export_xlsx",
    label=gettext_lazy("Dữ liệu gửi cơ sở dữ liệu OCOP quốc gia (Excel)"),
    allowed=can_exchange_national,
    template="reports/_export_report.html",
)
def national_export_xlsx(job, progress):
    """Products, producers, certificates, the dry run's flags and the layout (reports.national)."""
    from reports import national

    user = job.created_by
    if not can_exchange_national(user):
        raise PermissionDenied
    path = job_scratch_path(job, ".xlsx")
    progress(0, None, _("Đang ghi các dòng"))
    count = write_sheets(path, national.sheets(user, progress))
    stamp = timezone.localdate().strftime("%Y%m%d")
    return JobFile(path, f"ocop-quoc-gia-lang-son-{stamp}.xlsx", XLSX_TYPE, report={"rows": count})


# Import -------------------------------------------------------------------------------------------


def _row_json(row) -> dict:
    return {
        "line": row.line,
        "product": row.product,
        "producer": row.producer,
        "stars": row.stars,
        "issued_on": row.issued_on.strftime("%d/%m/%Y") if row.issued_on else "",
        "issued_on_estimated": row.issued_on_estimated,
        # The unit the row's place maps to today, and how (reports.importing.Placement).
        "commune": row.commune,
        "place": row.place,
        "place_note": row.place_note,
        "actions": row.actions,
        "errors": bool(row.errors),
        "warnings": [str(w) for w in row.warnings],
    }


def import_report_json(report, *, filename: str, commit: bool) -> dict:
    """What the job's page shows of an ImportReport (JSON, kept with the job)."""
    return {
        "filename": filename,
        "commit": commit,
        "committed": report.committed,
        "ok": report.ok,
        "header_line": report.table.header_line,
        "decision_number": report.table.decision_number,
        "decision_date": report.table.decision_date.strftime("%d/%m/%Y")
        if report.table.decision_date
        else "",
        "skipped": report.table.skipped,
        "flagged": sum(1 for row in report.rows if row.warnings),
        "places": dict(Counter(row.place for row in report.rows if row.place)),
        "ignored": [str(i) for i in report.table.ignored],
        "counts": {entity: dict(counter) for entity, counter in report.counts.items()},
        "summary": report.summary(),
        "errors": [[line, str(column), str(message)] for line, column, message in report.errors],
        "rows": [_row_json(row) for row in report.rows[:IMPORT_ROWS_SHOWN]],
        "rows_total": len(report.rows),
    }


@job_kind(
    "import_products",
    label=gettext_lazy("Nhập danh sách sản phẩm OCOP"),
    allowed=is_office,
    template="reports/_import_report.html",
)
def import_products_job(job, progress):
    """params: path (in import_storage), name, sha256, commit; a commit also names its preview.
    A retry after a killed worker is safe: the import writes all its rows in one transaction, and
    importing a list again updates what it wrote instead of duplicating it."""
    params = job.params
    storage = import_storage()
    if not storage.exists(params["path"]):
        raise JobError(_("Tệp tải lên không còn (đã nhập hoặc quá một ngày): hãy tải tệp lên lại."))
    with storage.open(params["path"], "rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != params["sha256"]:
        raise JobError(_("Tệp tải lên đã bị thay đổi: hãy tải tệp lên lại."))
    try:
        table = read_table(data, params["name"])
    except ImportFileError as exc:
        raise JobError(str(exc)) from exc
    commit = bool(params.get("commit"))
    progress(0, len(table.rows), _("Đang đọc các dòng"))
    report = import_products(table, actor=job.created_by, commit=commit, progress=progress)
    if report.committed:
        storage.delete(params["path"])
    return import_report_json(report, filename=params["name"], commit=commit)


@db_periodic_task(crontab(minute="*/2"))
def warm_dashboard() -> int:
    """The dashboard's figures recomputed after data changes (reports.warming)."""
    from reports.warming import warm_dashboard_figures

    return warm_dashboard_figures()
