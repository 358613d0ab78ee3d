from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from market.models import MarketPage


@admin.register(MarketPage)
class MarketPageAdmin(SimpleHistoryAdmin):
    list_display = ["title", "category", "audience", "publish_at", "unpublish_at", "is_sample"]
    list_filter = ["category", "audience", "is_sample"]
    search_fields = ["title"]
