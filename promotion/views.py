"""Promotion events: back-office pages (/quan-ly/xuc-tien/) and the public page (/su-kien/)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.sheet_writer import Column, Sheet, sheets_response
from core.web import apply_errors, change_log, check, form_page, list_response, paginate, staff_required
from jobs.services import job_find_or_start
from producers.models import Producer
from products.models import Product
from promotion import forms as f
from promotion.models import Event, EventKind, Participation, Video
from promotion.selectors import (
    event_list,
    event_participations,
    event_years,
    events_visible_to,
    past_events,
    public_event,
    results_visible,
    upcoming_events,
    year_results,
)
from promotion.services import (
    event_create,
    event_update,
    participation_add,
    participation_record_results,
    participation_remove,
    participation_update,
    video_add,
    video_delete,
)

# Back-office ------------------------------------------------------------------------------------------


@staff_required
def index(request):
    check(request.user, "promotion.view_event")
    form = f.EventFilterForm(request.GET or None, years=event_years())
    filters = form.cleaned_data if form.is_valid() else {}
    qs = event_list(
        request.user,
        year=filters.get("year") or None,
        kind=filters.get("kind") or "",
        q=filters.get("q") or "",
    )
    page, query = paginate(request, qs)
    return list_response(
        request,
        "promotion/event_list",
        {
            "form": form,
            "page": page,
            "query": query,
            "today": timezone.localdate(),
            "can_add": request.user.has_perm("promotion.add_event"),
            "can_view_results": request.user.has_perm("promotion.view_results"),
            "can_print_catalogue": request.user.has_perm("promotion.print_catalogue"),
        },
    )


@staff_required
def event_new(request):
    check(request.user, "promotion.add_event")
    return form_page(
        request,
        f.EventForm(request.POST or None),
        lambda data: event_create(actor=request.user, **data),
        done=lambda event: (
            _("Đã tạo sự kiện %(name)s.") % {"name": event.name},
            reverse("promotion:event_detail", args=[event.pk]),
        ),
        title=_("Thêm sự kiện xúc tiến thương mại"),
        cancel=reverse("promotion:index"),
    )


def _event(request, pk) -> Event:
    event = get_object_or_404(events_visible_to(request.user), pk=pk)
    check(request.user, "promotion.view_event", event)
    return event


@staff_required
def event_edit(request, pk):
    event = _event(request, pk)
    check(request.user, "promotion.change_event", event)
    back = reverse("promotion:event_detail", args=[pk])
    return form_page(
        request,
        f.EventForm(request.POST or None, instance=event),
        # The form has copied the values onto `event`: the service gets the stored row.
        lambda data: event_update(Event.objects.get(pk=pk), actor=request.user, **data),
        done=lambda _saved: (_("Đã lưu thay đổi."), back),
        title=_("Sửa sự kiện: %(name)s") % {"name": event.name},
        cancel=back,
    )


@staff_required
def event_detail(request, pk):
    event = _event(request, pk)
    user = request.user
    participations = event_participations(event)
    totals = {"sales": 0, "contracts_count": 0, "contracts_value": 0, "contacts": 0}
    for p in participations:
        p.show_results = results_visible(user, p)
        p.can_withdraw = user.has_perm("promotion.withdraw", p) and not p.has_results
        if p.show_results:
            totals["sales"] += p.sales_revenue or 0
            totals["contracts_count"] += p.contracts_count or 0
            totals["contracts_value"] += p.contracts_value or 0
            totals["contacts"] += p.contacts_count or 0
    mine = next((p for p in participations if user.producer_id and p.producer_id == user.producer_id), None)
    return render(
        request,
        "promotion/event_detail.html",
        {
            "event": event,
            "participations": participations,
            "totals": totals,
            "show_totals": user.has_perm("promotion.view_results"),
            "mine": mine,
            "can_change": user.has_perm("promotion.change_event", event),
            "can_manage": user.has_perm("promotion.manage_participation", event),
            "can_record": user.has_perm("promotion.record_results", event) and event.has_started,
            "can_register": user.has_perm("promotion.register", event) and mine is None,
            "history": change_log(event) if user.has_perm("promotion.change_event", event) else None,
        },
    )


@staff_required
def participant_add(request, pk):
    event = _event(request, pk)
    check(request.user, "promotion.manage_participation", event)
    return form_page(
        request,
        f.ParticipantAddForm(request.POST or None, event=event),
        lambda data: participation_add(event, data["producer"], actor=request.user, booth=data["booth"]),
        done=lambda p: (
            _("Đã thêm %(name)s; chọn sản phẩm trưng bày.") % {"name": p.producer.name},
            reverse("promotion:participation_edit", kwargs={"pk": pk, "participation_pk": p.pk}),
        ),
        title=_("Thêm chủ thể tham gia: %(name)s") % {"name": event.name},
        cancel=reverse("promotion:event_detail", args=[pk]),
    )


def _participation(request, pk, participation_pk) -> Participation:
    event = _event(request, pk)
    participation = get_object_or_404(
        Participation.objects.select_related("producer", "event"), pk=participation_pk, event=event
    )
    return participation


@staff_required
def participation_edit(request, pk, participation_pk):
    participation = _participation(request, pk, participation_pk)
    check(request.user, "promotion.manage_participation", participation.event)
    initial = {
        "products": list(participation.products.all()),
        "booth": participation.booth,
        "note": participation.note,
    }
    back = reverse("promotion:event_detail", args=[pk])
    return form_page(
        request,
        f.ParticipationForm(request.POST or None, producer=participation.producer, initial=initial),
        lambda data: participation_update(participation, actor=request.user, **data),
        done=lambda _saved: (_("Đã lưu."), back),
        title=_("%(producer)s tại %(event)s")
        % {"producer": participation.producer.name, "event": participation.event.name},
        cancel=back,
    )


@staff_required
def participation_results(request, pk, participation_pk):
    participation = _participation(request, pk, participation_pk)
    check(request.user, "promotion.record_results", participation.event)
    initial = {
        name: getattr(participation, name)
        for name in ("sales_revenue", "contracts_count", "contracts_value", "contacts_count", "note")
    }
    back = reverse("promotion:event_detail", args=[pk])
    return form_page(
        request,
        f.ResultsForm(request.POST or None, initial=initial),
        lambda data: participation_record_results(participation, actor=request.user, **data),
        done=lambda _saved: (_("Đã ghi kết quả của %(name)s.") % {"name": participation.producer.name}, back),
        title=_("Kết quả của %(producer)s tại %(event)s")
        % {"producer": participation.producer.name, "event": participation.event.name},
        cancel=back,
    )


@staff_required
def participation_delete(request, pk, participation_pk):
    participation = _participation(request, pk, participation_pk)
    check(request.user, "promotion.withdraw", participation)
    if request.method == "POST":
        try:
            participation_remove(participation, actor=request.user)
        except ValidationError as exc:
            for msg in exc.messages:
                messages.error(request, msg)
        else:
            messages.success(
                request, _("Đã rút %(name)s khỏi sự kiện.") % {"name": participation.producer.name}
            )
    return redirect("promotion:event_detail", pk=pk)


@staff_required
def register(request, pk):
    """A producer account registers itself (and chooses the products it will show)."""
    event = _event(request, pk)
    check(request.user, "promotion.register", event)
    if not request.user.producer_id:
        raise PermissionDenied
    producer = get_object_or_404(Producer, pk=request.user.producer_id)
    if Participation.objects.filter(event=event, producer=producer).exists():
        messages.info(request, _("Bạn đã đăng ký tham gia sự kiện này."))
        return redirect("promotion:event_detail", pk=pk)
    back = reverse("promotion:event_detail", args=[pk])
    return form_page(
        request,
        f.ParticipationForm(request.POST or None, producer=producer, with_booth=False),
        lambda data: participation_add(
            event, producer, actor=request.user, products=data["products"], note=data["note"]
        ),
        done=lambda _saved: (_("Đã đăng ký tham gia %(name)s.") % {"name": event.name}, back),
        title=_("Đăng ký tham gia: %(name)s") % {"name": event.name},
        cancel=back,
    )


def _report_year(request) -> tuple[int, list[int]]:
    years = event_years()
    try:
        year = int(request.GET.get("nam", ""))
    except ValueError:
        year = None
    return (year if year in years else timezone.localdate().year), years


@staff_required
def report(request):
    check(request.user, "promotion.view_results")
    year, years = _report_year(request)
    return render(
        request, "promotion/report.html", {"report": year_results(year), "year": year, "years": years}
    )


@staff_required
def report_export(request):
    check(request.user, "promotion.view_results")
    year, _years = _report_year(request)
    r = year_results(year)
    t = r.totals
    events = Sheet(
        "Kết quả theo sự kiện",
        [
            Column("STT", "int"),
            Column("Sự kiện"),
            Column("Loại"),
            Column("Từ ngày", "date"),
            Column("Đến ngày", "date"),
            Column("Địa điểm"),
            Column("Số chủ thể tham gia", "int"),
            Column("Doanh thu bán hàng (đồng)", "money"),
            Column("Số hợp đồng", "int"),
            Column("Giá trị hợp đồng (đồng)", "money"),
            Column("Số đối tác kết nối", "int"),
        ],
        [
            [
                n,
                e.name,
                e.get_kind_display(),
                e.start_date,
                e.end_date,
                e.place,
                e.participants_n,
                e.sales_sum or 0,
                e.contracts_n_sum or 0,
                e.contracts_value_sum or 0,
                e.contacts_sum or 0,
            ]
            for n, e in enumerate(r.events, start=1)
        ],
        title=f"Kết quả xúc tiến thương mại năm {year}",
        totals=[
            "",
            "Tổng cộng",
            "",
            None,
            None,
            "",
            t.participants,
            t.sales,
            t.contracts_count,
            t.contracts_value,
            t.contacts,
        ],
    )
    kinds = Sheet(
        "Theo loại sự kiện",
        [
            Column("Loại sự kiện"),
            Column("Số sự kiện", "int"),
            Column("Doanh thu bán hàng (đồng)", "money"),
            Column("Giá trị hợp đồng (đồng)", "money"),
        ],
        [[k["label"], k["events"], k["sales"], k["contracts_value"]] for k in r.by_kind],
        title=f"Kết quả xúc tiến thương mại năm {year} theo loại sự kiện",
        totals=["Tổng cộng", t.events, t.sales, t.contracts_value],
    )
    return sheets_response(f"xuc-tien-thuong-mai-{year}.xlsx", [events, kinds])


# Public -----------------------------------------------------------------------------------------------


def public_index(request):
    today = timezone.localdate()
    return render(
        request,
        "promotion/public_index.html",
        {
            "upcoming": list(upcoming_events(today)),
            "past": list(past_events(today)[:50]),
            "today": today,
            "kinds": EventKind,
        },
    )


def public_detail(request, slug):
    event, participations = public_event(slug)
    return render(
        request,
        "promotion/public_detail.html",
        {"event": event, "participations": participations, "timing": event.timing()},
    )


# The printable catalogue for fairs and partners (promotion.catalogue, a background job) -------------


@staff_required
def catalogue(request):
    check(request.user, "promotion.print_catalogue")
    initial = {}
    if request.GET.get("su_kien", "").isdigit():
        initial["event"] = request.GET["su_kien"]
    form = f.CatalogueForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        query = request.POST.copy()
        query.pop("csrfmiddlewaretoken", None)
        job = job_find_or_start("fair_catalogue_pdf", {"query": query.urlencode()}, actor=request.user)
        return redirect("jobs:detail", job.pk)
    return render(request, "promotion/catalogue_form.html", {"form": form})


# Videos of products and producers --------------------------------------------------------------------


def _video_page(request, owner, *, perm: str, back: str, videos):
    check(request.user, perm, owner)
    form = f.VideoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            video_add(
                owner,
                actor=request.user,
                title=form.cleaned_data["title"],
                url=form.cleaned_data["url"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm video."))
            return redirect(request.path)
    return render(
        request, "promotion/videos.html", {"owner": owner, "form": form, "videos": videos, "back": back}
    )


@staff_required
def product_videos(request, pk):
    product = get_object_or_404(Product, pk=pk)
    return _video_page(
        request,
        product,
        perm="products.change_product",
        back=reverse("backoffice:product_detail", args=[product.pk]),
        videos=Video.objects.filter(product=product),
    )


@staff_required
def producer_videos(request, pk):
    producer = get_object_or_404(Producer, pk=pk)
    return _video_page(
        request,
        producer,
        perm="producers.change_producer",
        back=reverse("backoffice:producer_detail", args=[producer.pk]),
        videos=Video.objects.filter(producer=producer),
    )


@staff_required
@require_POST
def video_remove(request, pk):
    video = get_object_or_404(Video.objects.select_related("product", "producer"), pk=pk)
    video_delete(video, actor=request.user)
    messages.success(request, _("Đã xóa video."))
    if video.product_id:
        return redirect("promotion:product_videos", video.product_id)
    return redirect("promotion:producer_videos", video.producer_id)
