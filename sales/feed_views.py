"""The product feeds (sales.feeds) as downloads: the province's showroom and each public producer
on the portal, and a producer's own from its back-office."""

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.sheet_writer import csv_response
from core.web import staff_required
from producers.models import Producer
from sales import feeds
from sales.views import _producer


def _download(fmt: str, qs, *, stem: str, title: str, link: str):
    items = feeds.feed_items(qs)
    if fmt == "csv":
        return csv_response(f"{stem}.csv", feeds.FIELDS, feeds.csv_rows(items))
    chunks = feeds.rss_chunks(
        items, title=title, link=link, description=_("Sản phẩm OCOP tỉnh Lạng Sơn đang được công bố.")
    )
    response = StreamingHttpResponse((c.encode("utf-8") for c in chunks), content_type=feeds.XML_TYPE)
    response["Content-Disposition"] = f'inline; filename="{stem}.xml"'
    return response


@require_safe
def showroom_feed(request, fmt):
    return _download(
        fmt,
        feeds.feed_products(),
        stem="san-pham-ocop-lang-son",
        title=_("Gian hàng sản phẩm OCOP Lạng Sơn"),
        link=feeds.absolute_url(reverse("catalogue:catalogue")),
    )


@require_safe
def public_producer_feed(request, slug, fmt):
    # A producer is public once one of its products is: no public product, no public feed.
    producer = get_object_or_404(Producer, slug=slug)
    products = feeds.feed_products(producer)
    if not products.exists():
        raise Http404("producer")
    return _download(
        fmt,
        products,
        stem=f"san-pham-{producer.slug}",
        title=producer.name,
        link=feeds.absolute_url(reverse("catalogue:producer", args=[producer.slug])),
    )


@staff_required
def producer_feed(request, pk, fmt):
    """A producer's own feed from its back-office (every role that sees its sales figures)."""
    producer = _producer(request, pk, "sales.view_producer_sales")
    return _download(
        fmt,
        feeds.feed_products(producer),
        stem=f"san-pham-{producer.slug}",
        title=producer.name,
        link=feeds.absolute_url(reverse("catalogue:producer", args=[producer.slug])),
    )
