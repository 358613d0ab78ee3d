"""The resolver of batch codes (public) and the batch pages of the back-office. Thin: forms parse,
services write, selectors read, rules decide (traceability/rules.py).

The resolver (GS1-Conformant Resolver standard 1.2.0, RFC 9264): one address per batch answers
- a person (Accept: text/html, no linkType) with the batch page;
- a machine asking for `Accept: application/linkset+json`, or any client with ?linkType=linkset
  (or "all"), with the linkset;
- ?linkType=gs1:pip (gs1:certificationInfo, gs1:traceability, gs1:defaultLink) with a 307 to that
  link; a link type the batch does not have falls back to the default link (the page itself).
Every answer carries the Link header listing the links and the linkset."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from certificates.printing import qr_png
from core.sheet_reader import SheetFileError
from core.web import apply_errors, change_log, check, paginate, staff_required
from traceability import export, labels, links, selectors
from traceability import forms as f
from traceability.importing import import_batches
from traceability.models import Batch
from traceability.services import (
    batch_create,
    batch_delete,
    batch_issue_code,
    batch_recall,
    batch_update,
)


class TemporaryRedirect(HttpResponseRedirect):
    status_code = 307


def _wants_linkset(request) -> bool:
    if request.GET.get("linkType", "").strip() in links.LINKSET_REQUESTS:
        return True
    accept = request.headers.get("Accept", "")
    return links.LINKSET_TYPE in accept


def _resolve(request, batch: Batch | None):
    if batch is None:
        raise Http404(_("Không có lô sản phẩm nào mang mã này."))
    page = selectors.batch_page(batch)
    certificate = page["certificate_at_production"] or page["certificate"]
    batch_links = links.batch_links(batch, certificate=certificate, product_public=page["product_public"])
    header = links.link_header(batch, batch_links)
    if _wants_linkset(request):
        response = HttpResponse(
            json.dumps(links.linkset(batch, batch_links), ensure_ascii=False), content_type=links.LINKSET_TYPE
        )
    elif "linkType" in request.GET:
        kind = links.link_type_name(request.GET["linkType"])
        target = batch_links.get(kind) or batch_links[links.DEFAULT_LINK]
        response = TemporaryRedirect(target["href"])
    else:
        response = render(
            request,
            "traceability/batch_page.html",
            {
                **page,
                "links": batch_links,
                "digital_link": links.batch_url(batch),
                "map_tile_url": settings.MAP_TILE_URL,
            },
        )
    response["Link"] = header
    response["Access-Control-Allow-Origin"] = "*"  # resolvers are read by apps on other origins
    response["Access-Control-Expose-Headers"] = "Link"
    patch_vary_headers(response, ["Accept"])
    return response


@require_safe
def resolve_gtin(request, gtin: str, lot: str):
    return _resolve(request, selectors.batch_by_gtin(gtin, lot))


@require_safe
def resolve_internal(request, product_id: int, lot: str):
    return _resolve(request, selectors.batch_by_product(product_id, lot))


# Back-office -----------------------------------------------------------------------------------


def _batch(request, pk, perm) -> Batch:
    batch = get_object_or_404(Batch.objects.select_related("product", "product__producer", "area"), pk=pk)
    check(request.user, perm, batch)
    return batch


@staff_required
@require_safe
def batch_list(request):
    form = f.BatchSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    page, query = paginate(request, selectors.batch_list(request.user, q=q))
    return render(
        request,
        "traceability/batch_list.html",
        {"page": page, "query": query, "q": q, "can_add": request.user.has_perm("traceability.add_batch")},
    )


def _save_form(request, form, batch=None):
    try:
        data = form.data_for_service()
        harvests = list(form.cleaned_data.get("harvests") or [])
        if batch is None:
            batch = batch_create(data, actor=request.user, harvests=harvests)
        else:
            batch = batch_update(batch, data, actor=request.user, harvests=harvests)
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    messages.success(request, _("Đã lưu lô %(lot)s.") % {"lot": batch.lot})
    return redirect("traceability:detail", batch.pk)


@staff_required
def batch_create_view(request):
    check(request.user, "traceability.add_batch")
    initial = {}
    if str(request.GET.get("san_pham", "")).isdigit():
        initial["product"] = int(request.GET["san_pham"])
    form = f.BatchForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        response = _save_form(request, form)
        if response:
            return response
    return render(
        request,
        "traceability/batch_form.html",
        {"form": form, "title": _("Ghi lô sản phẩm mới"), "cancel": reverse("traceability:index")},
    )


@staff_required
def batch_edit_view(request, pk):
    batch = _batch(request, pk, "traceability.change_batch")
    form = f.BatchForm(request.POST or None, instance=batch, user=request.user)
    if request.method == "POST" and form.is_valid():
        response = _save_form(request, form, batch)
        if response:
            return response
    return render(
        request,
        "traceability/batch_form.html",
        {
            "form": form,
            "title": _("Sửa lô %(lot)s") % {"lot": batch.lot},
            "cancel": reverse("traceability:detail", args=[batch.pk]),
        },
    )


@staff_required
@require_safe
def batch_detail(request, pk):
    batch = _batch(request, pk, "traceability.view_batch")
    page = selectors.batch_page(batch)
    return render(
        request,
        "traceability/batch_detail.html",
        {
            **page,
            "digital_link": links.batch_url(batch),
            "label_form": f.LabelForm(),
            "recall_form": f.RecallForm(),
            "can_change": request.user.has_perm("traceability.change_batch", batch),
            "history": change_log(batch),
        },
    )


@staff_required
@require_POST
def batch_label(request, pk):
    """The printable labels: printing issues the code (it must then resolve forever)."""
    batch = _batch(request, pk, "traceability.change_batch")
    form = f.LabelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Chọn cỡ nhãn và số nhãn (1–500)."))
        return redirect("traceability:detail", batch.pk)
    batch = batch_issue_code(batch, actor=request.user)
    size = form.cleaned_data["size"]
    pdf = labels.label_pdf(batch, size, form.cleaned_data["count"])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, labels.label_filename(batch, size))
    return response


@staff_required
@require_POST
def batch_qr(request, pk):
    """The QR image (PNG, 30 mm at 300 dpi) for a designer's own label: issues the code too."""
    batch = _batch(request, pk, "traceability.change_batch")
    batch = batch_issue_code(batch, actor=request.user)
    response = HttpResponse(qr_png(links.batch_url(batch), 30), content_type="image/png")
    response["Content-Disposition"] = content_disposition_header(True, f"qr-lo-{batch.pk}.png")
    return response


@staff_required
@require_POST
def batch_recall_view(request, pk):
    batch = _batch(request, pk, "traceability.recall_batch")
    form = f.RecallForm(request.POST)
    if form.is_valid():
        try:
            batch_recall(
                batch,
                on=form.cleaned_data["recalled_on"],
                reason=form.cleaned_data["recall_reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã thu hồi lô %(lot)s.") % {"lot": batch.lot})
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for message in errors:
                messages.error(request, f"{label}: {message}" if label else message)
    return redirect("traceability:detail", batch.pk)


@staff_required
@require_POST
def batch_delete_view(request, pk):
    batch = _batch(request, pk, "traceability.delete_batch")
    try:
        batch_delete(batch, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("traceability:detail", batch.pk)
    messages.success(request, _("Đã xóa lô %(lot)s.") % {"lot": batch.lot})
    return redirect("traceability:index")


@staff_required
def batch_import_view(request):
    check(request.user, "traceability.add_batch")
    form = f.ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = import_batches(upload.read(), upload.name, actor=request.user)
        except SheetFileError as exc:
            form.add_error("file", str(exc))
        else:
            if report.ok:
                messages.success(
                    request,
                    ngettext("Đã nhập %(n)d lô.", "Đã nhập %(n)d lô.", report.created)
                    % {"n": report.created},
                )
                return redirect("traceability:index")
    return render(request, "traceability/import.html", {"form": form, "report": report})


@staff_required
@require_safe
def export_file(request):
    """The exchange document (JSON, TCVN 12850:2019 elements) of the batches the user may see."""
    data = export.export_batches(selectors.batches_visible_to(request.user))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, "truy-xuat-nguon-goc.json")
    return response
