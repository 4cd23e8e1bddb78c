"""The engine's writes: start a case, claim and decide tasks, run checks, move the case on.

Every function runs in one transaction with the task row locked, writes one audit event
per transition, and calls the definition's handlers (the subject's own services) inside
that same transaction, so that a failure leaves nothing half done. Background work (checks,
e-mails) is recorded in that transaction too and sent after commit (outbox.services).
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from notifications.services import notify
from outbox import services as outbox

from . import audit, procedures, selectors
from .definitions import applies
from .models import (
    OPEN_STATES,
    Case,
    CaseState,
    Desk,
    DeskMembership,
    Note,
    StepKind,
    Task,
    TaskState,
    WorkflowDefinition,
)
from .summaries import refresh_summary, summary_fields


class WorkflowError(Exception):
    """A request the engine refuses; the message is shown to the user as is."""


class CheckFailed(Exception):
    """Raised by an automatic step's handler: the task goes to a person with this message,
    and with what the check found (`evidence`: rows of {"label", "value"}) to judge it."""

    def __init__(self, message: str = "", *, evidence=()):
        super().__init__(message)
        self.evidence = list(evidence)


class CheckResult(str):
    """What an automatic step's handler may return instead of a bare note: the note itself
    (a str, so callers reading the note are unchanged), carrying what the check found,
    rows of {"label", "value"} the desk sees on the task."""

    evidence: list

    def __new__(cls, note: str, evidence=()):
        result = super().__new__(cls, note)
        result.evidence = list(evidence)
        return result


def _evidence_rows(rows) -> list[dict[str, str]]:
    """The handler's findings as the engine stores them: text only, labelled rows."""
    return [{"label": str(row.get("label", "")), "value": str(row.get("value", ""))}
            for row in rows or () if isinstance(row, dict)]


def latest_definition(code: str) -> WorkflowDefinition:
    definition = WorkflowDefinition.objects.filter(code=code).order_by("-version").first()
    if definition is None:
        raise WorkflowError(_("La procédure « %(code)s » n'est pas publiée.") % {"code": code})
    return definition


def subject_facts(subject: procedures.WorkflowSubject) -> dict:
    """What a definition's conditions may test; the subject says (workflow_facts())."""
    return dict(subject.workflow_facts())


def _handler(case: Case, name: str):
    """A handler the case's procedure registered under `name` (named in its definition)."""
    return procedures.get(case.definition.code).handler(name)


@audit.atomic
def start_case(*, definition_code: str, subject: procedures.WorkflowSubject,
               actor=None) -> Case:
    """Open a case on the latest published version and make its first steps ready.

    Steps whose condition does not hold for the subject get no task at all. The subject
    must be of the model its procedure registered (if it registered one).
    """
    definition = latest_definition(definition_code)
    procedure = procedures.find(definition_code)  # one without handlers needs no registration
    if procedure is not None and not isinstance(subject, procedure.subject_model):
        raise TypeError(f"'{definition_code}' runs on {procedure.subject_model.__name__}, "
                        f"not {type(subject).__name__}")
    case = Case.objects.create(
        definition=definition,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        **summary_fields(subject),
    )
    audit.record(obj=case, action="start", to_state=case.state, actor=actor, case=case)
    desks = {desk.code: desk for desk in Desk.objects.all()}
    facts = subject_facts(subject)
    Task.objects.bulk_create(
        Task(
            case=case,
            step_id=step["id"],
            title=step.get("title", step["id"]),
            position=position,
            kind=step.get("kind", StepKind.MANUAL),
            desk=desks[step["desk"]],
        )
        for position, step in enumerate(definition.spec["steps"])
        if applies(step, facts)
    )
    _advance(case, actor=actor)
    return case


def lock_case_of(subject_type: ContentType, subject_id: int) -> Case | None:
    """Lock the subject's latest case, for services of the subject's app that go on to
    change the case: they must lock it before their own rows, as decisions do."""
    case_id = (Case.objects.filter(subject_type=subject_type, subject_id=subject_id)
               .order_by("-started_at").values_list("pk", flat=True).first())
    return _locked_case(case_id) if case_id else None


# --- transitions and their audit events --------------------------------------------------


# Locking: a decision locks its case row (never the task rows, nor the shared definition
# row), so every decision on one case is serialised and locks are always taken in one
# order (case, then the audit chain head): no deadlock between parallel desks. Claims and
# releases touch one task only; they, like everything else, save a task with an
# optimistic check on its state (ConcurrentTransitionMixin), so a decision and a claim
# racing on one task cannot both win.


def _task(task_id: int) -> Task:
    return Task.objects.select_related("case__definition").get(pk=task_id)


# FOR NO KEY UPDATE: decisions on one case still wait for each other, but a row that only
# refers to the case (an audit event, a claimed task's save) never waits for a decision's
# lock: with FOR UPDATE, a claim holding its task and inserting its audit event waited on a
# decision holding the case and wanting that task, a deadlock (seen under load).
def _cases_locked():
    return Case.objects.select_for_update(of=("self",), no_key=True).select_related(
        "definition")


def _locked_case(case_id: int) -> Case:
    return _cases_locked().get(pk=case_id)


def _task_under_case_lock(task_id: int) -> Task:
    """Lock the task's case, then read the task: the read is current for every field."""
    case = _cases_locked().get(tasks__pk=task_id)
    # The desk comes along (unlocked): handlers and notifications name it.
    task = Task.objects.select_related("desk").get(pk=task_id)
    task.case = case
    return task


def _transition(task: Task, method: str, *, actor, action: str, note: str = "", **kwargs):
    from_state = task.state
    getattr(task, method)(**kwargs)
    try:
        task.save()
    except ConcurrentTransition as error:
        raise WorkflowError(_("Cette tâche a déjà été modifiée par un autre agent : "
                              "votre action n'a pas été enregistrée.")) from error
    audit.record(obj=task, action=action, from_state=from_state, to_state=task.state,
                 actor=actor, comment=note, case=task.case)


def _case_transition(case: Case, method: str, *, actor, action: str, comment: str = "") -> None:
    from_state = case.state
    getattr(case, method)()
    case.save()
    audit.record(obj=case, action=action, from_state=from_state, to_state=case.state,
                 actor=actor, comment=comment, case=case)


def _require(task: Task, allowed, message: str) -> None:
    if task.state not in allowed:
        raise WorkflowError(message)


def _require_assignee(task: Task, user) -> None:
    if task.assignee_id != user.pk:
        raise WorkflowError(_("Seul l'agent qui a pris la tâche en charge peut la traiter."))


def _require_not_applicant(task: Task, user) -> None:
    """Nobody decides on a filing they filed themselves, whatever desks they belong to."""
    if selectors.filed_by(task.case, user):
        raise WorkflowError(_("Vous avez vous-même déposé ce dossier : vous ne pouvez ni "
                              "le prendre en charge ni décider à son sujet. Un autre agent "
                              "du guichet doit le traiter."))


def _require_open_case(task: Task) -> None:
    if task.case.state not in (CaseState.RUNNING, CaseState.SUSPENDED):
        raise WorkflowError(_("Ce dossier est clos : plus aucune décision n'est possible."))


# --- a person's work ------------------------------------------------------------------------


@audit.atomic
def claim_task(*, task_id: int, user) -> Task:
    """Take a ready task, or a failed automatic check, from the desk's queue."""
    task = _task(task_id)
    _require(
        task,
        {TaskState.READY, TaskState.FAILED},
        _("Cette tâche a déjà été prise en charge ou traitée par un autre agent."),
    )
    if task.kind == StepKind.AUTOMATIC and task.state == TaskState.READY:
        raise WorkflowError(_("Ce contrôle automatique est en cours : attendez son résultat."))
    _require_not_applicant(task, user)
    _require_member(task, user)
    _require_present(user)
    _transition(task, "claim", actor=user, action="claim", user=user)
    return task


def _require_member(task: Task, user) -> None:
    if not DeskMembership.objects.filter(desk_id=task.desk_id, user=user).exists():
        raise WorkflowError(_("Vous n'appartenez pas au guichet de cette tâche."))


def _require_present(user) -> None:
    """A clerk marked away takes no task (their claimed ones went back to the queue)."""
    if selectors.is_away(user):
        raise WorkflowError(_("Vous êtes marqué absent : signalez votre retour avant de "
                              "prendre une tâche."))


def may_decide_without_claim(task: Task) -> bool:
    """Is `task` a ready manual task of a desk whose policy (desks.yaml) lets a member
    decide on it at once, without a separate claim step?"""
    return (task.state == TaskState.READY and task.kind == StepKind.MANUAL
            and task.ready_at is not None and task.desk.decide_without_claim)


def _claim_to_decide(task: Task, user) -> None:
    """On a desk whose policy allows it, take a ready manual task for the decision that
    follows, with the checks of a claim; its claim event is written with the decision's,
    in the caller's transaction (a failed decision leaves the task ready, with neither)."""
    if not may_decide_without_claim(task):
        return
    _require_member(task, user)
    _require_not_applicant(task, user)
    _require_present(user)
    _require_open_case(task)
    _transition(task, "claim", actor=user, action="claim", user=user)


# How many taken candidates "take the next task" steps over where rows cannot be locked
# and skipped (SQLite): each one lost means another clerk took it in the meantime.
NEXT_TASK_ATTEMPTS = 5


@audit.atomic
def claim_next_task(*, user, desk: Desk | None = None) -> Task | None:
    """Take the oldest ready task (by due time) of the user's desks, or of `desk`: a ready
    manual task or a failed automatic check, never on a case the user filed. None when
    there is nothing to take.

    On PostgreSQL the candidate row is locked and rows other clerks are taking are skipped
    (SELECT ... FOR UPDATE SKIP LOCKED), so clerks clicking at once get different tasks
    without waiting on each other; elsewhere a lost race moves on to the next candidate.
    """
    _require_present(user)
    candidates = selectors.claimable_by(user, desk=desk)
    skip_locked = connection.features.has_select_for_update_skip_locked
    if skip_locked:
        candidates = candidates.select_for_update(skip_locked=True, of=("self",))
    for _attempt in range(1 if skip_locked else NEXT_TASK_ATTEMPTS):
        task = candidates.first()
        if task is None:
            return None
        try:
            _transition(task, "claim", actor=user, action="claim", user=user)
        except WorkflowError:
            continue
        return task
    return None


@audit.atomic
def release_task(*, task_id: int, user) -> Task:
    task = _task(task_id)
    _require(task, {TaskState.CLAIMED}, _("Cette tâche n'est pas prise en charge."))
    _require_assignee(task, user)
    _transition(task, _release_method(task), actor=user, action="release")
    return task


def _release_method(task: Task) -> str:
    """A claimed task goes back to the queue; a failed automatic check, still failed."""
    return "release_failed_check" if task.kind == StepKind.AUTOMATIC else "release"


@audit.atomic
def reassign_task(*, task_id: int, supervisor, to_user) -> Task:
    """A desk supervisor hands an open task to another member of the desk."""
    task = _task_under_case_lock(task_id)
    if not selectors.is_supervisor_of(supervisor, task.desk):
        raise WorkflowError(_("Seul un superviseur du guichet peut réattribuer une tâche."))
    if not DeskMembership.objects.filter(desk=task.desk, user=to_user).exists():
        raise WorkflowError(_("Cet agent n'appartient pas au guichet de la tâche."))
    _require(task, {TaskState.READY, TaskState.CLAIMED, TaskState.FAILED},
             _("Cette tâche n'est plus ouverte."))
    if task.kind == StepKind.AUTOMATIC and task.state == TaskState.READY:
        raise WorkflowError(_("Ce contrôle automatique est en cours : attendez son résultat."))
    if selectors.filed_by(task.case, to_user):
        raise WorkflowError(_("Cet agent a lui-même déposé ce dossier : confiez la tâche à "
                              "un autre agent du guichet."))
    if selectors.is_away(to_user):
        raise WorkflowError(_("Cet agent est absent : confiez la tâche à un agent présent."))
    _transition(task, "reassign", actor=supervisor, action="reassign", user=to_user,
                note=str(to_user))
    notify(event="task_assigned", user=to_user,
           about=f"workflows.task:{task.pk}:assigned:{timezone.now().isoformat()}",
           link=reverse("workflows:task", args=[task.pk]),
           context={"task_title": task.title, "subject": str(task.case.subject),
                    "assigned_by": str(supervisor)})
    return task


def clean_step_data(step: dict, data: dict | None) -> dict:
    """Check the fields a desk fills in (e.g. the NIF); raise WorkflowError naming one."""
    cleaned = {}
    for field in step.get("fields", []):
        value = " ".join(str((data or {}).get(field["name"], "")).split())
        if field.get("normalize") == "digits":
            value = value.replace(" ", "")
        if not value:
            if field.get("required", True):
                raise WorkflowError(_("Le champ « %(label)s » est obligatoire.")
                                    % {"label": field["label"]})
            continue
        if field.get("pattern") and not re.fullmatch(field["pattern"], value, re.ASCII):
            raise WorkflowError(_("Le champ « %(label)s » n'a pas le format attendu.")
                                % {"label": field["label"]})
        cleaned[field["name"]] = value
    return cleaned


@audit.atomic
def approve_task(*, task_id: int, user, comment: str = "", data: dict | None = None) -> Task:
    """Approve a claimed task (or a ready one, where the desk's policy allows deciding
    without a claim), run its approval handler, and move the case on."""
    task = _task_under_case_lock(task_id)
    _claim_to_decide(task, user)
    _require(
        task,
        {TaskState.CLAIMED},
        _("Cette tâche a déjà été traitée : votre décision n'a pas été enregistrée."),
    )
    _require_assignee(task, user)
    _require_not_applicant(task, user)
    _require_open_case(task)
    step = task.case.definition.step(task.step_id)
    task.data = clean_step_data(step, data)
    _transition(task, "approve", actor=user, action="approve", note=comment, comment=comment)
    _after_approval(task, step, actor=user)
    return task


def _after_approval(task: Task, step: dict, *, actor) -> None:
    if step.get("on_approve"):
        _handler(task.case, step["on_approve"])(case=task.case, task=task, actor=actor)
    _call_case_handler(task.case, "on_step_approved", task=task, actor=actor)
    _advance(task.case, actor=actor)
    # The handlers may have recorded an identifier (a NIF; the RCCM number on completion).
    refresh_summary(task.case)


@audit.atomic
def return_task(*, task_id: int, user, comment: str, fields: list[str] | None = None) -> Task:
    """Send the filing back to the applicant for correction; the case waits for them.

    `fields` names what the applicant may change. Desks that already approved keep their
    approval: the applicant can change only what the returning desk named.
    """
    if not comment.strip():
        raise WorkflowError(_("Indiquez au demandeur ce qu'il doit corriger."))
    task = _task_under_case_lock(task_id)
    _claim_to_decide(task, user)
    _require(task, {TaskState.CLAIMED}, _("Cette tâche a déjà été traitée."))
    _require_assignee(task, user)
    _require_not_applicant(task, user)
    _require_open_case(task)
    _transition(task, "send_back", actor=user, action="return", note=comment, comment=comment)
    case = task.case
    if case.state == CaseState.RUNNING:
        _case_transition(case, "suspend", actor=user, action="suspend")
    _call_case_handler(case, "on_return", actor=user, comment=comment, fields=fields or [])
    return task


@audit.atomic
def resume_case(*, case_id: int, actor, changed: list[str] | tuple = ()) -> Case:
    """The applicant resubmitted: the desks that sent it back get it again, and the
    automatic checks whose inputs were reopened (`recheck_on` in the definition) run
    again: a corrected name is checked like a new one."""
    case = _locked_case(case_id)
    _case_transition(case, "resume", actor=actor, action="resume")
    for task in case.tasks.filter(kind=StepKind.AUTOMATIC, state=TaskState.APPROVED):
        task.case = case
        if set(case.definition.step(task.step_id).get("recheck_on", [])) & set(changed):
            _transition(task, "rerun", actor=actor, action="rerun")
    for task in case.tasks.filter(state=TaskState.RETURNED):
        task.case = case
        _transition(task, "reopen", actor=actor, action="reopen",
                    due_at=_due_at(case.definition.step(task.step_id)))
    # Automatic checks that became ready while the case waited were not run: run them now.
    for task in case.tasks.filter(kind=StepKind.AUTOMATIC, state=TaskState.READY):
        _enqueue_automatic(task)
    _advance(case, actor=actor)
    refresh_summary(case)  # the applicant may have corrected the name
    return case


@audit.atomic
def reject_task(*, task_id: int, user, comment: str) -> Task:
    """Reject the filing: the case ends and the other desks' tasks are cancelled."""
    if not comment.strip():
        raise WorkflowError(_("Motivez le rejet : le demandeur en sera informé."))
    task = _task_under_case_lock(task_id)
    _claim_to_decide(task, user)
    _require(task, {TaskState.CLAIMED}, _("Cette tâche a déjà été traitée."))
    _require_assignee(task, user)
    _require_not_applicant(task, user)
    _require_open_case(task)
    _transition(task, "reject", actor=user, action="reject", note=comment, comment=comment)
    case = task.case
    _case_transition(case, "reject", actor=user, action="reject", comment=comment)
    _cancel_open_tasks(case, actor=user)
    _call_case_handler(case, "on_reject", actor=user, comment=comment)
    return task


@audit.atomic
def cancel_case(*, case_id: int, actor, comment: str = "") -> Case:
    """End a case from outside (e.g. the applicant withdrew the filing)."""
    case = _locked_case(case_id)
    _case_transition(case, "cancel", actor=actor, action="cancel", comment=comment)
    _cancel_open_tasks(case, actor=actor)
    return case


def _cancel_open_tasks(case: Case, *, actor) -> None:
    closed = {TaskState.APPROVED, TaskState.REJECTED, TaskState.CANCELLED}
    for task in case.tasks.exclude(state__in=closed):
        task.case = case
        _transition(task, "cancel", actor=actor, action="cancel")


def _call_case_handler(case: Case, key: str, **kwargs) -> None:
    name = case.definition.spec.get(key)
    if name:
        _handler(case, name)(case=case, **kwargs)


# --- internal notes ------------------------------------------------------------------------


@audit.atomic
def add_note(*, task_id: int, author, text: str) -> Note:
    """An internal note on the task's case, for staff only; audited with its text."""
    text = text.strip()
    if not text:
        raise WorkflowError(_("La note est vide."))
    task = Task.objects.select_related("case").get(pk=task_id)
    _require_not_applicant(task, author)
    note = Note.objects.create(case=task.case, task=task, author=author, text=text)
    audit.record(obj=note, action="note_added", actor=author, comment=text, case=task.case)
    return note


# --- automatic steps ---------------------------------------------------------------------


@audit.atomic
def run_automatic_step(*, task_id: int) -> Task:
    """Run an automatic step's check; idempotent, so a redelivered message is harmless.

    The whole run is one transaction: a worker killed in the middle leaves the task ready
    for the next delivery, and a finished run is never applied twice.
    """
    task = _task_under_case_lock(task_id)
    if task.state != TaskState.READY or task.kind != StepKind.AUTOMATIC:
        return task
    if task.case.state != CaseState.RUNNING:
        return task  # waiting for the applicant; resume_case enqueues it again
    step = task.case.definition.step(task.step_id)
    _transition(task, "start_run", actor=None, action="run")
    try:
        with audit.atomic():  # a failing check leaves neither its writes nor its events
            outcome = _handler(task.case, step["run"])(case=task.case, task=task)
    except CheckFailed as failure:
        task.evidence = _evidence_rows(failure.evidence)
        _transition(task, "fail_check", actor=None, action="check_failed",
                    note=str(failure), error=str(failure))
        return task
    note = str(outcome) if isinstance(outcome, str) else ""
    task.evidence = _evidence_rows(outcome.evidence) if isinstance(outcome, CheckResult) else []
    _transition(task, "pass_check", actor=None, action="check_passed", note=note, comment=note)
    _after_approval(task, step, actor=None)
    return task


@audit.atomic
def fail_automatic_step(*, task_id: int, error: str) -> Task:
    """The check could not run at all (retries exhausted): a person takes it from here."""
    task = _task_under_case_lock(task_id)
    if task.state == TaskState.READY and task.kind == StepKind.AUTOMATIC:
        _transition(task, "fail_check", actor=None, action="check_failed", note=error,
                    error=error)
    return task


def _enqueue_automatic(task: Task) -> None:
    """Recorded with the decision that readied the step; sent once it commits (outbox)."""
    from .tasks import run_automatic_step as run_task

    outbox.enqueue(run_task, task.pk)


# --- moving the case on --------------------------------------------------------------------


def _due_at(step: dict):
    hours = step.get("sla_hours")
    return timezone.now() + timedelta(hours=hours) if hours else None


def _done_steps(steps: list[dict], tasks: dict[str, Task]) -> set[str]:
    """Approved steps, plus skipped ones (no task) once their own prerequisites are done."""
    done = {sid for sid, task in tasks.items() if task.state == TaskState.APPROVED}
    skipped = [step for step in steps if step["id"] not in tasks]
    grew = True
    while grew:
        grew = False
        for step in skipped:
            if step["id"] not in done and set(step.get("after", [])) <= done:
                done.add(step["id"])
                grew = True
    return done


def _advance(case: Case, *, actor) -> None:
    """Ready every waiting step whose prerequisites are done; complete when all are.

    A prerequisite whose condition did not apply (no task) counts as done.
    """
    tasks = {task.step_id: task for task in case.tasks.all()}
    for task in tasks.values():
        task.case = case
    done = _done_steps(case.definition.spec["steps"], tasks)
    for step in case.definition.spec["steps"]:
        task = tasks.get(step["id"])
        if task and task.state == TaskState.WAITING and set(step.get("after", [])) <= done:
            _transition(task, "make_ready", actor=actor, action="ready", due_at=_due_at(step))
            if task.kind == StepKind.AUTOMATIC and case.state == CaseState.RUNNING:
                _enqueue_automatic(task)
    if case.state == CaseState.RUNNING and all(
        task.state == TaskState.APPROVED for task in tasks.values()
    ):
        _case_transition(case, "complete", actor=actor, action="complete")
        _call_case_handler(case, "on_complete", actor=actor)


# --- deadlines -----------------------------------------------------------------------------


def _tell_supervisors(task: Task) -> None:
    supervisors = DeskMembership.objects.filter(
        desk=task.desk, is_supervisor=True, user__is_active=True).select_related("user")
    for membership in supervisors:
        notify(event="task_escalated", user=membership.user,
               about=f"workflows.task:{task.pk}:escalated:{task.escalated_at.isoformat()}",
               link=reverse("workflows:task", args=[task.pk]),
               context={"task_title": task.title, "desk": task.desk.name,
                        "subject": str(task.case.subject),
                        "due": timezone.localtime(task.due_at)})


def escalate_overdue(*, now=None) -> list[int]:
    """Mark overdue open tasks as escalated, each exactly once, and tell the supervisors.

    Safe with several scanners at once: a task is claimed by a conditional update, and
    only the scanner whose update changed the row escalates it.
    """
    now = now or timezone.now()
    escalated = []
    candidates = Task.objects.filter(
        state__in=OPEN_STATES, due_at__lt=now, escalated_at__isnull=True
    ).values_list("pk", flat=True)
    for task_id in list(candidates):
        with audit.atomic():
            # Re-check everything: the task may have been decided since it was listed.
            won = Task.objects.filter(
                pk=task_id, escalated_at__isnull=True, state__in=OPEN_STATES, due_at__lt=now
            ).update(escalated_at=now)
            if not won:
                continue
            task = Task.objects.select_related("case", "desk").get(pk=task_id)
            audit.record(obj=task, action="escalate", from_state=task.state,
                         to_state=task.state, case=task.case,
                         comment=_("Échéance dépassée"))
            _tell_supervisors(task)
        escalated.append(task_id)
    return escalated


# --- supervision -----------------------------------------------------------------------------


def _require_supervisor(desk: Desk, user) -> None:
    if not selectors.is_supervisor_of(user, desk):
        raise WorkflowError(_("Seul un superviseur du guichet peut faire cela."))


@audit.atomic
def release_claimed_task(*, task_id: int, supervisor) -> Task:
    """A desk supervisor puts a task a clerk has claimed back in the desk's queue (a failed
    automatic check goes back still failed)."""
    task = _task(task_id)
    _require_supervisor(task.desk, supervisor)
    _require(task, {TaskState.CLAIMED}, _("Cette tâche n'est pas prise en charge."))
    holder = str(task.assignee)
    _transition(task, _release_method(task), actor=supervisor, action="release", note=holder)
    return task


@audit.atomic
def rerun_automatic_step(*, task_id: int, supervisor) -> Task:
    """A desk supervisor runs a failed automatic check again (e.g. once the service it
    calls is back): failed → ready, sent to a worker through the outbox after commit."""
    task = _task_under_case_lock(task_id)
    _require_supervisor(task.desk, supervisor)
    if task.kind != StepKind.AUTOMATIC or task.state != TaskState.FAILED:
        raise WorkflowError(_("Seul un contrôle automatique en échec, qu'aucun agent n'a "
                              "pris en charge, peut être relancé."))
    _require_open_case(task)
    # The model has no failed → ready transition: a conditional update on the state is the
    # same optimistic check a transition's save makes.
    if not Task.objects.filter(pk=task.pk, state=TaskState.FAILED).update(
            state=TaskState.READY, error="", assignee=None):
        raise WorkflowError(_("Cette tâche a déjà été modifiée par un autre agent : "
                              "votre action n'a pas été enregistrée."))
    audit.record(obj=task, action="rerun", from_state=TaskState.FAILED,
                 to_state=TaskState.READY, actor=supervisor, case=task.case)
    case = task.case
    task = Task.objects.get(pk=task.pk)
    task.case = case
    if case.state == CaseState.RUNNING:
        _enqueue_automatic(task)  # a suspended case runs it when it resumes (resume_case)
    return task


def _locked_person(user):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.select_for_update().get(pk=user.pk)


def _require_may_set_absence(user, by) -> None:
    if by.pk != user.pk and not selectors.supervises(by, user):
        raise WorkflowError(_("Seuls l'agent lui-même et un superviseur de son guichet "
                              "peuvent indiquer son absence."))


@audit.atomic
def release_tasks_of_absent(*, user, by) -> list[int]:
    """Put every task `user` has claimed back in its desk's queue (they are away); the ids
    of the tasks released. Each release is audited, `by` as its author."""
    released = []
    for task_id in Task.objects.filter(state=TaskState.CLAIMED, assignee=user).order_by(
            "pk").values_list("pk", flat=True):
        task = _task(task_id)
        _transition(task, _release_method(task), actor=by, action="release",
                    note=_("Absence de %(member)s") % {"member": user})
        released.append(task_id)
    return released


@audit.atomic
def mark_away(*, user, by) -> list[int]:
    """Mark a desk member away, by themselves or a supervisor of their desk: their claimed
    tasks go back to the queue at once; the ids of the tasks released."""
    _require_may_set_absence(user, by)
    member = _locked_person(user)
    if member.away_since is None:
        member.away_since = timezone.now()
        member.save(update_fields=["away_since"])
        audit.record(obj=member, action="away", from_state="present", to_state="away",
                     actor=by)
    user.away_since = member.away_since
    return release_tasks_of_absent(user=member, by=by)


@audit.atomic
def mark_back(*, user, by) -> None:
    """The member is back: tasks may be handed to them again."""
    _require_may_set_absence(user, by)
    member = _locked_person(user)
    if member.away_since is not None:
        member.away_since = None
        member.save(update_fields=["away_since"])
        audit.record(obj=member, action="back", from_state="away", to_state="present",
                     actor=by)
    user.away_since = None


def may_reset_second_factor(*, member, by) -> bool:
    """An administrator may reset anyone's second factor but their own; a supervisor, that of
    a member of their desk who is not an administrator."""
    if not getattr(by, "is_authenticated", False) or by.pk == member.pk:
        return False
    if by.is_superuser:
        return True
    return not member.is_superuser and selectors.supervises(by, member)


@audit.atomic
def reset_second_factor(*, member, by) -> int:
    """Remove a member's second factors (authenticator app, recovery codes) after they lost
    them; they must set up a new one at their next visit (access.desk_member_required).
    The number of authenticators removed."""
    from allauth.mfa.models import Authenticator

    if not may_reset_second_factor(member=member, by=by):
        raise WorkflowError(_("Vous ne pouvez pas réinitialiser la double authentification "
                              "de cette personne."))
    kinds = sorted(Authenticator.objects.filter(user=member).values_list("type", flat=True))
    if not kinds:
        raise WorkflowError(_("Cette personne n'a pas de double authentification à "
                              "réinitialiser."))
    Authenticator.objects.filter(user=member).delete()
    audit.record(obj=member, action="mfa_reset", actor=by, comment=", ".join(kinds))
    return len(kinds)
