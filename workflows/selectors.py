"""The engine's reads, scoped to what the user may see: the one place for desk access."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from .models import (
    OPEN_STATES,
    AuditEvent,
    Case,
    Desk,
    DeskMembership,
    StepKind,
    Task,
    TaskState,
    WorkflowDefinition,
    search_form,
)


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


# --- a desk's queue at any size ---------------------------------------------------------------

QUEUE_PAGE_SIZE = 50


class Claimed:
    """The queue's "claimed" filter."""

    MINE = "moi"
    ANYONE = "tous"
    UNCLAIMED = "non"


@dataclass(frozen=True)
class QueueFilters:
    """What a desk member narrows the queue to; empty values do not filter.

    Without `claimed`, the queue is the work to do: unclaimed tasks and the user's own.
    """

    desk: Desk | None = None
    procedure: str = ""
    step: str = ""
    state: str = ""
    overdue: bool = False
    claimed: str = ""
    search: str = ""


@dataclass(frozen=True)
class Cursor:
    """The last task a page showed: the next page starts strictly after it."""

    due_at: datetime | None
    task_id: int

    def encode(self) -> str:
        due = "n" if self.due_at is None else str(int(self.due_at.timestamp() * 1_000_000))
        return f"{due}.{self.task_id}"

    @classmethod
    def decode(cls, value: str) -> Cursor | None:
        """The cursor of a "next page" link; None for anything else (first page)."""
        due, _dot, task_id = (value or "").partition(".")
        try:
            moment = None if due == "n" else datetime.fromtimestamp(
                int(due) / 1_000_000, tz=UTC)
            return cls(due_at=moment, task_id=int(task_id))
        except (ValueError, OverflowError, OSError):
            return None


@dataclass(frozen=True)
class QueuePage:
    tasks: list[Task]
    next_cursor: Cursor | None


def _not_filed_by(user) -> Exists:
    return ~Exists(_applicant_events(OuterRef("case")).filter(actor=user))


def _takeable() -> Q:
    """Tasks waiting for a person: ready manual tasks and failed automatic checks."""
    return Q(state=TaskState.READY, kind=StepKind.MANUAL) | Q(state=TaskState.FAILED)


def _open_tasks_of(desk_ids) -> QuerySet[Task]:
    # state__in=OPEN_STATES is the predicate of the partial indexes (task_open_by_*).
    return Task.objects.filter(desk_id__in=desk_ids, state__in=OPEN_STATES,
                               ready_at__isnull=False)


def claimable_by(user, *, desk: Desk | None = None) -> QuerySet[Task]:
    """What "take the next task" may give the user, oldest due first."""
    desk_ids = [desk.pk] if desk is not None else list(desks_of(user).values_list("pk",
                                                                                   flat=True))
    return (_open_tasks_of(desk_ids).filter(_takeable()).filter(_not_filed_by(user))
            .order_by(F("due_at").asc(nulls_last=True), "pk"))


def queue_tasks(user, filters: QueueFilters, *, desk_ids: list[int]) -> QuerySet[Task]:
    """The open tasks of `desk_ids` (the user's desks) that `filters` select, unordered."""
    if filters.desk is not None:
        desk_ids = [filters.desk.pk] if filters.desk.pk in desk_ids else []
    tasks = _open_tasks_of(desk_ids)
    unclaimed = _takeable() & _not_filed_by(user)
    if filters.claimed == Claimed.MINE:
        tasks = tasks.filter(state=TaskState.CLAIMED, assignee=user)
    elif filters.claimed == Claimed.ANYONE:
        tasks = tasks.filter(state=TaskState.CLAIMED)
    elif filters.claimed == Claimed.UNCLAIMED:
        tasks = tasks.filter(unclaimed)
    else:
        tasks = tasks.filter(unclaimed | Q(state=TaskState.CLAIMED, assignee=user))
    if filters.state:
        tasks = tasks.filter(state=filters.state)
    if filters.step:
        tasks = tasks.filter(step_id=filters.step)
    if filters.procedure:
        tasks = tasks.filter(case__definition__code=filters.procedure)
    if filters.overdue:
        tasks = tasks.filter(due_at__lt=timezone.now())
    term = search_form(filters.search)
    if term:
        tasks = tasks.filter(case__search_text__contains=term)
    return tasks


def queue_page(user, filters: QueueFilters, *, desk_ids: list[int], after: Cursor | None = None,
               size: int = QUEUE_PAGE_SIZE) -> QueuePage:
    """One page of the queue by due time (no deadline last), then id: keyset pagination,
    so a deep page costs what the first one does and no task is repeated or skipped when
    others are claimed between two pages. Two queries at most: tasks with a deadline,
    then, once those run out, tasks without one; never a COUNT.
    """
    tasks = queue_tasks(user, filters, desk_ids=desk_ids).select_related(
        "desk", "assignee", "case__definition")
    found: list[Task] = []
    if after is None or after.due_at is not None:
        dated = tasks.filter(due_at__isnull=False)
        if after is not None:
            # due_at >= d is the index's range; the OR only trims the ties at d.
            dated = dated.filter(Q(due_at__gt=after.due_at) | Q(pk__gt=after.task_id),
                                 due_at__gte=after.due_at)
        found = list(dated.order_by("due_at", "pk")[:size + 1])
    if len(found) <= size:
        undated = tasks.filter(due_at__isnull=True)
        if after is not None and after.due_at is None:
            undated = undated.filter(pk__gt=after.task_id)
        found += list(undated.order_by("pk")[:size + 1 - len(found)])
    page = found[:size]
    next_cursor = (Cursor(due_at=page[-1].due_at, task_id=page[-1].pk)
                   if len(found) > size else None)
    return QueuePage(tasks=page, next_cursor=next_cursor)


def queue_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The procedures and steps the queue can be filtered by, as (code, title) and
    (step id, title), from the latest version of each published procedure."""
    latest = {}
    for definition in WorkflowDefinition.objects.order_by("code", "-version"):
        latest.setdefault(definition.code, definition)
    steps: dict[str, str] = {}
    for definition in latest.values():
        for step in definition.spec.get("steps", []):
            steps.setdefault(step["id"], step.get("title", step["id"]))
    procedures = [(code, definition.title) for code, definition in sorted(latest.items())]
    return procedures, sorted(steps.items(), key=lambda item: item[1])


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
