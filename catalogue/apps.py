from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_search_index(sender, using="default", **kwargs):
    from catalogue.search_index import ensure_search_index

    ensure_search_index(using)


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Cổng thông tin công khai")

    def ready(self):
        # After every migrate: a rebuilt products table loses its SQLite triggers.
        post_migrate.connect(_ensure_search_index, sender=self, dispatch_uid="catalogue_search_index")
