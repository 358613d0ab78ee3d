"""The public map at national scale: what one view of the map needs, never every feature.

The map asks for the box it shows and its zoom (`?bbox=west,south,east,north&zoom=z` with the
catalogue's filters). The products in the box are counted in the database; when they are few
(MAX_POINTS) they come as points with what their popup shows, else they are grouped in SQL on a
grid whose cells are about CELL_PIXELS wide on screen at that zoom (GROUP BY the cell of the
point's latitude and longitude, the same on SQLite and PostgreSQL), and each cell comes as one
cluster feature: its count and the mean of its points. The grid is coarsened until the box holds
at most MAX_CELLS cells, so an answer is bounded (about 60 bytes a cluster, 300 a point) whatever
the data and whatever box a client sends.

A product sits at its producer's point, else at the centre of its commune, else of its
producer's commune (catalogue.selectors.map_items says the same in Python); a producer at its
point, else at its commune's centre. The list beside the map is paged in SQL (ids first)."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Avg, Case, Count, F, FloatField, Q, QuerySet, When
from django.db.models.functions import Cast, Floor
from django.urls import reverse

from catalogue.search import folded_order, search_products
from catalogue.selectors import (
    MapItem,
    ProductFilters,
    _current_certificates,
    current_certificate,
    filter_products,
    first_point,
    product_place,
)
from certificates.models import CertificateStatus
from producers.models import Producer
from products.models import Product

# Lạng Sơn as the map first shows it (west, south, east, north) and its zoom.
PROVINCE_BBOX = (105.9, 21.3, 107.4, 22.5)
DEFAULT_ZOOM = 9
MIN_ZOOM, MAX_ZOOM = 1, 18
MAX_POINTS = 300  # a box with at most this many products gets them as points
CELL_PIXELS = 60  # grid cell width on screen (tiles are 256 px)
MAX_CELLS = 1200  # a box never holds more cells than this (the grid is coarsened)
LIST_SIZE = 50  # the list beside the map, per page


@dataclass(frozen=True)
class View:
    west: float
    south: float
    east: float
    north: float
    zoom: int

    @property
    def cell(self) -> float:
        """Cell size in degrees: CELL_PIXELS at this zoom, coarsened to at most MAX_CELLS in the box."""
        size = 360 / (2**self.zoom) * CELL_PIXELS / 256
        while ((self.east - self.west) / size) * ((self.north - self.south) / size) > MAX_CELLS:
            size *= 2
        return size


def parse_view(params) -> View:
    """bbox and zoom from the query string; the province at the default zoom when absent or bad."""
    try:
        zoom = min(MAX_ZOOM, max(MIN_ZOOM, int(params.get("zoom", DEFAULT_ZOOM))))
    except (TypeError, ValueError):
        zoom = DEFAULT_ZOOM
    try:
        west, south, east, north = (float(v) for v in params.get("bbox", "").split(","))
    except ValueError:
        west, south, east, north = PROVINCE_BBOX
    if not all(map(_finite, (west, south, east, north))):
        west, south, east, north = PROVINCE_BBOX
    west, east = max(-180.0, min(west, east)), min(180.0, max(west, east))
    south, north = max(-90.0, min(south, north)), min(90.0, max(south, north))
    if west == east or south == north:
        west, south, east, north = PROVINCE_BBOX
    return View(west, south, east, north, zoom)


def _finite(x: float) -> bool:
    return x == x and abs(x) != float("inf")


def _point(lat_paths: tuple[str, ...], lng_paths: tuple[str, ...]):
    """The first of the places (paths to a lat and a lng) that has both coordinates."""
    conditions = [
        Q(**{f"{lat}__isnull": False, f"{lng}__isnull": False})
        for lat, lng in zip(lat_paths, lng_paths, strict=True)
    ]
    lat = Case(*(When(c, then=Cast(p, FloatField())) for c, p in zip(conditions, lat_paths, strict=True)))
    lng = Case(*(When(c, then=Cast(p, FloatField())) for c, p in zip(conditions, lng_paths, strict=True)))
    return lat, lng


def product_point():
    return _point(
        ("producer__lat", "commune__lat", "producer__commune__lat"),
        ("producer__lng", "commune__lng", "producer__commune__lng"),
    )


def producer_point():
    return _point(("lat", "commune__lat"), ("lng", "commune__lng"))


def filtered_products(filters: ProductFilters) -> QuerySet[Product]:
    qs = filter_products(Product.objects.public(), filters)
    if filters.q:
        qs = Product.objects.filter(pk__in=search_products(filters.q, qs).order_by().values("pk"))
    return qs.order_by()


def _in_view(qs: QuerySet, point, view: View) -> QuerySet:
    lat, lng = point
    return qs.annotate(p_lat=lat, p_lng=lng).filter(
        p_lat__gte=view.south, p_lat__lte=view.north, p_lng__gte=view.west, p_lng__lte=view.east
    )


def _clusters(qs: QuerySet, view: View) -> list[dict]:
    cell = view.cell
    rows = (
        qs.annotate(cy=Floor((F("p_lat") + 90) / cell), cx=Floor((F("p_lng") + 180) / cell))
        .values("cy", "cx")
        .annotate(n=Count("pk"), lat=Avg("p_lat"), lng=Avg("p_lng"))
        .order_by()
    )
    return [
        {"n": r["n"], "lat": r["lat"], "lng": r["lng"], "cell": (int(r["cy"]), int(r["cx"]))} for r in rows
    ]


def _cluster_feature(c: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(c["lng"], 5), round(c["lat"], 5)]},
        "properties": {"cluster": True, "count": c["n"]},
    }


def _point_feature(item: MapItem) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [item.lng, item.lat]},
        "properties": {
            "kind": item.kind,
            "name": item.name,
            "url": item.url,
            "stars": item.stars,
            "status": item.status,
            "group": item.group,
            "commune": item.commune,
            "producer": item.producer,
        },
    }


def product_items(products) -> tuple[list[MapItem], dict[int, MapItem]]:
    """MapItems of the given products (loaded with _item_related) and of their producers, the
    producer showing the best star valid today among these products."""
    items, producers = [], {}
    for product in products:
        certificate = current_certificate(product)
        status = certificate.status if certificate else "none"
        stars = certificate.stars if certificate and status != CertificateStatus.REVOKED else None
        place = product_place(product)
        producer = product.producer
        point = first_point(producer, place)
        items.append(
            MapItem(
                kind="product",
                name=product.name,
                url=reverse("catalogue:product", args=[product.slug]),
                stars=stars,
                status=status,
                group=product.category.group.code if product.category and product.category.group else "",
                commune=str(place) if place else "",
                producer=product.producer_name,
                lat=point[0] if point else None,
                lng=point[1] if point else None,
            )
        )
        if producer is None:
            continue
        entry = producers.get(producer.pk)
        if entry is None:
            point = first_point(producer, producer.commune)
            entry = producers[producer.pk] = MapItem(
                kind="producer",
                name=producer.name,
                url=reverse("catalogue:producer", args=[producer.slug]),
                stars=None,
                status="none",
                group="",
                commune=str(producer.commune) if producer.commune else "",
                producer=producer.name,
                lat=point[0] if point else None,
                lng=point[1] if point else None,
            )
        if stars and certificate.is_valid:
            entry.stars = max(entry.stars or 0, stars)
            entry.status = CertificateStatus.VALID
    return items, producers


def _item_related(qs: QuerySet[Product]) -> QuerySet[Product]:
    return qs.select_related("producer", "producer__commune", "commune", "category__group").prefetch_related(
        _current_certificates()
    )


def map_features(filters: ProductFilters, view: View, *, kind: str = "") -> dict:
    """The GeoJSON FeatureCollection of one view: points when the box holds at most MAX_POINTS
    products, else grid clusters. `kind` "product" or "producer" keeps one kind; "" both
    (a cluster then counts products and producers together)."""
    products = filtered_products(filters)
    in_box = _in_view(products, product_point(), view)
    producers = None
    if kind != "product":
        with_products = Producer.objects.filter(
            pk__in=products.filter(producer__isnull=False).values("producer")
        )
        producers = _in_view(with_products.order_by(), producer_point(), view)
    count = in_box.count() if kind != "producer" else 0
    producer_count = producers.count() if producers is not None else 0
    if count + producer_count <= MAX_POINTS:
        ids = list(in_box.values_list("pk", flat=True))
        if kind == "producer":
            # Each producer with the best star among its products in the filters.
            ids = list(
                products.filter(producer__in=producers.values("pk")).values_list("pk", flat=True)[:5000]
            )
        items, by_producer = product_items(
            _item_related(Product.objects.filter(pk__in=ids)).order_by(folded_order())
        )
        if kind == "product":
            shown = items
        else:
            in_view = set(producers.values_list("pk", flat=True)) if producers is not None else set()
            shown = ([] if kind == "producer" else items) + [
                item for pk, item in by_producer.items() if pk in in_view
            ]
        features = [_point_feature(i) for i in shown if i.lat is not None]
        clustered = False
    else:
        cells: dict = {}
        for source in ([] if kind == "producer" else [in_box]) + (
            [producers] if producers is not None else []
        ):
            for c in _clusters(source, view):
                into = cells.get(c["cell"])
                if into is None:
                    cells[c["cell"]] = c
                else:  # products and producers in one cell: one cluster, weighted mean
                    total = into["n"] + c["n"]
                    into["lat"] = (into["lat"] * into["n"] + c["lat"] * c["n"]) / total
                    into["lng"] = (into["lng"] * into["n"] + c["lng"] * c["n"]) / total
                    into["n"] = total
        features = [_cluster_feature(c) for c in cells.values()]
        clustered = True
    return {
        "type": "FeatureCollection",
        "features": features,
        "bbox": [view.west, view.south, view.east, view.north],
        "zoom": view.zoom,
        "clustered": clustered,
        "total": count + producer_count,
    }


def map_list(filters: ProductFilters, page_number) -> tuple:
    """The list beside the map: one page of products (ids paged in SQL, then their rows), the
    page object, and how many of the matching products have a point on the map."""
    products = filtered_products(filters)
    lat, _ = product_point()
    counts = products.annotate(p_lat=lat).aggregate(n=Count("pk"), located=Count("p_lat"))
    ordered = products.order_by(folded_order(), "pk")
    paginator = Paginator(ordered.values_list("pk", flat=True), LIST_SIZE)
    paginator.count = counts["n"]  # one count for both figures
    page = paginator.get_page(page_number)
    ids = list(page.object_list)
    rows = {p.pk: p for p in _item_related(Product.objects.filter(pk__in=ids))}
    items, _ = product_items(rows[pk] for pk in ids if pk in rows)
    return items, page, counts["located"]
