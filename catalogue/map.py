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

import hashlib
import math
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Avg, Count, FloatField, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce, Floor
from django.urls import reverse

from catalogue.search import folded_order, search_products
from catalogue.selectors import (
    MapItem,
    ProductFilters,
    filter_products,
    map_related,
    product_items,
)
from geo.models import Commune
from producers.models import Producer
from products.models import Product
from sales.selectors import MAX_MAP_POINTS, public_stock, sales_points_in_box

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

    def holds(self, lat: float, lng: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lng <= self.east

    @property
    def cell(self) -> float:
        """Cell size in degrees: CELL_PIXELS at this zoom, coarsened to at most MAX_CELLS in the box."""
        size = base_cell(self.zoom)
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


def filtered_products(filters: ProductFilters) -> QuerySet[Product]:
    qs = filter_products(Product.objects.public(), filters)
    if filters.q:
        qs = Product.objects.filter(pk__in=search_products(filters.q, qs).order_by().values("pk"))
    return qs.order_by()


# A product whose producer has a point sits there; the others at a commune's centre.
PLACED = Q(producer__lat__isnull=False, producer__lng__isnull=False)


def unplaced_q() -> Q:
    """Products without a producer's point (read through the producer and point indexes)."""
    pointless = Producer.objects.filter(Q(lat__isnull=True) | Q(lng__isnull=True)).values("pk")
    return Q(producer__isnull=True) | Q(producer__in=pointless)


def _placed_in_view(products: QuerySet[Product], view: View) -> QuerySet[Product]:
    """Products at their producer's point, in the box (the producers' (lat, lng) index)."""
    return products.filter(
        producer__lat__gte=view.south,
        producer__lat__lte=view.north,
        producer__lng__gte=view.west,
        producer__lng__lte=view.east,
    )


def _communes_in_view(view: View) -> dict[int, tuple[float, float]]:
    rows = Commune.objects.filter(
        lat__gte=view.south, lat__lte=view.north, lng__gte=view.west, lng__lte=view.east
    ).values_list("pk", "lat", "lng")
    return {pk: (float(lat), float(lng)) for pk, lat, lng in rows}


def _unplaced_in_view(products: QuerySet[Product], communes) -> QuerySet[Product]:
    """Products without a producer's point, whose commune (else the producer's) is in the box."""
    return (
        products.filter(unplaced_q())
        .annotate(place=Coalesce("commune", "producer__commune"))
        .filter(place__in=list(communes))
    )


class _Cells:
    """Cells of the grid: how many products and producers, and the mean of their points."""

    def __init__(self, size: float):
        self.size = size
        self.cells: dict[tuple[int, int], list[float]] = {}

    def key(self, lat: float, lng: float) -> tuple[int, int]:
        return math.floor((lat + 90) / self.size), math.floor((lng + 180) / self.size)

    def add(self, key, n: int, lat: float, lng: float) -> None:
        if n:
            cell = self.cells.setdefault(key, [0, 0.0, 0.0])
            cell[0] += n
            cell[1] += lat * n
            cell[2] += lng * n

    @property
    def total(self) -> int:
        return sum(c[0] for c in self.cells.values())

    def features(self) -> list[dict]:
        return [
            _cluster_feature({"n": n, "lat": lat / n, "lng": lng / n}) for n, lat, lng in self.cells.values()
        ]


def _count_cells(products: QuerySet[Product], view: View, kind: str, size: float | None = None) -> _Cells:
    """Products (kind "product"), producers ("producer") or both ("") per cell of the view, in
    three GROUP BY queries: those at their producer's point by the cell of that point (the
    producers counted once each), those at a commune's centre by commune, and the producers
    without a point by commune."""
    cells = _Cells(size or view.cell)
    size = cells.size
    placed = (
        _placed_in_view(products, view)
        .annotate(
            cy=Floor((Cast("producer__lat", FloatField()) + 90.0) / size),
            cx=Floor((Cast("producer__lng", FloatField()) + 180.0) / size),
        )
        .values("cy", "cx")
        .annotate(
            n=Count("pk") if kind != "producer" else Value(0),
            producers=Count("producer", distinct=True) if kind != "product" else Value(0),
            lat=Avg("producer__lat"),
            lng=Avg("producer__lng"),
        )
        .order_by()
    )
    for r in placed:
        cells.add((int(r["cy"]), int(r["cx"])), r["n"] + r["producers"], float(r["lat"]), float(r["lng"]))
    communes = _communes_in_view(view)
    if not communes:
        return cells
    if kind != "producer":
        by_place = _unplaced_in_view(products, communes).values("place").annotate(n=Count("pk")).order_by()
        for r in by_place:
            lat, lng = communes[r["place"]]
            cells.add(cells.key(lat, lng), r["n"], lat, lng)
    if kind != "product":
        producers = (
            Producer.objects.filter(Q(lat__isnull=True) | Q(lng__isnull=True), commune__in=list(communes))
            .filter(pk__in=products.filter(producer__isnull=False).values("producer"))
            .values("commune")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for r in producers:
            lat, lng = communes[r["commune"]]
            cells.add(cells.key(lat, lng), r["n"], lat, lng)
    return cells


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


WORLD = View(-180.0, -90.0, 180.0, 90.0, 0)
CACHED_ZOOM = 12  # up to this zoom the grid of the whole map is kept, per filters and kind
CACHE_SECONDS = 3600


def base_cell(zoom: int) -> float:
    """The grid's cell at a zoom, before any coarsening (View.cell is this times a power of 2)."""
    return 360 / (2**zoom) * CELL_PIXELS / 256


def _cached_cells(products: QuerySet[Product], filters: ProductFilters, view: View, kind: str) -> _Cells:
    """At low zooms the view covers much of the data: the grid of everything at that zoom is
    counted once per public content generation (core.content), filters and kind, and cut to
    the box (and coarsened) here. Cells are nested (a coarser cell is 2^k finer ones), so the
    counts are those the database would give for the box."""
    from django.core.cache import cache

    from core.content import public_content_generation

    base = base_cell(view.zoom)
    key = (
        "ocop:map-cells:"
        + hashlib.sha256(repr((public_content_generation(), view.zoom, kind, filters)).encode()).hexdigest()
    )
    grid = cache.get(key)
    if grid is None:
        grid = _count_cells(products, WORLD, kind, size=base).cells
        cache.set(key, grid, CACHE_SECONDS)
    factor = round(view.cell / base)
    cells = _Cells(view.cell)
    for (cy, cx), (n, lat_sum, lng_sum) in grid.items():
        lat, lng = lat_sum / n, lng_sum / n
        if view.holds(lat, lng):
            cells.add((cy // factor, cx // factor), n, lat, lng)
    return cells


def map_features(filters: ProductFilters, view: View, *, kind: str = "") -> dict:
    """The GeoJSON FeatureCollection of one view: points when the box holds at most MAX_POINTS
    products and producers, else grid clusters. `kind` "product" or "producer" keeps one kind;
    "" both (a cluster then counts products and producers together)."""
    products = filtered_products(filters)
    if view.zoom <= CACHED_ZOOM:
        cells = _cached_cells(products, filters, view, kind)
    else:
        cells = _count_cells(products, view, kind)
    total = cells.total
    if total > MAX_POINTS:
        features, clustered = cells.features(), True
    else:
        communes = _communes_in_view(view)
        ids = list(_placed_in_view(products, view).values_list("pk", flat=True))
        if communes:
            ids += list(_unplaced_in_view(products, communes).values_list("pk", flat=True))
        related = map_related(Product.objects.filter(pk__in=ids)).order_by(folded_order(), "pk")
        items, by_producer = product_items(related)
        shown = ([] if kind == "producer" else items) + (
            [] if kind == "product" else list(by_producer.values())
        )
        features = [_point_feature(i) for i in shown if i.lat is not None and view.holds(i.lat, i.lng)]
        clustered = False
    return {
        "type": "FeatureCollection",
        "features": features,
        "bbox": [view.west, view.south, view.east, view.north],
        "zoom": view.zoom,
        "clustered": clustered,
        "total": total,
    }


def map_list(filters: ProductFilters, page_number) -> tuple:
    """The list beside the map: one page of products (ids paged in SQL, then their rows), the
    page object, and how many of the matching products have a point on the map."""
    products = filtered_products(filters)
    ordered = products.order_by(folded_order(), "pk")
    page = Paginator(ordered.values_list("pk", flat=True), LIST_SIZE).get_page(page_number)
    ids = list(page.object_list)
    rows = {p.pk: p for p in map_related(Product.objects.filter(pk__in=ids))}
    items, _ = product_items(rows[pk] for pk in ids if pk in rows)
    # Without a point: no producer's point and no commune (rare; read through the commune index).
    nowhere = products.filter(unplaced_q(), commune__isnull=True).filter(
        Q(producer__isnull=True) | Q(producer__commune__isnull=True)
    )
    return items, page, page.paginator.count - nowhere.count()


def sales_point_features(view: View) -> dict:
    """The sales points of one view as GeoJSON points (never clusters: they are few), at most
    sales.selectors.MAX_MAP_POINTS; `truncated` says the box held more (zoom in). Each carries
    its kind, address, hours, contact and the names of the public products on sale there."""
    points, truncated = sales_points_in_box(view.west, view.south, view.east, view.north)
    stock = public_stock(p.pk for p in points)
    features = []
    for point in points:
        coordinates = [round(point.map_lng, 5), round(point.map_lat, 5)]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": coordinates},
                "properties": {
                    "kind": "sales_point",
                    "point_kind": point.get_kind_display(),
                    "name": point.name,
                    "url": f"{reverse('catalogue:sales_points')}#diem-{point.slug}",
                    "address": f"{point.address}, {point.commune}" if point.address else str(point.commune),
                    "hours": point.opening_hours,
                    "phone": point.phone,
                    "products": [p.name for p in stock.get(point.pk, [])[:10]],
                    "approximate": point.lat is None,
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "features": features,
        "bbox": [view.west, view.south, view.east, view.north],
        "total": len(features),
        "truncated": truncated,
        "limit": MAX_MAP_POINTS,
    }


API_PAGE_SIZE = MAX_POINTS  # the API's GeoJSON: at most this many features per answer


def feature_page(
    filters: ProductFilters, *, bbox: View | None = None, after: int = 0, limit: int = API_PAGE_SIZE
) -> tuple[list[MapItem], int | None]:
    """One page of the matching products as map points, for the API's GeoJSON: in id order from
    the first id above `after` (a keyset, so a page reads about `limit` rows of the id index
    whatever page it is), only those whose point is in `bbox` when one is given. Returns the
    items and the id to continue after (None on the last page). A product with no point at all
    (no producer's point, no commune) is passed over, so a page may hold fewer than `limit`."""
    products = filtered_products(filters)
    if bbox is not None:
        in_box = Q(
            producer__lat__gte=bbox.south,
            producer__lat__lte=bbox.north,
            producer__lng__gte=bbox.west,
            producer__lng__lte=bbox.east,
        )
        communes = list(_communes_in_view(bbox))
        if communes:  # the others at their commune's centre, else their producer's commune's
            in_box |= unplaced_q() & (
                Q(commune__in=communes) | Q(commune__isnull=True, producer__commune__in=communes)
            )
        products = products.filter(in_box)
    ids = list(products.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[: limit + 1])
    more = len(ids) > limit
    ids = ids[:limit]
    rows = {p.pk: p for p in map_related(Product.objects.filter(pk__in=ids))}
    items, _ = product_items(rows[pk] for pk in ids if pk in rows)
    items = [i for i in items if i.lat is not None and (bbox is None or bbox.holds(i.lat, i.lng))]
    return items, (ids[-1] if more else None)
