"""The producer list's search read from indexes (issue 15), one kind per database. A search walks
the list in name order and tests `search_text LIKE '%word%'` on each producer until the page is
full, and counts every match.

SQLite: the order index carrying search_text, so that both read the index alone, never the
rows (a word matching only late in the order, "hop tac xa" at 200,000 products: 103,000 row
reads, 150 → 19 ms; the count 36 → 20 ms).

PostgreSQL: a trigram index on search_text, as catalogue/search_index.py has on products: the
count reads the matches from it (81 → 11 ms at 200,000). Not the covering index: its B-tree
entries are limited to about 2,700 bytes, and search_text keeps letters of any script.

Both outside the model's Meta (vendor-specific): a later migration that makes Django rebuild the
table on SQLite drops the SQLite index; producers/tests/test_selectors.py fails then, and the
index is to be created again."""

from django.db import migrations

SQLITE_INDEX = "producers_search_order_idx"
POSTGRES_INDEX = "producers_search_trgm"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{SQLITE_INDEX}" ON "producers_producer" ("name", "id", "search_text")'
        )
    elif vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {POSTGRES_INDEX} ON producers_producer USING gin (search_text gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{SQLITE_INDEX}"')
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {POSTGRES_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("producers", "0003_list_order_indexes")]

    operations = [migrations.RunPython(create, drop)]
