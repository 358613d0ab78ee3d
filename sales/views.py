"""Sales pages: a month's entry form, a producer's trend, the province (or commune) aggregates."""

import contextlib
import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Role
from core.sheet_writer import Column, Sheet, sheets_response
from core.web import apply_errors, check, list_response, paginate_ids, staff_required
from producers.models import Producer
from sales import forms as f
from sales.models import Channel
from sales.months import format_month, last_months, this_month
from sales.selectors import (
    month_entry,
    previous_and_next,
    producer_sales_list,
    producer_trend,
    province_sales_summary,
    sales_years,
    user_communes,
)
from sales.services import sales_save_month

STT = Column("STT", "int")
MONTH = Column("Tháng", "month")
UNITS = Column("Số lượng", "int")
REVENUE = Column("Doanh thu (đồng)", "money")


def _year(request) -> tuple[int, f.YearForm]:
    years = sales_years()
    form = f.YearForm(request.GET or None, years=years)
    year = form.cleaned_data.get("nam") if form.is_valid() else None
    return (year or years[0]), form


def _scope_label(user) -> str:
    communes = user_communes(user)
    if communes is None:
        return _("Toàn tỉnh")
    return _("Các xã/phường bạn phụ trách")


@staff_required
def index(request):
    user = request.user
    if user.role == Role.PRODUCER and user.producer_id and not user.is_superuser:
        return redirect("sales:producer", pk=user.producer_id)
    check(user, "sales.view_summary")
    year, form = _year(request)
    summary = province_sales_summary(year, communes=user_communes(user))
    return render(
        request,
        "sales/index.html",
        {
            "summary": summary,
            "year": year,
            "form": form,
            "scope": _scope_label(user),
            "can_list": user.has_perm("sales.list_producers"),
        },
    )


@staff_required
def export(request):
    check(request.user, "sales.view_summary")
    year, _form = _year(request)
    s = province_sales_summary(year, communes=user_communes(request.user))
    scope = _scope_label(request.user)

    def sheet(title, first, figures, caption):
        return Sheet(
            title,
            [STT, Column(first), UNITS, REVENUE, Column("Tỷ trọng doanh thu (%)", "percent")],
            [[n, f.label, f.units, f.revenue, f.share] for n, f in enumerate(figures, start=1)],
            title=f"{caption} – {scope} – năm {year}",
            totals=["", "Tổng cộng", s.units, s.revenue, 100.0 if s.revenue else 0.0],
        )

    month_sheet = Sheet(
        "Theo tháng",
        [MONTH, UNITS, REVENUE],
        [[m.key, m.units, m.revenue] for m in s.by_month],
        title=f"Tiêu thụ sản phẩm OCOP theo tháng – {scope} – năm {year}",
        totals=["Tổng cộng", s.units, s.revenue],
    )
    overview = Sheet(
        "Tổng hợp",
        [Column("Chỉ tiêu"), Column("Giá trị", "money")],
        [
            ["Năm", str(year)],  # text: a year is not grouped as an amount
            ["Phạm vi", scope],
            ["Tổng doanh thu (đồng)", s.revenue],
            ["Tổng số lượng", s.units],
            ["Số chủ thể có số liệu", s.producers],
            ["Số sản phẩm có số liệu", s.products],
            ["Số dòng số liệu", s.records],
        ],
        title=f"Tiêu thụ sản phẩm OCOP – {scope} – năm {year}",
        autofilter=False,
    )
    return sheets_response(
        f"tieu-thu-ocop-{year}.xlsx",
        [
            overview,
            sheet("Theo kênh bán", "Kênh bán", s.by_channel, "Tiêu thụ theo kênh bán"),
            sheet("Theo nhóm sản phẩm", "Nhóm sản phẩm", s.by_group, "Tiêu thụ theo nhóm sản phẩm"),
            sheet("Theo xã, phường", "Xã/phường", s.by_commune, "Tiêu thụ theo xã/phường"),
            month_sheet,
        ],
    )


@staff_required
def producer_index(request):
    check(request.user, "sales.list_producers")
    form = f.ProducerFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    chosen = {"q": filters.get("q") or "", "commune": filters.get("commune"), "year": this_month().year}
    ids = producer_sales_list(request.user, figures=False, **chosen).values_list("pk", flat=True)
    page, query = paginate_ids(request, producer_sales_list(request.user, **chosen), ids=ids)
    return list_response(
        request,
        "sales/producer_list",
        {"form": form, "page": page, "query": query, "year": this_month().year, "month": this_month()},
    )


def _producer(request, pk, perm) -> Producer:
    producer = get_object_or_404(Producer.objects.select_related("commune"), pk=pk)
    check(request.user, perm, producer)
    return producer


def _months(request) -> tuple[list, int | None]:
    """The last 12 months, or the 12 months of ?nam=."""
    try:
        year = int(request.GET.get("nam", ""))
    except ValueError:
        year = None
    if year and 2000 <= year <= this_month().year:
        return [dt.date(year, m, 1) for m in range(1, 13)], year
    return last_months(12), None


@staff_required
def producer(request, pk):
    producer = _producer(request, pk, "sales.view_producer_sales")
    months, year = _months(request)
    trend = producer_trend(producer, months=months)
    return render(
        request,
        "sales/producer.html",
        {
            "producer": producer,
            "trend": trend,
            "year": year,
            "years": sales_years(),
            "channels": dict(Channel.choices),
            "can_change": request.user.has_perm("sales.change_producer_sales", producer),
            "this_month": this_month(),
        },
    )


@staff_required
def producer_export(request, pk):
    producer = _producer(request, pk, "sales.view_producer_sales")
    months, year = _months(request)
    t = producer_trend(producer, months=months)
    period = f"năm {year}" if year else f"{format_month(months[0])} – {format_month(months[-1])}"
    caption = f"{producer.name} – {period}"
    labels = dict(Channel.choices)
    share = Column("Tỷ trọng (%)", "percent")
    return sheets_response(
        f"tieu-thu-chu-the-{producer.pk}.xlsx",
        [
            Sheet(
                "Theo tháng",
                [MONTH, UNITS, REVENUE],
                [[m.key, m.units, m.revenue] for m in t.by_month],
                title=caption,
                totals=["Tổng cộng", t.units, t.revenue],
            ),
            Sheet(
                "Theo kênh bán",
                [Column("Kênh bán"), UNITS, REVENUE, share],
                [[c.label, c.units, c.revenue, c.share] for c in t.by_channel],
                title=caption,
                totals=["Tổng cộng", t.units, t.revenue, 100.0 if t.revenue else 0.0],
            ),
            Sheet(
                "Theo sản phẩm",
                [Column("Sản phẩm"), UNITS, REVENUE, share],
                [[p.label, p.units, p.revenue, p.share] for p in t.by_product],
                title=caption,
                totals=["Tổng cộng", t.units, t.revenue, 100.0 if t.revenue else 0.0],
            ),
            Sheet(
                "Tháng × kênh",
                [Column("Kênh bán"), *[Column(format_month(m), "money") for m in months]],
                [[str(labels.get(ch, ch)), *values] for ch, values in t.matrix.items()],
                title=f"{caption} – doanh thu (đồng)",
            ),
        ],
    )


@staff_required
def entry(request, pk):
    producer = _producer(request, pk, "sales.change_producer_sales")
    pick = f.MonthPickForm(request.GET or None)
    month = this_month()
    month_error = None
    if request.method == "POST":
        picked = None
        with contextlib.suppress(ValidationError):
            picked = f.MonthField().clean(request.POST.get("month", ""))
        month = picked or month
    elif pick.is_valid() and pick.cleaned_data["thang"]:
        month = pick.cleaned_data["thang"]
    elif pick.is_bound and not pick.is_valid():
        month_error = pick.errors["thang"][0]
    future = month > this_month()
    if future and request.method == "GET":
        month_error = _("Tháng %(month)s chưa đến: không nhập số liệu cho tháng trong tương lai.") % {
            "month": format_month(month)
        }
    products, records = month_entry(producer, month)
    form = f.MonthSalesForm(request.POST or None, products=products, records=records, month=month)
    if request.method == "POST" and form.is_valid():
        try:
            counts = sales_save_month(producer, form.cleaned_data["month"], form.cells(), actor=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            changed = counts["created"] + counts["updated"] + counts["deleted"]
            messages.success(
                request,
                ngettext(
                    "Đã lưu số liệu tháng %(month)s (%(n)s ô thay đổi).",
                    "Đã lưu số liệu tháng %(month)s (%(n)s ô thay đổi).",
                    changed,
                )
                % {"month": format_month(month), "n": changed},
            )
            return redirect(f"{reverse('sales:entry', args=[producer.pk])}?thang={format_month(month)}")
    previous, following = previous_and_next(month)
    return render(
        request,
        "sales/entry.html",
        {
            "producer": producer,
            "form": form,
            "pick": pick,
            "month": month,
            "month_text": format_month(month),
            "month_error": month_error,
            "future": future,
            "previous": previous,
            "following": following,
            "recent": [format_month(m) for m in reversed(last_months(12))],
        },
    )
