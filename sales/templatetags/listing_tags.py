from django import template

from sales.models import ProductListing

register = template.Library()


@register.inclusion_tag("sales/_listings.html", takes_context=True)
def product_listings(context, product):
    """The channels a product is listed on, and since when (open first, then ended)."""
    user = context["request"].user
    listings = sorted(
        ProductListing.objects.filter(product=product),
        key=lambda li: (not li.is_open, li.channel, -li.listed_since.toordinal()),
    )
    return {"listings": listings, "can_change": user.has_perm("products.change_product", product)}
