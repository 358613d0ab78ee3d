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
        # After every migrate: a rebuilt products table loses its SQLite triggers. Django sends
        # post_migrate only for apps with models, which this one has not: listen to products'.
        from django.apps import apps

        post_migrate.connect(
            _ensure_search_index,
            sender=apps.get_app_config("products"),
            dispatch_uid="catalogue_search_index",
        )
