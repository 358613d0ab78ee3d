"""What the public pages put around the data: absolute links, photo sizes, Open Graph and
schema.org JSON-LD for sharing on Zalo and Facebook."""

import json
from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from certificates.models import Certificate
from products.models import Product, ProductPhoto
from products.services import THUMBNAIL_SIZE

# JSON inside <script> must never contain "</script>" or "<!--": escaping the three
# characters that could open or close markup keeps user text (a product named
# "</script><script>…") inert while the JSON stays equal for any parser.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def absolute_url(path_or_url: str) -> str:
    return urljoin(settings.SITE_URL.rstrip("/") + "/", path_or_url)


def script_json(data) -> SafeString:
    return mark_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE))


def thumbnail_size(photo: ProductPhoto) -> tuple[int, int]:
    """The thumbnail's size, computed from the original's as products.services made it."""
    width, height = photo.width or THUMBNAIL_SIZE[0], photo.height or THUMBNAIL_SIZE[1]
    scale = min(THUMBNAIL_SIZE[0] / width, THUMBNAIL_SIZE[1] / height, 1)
    return max(1, round(width * scale)), max(1, round(height * scale))


def product_summary(product: Product, length: int = 30) -> str:
    text = product.description or product.specifications or product.name
    return Truncator(" ".join(text.split())).words(length)


def product_open_graph(product: Product, certificate: Certificate | None) -> dict:
    photos = getattr(product, "photo_list", [])
    title = product.name
    if certificate and certificate.is_valid:
        title = f"{product.name} – OCOP {certificate.stars}★"
    graph = {
        "title": title,
        "description": product_summary(product),
        "url": absolute_url(reverse("catalogue:product", args=[product.slug])),
    }
    if photos:
        photo = photos[0]
        if photo.thumbnail:
            graph["image"] = absolute_url(photo.thumbnail.url)
            graph["image_width"], graph["image_height"] = thumbnail_size(photo)
        else:
            graph["image"] = absolute_url(photo.image.url)
            graph["image_width"], graph["image_height"] = photo.width, photo.height
    return graph


def product_json_ld(product: Product, certificate: Certificate | None) -> SafeString:
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "url": absolute_url(reverse("catalogue:product", args=[product.slug])),
        "description": product_summary(product, 60),
    }
    if product.producer is not None:  # a published list may name no producer (issue 13)
        data["brand"] = {"@type": "Organization", "name": product.producer.name}
        data["manufacturer"] = {
            "@type": "Organization",
            "name": product.producer.name,
            "url": absolute_url(reverse("catalogue:producer", args=[product.producer.slug])),
        }
    photos = [absolute_url(p.image.url) for p in getattr(product, "photo_list", []) if p.image]
    if photos:
        data["image"] = photos
    if product.category_id:
        data["category"] = product.category.name_vi
    if certificate and certificate.is_valid:
        # OCOP stars are an official rating, not customer reviews: an award, not aggregateRating.
        data["award"] = _("OCOP %(stars)s sao (còn hiệu lực đến %(date)s)") % {
            "stars": certificate.stars,
            "date": f"{certificate.expires_on:%d/%m/%Y}",
        }
    return script_json(data)
