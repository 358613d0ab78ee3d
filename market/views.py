"""Market information: the office's pages (/quan-ly/thi-truong/) and the readers' pages
(/thi-truong/). Not in the public page cache: a scheduled page appears at its publish time,
whatever was cached before."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.roles import is_staff_member
from core.uploads import ATTACHMENT_CONTENT_TYPES
from core.web import apply_errors, change_log, check, list_response, paginate, staff_required
from market import forms as f
from market.markup import check_body, render_markdown
from market.models import Attachment, Audience, MarketPage, attachment_storage
from market.selectors import page_for, page_list
from market.services import (
    attachment_add,
    attachment_delete,
    market_page_create,
    market_page_delete,
    market_page_update,
)


def _filters(request):
    form = f.MarketFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, data.get("category") or "", data.get("q") or ""


# Back-office ------------------------------------------------------------------------------------------


@staff_required
def index(request):
    form, category, q = _filters(request)
    page, query = paginate(request, page_list(request.user, category=category, q=q))
    return list_response(
        request,
        "market/page_list",
        {
            "form": form,
            "page": page,
            "query": query,
            "now": timezone.now(),
            "can_manage": request.user.has_perm("market.manage_page"),
        },
    )


def _editor(request, form, *, title, cancel, instance=None):
    """The editor: "Xem trước" renders the body as it will show, without saving; "Lưu" saves."""
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            try:
                check_body(data.get("body") or "")
            except ValidationError as exc:
                form.add_error("body", exc)
            else:
                preview = render_markdown(data.get("body") or "")
        else:
            try:
                if instance is None:
                    saved = market_page_create(actor=request.user, **data)
                else:
                    saved = market_page_update(instance, actor=request.user, **data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu trang %(title)s.") % {"title": saved.title})
                return redirect("market:detail", pk=saved.pk)
    return render(
        request, "market/page_form.html", {"form": form, "title": title, "cancel": cancel, "preview": preview}
    )


@staff_required
def page_new(request):
    check(request.user, "market.manage_page")
    form = f.MarketPageForm(request.POST or None)
    return _editor(request, form, title=_("Viết trang thông tin thị trường"), cancel=reverse("market:index"))


@staff_required
def page_edit(request, pk):
    page = get_object_or_404(MarketPage, pk=pk)
    check(request.user, "market.manage_page", page)
    form = f.MarketPageForm(request.POST or None, instance=page)
    return _editor(
        request,
        form,
        title=_("Sửa trang %(title)s") % {"title": page.title},
        cancel=reverse("market:detail", args=[page.pk]),
        instance=page,
    )


@staff_required
def page_detail(request, pk):
    page = get_object_or_404(MarketPage.objects.prefetch_related("attachments"), pk=pk)
    check(request.user, "market.view_page", page)
    can_manage = request.user.has_perm("market.manage_page", page)
    form = None
    if can_manage:
        form = f.AttachmentForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                attachment_add(
                    page, form.cleaned_data["file"], actor=request.user, title=form.cleaned_data["title"]
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã đính kèm tài liệu."))
                return redirect("market:detail", pk=page.pk)
    return render(
        request,
        "market/page_detail.html",
        {
            "page": page,
            "body": render_markdown(page.body),
            "form": form,
            "can_manage": can_manage,
            "now": timezone.now(),
            "history": change_log(page) if can_manage else None,
        },
    )


@require_POST
@staff_required
def page_delete(request, pk):
    page = get_object_or_404(MarketPage, pk=pk)
    check(request.user, "market.manage_page", page)
    title = page.title
    market_page_delete(page, actor=request.user)
    messages.success(request, _("Đã xóa trang %(title)s.") % {"title": title})
    return redirect("market:index")


@require_POST
@staff_required
def attachment_remove(request, pk, attachment_pk):
    attachment = get_object_or_404(Attachment.objects.select_related("page"), pk=attachment_pk, page_id=pk)
    check(request.user, "market.manage_page", attachment.page)
    attachment_delete(attachment, actor=request.user)
    messages.success(request, _("Đã xóa tài liệu đính kèm."))
    return redirect("market:detail", pk=pk)


# Readers ----------------------------------------------------------------------------------------------


def _readable(request, slug) -> MarketPage:
    """The page if the reader may see it now; a producers-only page sends an anonymous reader to
    the login page (raised as a response by the caller)."""
    page = page_for(request.user, slug)
    if page is None:
        raise Http404
    return page


@require_safe
def public_index(request):
    form, category, q = _filters(request)
    user = request.user if request.user.is_authenticated else None
    page, query = paginate(request, page_list(user, category=category, q=q).exclude(publish_at__isnull=True))
    return render(
        request,
        "market/public_index.html",
        {"form": form, "page": page, "query": query, "signed_in": user is not None and is_staff_member(user)},
    )


@require_safe
def public_detail(request, slug):
    page = _readable(request, slug)
    if page.audience == Audience.PRODUCERS and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("market.view_page", page):
        raise Http404
    return render(
        request,
        "market/public_detail.html",
        {"page": page, "body": render_markdown(page.body), "live": page.is_live()},
    )


@require_safe
def attachment(request, slug, attachment_pk):
    page = _readable(request, slug)
    if page.audience == Audience.PRODUCERS and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("market.view_page", page):
        raise Http404
    item = get_object_or_404(page.attachments, pk=attachment_pk)
    try:
        handle = attachment_storage().open(item.file.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=item.file_format not in ("pdf", "jpeg", "png", "webp"),
        filename=item.original_name or f"tai-lieu.{item.file_format}",
        content_type=ATTACHMENT_CONTENT_TYPES.get(item.file_format, "application/octet-stream"),
    )
    response["Cache-Control"] = (
        "private, no-store" if page.audience == Audience.PRODUCERS else "public, max-age=300"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
