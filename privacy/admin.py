from __future__ import annotations

from django.contrib import admin
from django.utils import timezone

from . import selectors
from .models import CorrectionRequest, CorrectionStatus, StaffAccess


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(admin.ModelAdmin):
    list_display = ("created_at", "requester", "filing_reference", "status", "handled_by")
    list_filter = ("status",)
    search_fields = ("requester__email", "filing_reference")
    readonly_fields = ("requester", "filing_reference", "message", "created_at",
                       "handled_by", "handled_at")
    fields = ("requester", "filing_reference", "message", "created_at", "status", "response",
              "handled_by", "handled_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        if "status" in form.changed_data and obj.status != CorrectionStatus.OPEN:
            obj.handled_by = request.user
            obj.handled_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(StaffAccess)
class StaffAccessAdmin(admin.ModelAdmin):
    """Read-only; desk supervisors see their desks' members (see selectors), admins all."""

    list_display = ("at", "staff", "view_name", "filing_reference", "document_id",
                    "data_subject")
    search_fields = ("filing_reference", "staff__email")
    list_filter = ("view_name",)
    date_hierarchy = "at"

    def get_queryset(self, request):
        return selectors.staff_accesses_visible_to(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return selectors.may_see_staff_accesses(request.user)

    def has_module_permission(self, request) -> bool:
        return selectors.may_see_staff_accesses(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
