from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "geo"
    verbose_name = _("Đơn vị hành chính")

    def ready(self):
        from geo.models import Commune, FormerDistrict
        from geo.selectors import forget_place_names

        for model in (Commune, FormerDistrict):
            post_save.connect(
                forget_place_names, sender=model, dispatch_uid=f"geo-place-names-{model.__name__}"
            )
            post_delete.connect(
                forget_place_names, sender=model, dispatch_uid=f"geo-place-names-d-{model.__name__}"
            )
        m2m_changed.connect(
            forget_place_names, sender=Commune.former_districts.through, dispatch_uid="geo-place-names-m2m"
        )
