"""Where to buy: the back-office pages of sales points (/quan-ly/tieu-thu/diem-ban/); the public
list and map layer are catalogue's. Thin: sales.selectors reads, sales.services writes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.web import apply_errors, change_log, check, form_page, list_response, paginate, staff_required
from sales import forms_points as f
from sales.selectors import sales_point_list, sales_points_visible_to
from sales.services import (
    sales_point_create,
    sales_point_delete,
    sales_point_set_products,
    sales_point_update,
    stockable_products,
)


def _filters(request):
    form = f.SalesPointFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, data.get("q") or "", data.get("commune")


@staff_required
def point_index(request):
    check(request.user, "sales.view_salespoint")
    form, q, commune = _filters(request)
    page, query = paginate(request, sales_point_list(request.user, q=q, commune=commune))
    return list_response(
        request,
        "sales/point_list",
        {
            "form": form,
            "page": page,
            "query": query,
            "can_add": request.user.has_perm("sales.add_salespoint"),
        },
    )


@staff_required
def point_new(request):
    check(request.user, "sales.add_salespoint")
    return form_page(
        request,
        f.SalesPointForm(request.POST or None, user=request.user),
        lambda data: sales_point_create(actor=request.user, **data),
        done=lambda point: (
            _("Đã thêm điểm bán %(name)s.") % {"name": point.name},
            reverse("sales:point_detail", args=[point.pk]),
        ),
        title=_("Thêm điểm bán"),
        cancel=reverse("sales:point_index"),
    )


def _point(request, pk):
    point = get_object_or_404(sales_points_visible_to(request.user), pk=pk)
    check(request.user, "sales.view_salespoint", point)
    return point


@staff_required
def point_detail(request, pk):
    point = _point(request, pk)
    user = request.user
    can_stock = user.has_perm("sales.stock_salespoint", point)
    choices = stockable_products(user).order_by("name", "pk") if can_stock else None
    stock = list(point.stock.select_related("product", "product__producer").order_by("product__name", "pk"))
    form = None
    if can_stock:
        on_sale = [row.product_id for row in stock]
        data = request.POST if request.method == "POST" else None  # an empty list is a valid post
        form = f.StockForm(data, products=choices, initial={"products": on_sale})
        if request.method == "POST" and form.is_valid():
            try:
                counts = sales_point_set_products(
                    point, [p.pk for p in form.cleaned_data["products"]], actor=user
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Đã cập nhật sản phẩm bày bán: thêm %(added)s, bỏ %(removed)s.") % counts,
                )
                return redirect("sales:point_detail", pk=point.pk)
    can_change = user.has_perm("sales.change_salespoint", point)
    return render(
        request,
        "sales/point_detail.html",
        {
            "point": point,
            "stock": stock,
            "form": form,
            "can_change": can_change,
            "can_delete": user.has_perm("sales.delete_salespoint", point),
            "history": change_log(point) if can_change else None,
        },
    )


@staff_required
def point_edit(request, pk):
    point = _point(request, pk)
    check(request.user, "sales.change_salespoint", point)
    back = reverse("sales:point_detail", args=[point.pk])
    return form_page(
        request,
        f.SalesPointForm(request.POST or None, instance=point, user=request.user),
        lambda data: sales_point_update(point, actor=request.user, **data),
        done=lambda saved: (_("Đã lưu điểm bán %(name)s.") % {"name": saved.name}, back),
        title=_("Sửa điểm bán %(name)s") % {"name": point.name},
        cancel=back,
    )


@require_POST
@staff_required
def point_delete(request, pk):
    point = _point(request, pk)
    check(request.user, "sales.delete_salespoint", point)
    name = point.name
    sales_point_delete(point, actor=request.user)
    messages.success(request, _("Đã xóa điểm bán %(name)s.") % {"name": name})
    return redirect("sales:point_index")
