from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "sales"
    verbose_name = _("Tiêu thụ sản phẩm")

    def ready(self):
        # A product's sales links open and end its listings (sales.services.listings_sync).
        from django.db.models.signals import post_delete, post_save

        from products.models import ProductSalesLink
        from sales.services import sales_link_changed

        post_save.connect(sales_link_changed, sender=ProductSalesLink, dispatch_uid="sales_listing_save")
        post_delete.connect(sales_link_changed, sender=ProductSalesLink, dispatch_uid="sales_listing_delete")
