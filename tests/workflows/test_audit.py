"""The tamper-evident audit trail: one chained event per transition, verify() finds breaks."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from registry import services as registry_services
from registry.models import ApplicationState
from workflows import audit
from workflows import services as engine
from workflows.models import AuditChainHead, AuditEvent, Desk, TaskState

from .helpers import AUTOMATIC_STEPS, MANUAL_STEPS, advance_until, case_of, complete, task_of


@pytest.fixture
def completed(submitted, clerks):
    """A filing taken through all seven steps, certificate issued."""
    case = case_of(submitted)
    complete(case, clerks, certificate=True)
    submitted.refresh_from_db()
    case.refresh_from_db()
    return submitted, case


def _sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_the_chain_of_a_full_run_verifies(completed):
    application, _case = completed
    assert application.state == ApplicationState.REGISTERED
    assert AuditEvent.objects.count() > 10
    assert audit.verify() is None


def test_events_are_numbered_without_gaps_and_chained(completed):
    events = list(AuditEvent.objects.order_by("sequence"))
    assert [event.sequence for event in events] == list(range(1, len(events) + 1))
    assert events[0].previous_hash == "0" * 64
    for previous, event in itertools.pairwise(events):
        assert event.previous_hash == previous.hash
    head = AuditChainHead.objects.get(pk=1)
    assert head.last_sequence == events[-1].sequence
    assert head.last_hash == events[-1].hash


def test_it_reports_an_event_whose_comment_was_altered(completed, clerks):
    approval = AuditEvent.objects.get(
        object_type="workflows.task", action="approve", actor=clerks["greffe"]
    )
    _sql(
        "UPDATE workflows_auditevent SET comment=%s WHERE sequence=%s",
        ["approuvé sans contrôle", approval.sequence],
    )

    assert audit.verify() == audit.ChainBreak(approval.sequence, "altered")


def test_it_reports_an_altered_actor(completed, clerks):
    approval = AuditEvent.objects.get(
        object_type="workflows.task", action="approve", actor=clerks["guichet"]
    )
    _sql(
        "UPDATE workflows_auditevent SET actor_id=%s WHERE sequence=%s",
        [clerks["greffier"].pk, approval.sequence],
    )

    assert audit.verify() == audit.ChainBreak(approval.sequence, "altered")


def test_it_reports_an_event_rehashed_after_alteration_by_the_next_link(completed, clerks):
    """Recomputing the altered event's own hash is not enough: the next event points back."""
    approval = AuditEvent.objects.get(
        object_type="workflows.task", action="approve", actor=clerks["guichet"]
    )
    approval.comment = "falsifié"
    forged = audit._event_hash(approval)
    _sql(
        "UPDATE workflows_auditevent SET comment=%s, hash=%s WHERE sequence=%s",
        ["falsifié", forged, approval.sequence],
    )

    assert audit.verify() == audit.ChainBreak(approval.sequence + 1, "altered")


def test_it_reports_a_rehashed_last_event_that_no_longer_matches_the_chain_head(completed):
    last = AuditEvent.objects.order_by("-sequence").first()
    last.comment = "falsifié"
    forged = audit._event_hash(last)
    _sql(
        "UPDATE workflows_auditevent SET comment=%s, hash=%s WHERE sequence=%s",
        ["falsifié", forged, last.sequence],
    )
    assert AuditChainHead.objects.get(pk=1).last_hash != forged

    assert audit.verify() == audit.ChainBreak(last.sequence, "altered")


def test_it_reports_the_deleted_last_event_as_missing(completed):
    last = AuditEvent.objects.order_by("-sequence").first()
    _sql("DELETE FROM workflows_auditevent WHERE sequence=%s", [last.sequence])

    assert audit.verify() == audit.ChainBreak(last.sequence, "missing")


def test_it_reports_a_deleted_middle_event_as_missing(completed):
    middle = AuditEvent.objects.order_by("sequence")[5]
    _sql("DELETE FROM workflows_auditevent WHERE sequence=%s", [middle.sequence])

    assert audit.verify() == audit.ChainBreak(middle.sequence, "missing")


def test_every_approval_wrote_one_approve_event(completed, clerks):
    _application, case = completed
    approvals = AuditEvent.objects.filter(object_type="workflows.task", action="approve")
    assert approvals.count() == len(MANUAL_STEPS) == 5
    assert case.tasks.filter(state=TaskState.APPROVED).count() == 7
    assert {event.actor for event in approvals} == set(clerks.values())
    for event in approvals:
        assert (event.from_state, event.to_state) == (TaskState.CLAIMED, TaskState.APPROVED)
        assert event.case_id == case.pk


def history_of(task) -> list[tuple[str, str, str]]:
    return list(
        AuditEvent.objects.filter(object_type="workflows.task", object_id=str(task.pk))
        .order_by("sequence")
        .values_list("action", "from_state", "to_state")
    )


def test_each_manual_task_history_reads_ready_claim_approve(completed):
    _application, case = completed
    for step in MANUAL_STEPS:
        assert history_of(task_of(case, step)) == [
            ("ready", "waiting", "ready"),
            ("claim", "ready", "claimed"),
            ("approve", "claimed", "approved"),
        ], step


def test_each_automatic_task_history_reads_ready_run_passed_without_actor(completed):
    _application, case = completed
    for step in AUTOMATIC_STEPS:
        task = task_of(case, step)
        assert history_of(task) == [
            ("ready", "waiting", "ready"),
            ("run", "ready", "running"),
            ("check_passed", "running", "approved"),
        ], step
        assert not AuditEvent.objects.filter(object_id=str(task.pk), action="run",
                                             actor__isnull=False).exists()


def test_the_case_and_the_filing_transitions_are_all_recorded(completed, entrepreneur):
    application, case = completed
    case_actions = list(
        AuditEvent.objects.filter(object_type="workflows.case", object_id=str(case.pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert case_actions == ["start", "complete"]
    filing = list(
        AuditEvent.objects.filter(object_type="registry.application", object_id=str(application.pk))
        .order_by("sequence")
        .values_list("action", "to_state")
    )
    assert filing == [
        ("create", "draft"),
        ("submit", "in_review"),
        ("rccm_number", "in_review"),
        ("nif", "in_review"),
        ("employer_number", "in_review"),
        ("approve", "approved"),
        ("register", "registered"),
    ]
    identifiers = dict(
        AuditEvent.objects.filter(object_type="registry.application",
                                  action__in=["rccm_number", "nif", "employer_number"])
        .values_list("action", "comment")
    )
    assert identifiers == {"rccm_number": application.rccm_number, "nif": "1000428517",
                           "employer_number": "123456"}
    assert (
        AuditEvent.objects.get(
            object_type="workflows.case", action="start", object_id=str(case.pk)
        ).actor
        == entrepreneur
    )


def test_return_and_resubmission_are_recorded(submitted, clerks, entrepreneur):
    case = case_of(submitted)
    intake = task_of(case, "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    engine.return_task(task_id=intake.pk, user=clerks["guichet"], comment="Pièce manquante")
    registry_services.application_submit(application_id=submitted.pk, user=entrepreneur)

    actions = list(
        AuditEvent.objects.filter(case=case)
        .order_by("sequence")
        .values_list("object_type", "action")
    )
    assert ("workflows.task", "return") in actions
    assert ("workflows.case", "suspend") in actions
    assert ("workflows.case", "resume") in actions
    assert ("workflows.task", "reopen") in actions
    returned = AuditEvent.objects.get(object_type="workflows.task", action="return")
    assert returned.comment == "Pièce manquante"
    assert returned.actor == clerks["guichet"]
    assert audit.verify() is None


def test_a_second_return_while_suspended_is_recorded_and_the_chain_verifies(submitted, clerks):
    case = case_of(submitted)
    advance_until(case, "tax", clerks)
    for step, desk in (("tax", "impots"), ("social_security", "cnss")):
        task = task_of(case, step)
        engine.claim_task(task_id=task.pk, user=clerks[desk])
        engine.return_task(task_id=task.pk, user=clerks[desk], comment=f"À corriger ({step})",
                           fields=["people"])

    assert AuditEvent.objects.filter(object_type="workflows.task", action="return").count() == 2
    assert AuditEvent.objects.filter(object_type="registry.application",
                                     action="request_correction").count() == 2
    assert audit.verify() is None


def _event(**fields) -> AuditEvent:
    base = {
        "sequence": 7, "at": timezone.now(), "actor_id": None, "object_type": "workflows.task",
        "object_id": "1", "action": "approve", "from_state": "claimed",
        "to_state": "approved", "comment": "", "case_id": 1, "previous_hash": "0" * 64,
    }
    return AuditEvent(**(base | fields))


def test_the_hash_keeps_field_boundaries_whatever_the_text_holds():
    at = timezone.now()
    # The same characters once the fields are joined with a separator, yet other events:
    # a text may hold any separator (here the unit separator and a pipe).
    for separator in ("\x1f", "|", ","):
        first = _event(at=at, action="approve", from_state=f"claimed{separator}x")
        second = _event(at=at, action=f"approve{separator}claimed", from_state="x")
        assert audit._event_hash(first) != audit._event_hash(second), repr(separator)
    # An empty actor and an actor-less event with the id moved into the next field.
    third = _event(at=at, actor_id=None, object_type="1workflows.task")
    fourth = _event(at=at, actor_id=1, object_type="workflows.task")
    assert audit._event_hash(third) != audit._event_hash(fourth)


def test_the_hash_covers_every_recorded_field():
    at = timezone.now()
    reference = audit._event_hash(_event(at=at))
    changes = {
        "sequence": 8, "at": at + timedelta(microseconds=1), "actor_id": 3,
        "object_type": "workflows.case", "object_id": "2", "action": "reject",
        "from_state": "ready", "to_state": "rejected", "comment": "x", "case_id": 2,
        "previous_hash": "1" * 64,
    }
    for field, value in changes.items():
        assert audit._event_hash(_event(**({"at": at} | {field: value}))) != reference, field


def test_record_refuses_to_run_outside_a_transaction():
    # No database fixture: not in a transaction, and no query may run before the refusal.
    assert not transaction.get_connection().in_atomic_block
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit.record(obj=Desk(code="x", name="x"), action="touch")
