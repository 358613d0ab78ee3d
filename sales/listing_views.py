"""Correcting the dates of a product's listing on a sales channel (sales.models.ProductListing)."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from core.web import check, form_page, staff_required
from sales.forms import ListingForm
from sales.models import ProductListing
from sales.services import listing_update


@staff_required
def listing_edit(request, pk):
    listing = get_object_or_404(ProductListing.objects.select_related("product", "product__producer"), pk=pk)
    check(request.user, "products.change_product", listing.product)
    back = reverse("backoffice:product_detail", args=[listing.product_id])
    return form_page(
        request,
        ListingForm(
            request.POST or None, initial={"listed_since": listing.listed_since, "ended_on": listing.ended_on}
        ),
        lambda data: listing_update(listing, actor=request.user, **data),
        done=lambda _saved: (_("Đã lưu ngày bán trên kênh."), back),
        title=_("Bán trên %(c)s: %(p)s") % {"c": listing.get_channel_display(), "p": listing.product.name},
        cancel=back,
    )
