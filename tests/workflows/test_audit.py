"""The tamper-evident audit trail: one chained event per transition, verify() finds breaks,
and `manage.py audit verify` says so."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from workflows import audit
from workflows import services as engine
from workflows.models import AuditChainHead, AuditEvent, CaseState, Desk, TaskState

from .helpers import (
    AUTOMATIC_STEPS,
    MANUAL_STEPS,
    claim_and_approve,
    claim_and_return,
    complete,
    resume,
    task_of,
)


@pytest.fixture
def completed(permit, case, clerks):
    """A food permit taken through all five steps."""
    complete(case, clerks)
    permit.refresh_from_db()
    case.refresh_from_db()
    return permit, case


def _sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_the_chain_of_a_full_run_verifies(completed):
    permit, case = completed
    assert case.state == CaseState.COMPLETED
    assert permit.completed_at is not None
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


def test_every_event_of_the_run_belongs_to_its_case(completed):
    _permit, case = completed
    assert set(AuditEvent.objects.values_list("case_id", flat=True)) == {case.pk}


def test_it_reports_an_event_whose_comment_was_altered(completed, clerks):
    approval = AuditEvent.objects.get(
        object_type="workflows.task", action="approve", actor=clerks["impots"]
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


# --- what the run recorded ------------------------------------------------------------------


def test_every_approval_wrote_one_approve_event(completed, clerks):
    _permit, case = completed
    approvals = AuditEvent.objects.filter(object_type="workflows.task", action="approve")
    assert approvals.count() == len(MANUAL_STEPS) == 4
    assert case.tasks.filter(state=TaskState.APPROVED).count() == 5
    assert {event.actor for event in approvals} == {
        clerks[desk] for desk in ("guichet", "impots", "cnss", "greffier")}
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
    _permit, case = completed
    for step in MANUAL_STEPS:
        assert history_of(task_of(case, step)) == [
            ("ready", "waiting", "ready"),
            ("claim", "ready", "claimed"),
            ("approve", "claimed", "approved"),
        ], step


def test_each_automatic_task_history_reads_ready_run_passed_without_actor(completed):
    _permit, case = completed
    for step in AUTOMATIC_STEPS:
        task = task_of(case, step)
        assert history_of(task) == [
            ("ready", "waiting", "ready"),
            ("run", "ready", "running"),
            ("check_passed", "running", "approved"),
        ], step
        assert not AuditEvent.objects.filter(object_id=str(task.pk), action__in=[
            "run", "check_passed"], actor__isnull=False).exists()


def test_the_case_transitions_are_recorded_with_their_actors(completed, applicant, clerks):
    _permit, case = completed
    case_events = list(
        AuditEvent.objects.filter(object_type="workflows.case", object_id=str(case.pk))
        .order_by("sequence")
        .values_list("action", "from_state", "to_state", "actor")
    )
    assert case_events == [
        ("start", "", CaseState.RUNNING, applicant.pk),
        ("complete", CaseState.RUNNING, CaseState.COMPLETED, clerks["greffier"].pk),
    ]


def test_the_intake_ready_event_comes_right_after_the_start(case):
    events = list(AuditEvent.objects.order_by("sequence").values_list("object_type", "action"))
    assert events == [("workflows.case", "start"), ("workflows.task", "ready")]


def test_return_and_resumption_are_recorded(case, clerks, applicant):
    claim_and_return(case, "intake", clerks["guichet"], "Pièce manquante")
    resume(case, applicant)

    actions = list(
        AuditEvent.objects.filter(case=case)
        .order_by("sequence")
        .values_list("object_type", "action")
    )
    assert actions[-4:] == [
        ("workflows.task", "return"),
        ("workflows.case", "suspend"),
        ("workflows.case", "resume"),
        ("workflows.task", "reopen"),
    ]
    returned = AuditEvent.objects.get(object_type="workflows.task", action="return")
    assert returned.comment == "Pièce manquante"
    assert returned.actor == clerks["guichet"]
    reopened = AuditEvent.objects.get(object_type="workflows.task", action="reopen")
    assert (reopened.from_state, reopened.to_state) == (TaskState.RETURNED, TaskState.READY)
    assert reopened.actor == applicant
    assert audit.verify() is None


def test_a_second_return_while_suspended_is_recorded_and_the_chain_verifies(case, clerks):
    claim_and_approve(case, "intake", clerks["guichet"])
    for step, desk in (("licence", "impots"), ("hygiene", "cnss")):
        claim_and_return(case, step, clerks[desk], f"À corriger ({step})", ["premises"])

    assert AuditEvent.objects.filter(object_type="workflows.task", action="return").count() == 2
    assert AuditEvent.objects.filter(object_type="workflows.case", action="suspend").count() == 1
    assert audit.verify() is None


def test_a_rejection_records_the_cancelled_tasks_after_the_case(case, clerks):
    intake = task_of(case, "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    engine.reject_task(task_id=intake.pk, user=clerks["guichet"], comment="Non")

    tail = list(AuditEvent.objects.order_by("sequence").values_list("object_type", "action"))[-6:]
    assert tail == [("workflows.task", "reject"), ("workflows.case", "reject")] + [
        ("workflows.task", "cancel")] * 4
    assert AuditEvent.objects.get(object_type="workflows.case", action="reject").comment == "Non"


def test_a_decision_refused_midway_records_nothing(case, clerks):
    """A failed approval (bad desk field) leaves no event behind, even a partial one."""
    claim_and_approve(case, "intake", clerks["guichet"])
    licence = task_of(case, "licence")
    engine.claim_task(task_id=licence.pk, user=clerks["impots"])
    before = list(AuditEvent.objects.values_list("sequence", flat=True))

    with pytest.raises(engine.WorkflowError):
        engine.approve_task(task_id=licence.pk, user=clerks["impots"], data={})

    assert list(AuditEvent.objects.values_list("sequence", flat=True)) == before
    assert audit.verify() is None


# --- the hash itself ------------------------------------------------------------------------


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


def test_the_hash_is_stable_for_the_same_event():
    at = timezone.now()
    assert audit._event_hash(_event(at=at)) == audit._event_hash(_event(at=at))
    assert len(audit._event_hash(_event(at=at))) == 64


def test_record_refuses_to_run_outside_a_transaction():
    # No database fixture: not in a transaction, and no query may run before the refusal.
    assert not transaction.get_connection().in_atomic_block
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit.record(obj=Desk(code="x", name="x"), action="touch")


# --- manage.py audit verify ---------------------------------------------------------------


def test_audit_verify_says_the_chain_is_intact(completed, capsys):
    call_command("audit", "verify")
    assert f"audit chain intact: {AuditEvent.objects.count()} events" in capsys.readouterr().out


def test_audit_verify_fails_and_names_a_row_changed_with_raw_sql(case):
    call_command("audit", "verify")
    target = AuditEvent.objects.order_by("sequence")[1]
    _sql("UPDATE workflows_auditevent SET to_state = %s WHERE sequence = %s",
         ["approved", target.sequence])
    with pytest.raises(CommandError, match=f"event #{target.sequence}: altered"):
        call_command("audit", "verify")


def test_audit_verify_names_a_deleted_row_as_missing(completed):
    target = AuditEvent.objects.order_by("sequence")[3]
    _sql("DELETE FROM workflows_auditevent WHERE sequence=%s", [target.sequence])
    with pytest.raises(CommandError, match=f"event #{target.sequence}: missing"):
        call_command("audit", "verify")
