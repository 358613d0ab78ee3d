"""The database side of catalogue search: indexes on products_product.search_text.

products.services writes the folded search_text on every create and update (and
generate_synthetic does too, with bulk_create); this module only indexes it. The folded
text is [0-9a-z] words between single spaces, and both databases index those words:

- SQLite: the FTS5 table `catalogue_product_words` (unicode61) with products_product as
  external content (rowid = product id), kept in sync by triggers, so bulk inserts and
  queryset.update() are indexed as well; `catalogue_product_vocabulary` (fts5vocab) lists
  its words with their number of occurrences (catalogue.search's vocabulary).
- PostgreSQL: a GIN index on to_tsvector('simple', …) of the text with a letter before each
  word (POSTGRES_WORDS: its lexemes are then exactly the words); the trigram GIN index on
  the column serves LIKE '%…%' (the back office's certificate search filters on
  product__search_text).

Migration 0001 created the indexes (and, on SQLite, a trigram FTS5 table that the typo path
used before it corrected words against the vocabulary); 0002 drops that table and adds the
vocabulary and the PostgreSQL word index; 0003 adds the related products' indexes
(RELATED_INDEXES), 0004 the catalogue's orders (CATALOGUE_ORDER_INDEXES).
ensure_search_index() re-runs the idempotent part after every `migrate`: SQLite drops a
table's triggers and indexes when Django rebuilds the table (an AlterField on products_product
does), and a silently unsynchronised index would make products unfindable without any error.
"""

from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

WORDS_TABLE = "catalogue_product_words"
VOCABULARY_TABLE = "catalogue_product_vocabulary"
OLD_TRIGRAMS_TABLE = "catalogue_product_trigrams"  # dropped by migration 0002
POSTGRES_INDEX = "catalogue_product_search_trgm"
POSTGRES_WORDS_INDEX = "catalogue_product_search_words"
MIGRATION = ("catalogue", "0001_search_indexes")
VOCABULARY_MIGRATION = ("catalogue", "0002_search_words")
RELATED_MIGRATION = ("catalogue", "0003_related_indexes")

_TRIGGERS = ("catalogue_product_search_ai", "catalogue_product_search_ad", "catalogue_product_search_au")

SQLITE_TABLES = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {WORDS_TABLE} USING fts5("
    "search_text, content='products_product', content_rowid='id', tokenize='unicode61')"
]
_INSERT = f"INSERT INTO {WORDS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text);\n"
_DELETE = (
    f"INSERT INTO {WORDS_TABLE}({WORDS_TABLE}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text);\n"
)
SQLITE_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS catalogue_product_search_ai AFTER INSERT ON products_product BEGIN\n"
    + _INSERT
    + "END",
    "CREATE TRIGGER IF NOT EXISTS catalogue_product_search_ad AFTER DELETE ON products_product BEGIN\n"
    + _DELETE
    + "END",
    "CREATE TRIGGER IF NOT EXISTS catalogue_product_search_au "
    "AFTER UPDATE OF search_text ON products_product BEGIN\n" + _DELETE + _INSERT + "END",
]
# 'rebuild' re-reads the whole content table: it indexes the rows that existed before.
SQLITE_REBUILD = [f"INSERT INTO {WORDS_TABLE}({WORDS_TABLE}) VALUES ('rebuild')"]
SQLITE_DROP_TRIGGERS = [f"DROP TRIGGER IF EXISTS {name}" for name in _TRIGGERS]
SQLITE_FORWARD = SQLITE_TABLES + SQLITE_TRIGGERS + SQLITE_REBUILD
SQLITE_BACKWARD = SQLITE_DROP_TRIGGERS + [
    f"DROP TABLE IF EXISTS {table}" for table in (WORDS_TABLE, OLD_TRIGRAMS_TABLE)
]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS {POSTGRES_INDEX} ON products_product USING gin (search_text gin_trgm_ops)",
]
# The extension stays: other apps may use it.
POSTGRES_BACKWARD = [f"DROP INDEX IF EXISTS {POSTGRES_INDEX}"]

# Migration 0002.
SQLITE_VOCABULARY = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCABULARY_TABLE} USING fts5vocab({WORDS_TABLE}, row)"
)
SQLITE_WORDS_FORWARD = (
    SQLITE_DROP_TRIGGERS
    + [f"DROP TABLE IF EXISTS {OLD_TRIGRAMS_TABLE}"]
    + SQLITE_TRIGGERS
    + [SQLITE_VOCABULARY]
)
SQLITE_WORDS_BACKWARD = [f"DROP TABLE IF EXISTS {VOCABULARY_TABLE}"]
# PostgreSQL's text search parser does not split on spaces only: it reads "1e5g" as the number
# "1e5" and the word "g". Behind a letter, every [0-9a-z] word is one token (asciiword or
# numword), so the index holds each word of the folded text with a "w" before it, and the
# queries ask for "w" + word. POSTGRES_WORDS must stay exactly the expression that
# catalogue.search queries, or the index is not used. (Words longer than 2,047 bytes are
# left out, with a notice, as by any to_tsvector.)
POSTGRES_WORD_MARK = "w"
_MARK = POSTGRES_WORD_MARK
POSTGRES_WORDS = f"to_tsvector('simple'::regconfig, '{_MARK}' || replace({{column}}, ' ', ' {_MARK}'))"
POSTGRES_WORDS_FORWARD = [
    f"CREATE INDEX IF NOT EXISTS {POSTGRES_WORDS_INDEX} ON products_product "
    f"USING gin (({POSTGRES_WORDS.format(column='search_text')}))"
]
POSTGRES_WORDS_BACKWARD = [f"DROP INDEX IF EXISTS {POSTGRES_WORDS_INDEX}"]

# Migration 0003: a product page's related products (catalogue.selectors.related_products) are
# the first few of a sub-group, or of a commune, in the folded text's byte order. These indexes
# hold each group in that order, so the page reads 4 index entries instead of sorting a whole
# sub-group (11,000 products of 200,000: 44 ms). The collation is the one catalogue.search.
# folded_order() names: SQLite's default (BINARY), PostgreSQL's "C".
RELATED_INDEXES = {
    "catalogue_product_related_category": "category_id",
    "catalogue_product_related_commune": "commune_id",
}
_COLLATION = {"sqlite": "", "postgresql": ' COLLATE "C"'}


def related_indexes_forward(vendor: str) -> list[str]:
    return [
        f"CREATE INDEX IF NOT EXISTS {name} "
        f"ON products_product ({column}, search_text{_COLLATION[vendor]}, id)"
        for name, column in RELATED_INDEXES.items()
    ]


RELATED_INDEXES_BACKWARD = [f"DROP INDEX IF EXISTS {name}" for name in RELATED_INDEXES]

# Migration 0004 (issue 15): the public catalogue's orders and its default filter, read from
# indexes on the figures the certificate services keep on the product (Product.current_stars,
# valid_until), so a page reads its 24 ids from an index instead of sorting every match
# (catalogue.selectors._ordered_parts). "{collate}" is folded_order()'s collation.
CATALOGUE_ORDER_INDEXES = {
    # Sort.STARS: highest star first, then the folded name, then id.
    "catalogue_product_stars_order": "current_stars DESC, search_text{collate}, id",
    # Sort.NAME, and the products without a valid certificate after the valid ones.
    "catalogue_product_name_order": "search_text{collate}, id",
    # Sort.NEWEST (read backwards).
    "catalogue_product_newest_order": "created_at, id",
    # Certified today (valid_until >= today) and public: the catalogue's count, from the index,
    # alone or by sub-group (the group and sub-group filters), by the product's own commune or
    # by star (valid or not).
    "catalogue_product_certified": "valid_until, status",
    "catalogue_product_certified_category": "category_id, valid_until, status",
    "catalogue_product_certified_commune": "commune_id, valid_until, status",
    "catalogue_product_certified_stars": "current_stars, valid_until, status",
}


def catalogue_indexes_forward(vendor: str) -> list[str]:
    return [
        f"CREATE INDEX IF NOT EXISTS {name} ON products_product "
        f"({columns.format(collate=_COLLATION[vendor])})"
        for name, columns in CATALOGUE_ORDER_INDEXES.items()
    ]


CATALOGUE_INDEXES_BACKWARD = [f"DROP INDEX IF EXISTS {name}" for name in CATALOGUE_ORDER_INDEXES]
CATALOGUE_MIGRATION = ("catalogue", "0004_catalogue_order_indexes")


def ensure_search_index(using: str = "default") -> None:
    """Re-create what a table rebuild may have dropped; a no-op when everything is there."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    applied = MigrationRecorder(connection).applied_migrations()
    if MIGRATION not in applied:
        return
    words = VOCABULARY_MIGRATION in applied
    related = related_indexes_forward(connection.vendor) if RELATED_MIGRATION in applied else []
    if CATALOGUE_MIGRATION in applied:
        related += catalogue_indexes_forward(connection.vendor)
    with connection.cursor() as cursor:
        for sql in related:  # SQLite drops them when Django rebuilds the table
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            for sql in POSTGRES_FORWARD + (POSTGRES_WORDS_FORWARD if words else []):
                cursor.execute(sql)
            return
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'products_product'"
        )
        present = {row[0] for row in cursor.fetchall()}
        if not present.issuperset(_TRIGGERS):
            for sql in SQLITE_TABLES + SQLITE_TRIGGERS + SQLITE_REBUILD:
                cursor.execute(sql)
        if words:
            cursor.execute(SQLITE_VOCABULARY)
