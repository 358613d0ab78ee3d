"""SQLite only: the producer list's order index carrying search_text (issue 15). A search
walks the list in name order and tests `search_text LIKE '%word%'` on each producer until the
page is full; through producers_list_order_idx each test read the producer's row (a word
matching only late in the order, "hop tac xa" at 200,000 products: 103,000 row reads, 150 ms),
through this index it reads the index alone (19 ms), and the search's count scans it instead of
the table. Not on PostgreSQL: its B-tree entries are limited to about 2,700 bytes (search_text
has no tight bound) and its plans read the text from the heap at that cost already. Outside the
model's Meta, so a later migration that makes Django rebuild the table on SQLite drops it:
producers/tests/test_selectors.py fails then, and the index is to be created again."""

from django.db import migrations

INDEX = "producers_search_order_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "producers_producer" ("name", "id", "search_text")'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("producers", "0003_list_order_indexes")]

    operations = [migrations.RunPython(create, drop)]
