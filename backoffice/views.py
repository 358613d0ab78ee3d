"""Back-office pages. Thin: forms parse, services write, selectors read, rules decide."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.roles import is_office
from backoffice import forms as f
from backoffice.selectors import market_info, worklist
from certificates.models import Certificate
from certificates.selectors import current_certificate_map
from core.services import StaleVersion
from core.web import change_log, check, form_page, list_response, paginate_ids, staff_required
from geo.selectors import old_units_matching
from inspections.selectors import inspection_summary
from producers.models import Producer
from producers.selectors import producer_list, producers_visible_to
from producers.services import producer_create, producer_set_sales_links, producer_update
from products.models import IntellectualProperty, Product, ProductPhoto
from products.selectors import product_list, products_visible_to
from products.services import (
    ip_record_save,
    product_create,
    product_photo_add,
    product_photo_delete,
    product_restore,
    product_set_sales_links,
    product_update,
    product_withdraw,
    refresh_search_text_for_producer,
)


@staff_required
def home(request):
    """The role's queue first (backoffice.selectors.worklist), then the registry's figures."""
    user = request.user
    products = products_visible_to(user)
    context = {
        "producer_count": producers_visible_to(user).count(),
        "product_count": products.count(),
        "valid_count": Certificate.objects.valid().filter(product__in=products).count(),
        "stars": Certificate.objects.valid()
        .filter(product__in=products)
        .values("stars")
        .annotate(n=Count("id"))
        .order_by("stars"),
        "queues": worklist(user),
        "can_remind": user.has_perm("certificates.send_reminder"),
        "inspections": inspection_summary(user) if user.has_perm("inspections.view_inspectionplan") else None,
        "market": market_info(user),
    }
    return render(request, "backoffice/home.html", context)


# Producers -------------------------------------------------------------------------------------------


@staff_required
def producer_index(request):
    form = f.ProducerFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    filters = {k: v for k, v in filters.items() if v}
    ids = producer_list(request.user, counted=False, **filters).values_list("pk", flat=True)
    page, query = paginate_ids(request, producer_list(request.user, **filters), ids=ids)
    can_add = request.user.has_perm("producers.add_producer")
    return list_response(
        request, "backoffice/producer_list", {"form": form, "page": page, "query": query, "can_add": can_add}
    )


@staff_required
def producer_new(request):
    check(request.user, "producers.add_producer")
    return form_page(
        request,
        f.ProducerForm(request.POST or None, user=request.user),
        lambda data: producer_create(actor=request.user, **data),
        done=lambda producer: (
            _("Đã tạo chủ thể %(name)s.") % {"name": producer.name},
            reverse("backoffice:producer_detail", args=[producer.pk]),
        ),
        title=_("Thêm chủ thể OCOP"),
        cancel=reverse("backoffice:producer_index"),
    )


@staff_required
def producer_detail(request, pk):
    producer = get_object_or_404(Producer.objects.select_related("commune"), pk=pk)
    check(request.user, "producers.view_producer", producer)
    products = list(producer.products.select_related("category", "commune"))
    certificates = current_certificate_map(p.pk for p in products)
    for product in products:
        product.current_certificate = certificates.get(product.pk)
    return render(
        request,
        "backoffice/producer_detail.html",
        {
            "producer": producer,
            "products": products,
            "links": producer.sales_links.all(),
            "history": change_log(producer),
            "can_change": request.user.has_perm("producers.change_producer", producer),
            "can_add_product": request.user.has_perm("products.add_product"),
        },
    )


@staff_required
def producer_edit(request, pk):
    producer = get_object_or_404(Producer, pk=pk)
    check(request.user, "producers.change_producer", producer)

    def update(stored, **data):
        saved = producer_update(stored, **data)
        refresh_search_text_for_producer(saved)
        return saved

    return _versioned_edit(
        request,
        f.ProducerForm(request.POST or None, instance=producer, user=request.user),
        Producer,
        pk,
        update,
        title=_("Sửa chủ thể: %(name)s") % {"name": producer.name},
        back=reverse("backoffice:producer_detail", args=[pk]),
    )


def _versioned_edit(request, form, model, pk, update, *, title, back):
    """The edit page of a versioned record (producer, product): the form's enabled fields go to
    update(stored row, ...) with the version the editor read. A save over a newer version is
    refused (StaleVersion) and the form then carries that version: a second save of what the
    editor now sees goes through."""

    def save(data):
        data = {k: v for k, v in data.items() if not form.fields[k].disabled}
        version = data.pop("version", None)
        # The form has already copied the values onto its instance: the service gets the stored row.
        return update(model.objects.get(pk=pk), actor=request.user, expected_version=version, **data)

    def on_error(exc):
        if isinstance(exc, StaleVersion):
            form.accept_version(exc.current_version)

    return form_page(
        request,
        form,
        save,
        done=lambda saved: (_("Đã lưu thay đổi."), back),
        on_error=on_error,
        title=title,
        cancel=back,
    )


def _links_view(request, owner, setter, back_url, title):
    initial = [
        {"platform": link.platform, "url": link.url, "address": link.address, "label": link.label}
        for link in owner.sales_links.all()
    ]
    formset = f.SalesLinkFormSet(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        try:
            setter(owner, f.sales_links_from_formset(formset), actor=request.user)
        except ValidationError as exc:
            formset.non_form_errors().extend(exc.messages)
        else:
            messages.success(request, _("Đã lưu kênh bán."))
            return redirect(back_url)
    return render(
        request, "backoffice/sales_links.html", {"formset": formset, "title": title, "cancel": back_url}
    )


@staff_required
def producer_links(request, pk):
    producer = get_object_or_404(Producer, pk=pk)
    check(request.user, "producers.change_producer", producer)
    return _links_view(
        request,
        producer,
        producer_set_sales_links,
        reverse("backoffice:producer_detail", args=[pk]),
        _("Kênh bán của %(name)s") % {"name": producer.name},
    )


# Products --------------------------------------------------------------------------------------------


@staff_required
def product_index(request):
    form = f.ProductFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = product_list(request.user, **{k: v for k, v in filters.items() if v})
    page, query = paginate_ids(request, qs)
    certificates = current_certificate_map(p.pk for p in page.object_list)
    for product in page.object_list:
        product.current_certificate = certificates.get(product.pk)
    return list_response(
        request,
        "backoffice/product_list",
        {
            "form": form,
            "page": page,
            "query": query,
            "can_add": request.user.has_perm("products.add_product"),
        },
    )


@staff_required
def product_new(request):
    check(request.user, "products.add_product")
    initial = {"producer": request.GET.get("producer")} if request.GET.get("producer") else None
    form = f.ProductForm(request.POST or None, user=request.user, initial=initial)
    return form_page(
        request,
        form,
        lambda data: product_create(
            actor=request.user, **{k: v for k, v in data.items() if not form.fields[k].disabled}
        ),
        done=lambda product: (
            _("Đã tạo sản phẩm %(name)s.") % {"name": product.name},
            reverse("backoffice:product_detail", args=[product.pk]),
        ),
        title=_("Thêm sản phẩm"),
        cancel=reverse("backoffice:product_index"),
    )


@staff_required
def product_detail(request, pk):
    product = get_object_or_404(
        Product.objects.select_related(
            "producer", "producer__commune", "category", "category__group", "commune"
        ),
        pk=pk,
    )
    check(request.user, "products.view_product", product)
    return render(
        request,
        "backoffice/product_detail.html",
        {
            "product": product,
            "photos": product.photos.all(),
            "links": product.sales_links.all(),
            "ip_rights": product.ip_rights.all(),
            "certificates": Certificate.objects.filter(product=product),
            "history": change_log(product),
            "photo_form": f.PhotoForm(),
            "can_change": request.user.has_perm("products.change_product", product),
            "can_withdraw": request.user.has_perm("products.withdraw_product", product),
            "withdraw_form": f.WithdrawForm(initial={"version": product.version}),
        },
    )


@staff_required
def product_visibility(request, pk):
    """POST: withdraw the product from the public pages (with a reason) or restore it."""
    product = get_object_or_404(Product, pk=pk)
    check(request.user, "products.withdraw_product", product)
    if request.method != "POST":
        return redirect("backoffice:product_detail", pk=pk)
    version = request.POST.get("version") or None  # the fields of f.WithdrawForm; the service checks them
    try:
        if request.POST.get("action") == "restore":
            product_restore(product, actor=request.user, expected_version=version)
            messages.success(request, _("Sản phẩm đã công khai trở lại."))
        else:
            product_withdraw(
                product, actor=request.user, reason=request.POST.get("reason", ""), expected_version=version
            )
            messages.success(request, _("Đã tạm ẩn sản phẩm khỏi trang công khai."))
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    return redirect("backoffice:product_detail", pk=pk)


@staff_required
def product_edit(request, pk):
    product = get_object_or_404(Product.objects.select_related("producer"), pk=pk)
    check(request.user, "products.change_product", product)
    return _versioned_edit(
        request,
        f.ProductForm(request.POST or None, instance=product, user=request.user),
        Product,
        pk,
        product_update,
        title=_("Sửa sản phẩm: %(name)s") % {"name": product.name},
        back=reverse("backoffice:product_detail", args=[pk]),
    )


@staff_required
def product_links(request, pk):
    product = get_object_or_404(Product.objects.select_related("producer"), pk=pk)
    check(request.user, "products.change_product", product)
    return _links_view(
        request,
        product,
        product_set_sales_links,
        reverse("backoffice:product_detail", args=[pk]),
        _("Kênh bán của %(name)s") % {"name": product.name},
    )


@staff_required
def product_photo_upload(request, pk):
    product = get_object_or_404(Product.objects.select_related("producer"), pk=pk)
    check(request.user, "products.change_product", product)
    if request.method != "POST":
        return redirect("backoffice:product_detail", pk=pk)
    form = f.PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            product_photo_add(
                product, form.cleaned_data["image"], actor=request.user, caption=form.cleaned_data["caption"]
            )
        except ValidationError as exc:
            for msg in exc.messages:
                messages.error(request, msg)
        else:
            messages.success(request, _("Đã thêm ảnh."))
    else:
        for field, errors in form.errors.items():
            for msg in errors:
                messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {msg}")
    return redirect("backoffice:product_detail", pk=pk)


@staff_required
def product_photo_remove(request, pk, photo_pk):
    photo = get_object_or_404(
        ProductPhoto.objects.select_related("product__producer"), pk=photo_pk, product_id=pk
    )
    check(request.user, "products.change_product", photo.product)
    if request.method == "POST":
        product_photo_delete(photo, actor=request.user)
        messages.success(request, _("Đã xóa ảnh."))
    return redirect("backoffice:product_detail", pk=pk)


@staff_required
def old_address_lookup(request):
    """Which of today's 65 units an address written before 01/07/2025 belongs to."""
    form = f.OldAddressForm(request.GET or None)
    matches = None
    if form.is_valid():
        matches = old_units_matching(form.cleaned_data["name"], form.cleaned_data["district"])
    return render(request, "backoffice/old_address.html", {"form": form, "matches": matches})


# Intellectual property -------------------------------------------------------------------------------


@staff_required
def ip_index(request):
    check(request.user, "products.view_intellectualproperty")
    records = IntellectualProperty.objects.prefetch_related("products")
    return render(
        request,
        "backoffice/ip_list.html",
        {"records": records, "can_add": request.user.has_perm("products.add_intellectualproperty")},
    )


@staff_required
def ip_edit(request, pk=None):
    record = get_object_or_404(IntellectualProperty, pk=pk) if pk else None
    check(
        request.user,
        "products.change_intellectualproperty" if record else "products.add_intellectualproperty",
    )
    form = f.IntellectualPropertyForm(request.POST or None, instance=record, user=request.user)

    def save(data):
        data = dict(data)
        products = data.pop("products")
        stored = IntellectualProperty.objects.get(pk=pk) if pk else None
        return ip_record_save(stored, actor=request.user, products=products, **data)

    return form_page(
        request,
        form,
        save,
        done=lambda saved: (_("Đã lưu."), reverse("backoffice:ip_detail", args=[saved.pk])),
        title=_("Sửa quyền SHTT") if record else _("Thêm chỉ dẫn địa lý / nhãn hiệu"),
        cancel=reverse("backoffice:ip_index"),
    )


@staff_required
def ip_detail(request, pk):
    check(request.user, "products.view_intellectualproperty")
    record = get_object_or_404(IntellectualProperty, pk=pk)
    return render(
        request,
        "backoffice/ip_detail.html",
        {
            "record": record,
            "products": record.products.select_related("producer"),
            "history": change_log(record),
            "can_change": is_office(request.user),
        },
    )
