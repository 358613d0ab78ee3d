from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.content import ChangesPublicContentAdmin
from sales.models import SalesPoint, SalesPointProduct, SalesRecord


@admin.register(SalesRecord)
class SalesRecordAdmin(SimpleHistoryAdmin):
    list_display = ["product", "month", "channel", "units", "revenue", "is_sample"]
    list_filter = ["channel", "is_sample", "month"]
    search_fields = ["product__name", "product__producer__name"]
    raw_id_fields = ["product"]
    date_hierarchy = "month"


class SalesPointProductInline(admin.TabularInline):
    model = SalesPointProduct
    raw_id_fields = ["product"]
    extra = 0


@admin.register(SalesPoint)
class SalesPointAdmin(ChangesPublicContentAdmin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "commune", "owner", "is_published", "is_sample"]
    list_filter = ["kind", "is_published", "is_sample"]
    search_fields = ["name", "address"]
    raw_id_fields = ["owner"]
    inlines = [SalesPointProductInline]
