from django.contrib import admin

from geo.models import Commune, FormerDistrict, OldUnit


@admin.register(FormerDistrict)
class FormerDistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "lat", "lng")


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "lat", "lng", "population")
    list_filter = ("kind", "former_districts")
    search_fields = ("name", "code")


@admin.register(OldUnit)
class OldUnitAdmin(admin.ModelAdmin):
    list_display = ("old_code", "old_name", "old_kind", "old_district", "new_commune", "merge_type")
    list_filter = ("old_district", "merge_type")
    search_fields = ("old_name", "old_code")
