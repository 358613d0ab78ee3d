from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.content import ChangesPublicContentAdmin
from producers.models import Producer


@admin.register(Producer)
class ProducerAdmin(ChangesPublicContentAdmin, SimpleHistoryAdmin):
    """Read-mostly view for administrators; officials work in the back-office (/quan-ly/)."""

    list_display = ("name", "kind", "registration_code", "commune", "is_sample")
    list_filter = ("kind", "is_sample")
    search_fields = ("name", "registration_code")
    readonly_fields = ("slug", "search_text")
