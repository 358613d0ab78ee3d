"""catalogue.search: Vietnamese folding, prefixes, typos and ranking, identical on SQLite and
PostgreSQL (the same file runs against both)."""

import pytest
from django.db import connection

from catalogue import search_index
from catalogue.search import one_edit_apart, query_words, search_products
from catalogue.tests.helpers import names
from products.models import Product
from products.services import product_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(make_product, search_producers):
    thach_den, bac_son, that_khe = search_producers.values()
    products = {
        "thach": make_product("Thạch đen Tràng Định", producer=thach_den, category="I.3.c"),
        "thach_nhung": make_product("Thạch đen Hồng Nhung", producer=thach_den, category="I.3.c"),
        "hong": make_product("Hồng không hạt Bảo Lâm", category="I.1.a"),
        "vit": make_product("Vịt quay", producer=that_khe, category="I.3.d"),
        "vit_that_khe": make_product("Vịt quay Thất Khê", producer=that_khe, category="I.3.d"),
        "cha_vit": make_product("Chả vịt quay lá mắc mật", producer=that_khe, category="I.3.d"),
        "quyt": make_product("Quýt vàng Bắc Sơn", producer=bac_son, category="I.1.a"),
        "dua": make_product("Dưa hấu Bắc Sơn", producer=bac_son, category="I.1.a"),
        "mat_ong": make_product("Mật ong rừng Đình Lập", category="I.2.b"),
        "na": make_product("Na dai Chi Lăng", category="I.1.a"),
    }
    return products


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hong bao lam", "Hồng không hạt Bảo Lâm"),
        ("thach den trang dinh", "Thạch đen Tràng Định"),
        ("vit quay", "Vịt quay"),
        ("quyt bac son", "Quýt vàng Bắc Sơn"),
        ("HONG BAO LAM", "Hồng không hạt Bảo Lâm"),
        ("Thạch Đen Tràng Định", "Thạch đen Tràng Định"),
    ],
)
def test_the_issue_queries_find_their_product_first(shelf, query, expected):
    assert names(query)[0] == expected


def test_d_and_dj_match_each_other_both_ways(shelf):
    # đ in the data, d in the query; d in the data, đ in the query.
    assert "Mật ong rừng Đình Lập" in names("dinh lap")
    assert "Thạch đen Tràng Định" in names("den")
    assert names("đưa hấu") == ["Dưa hấu Bắc Sơn"]
    assert names("Đua hau") == ["Dưa hấu Bắc Sơn"]


def test_every_word_must_match_as_a_prefix(shelf):
    assert names("thach den") == ["Thạch đen Hồng Nhung", "Thạch đen Tràng Định"]
    assert names("quy bac") == ["Quýt vàng Bắc Sơn"]  # "quy" is a prefix of "quyt"
    assert names("ach") == []  # inside "thach", not its start


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("thach dne", "Thạch đen"),  # two letters swapped
        ("hong bao lamm", "Hồng không hạt Bảo Lâm"),  # one letter too many
        ("quyt vng bac son", "Quýt vàng Bắc Sơn"),  # one letter missing
        ("mat ong dinh lao", "Mật ong rừng Đình Lập"),  # one letter wrong
    ],
)
def test_one_letter_typos_are_tolerated(shelf, query, expected):
    found = names(query)
    assert found, query
    assert found[0].startswith(expected)


def test_typos_do_not_match_unrelated_products(shelf):
    assert names("thach dne") == ["Thạch đen Hồng Nhung", "Thạch đen Tràng Định"]
    assert names("xyzzy") == []
    assert names("na dai chi lagn") == ["Na dai Chi Lăng"]


def test_short_words_need_an_exact_prefix(shelf):
    # One edit away from "na" would be "ma", "nb", "a"…: no typo tolerance below three letters.
    assert names("na")[0] == "Na dai Chi Lăng"
    assert names("nx") == []


def test_exact_name_match_ranks_first_then_longer_names_then_words_elsewhere(shelf):
    assert names("vit quay") == ["Vịt quay", "Vịt quay Thất Khê", "Chả vịt quay lá mắc mật"]
    assert names("thach den trang dinh")[0] == "Thạch đen Tràng Định"
    assert names("vit")[:2] == ["Vịt quay", "Vịt quay Thất Khê"]


def test_the_producer_name_is_searched_too(shelf):
    assert set(names("that khe")) >= {"Vịt quay", "Vịt quay Thất Khê", "Chả vịt quay lá mắc mật"}


def test_search_stays_inside_the_given_queryset(shelf):
    only_food = Product.objects.filter(category__code="I.3.d")
    assert names("bac son", only_food) == []
    assert names("vit quay", only_food) == ["Vịt quay", "Vịt quay Thất Khê", "Chả vịt quay lá mắc mật"]
    # the typo path honours it as well
    assert names("thach dne", Product.objects.exclude(pk=shelf["thach"].pk)) == ["Thạch đen Hồng Nhung"]


def test_typo_path_only_for_words_no_product_has(shelf, make_product):
    # "quat" is in no product: the typo path finds the three "vit quay".
    assert len(names("vit quat")) == 3
    # "thach" is a word of the catalogue: no typo matches ("thanh") are mixed in.
    make_product("Thạch Chu Hạnh", category="I.3.c")
    make_product("Miến dong Thanh Sơn", category="I.3.c")
    exact = names("thach")
    assert len(exact) == 3
    assert "Miến dong Thanh Sơn" not in exact
    # Known words are never corrected, even when together they match little or nothing.
    assert names("thanh thach") == []


def test_typo_matches_come_after_exact_matches(shelf, make_product):
    make_product("Hồng Bảo Lâm", category="I.1.a")
    found = names("hong bao lamm")  # no exact match: both via the typo path, shorter name first
    assert found == ["Hồng Bảo Lâm", "Hồng không hạt Bảo Lâm"]
    found = names("hong bao lam")  # every word is known: two exact matches, no typo match
    assert found == ["Hồng Bảo Lâm", "Hồng không hạt Bảo Lâm"]


def test_empty_or_punctuation_only_query_returns_the_queryset(shelf):
    assert search_products("", Product.objects.all()).count() == len(shelf)
    assert search_products(" ,.; ", Product.objects.all()).count() == len(shelf)


def test_query_words_are_folded_and_bounded():
    assert query_words("  Thạch   ĐEN, Tràng-Định! ") == ["thach", "den", "trang", "dinh"]
    assert len(query_words("a " * 50)) == 8


def test_renaming_and_deleting_keep_the_index_in_sync(shelf, users):
    product = shelf["quyt"]
    product_update(product, actor=users["office"], name="Cam sành Bắc Sơn")
    assert names("cam sanh") == ["Cam sành Bắc Sơn"]
    assert "Cam sành Bắc Sơn" not in names("quyt")
    with connection.cursor() as cursor:  # straight SQL: the trigger alone must follow a delete
        cursor.execute("DELETE FROM products_product WHERE id = %s", [shelf["dua"].pk])
    assert names("dua hau") == []
    # bulk writes (generate_synthetic) and queryset.update() are indexed too
    Product.objects.filter(pk=shelf["na"].pk).update(search_text="na bo khai")
    assert names("bo khai") == ["Na dai Chi Lăng"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite triggers only")
def test_lost_sqlite_triggers_are_recreated_after_migrate(shelf):
    # Django rebuilds a SQLite table on some AlterFields, which drops its triggers.
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER catalogue_product_search_ai")
        cursor.execute("DROP TRIGGER catalogue_product_search_au")
    Product.objects.filter(pk=shelf["na"].pk).update(search_text="na bo khai")
    assert names("bo khai") == []  # the index went stale
    search_index.ensure_search_index()
    assert names("bo khai") == ["Na dai Chi Lăng"]


def test_the_database_index_exists():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN (%s, %s)",
                [search_index.POSTGRES_INDEX, search_index.POSTGRES_WORDS_INDEX],
            )
            indexes = dict(cursor.fetchall())
            assert "gin_trgm_ops" in indexes[search_index.POSTGRES_INDEX]
            words_index = indexes[search_index.POSTGRES_WORDS_INDEX]
            assert "to_tsvector('simple'::regconfig" in words_index and "replace(search_text" in words_index
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE name LIKE 'catalogue_product_%'")
            tables = dict(cursor.fetchall())
            assert "fts5(" in tables[search_index.WORDS_TABLE]
            assert "fts5vocab(" in tables[search_index.VOCABULARY_TABLE]
            assert search_index.OLD_TRIGRAMS_TABLE not in tables  # dropped by migration 0002


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("dne", "den", True),
        ("lamm", "lam", True),
        ("lam", "lamm", True),
        ("lao", "lap", True),
        ("thach", "thach", False),
        ("abcd", "badc", False),
        ("son", "sn", True),
        ("quyt", "quta", False),
        ("", "a", True),
    ],
)
def test_one_edit_apart(a, b, expected):
    assert one_edit_apart(a, b) is expected


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite triggers only")
@pytest.mark.django_db
def test_triggers_survive_a_later_migration_that_rebuilds_the_products_table():
    # products.0002 (version) rebuilds products_product after catalogue's migrations; the
    # post_migrate hook must put the triggers back (it listens to products: Django sends
    # post_migrate only for apps with models).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'products_product'"
        )
        assert {row[0] for row in cursor.fetchall()} >= set(search_index._TRIGGERS)
