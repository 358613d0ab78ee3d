"""The database side of catalogue search: indexes on products_product.search_text.

products.services writes the folded search_text on every create and update (and
generate_synthetic does too, with bulk_create); this module only indexes it:

- SQLite: two FTS5 tables with products_product as external content (rowid = product id),
  kept in sync by triggers, so bulk inserts and queryset.update() are indexed as well.
  `catalogue_product_words` (unicode61) answers "every query word as a prefix";
  `catalogue_product_trigrams` (trigram) finds typo candidates.
- PostgreSQL: a trigram GIN index on the column, which serves LIKE '%…%' for both paths.

The statements are run by migration 0001. ensure_search_index() re-runs the idempotent
part after every `migrate`: SQLite drops a table's triggers when Django rebuilds the table
(an AlterField on products_product does), and a silently unsynchronised index would make
products unfindable without any error.
"""

from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

WORDS_TABLE = "catalogue_product_words"
TRIGRAMS_TABLE = "catalogue_product_trigrams"
POSTGRES_INDEX = "catalogue_product_search_trgm"
MIGRATION = ("catalogue", "0001_search_indexes")

_FTS_TABLES = {WORDS_TABLE: "unicode61", TRIGRAMS_TABLE: "trigram"}
_TRIGGERS = ("catalogue_product_search_ai", "catalogue_product_search_ad", "catalogue_product_search_au")


def _each_table(template: str) -> str:
    return "\n".join(template.format(t=table) for table in _FTS_TABLES)


SQLITE_TABLES = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5("
    f"search_text, content='products_product', content_rowid='id', tokenize='{tokenizer}')"
    for table, tokenizer in _FTS_TABLES.items()
]
SQLITE_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS catalogue_product_search_ai AFTER INSERT ON products_product BEGIN\n"
    + _each_table("INSERT INTO {t}(rowid, search_text) VALUES (new.id, new.search_text);")
    + "\nEND",
    "CREATE TRIGGER IF NOT EXISTS catalogue_product_search_ad AFTER DELETE ON products_product BEGIN\n"
    + _each_table("INSERT INTO {t}({t}, rowid, search_text) VALUES ('delete', old.id, old.search_text);")
    + "\nEND",
    "CREATE TRIGGER IF NOT EXISTS catalogue_product_search_au "
    "AFTER UPDATE OF search_text ON products_product BEGIN\n"
    + _each_table("INSERT INTO {t}({t}, rowid, search_text) VALUES ('delete', old.id, old.search_text);")
    + "\n"
    + _each_table("INSERT INTO {t}(rowid, search_text) VALUES (new.id, new.search_text);")
    + "\nEND",
]
# 'rebuild' re-reads the whole content table: it indexes the rows that existed before.
SQLITE_REBUILD = [f"INSERT INTO {table}({table}) VALUES ('rebuild')" for table in _FTS_TABLES]
SQLITE_FORWARD = SQLITE_TABLES + SQLITE_TRIGGERS + SQLITE_REBUILD
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {name}" for name in _TRIGGERS] + [
    f"DROP TABLE IF EXISTS {table}" for table in _FTS_TABLES
]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS {POSTGRES_INDEX} ON products_product USING gin (search_text gin_trgm_ops)",
]
# The extension stays: other apps may use it.
POSTGRES_BACKWARD = [f"DROP INDEX IF EXISTS {POSTGRES_INDEX}"]


def ensure_search_index(using: str = "default") -> None:
    """Re-create what a table rebuild may have dropped; a no-op when everything is there."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    if MIGRATION not in MigrationRecorder(connection).applied_migrations():
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for sql in POSTGRES_FORWARD:
                cursor.execute(sql)
            return
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'products_product'"
        )
        present = {row[0] for row in cursor.fetchall()}
        if present.issuperset(_TRIGGERS):
            return
        for sql in SQLITE_TABLES + SQLITE_TRIGGERS + SQLITE_REBUILD:
            cursor.execute(sql)
