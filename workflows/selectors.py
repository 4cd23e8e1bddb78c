"""The engine's reads, scoped to what the user may see: the one place for desk access."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import AuditEvent, Case, Desk, DeskMembership, StepKind, Task, TaskState


def desks_of(user) -> QuerySet[Desk]:
    if not user.is_authenticated:
        return Desk.objects.none()
    return Desk.objects.filter(memberships__user=user)


def is_desk_member(user) -> bool:
    return desks_of(user).exists()


def tasks_visible_to(user) -> QuerySet[Task]:
    """Tasks of the user's desks that the case has reached (a task there is, or was, to be
    worked): a desk further down the line sees neither the task nor the subject yet."""
    return Task.objects.filter(desk__in=desks_of(user), ready_at__isnull=False).select_related(
        "desk", "assignee", "case__definition"
    )


# The case events whose actor is the applicant: who opened the case, who resubmitted it.
APPLICANT_ACTIONS = ("start", "resume")


def _applicant_events(case) -> QuerySet[AuditEvent]:
    """`case` is a Case, or OuterRef("case") in a subquery over tasks."""
    return AuditEvent.objects.filter(case=case, object_type="workflows.case",
                                     action__in=APPLICANT_ACTIONS, actor__isnull=False)


def filed_by(case: Case, user) -> bool:
    """Did `user` file this case (open it, or resubmit it after a correction)? Such a
    person never decides on it, whatever desks they belong to. The audit trail records it
    for every procedure, so the engine needs nothing from the subject's app."""
    if not getattr(user, "is_authenticated", False):
        return False
    return _applicant_events(case).filter(actor=user).exists()


def queue_for(user, *, desk: Desk | None = None) -> QuerySet[Task]:
    """Work to do: ready manual tasks and failed automatic checks of the user's desks,
    except on cases the user filed, and the tasks the user has claimed."""
    tasks = tasks_visible_to(user).filter(
        (Q(state=TaskState.READY, kind=StepKind.MANUAL) | Q(state=TaskState.FAILED))
        & ~Exists(_applicant_events(OuterRef("case")).filter(actor=user))
        | Q(state=TaskState.CLAIMED, assignee=user)
    )
    if desk is not None:
        tasks = tasks.filter(desk=desk)
    return tasks.prefetch_related("case__subject").order_by("due_at", "ready_at", "pk")


def case_tasks(case: Case) -> QuerySet[Task]:
    return case.tasks.select_related("desk", "assignee").order_by("position")


def is_supervisor_of(user, desk: Desk) -> bool:
    return DeskMembership.objects.filter(user=user, desk=desk, is_supervisor=True).exists()


def desk_members(desk: Desk, *, case: Case | None = None) -> QuerySet:
    """Active members of the desk; with a case, those who may work on it (not its filer)."""
    members = get_user_model().objects.filter(desk_memberships__desk=desk, is_active=True)
    if case is not None:
        members = members.exclude(pk__in=_applicant_events(case).values("actor_id"))
    return members


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
