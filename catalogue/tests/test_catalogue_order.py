"""The catalogue read from the product's certificate figures (catalogue.selectors._ordered_parts,
ProductCards) lists the same products in the same order as the rule written from the certificates
(valid_q, the current certificate's star), page after page, for every order and every filter."""

import itertools

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogue.search import search_products
from catalogue.selectors import ProductCards, ProductFilters, Sort, catalogue_products, catalogue_results
from catalogue.tests.helpers import years_ago
from certificates.models import Certificate, not_revoked_q
from certificates.services import certificate_record_violation, certificate_revoke
from core.testing import ProducerFactory
from products.models import Product, ProductSalesLink

CATEGORIES = ["I.1.a", "I.3.c", "I.3.d", "II.1.a", "I.2.b"]
COMMUNES = ["06463", "06046", "06325"]


@pytest.fixture
def world(make_product, users, communes):
    today = timezone.localdate()
    producers = [ProducerFactory(name=f"HTX {c}", commune=communes[c]) for c in COMMUNES]
    products = []
    for i in range(36):
        stars = [None, 3, 4, 5][i % 4]
        product = make_product(
            # Ties on the name's beginning, and names out of id order.
            f"Sản phẩm {'Na' if i % 3 else 'Mật ong'} {(i * 7) % 36:02d}",
            producer=producers[i % 3],
            commune=communes[COMMUNES[(i + 1) % 3]],
            category=CATEGORIES[i % 5],
            stars=stars,
            issued_on=years_ago(3.5) if i % 5 == 1 else None,  # expired
            status="draft" if i % 8 == 0 else "retired" if i % 6 == 3 else "active",
        )
        products.append(product)
    # Every other product is where its producer is.
    Product.objects.filter(pk__in=[p.pk for i, p in enumerate(products) if i % 2 == 0]).update(commune=None)
    for product in products[2::7]:  # revoked through the services
        certificate = product.certificates.filter(is_current=True).first()
        if certificate is None:
            continue
        certificate_record_violation(
            certificate,
            found_on=today,
            reason="mark_misuse",
            details="Sai biểu trưng.",
            actor=users["office"],
        )
        certificate_revoke(
            certificate, reason="mark_misuse", revoked_on=today, decision_number="9/QĐ", actor=users["office"]
        )
    for product in products[::5]:
        ProductSalesLink.objects.create(
            product=product, platform="shopee", url=f"https://shopee.vn/{product.pk}"
        )
    return products


def reference(filters: ProductFilters) -> list[int]:
    """The catalogue's rule written from the certificates, sorted in Python."""
    valid = Certificate.objects.valid().filter(product=OuterRef("pk"))
    qs = (
        Product.objects.public()
        .annotate(valid=Exists(valid))
        .select_related("category__group", "category__parent", "commune", "producer__commune")
    )
    valid_stars = dict(Certificate.objects.valid().values_list("product_id", "stars"))
    rated = dict(
        Certificate.objects.filter(not_revoked_q(timezone.localdate()), is_current=True).values_list(
            "product_id", "stars"
        )
    )
    shopee = set(ProductSalesLink.objects.filter(platform="shopee").values_list("product_id", flat=True))
    matches = set(search_products(filters.q).values_list("pk", flat=True)) if filters.q else None
    rows = []
    for p in qs:
        place = p.commune or (p.producer.commune if p.producer else None)
        if filters.stars and rated.get(p.pk) not in filters.stars:
            continue
        if filters.valid_only and not p.valid:
            continue
        if filters.group and not (p.category and p.category.group.code == filters.group):
            continue
        if filters.subgroup and filters.subgroup not in (
            p.category.code,
            p.category.parent.code if p.category.parent else None,
        ):
            continue
        if filters.commune and not (place and place.code == filters.commune):
            continue
        if filters.district and not (place and place.former_districts.filter(code=filters.district).exists()):
            continue
        if filters.channel and p.pk not in shopee:
            continue
        if matches is not None and p.pk not in matches:
            continue
        rows.append(p)
    text = {p.pk: p.search_text.encode() for p in rows}
    if filters.sort == Sort.NAME:
        rows.sort(key=lambda p: (text[p.pk], p.pk))
    elif filters.sort == Sort.NEWEST:
        rows.sort(key=lambda p: (p.created_at, p.pk), reverse=True)
    else:
        rows.sort(key=lambda p: (-valid_stars.get(p.pk, 0), text[p.pk], p.pk))
    return [p.pk for p in rows]


def paged(filters: ProductFilters, per_page: int) -> list[int]:
    paginator = Paginator(catalogue_results(filters), per_page)
    return [p.pk for n in paginator.page_range for p in paginator.page(n).object_list]


def _district(communes):
    return communes["06463"].former_districts.values_list("code", flat=True).first()


@pytest.fixture(params=["as_counted", "by_the_filters", "by_the_order", "counting_parts_first"])
def walk(request, monkeypatch):
    """As the figures decide, or forced: the ids read with the filters as index drivers, or with
    them as _Checked conditions (SQLite walks the order index; the same rows either way); or
    every page past a part's start counting that part first (as deep pages do)."""
    if request.param == "counting_parts_first":
        monkeypatch.setattr("catalogue.selectors.COUNT_PARTS_PAST", 0)
    elif request.param != "as_counted":
        forced = request.param == "by_the_order"
        monkeypatch.setattr(
            ProductCards, "_walks", lambda self, stop: forced and self.checked_parts is not None
        )
    return request.param


def test_every_order_and_filter_matches_the_certificates_page_after_page(world, communes, walk):
    narrowing = [
        {},
        {"stars": (4,)},
        {"stars": (3, 5)},
        {"group": "I"},
        {"subgroup": "I.3"},
        {"subgroup": "I.3.d"},
        {"commune": "06046"},
        {"district": _district(communes)},
        {"channel": "shopee"},
        {"q": "na"},
        {"q": "mat ong", "stars": (4, 5)},
        {"q": "na", "district": _district(communes)},  # a search counted in two branches
    ]
    seen_parts = 0
    for extra, sort, valid_only in itertools.product(
        narrowing, [Sort.STARS, Sort.NAME, Sort.NEWEST], [True, False]
    ):
        filters = ProductFilters(sort=sort, valid_only=valid_only, **extra)
        expected = reference(filters)
        assert [p.pk for p in catalogue_products(filters)] == expected, filters
        for per_page in (4, 7, 100):
            assert paged(filters, per_page) == expected, (filters, per_page)
        assert catalogue_results(filters).count() == len(expected)
        capped = catalogue_results(filters, count_cap=5).count()  # a search counts up to 6
        assert capped == (min(len(expected), 6) if filters.q else len(expected))
        seen_parts += len(catalogue_results(filters).parts) > 1
    assert seen_parts  # the two-part order was exercised
    assert reference(ProductFilters(valid_only=True)) and reference(ProductFilters(channel="shopee"))


def test_a_page_reads_its_ids_from_an_order_the_index_holds(world, django_assert_max_num_queries):
    # Page 1 of every order: the count, the catalogue's size (SQLite: ProductCards._walks), the
    # ids, the cards (and their photos and certificates).
    for sort, valid_only in itertools.product([Sort.STARS, Sort.NAME, Sort.NEWEST], [True, False]):
        with django_assert_max_num_queries(6):
            page = Paginator(catalogue_results(ProductFilters(sort=sort, valid_only=valid_only)), 4).page(1)
            assert len(page.object_list) == 4


def test_a_channel_many_products_use_is_filtered_by_a_subquery(world, monkeypatch):
    # A popular channel at national scale lists tens of thousands of products: past the limit the
    # ids stay a subquery (SQLite refuses more than 32,766 parameters) and find the same products.
    filters = ProductFilters(channel="shopee")
    expected = reference(filters)
    assert len(expected) > 1
    monkeypatch.setattr("catalogue.selectors.LITERAL_IDS_MAX", 1)
    assert [p.pk for p in catalogue_products(filters)] == expected
    assert catalogue_results(filters).count() == len(expected)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's planner chooses by its statistics")
def test_sqlite_walks_the_order_index_only_when_the_filters_match_much_of_the_catalogue(world):
    def ids_queries(filters):
        with CaptureQueriesContext(connection) as ctx:
            assert Paginator(catalogue_results(filters), 4).page(1).object_list
        return [
            q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "products_product"."id" AS')
        ]

    # Group I: four products in five; the filters become checks on the order index's rows.
    broad = ids_queries(ProductFilters(group="I"))
    assert broad and all("likely(+(" in sql for sql in broad)
    # A channel few products use: its list finds them.
    narrow = ids_queries(ProductFilters(channel="shopee", sort=Sort.NAME))
    assert narrow and not any("likely(" in sql for sql in narrow)
    # A search never walks, whatever its count: no read of the catalogue's size, so that its
    # queries per page do not vary with the data (the bench compares them at two sizes).
    for sort in (Sort.RELEVANCE, Sort.NAME):
        with CaptureQueriesContext(connection) as ctx:
            Paginator(catalogue_results(ProductFilters(q="na", sort=sort), count_cap=1000), 4).page(1)
        assert not any("likely(" in q["sql"] or "MAX(" in q["sql"] for q in ctx.captured_queries)


def test_a_commune_or_district_code_that_names_no_commune_finds_nothing(world):
    # Its list of communes is empty: Django refuses to write `IN ()`, and the counts of the two
    # branches (own commune, producer's commune) once failed with a 500 (found by schemathesis).
    for filters in (
        ProductFilters(district="482", stars=[5]),
        ProductFilters(commune="00000", sort=Sort.NAME),
        ProductFilters(district="482", q="na", valid_only=True),
    ):
        results = catalogue_results(filters)
        assert results.count() == 0
        assert Paginator(results, 4).page(1).object_list == []
