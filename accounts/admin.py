from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = ("username", "get_full_name", "role", "producer", "is_active")
    list_filter = ("role", "is_active", "communes")
    filter_horizontal = ("communes", "groups", "user_permissions")
    autocomplete_fields = ("producer",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Phân quyền OCOP"), {"fields": ("role", "communes", "producer", "phone")}),
    )
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, (_("Phân quyền OCOP"), {"fields": ("role", "producer")}))
