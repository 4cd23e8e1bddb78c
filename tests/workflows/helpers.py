"""Small helpers shared by the workflow tests (no assertions here)."""

from __future__ import annotations

from workflows import services as engine
from workflows.models import AuditEvent, Case, Task

STEPS = ("intake", "registry", "registrar")
DESK_OF_STEP = {"intake": "guichet", "registry": "greffe", "registrar": "greffier"}


def case_of(application) -> Case:
    return engine.case_for(application)


def task_of(case: Case, step_id: str) -> Task:
    return Task.objects.get(case=case, step_id=step_id)


def states(case: Case) -> dict[str, str]:
    """Step id -> task state, read fresh from the database."""
    return dict(Task.objects.filter(case=case).values_list("step_id", "state"))


def claim_and_approve(case: Case, step_id: str, clerk, comment: str = "") -> Task:
    task = task_of(case, step_id)
    engine.claim_task(task_id=task.pk, user=clerk)
    engine.approve_task(task_id=task.pk, user=clerk, comment=comment)
    task.refresh_from_db()
    return task


def event_count() -> int:
    return AuditEvent.objects.count()
