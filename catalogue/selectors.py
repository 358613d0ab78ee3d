"""Reads for the public portal. Only what the public may see: products that are not drafts,
producers that have such a product, and certificates by their public code."""

import datetime as dt
import functools
import operator
from dataclasses import dataclass, replace

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse

from areas.selectors import certified_area_q
from catalogue.search import folded_order, search_products, suggest_queries
from certificates.models import Certificate, CertificateStatus, product_certified_q
from core.channels import Platform
from core.text import fold
from geo.models import Commune, FormerDistrict
from producers.models import Producer, ProducerSalesLink
from products.models import Classification, Product, ProductPhoto, ProductSalesLink
from products.selectors import CURRENT_SCHEME

PAGE_SIZE = 24
SEARCH_COUNT_CAP = 1000  # a search counts its matches up to here ("more than 1,000")
# The catalogue page lists this many pages at most (2,400 products; a search: 42 by its count
# cap). A page's cost grows with its offset (page 5,000 at 200,000 products: 90-250 ms), no
# visitor reads that deep, and filters or a search reach any product in a few pages.
MAX_PAGES = 100
# Past this offset, a page counts the parts before it (ProductCards._ids).
COUNT_PARTS_PAST = MAX_PAGES * PAGE_SIZE
HOME_LIST_SIZE = 8
RELATED_SIZE = 4
MAP_LIST_SIZE = 200


class Sort:
    RELEVANCE = "relevance"
    NAME = "name"
    NEWEST = "newest"
    STARS = "stars"


@dataclass(frozen=True)
class ProductFilters:
    """Everything a visitor can narrow the catalogue or the map by; codes, not objects,
    because they come from the URL and go back into it."""

    q: str = ""
    stars: tuple[int, ...] = ()
    group: str = ""  # classification group code, "I"
    subgroup: str = ""  # nhóm "I.3" or leaf "I.3.b"
    commune: str = ""  # 5-digit commune code
    district: str = ""  # former district code
    channel: str = ""  # core.channels.Platform value
    area: str = ""  # areas.selectors.AreaCertificationFilter: certified raw-material area
    valid_only: bool = False
    # valid_only by the catalogue's default (the visitor did not ask): not counted as a filter.
    valid_default: bool = False
    sort: str = Sort.RELEVANCE

    @property
    def active_count(self) -> int:
        """How many filters (not the query, not the order, not the default) are set."""
        return sum(
            bool(v)
            for v in (
                self.stars,
                self.group,
                self.subgroup,
                self.commune,
                self.district,
                self.channel,
                self.area,
                self.valid_only and not self.valid_default,
            )
        )


def _current_certificates() -> Prefetch:
    return Prefetch(
        "certificates", queryset=Certificate.objects.filter(is_current=True), to_attr="current_certificates"
    )


def with_card_data(qs: QuerySet[Product]) -> QuerySet[Product]:
    """What a product card shows, in a fixed number of queries whatever the page size:
    product.photo_list and product.current_certificates (a list of at most one)."""
    return qs.select_related(
        "producer", "producer__commune", "commune", "category", "category__group"
    ).prefetch_related(
        Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "id"), to_attr="photo_list"),
        _current_certificates(),
    )


def _certified_first():
    """The star while certified today, else 0 (the STARS order over all products)."""
    return Case(
        When(product_certified_q(), then="current_stars"), default=Value(0), output_field=IntegerField()
    )


def _ids(qs: QuerySet) -> list[int]:
    return list(qs.values_list("pk", flat=True))


# Above this many ids a literal list is no longer cheap, and SQLite refuses a statement of more
# than 32,766 parameters: the ids stay a subquery.
LITERAL_IDS_MAX = 5000


def _few_ids(values: QuerySet):
    """The single-column `values` as a set of literals when they are few, else the subquery."""
    found = [pk for (pk,) in values[: LITERAL_IDS_MAX + 1]]
    return values if len(found) > LITERAL_IDS_MAX else set(found)


def _in_communes(communes: list[int], *, checked: bool = False) -> Q:
    return functools.reduce(operator.or_, _in_communes_branches(communes, checked=checked))


def _in_communes_branches(communes: list[int], *, checked: bool = False) -> tuple[Q, Q]:
    # A product without its own commune is where its producer is. Subqueries rather than a join
    # on the producer: the database reads the catalogue's order from an index and checks each
    # row against the (hashed) lists. checked: each row checked on its own (the few rows an
    # order index gives: no list of a district's 21,000 producers built first).
    if checked:
        producer = Producer.objects.filter(pk=OuterRef("producer_id"), commune__in=communes)
        return Q(commune__in=communes), Q(commune__isnull=True) & Q(Exists(producer))
    return Q(commune__in=communes), Q(
        commune__isnull=True, producer__in=Producer.objects.filter(commune__in=communes).values("pk")
    )


@dataclass(frozen=True)
class _Condition:
    find: Q  # as the filter's index may find the rows
    check: Q | Func  # checked on the rows an order index gives (_Checked)
    # The orders that an index on this filter holds: there the filter always finds the rows.
    orders: tuple[str, ...] = ()
    # Disjoint conditions that together are `find`, each counted from its own index (an OR
    # is counted through a bitmap of table rows on PostgreSQL: a district, 48 ms against 2).
    branches: tuple[Q, ...] = ()


def _filter_conditions(filters: ProductFilters) -> dict[str, _Condition]:
    """filter_products' conditions by filter, for those set."""
    conditions = {}

    def add(name: str, find: Q, check: Q | Func | None = None, **more) -> None:
        if find:  # an unknown area filters nothing
            conditions[name] = _Condition(find, _Checked(find) if check is None else check, **more)

    if filters.stars:
        # The star of the current certificate, expired or not; a revoked one has no star left.
        add("stars", Q(current_stars__in=filters.stars), orders=(Sort.STARS,))  # the index's prefix
    if filters.valid_only:
        add("valid", product_certified_q())
    # The codes are read as lists of ids first (a query on a small table each): with literal
    # values the planner knows how many products match, where a subquery made PostgreSQL guess
    # one node and walk a group's 7,600 products (17,000) to sort them.
    if filters.group:
        add("group", Q(category__in=_ids(Classification.objects.filter(group__code=filters.group))))
    if filters.subgroup:
        nodes = Classification.objects.filter(Q(code=filters.subgroup) | Q(parent__code=filters.subgroup))
        categories = _ids(nodes)
        # A leaf's names are alike ("Mật ong …"): bunched along the name order, where a walk
        # read 258 ms (I.3.c, loaded); the related products' index (category, name) holds it.
        add("subgroup", Q(category__in=categories), orders=(Sort.NAME,) if len(categories) == 1 else ())
    for name, communes in (
        ("commune", Commune.objects.filter(code=filters.commune) if filters.commune else None),
        (
            "district",
            Commune.objects.filter(former_districts__code=filters.district) if filters.district else None,
        ),
    ):
        if communes is not None:
            ids = _ids(communes)
            branches = _in_communes_branches(ids)
            add(name, _in_communes(ids), _Checked(_in_communes(ids, checked=True)), branches=branches)
    if filters.area:
        add("area", certified_area_q(filters.area))
    if filters.channel:
        # The link tables are small: their ids as lists, so that the database reads the few
        # products from the primary key and producer indexes instead of checking every product
        # (Exists per product: 1.2 s at 200,000 products when none has the channel).
        product_ids = ProductSalesLink.objects.filter(platform=filters.channel).values_list("product_id")
        producer_ids = ProducerSalesLink.objects.filter(platform=filters.channel).values_list("producer_id")
        add("channel", Q(pk__in=_few_ids(product_ids)) | Q(producer__in=_few_ids(producer_ids)))
    return conditions


def filter_products(qs: QuerySet[Product], filters: ProductFilters) -> QuerySet[Product]:
    """The filters on the figures the certificate services keep on the product
    (Product.current_stars, valid_until: certificates.services.product_figures_refresh) and on
    lists of ids, so that every filter combines with an order read from an index."""
    return qs.filter(*(c.find for c in _filter_conditions(filters).values()))


class _Checked(Func):
    """A filter checked on the rows an order index gives, not used to find them. On SQLite,
    likely(+(condition)): the unary plus keeps its planner, which has no statistics, from reading
    every match through the filter's index and sorting them (group I, half the catalogue: 196 ms
    at 200,000 products), and likely() says most rows pass. Elsewhere the bare condition:
    PostgreSQL's statistics make that choice."""

    template = "likely(+(%(expressions)s))"
    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        if connection.vendor == "sqlite":
            return super().as_sql(compiler, connection, **extra_context)
        return compiler.compile(self.source_expressions[0])


def _sort_of(filters: ProductFilters) -> str:
    if filters.sort == Sort.RELEVANCE and not filters.q:
        return Sort.STARS
    return filters.sort


@dataclass
class _Parts:
    matches: QuerySet[Product]  # every match, unordered
    ordered: list[QuerySet[Product]]  # the matches as consecutive ordered parts
    # The rows of each part, then of all matches, as querysets whose counts add up to theirs
    # (_Condition.branches), unordered, as the count indexes hold them.
    counted: list[list[QuerySet[Product]]]
    counted_matches: list[QuerySet[Product]]


def _ordered_parts(
    filters: ProductFilters, conditions: dict[str, _Condition] | None = None, *, checked: bool = False
) -> _Parts:
    """The matches and their order. Each part's order is an index's
    (catalogue.search_index.CATALOGUE_ORDER_INDEXES), so a page reads its ids from the index
    instead of sorting every match. "Highest valid star first" over all products is two parts:
    the products certified today by star, then the others by name. checked: the filters as
    checks on the rows the order index gives (for when they match a large share of the
    catalogue; ProductCards), but where an index on the filter holds the order (_Condition)."""
    sort = _sort_of(filters)
    conditions = _filter_conditions(filters) if conditions is None else conditions
    wrap = _Checked if checked else (lambda condition: condition)

    def select(split: _Condition | None = None, branch: Q | None = None):
        """(the matches, their ordered parts, the parts unordered), with `branch` for `split`."""
        qs = Product.objects.public().filter(
            *(
                branch if c is split else c.check if checked and sort not in c.orders else c.find
                for c in conditions.values()
            )
        )
        if filters.q:
            qs = search_products(filters.q, qs)  # ordered by relevance
        if sort == Sort.NAME:
            parts = [qs.order_by(folded_order(), "pk")]
        elif sort == Sort.NEWEST:
            parts = [qs.order_by("-created_at", "-pk")]
        elif sort == Sort.STARS:
            certified = qs.filter(wrap(product_certified_q()))
            # current_stars is set whenever valid_until is; saying so lets PostgreSQL start its
            # index scan after the NULLs (first in a DESC index there) instead of reading past
            # them. Not in the count: the count indexes do not hold current_stars (508 ms
            # loaded on SQLite).
            parts = [
                certified.filter(current_stars__isnull=False).order_by(
                    F("current_stars").desc(), folded_order(), "pk"
                )
            ]
            counted = [certified.order_by()]
            if not filters.valid_only:
                others = qs.exclude(product_certified_q())
                parts.append(others.order_by(folded_order(), "pk"))
                counted.append(others.order_by())
            return qs.order_by(), parts, counted
        else:
            parts = [qs]
        return qs.order_by(), parts, [part.order_by() for part in parts]

    matches, ordered, counted = select()
    split = next((c for c in conditions.values() if c.branches), None)
    if split is None or checked:
        return _Parts(matches, ordered, [[part] for part in counted], [matches])
    branches = [select(split, branch) for branch in split.branches]
    return _Parts(
        matches,
        ordered,
        [[b[2][i] for b in branches] for i in range(len(counted))],
        [b[0] for b in branches],
    )


def _ordered_products(filters: ProductFilters) -> QuerySet[Product]:
    """The catalogue's matches in its order as one queryset (the parts of _ordered_parts in one
    ORDER BY: the same rows in the same order, but the database sorts every match)."""
    parts = _ordered_parts(filters)
    if len(parts.ordered) == 1:
        return parts.ordered[0]
    return parts.matches.order_by(_certified_first().desc(), folded_order(), "pk")


def catalogue_products(filters: ProductFilters) -> QuerySet[Product]:
    """The catalogue's products in its order, with their card data (a plain queryset)."""
    return with_card_data(_ordered_products(filters))


def _count_sum(querysets: list[QuerySet[Product]], cap: int | None = None) -> int:
    """The sum of the querysets' counts in one query (each counted up to cap + 1, and so the sum)."""
    counts = []
    for qs in querysets:
        matches = qs.order_by().values("pk")
        counts.append(matches if cap is None else matches[: cap + 1])  # COUNT over a LIMIT subquery
    if len(counts) == 1:
        return counts[0].count()
    parts = []
    for qs in counts:
        try:
            parts.append(qs.query.sql_with_params())
        except EmptyResultSet:  # a condition that can match nothing (an empty list of ids)
            continue
    if not parts:
        return 0
    sql = " + ".join(f"(SELECT COUNT(*) FROM ({part}) AS branch_{i})" for i, (part, _) in enumerate(parts))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", [param for _, params in parts for param in params])
        total = cursor.fetchone()[0]
    return total if cap is None else min(total, cap + 1)


class ProductCards:
    """The catalogue's results as django.core.paginator.Paginator takes them.

    A page is read in two steps: the page's ids in the catalogue's order (from an index: see
    _ordered_parts; across the parts, each part's size is counted when the page starts past
    it), then the cards of those ids. count() counts the matches without ordering; with count_cap
    it reads at most count_cap + 1 ids, so a search word matching half the catalogue costs no full
    count (the page says "more than …").

    When the matches are many, the ids are read with the filters as checks on the rows the order
    index gives (checked: the same parts so built): walking the order index finds a page after
    reading about (offset + page) × catalogue / matches rows, where the filters' indexes read
    every match to sort them. The figures are the count, which the paginator reads first anyway,
    and the largest product id, which stands for the catalogue's size (one read at the index's
    end)."""

    ordered = True  # what Paginator checks (QuerySet.ordered)

    def __init__(self, parts: _Parts, *, count_cap: int | None = None, checked: _Parts | None = None):
        self.queryset = parts.matches
        self.parts = parts.ordered
        self.checked_parts = checked.ordered if checked else None
        self.counted = parts.counted
        self.counted_matches = parts.counted_matches
        self.count_cap = count_cap
        self._count: int | None = None
        self._sizes: dict[int, int] = {}

    def count(self) -> int:
        if self._count is None:
            self._count = _count_sum(self.counted_matches, self.count_cap)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def _size(self, i: int) -> int:
        if i not in self._sizes:
            self._sizes[i] = _count_sum(self.counted[i])
        return self._sizes[i]

    def _walks(self, stop: int) -> bool:
        """Whether walking the order index reads fewer rows than the matches are."""
        if self.checked_parts is None or connection.vendor != "sqlite":
            return False  # PostgreSQL's statistics choose as well
        if self.count_cap is not None:
            # A search: its word index is the driver, and its matches (capped) are few to sort.
            # Decided before counting, so that a search's queries do not vary with the data.
            return False
        matches = self.count()
        if matches < stop:
            return False  # the catalogue holds at least the matches: no need to read its size
        size = Product.objects.aggregate(n=Max("pk"))["n"] or 0
        return stop * size <= matches * matches

    def _ids(self, start: int, stop: int) -> list[int]:
        ids: list[int] = []
        parts = self.checked_parts if self._walks(stop) else self.parts
        for i, part in enumerate(parts):
            if stop <= start:
                break
            # A page past the start of a part that is not the last: is it past the part's end?
            # Deep in the list, the part's count says so (cheaper than walking the whole part);
            # within the pages listed, reading the page does (no count when the part goes on).
            ahead = start and i < len(parts) - 1
            if ahead and start > COUNT_PARTS_PAST and start >= self._size(i):
                start, stop = start - self._size(i), stop - self._size(i)
                continue
            found = list(part.values_list("pk", flat=True)[start:stop])
            if ahead and not found:
                start, stop = start - self._size(i), stop - self._size(i)
                continue
            ids += found
            # The next part goes on where this one ended.
            start, stop = 0, stop - start - len(found)
        return ids

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        if index.step not in (None, 1) or (index.start or 0) < 0 or index.stop is None or index.stop < 0:
            raise ValueError("ProductCards takes forward slices with a start and a stop")
        ids = self._ids(index.start or 0, index.stop)
        cards = {p.pk: p for p in with_card_data(Product.objects.filter(pk__in=ids))}
        return [cards[pk] for pk in ids if pk in cards]


def catalogue_results(filters: ProductFilters, *, count_cap: int | None = None) -> ProductCards:
    """The catalogue's products for a paginator, in catalogue_products()'s order; count_cap
    applies to searches only (see ProductCards)."""
    conditions = _filter_conditions(filters)
    return ProductCards(
        _ordered_parts(filters, conditions),
        count_cap=count_cap if filters.q else None,
        checked=_ordered_parts(filters, conditions, checked=True),
    )


@dataclass
class NoMatch:
    """What a search that found nothing offers instead of an empty page."""

    suggestions: list[str]  # queries that do find products with the same filters
    related: list[Product]  # the first products of the first suggestion, else of the filters alone


def no_match_help(filters: ProductFilters, limit: int = RELATED_SIZE * 2) -> NoMatch:
    """For a search with no result: the closest queries from the search vocabulary that find
    something under the same filters, and products to show (those of the first suggestion, else
    the catalogue's first products under the filters without the query)."""
    suggestions = [
        phrase
        for phrase in suggest_queries(filters.q)
        if _ordered_products(replace(filters, q=phrase)).exists()
    ]
    fallback = replace(filters, q=suggestions[0] if suggestions else "")
    ids = list(_ordered_products(fallback).values_list("pk", flat=True)[:limit])
    cards = {p.pk: p for p in with_card_data(Product.objects.filter(pk__in=ids))}
    return NoMatch(suggestions, [cards[pk] for pk in ids if pk in cards])


# Home page


@dataclass
class HeadlineFigures:
    """The home page's figures, computed once (headline_figures) and used wherever the page
    states them, so that no two of them disagree: all are about the public products whose
    certificate is valid today."""

    by_star: dict[int, int]
    producers: int
    communes: int

    @property
    def total(self) -> int:
        return sum(self.by_star.values())


def headline_figures() -> HeadlineFigures:
    """Products whose current certificate is valid today, by star; their producers and communes
    (a product's own commune, else its producer's)."""
    valid = Certificate.objects.valid().of_public_products().order_by()
    by_star = dict(valid.values_list("stars").annotate(n=Count("product_id", distinct=True)))
    producers = valid.exclude(product__producer_id=None).values("product__producer_id").distinct().count()
    communes = (
        valid.annotate(where=Coalesce("product__commune_id", "product__producer__commune_id"))
        .exclude(where=None)
        .values("where")
        .distinct()
        .count()
    )
    return HeadlineFigures({s: by_star.get(s, 0) for s in (3, 4, 5)}, producers, communes)


def featured_products(limit: int = HOME_LIST_SIZE) -> list[Product]:
    """4★ and 5★ products with a valid certificate, the most recently certified first."""
    valid = Certificate.objects.valid().filter(product=OuterRef("pk"))
    qs = (
        Product.objects.public()
        .filter(product_certified_q(), current_stars__gte=4)
        .annotate(certified_on=Subquery(valid.values("issued_on")[:1]))
        .order_by("-certified_on", "-pk")
    )
    return list(with_card_data(qs)[:limit])


def newest_products(limit: int = HOME_LIST_SIZE) -> list[Product]:
    """The newest products whose certificate is valid today (the home page shows no lapsed one)."""
    qs = Product.objects.public().filter(product_certified_q()).order_by("-created_at", "-pk")
    return list(with_card_data(qs)[:limit])


# Product and producer pages


def public_product(slug: str) -> Product:
    """The product page's product; drafts do not exist for the public."""
    try:
        return (
            Product.objects.public()
            .select_related("producer", "producer__commune", "commune", "category", "category__group")
            .prefetch_related(
                Prefetch(
                    "photos", queryset=ProductPhoto.objects.order_by("position", "id"), to_attr="photo_list"
                ),
                "sales_links",
                "producer__sales_links",
                "ip_rights",
                Prefetch(
                    "certificates",
                    queryset=Certificate.objects.filter(is_current=True).select_related("decision"),
                    to_attr="current_certificates",
                ),
            )
            .get(slug=slug)
        )
    except Product.DoesNotExist:
        raise Http404("product") from None


def current_certificate(product: Product) -> Certificate | None:
    """From the prefetched list of with_card_data() / public_product()."""
    certificates = getattr(product, "current_certificates", None)
    if certificates is None:
        return product.certificates.filter(is_current=True).first()
    return certificates[0] if certificates else None


@dataclass(frozen=True)
class Contact:
    phone: str  # as the producer gave it
    phone_link: str  # "tel:+84…"-ready digits
    zalo_url: str
    zalo_number: str  # the number in a zalo.me/<number> link, else ""

    def __bool__(self) -> bool:
        return bool(self.phone or self.zalo_url)


def product_contact(product: Product) -> Contact:
    """The producer's phone and the Zalo link of the product or its producer (from the sales
    links prefetched by public_product())."""
    producer = product.producer
    phone = producer.phone.strip() if producer else ""
    links = list(product.sales_links.all()) + (list(producer.sales_links.all()) if producer else [])
    zalo = next((link.url for link in links if link.platform == Platform.ZALO_OA and link.url), "")
    tail = zalo.rstrip("/").rsplit("/", 1)[-1] if zalo else ""
    return Contact(
        phone=phone,
        phone_link="".join(c for c in phone if c.isdigit() or c == "+"),
        zalo_url=zalo,
        zalo_number=tail if tail.isdigit() and len(tail) >= 9 else "",
    )


def product_place(product: Product) -> Commune | None:
    return product.commune or (product.producer.commune if product.producer else None)


def related_products(product: Product, limit: int = RELATED_SIZE) -> list[Product]:
    """Same sub-group first, then same commune; each by the folded name, then id.

    One query whatever the catalogue's size: the candidates are the first `limit` products of
    the sub-group and of the commune (its own products, and those placed by their producer),
    each read from an index in that very order (catalogue.search_index.RELATED_INDEXES), and
    only those few are sorted (a sub-group with fewer than `limit` products leaves room for as
    many of the commune's, and the commune's first `limit` include them). The same rows as
    filtering on "sub-group or commune" and sorting every match, which cost 44 ms at 200,000
    products (tested against it)."""
    place = product_place(product)
    others = Product.objects.public().exclude(pk=product.pk).order_by(folded_order(), "pk")
    firsts = []
    if product.category_id:
        firsts.append(others.filter(category_id=product.category_id))
    if place is not None:
        firsts.append(others.filter(commune=place))
        firsts.append(others.filter(commune__isnull=True, producer__commune=place))
    if not firsts:
        return []
    # UNION ALL of the sliced subqueries (Django's union() cannot slice them on SQLite; an OR of
    # "pk IN (…)" makes PostgreSQL scan the whole table against the three lists).
    parts = [qs.values("pk")[:limit].query.sql_with_params() for qs in firsts]
    candidates = RawSQL(
        " UNION ALL ".join(f"SELECT * FROM ({sql}) AS first_{i}" for i, (sql, _) in enumerate(parts)),
        [param for _, params in parts for param in params],
    )
    qs = (
        Product.objects.filter(pk__in=candidates)
        .annotate(
            same_subgroup=Case(
                When(category_id=product.category_id, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("same_subgroup", folded_order(), "pk")
    )
    return list(with_card_data(qs)[:limit])


def public_producer(slug: str) -> Producer:
    """A producer is public once one of its products is."""
    try:
        return (
            Producer.objects.select_related("commune")
            .prefetch_related("sales_links")
            .filter(Exists(Product.objects.public().filter(producer=OuterRef("pk"))))
            .get(slug=slug)
        )
    except Producer.DoesNotExist:
        raise Http404("producer") from None


def producer_products(producer: Producer) -> list[Product]:
    return list(
        with_card_data(Product.objects.public().filter(producer=producer).order_by(folded_order(), "pk"))
    )


# Map


@dataclass
class MapItem:
    kind: str  # "product" or "producer"
    name: str
    url: str
    stars: int | None
    status: str  # a CertificateStatus value, or "none"
    group: str
    commune: str
    producer: str
    lat: float | None
    lng: float | None


def first_point(*places) -> tuple[float, float] | None:
    """The first place that has both coordinates."""
    for place in places:
        if place is not None and place.lat is not None and place.lng is not None:
            return float(place.lat), float(place.lng)
    return None


def product_items(products) -> tuple[list[MapItem], dict[int, MapItem]]:
    """MapItems of the given products (loaded with map_related) and of their producers, the
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


def map_related(qs: QuerySet[Product]) -> QuerySet[Product]:
    return qs.select_related("producer", "producer__commune", "commune", "category__group").prefetch_related(
        _current_certificates()
    )


def map_items(filters: ProductFilters, *, kind: str = "") -> list[MapItem]:
    """Products (and the producers of those products) for the map and its GeoJSON, in two
    queries. Products have no point of their own: they sit at the producer's point, else at
    the centre of their commune (or the producer's)."""
    qs = filter_products(Product.objects.public(), filters)
    qs = search_products(filters.q, qs) if filters.q else qs.order_by(folded_order(), "pk")
    products, producers = product_items(map_related(qs))
    if kind == "product":
        return products
    if kind == "producer":
        return list(producers.values())
    return products + list(producers.values())


# Filter choices


def classification_nodes():
    """Groups and the nodes under them (nhóm and leaves) of the scheme in force, in order."""
    return list(
        Classification.objects.filter(scheme=CURRENT_SCHEME)
        .select_related("group")
        .order_by("position", "pk")
    )


def commune_choices() -> list[Commune]:
    # Vietnamese order puts Đình Lập among the D's, which no database collation does.
    return sorted(Commune.objects.all(), key=lambda c: (fold(c.name), c.code))


def former_district_choices() -> list[FormerDistrict]:
    return sorted(FormerDistrict.objects.all(), key=lambda d: (fold(d.name), d.code))


# Verification


MAX_CODE_LENGTH = 32


def certificate_by_code(code: str) -> Certificate | None:
    """Codes are printed in capitals; people type them in any case."""
    code = (code or "").strip().upper()
    if not code or len(code) > MAX_CODE_LENGTH:
        return None
    return (
        Certificate.objects.select_related(
            "product",
            "product__producer",
            "product__commune",
            "product__producer__commune",
            "decision",
            "revocation_decision",
        )
        .filter(public_code=code)
        .first()
    )


def issuing_decision(certificate: Certificate) -> tuple[str, dt.date | None]:
    """(number, date) of the recognition decision: the recorded Decision when there is one,
    else the text kept for certificates issued before the system."""
    if certificate.decision_id:
        return certificate.decision.number, certificate.decision.signed_on
    return certificate.decision_number, certificate.decision_date


def current_certificate_of_product(certificate: Certificate) -> Certificate | None:
    """For a superseded certificate: the product's certificate in force now."""
    if certificate.is_current:
        return certificate
    return Certificate.objects.filter(product_id=certificate.product_id, is_current=True).first()
