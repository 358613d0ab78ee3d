from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from certificates.models import Certificate


@admin.register(Certificate)
class CertificateAdmin(SimpleHistoryAdmin):
    list_display = ("product", "stars", "issued_on", "expires_on", "is_current", "revoked_on", "public_code")
    list_filter = ("stars", "is_current", "criteria_set")
    readonly_fields = ("public_code",)
