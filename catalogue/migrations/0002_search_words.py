"""Search by words on both databases (see catalogue/search_index.py): on SQLite, triggers for
the word table only, without the trigram FTS5 table (typos are now corrected against the
vocabulary), and the fts5vocab table that lists the words; on PostgreSQL, a GIN index on
the words (search_index.POSTGRES_WORDS)."""

from django.db import migrations

from catalogue import search_index
from catalogue.migrations._vendor import RunSQLOn


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_search_indexes")]

    operations = [
        RunSQLOn("sqlite", search_index.SQLITE_WORDS_FORWARD, search_index.SQLITE_WORDS_BACKWARD),
        RunSQLOn("postgresql", search_index.POSTGRES_WORDS_FORWARD, search_index.POSTGRES_WORDS_BACKWARD),
    ]
