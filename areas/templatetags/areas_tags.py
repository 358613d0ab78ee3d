"""Template helpers of the raw-material areas, also used by the public product page:

    {% load areas_tags %}{% product_areas product %}

renders areas/_product_areas.html for the public areas that supply `product`."""

from decimal import Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.utils.formats import number_format

from areas import selectors

register = template.Library()


@register.filter
def ha(value) -> str:
    """Hectares in the active language's format, at most two decimals: 1.234,5 (vi), 1,234.5 (en)."""
    if value in (None, ""):
        return "—"
    try:
        number = Decimal(str(round(float(value), 2))).normalize()
    except (InvalidOperation, TypeError, ValueError):
        return "—"
    places = max(0, -number.as_tuple().exponent)
    return number_format(number, places, force_grouping=True)


@register.filter
def signed_pct(value) -> str:
    if value is None:
        return "—"
    text = number_format(Decimal(str(round(float(value), 1))), 1, force_grouping=True)
    return f"+{text}" if float(value) > 0 else text


@register.filter
def areas_geojson(areas) -> dict:
    """The GeoJSON FeatureCollection of areas from areas.selectors.public_areas(), for json_script."""
    return selectors.feature_collection(areas)


@register.inclusion_tag("areas/_product_areas.html", takes_context=True)
def product_areas(context, product):
    return {
        "areas": selectors.areas_for_product(product),
        "map_tile_url": context.get("map_tile_url") or settings.MAP_TILE_URL,
        "request": context.get("request"),
    }


@register.filter
def area_badges(areas) -> list[str]:
    """The standards held today by the public areas of a product, for its badges."""
    return selectors.area_badges(areas or [])


def _record(context, product) -> dict:
    """What the producer has recorded for `product`, read once per request."""
    request = context.get("request")
    user = getattr(request, "user", None)
    cache = getattr(request, "_areas_records", None)
    if cache is None:
        cache = {}
        if request is not None:
            request._areas_records = cache
    if product.pk not in cache:
        cache[product.pk] = {
            "record_areas": selectors.product_traceability(product, user) if user else [],
            "record_batches": selectors.recorded_batches(product, user) if user else [],
        }
    return cache[product.pk]


@register.inclusion_tag("areas/_traceability_record.html", takes_context=True)
def criterion_record(context, criterion, product):
    """Beside a criterion about raw-material areas or traceability (score sheet): what the
    producer has recorded; nothing beside the other criteria."""
    if product is None or not selectors.is_traceability_criterion(criterion):
        return {"show": False}
    return {"show": True, "compact": True, "product": product, **_record(context, product)}


@register.inclusion_tag("areas/_traceability_record.html", takes_context=True)
def product_record(context, product):
    """The advisor's card: areas, codes, certifications, diary seasons (and batches)."""
    return {"show": True, "compact": False, "product": product, **_record(context, product)}


# A diary quantity: the same reading as hectares (at most two decimals, 1.234,5).
register.filter("qty", ha)
