"""Two clerks deciding the same task at the same moment, on PostgreSQL with real threads."""

from __future__ import annotations

import pytest
from django.conf import settings

from workflows import services as engine
from workflows.models import AuditEvent, Task, TaskState

from ..workflows.helpers import claim_at_once, run_together

pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="row locks need PostgreSQL (DATABASE_URL)",
)


def test_two_clerks_claiming_one_task_at_once_give_exactly_one_winner(
    transactional_db, submitted, make_user
):
    first = make_user("agent1@cfe.example.tg", desk="guichet")
    second = make_user("agent2@cfe.example.tg", desk="guichet")
    task = Task.objects.get(case__subject_id=submitted.pk, step_id="intake")

    outcomes = claim_at_once(task, (first, second))

    assert sorted(outcomes.values()).count("won") == 1
    loser_message = next(v for v in outcomes.values() if v != "won")
    assert "déjà" in loser_message
    task.refresh_from_db()
    assert task.state == TaskState.CLAIMED
    assert task.assignee.email in {email for email, v in outcomes.items() if v == "won"}
    assert AuditEvent.objects.filter(object_type="workflows.task", object_id=str(task.pk),
                                     action="claim").count() == 1


def test_two_approvals_of_one_task_at_once_apply_once(transactional_db, submitted, clerks):
    clerk = clerks["guichet"]
    task = Task.objects.get(case__subject_id=submitted.pk, step_id="intake")
    engine.claim_task(task_id=task.pk, user=clerk)
    outcomes: list[str] = []

    def approve():
        try:
            engine.approve_task(task_id=task.pk, user=clerk, comment="ok")
            outcomes.append("won")
        except engine.WorkflowError:
            outcomes.append("refused")

    for error in run_together(approve, approve):
        raise error

    assert sorted(outcomes) == ["refused", "won"]
    registry_task = Task.objects.get(case__subject_id=submitted.pk, step_id="registry")
    assert registry_task.state == TaskState.READY
    assert AuditEvent.objects.filter(object_type="workflows.task", action="approve").count() == 1


def _drive_to_parallel_desks(application, clerks) -> tuple[Task, Task]:
    """Approve intake and registry (the automatic checks run on commit, eagerly)."""
    for step_id in ("intake", "registry"):
        task = Task.objects.get(case__subject_id=application.pk, step_id=step_id,
                                state=TaskState.READY)
        clerk = clerks[task.desk.code]
        engine.claim_task(task_id=task.pk, user=clerk)
        engine.approve_task(task_id=task.pk, user=clerk)
    tax = Task.objects.get(case__subject_id=application.pk, step_id="tax")
    social = Task.objects.get(case__subject_id=application.pk, step_id="social_security")
    engine.claim_task(task_id=tax.pk, user=clerks["impots"])
    engine.claim_task(task_id=social.pk, user=clerks["cnss"])
    return tax, social


def test_parallel_desks_deciding_at_once_neither_deadlock_nor_both_win(
    transactional_db, submitted, clerks
):
    """Tax approves while social security rejects: decisions on one case serialise."""
    tax, social = _drive_to_parallel_desks(submitted, clerks)

    errors = run_together(
        lambda: engine.approve_task(task_id=tax.pk, user=clerks["impots"],
                                    data={"nif": "1000428517"}),
        lambda: engine.reject_task(task_id=social.pk, user=clerks["cnss"],
                                   comment="Dossier incomplet"),
    )

    assert errors == []
    social.refresh_from_db()
    tax.refresh_from_db()
    assert social.state == TaskState.REJECTED
    # Whichever came first, the case ended rejected and the registrar never became ready.
    assert tax.state in (TaskState.APPROVED, TaskState.CANCELLED)
    registrar = Task.objects.get(case__subject_id=submitted.pk, step_id="registrar")
    assert registrar.state == TaskState.CANCELLED
    assert registrar.case.state == "rejected"
