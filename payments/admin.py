"""The operators' screens: the fee schedule (edited here, line by line with its date),
and read-only views of invoices, payments (those paid twice, to refund, filtered), the
providers' notifications and the cashiers' closings. Payments change only through the
services, never by hand."""

from django.contrib import admin

from .models import CounterClosing, FeeSchedule, Invoice, Payment, ProviderEvent


@admin.register(FeeSchedule)
class FeeScheduleAdmin(admin.ModelAdmin):
    list_display = ("service", "legal_form", "amount", "effective_from", "legal_basis")
    list_filter = ("service", "legal_form")
    ordering = ("service", "legal_form", "-effective_from")

    def has_delete_permission(self, request, obj=None) -> bool:
        # A line that billed an invoice explains its amount: it stays.
        return False

    def get_readonly_fields(self, request, obj=None):
        # Once it billed an invoice, a line is history: a new decree is a new line.
        if obj is not None and Invoice.objects.filter(fee=obj).exists():
            return ("service", "legal_form", "amount", "effective_from")
        return ()


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PaymentInline(admin.TabularInline):
    model = Payment
    fields = ("reference", "channel", "method", "amount", "state", "created_at", "settled_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ("number", "subject_reference", "subject_title", "amount", "state",
                    "fee_outcome", "issued_at", "settled_at")
    list_filter = ("state", "fee_outcome", "service")
    search_fields = ("=number", "=subject_reference")
    show_full_result_count = False
    inlines = [PaymentInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("reference", "invoice", "channel", "method", "amount", "state",
                    "created_at", "settled_at")
    list_filter = ("state", "channel")
    search_fields = ("=reference", "=provider_reference", "=invoice__number")
    list_select_related = ("invoice",)
    show_full_result_count = False


@admin.register(ProviderEvent)
class ProviderEventAdmin(ReadOnlyAdmin):
    list_display = ("provider", "event_id", "payment", "received_at", "processed_at",
                    "outcome")
    list_filter = ("provider",)
    search_fields = ("=event_id", "=payment__reference")
    list_select_related = ("payment",)
    show_full_result_count = False


@admin.register(CounterClosing)
class CounterClosingAdmin(ReadOnlyAdmin):
    list_display = ("day", "cashier", "count", "total", "closed_at")
    list_filter = ("day",)
    list_select_related = ("cashier",)

