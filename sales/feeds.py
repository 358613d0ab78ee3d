"""Product feeds for marketplaces and social catalogues: a cooperative lists its products once here
and imports the file into its shop (Shopee, TikTok Shop, Lazada take a CSV; Meta's commerce
catalogue and Google Merchant Center read the RSS 2.0 feed with the g: namespace).

Field names are those of the Google Merchant product data specification, which Meta's catalogue
accepts as they are: id, title, description, availability, condition, price, link, image_link,
brand, gtin. Values follow it: availability "in stock", condition "new", price "12000 VND" (a
number and the ISO 4217 code). Only publicly visible products are listed (Product.objects.public()).

What the register does not hold is left empty rather than invented: the register keeps a price
range (price_min/price_max), the feed gives the lowest price; a product without a price has an
empty price (a shop asks for it on import); gtin is the product's GTIN (Product.gtin, stored as
GTIN-14, which the specification accepts) and identifier_exists is "no" without one; stock is not
tracked, so every public product is "in stock"."""

from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass, fields
from urllib.parse import urljoin
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from core.sheet_writer import clean_text
from producers.models import Producer
from products.models import Product, ProductPhoto

CURRENCY = "VND"
SHOWROOM_BRAND = "OCOP Lạng Sơn"
GOOGLE_NS = "http://base.google.com/ns/1.0"
XML_TYPE = "application/rss+xml; charset=utf-8"
TITLE_MAX, DESCRIPTION_MAX = 150, 5000  # the tighter of Google's and Meta's limits
CHUNK = 500


def absolute_url(path: str) -> str:
    """An address on the portal (OCOP_SITE_URL): shops fetch links and images from outside."""
    return urljoin(settings.SITE_URL.rstrip("/") + "/", path)


@dataclass(frozen=True)
class FeedItem:
    id: str
    title: str
    description: str
    availability: str
    condition: str
    price: str
    link: str
    image_link: str
    brand: str
    gtin: str
    identifier_exists: str


FIELDS = [f.name for f in fields(FeedItem)]


def feed_products(producer: Producer | None = None) -> QuerySet[Product]:
    """The public products of one producer, or of the whole province (the showroom)."""
    qs = Product.objects.public()
    if producer is not None:
        qs = qs.filter(producer=producer)
    return (
        qs.select_related("producer")
        .prefetch_related(
            Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "id"), to_attr="photo_list")
        )
        .order_by("pk")
    )


def _cut(text: str, limit: int) -> str:
    text = " ".join(clean_text(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def feed_item(product: Product) -> FeedItem:
    photos = getattr(product, "photo_list", None)
    if photos is None:
        photos = list(product.photos.order_by("position", "id"))
    photo = next((p for p in photos if p.image), None)
    return FeedItem(
        id=f"OCOP-LS-{product.pk}",
        title=_cut(product.name, TITLE_MAX),
        description=_cut(product.description or product.name, DESCRIPTION_MAX),
        availability="in stock",
        condition="new",
        price=f"{product.price_min} {CURRENCY}" if product.price_min else "",
        link=absolute_url(reverse("catalogue:product", args=[product.slug])),
        image_link=absolute_url(photo.image.url) if photo else "",
        brand=product.producer_name or SHOWROOM_BRAND,
        gtin=product.gtin or "",
        identifier_exists="yes" if product.gtin else "no",
    )


def feed_items(qs: QuerySet[Product]) -> Iterator[FeedItem]:
    for product in qs.iterator(chunk_size=CHUNK):
        yield feed_item(product)


def csv_rows(items: Iterable[FeedItem]) -> Iterator[tuple]:
    for item in items:
        yield astuple(item)


def rss_chunks(items: Iterable[FeedItem], *, title: str, link: str, description: str) -> Iterator[str]:
    """An RSS 2.0 document with the g: namespace, one item at a time (for a streamed response).
    An empty value is left out: the shop then reports it missing instead of reading "" as a value."""
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<rss version="2.0" xmlns:g="{GOOGLE_NS}">\n<channel>\n'
        f"<title>{escape(clean_text(title))}</title>\n<link>{escape(link)}</link>\n"
        f"<description>{escape(clean_text(description))}</description>\n"
    )
    for item in items:
        parts = ["<item>"]
        for name, value in zip(FIELDS, astuple(item), strict=True):
            if value:
                parts.append(f"<g:{name}>{escape(value)}</g:{name}>")
        parts.append("</item>\n")
        yield "".join(parts)
    yield "</channel>\n</rss>\n"
