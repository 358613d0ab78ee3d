"""Indexes for the catalogue search on products_product.search_text (see catalogue/search_index.py):
FTS5 tables kept in sync by triggers on SQLite, pg_trgm and a trigram GIN index on PostgreSQL."""

from django.db import migrations

from catalogue import search_index


class RunSQLOn(migrations.RunSQL):
    """RunSQL that runs only on one database vendor and is a no-op on the others."""

    def __init__(self, vendor, sql, reverse_sql):
        self.vendor = vendor
        super().__init__(sql, reverse_sql)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, args, {"vendor": self.vendor, **kwargs}

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("products", "0001_initial")]

    operations = [
        RunSQLOn("sqlite", search_index.SQLITE_FORWARD, search_index.SQLITE_BACKWARD),
        RunSQLOn("postgresql", search_index.POSTGRES_FORWARD, search_index.POSTGRES_BACKWARD),
    ]
