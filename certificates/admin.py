from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from certificates.models import Certificate, Decision, ExpiryReminder, Violation
from core.content import ChangesPublicContentAdmin


@admin.register(Certificate)
class CertificateAdmin(ChangesPublicContentAdmin, SimpleHistoryAdmin):
    list_display = (
        "product",
        "number",
        "stars",
        "issued_on",
        "expires_on",
        "is_current",
        "revoked_on",
        "public_code",
    )
    list_filter = ("stars", "is_current", "criteria_set", "issuer")
    search_fields = ("number", "public_code", "decision_number", "product__name")
    readonly_fields = ("public_code",)
    raw_id_fields = ("product", "decision", "revocation_decision")


@admin.register(Decision)
class DecisionAdmin(ChangesPublicContentAdmin, SimpleHistoryAdmin):
    list_display = ("number", "signed_on", "kind", "issuer", "signer_name")
    list_filter = ("kind", "issuer")
    search_fields = ("number", "signer_name")


@admin.register(Violation)
class ViolationAdmin(SimpleHistoryAdmin):
    list_display = ("certificate", "found_on", "reason", "due_on", "revocation_decision")
    list_filter = ("reason",)
    raw_id_fields = ("certificate", "revocation_decision")


@admin.register(ExpiryReminder)
class ExpiryReminderAdmin(admin.ModelAdmin):
    list_display = ("certificate", "stage", "sent_on", "recipients")
    list_filter = ("stage",)
    raw_id_fields = ("certificate",)
