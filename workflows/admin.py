from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    AuditEvent,
    Case,
    CaseState,
    Desk,
    DeskMembership,
    Task,
    TaskState,
    WorkflowDefinition,
)

# What the audit trail's codes mean, for the people who read it.
ACTION_LABELS = {
    "start": _("ouverture"), "ready": _("mise à disposition"), "claim": _("prise en charge"),
    "release": _("remise dans la file"), "reassign": _("réattribution"),
    "approve": _("approbation"), "return": _("renvoi pour correction"), "reject": _("rejet"),
    "suspend": _("attente du demandeur"), "resume": _("reprise"), "reopen": _("réouverture"),
    "cancel": _("annulation"), "complete": _("clôture"), "run": _("contrôle lancé"),
    "rerun": _("contrôle relancé"), "check_passed": _("contrôle réussi"),
    "check_failed": _("contrôle en échec"), "escalate": _("escalade"),
    "away": _("absence"), "back": _("retour"),
    "mfa_reset": _("double authentification réinitialisée"),
}
STATE_LABELS = {**dict(CaseState.choices), **dict(TaskState.choices),
                "away": _("absent"), "present": _("présent")}


class ProcedureFilter(admin.SimpleListFilter):
    """Procedures by their title, not their code."""

    title = _("procédure")
    parameter_name = "procedure"

    def lookups(self, request, model_admin):
        titles = {}
        for code, title in WorkflowDefinition.objects.order_by("code", "-version").values_list(
                "code", "title"):
            titles.setdefault(code, title)
        return sorted(titles.items(), key=lambda item: item[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(definition__code=self.value())
        return queryset


class DeskMembershipInline(admin.TabularInline):
    model = DeskMembership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Desk)
class DeskAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    inlines = [DeskMembershipInline]


@admin.register(WorkflowDefinition)
class WorkflowDefinitionAdmin(admin.ModelAdmin):
    list_display = ("title", "code", "version", "published_at")
    readonly_fields = ("code", "version", "title", "spec", "checksum", "published_at")


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0
    can_delete = False
    readonly_fields = ("title", "desk", "state", "assignee", "due_at", "decided_at")
    fields = readonly_fields


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("pk", "reference", "title", "procedure", "state", "started_at", "ended_at")
    list_filter = ("state", ProcedureFilter)
    list_select_related = ("definition",)
    readonly_fields = ("definition", "subject_type", "subject_id", "state", "started_at",
                       "ended_at")
    inlines = [TaskInline]

    @admin.display(description=_("procédure"), ordering="definition__title")
    def procedure(self, case: Case) -> str:
        return case.definition.title


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("sequence", "at", "actor", "object_type", "object_id", "action_label",
                    "from_state_label", "to_state_label")
    list_filter = ("action", "object_type")
    list_select_related = ("actor",)

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, event: AuditEvent) -> str:
        return ACTION_LABELS.get(event.action, event.action)

    @admin.display(description=_("état de départ"))
    def from_state_label(self, event: AuditEvent) -> str:
        return STATE_LABELS.get(event.from_state, event.from_state)

    @admin.display(description=_("état d'arrivée"))
    def to_state_label(self, event: AuditEvent) -> str:
        return STATE_LABELS.get(event.to_state, event.to_state)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("pk", "title", "desk", "kind", "state", "assignee", "due_at")
    list_filter = ("state", "kind", "desk")
    list_select_related = ("desk", "assignee")
    readonly_fields = ("case", "step_id", "title", "position", "kind", "desk", "state",
                       "assignee", "ready_at", "due_at", "decided_at", "escalated_at",
                       "comment", "error", "data")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
