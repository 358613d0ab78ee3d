"""Correcting the dates of a product's listing on a sales channel (sales.models.ProductListing)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.web import apply_errors, check, staff_required
from sales.forms import ListingForm
from sales.models import ProductListing
from sales.services import listing_update


@staff_required
def listing_edit(request, pk):
    listing = get_object_or_404(ProductListing.objects.select_related("product", "product__producer"), pk=pk)
    check(request.user, "products.change_product", listing.product)
    back = reverse("backoffice:product_detail", args=[listing.product_id])
    form = ListingForm(
        request.POST or None, initial={"listed_since": listing.listed_since, "ended_on": listing.ended_on}
    )
    if request.method == "POST" and form.is_valid():
        try:
            listing_update(listing, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu ngày bán trên kênh."))
            return redirect(back)
    title = _("Bán trên %(c)s: %(p)s") % {"c": listing.get_channel_display(), "p": listing.product.name}
    return render(request, "backoffice/form.html", {"form": form, "title": title, "cancel": back})
