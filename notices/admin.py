from django.contrib import admin

from notices.models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "created_at", "read_at")
    list_filter = ("read_at",)
    search_fields = ("title", "user__username")
    raw_id_fields = ("user",)
