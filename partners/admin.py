"""Partners in the admin (staff with a second factor only: config/urls.py): tokens created
here show their key once; logs and deliveries are read-only."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services, webhooks
from .models import (
    ApiCall,
    Partner,
    PartnerToken,
    Scope,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "desk", "active", "created_at")
    list_filter = ("kind", "active")
    search_fields = ("name",)
    readonly_fields = ("service_user", "created_at")

    def save_model(self, request, obj, form, change):
        services.save_partner(obj)


class TokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(label=_("droits"), choices=Scope.choices,
                                       widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = PartnerToken
        fields = ("partner", "label", "scopes", "expires_at")


@admin.register(PartnerToken)
class PartnerTokenAdmin(admin.ModelAdmin):
    form = TokenForm
    list_display = ("prefix", "partner", "label", "scopes", "created_at", "expires_at",
                    "revoked_at", "last_used_at")
    list_filter = ("partner",)
    search_fields = ("prefix", "partner__name", "label")
    readonly_fields = ("prefix", "created_at", "revoked_at", "last_used_at")
    actions = ("revoke",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:  # the scopes are read-only then: not the checkboxes' form
            kwargs["form"] = forms.ModelForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # A token's rights are fixed once issued: a new right means a new token.
        if obj is not None:
            return (*self.readonly_fields, "partner", "scopes")
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        key = obj.set_new_secret()
        obj.scopes = sorted(set(obj.scopes))
        obj.save()
        messages.warning(request, _("Jeton créé. Copiez-le maintenant, il ne sera plus "
                                    "affiché : %(key)s") % {"key": key})

    @admin.action(description=_("Révoquer les jetons sélectionnés"))
    def revoke(self, request, queryset):
        count = services.revoke_tokens(queryset)
        self.message_user(request, ngettext("%(count)d jeton révoqué.",
                                            "%(count)d jetons révoqués.", count)
                          % {"count": count})


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiCall)
class ApiCallAdmin(ReadOnlyAdmin):
    list_display = ("at", "token", "method", "path", "status", "duration_ms")
    list_filter = ("status", "method")
    date_hierarchy = "at"
    list_select_related = ("token__partner",)
    show_full_result_count = False  # no COUNT over the whole log on each page


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=_("adresse de réception"), max_length=500,
                         assume_scheme="https")
    events = forms.MultipleChoiceField(label=_("événements"), choices=WebhookEvent.choices,
                                       widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = WebhookSubscription
        fields = ("partner", "url", "events", "secret", "active")


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ("partner", "url", "events", "active")
    list_filter = ("active",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "event", "subscription", "status", "attempts", "sent_at",
                    "next_attempt_at")
    list_filter = ("status", "event")
    list_select_related = ("subscription__partner",)
    show_full_result_count = False
    actions = ("resend",)

    @admin.action(description=_("Renvoyer les notifications en échec sélectionnées"))
    def resend(self, request, queryset):
        count = webhooks.resend(queryset)
        self.message_user(request, ngettext("%(count)d notification renvoyée.",
                                            "%(count)d notifications renvoyées.", count)
                          % {"count": count})
