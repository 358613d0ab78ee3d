from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from certificates.models import Certificate, Decision, ExpiryReminder, Violation
from certificates.services import product_figures_refresh
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

    # An edit here bypasses the services: the catalogue's product figures follow it all the same
    # (the product it left too, when the edit moved the certificate to another product).
    def save_model(self, request, obj, form, change):
        before = Certificate.objects.filter(pk=obj.pk).values_list("product_id", flat=True).first()
        super().save_model(request, obj, form, change)
        product_figures_refresh([obj.product_id, before])

    def delete_model(self, request, obj):
        product_id = obj.product_id
        super().delete_model(request, obj)
        product_figures_refresh([product_id])

    def delete_queryset(self, request, queryset):
        product_ids = list(queryset.values_list("product_id", flat=True))
        super().delete_queryset(request, queryset)
        product_figures_refresh(product_ids)


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
