from django.contrib import admin

from .models import Application, Company, FilingSignature, Party, ProhibitedPerson


class PartyInline(admin.StackedInline):
    model = Party
    extra = 0


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("reference", "company_name", "legal_form", "state", "owner", "created_at")
    list_filter = ("state", "legal_form")
    search_fields = ("reference", "company_name", "owner__email", "rccm_number")
    readonly_fields = ("state", "reference", "normalized_name", "rccm_number", "submitted_at",
                       "decided_at")
    inlines = [PartyInline]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("rccm_number", "name", "legal_form", "registered_at")
    search_fields = ("rccm_number", "name", "nif")
    readonly_fields = ("application", "certificate", "normalized_name")


@admin.register(ProhibitedPerson)
class ProhibitedPersonAdmin(admin.ModelAdmin):
    """The list screening checks managers against (court decisions)."""

    list_display = ("last_name", "first_name", "birth_date", "id_document_number", "until")
    search_fields = ("last_name", "first_name", "id_document_number")


@admin.register(FilingSignature)
class FilingSignatureAdmin(admin.ModelAdmin):
    list_display = ("application", "signer", "signed_at", "ip_address", "snapshot_sha256")
    readonly_fields = ("application", "signer", "declaration", "signed_at", "ip_address",
                       "snapshot", "snapshot_sha256")

    def has_change_permission(self, request, obj=None) -> bool:
        return False
