"""catalogue.search: typo correction against the vocabulary, the vocabulary's cache, and the
ways a query is answered (index, LIKE, both), identical on SQLite and PostgreSQL (the same
file runs against both)."""

import random

import pytest
from django.core.cache import cache
from django.db import connection

from catalogue import search, search_index
from catalogue.search import Term, Vocabulary, corrections, one_edit_apart
from catalogue.tests.helpers import names
from core.content import public_content_generation

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(make_product, search_producers):
    thach_den, bac_son, that_khe = search_producers.values()
    return {
        "thach": make_product("Thạch đen Tràng Định", producer=thach_den, category="I.3.c"),
        "thach_nhung": make_product("Thạch đen Hồng Nhung", producer=thach_den, category="I.3.c"),
        "vit": make_product("Vịt quay", producer=that_khe, category="I.3.d"),
        "vit_that_khe": make_product("Vịt quay Thất Khê", producer=that_khe, category="I.3.d"),
        "quyt": make_product("Quýt vàng Bắc Sơn", producer=bac_son, category="I.1.a"),
        "mat_ong": make_product("Mật ong rừng Đình Lập", category="I.2.b"),
        "gao": make_product("Gạo 500g 1e5g 0x1f v2 3e10 a1b2", category="I.1.a"),
    }


THACH_DEN = ["Thạch đen Hồng Nhung", "Thạch đen Tràng Định"]
VIT_QUAY = ["Vịt quay", "Vịt quay Thất Khê"]

QUERIES = [
    "thach den",
    "thahc den",
    "thach dne",
    "vit quya",
    "mat ogn",
    "tahc",
    "thach trna",
    "quyt vng bac son",
    "vt quay",
    "mat og",
    "h",
    "t d",
    "thach d",
    "bac son",
    "xyzzy",
    "500g",
]


def test_a_typo_in_the_first_word(shelf):
    assert names("thahc den") == THACH_DEN  # two letters swapped
    assert names("vti quay") == VIT_QUAY
    assert names("quy vang") == ["Quýt vàng Bắc Sơn"]  # a prefix, not a typo


def test_a_typo_in_the_last_word(shelf):
    assert names("thach dne") == THACH_DEN
    assert names("vit quya") == VIT_QUAY
    assert names("mat ong rungg") == ["Mật ong rừng Đình Lập"]  # one letter too many
    assert names("quyt vng") == ["Quýt vàng Bắc Sơn"]  # one letter missing


def test_transposed_letters(shelf):
    assert names("mat ogn") == ["Mật ong rừng Đình Lập"]
    assert names("ogn") == ["Mật ong rừng Đình Lập"]


def test_a_word_still_being_typed(shelf):
    assert names("thach d") == THACH_DEN
    assert names("vit qu") == VIT_QUAY
    # and a typo in it: "tahc" for "thach", "trna" for "trang" (in both: their producer is
    # "HTX Thạch đen Tràng Định")
    assert names("tahc") == THACH_DEN
    assert names("thach trna") == THACH_DEN


def test_no_typo_tolerance_for_very_short_words(shelf):
    assert names("mat og") == []  # "og" is no word's beginning, and too short to correct
    assert names("vt quay") == []
    assert names("qx") == []
    assert names("xyzzy") == []


def test_typo_matches_are_ranked_by_the_corrected_phrase(shelf, make_product):
    make_product("Bánh vịt quay", category="I.3.d")
    # "Vịt quay…" begin with the corrected phrase "vit quay", "Bánh vịt quay" only has it
    assert names("vit quya") == [*VIT_QUAY, "Bánh vịt quay"]


def test_every_kind_of_word_is_found_on_both_databases(shelf):
    # PostgreSQL's parser reads these as numbers, hex, scientific notation ("1e5g": the number
    # 1e5, then g): the word index must still hold each one as the word SQLite's holds.
    for word in ["gao", "500g", "1e5g", "1e5", "0x1f", "v2", "3e10", "a1b2", "500", "1e", "0x"]:
        assert names(word) == ["Gạo 500g 1e5g 0x1f v2 3e10 a1b2"], word


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's text search parser")
def test_postgresql_lexemes_are_the_words_of_the_folded_text(shelf):
    words = search_index.POSTGRES_WORDS.format(column="%s")
    with connection.cursor() as cursor:
        # The parser alone reads "1e5g" as the number 1e5 and the word g…
        cursor.execute("SELECT tsvector_to_array(to_tsvector('simple'::regconfig, %s))", ["1e5g"])
        assert cursor.fetchone()[0] != ["1e5g"]
        # …each word behind a letter is one lexeme.
        text = "gao 500g 1e5g 1e1e1 0x1f v2 3e10 a1b2 123456789012345678901234567890 x 0 00 1e abc123def"
        cursor.execute(f"SELECT tsvector_to_array({words})", [text])
        assert sorted(cursor.fetchone()[0]) == sorted({"w" + word for word in text.split()})
        # and over every product: the index holds the words the vocabulary lists
        words = search_index.POSTGRES_WORDS.format(column="p.search_text")
        cursor.execute(
            f'SELECT count(*) FROM products_product p WHERE ARRAY(SELECT substr(x, 2) COLLATE "C" '
            f"FROM unnest(tsvector_to_array({words})) x ORDER BY 1) <> "
            "ARRAY(SELECT DISTINCT w COLLATE \"C\" FROM unnest(string_to_array(p.search_text, ' ')) w "
            "WHERE w <> '' ORDER BY 1)"
        )
        assert cursor.fetchone()[0] == 0


def test_known_words_are_looked_up_whole_when_nothing_extends_them():
    vocabulary = Vocabulary(3, {"thach": 2, "den": 2, "dena": 1})
    assert vocabulary.term("thach") == Term("thach", prefix=False)
    assert vocabulary.term("den") == Term("den", prefix=True)  # "dena" begins with it
    assert vocabulary.term("tha") == Term("tha", prefix=True)


def test_corrections_keep_the_typed_letters_first_then_the_most_frequent():
    vocabulary = Vocabulary(100, {"vit": 10, "quay": 5, "tay": 50, "say": 3, "thach": 9})
    conditions, phrase = corrections(["vit", "qay"], vocabulary)
    assert conditions == [
        [Term("vit", prefix=False)],
        [Term("qay", prefix=True), Term("quay", False), Term("tay", False), Term("say", False)],
    ]
    assert phrase == "vit quay"
    assert corrections(["vit", "tha"], vocabulary) is None  # every word known
    assert corrections(["vit", "xyzzy"], vocabulary) is None  # nothing to correct it to
    assert corrections(["tahc"], vocabulary) == ([[Term("tahc", True), Term("thac", True)]], "thac")


@pytest.mark.parametrize("word", ["den", "thach", "ogn", "500g", "ab", "quyt"])
def test_the_generated_edits_are_exactly_the_strings_one_edit_apart(word):
    edits = search._edits(word)
    assert all(one_edit_apart(word, edit) for edit in edits)
    rng = random.Random(word)
    letters = search.LETTERS
    others = {"".join(rng.choice(letters[:6] + word) for _ in range(rng.randint(1, 7))) for _ in range(3000)}
    assert {other for other in others if one_edit_apart(word, other)} <= edits


def test_the_vocabulary_follows_product_create(shelf, make_product):
    assert names("cam snah") == []  # "sanh" is in no product yet
    generation = public_content_generation()
    make_product("Cam sành Hữu Lũng", category="I.1.a")  # products.services.product_create
    assert public_content_generation() != generation
    assert names("cam snah") == ["Cam sành Hữu Lũng"]
    assert names("cam sanh") == ["Cam sành Hữu Lũng"]


def test_the_vocabulary_is_read_once_per_generation(shelf, django_assert_num_queries):
    search.load_vocabulary()
    with django_assert_num_queries(0):
        first = search.load_vocabulary()
    search._memo = None  # another process: from the Django cache, still no query
    with django_assert_num_queries(0):
        second = search.load_vocabulary()
    assert second.occurrences == first.occurrences
    key = search.VOCABULARY_CACHE_KEY.format(
        database=search._database_key(), generation=public_content_generation()
    )
    assert cache.get(key)


def test_the_same_results_without_the_cache(shelf, monkeypatch):
    cached = {query: names(query) for query in QUERIES}
    monkeypatch.setattr(search, "load_vocabulary", lambda: Vocabulary(*search.read_vocabulary()))
    assert {query: names(query) for query in QUERIES} == cached


@pytest.mark.parametrize(
    ("scan_share", "index_spread"),
    [
        (0, 4),  # LIKE over the whole table for every query
        (1e9, 1e9),  # the index for every word
        (1e9, 1),  # the index for the rarest words only, LIKE for the others
    ],
)
def test_the_same_rows_whichever_way_words_are_checked(shelf, monkeypatch, scan_share, index_spread):
    default = {query: names(query) for query in QUERIES}
    monkeypatch.setattr(search, "SCAN_SHARE", scan_share)
    monkeypatch.setattr(search, "INDEX_SPREAD", index_spread)
    assert {query: names(query) for query in QUERIES} == default
