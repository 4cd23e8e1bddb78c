"""The operator's screen for background work: what failed, its error, and a re-run.

The admin is reached by staff with a second factor only (config/urls.py); re-running needs
the `outbox.change_message` permission.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Message, MessageState


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "task_name", "args", "state", "sends", "finished_at",
                    "short_error")
    list_filter = ("state", "task_name")
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Message._meta.fields]
    actions = ["rerun"]
    show_full_result_count = False  # a million rows: no COUNT(*) on every page

    @admin.display(description=_("erreur"))
    def short_error(self, message: Message) -> str:
        return message.error[:120]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Relancer les travaux en échec sélectionnés"),
                  permissions=["change"])
    def rerun(self, request, queryset) -> None:
        failed = list(queryset.filter(state=MessageState.FAILED).values_list("pk", flat=True))
        for message_id in failed:
            services.rerun(message_id=message_id, actor=request.user)
        self.message_user(request, ngettext("%(count)d travail relancé.",
                                            "%(count)d travaux relancés.",
                                            len(failed)) % {"count": len(failed)},
                          messages.SUCCESS)
