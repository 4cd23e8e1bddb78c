"""The engine's writes: start a case, claim and decide tasks, move the case along.

Every function runs in one transaction with the task row locked, writes one audit event
per transition, and calls the definition's handlers (the subject's own services) inside
that same transaction so that a failure leaves nothing half done.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .definitions import import_handler
from .models import Case, Desk, Task, TaskState, WorkflowDefinition


class WorkflowError(Exception):
    """A request the engine refuses; the message is shown to the user as is."""


def latest_definition(code: str) -> WorkflowDefinition:
    definition = WorkflowDefinition.objects.filter(code=code).order_by("-version").first()
    if definition is None:
        raise WorkflowError(_("La procédure « %(code)s » n'est pas publiée.") % {"code": code})
    return definition


@transaction.atomic
def start_case(*, definition_code: str, subject: models.Model, actor=None) -> Case:
    """Open a case on the latest published version and make its first steps ready."""
    definition = latest_definition(definition_code)
    case = Case.objects.create(
        definition=definition,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
    )
    audit.record(obj=case, action="start", to_state=case.state, actor=actor, case=case)
    desks = {desk.code: desk for desk in Desk.objects.all()}
    Task.objects.bulk_create(
        Task(
            case=case,
            step_id=step["id"],
            title=step.get("title", step["id"]),
            position=position,
            desk=desks[step["desk"]],
        )
        for position, step in enumerate(definition.spec["steps"])
    )
    _make_ready_steps(case, actor=actor)
    return case


def case_for(subject: models.Model) -> Case | None:
    return (
        Case.objects.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
        )
        .order_by("-started_at")
        .first()
    )


def _locked_task(task_id: int) -> Task:
    return Task.objects.select_for_update().select_related("case__definition").get(pk=task_id)


def _transition(task: Task, method: str, *, actor, action: str, note: str = "", **kwargs):
    from_state = task.state
    getattr(task, method)(**kwargs)
    task.save()
    audit.record(
        obj=task,
        action=action,
        from_state=from_state,
        to_state=task.state,
        actor=actor,
        comment=note,
        case=task.case,
    )


def _require(task: Task, allowed: set[str], message: str) -> None:
    if task.state not in allowed:
        raise WorkflowError(message)


@transaction.atomic
def claim_task(*, task_id: int, user) -> Task:
    task = _locked_task(task_id)
    _require(
        task,
        {TaskState.READY},
        _("Cette tâche a déjà été prise en charge ou traitée par un autre agent."),
    )
    _transition(task, "claim", actor=user, action="claim", user=user)
    return task


@transaction.atomic
def release_task(*, task_id: int, user) -> Task:
    task = _locked_task(task_id)
    _require(task, {TaskState.CLAIMED}, _("Cette tâche n'est pas prise en charge."))
    _require_assignee(task, user)
    _transition(task, "release", actor=user, action="release")
    return task


def _require_assignee(task: Task, user) -> None:
    if task.assignee_id != user.pk:
        raise WorkflowError(_("Seul l'agent qui a pris la tâche en charge peut la traiter."))


@transaction.atomic
def approve_task(*, task_id: int, user, comment: str = "") -> Task:
    """Approve a claimed task, run its approval handler, and move the case on."""
    task = _locked_task(task_id)
    _require(
        task,
        {TaskState.CLAIMED},
        _("Cette tâche a déjà été traitée : votre décision n'a pas été enregistrée."),
    )
    _require_assignee(task, user)
    _transition(task, "approve", actor=user, action="approve", note=comment, comment=comment)
    step = task.case.definition.step(task.step_id)
    if step.get("on_approve"):
        import_handler(step["on_approve"])(case=task.case, task=task, actor=user)
    case = Case.objects.select_for_update().get(pk=task.case_id)
    _make_ready_steps(case, actor=user)
    return task


@transaction.atomic
def return_task(*, task_id: int, user, comment: str) -> Task:
    """Send the filing back to the applicant for correction; the case waits for them."""
    if not comment.strip():
        raise WorkflowError(_("Indiquez au demandeur ce qu'il doit corriger."))
    task = _locked_task(task_id)
    _require(task, {TaskState.CLAIMED}, _("Cette tâche a déjà été traitée."))
    _require_assignee(task, user)
    _transition(task, "send_back", actor=user, action="return", note=comment, comment=comment)
    case = Case.objects.select_for_update().get(pk=task.case_id)
    _case_transition(case, "suspend", actor=user, action="suspend")
    _call_case_handler(case, "on_return", actor=user, comment=comment)
    return task


@transaction.atomic
def resume_case(*, case_id: int, actor) -> Case:
    """The applicant resubmitted: the desks that sent it back get it again."""
    case = Case.objects.select_for_update().select_related("definition").get(pk=case_id)
    _case_transition(case, "resume", actor=actor, action="resume")
    for task in case.tasks.select_for_update().filter(state=TaskState.RETURNED):
        _transition(task, "reopen", actor=actor, action="reopen")
        task.due_at = _due_at(case.definition.step(task.step_id))
        task.save(update_fields=["due_at"])
    return case


@transaction.atomic
def reject_task(*, task_id: int, user, comment: str) -> Task:
    """Reject the filing: the case ends and the other desks' tasks are cancelled."""
    if not comment.strip():
        raise WorkflowError(_("Motivez le rejet : le demandeur en sera informé."))
    task = _locked_task(task_id)
    _require(task, {TaskState.CLAIMED}, _("Cette tâche a déjà été traitée."))
    _require_assignee(task, user)
    _transition(task, "reject", actor=user, action="reject", note=comment, comment=comment)
    case = Case.objects.select_for_update().get(pk=task.case_id)
    _case_transition(case, "reject", actor=user, action="reject", comment=comment)
    _cancel_open_tasks(case, actor=user)
    _call_case_handler(case, "on_reject", actor=user, comment=comment)
    return task


@transaction.atomic
def cancel_case(*, case_id: int, actor, comment: str = "") -> Case:
    """End a case from outside (e.g. the applicant withdrew the filing)."""
    case = Case.objects.select_for_update().get(pk=case_id)
    _case_transition(case, "cancel", actor=actor, action="cancel", comment=comment)
    _cancel_open_tasks(case, actor=actor)
    return case


def _cancel_open_tasks(case: Case, *, actor) -> None:
    open_states = {TaskState.WAITING, TaskState.READY, TaskState.CLAIMED, TaskState.RETURNED}
    for task in case.tasks.select_for_update().filter(state__in=open_states):
        _transition(task, "cancel", actor=actor, action="cancel")


def _case_transition(case: Case, method: str, *, actor, action: str, comment: str = "") -> None:
    from_state = case.state
    getattr(case, method)()
    case.save()
    audit.record(obj=case, action=action, from_state=from_state, to_state=case.state,
                 actor=actor, comment=comment, case=case)


def _call_case_handler(case: Case, key: str, **kwargs) -> None:
    dotted_path = case.definition.spec.get(key)
    if dotted_path:
        import_handler(dotted_path)(case=case, **kwargs)


def _due_at(step: dict):
    hours = step.get("sla_hours")
    return timezone.now() + timedelta(hours=hours) if hours else None


def _make_ready_steps(case: Case, *, actor) -> None:
    """Ready every waiting step whose prerequisites are approved; complete when all are."""
    tasks = {task.step_id: task for task in case.tasks.select_for_update()}
    approved = {sid for sid, task in tasks.items() if task.state == TaskState.APPROVED}
    for step in case.definition.spec["steps"]:
        task = tasks[step["id"]]
        if task.state == TaskState.WAITING and set(step.get("after", [])) <= approved:
            _transition(task, "make_ready", actor=actor, action="ready", due_at=_due_at(step))
    if len(approved) == len(tasks):
        _case_transition(case, "complete", actor=actor, action="complete")
        _call_case_handler(case, "on_complete", actor=actor)
