"""Indexes on (sub-group, folded text, id) and (commune, folded text, id) of products_product
for a product page's related products (see catalogue/search_index.py, RELATED_INDEXES)."""

from django.db import migrations

from catalogue import search_index
from catalogue.migrations._vendor import RunSQLOn


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_search_words")]

    operations = [
        RunSQLOn(
            vendor,
            search_index.related_indexes_forward(vendor),
            search_index.RELATED_INDEXES_BACKWARD,
        )
        for vendor in ("sqlite", "postgresql")
    ]
