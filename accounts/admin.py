from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from workflows import services as desk_services

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active", "away_since")
    list_filter = ("is_staff", "is_superuser", "is_active")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name", "phone", "preferred_language")}),
        (_("Droits"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined", "away_since")}),
    )
    readonly_fields = ("away_since",)
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    actions = ["reset_second_factor"]

    @admin.action(description=_("Réinitialiser la double authentification"))
    def reset_second_factor(self, request, queryset):
        """After a confirmation page: remove the selected people's second factors (audited
        by the engine's trail); they set up a new one at their next visit."""
        if request.POST.get("confirmer") != "1":
            return TemplateResponse(request, "admin/accounts/reset_second_factor.html", {
                **self.admin_site.each_context(request),
                "title": _("Réinitialiser la double authentification"),
                "people": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            })
        done = 0
        for person in queryset:
            try:
                desk_services.reset_second_factor(member=person, by=request.user)
            except desk_services.WorkflowError as error:
                self.message_user(request, f"{person} : {error}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(request, gettext("Double authentification réinitialisée pour "
                                               "%(count)d personne(s).") % {"count": done},
                              messages.SUCCESS)
        return None
