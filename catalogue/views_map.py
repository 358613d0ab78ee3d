"""The public map (/ban-do/) and its data: thin views over catalogue.map."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from catalogue import map as catalogue_map
from catalogue.forms import MapFilterForm
from catalogue.pagecache import cached_public_page, canonical_query

# The parameters each view reads: its page-cache key, and all that its links carry on
# (unknown parameters neither make new cache entries nor get echoed).
MAP_PARAMS = MapFilterForm.param_names()
VIEW_PARAMS = (*MAP_PARAMS, "bbox", "zoom")


def _query(request, *drop: str) -> str:
    return canonical_query(request, [name for name in MAP_PARAMS if name not in drop])


@require_safe
@cached_public_page(params=MAP_PARAMS)
def map_page(request):
    form = MapFilterForm(request.GET)
    filters = form.filters()
    items, page, located = catalogue_map.map_list(filters, request.GET.get("page"))
    return render(
        request,
        "catalogue/map.html",
        {
            "form": form,
            "filters": filters,
            "items": items,
            "page": page,
            "item_count": page.paginator.count,
            "located_count": located,
            "geojson_query": _query(request, "page", "bbox", "zoom"),
            "query": _query(request, "page"),
            "map_tile_url": settings.MAP_TILE_URL,
            "province_bbox": ",".join(str(x) for x in catalogue_map.PROVINCE_BBOX),
            "max_points": catalogue_map.MAX_POINTS,
        },
    )


@require_safe
@cached_public_page(params=VIEW_PARAMS)
def map_geojson(request):
    """One view of the map: `?bbox=west,south,east,north&zoom=z` (the province at zoom 9 when
    absent) with the catalogue's filters; points, or grid clusters when the box holds many."""
    form = MapFilterForm(request.GET)
    view = catalogue_map.parse_view(request.GET)
    data = catalogue_map.map_features(form.filters(), view, kind=form.kind_value())
    return JsonResponse(data, content_type="application/geo+json", json_dumps_params={"ensure_ascii": False})


@require_safe
@cached_public_page(params=("bbox", "zoom"))
def sales_points_geojson(request):
    """The "Điểm bán" layer: the published sales points in `?bbox=west,south,east,north` (the
    province when absent), a bounded list (catalogue.map.sales_point_features)."""
    view = catalogue_map.parse_view(request.GET)
    data = catalogue_map.sales_point_features(view)
    return JsonResponse(data, content_type="application/geo+json", json_dumps_params={"ensure_ascii": False})
