"""Public portal pages. Thin: the forms read the URL, catalogue.selectors reads the data."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe

from areas.selectors import areas_for_product
from catalogue import presentation, selectors
from catalogue.forms import ProductFilterForm
from catalogue.pagecache import cached_public_page, canonical_query
from sales.forms_points import SalesPointFilterForm
from sales.selectors import (
    public_sales_point_list,
    public_stock,
    sales_points_for_producer,
    sales_points_for_product,
)

CATALOGUE_PARAMS = ProductFilterForm.param_names()


def _query_without_page(request) -> str:
    """The page's own parameters only (unknown ones are not in its cache key: pagecache)."""
    return canonical_query(request, [name for name in CATALOGUE_PARAMS if name != "page"])


def _query_with(request, **values) -> str:
    """The page's own parameters with values replaced (and no page number)."""
    query = QueryDict(_query_without_page(request), mutable=True)
    for name, value in values.items():
        query[name] = value
    return query.urlencode()


@require_safe
@cached_public_page(params=())
def home(request):
    return render(
        request,
        "catalogue/home.html",
        {
            "figures": selectors.headline_figures(),
            "featured": selectors.featured_products(),
            "newest": selectors.newest_products(),
        },
    )


class CataloguePaginator(Paginator):
    """At most selectors.MAX_PAGES pages, whatever the count (which the page still states)."""

    @cached_property
    def num_pages(self) -> int:
        return min(Paginator.num_pages.func(self), selectors.MAX_PAGES)

    @property
    def capped(self) -> bool:
        return self.count > selectors.MAX_PAGES * self.per_page


@require_safe
@cached_public_page(params=CATALOGUE_PARAMS)
def catalogue(request):
    form = ProductFilterForm(request.GET)
    filters = form.filters()
    results = selectors.catalogue_results(filters, count_cap=selectors.SEARCH_COUNT_CAP)
    # A page past the last one shows the last one (Paginator.get_page), with the note on the cap.
    page = CataloguePaginator(results, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    no_match = selectors.no_match_help(filters) if filters.q and not page.object_list else None
    context = {
        "no_match": no_match,
        "suggestion_links": [(phrase, _query_with(request, q=phrase)) for phrase in no_match.suggestions]
        if no_match
        else [],
        "form": form,
        "filters": filters,
        "page": page,
        "count_capped": results.count_cap is not None and page.paginator.count > results.count_cap,
        "count_cap": selectors.SEARCH_COUNT_CAP,
        "pages_capped": page.paginator.capped and page.number == page.paginator.num_pages,
        "query": _query_without_page(request),
    }
    # htmx swaps only the results; a plain request, or htmx restoring its history, gets the page.
    partial = request.htmx and not request.htmx.history_restore_request and not request.htmx.boosted
    response = render(
        request, "catalogue/catalogue_results.html" if partial else "catalogue/catalogue.html", context
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
@cached_public_page(params=())
def product_detail(request, slug):
    product = selectors.public_product(slug)
    certificate = selectors.current_certificate(product)
    place = selectors.product_place(product)
    decision_number, decision_date = selectors.issuing_decision(certificate) if certificate else ("", None)
    return render(
        request,
        "catalogue/product_detail.html",
        {
            "product": product,
            "certificate": certificate,
            "decision_number": decision_number,
            "decision_date": decision_date,
            "contact": selectors.product_contact(product),
            "place": place,
            "point": selectors.first_point(product.producer, place),
            "related": selectors.related_products(product),
            "raw_material_areas": areas_for_product(product),
            "sales_points": sales_points_for_product(product),
            "open_graph": presentation.product_open_graph(product, certificate),
            "json_ld": presentation.product_json_ld(product, certificate),
            "map_tile_url": settings.MAP_TILE_URL,
        },
    )


@require_safe
@cached_public_page(params=())
def producer_detail(request, slug):
    producer = selectors.public_producer(slug)
    return render(
        request,
        "catalogue/producer_detail.html",
        {
            "producer": producer,
            "products": selectors.producer_products(producer),
            "sales_points": sales_points_for_producer(producer),
            "point": selectors.first_point(producer, producer.commune),
            "map_tile_url": settings.MAP_TILE_URL,
        },
    )


@require_safe
@cached_public_page(params=("q", "commune"))
def sales_points(request):
    """Where to buy: the published sales points, searchable by name/address and by commune."""
    form = SalesPointFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    points = list(public_sales_point_list(q=data.get("q") or "", commune=data.get("commune")))
    stock = public_stock(p.pk for p in points)
    for point in points:
        point.public_products = stock.get(point.pk, [])
    return render(request, "catalogue/sales_points.html", {"form": form, "points": points})


@require_safe
def verify_lookup(request):
    """The code typed by hand (no QR scanner at hand): on to the verification page."""
    code = request.GET.get("ma", "").strip()
    if code:
        return redirect("catalogue:verify", code=code[: selectors.MAX_CODE_LENGTH + 1])
    return render(request, "catalogue/verify_lookup.html")


@require_safe
@cached_public_page(params=())
def verify(request, code):
    certificate = selectors.certificate_by_code(code)
    if certificate is None:
        return render(request, "catalogue/verify_not_found.html", {"code": code[:40]}, status=404)
    status = certificate.status
    current = selectors.current_certificate_of_product(certificate)
    decision_number, decision_date = selectors.issuing_decision(certificate)
    return render(
        request,
        "catalogue/verify.html",
        {
            "certificate": certificate,
            "status": status,
            "is_valid": certificate.is_valid,
            "current": current if current and current.pk != certificate.pk else None,
            "product": certificate.product,
            "product_is_public": certificate.product.is_public,
            "decision_number": decision_number,
            "decision_date": decision_date,
            "today": timezone.localdate(),
        },
    )
