"""The engine's reads, scoped to what the user may see: the one place for desk access."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from .models import AuditEvent, Case, Desk, DeskMembership, StepKind, Task, TaskState


def desks_of(user) -> QuerySet[Desk]:
    if not user.is_authenticated:
        return Desk.objects.none()
    return Desk.objects.filter(memberships__user=user)


def is_desk_member(user) -> bool:
    return desks_of(user).exists()


def tasks_visible_to(user) -> QuerySet[Task]:
    """Tasks of the desks the user belongs to, and nothing else."""
    return Task.objects.filter(desk__in=desks_of(user)).select_related(
        "desk", "assignee", "case__definition"
    )


def queue_for(user, *, desk: Desk | None = None) -> QuerySet[Task]:
    """Work to do: ready manual tasks and failed automatic checks of the user's desks,
    and the tasks the user has claimed."""
    tasks = tasks_visible_to(user).filter(
        Q(state=TaskState.READY, kind=StepKind.MANUAL)
        | Q(state=TaskState.FAILED)
        | Q(state=TaskState.CLAIMED, assignee=user)
    )
    if desk is not None:
        tasks = tasks.filter(desk=desk)
    return tasks.prefetch_related("case__subject").order_by("due_at", "ready_at", "pk")


def case_tasks(case: Case) -> QuerySet[Task]:
    return case.tasks.select_related("desk", "assignee").order_by("position")


def is_supervisor_of(user, desk: Desk) -> bool:
    return DeskMembership.objects.filter(user=user, desk=desk, is_supervisor=True).exists()


def desk_members(desk: Desk) -> QuerySet:
    return get_user_model().objects.filter(desk_memberships__desk=desk, is_active=True)


def case_for(subject) -> Case | None:
    """The subject's latest case (a filing corrected and resubmitted keeps its case)."""
    return (
        Case.objects.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
        )
        .select_related("definition")
        .order_by("-started_at")
        .first()
    )


def subject_history(subject, tasks) -> QuerySet[AuditEvent]:
    """The audit events of a subject, with the approvals of its case's `tasks`, in chain
    order (what its status page tells the applicant)."""
    return AuditEvent.objects.filter(
        Q(object_type=subject._meta.label_lower, object_id=str(subject.pk))
        | Q(object_type="workflows.task", object_id__in=[str(task.pk) for task in tasks],
            action="approve")
    ).order_by("sequence")


def subjects_reached_by(model, user) -> QuerySet:
    """Ids of `model` subjects whose case reached one of the user's desks: a task there is,
    or was, to be worked (a desk further down the line sees nothing yet)."""
    return Case.objects.filter(
        subject_type=ContentType.objects.get_for_model(model),
        tasks__desk__in=desks_of(user),
        tasks__ready_at__isnull=False,
    ).values("subject_id")
