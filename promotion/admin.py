from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.content import ChangesPublicContentAdmin
from promotion.models import Event, Participation


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    raw_id_fields = ["producer"]
    filter_horizontal = ["products"]


@admin.register(Event)
class EventAdmin(ChangesPublicContentAdmin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "start_date", "end_date", "is_published", "is_sample"]
    list_filter = ["kind", "is_published", "is_sample"]
    search_fields = ["name", "place", "organiser"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ParticipationInline]
