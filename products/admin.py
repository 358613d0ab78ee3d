from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.content import ChangesPublicContentAdmin
from products.models import Classification, IntellectualProperty, Product


@admin.register(Classification)
class ClassificationAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "level", "ministry", "sheet_number", "scheme")
    list_filter = ("scheme", "level")
    search_fields = ("code", "name_vi")


@admin.register(Product)
class ProductAdmin(ChangesPublicContentAdmin, SimpleHistoryAdmin):
    list_display = ("name", "producer", "category", "commune", "status", "is_sample")
    list_filter = ("status", "is_sample")
    search_fields = ("name",)
    readonly_fields = ("slug", "search_text")


@admin.register(IntellectualProperty)
class IntellectualPropertyAdmin(ChangesPublicContentAdmin, SimpleHistoryAdmin):
    list_display = ("name", "kind", "number", "granted_on", "holder")
    filter_horizontal = ("products",)
