"""Clerks deciding at the same moment, on PostgreSQL with real threads: one winner per task,
decisions on one case serialised without deadlock, and one linear audit chain."""

from __future__ import annotations

import pytest
from django.conf import settings

from workflows import audit
from workflows import services as engine
from workflows.models import AuditEvent, CaseState, Task, TaskState

from .helpers import claim_at_once, make_permit, run_together, start

pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="row locks need PostgreSQL (DATABASE_URL)",
)


def test_two_clerks_claiming_one_task_at_once_give_exactly_one_winner(
    transactional_db, make_user
):
    first = make_user("agent1@cfe.example.tg", desk="guichet")
    second = make_user("agent2@cfe.example.tg", desk="guichet")
    task = Task.objects.get(case=start(make_permit()), step_id="intake")

    outcomes = claim_at_once(task, (first, second))

    assert list(outcomes.values()).count("won") == 1
    loser_message = next(v for v in outcomes.values() if v != "won")
    assert "déjà" in loser_message
    task.refresh_from_db()
    assert task.state == TaskState.CLAIMED
    assert task.assignee.email in {email for email, v in outcomes.items() if v == "won"}
    assert AuditEvent.objects.filter(object_type="workflows.task", object_id=str(task.pk),
                                     action="claim").count() == 1


def test_two_approvals_of_one_task_at_once_apply_once(transactional_db, clerks):
    permit = make_permit()
    case = start(permit)
    clerk = clerks["guichet"]
    task = Task.objects.get(case=case, step_id="intake")
    engine.claim_task(task_id=task.pk, user=clerk)
    outcomes: list[str] = []

    def approve():
        try:
            engine.approve_task(task_id=task.pk, user=clerk, comment="ok")
            outcomes.append("won")
        except engine.WorkflowError:
            outcomes.append("refused")
            raise

    assert run_together(approve, approve) == []

    assert sorted(outcomes) == ["refused", "won"]
    assert AuditEvent.objects.filter(object_type="workflows.task", action="approve").count() == 1
    permit.refresh_from_db()
    assert permit.approved_steps.count("intake") == 1
    # The inspection ran once the winner committed (eager Celery), the desks are ready.
    assert Task.objects.get(case=case, step_id="licence").state == TaskState.READY


def _drive_to_parallel_desks(case, clerks) -> tuple[Task, Task]:
    """Approve intake (the inspection runs on commit, eagerly); claim both parallel desks."""
    intake = Task.objects.get(case=case, step_id="intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    engine.approve_task(task_id=intake.pk, user=clerks["guichet"])
    licence = Task.objects.get(case=case, step_id="licence")
    hygiene = Task.objects.get(case=case, step_id="hygiene")
    engine.claim_task(task_id=licence.pk, user=clerks["impots"])
    engine.claim_task(task_id=hygiene.pk, user=clerks["cnss"])
    return licence, hygiene


def test_parallel_desks_deciding_at_once_neither_deadlock_nor_both_win(
    transactional_db, clerks
):
    """Licence approves while hygiene rejects: decisions on one case serialise."""
    permit = make_permit()
    case = start(permit)
    licence, hygiene = _drive_to_parallel_desks(case, clerks)

    errors = run_together(
        lambda: engine.approve_task(task_id=licence.pk, user=clerks["impots"],
                                    data={"licence_number": "20260042"}),
        lambda: engine.reject_task(task_id=hygiene.pk, user=clerks["cnss"],
                                   comment="Cuisine insalubre"),
    )

    assert errors == []
    hygiene.refresh_from_db()
    licence.refresh_from_db()
    assert hygiene.state == TaskState.REJECTED
    # Whichever came first, the case ended rejected and the signature never became ready.
    assert licence.state in (TaskState.APPROVED, TaskState.CANCELLED)
    signature = Task.objects.get(case=case, step_id="signature")
    assert signature.state == TaskState.CANCELLED
    assert signature.case.state == CaseState.REJECTED
    permit.refresh_from_db()
    assert permit.rejection_reason == "Cuisine insalubre"
    assert permit.completed_at is None


def test_parallel_desks_approving_at_once_ready_the_last_step_once(transactional_db, clerks):
    case = start(make_permit())
    licence, hygiene = _drive_to_parallel_desks(case, clerks)

    errors = run_together(
        lambda: engine.approve_task(task_id=licence.pk, user=clerks["impots"],
                                    data={"licence_number": "20260042"}),
        lambda: engine.approve_task(task_id=hygiene.pk, user=clerks["cnss"]),
    )

    assert errors == []
    signature = Task.objects.get(case=case, step_id="signature")
    assert signature.state == TaskState.READY
    assert AuditEvent.objects.filter(object_type="workflows.task", object_id=str(signature.pk),
                                     action="ready").count() == 1


def test_decisions_on_different_cases_at_once_keep_one_linear_audit_chain(
    transactional_db, clerks, make_user
):
    second_clerk = make_user("agent2@cfe.example.tg", desk="guichet")
    intakes = []
    for holder, clerk in (("Premier", clerks["guichet"]), ("Second", second_clerk)):
        intake = Task.objects.get(case=start(make_permit(holder)), step_id="intake")
        engine.claim_task(task_id=intake.pk, user=clerk)
        intakes.append((intake, clerk))

    errors = run_together(*(
        (lambda intake=intake, clerk=clerk: engine.approve_task(task_id=intake.pk, user=clerk))
        for intake, clerk in intakes
    ))

    assert errors == []
    assert AuditEvent.objects.filter(action="approve").count() == 2
    sequences = list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, len(sequences) + 1))
    assert audit.verify() is None
