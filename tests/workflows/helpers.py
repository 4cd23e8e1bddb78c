"""Small helpers shared by the engine tests, on the toy procedure (no assertions here).

The engine is tested through tests.workflows.toy: a permit and its procedure
(toy/toy.yaml), registered by the toy app as any owning app registers its own.
"""

from __future__ import annotations

import threading
from contextlib import nullcontext

from django.contrib.messages import get_messages
from django.db import connection
from django.test import TestCase
from django.urls import reverse

from workflows import selectors
from workflows import services as engine
from workflows.models import AuditEvent, Case, StepKind, Task, TaskState

from .toy.apps import TOY_PROCEDURE
from .toy.models import Category, Permit

# The toy procedure, in definition order.
STEPS = ("intake", "inspection", "licence", "hygiene", "signature")
AUTOMATIC_STEPS = ("inspection",)
MANUAL_STEPS = tuple(step for step in STEPS if step not in AUTOMATIC_STEPS)
DESK_OF_STEP = {
    "intake": "guichet",
    "inspection": "greffe",
    "licence": "impots",
    "hygiene": "cnss",
    "signature": "greffier",
}
# What each desk types in when it approves (the step's `fields` in the definition).
STEP_DATA = {"licence": {"licence_number": "2026 0042"}}
LICENCE_NUMBER = "20260042"  # STEP_DATA's licence number once normalised to digits
# Every step's state right after the start, for a food permit (every step applies).
INITIAL_STATES = {step: TaskState.WAITING for step in STEPS} | {"intake": TaskState.READY}


def run_on_commit():
    """Run the transaction.on_commit callbacks registered inside the block when it exits
    (Celery is eager in tests, so the automatic inspection then runs)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def make_permit(holder: str = "Kossi Agbeko", *, category: str = Category.FOOD,
                check_problem: str = "") -> Permit:
    return Permit.objects.create(holder=holder, category=category, check_problem=check_problem)


def start(permit: Permit, *, actor=None, code: str = TOY_PROCEDURE) -> Case:
    """Open the permit's case on the latest published version of the toy procedure."""
    return engine.start_case(definition_code=code, subject=permit, actor=actor)


def case_of(subject) -> Case:
    return selectors.case_for(subject)


def task_of(case: Case, step_id: str) -> Task:
    return Task.objects.get(case=case, step_id=step_id)


def queue_of(user) -> list[Task]:
    """The first page of the user's queue, unfiltered, as the queue page shows it."""
    desk_ids = list(selectors.desks_of(user).values_list("pk", flat=True))
    return selectors.queue_page(user, selectors.QueueFilters(), desk_ids=desk_ids).tasks


def states(case: Case) -> dict[str, str]:
    """Step id -> task state, read fresh from the database."""
    return dict(Task.objects.filter(case=case).values_list("step_id", "state"))


def claim_and_approve(
    case: Case, step_id: str, clerk, comment: str = "", data: dict | None = None,
    *, on_commit: bool = True, step_data: dict = STEP_DATA,
) -> Task:
    """Claim and approve one step as `clerk`, with the step's usual data (`step_data`, the
    toy procedure's unless another procedure's tests give theirs) unless given.

    With on_commit (the default) the callbacks the approval queued run afterwards, as in
    production after the commit: the automatic inspection.
    """
    task = task_of(case, step_id)
    with run_on_commit() if on_commit else nullcontext():
        engine.claim_task(task_id=task.pk, user=clerk)
        engine.approve_task(task_id=task.pk, user=clerk, comment=comment,
                            data=step_data.get(step_id, {}) if data is None else data)
    task.refresh_from_db()
    return task


def claim_and_return(case: Case, step_id: str, clerk, comment: str,
                     fields: list[str] | None = None) -> Task:
    task = task_of(case, step_id)
    engine.claim_task(task_id=task.pk, user=clerk)
    engine.return_task(task_id=task.pk, user=clerk, comment=comment, fields=fields)
    task.refresh_from_db()
    return task


def approve_ready(case: Case, step_id: str, clerks: dict, *,
                  step_data: dict = STEP_DATA) -> list[Task]:
    """Approve the ready manual task of `step_id`, if any, with its desk's clerk."""
    ready = Task.objects.filter(case=case, step_id=step_id, state=TaskState.READY,
                                kind=StepKind.MANUAL)
    return [claim_and_approve(case, task.step_id, clerks[task.desk.code], step_data=step_data)
            for task in ready]


def advance_until(case: Case, step_id: str, clerks: dict, *, steps: tuple = STEPS,
                  step_data: dict = STEP_DATA) -> None:
    """Approve ready manual steps in procedure order until `step_id` is ready (or closed)."""
    for step in steps:
        if step == step_id:
            return
        approve_ready(case, step, clerks, step_data=step_data)


def complete(case: Case, clerks: dict) -> None:
    """Take the case through every desk."""
    for step in STEPS:
        approve_ready(case, step, clerks)


def resume(case: Case, actor, changed: list[str] | tuple = ()) -> Case:
    """The applicant answered the correction request; queued checks run on commit."""
    with run_on_commit():
        engine.resume_case(case_id=case.pk, actor=actor, changed=changed)
    case.refresh_from_db()
    return case


def event_count() -> int:
    return AuditEvent.objects.count()


# --- the back office through the views ----------------------------------------------------

QUEUE_URL = "/guichet/"


def task_url(task, action: str | None = None) -> str:
    if action:
        return reverse("workflows:task_action", kwargs={"task_id": task.pk, "action": action})
    return reverse("workflows:task", kwargs={"task_id": task.pk})


def messages_of(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def last_message(response) -> tuple[str, str]:
    """The message this response added (earlier unread ones may still be queued)."""
    return messages_of(response)[-1]


def login(client, user):
    client.force_login(user)
    return client


# --- clerks deciding at the same moment (real threads, PostgreSQL) -------------------------


def run_together(*actions) -> list[BaseException]:
    """Run each action in its own thread, released at once; return the unexpected errors
    (a WorkflowError is a clear refusal, which is fine)."""
    barrier = threading.Barrier(len(actions))
    errors: list[BaseException] = []

    def attempt(action):
        try:
            barrier.wait(timeout=10)
            action()
        except engine.WorkflowError:
            pass
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def claim_at_once(task: Task, users) -> dict[str, str]:
    """Each user claims `task` in their own thread, released at once: email -> "won", or
    the refusal's message."""
    outcomes: dict[str, str] = {}

    def claim(user):
        try:
            engine.claim_task(task_id=task.pk, user=user)
            outcomes[user.email] = "won"
        except engine.WorkflowError as error:
            outcomes[user.email] = str(error)

    errors = run_together(*(lambda user=user: claim(user) for user in users))
    if errors:
        raise errors[0]
    return outcomes
