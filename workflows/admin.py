from django.contrib import admin

from .models import AuditEvent, Case, Desk, DeskMembership, Task, WorkflowDefinition


class DeskMembershipInline(admin.TabularInline):
    model = DeskMembership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Desk)
class DeskAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    inlines = [DeskMembershipInline]


@admin.register(WorkflowDefinition)
class WorkflowDefinitionAdmin(admin.ModelAdmin):
    list_display = ("code", "version", "title", "published_at")
    readonly_fields = ("code", "version", "title", "spec", "checksum", "published_at")


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0
    can_delete = False
    readonly_fields = ("step_id", "desk", "state", "assignee", "due_at", "decided_at")
    fields = readonly_fields


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("pk", "definition", "state", "started_at", "ended_at")
    list_filter = ("state", "definition__code")
    readonly_fields = ("definition", "subject_type", "subject_id", "state", "started_at",
                       "ended_at")
    inlines = [TaskInline]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("sequence", "at", "actor", "object_type", "object_id", "action",
                    "from_state", "to_state")
    list_filter = ("action", "object_type")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("pk", "title", "desk", "state", "assignee", "due_at")
    list_filter = ("state", "desk")
    list_select_related = ("desk", "assignee")
    readonly_fields = ("case", "step_id", "title", "position", "kind", "desk", "state",
                       "assignee", "ready_at", "due_at", "decided_at", "escalated_at",
                       "comment", "error", "data")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
