"""The engine running the toy permit procedure as the desks would: start, claim, approve,
parallel desks joining before the last step, the procedure's handlers, reject, cancel."""

from __future__ import annotations

import pytest
from django_fsm import TransitionNotAllowed

from workflows import procedures
from workflows import services as engine
from workflows.models import AuditEvent, Case, CaseState, Desk, Task, TaskState

from .helpers import (
    AUTOMATIC_STEPS,
    DESK_OF_STEP,
    INITIAL_STATES,
    LICENCE_NUMBER,
    STEPS,
    TOY_PROCEDURE,
    advance_until,
    claim_and_approve,
    claim_and_return,
    complete,
    event_count,
    make_permit,
    run_on_commit,
    start,
    states,
    task_of,
)
from .toy.models import Permit

# --- starting and moving along ------------------------------------------------------------


def test_start_opens_one_running_case_with_only_intake_ready(permit, case, applicant):
    assert case.state == CaseState.RUNNING
    assert case.definition.code == TOY_PROCEDURE
    assert case.definition.version == 1
    assert case.subject_id == permit.pk
    assert case.ended_at is None
    assert states(case) == INITIAL_STATES
    intake = task_of(case, "intake")
    assert intake.desk.code == "guichet"
    assert intake.ready_at is not None
    assert intake.due_at is not None  # sla_hours: 4
    assert intake.assignee is None
    assert list(Task.objects.filter(case=case).values_list("step_id", flat=True)) == list(STEPS)
    start_event = AuditEvent.objects.get(object_type="workflows.case", object_id=str(case.pk),
                                         action="start")
    assert start_event.actor == applicant
    assert start_event.to_state == CaseState.RUNNING


def test_start_calls_no_handler(permit, case):
    permit.refresh_from_db()
    assert permit.calls == []
    assert permit.check_runs == 0


def test_each_task_belongs_to_its_steps_desk_and_only_the_inspection_is_automatic(case):
    tasks = Task.objects.filter(case=case).select_related("desk")
    assert {task.step_id: task.desk.code for task in tasks} == DESK_OF_STEP
    assert {task.step_id for task in tasks if task.kind == "automatic"} == set(AUTOMATIC_STEPS)
    assert {task.step_id: task.title for task in tasks}["licence"] == (
        "Attribution du numéro de licence")
    assert [task.position for task in tasks] == [0, 1, 2, 3, 4]


def test_the_case_subject_is_the_permit(permit, case):
    assert isinstance(case.subject, Permit)
    assert case.subject.pk == permit.pk
    assert str(case.subject) == "Permis Kossi Agbeko"


def test_each_permit_gets_its_own_case(case, clerks):
    other = make_permit("Yawo Adjo")
    other_case = start(other)
    claim_and_approve(case, "intake", clerks["guichet"])
    assert other_case.pk != case.pk
    assert states(other_case) == INITIAL_STATES


def test_claim_then_approve_of_intake_runs_the_inspection_and_readies_both_desks(
    permit, case, clerks
):
    intake = task_of(case, "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    intake.refresh_from_db()
    assert intake.state == TaskState.CLAIMED
    assert intake.assignee == clerks["guichet"]

    with run_on_commit():
        engine.approve_task(task_id=intake.pk, user=clerks["guichet"], comment="Pièces complètes")

    intake.refresh_from_db()
    assert intake.state == TaskState.APPROVED
    assert intake.decided_at is not None
    assert intake.comment == "Pièces complètes"
    assert states(case) == INITIAL_STATES | {
        "intake": TaskState.APPROVED,
        "inspection": TaskState.APPROVED,
        "licence": TaskState.READY,
        "hygiene": TaskState.READY,
    }
    assert task_of(case, "licence").desk.code == "impots"
    assert task_of(case, "hygiene").desk.code == "cnss"
    assert task_of(case, "licence").assignee is None
    permit.refresh_from_db()
    assert permit.check_runs == 1
    assert permit.approved_steps == ["intake", "inspection"]


def test_until_the_commit_the_inspection_waits_ready_and_the_desks_wait(case, clerks):
    claim_and_approve(case, "intake", clerks["guichet"], on_commit=False)
    assert states(case) == INITIAL_STATES | {
        "intake": TaskState.APPROVED,
        "inspection": TaskState.READY,
    }


def test_a_ready_task_gets_its_steps_deadline(case, clerks):
    claim_and_approve(case, "intake", clerks["guichet"])
    licence = task_of(case, "licence")
    hours = (licence.due_at - licence.ready_at).total_seconds() / 3600
    assert 7.99 < hours <= 8  # sla_hours: 8
    assert task_of(case, "signature").due_at is None  # still waiting: no deadline yet


# --- who may do what ----------------------------------------------------------------------


def test_it_rejects_approving_a_task_nobody_claimed(case, clerks):
    Desk.objects.filter(code="guichet").update(decide_without_claim=False)  # claim first
    intake = task_of(case, "intake")
    before = event_count()
    with pytest.raises(engine.WorkflowError, match="déjà été traitée"):
        engine.approve_task(task_id=intake.pk, user=clerks["guichet"])
    intake.refresh_from_db()
    assert intake.state == TaskState.READY
    assert intake.decided_at is None
    assert states(case) == INITIAL_STATES
    assert event_count() == before


def test_it_rejects_claiming_a_task_already_claimed(case, clerks, colleague):
    intake = task_of(case, "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    with pytest.raises(engine.WorkflowError, match="déjà été prise en charge"):
        engine.claim_task(task_id=intake.pk, user=colleague)
    intake.refresh_from_db()
    assert intake.assignee == clerks["guichet"]


def test_it_rejects_claiming_a_waiting_task(case, clerks):
    licence = task_of(case, "licence")
    with pytest.raises(engine.WorkflowError):
        engine.claim_task(task_id=licence.pk, user=clerks["impots"])
    licence.refresh_from_db()
    assert licence.state == TaskState.WAITING
    assert licence.assignee is None


def test_it_rejects_claiming_an_automatic_check_that_has_not_run(case, clerks):
    claim_and_approve(case, "intake", clerks["guichet"], on_commit=False)
    inspection = task_of(case, "inspection")
    with pytest.raises(engine.WorkflowError, match="contrôle automatique est en cours"):
        engine.claim_task(task_id=inspection.pk, user=clerks["greffe"])
    inspection.refresh_from_db()
    assert inspection.state == TaskState.READY
    assert inspection.assignee is None


def test_it_rejects_a_decision_by_a_clerk_who_did_not_claim_the_task(case, clerks, colleague):
    intake = task_of(case, "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    before = event_count()
    with pytest.raises(engine.WorkflowError):
        engine.approve_task(task_id=intake.pk, user=colleague)
    with pytest.raises(engine.WorkflowError):
        engine.return_task(task_id=intake.pk, user=colleague, comment="Non")
    with pytest.raises(engine.WorkflowError):
        engine.reject_task(task_id=intake.pk, user=colleague, comment="Non")
    with pytest.raises(engine.WorkflowError, match="Seul l'agent"):
        engine.release_task(task_id=intake.pk, user=colleague)
    intake.refresh_from_db()
    assert intake.state == TaskState.CLAIMED
    assert intake.assignee == clerks["guichet"]
    assert states(case)["inspection"] == TaskState.WAITING
    assert event_count() == before


def test_release_puts_the_task_back_in_the_desk_queue(case, clerks, colleague):
    intake = task_of(case, "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    engine.release_task(task_id=intake.pk, user=clerks["guichet"])
    intake.refresh_from_db()
    assert intake.state == TaskState.READY
    assert intake.assignee is None
    engine.claim_task(task_id=intake.pk, user=colleague)
    intake.refresh_from_db()
    assert intake.assignee == colleague


def test_releasing_a_task_nobody_claimed_is_refused(case, clerks):
    intake = task_of(case, "intake")
    with pytest.raises(engine.WorkflowError, match="n'est pas prise en charge"):
        engine.release_task(task_id=intake.pk, user=clerks["guichet"])
    intake.refresh_from_db()
    assert intake.state == TaskState.READY


def test_it_rejects_approving_an_already_approved_task_and_changes_nothing(
    permit, case, clerks
):
    intake = claim_and_approve(case, "intake", clerks["guichet"], comment="OK")
    decided_at = intake.decided_at
    licence = task_of(case, "licence")
    before = event_count()

    with pytest.raises(engine.WorkflowError):
        engine.approve_task(task_id=intake.pk, user=clerks["guichet"], comment="encore")

    intake.refresh_from_db()
    assert intake.state == TaskState.APPROVED
    assert intake.decided_at == decided_at
    assert intake.comment == "OK"
    licence_after = task_of(case, "licence")
    assert licence_after.state == TaskState.READY
    assert licence_after.ready_at == licence.ready_at
    assert event_count() == before
    permit.refresh_from_db()
    assert permit.approved_steps.count("intake") == 1


# --- parallel desks and the last step -------------------------------------------------------


def test_the_signature_waits_for_both_licence_and_hygiene(case, clerks):
    advance_until(case, "licence", clerks)

    claim_and_approve(case, "licence", clerks["impots"])
    assert states(case)["signature"] == TaskState.WAITING
    assert states(case)["hygiene"] == TaskState.READY

    claim_and_approve(case, "hygiene", clerks["cnss"])
    assert states(case)["signature"] == TaskState.READY


def test_the_signature_waits_whichever_of_the_two_approves_first(case, clerks):
    advance_until(case, "licence", clerks)

    claim_and_approve(case, "hygiene", clerks["cnss"])
    assert states(case)["signature"] == TaskState.WAITING
    assert states(case)["licence"] == TaskState.READY

    claim_and_approve(case, "licence", clerks["impots"])
    assert states(case)["signature"] == TaskState.READY


def test_both_parallel_desks_may_hold_their_task_at_once(case, clerks):
    advance_until(case, "licence", clerks)
    licence, hygiene = task_of(case, "licence"), task_of(case, "hygiene")
    engine.claim_task(task_id=licence.pk, user=clerks["impots"])
    engine.claim_task(task_id=hygiene.pk, user=clerks["cnss"])

    engine.approve_task(task_id=hygiene.pk, user=clerks["cnss"])
    engine.approve_task(task_id=licence.pk, user=clerks["impots"],
                        data={"licence_number": "12345678"})

    assert states(case)["signature"] == TaskState.READY


def test_the_case_completes_only_when_the_last_step_is_approved(permit, case, clerks):
    advance_until(case, "signature", clerks)
    case.refresh_from_db()
    assert case.state == CaseState.RUNNING
    permit.refresh_from_db()
    assert permit.completed_at is None

    claim_and_approve(case, "signature", clerks["greffier"])

    case.refresh_from_db()
    permit.refresh_from_db()
    assert case.state == CaseState.COMPLETED
    assert case.ended_at is not None
    assert set(states(case).values()) == {TaskState.APPROVED}
    assert permit.completed_at is not None


# --- the procedure's handlers ---------------------------------------------------------------


def test_a_full_run_calls_each_handler_in_order_with_its_actor(permit, case, clerks):
    complete(case, clerks)

    permit.refresh_from_db()
    assert permit.calls == [
        ["step_approved", "intake", "guichet@cfe.example.tg"],
        ["inspect_premises", "inspection", ""],
        ["step_approved", "inspection", ""],
        ["record_licence_number", "licence", "impots@cfe.example.tg"],
        ["step_approved", "licence", "impots@cfe.example.tg"],
        ["step_approved", "hygiene", "cnss@cfe.example.tg"],
        ["step_approved", "signature", "greffier@cfe.example.tg"],
        ["permit_completed", "", "greffier@cfe.example.tg"],
    ]
    assert permit.approved_steps == list(STEPS)
    assert permit.licence_number == LICENCE_NUMBER
    assert permit.returned_sections == []
    assert permit.rejection_reason == ""


def test_a_step_approval_handler_sees_the_desks_cleaned_data(permit, case, clerks):
    advance_until(case, "licence", clerks)
    claim_and_approve(case, "licence", clerks["impots"], data={"licence_number": "8765 4321"})
    permit.refresh_from_db()
    assert permit.licence_number == "87654321"
    assert task_of(case, "licence").data == {"licence_number": "87654321"}


def test_a_failing_approval_handler_leaves_nothing_half_done(permit, case, clerks, monkeypatch):
    advance_until(case, "licence", clerks)
    licence = task_of(case, "licence")
    engine.claim_task(task_id=licence.pk, user=clerks["impots"])
    before = event_count()

    def broken(**kwargs):
        raise RuntimeError("registre des licences hors ligne")

    handlers = procedures.get(TOY_PROCEDURE).handlers
    monkeypatch.setitem(handlers, "record_licence_number", broken)
    with pytest.raises(RuntimeError):
        engine.approve_task(task_id=licence.pk, user=clerks["impots"],
                            data={"licence_number": "12345678"})

    licence.refresh_from_db()
    permit.refresh_from_db()
    assert licence.state == TaskState.CLAIMED
    assert licence.decided_at is None
    assert licence.data == {}
    assert states(case)["signature"] == TaskState.WAITING
    assert permit.licence_number == ""
    assert "licence" not in permit.approved_steps
    assert event_count() == before


def test_a_failing_completion_handler_leaves_the_case_running(permit, case, clerks,
                                                              monkeypatch):
    advance_until(case, "signature", clerks)
    signature = task_of(case, "signature")
    engine.claim_task(task_id=signature.pk, user=clerks["greffier"])

    def broken(**kwargs):
        raise RuntimeError("archives indisponibles")

    monkeypatch.setitem(procedures.get(TOY_PROCEDURE).handlers, "permit_completed", broken)
    with pytest.raises(RuntimeError):
        engine.approve_task(task_id=signature.pk, user=clerks["greffier"])

    case.refresh_from_db()
    signature.refresh_from_db()
    permit.refresh_from_db()
    assert case.state == CaseState.RUNNING
    assert signature.state == TaskState.CLAIMED
    assert "signature" not in permit.approved_steps  # on_step_approved rolled back too
    assert permit.completed_at is None


def test_a_handler_the_running_version_names_but_the_procedure_no_longer_registers_fails(
    case, clerks, monkeypatch
):
    """A handler dropped from the map while a case runs: the decision fails loudly."""
    monkeypatch.delitem(procedures.get(TOY_PROCEDURE).handlers, "step_approved")
    intake = task_of(case, "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])

    with pytest.raises(LookupError, match="registers no handler 'step_approved'"):
        engine.approve_task(task_id=intake.pk, user=clerks["guichet"])

    intake.refresh_from_db()
    assert intake.state == TaskState.CLAIMED


# --- desk fields ----------------------------------------------------------------------------


@pytest.fixture
def claimed_licence(case, clerks):
    advance_until(case, "licence", clerks)
    licence = task_of(case, "licence")
    engine.claim_task(task_id=licence.pk, user=clerks["impots"])
    return licence


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({}, "est obligatoire"),
        (None, "est obligatoire"),
        ({"licence_number": "   "}, "est obligatoire"),
        ({"licence_number": "1234567"}, "n'a pas le format attendu"),  # 7 digits
        ({"licence_number": "123456789"}, "n'a pas le format attendu"),  # 9 digits
        ({"licence_number": "1234ABCD"}, "n'a pas le format attendu"),
        ({"licence_number": "1234-5678"}, "n'a pas le format attendu"),
    ],
)
def test_approving_without_a_well_formed_licence_number_is_refused_and_changes_nothing(
    permit, case, clerks, claimed_licence, data, problem
):
    before = event_count()

    with pytest.raises(engine.WorkflowError) as refusal:
        engine.approve_task(task_id=claimed_licence.pk, user=clerks["impots"], data=data)

    message = str(refusal.value)
    assert "« Numéro de licence »" in message
    assert problem in message
    claimed_licence.refresh_from_db()
    permit.refresh_from_db()
    assert claimed_licence.state == TaskState.CLAIMED
    assert claimed_licence.data == {}
    assert claimed_licence.decided_at is None
    assert permit.licence_number == ""
    assert states(case)["signature"] == TaskState.WAITING
    assert event_count() == before


def test_a_number_typed_with_spaces_is_normalised_to_digits(permit, clerks, claimed_licence):
    engine.approve_task(task_id=claimed_licence.pk, user=clerks["impots"],
                        data={"licence_number": " 2026  00 42 "})

    claimed_licence.refresh_from_db()
    permit.refresh_from_db()
    assert claimed_licence.state == TaskState.APPROVED
    assert claimed_licence.data == {"licence_number": "20260042"}
    assert permit.licence_number == "20260042"


def test_a_number_in_non_ascii_digits_is_refused(permit, clerks, claimed_licence):
    with pytest.raises(engine.WorkflowError, match="n'a pas le format attendu"):
        engine.approve_task(task_id=claimed_licence.pk, user=clerks["impots"],
                            data={"licence_number": "٢٠٢٦٠٠٤٢"})
    permit.refresh_from_db()
    assert permit.licence_number == ""


def test_an_optional_field_may_be_left_empty_and_is_not_stored(clerks, claimed_licence):
    engine.approve_task(task_id=claimed_licence.pk, user=clerks["impots"],
                        data={"licence_number": "20260042", "register_page": "  "})
    claimed_licence.refresh_from_db()
    assert claimed_licence.data == {"licence_number": "20260042"}


def test_an_optional_field_given_must_match_its_pattern(clerks, claimed_licence):
    with pytest.raises(engine.WorkflowError, match="« Page du registre » n'a pas le format"):
        engine.approve_task(task_id=claimed_licence.pk, user=clerks["impots"],
                            data={"licence_number": "20260042", "register_page": "B12"})
    engine.approve_task(task_id=claimed_licence.pk, user=clerks["impots"],
                        data={"licence_number": "20260042", "register_page": "B-12"})
    claimed_licence.refresh_from_db()
    assert claimed_licence.data == {"licence_number": "20260042", "register_page": "B-12"}


def test_a_field_without_normalize_keeps_its_inner_spaces_collapsed_not_removed(
    clerks, claimed_licence
):
    # Only "digits" removes spaces; other fields get runs of blanks collapsed to one.
    with pytest.raises(engine.WorkflowError, match="Page du registre"):
        engine.approve_task(task_id=claimed_licence.pk, user=clerks["impots"],
                            data={"licence_number": "20260042", "register_page": "B -  12"})


def test_data_a_step_does_not_ask_for_is_not_stored(case, clerks):
    intake = claim_and_approve(case, "intake", clerks["guichet"],
                               data={"licence_number": "20260042", "anything": "x"})
    assert intake.data == {}


def test_clean_step_data_checks_each_field_of_the_step():
    step = {"id": "s", "fields": [
        {"name": "code", "label": "Code", "normalize": "digits", "pattern": r"\d{3}"},
        {"name": "note", "label": "Note", "required": False},
    ]}
    assert engine.clean_step_data(step, {"code": " 1 2 3", "note": "a   b"}) == {
        "code": "123", "note": "a b"}
    assert engine.clean_step_data(step, {"code": 123}) == {"code": "123"}
    assert engine.clean_step_data({"id": "s"}, {"code": "x"}) == {}
    with pytest.raises(engine.WorkflowError, match="« Code » est obligatoire"):
        engine.clean_step_data(step, {"note": "x"})


# --- rejection ------------------------------------------------------------------------------


def test_reject_ends_the_case_cancels_the_other_open_tasks_and_calls_the_handler(
    permit, case, clerks
):
    advance_until(case, "licence", clerks)
    licence = task_of(case, "licence")
    engine.claim_task(task_id=licence.pk, user=clerks["impots"])

    engine.reject_task(task_id=licence.pk, user=clerks["impots"],
                       comment="Activité interdite dans cette zone.")

    case.refresh_from_db()
    permit.refresh_from_db()
    assert case.state == CaseState.REJECTED
    assert case.ended_at is not None
    assert states(case) == {
        "intake": TaskState.APPROVED,
        "inspection": TaskState.APPROVED,
        "licence": TaskState.REJECTED,
        "hygiene": TaskState.CANCELLED,
        "signature": TaskState.CANCELLED,
    }
    assert task_of(case, "signature").decided_at is not None
    assert task_of(case, "licence").comment == "Activité interdite dans cette zone."
    assert permit.rejection_reason == "Activité interdite dans cette zone."
    assert permit.calls[-1] == ["permit_rejected", "", "impots@cfe.example.tg"]
    assert permit.completed_at is None
    cancelled = AuditEvent.objects.filter(case=case, object_type="workflows.task",
                                          action="cancel")
    assert cancelled.count() == 2
    assert {event.actor for event in cancelled} == {clerks["impots"]}


def test_reject_at_intake_cancels_every_later_step(permit, case, clerks):
    intake = task_of(case, "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    engine.reject_task(task_id=intake.pk, user=clerks["guichet"], comment="Hors compétence")
    assert states(case) == {step: TaskState.CANCELLED for step in STEPS} | {
        "intake": TaskState.REJECTED
    }
    # A cancelled task cannot be picked up any more.
    with pytest.raises(engine.WorkflowError):
        engine.claim_task(task_id=task_of(case, "licence").pk, user=clerks["impots"])
    permit.refresh_from_db()
    assert permit.approved_steps == []


def test_rejecting_one_parallel_desk_cancels_the_other_even_if_claimed(permit, case, clerks):
    advance_until(case, "licence", clerks)
    hygiene = task_of(case, "hygiene")
    engine.claim_task(task_id=hygiene.pk, user=clerks["cnss"])
    licence = task_of(case, "licence")
    engine.claim_task(task_id=licence.pk, user=clerks["impots"])

    engine.reject_task(task_id=licence.pk, user=clerks["impots"], comment="Fraude")

    assert states(case)["hygiene"] == TaskState.CANCELLED
    assert states(case)["signature"] == TaskState.CANCELLED
    with pytest.raises(engine.WorkflowError):
        engine.approve_task(task_id=hygiene.pk, user=clerks["cnss"])
    permit.refresh_from_db()
    assert "hygiene" not in permit.approved_steps


def test_a_failing_rejection_handler_leaves_the_case_running(permit, case, clerks, monkeypatch):
    intake = task_of(case, "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    before = event_count()

    def broken(**kwargs):
        raise RuntimeError("messagerie indisponible")

    monkeypatch.setitem(procedures.get(TOY_PROCEDURE).handlers, "permit_rejected", broken)
    with pytest.raises(RuntimeError):
        engine.reject_task(task_id=intake.pk, user=clerks["guichet"], comment="Non")

    case.refresh_from_db()
    assert case.state == CaseState.RUNNING
    assert states(case) == INITIAL_STATES | {"intake": TaskState.CLAIMED}
    assert event_count() == before


@pytest.mark.parametrize("comment", ["", "   \n"])
@pytest.mark.parametrize("decision", [engine.return_task, engine.reject_task])
def test_it_refuses_a_return_or_reject_without_comment(permit, case, clerks, decision, comment):
    intake = task_of(case, "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    before = event_count()

    with pytest.raises(engine.WorkflowError):
        decision(task_id=intake.pk, user=clerks["guichet"], comment=comment)

    intake.refresh_from_db()
    case.refresh_from_db()
    permit.refresh_from_db()
    assert intake.state == TaskState.CLAIMED
    assert case.state == CaseState.RUNNING
    assert permit.calls == []
    assert event_count() == before


def test_no_decision_is_possible_on_a_rejected_case(case, clerks):
    advance_until(case, "licence", clerks)
    hygiene = task_of(case, "hygiene")
    licence = task_of(case, "licence")
    engine.claim_task(task_id=licence.pk, user=clerks["impots"])
    engine.reject_task(task_id=licence.pk, user=clerks["impots"], comment="Non")

    for decision in (engine.approve_task, engine.return_task, engine.reject_task):
        with pytest.raises(engine.WorkflowError):
            decision(task_id=hygiene.pk, user=clerks["cnss"], comment="x")
    assert states(case)["hygiene"] == TaskState.CANCELLED


# --- cancelling from outside ----------------------------------------------------------------


def test_cancel_case_ends_the_case_and_cancels_its_open_tasks(permit, case, clerks, applicant):
    advance_until(case, "licence", clerks)
    licence = task_of(case, "licence")
    engine.claim_task(task_id=licence.pk, user=clerks["impots"])

    engine.cancel_case(case_id=case.pk, actor=applicant, comment="Demande retirée")

    case.refresh_from_db()
    assert case.state == CaseState.CANCELLED
    assert case.ended_at is not None
    assert states(case) == {
        "intake": TaskState.APPROVED,
        "inspection": TaskState.APPROVED,
        "licence": TaskState.CANCELLED,
        "hygiene": TaskState.CANCELLED,
        "signature": TaskState.CANCELLED,
    }
    # The clerk who had claimed it can no longer decide.
    with pytest.raises(engine.WorkflowError):
        engine.approve_task(task_id=licence.pk, user=clerks["impots"],
                            data={"licence_number": "20260042"})
    event = AuditEvent.objects.get(object_type="workflows.case", object_id=str(case.pk),
                                   action="cancel")
    assert event.actor == applicant
    assert event.comment == "Demande retirée"
    assert (event.from_state, event.to_state) == (CaseState.RUNNING, CaseState.CANCELLED)
    permit.refresh_from_db()
    assert permit.rejection_reason == ""  # a withdrawal is not a rejection: no handler
    assert permit.calls[-1][0] == "step_approved"


def test_cancelling_a_case_waiting_for_the_applicant_cancels_the_returned_task(
    case, clerks, applicant
):
    claim_and_return(case, "intake", clerks["guichet"], "Pièce manquante")

    engine.cancel_case(case_id=case.pk, actor=applicant)

    case.refresh_from_db()
    assert case.state == CaseState.CANCELLED
    assert set(states(case).values()) == {TaskState.CANCELLED}


def test_an_inspection_queued_before_the_cancellation_never_runs(permit, case, clerks,
                                                                  applicant):
    claim_and_approve(case, "intake", clerks["guichet"], on_commit=False)
    inspection = task_of(case, "inspection")

    engine.cancel_case(case_id=case.pk, actor=applicant)
    engine.run_automatic_step(task_id=inspection.pk)  # the message queued before

    inspection.refresh_from_db()
    permit.refresh_from_db()
    assert inspection.state == TaskState.CANCELLED
    assert permit.check_runs == 0
    assert not AuditEvent.objects.filter(object_id=str(inspection.pk), action="run").exists()


@pytest.mark.parametrize("ending", ["complete", "reject", "cancel"])
def test_a_closed_case_cannot_be_cancelled_again(case, clerks, applicant, ending):
    if ending == "complete":
        complete(case, clerks)
    elif ending == "reject":
        intake = task_of(case, "intake")
        engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
        engine.reject_task(task_id=intake.pk, user=clerks["guichet"], comment="Non")
    else:
        engine.cancel_case(case_id=case.pk, actor=applicant)
    case.refresh_from_db()
    state = case.state
    before = event_count()

    # The engine lets django-fsm's refusal through (not a WorkflowError with a message).
    with pytest.raises(TransitionNotAllowed):
        engine.cancel_case(case_id=case.pk, actor=applicant)

    case.refresh_from_db()
    assert case.state == state
    assert event_count() == before


def test_start_case_refuses_an_unpublished_procedure(permit):
    with pytest.raises(engine.WorkflowError, match="n'est pas publiée"):
        engine.start_case(definition_code="never_published", subject=permit)
    assert not Case.objects.filter(subject_id=permit.pk).exists()
