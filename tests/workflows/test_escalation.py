"""Deadlines: overdue open tasks are escalated exactly once and the supervisors told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from workflows import services as engine
from workflows.models import AuditEvent, Task, TaskState
from workflows.tasks import scan_overdue_tasks

from .helpers import (
    claim_and_approve,
    claim_and_return,
    make_permit,
    resume,
    run_on_commit,
    start,
    task_of,
)


def escalation_mails():
    """The escalation e-mails sent (reassignments also send mail)."""
    return [message for message in mail.outbox if "Échéance dépassée" in message.subject]


@pytest.fixture
def supervisor(make_user):
    return make_user("chef.guichet@cfe.example.tg", desk="guichet", supervisor=True)


def make_overdue(task, hours: int = 1) -> None:
    Task.objects.filter(pk=task.pk).update(due_at=timezone.now() - timedelta(hours=hours))


def test_an_overdue_task_is_escalated_once(case, supervisor, clerks):
    intake = task_of(case, "intake")
    make_overdue(intake)

    with run_on_commit():
        first = engine.escalate_overdue()
        second = engine.escalate_overdue()

    assert first == [intake.pk]
    assert second == []
    intake.refresh_from_db()
    assert intake.escalated_at is not None
    assert intake.state == TaskState.READY  # escalation changes no state
    escalations = AuditEvent.objects.filter(action="escalate")
    assert escalations.count() == 1
    event = escalations.get()
    assert (event.object_type, event.object_id) == ("workflows.task", str(intake.pk))
    assert (event.from_state, event.to_state) == (TaskState.READY, TaskState.READY)
    assert event.comment == "Échéance dépassée"
    assert event.case_id == case.pk
    assert event.actor is None


def test_the_desk_supervisor_gets_exactly_one_email_in_french(case, supervisor, clerks):
    intake = task_of(case, "intake")
    make_overdue(intake)

    with run_on_commit():
        engine.escalate_overdue()
        engine.escalate_overdue()

    assert len(escalation_mails()) == 1  # the desk's clerk, not supervisor, gets nothing
    message = escalation_mails()[0]
    assert message.to == [supervisor.email]
    assert message.subject == "Échéance dépassée : Réception de la demande"
    assert "La tâche « Réception de la demande » du guichet" in message.body
    assert "a dépassé son échéance" in message.body
    assert "Permis Kossi Agbeko" in message.body
    assert settings.SITE_URL + reverse("workflows:task", args=[intake.pk]) in message.body


def test_no_email_leaves_before_the_commit(case, supervisor):
    make_overdue(task_of(case, "intake"))

    engine.escalate_overdue()

    assert escalation_mails() == []


def test_only_the_active_supervisors_of_the_tasks_desk_are_told(case, supervisor, make_user):
    make_user("chef.greffe@cfe.example.tg", desk="greffe", supervisor=True)
    retired = make_user("ancien.chef@cfe.example.tg", desk="guichet", supervisor=True)
    retired.is_active = False
    retired.save()
    make_overdue(task_of(case, "intake"))

    with run_on_commit():
        engine.escalate_overdue()

    assert [message.to for message in escalation_mails()] == [[supervisor.email]]


def test_a_desk_without_supervisor_still_records_the_escalation(case):
    intake = task_of(case, "intake")
    make_overdue(intake)

    with run_on_commit():
        assert engine.escalate_overdue() == [intake.pk]

    assert escalation_mails() == []
    assert AuditEvent.objects.filter(action="escalate", object_id=str(intake.pk)).count() == 1


def test_tasks_not_overdue_waiting_or_decided_are_not_escalated(case, supervisor, clerks):
    intake = claim_and_approve(case, "intake", clerks["guichet"])
    make_overdue(intake, hours=10)  # decided: its deadline no longer runs
    licence = task_of(case, "licence")  # ready, due in 8 hours
    waiting = task_of(case, "signature")
    Task.objects.filter(pk=waiting.pk).update(due_at=timezone.now() - timedelta(hours=1))

    with run_on_commit():
        escalated = engine.escalate_overdue()

    assert escalated == []
    assert not AuditEvent.objects.filter(action="escalate").exists()
    assert escalation_mails() == []
    licence.refresh_from_db()
    assert licence.escalated_at is None


def test_returned_and_cancelled_tasks_are_not_escalated(case, clerks, applicant, supervisor):
    intake = claim_and_return(case, "intake", clerks["guichet"], "Pièce manquante")
    make_overdue(intake)
    assert engine.escalate_overdue() == []
    engine.cancel_case(case_id=case.pk, actor=applicant)
    make_overdue(intake)
    assert engine.escalate_overdue() == []
    assert not AuditEvent.objects.filter(action="escalate").exists()


def test_a_claimed_task_past_its_deadline_is_escalated(case, clerks, supervisor):
    intake = task_of(case, "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    make_overdue(intake)

    with run_on_commit():
        assert engine.escalate_overdue() == [intake.pk]

    intake.refresh_from_db()
    assert intake.state == TaskState.CLAIMED
    assert intake.assignee == clerks["guichet"]
    assert [message.to for message in escalation_mails()] == [[supervisor.email]]


def test_a_failed_check_past_its_deadline_is_escalated_to_its_desk(clerks, make_user):
    greffe_supervisor = make_user("chef.greffe@cfe.example.tg", desk="greffe", supervisor=True)
    case = start(make_permit("Bar du Port", check_problem="Extincteur absent."))
    claim_and_approve(case, "intake", clerks["guichet"])
    inspection = task_of(case, "inspection")
    assert inspection.state == TaskState.FAILED
    make_overdue(inspection)

    with run_on_commit():
        assert engine.escalate_overdue() == [inspection.pk]

    assert [message.to for message in escalation_mails()] == [[greffe_supervisor.email]]
    assert escalation_mails()[0].subject == "Échéance dépassée : Inspection des locaux"


def test_several_overdue_tasks_are_each_escalated_once_to_their_own_desk(case, clerks,
                                                                         make_user):
    impots_chief = make_user("chef.impots@cfe.example.tg", desk="impots", supervisor=True)
    cnss_chief = make_user("chef.cnss@cfe.example.tg", desk="cnss", supervisor=True)
    claim_and_approve(case, "intake", clerks["guichet"])
    licence, hygiene = task_of(case, "licence"), task_of(case, "hygiene")
    make_overdue(licence, hours=2)
    make_overdue(hygiene)

    with run_on_commit():
        escalated = engine.escalate_overdue()

    assert sorted(escalated) == sorted([licence.pk, hygiene.pk])
    assert sorted(tuple(message.to) for message in escalation_mails()) == sorted(
        [(impots_chief.email,), (cnss_chief.email,)])


def test_the_scan_uses_the_time_it_is_given(case):
    intake = task_of(case, "intake")  # due in 4 hours

    assert engine.escalate_overdue(now=timezone.now() + timedelta(hours=3)) == []
    assert engine.escalate_overdue(now=timezone.now() + timedelta(hours=5)) == [intake.pk]


def test_a_reopened_task_can_be_escalated_again(case, clerks, applicant):
    intake = task_of(case, "intake")
    make_overdue(intake)
    assert engine.escalate_overdue() == [intake.pk]
    claim_and_return(case, "intake", clerks["guichet"], "Pièce manquante")
    resume(case, applicant)
    intake.refresh_from_db()
    assert intake.escalated_at is None
    make_overdue(intake)

    assert engine.escalate_overdue() == [intake.pk]
    assert AuditEvent.objects.filter(action="escalate").count() == 2


def test_the_periodic_celery_task_counts_the_escalations(case, supervisor):
    make_overdue(task_of(case, "intake"))

    with run_on_commit():
        assert scan_overdue_tasks.delay().get() == 1
        assert scan_overdue_tasks.delay().get() == 0

    assert len(escalation_mails()) == 1


def test_a_task_decided_while_the_scan_runs_is_not_escalated(
    transactional_db, make_user, monkeypatch
):
    """With real commits, each escalation's e-mail goes out before the next task is handled:
    the first e-mail is used to let a clerk approve the second task at that moment."""
    from notifications import services as notification_services

    make_user("chef.guichet@cfe.example.tg", desk="guichet", supervisor=True)
    clerk = make_user("agent@cfe.example.tg", desk="guichet")
    for holder in ("Premier Dossier", "Second Dossier"):
        start(make_permit(holder))
    first, second = Task.objects.filter(step_id="intake").order_by("pk")
    Task.objects.filter(pk__in=[first.pk, second.pk]).update(
        due_at=timezone.now() - timedelta(hours=1))
    send = notification_services.send_delivery

    def send_and_decide_the_other(*, delivery_id):
        if Task.objects.get(pk=second.pk).state == TaskState.READY:
            engine.claim_task(task_id=second.pk, user=clerk)
            engine.approve_task(task_id=second.pk, user=clerk)
        return send(delivery_id=delivery_id)

    monkeypatch.setattr(notification_services, "send_delivery", send_and_decide_the_other)

    escalated = engine.escalate_overdue()

    second.refresh_from_db()
    assert second.state == TaskState.APPROVED
    assert escalated == [first.pk]
    assert len(escalation_mails()) == 1
    assert not AuditEvent.objects.filter(action="escalate", object_id=str(second.pk)).exists()
