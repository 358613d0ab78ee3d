"""Indexes for the catalogue search on products_product.search_text (see catalogue/search_index.py):
FTS5 tables kept in sync by triggers on SQLite, pg_trgm and a trigram GIN index on PostgreSQL."""

from django.db import migrations

from catalogue import search_index
from catalogue.migrations._vendor import RunSQLOn


class Migration(migrations.Migration):
    dependencies = [("products", "0001_initial")]

    operations = [
        RunSQLOn("sqlite", search_index.SQLITE_FORWARD, search_index.SQLITE_BACKWARD),
        RunSQLOn("postgresql", search_index.POSTGRES_FORWARD, search_index.POSTGRES_BACKWARD),
    ]
