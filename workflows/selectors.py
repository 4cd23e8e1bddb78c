"""The engine's reads, scoped to what the user may see: the one place for desk access."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from . import procedures
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


def subject_for_page(case: Case):
    """The case's subject as its task page shows it: read with the relations its back-office
    template reads (the subject's optional backoffice_related and backoffice_prefetch), and
    kept as the case's subject, so that every later use reads the same object."""
    subjects = case.subject_rows()
    subject = (subjects.select_related(*getattr(subjects.model, "backoffice_related", ()))
               .prefetch_related(*getattr(subjects.model, "backoffice_prefetch", ()))
               .filter(pk=case.subject_id).first())
    if subject is not None:
        case.subject = subject
    return subject


def desk_codes(user) -> frozenset[str]:
    """The codes of the desks the user works at. Remembered on the user object, which lives
    as long as its request: the access check, the layout and the access log all ask. For
    the pages of a request, not for services (a user object kept longer would not see a
    membership added meanwhile)."""
    if not user.is_authenticated:
        return frozenset()
    known = getattr(user, "_workflows_desk_codes", None)
    if known is None:
        known = frozenset(desks_of(user).values_list("code", flat=True))
        user._workflows_desk_codes = known
    return known


def is_desk_member(user) -> bool:
    """Whether the user works at a desk (desk_codes: remembered for the request)."""
    return bool(desk_codes(user))


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
    if _applicant_events(case).filter(actor=user).exists():
        return True
    # A subject may name more people who act for the applicant (a company's owner and the
    # accounts it authorised, for a filing one of them signed): procedures.ApplicantsSubject.
    procedure = procedures.find(case.definition.code)
    model = procedure.subject_model if procedure is not None else None
    if model is not None and issubclass(model, procedures.ApplicantsSubject):
        subject = model._default_manager.filter(pk=case.subject_id).first()
        return subject is not None and subject.acts_for_applicant(user)
    return False


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


def _takeable_among_open() -> Q:
    """_takeable() for tasks already known open (ready, claimed or failed): not claimed, and
    not an automatic task merely ready. The same tasks; but PostgreSQL multiplies the
    selectivities of `state IN (open)` and `state = 'ready'` as if independent, which made
    it expect a few dozen tasks where thousands match and sort them all rather than walk
    the index by due time and stop at the page's end."""
    return ~Q(state=TaskState.CLAIMED) & (~Q(state=TaskState.READY) | Q(kind=StepKind.MANUAL))


def queue_tasks(user, filters: QueueFilters, *, desk_ids: list[int]) -> QuerySet[Task]:
    """The open tasks of `desk_ids` (the user's desks) that `filters` select, unordered."""
    if filters.desk is not None:
        desk_ids = [filters.desk.pk] if filters.desk.pk in desk_ids else []
    tasks = _open_tasks_of(desk_ids)
    unclaimed = _takeable_among_open() & _not_filed_by(user)
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


# What a queue row shows, and nothing more: no JSON (the task's data, the definition's spec)
# decoded 50 times a page. The case's subject type and id stay for a case without a title.
QUEUE_ROW_FIELDS = (
    "id", "title", "state", "error", "due_at",
    "desk", "desk__name", "desk__code",
    "assignee", "assignee__email", "assignee__first_name", "assignee__last_name",
    "case", "case__reference", "case__title", "case__applicant", "case__subject_type",
    "case__subject_id", "case__definition", "case__definition__title",
)


@contextmanager
def _by_due_time():
    """On PostgreSQL, have the query walk the open tasks' index by due time (task_open_by_
    desk_due, task_open_by_due) and stop once the page is full, rather than gather every
    matching task and sort: a filter's selectivity (a step, overdue) is often misjudged by
    the planner, and a page then costs as much as the desk's whole backlog. A sparse filter
    walks further, but only through open tasks (the indexes are partial), never the closed
    ones that make up the bulk of the data. Only for the statement inside, in a transaction
    (SET LOCAL)."""
    if connection.vendor != "postgresql":
        yield
        return
    nested = connection.in_atomic_block
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('enable_sort', 'off', true)")
        yield
        if nested:  # the enclosing transaction goes on: as it was
            cursor.execute("SELECT set_config('enable_sort', 'on', true)")


def queue_page(user, filters: QueueFilters, *, desk_ids: list[int], after: Cursor | None = None,
               size: int = QUEUE_PAGE_SIZE) -> QueuePage:
    """One page of the queue by due time (no deadline last), then id: keyset pagination,
    so a deep page costs what the first one does and no task is repeated or skipped when
    others are claimed between two pages; never a COUNT. A search or "claimed by me" selects
    few tasks: one query finds them all through their own index, then sorts them. Otherwise
    two queries at most, each walking the open tasks' index by due time: tasks with a
    deadline, then, once those run out, tasks without one.
    """
    tasks = queue_tasks(user, filters, desk_ids=desk_ids).select_related(
        "desk", "assignee", "case__definition").only(*QUEUE_ROW_FIELDS)
    if search_form(filters.search) or filters.claimed == Claimed.MINE:
        if after is not None and after.due_at is None:
            tasks = tasks.filter(due_at__isnull=True, pk__gt=after.task_id)
        elif after is not None:
            tasks = tasks.filter(Q(due_at__gt=after.due_at)
                                 | Q(due_at=after.due_at, pk__gt=after.task_id)
                                 | Q(due_at__isnull=True))
        found = list(tasks.order_by(F("due_at").asc(nulls_last=True), "pk")[:size + 1])
        return _page_of(found, size)
    found: list[Task] = []
    if after is None or after.due_at is not None:
        dated = tasks.filter(due_at__isnull=False)
        if after is not None:
            # due_at >= d is the index's range; the OR only trims the ties at d.
            dated = dated.filter(Q(due_at__gt=after.due_at) | Q(pk__gt=after.task_id),
                                 due_at__gte=after.due_at)
        with _by_due_time():
            found = list(dated.order_by("due_at", "pk")[:size + 1])
    if len(found) <= size:
        undated = tasks.filter(due_at__isnull=True)
        if after is not None and after.due_at is None:
            undated = undated.filter(pk__gt=after.task_id)
        found += list(undated.order_by("pk")[:size + 1 - len(found)])
    return _page_of(found, size)


def _page_of(found: list[Task], size: int) -> QueuePage:
    """A page of `found` (in queue order, up to size + 1 tasks: one more, a next page)."""
    page = found[:size]
    next_cursor = (Cursor(due_at=page[-1].due_at, task_id=page[-1].pk)
                   if len(found) > size else None)
    return QueuePage(tasks=page, next_cursor=next_cursor)


_queue_choices_cache: dict = {}


def queue_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The procedures and steps the queue can be filtered by, as (code, title) and
    (step id, title), from the latest version of each published procedure.

    A published definition never changes: the choices are computed once per process for
    a given set of definitions (their ids, versions and checksums, read without the specs).
    """
    version = tuple(WorkflowDefinition.objects.order_by("pk").values_list(
        "pk", "code", "version", "checksum"))
    cached = _queue_choices_cache.get("choices")
    if cached is not None and cached[0] == version:
        return cached[1]
    choices = _compute_queue_choices()
    _queue_choices_cache["choices"] = (version, choices)
    return choices


def _compute_queue_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
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


# --- supervision -------------------------------------------------------------------------------

# The supervision screen's lists are cut at this length: never an unbounded list.
SUPERVISION_LIST_SIZE = 100


def supervised_desks(user) -> QuerySet[Desk]:
    """The desks `user` supervises."""
    if not user.is_authenticated:
        return Desk.objects.none()
    return Desk.objects.filter(memberships__user=user, memberships__is_supervisor=True)


def supervises(supervisor, member) -> bool:
    """Does `supervisor` supervise a desk `member` belongs to?"""
    return DeskMembership.objects.filter(
        user=member, desk__memberships__user=supervisor,
        desk__memberships__is_supervisor=True).exists()


def is_away(user) -> bool:
    """Is the desk member marked away (no task is handed to them)?"""
    return getattr(user, "away_since", None) is not None


def available_members(desk: Desk, *, case: Case | None = None) -> QuerySet:
    """desk_members() who are not away: those a task may be handed to."""
    return desk_members(desk, case=case).filter(away_since__isnull=True)


@dataclass(frozen=True)
class ClerkLoad:
    """One member of a desk and the desk's tasks they hold."""

    member: object
    is_supervisor: bool
    claimed: int
    overdue: int


def desk_load(desk: Desk, *, now: datetime | None = None) -> list[ClerkLoad]:
    """Each active member of the desk with the desk's tasks they have claimed and how many
    of those are overdue; two queries whatever the number of tasks."""
    now = now or timezone.now()
    counts = {
        row["assignee_id"]: row
        for row in Task.objects.filter(desk=desk, state=TaskState.CLAIMED)
        .values("assignee_id")
        .annotate(claimed=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
        .order_by()
    }
    memberships = (DeskMembership.objects.filter(desk=desk, user__is_active=True)
                   .select_related("user").order_by("user__last_name", "user__first_name",
                                                    "user__email"))
    return [
        ClerkLoad(member=membership.user, is_supervisor=membership.is_supervisor,
                  claimed=counts.get(membership.user_id, {}).get("claimed", 0),
                  overdue=counts.get(membership.user_id, {}).get("overdue", 0))
        for membership in memberships
    ]


def desk_overdue(desk: Desk, *, now: datetime | None = None,
                 size: int = SUPERVISION_LIST_SIZE) -> list[Task]:
    """The desk's open tasks past their deadline, earliest deadline first (served by the
    partial index task_open_by_desk_due)."""
    now = now or timezone.now()
    return list(_open_tasks_of([desk.pk]).filter(due_at__lt=now)
                .select_related("assignee", "case").order_by("due_at", "pk")[:size])


def desk_claimed(desk: Desk, *, size: int = SUPERVISION_LIST_SIZE) -> list[Task]:
    """The desk's claimed tasks, by clerk then deadline: what a supervisor may release or
    hand to someone else."""
    return list(Task.objects.filter(desk=desk, state=TaskState.CLAIMED)
                .select_related("assignee", "case")
                .order_by("assignee_id", F("due_at").asc(nulls_last=True), "pk")[:size])


def desk_failed_checks(desk: Desk, *, size: int = SUPERVISION_LIST_SIZE) -> list[Task]:
    """The desk's failed automatic checks waiting in its queue: a supervisor may run them
    again."""
    return list(Task.objects.filter(desk=desk, kind=StepKind.AUTOMATIC,
                                    state=TaskState.FAILED)
                .select_related("case").order_by(F("due_at").asc(nulls_last=True), "pk")[:size])
