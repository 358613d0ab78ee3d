"""Search by words on both databases (see catalogue/search_index.py): on SQLite, triggers for
the word table only, without the trigram FTS5 table (typos are now corrected against the
vocabulary), and the fts5vocab table that lists the words; on PostgreSQL, a GIN index on
the words (search_index.POSTGRES_WORDS)."""

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
    dependencies = [("catalogue", "0001_search_indexes")]

    operations = [
        RunSQLOn("sqlite", search_index.SQLITE_WORDS_FORWARD, search_index.SQLITE_WORDS_BACKWARD),
        RunSQLOn("postgresql", search_index.POSTGRES_WORDS_FORWARD, search_index.POSTGRES_WORDS_BACKWARD),
    ]
