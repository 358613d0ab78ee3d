from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sales.models import SalesRecord


@admin.register(SalesRecord)
class SalesRecordAdmin(SimpleHistoryAdmin):
    list_display = ["product", "month", "channel", "units", "revenue", "is_sample"]
    list_filter = ["channel", "is_sample", "month"]
    search_fields = ["product__name", "product__producer__name"]
    raw_id_fields = ["product"]
    date_hierarchy = "month"
