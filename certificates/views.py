"""Certificate pages of the back-office. Thin: forms parse, services write, selectors read,
rules decide (certificates/rules.py)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from certificates import forms as f
from certificates.importing import ImportFileError, Table, import_historical, read_table
from certificates.models import Certificate, CertificateStatus, ReevaluationWindow
from certificates.printing import (
    QR_MAX_MM,
    QR_MIN_MM,
    QR_SIZES_MM,
    certificate_pdf,
    pdf_filename,
    public_path,
    public_url,
    qr_png,
    qr_svg,
)
from certificates.selectors import certificate_list, certificate_rows, pending_violations
from certificates.services import (
    certificate_complete,
    certificate_record_historical,
    certificate_record_violation,
    certificate_revoke,
    certificate_send_reminder,
)
from core.web import apply_errors, change_log, check, list_response, paginate, paginate_ids, staff_required
from products.models import Product

IMPORT_SALT = "certificates.import-historical"
IMPORT_MAX_AGE = 3600  # seconds between the preview and the confirmation


def _certificate(request, pk) -> Certificate:
    certificate = get_object_or_404(
        Certificate.objects.select_related(
            "product",
            "product__producer",
            "product__producer__commune",
            "product__commune",
            "decision",
            "revocation_decision",
        ),
        pk=pk,
    )
    check(request.user, "certificates.view_certificate", certificate)
    return certificate


@staff_required
def certificate_index(request):
    check(request.user, "certificates.view_certificate")
    form = f.CertificateFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = certificate_list(request.user, **{k: v for k, v in filters.items() if v})
    page, query = paginate_ids(request, qs, rows=certificate_rows())
    today = timezone.localdate()
    for certificate in page.object_list:
        certificate.status_today = certificate.status_on(today)
    return list_response(
        request,
        "certificates/certificate_list",
        {
            "form": form,
            "page": page,
            "query": query,
            "within": filters.get("within", ""),
            "statuses": CertificateStatus,
            "can_add": request.user.has_perm("certificates.add_certificate"),
            "can_view_violations": request.user.has_perm("certificates.view_violation"),
            "can_remind": request.user.has_perm("certificates.send_reminder"),
            "remindable": (CertificateStatus.VALID, CertificateStatus.EXPIRING),
        },
    )


def reevaluation_url(certificate: Certificate) -> str:
    query = urlencode(
        {"product": certificate.product_id, "kind": "reevaluation", "certificate": certificate.pk}
    )
    return f"{reverse('evaluation:dossier_new')}?{query}"


@staff_required
def certificate_detail(request, pk):
    certificate = _certificate(request, pk)
    user = request.user
    today = timezone.localdate()
    window = certificate.reevaluation_window_on(today)
    can_open_dossier = window in (ReevaluationWindow.APPROACHING, ReevaluationWindow.OPEN) and user.has_perm(
        "products.change_product", certificate.product
    )
    can_see_violations = user.has_perm("certificates.view_violation", certificate)
    return render(
        request,
        "certificates/certificate_detail.html",
        {
            "certificate": certificate,
            "product": certificate.product,
            "producer": certificate.product.producer,
            "status": certificate.status_on(today),
            "statuses": CertificateStatus,
            "window": window,
            "window_label": ReevaluationWindow(window).label,
            "windows": ReevaluationWindow,
            "reevaluation_url": reevaluation_url(certificate) if can_open_dossier else "",
            "public_path": public_path(certificate),
            "public_url": public_url(certificate),
            "qr_sizes": QR_SIZES_MM,
            "others": Certificate.objects.filter(product=certificate.product).exclude(pk=certificate.pk),
            "violations": certificate.violations.select_related("revocation_decision")
            if can_see_violations
            else [],
            "can_see_violations": can_see_violations,
            "can_revoke": user.has_perm("certificates.revoke_certificate", certificate)
            and not certificate.revoked_on,
            "can_complete": certificate.decision_id is None
            and (certificate.issued_on_estimated or not certificate.decision_number)
            and user.has_perm("certificates.change_certificate", certificate),
            "has_pending_violation": certificate.violations.filter(revocation_decision__isnull=True).exists(),
            "can_view_product": user.has_perm("products.view_product", certificate.product),
            "history": change_log(certificate),
            "reminder_logs": certificate.reminder_logs.select_related("sent_by")[:50],
            # Names and addresses of the people told: the office only (others see how many).
            "can_see_recipients": user.has_perm("certificates.send_reminder", certificate),
            "can_remind": user.has_perm("certificates.send_reminder", certificate)
            and certificate.is_current
            and not certificate.revoked_on
            and certificate.expires_on >= today,
            "today": today,
        },
    )


@staff_required
@require_GET
def certificate_pdf_view(request, pk):
    certificate = _certificate(request, pk)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=not request.GET.get("xem"), filename=pdf_filename(certificate)
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _qr_size(request) -> int | None:
    raw = request.GET.get("size", "30")
    try:
        size = int(raw)
    except ValueError:
        return None
    return size if QR_MIN_MM <= size <= QR_MAX_MM else None


def _qr_response(request, pk, kind):
    certificate = _certificate(request, pk)
    size = _qr_size(request)
    if size is None:
        return HttpResponseBadRequest(
            _("Kích thước mã QR phải là số milimét từ %(lo)d đến %(hi)d.")
            % {"lo": QR_MIN_MM, "hi": QR_MAX_MM}
        )
    url = public_url(certificate)
    if kind == "svg":
        body, content_type = qr_svg(url, size), "image/svg+xml"
    else:
        body, content_type = qr_png(url, size), "image/png"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"qr-ocop-{certificate.public_code.lower()}-{size}mm.{kind}"
    )
    return response


@staff_required
@require_GET
def certificate_qr_svg(request, pk):
    return _qr_response(request, pk, "svg")


@staff_required
@require_GET
def certificate_qr_png(request, pk):
    return _qr_response(request, pk, "png")


# Reminders ------------------------------------------------------------------------------------------


@staff_required
@require_POST
def certificate_remind(request, pk):
    """ "Gửi nhắc" from the expiring list, the home page's queue or the certificate page."""
    certificate = _certificate(request, pk)
    check(request.user, "certificates.send_reminder", certificate)
    try:
        log = certificate_send_reminder(certificate, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "Đã gửi nhắc hạn tới %(n)d người.",
                "Đã gửi nhắc hạn tới %(n)d người.",
                len(log.recipients),
            )
            % {"n": len(log.recipients)},
        )
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("certificates:detail", pk=certificate.pk)


# Violations and revocation --------------------------------------------------------------------------


@staff_required
def violation_new(request, pk):
    certificate = _certificate(request, pk)
    check(request.user, "certificates.add_violation", certificate)
    form = f.ViolationForm(request.POST or None, initial={"found_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            violation = certificate_record_violation(certificate, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã ghi nhận vi phạm. Hạn ra quyết định thu hồi: %(d)s.")
                % {"d": violation.due_on.strftime("%d/%m/%Y")},
            )
            return redirect("certificates:detail", pk=certificate.pk)
    return render(
        request,
        "certificates/form.html",
        {
            "form": form,
            "certificate": certificate,
            "title": _("Ghi nhận vi phạm: %(p)s") % {"p": certificate.product.name},
            "intro": _(
                "Việc ghi nhận vi phạm bắt đầu thời hạn 15 ngày để ra quyết định thu hồi "
                "(Điều 8 QĐ 26/2026/QĐ-TTg)."
            ),
            "cancel": reverse("certificates:detail", args=[certificate.pk]),
        },
    )


@staff_required
def certificate_revoke_view(request, pk):
    certificate = _certificate(request, pk)
    check(request.user, "certificates.revoke_certificate", certificate)
    pending = list(certificate.violations.filter(revocation_decision__isnull=True))
    initial = {"revoked_on": timezone.localdate(), "reason": pending[0].reason if pending else None}
    form = f.RevokeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_revoke(certificate, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thu hồi giấy chứng nhận."))
            return redirect("certificates:detail", pk=certificate.pk)
    issuer = Certificate.Issuer.MINISTRY if certificate.stars == 5 else Certificate.Issuer.PROVINCE
    return render(
        request,
        "certificates/form.html",
        {
            "form": form,
            "certificate": certificate,
            "violations": pending,
            "title": _("Thu hồi giấy chứng nhận: %(p)s") % {"p": certificate.product.name},
            "intro": _("Quyết định thu hồi do %(who)s ban hành.") % {"who": Certificate.Issuer(issuer).label},
            "cancel": reverse("certificates:detail", args=[certificate.pk]),
            "danger": True,
        },
    )


@staff_required
def certificate_complete_view(request, pk):
    certificate = _certificate(request, pk)
    check(request.user, "certificates.change_certificate", certificate)
    initial = {
        "decision_number": certificate.decision_number,
        "decision_date": certificate.decision_date,
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
    }
    form = f.CompleteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_complete(certificate, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã bổ sung thông tin giấy chứng nhận."))
            return redirect("certificates:detail", pk=certificate.pk)
    return render(
        request,
        "certificates/form.html",
        {
            "form": form,
            "certificate": certificate,
            "title": _("Bổ sung số quyết định, ngày cấp: %(p)s") % {"p": certificate.product.name},
            "intro": _(
                "Giấy ghi nhận từ danh sách cũ: điền số, ngày quyết định công nhận và ngày cấp đúng như "
                "trên giấy."
            ),
            "cancel": reverse("certificates:detail", args=[certificate.pk]),
        },
    )


@staff_required
def pending_revocations(request):
    check(request.user, "certificates.view_violation")
    page, query = paginate(request, pending_violations())
    today = timezone.localdate()
    for violation in page.object_list:
        violation.overdue = violation.is_overdue_on(today)
        violation.days_left = (violation.due_on - today).days
        violation.days_overdue = -violation.days_left
    return render(request, "certificates/pending_revocations.html", {"page": page, "query": query})


# Historical certificates ----------------------------------------------------------------------------


@staff_required
def historical_new(request, product_pk):
    product = get_object_or_404(Product.objects.select_related("producer"), pk=product_pk)
    check(request.user, "certificates.add_certificate")
    form = f.HistoricalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate, created = certificate_record_historical(
                product, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã thêm giấy chứng nhận cấp trước đây.")
                if created
                else _("Đã cập nhật giấy chứng nhận đã có."),
            )
            return redirect("certificates:detail", pk=certificate.pk)
    return render(
        request,
        "certificates/form.html",
        {
            "form": form,
            "title": _("Giấy chứng nhận cấp trước khi có hệ thống: %(p)s") % {"p": product.name},
            "intro": _(
                "Giấy cấp theo QĐ 1048 hoặc QĐ 148 giữ hiệu lực đến ngày hết hạn ghi trên giấy. "
                "Nhập lại cùng ngày cấp và số giấy sẽ cập nhật giấy đã có."
            ),
            "cancel": reverse("backoffice:product_detail", args=[product.pk]),
        },
    )


def _import_payload(request, table: Table) -> str:
    return signing.dumps({"u": request.user.pk, "t": table.to_payload()}, salt=IMPORT_SALT, compress=True)


@staff_required
def historical_import(request):
    check(request.user, "certificates.add_certificate")
    form = f.ImportForm()
    report = payload = None
    if request.method == "POST" and request.POST.get("payload"):
        try:
            data = signing.loads(request.POST["payload"], salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
        except signing.BadSignature:
            messages.error(request, _("Bản xem trước đã hết hạn hoặc không hợp lệ: hãy tải tệp lên lại."))
            return redirect("certificates:import")
        if data.get("u") != request.user.pk:
            raise PermissionDenied
        table = Table.from_payload(data["t"])
        report = import_historical(table, actor=request.user, commit=True)
        if report.committed:
            messages.success(
                request,
                _("Đã nhập %(c)d giấy chứng nhận mới và cập nhật %(u)d giấy đã có.")
                % {"c": report.created, "u": report.updated},
            )
            return redirect(reverse("certificates:index") + "?show=all")
    elif request.method == "POST":
        form = f.ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                table = read_table(upload.read(), upload.name)
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                report = import_historical(table, actor=request.user, commit=False)
                if report.ok:
                    payload = _import_payload(request, table)
    return render(request, "certificates/import.html", {"form": form, "report": report, "payload": payload})
