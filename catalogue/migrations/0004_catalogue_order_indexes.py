"""Indexes of the public catalogue's orders and default filter on the product's certificate
figures (see catalogue/search_index.py, CATALOGUE_ORDER_INDEXES)."""

from django.db import migrations

from catalogue import search_index
from catalogue.migrations._vendor import RunSQLOn


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0003_related_indexes"),
        ("products", "0009_certificate_figures"),
    ]

    operations = [
        RunSQLOn(
            vendor,
            search_index.catalogue_indexes_forward(vendor),
            search_index.CATALOGUE_INDEXES_BACKWARD,
        )
        for vendor in ("sqlite", "postgresql")
    ]
