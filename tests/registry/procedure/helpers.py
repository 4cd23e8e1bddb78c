"""Helpers for the tests that run the company-creation procedure (no assertions here)."""

from __future__ import annotations

from contextlib import nullcontext

from django.test import TestCase

from workflows import selectors
from workflows import services as engine
from workflows.models import AuditEvent, Case, StepKind, Task, TaskState

# The shipped company_creation procedure, in definition order.
STEPS = ("intake", "name_check", "screening", "registry", "tax", "social_security", "registrar")
AUTOMATIC_STEPS = ("name_check", "screening")
MANUAL_STEPS = tuple(step for step in STEPS if step not in AUTOMATIC_STEPS)
DESK_OF_STEP = {
    "intake": "guichet",
    "name_check": "guichet",
    "screening": "greffe",
    "registry": "greffe",
    "tax": "impots",
    "social_security": "cnss",
    "registrar": "greffier",
}
# What each desk types in when it approves (the step's `fields` in the definition).
STEP_DATA = {
    "tax": {"nif": "1000 428 517"},
    "social_security": {"employer_number": "123456"},
}
# Every step's state right after submission.
INITIAL_STATES = {step: TaskState.WAITING for step in STEPS} | {"intake": TaskState.READY}


def run_on_commit():
    """Run the transaction.on_commit callbacks registered inside the block when it exits
    (Celery is eager in tests, so automatic checks and e-mails then run)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def case_of(application) -> Case:
    return selectors.case_for(application)


def task_of(case: Case, step_id: str) -> Task:
    return Task.objects.get(case=case, step_id=step_id)


def states(case: Case) -> dict[str, str]:
    """Step id -> task state, read fresh from the database."""
    return dict(Task.objects.filter(case=case).values_list("step_id", "state"))


def claim_and_approve(
    case: Case, step_id: str, clerk, comment: str = "", data: dict | None = None,
    *, on_commit: bool = True,
) -> Task:
    """Claim and approve one step as `clerk`, with the step's usual data unless given.

    With on_commit (the default) the callbacks the approval queued run afterwards, as in
    production after the commit: automatic checks, the certificate.
    """
    task = task_of(case, step_id)
    with run_on_commit() if on_commit else nullcontext():
        engine.claim_task(task_id=task.pk, user=clerk)
        engine.approve_task(task_id=task.pk, user=clerk, comment=comment,
                            data=STEP_DATA.get(step_id, {}) if data is None else data)
    task.refresh_from_db()
    return task


def approve_ready(case: Case, step_id: str, clerks: dict) -> list[Task]:
    """Approve every ready manual task of `step_id` with its desk's clerk and usual data."""
    approved = []
    ready = Task.objects.filter(case=case, step_id=step_id, state=TaskState.READY,
                                kind=StepKind.MANUAL)
    for task in ready:
        approved.append(claim_and_approve(case, task.step_id, clerks[task.desk.code]))
    return approved


def advance_until(case: Case, step_id: str, clerks: dict) -> None:
    """Approve ready manual steps in procedure order until `step_id` is ready (or closed)."""
    for step in STEPS:
        if step == step_id:
            return
        approve_ready(case, step, clerks)


def complete(case: Case, clerks: dict, *, certificate: bool = False) -> None:
    """Take the case through every desk.

    The registrar's approval queues the certificate on commit; it is issued only when
    `certificate` is set, which keeps these tests independent of the documents app.
    """
    advance_until(case, "registrar", clerks)
    claim_and_approve(case, "registrar", clerks["greffier"], on_commit=certificate)


def event_count() -> int:
    return AuditEvent.objects.count()

