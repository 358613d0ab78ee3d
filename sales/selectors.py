"""Reads of sales figures. Every aggregate runs a fixed number of queries, whatever the data."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.roles import commune_ids
from core.text import fold_words
from geo.models import Commune
from producers.models import Producer
from producers.selectors import producers_visible_to, search_filter
from products.models import Product, ProductStatus, public_q
from sales.models import Channel, SalesPoint, SalesPointProduct, SalesRecord
from sales.months import add_months, last_months, month_start, this_month


@dataclass
class Figure:
    """One row of an aggregate table: a channel, a product group, a commune, a month, a product."""

    key: object
    label: str
    units: int = 0
    revenue: int = 0
    share: float = 0.0  # per cent of the revenue of the table

    def add(self, units, revenue):
        self.units += units or 0
        self.revenue += revenue or 0


@dataclass
class SalesSummary:
    year: int
    units: int = 0
    revenue: int = 0
    records: int = 0
    producers: int = 0
    products: int = 0
    by_channel: list[Figure] = field(default_factory=list)
    by_group: list[Figure] = field(default_factory=list)
    by_commune: list[Figure] = field(default_factory=list)
    by_month: list[Figure] = field(default_factory=list)


@dataclass
class ProducerTrend:
    months: list[dt.date]
    units: int = 0
    revenue: int = 0
    by_month: list[Figure] = field(default_factory=list)
    by_channel: list[Figure] = field(default_factory=list)
    by_product: list[Figure] = field(default_factory=list)
    # channel -> month -> revenue, for the month × channel table
    matrix: dict = field(default_factory=dict)


def _sums():
    return {"units_sum": Sum("units"), "revenue_sum": Sum("revenue")}


def _shares(rows: list[Figure]) -> list[Figure]:
    total = sum(r.revenue for r in rows)
    for row in rows:
        row.share = round(100 * row.revenue / total, 1) if total else 0.0
    return rows


def _commune_ids(communes) -> list[int] | None:
    if communes is None:
        return None
    return [c if isinstance(c, int) else c.pk for c in communes]


def year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 1)


def records_in(start: dt.date, end: dt.date, communes=None) -> QuerySet[SalesRecord]:
    """Records of the months start..end (inclusive); `communes` (ids or Commune objects) narrows
    them to products made there (the product's commune, else its producer's)."""
    qs = SalesRecord.objects.filter(month__gte=month_start(start), month__lte=month_start(end))
    qs = qs.annotate(
        place=Coalesce("product__commune_id", "product__producer__commune_id", output_field=BigIntegerField())
    )
    ids = _commune_ids(communes)
    if ids is not None:
        qs = qs.filter(place__in=ids)
    return qs


def user_communes(user):
    """None for the whole province; a commune officer's communes otherwise."""
    if getattr(user, "role", None) == Role.COMMUNE_OFFICER and not user.is_superuser:
        return sorted(commune_ids(user))
    return None


def province_sales_summary(year: int, communes=None) -> SalesSummary:
    """Units and revenue of `year` by channel, product group, commune and month (6 queries).
    `communes`: None for the whole province, or the communes (ids or objects) to count."""
    start, end = year_range(year)
    qs = records_in(start, end, communes)
    summary = SalesSummary(year=year)
    totals = qs.aggregate(
        **_sums(),
        n=Count("id"),
        producers_n=Count("product__producer", distinct=True),
        products_n=Count("product", distinct=True),
    )
    summary.units = totals["units_sum"] or 0
    summary.revenue = totals["revenue_sum"] or 0
    summary.records, summary.producers, summary.products = (
        totals["n"],
        totals["producers_n"],
        totals["products_n"],
    )

    labels = dict(Channel.choices)
    summary.by_channel = _shares(
        sorted(
            (
                Figure(
                    r["channel"],
                    str(labels.get(r["channel"], r["channel"])),
                    r["units_sum"],
                    r["revenue_sum"],
                )
                for r in qs.values("channel").annotate(**_sums()).order_by()
            ),
            key=lambda f: (-f.revenue, f.label),
        )
    )

    english = get_language() == "en"
    groups = []
    for r in (
        qs.values(
            "product__category__group__code",
            "product__category__group__name_vi",
            "product__category__group__name_en",
        )
        .annotate(**_sums())
        .order_by()
    ):
        code = r["product__category__group__code"]
        name = (english and r["product__category__group__name_en"]) or r["product__category__group__name_vi"]
        label = f"{code}. {name}" if code else _("Chưa phân loại")
        groups.append(Figure(code or "", label, r["units_sum"], r["revenue_sum"]))
    summary.by_group = _shares(sorted(groups, key=lambda f: (-f.revenue, f.label)))

    rows = list(qs.values("place").annotate(**_sums()).order_by())
    names = Commune.objects.in_bulk([r["place"] for r in rows if r["place"]])
    communes_rows = [
        Figure(
            r["place"],
            str(names[r["place"]]) if r["place"] in names else _("Chưa xác định xã/phường"),
            r["units_sum"],
            r["revenue_sum"],
        )
        for r in rows
    ]
    summary.by_commune = _shares(sorted(communes_rows, key=lambda f: (-f.revenue, f.label)))

    months = {
        r["month"]: r for r in qs.values("month").annotate(**_sums()).order_by()
    }  # one row per month with data
    summary.by_month = []
    for n in range(12):
        month = dt.date(year, n + 1, 1)
        row = months.get(month)
        summary.by_month.append(
            Figure(month, f"{month:%m/%Y}", row["units_sum"] if row else 0, row["revenue_sum"] if row else 0)
        )
    _shares(summary.by_month)
    return summary


def sales_years() -> list[int]:
    """Years with figures, newest first, this year always included."""
    years = {d.year for d in SalesRecord.objects.dates("month", "year")}
    years.add(this_month().year)
    return sorted(years, reverse=True)


def producer_trend(producer: Producer, *, months: list[dt.date] | None = None) -> ProducerTrend:
    """A producer's figures by month (zero-filled), channel and product over `months`
    (the last 12 by default): 2 queries."""
    months = months or last_months(12)
    trend = ProducerTrend(months=months)
    qs = SalesRecord.objects.filter(product__producer=producer, month__gte=months[0], month__lte=months[-1])
    by_month = {m: Figure(m, f"{m:%m/%Y}") for m in months}
    labels = dict(Channel.choices)
    by_channel: dict[str, Figure] = {}
    matrix: dict[str, dict] = {}
    for r in qs.values("month", "channel").annotate(**_sums()).order_by():
        by_month[r["month"]].add(r["units_sum"], r["revenue_sum"])
        by_channel.setdefault(r["channel"], Figure(r["channel"], str(labels.get(r["channel"], r["channel"]))))
        by_channel[r["channel"]].add(r["units_sum"], r["revenue_sum"])
        matrix.setdefault(r["channel"], {})[r["month"]] = r["revenue_sum"]
    trend.by_month = _shares(list(by_month.values()))
    trend.by_channel = _shares(sorted(by_channel.values(), key=lambda f: (-f.revenue, f.label)))
    trend.matrix = {ch.key: [matrix.get(ch.key, {}).get(m, 0) for m in months] for ch in trend.by_channel}
    trend.units = sum(f.units for f in trend.by_month)
    trend.revenue = sum(f.revenue for f in trend.by_month)
    trend.by_product = _shares(
        sorted(
            (
                Figure(r["product_id"], r["product__name"], r["units_sum"], r["revenue_sum"])
                for r in qs.values("product_id", "product__name").annotate(**_sums()).order_by()
            ),
            key=lambda f: (-f.revenue, f.label),
        )
    )
    return trend


def month_entry(producer: Producer, month: dt.date) -> tuple[list[Product], dict]:
    """The products shown on the month form (not retired, or with figures that month) and the
    saved records by (product_id, channel): 2 queries."""
    month = month_start(month)
    records = {
        (r.product_id, r.channel): r
        for r in SalesRecord.objects.filter(product__producer=producer, month=month)
    }
    with_figures = {pid for pid, _channel in records}
    products = [
        p
        for p in Product.objects.filter(producer=producer).order_by("name", "pk")
        if p.status != ProductStatus.RETIRED or p.pk in with_figures
    ]
    return products, records


def producer_sales_list(
    user, *, q: str = "", commune=None, year: int | None = None, figures: bool = True
) -> QuerySet[Producer]:
    """Producers the user may enter figures for, with the year's revenue and the latest month
    entered: one query per page. figures=False: the same producers in the same order, without
    the figures (their GROUP BY), e.g. for the ids of a page (core.web.paginate_ids)."""
    year = year or this_month().year
    start, end = year_range(year)
    in_year = Q(products__sales_records__month__gte=start, products__sales_records__month__lte=end)
    qs = producers_visible_to(user).select_related("commune")
    if q:
        qs = search_filter(qs, q)
    if commune:
        qs = qs.filter(commune=commune)
    if not figures:
        return qs.order_by("name", "pk")
    return qs.annotate(
        year_revenue=Sum("products__sales_records__revenue", filter=in_year),
        last_month=Max("products__sales_records__month"),
        product_count=Count("products", distinct=True),
    ).order_by("name", "pk")


def previous_and_next(month: dt.date) -> tuple[dt.date, dt.date | None]:
    following = add_months(month, 1)
    return add_months(month, -1), (following if following <= this_month() else None)


# Where to buy: sales points (issue 17 point 2) -----------------------------------------------------

# The map's layer of sales points answers at most this many points for one view (a box): the
# points are few (tens in a province), so a bounded list is enough, never clusters.
MAX_MAP_POINTS = 500


def public_sales_points() -> QuerySet[SalesPoint]:
    return SalesPoint.objects.filter(is_published=True)


def public_stock(point_ids) -> dict[int, list[Product]]:
    """The public products on sale at each point (one query)."""
    rows = (
        SalesPointProduct.objects.filter(point_id__in=list(point_ids))
        .filter(public_q("product__"))
        .select_related("product")
        .order_by("product__name", "product_id")
    )
    stock: dict[int, list[Product]] = {}
    for row in rows:
        stock.setdefault(row.point_id, []).append(row.product)
    return stock


def public_sales_point_list(*, q: str = "", commune=None) -> QuerySet[SalesPoint]:
    """Published points, searchable by name/address (folded) and by commune."""
    qs = public_sales_points().select_related("commune")
    if commune:
        qs = qs.filter(commune=commune)
    for word in fold_words(q).split()[:8]:
        qs = qs.filter(search_text__contains=word)
    return qs.order_by("commune__name", "name", "pk")


def sales_points_for_product(product: Product) -> list[SalesPoint]:
    """Published points stocking the product (one query)."""
    return list(
        public_sales_points().filter(stock__product=product).select_related("commune").order_by("name", "pk")
    )


def sales_points_for_producer(producer: Producer) -> list[SalesPoint]:
    """Published points stocking one of the producer's public products, or run by the producer,
    each once with the producer's products on sale there (two queries)."""
    products = Product.objects.public().filter(producer=producer)
    points = list(
        public_sales_points()
        .filter(Q(stock__product__in=products) | Q(owner=producer))
        .distinct()
        .select_related("commune")
        .order_by("name", "pk")
    )
    rows = (
        SalesPointProduct.objects.filter(point__in=[p.pk for p in points], product__in=products)
        .select_related("product")
        .order_by("product__name", "product_id")
    )
    stock: dict[int, list[Product]] = {}
    for row in rows:
        stock.setdefault(row.point_id, []).append(row.product)
    for point in points:
        point.producer_products = stock.get(point.pk, [])
    return points


def sales_points_in_box(west: float, south: float, east: float, north: float, *, limit: int = MAX_MAP_POINTS):
    """Published points in the box: at their own point, else at their commune's centre; at most
    `limit` (nearest the box's centre first is not needed: the points are few; by name). Returns
    (points with .map_lat/.map_lng, whether the list was cut)."""
    in_box = Q(lat__gte=south, lat__lte=north, lng__gte=west, lng__lte=east)
    at_commune = Q(lat__isnull=True) & Q(
        commune__lat__gte=south, commune__lat__lte=north, commune__lng__gte=west, commune__lng__lte=east
    )
    rows = list(
        public_sales_points()
        .filter(in_box | at_commune)
        .select_related("commune")
        .order_by("name", "pk")[: limit + 1]
    )
    for point in rows:
        lat, lng = (point.lat, point.lng) if point.lat is not None else (point.commune.lat, point.commune.lng)
        point.map_lat, point.map_lng = float(lat), float(lng)
    return rows[:limit], len(rows) > limit


def sales_points_visible_to(user) -> QuerySet[SalesPoint]:
    """The back-office list: the office and commune officers every point; a producer account the
    published points and its own."""
    qs = SalesPoint.objects.select_related("commune", "owner")
    if getattr(user, "role", None) == Role.PRODUCER and not user.is_superuser:
        qs = qs.filter(Q(is_published=True) | Q(owner_id=user.producer_id))
    return qs


def sales_point_list(user, *, q: str = "", commune=None) -> QuerySet[SalesPoint]:
    qs = sales_points_visible_to(user).annotate(product_count=Count("stock", distinct=True))
    if commune:
        qs = qs.filter(commune=commune)
    for word in fold_words(q).split()[:8]:
        qs = qs.filter(search_text__contains=word)
    return qs.order_by("name", "pk")
