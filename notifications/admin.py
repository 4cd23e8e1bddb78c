from django.contrib import admin

from .models import Delivery, Notification


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    readonly_fields = ("channel", "address", "status", "attempts", "last_error", "sent_at",
                       "provider_reference")
    fields = readonly_fields


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "event", "recipient", "title", "read_at")
    list_filter = ("event",)
    search_fields = ("recipient__email", "about", "title")
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Failed deliveries show here (filter by status) with their last error."""

    list_display = ("notification", "channel", "address", "status", "attempts", "sent_at",
                    "last_error")
    list_filter = ("status", "channel")
    search_fields = ("address", "notification__event")
    readonly_fields = ("notification", "channel", "address", "template", "text", "status",
                       "attempts", "last_error", "provider_reference", "sent_at")
