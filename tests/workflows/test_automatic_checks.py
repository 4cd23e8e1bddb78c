"""Automatic steps on the toy: the inspection runs after commit (Celery), passes or fails
with CheckFailed into its desk's queue, is applied once however often it is delivered, and
goes to a person when its retries are exhausted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from workflows import procedures
from workflows import services as engine
from workflows.definitions import publish
from workflows.models import AuditEvent, CaseState, StepKind, TaskState
from workflows.tasks import run_automatic_step as run_task

from .helpers import (
    TOY_PROCEDURE,
    claim_and_approve,
    claim_and_return,
    event_count,
    make_permit,
    queue_of,
    run_on_commit,
    start,
    states,
    task_of,
)
from .toy.handlers import HANDLERS


@pytest.fixture
def failing_permit(db):
    return make_permit("Bar du Port", check_problem="Issue de secours condamnée.")


@pytest.fixture
def failing_case(failing_permit):
    return start(failing_permit)


@pytest.fixture
def inspection_queued(permit, case, clerks):
    """Intake approved, the inspection ready but its Celery message not yet delivered."""
    claim_and_approve(case, "intake", clerks["guichet"], on_commit=False)
    return case


def crash(**kwargs):
    raise ConnectionError("registre des locaux injoignable")


# --- passing and failing --------------------------------------------------------------------


def test_a_passing_inspection_is_approved_without_anyone_and_the_desks_go_on(
    permit, case, clerks
):
    claim_and_approve(case, "intake", clerks["guichet"])

    inspection = task_of(case, "inspection")
    assert inspection.state == TaskState.APPROVED
    assert inspection.kind == StepKind.AUTOMATIC
    assert inspection.assignee is None
    assert inspection.comment == "Locaux conformes."  # what the handler returned
    assert inspection.error == ""
    assert inspection.decided_at is not None
    passed = AuditEvent.objects.get(object_id=str(inspection.pk), object_type="workflows.task",
                                    action="check_passed")
    assert (passed.from_state, passed.to_state) == (TaskState.RUNNING, TaskState.APPROVED)
    assert passed.comment == "Locaux conformes."
    assert passed.actor is None
    permit.refresh_from_db()
    assert permit.check_runs == 1
    assert states(case)["licence"] == TaskState.READY


def test_a_check_returning_nothing_passes_with_no_comment(permit, case, clerks, monkeypatch):
    monkeypatch.setitem(procedures.get(TOY_PROCEDURE).handlers, "inspect_premises",
                        lambda **kwargs: None)
    claim_and_approve(case, "intake", clerks["guichet"])
    inspection = task_of(case, "inspection")
    assert inspection.state == TaskState.APPROVED
    assert inspection.comment == ""


def test_check_failed_sends_the_inspection_to_its_desk_with_the_message(
    failing_permit, failing_case, clerks
):
    claim_and_approve(failing_case, "intake", clerks["guichet"])

    inspection = task_of(failing_case, "inspection")
    assert inspection.state == TaskState.FAILED
    assert inspection.error == "Issue de secours condamnée."
    assert inspection.decided_at is None
    assert inspection.assignee is None
    assert states(failing_case)["licence"] == TaskState.WAITING
    assert states(failing_case)["hygiene"] == TaskState.WAITING
    failure = AuditEvent.objects.get(object_type="workflows.task",
                                     object_id=str(inspection.pk), action="check_failed")
    assert (failure.from_state, failure.to_state) == (TaskState.RUNNING, TaskState.FAILED)
    assert failure.comment == inspection.error
    assert failure.actor is None
    failing_case.refresh_from_db()
    assert failing_case.state == CaseState.RUNNING


def test_a_failed_inspection_waits_in_its_own_desks_queue_only(failing_case, clerks):
    claim_and_approve(failing_case, "intake", clerks["guichet"])
    inspection = task_of(failing_case, "inspection")

    assert [task.pk for task in queue_of(clerks["greffe"])] == [inspection.pk]
    assert queue_of(clerks["guichet"]) == []
    assert queue_of(clerks["impots"]) == []


def test_a_failing_check_keeps_none_of_its_own_writes(failing_permit, failing_case, clerks):
    """The handler counted its run before raising: the count is rolled back with it."""
    claim_and_approve(failing_case, "intake", clerks["guichet"])

    failing_permit.refresh_from_db()
    assert failing_permit.check_runs == 0
    assert failing_permit.calls == [["step_approved", "intake", "guichet@cfe.example.tg"]]
    assert task_of(failing_case, "inspection").state == TaskState.FAILED


def test_a_failed_inspection_can_be_claimed_and_approved_by_a_clerk(
    failing_permit, failing_case, clerks
):
    claim_and_approve(failing_case, "intake", clerks["guichet"])

    inspection = claim_and_approve(failing_case, "inspection", clerks["greffe"],
                                   comment="Issue rouverte lors de la visite.")

    assert inspection.state == TaskState.APPROVED
    assert inspection.assignee == clerks["greffe"]
    assert inspection.comment == "Issue rouverte lors de la visite."
    assert inspection.error == "Issue de secours condamnée."  # the alert stays on record
    assert states(failing_case)["licence"] == TaskState.READY
    failing_permit.refresh_from_db()
    assert failing_permit.approved_steps == ["intake", "inspection"]
    assert failing_permit.calls[-1] == ["step_approved", "inspection", "greffe@cfe.example.tg"]


def test_a_failed_inspection_may_be_rejected_by_a_clerk(failing_permit, failing_case, clerks):
    claim_and_approve(failing_case, "intake", clerks["guichet"])
    inspection = task_of(failing_case, "inspection")
    engine.claim_task(task_id=inspection.pk, user=clerks["greffe"])

    engine.reject_task(task_id=inspection.pk, user=clerks["greffe"], comment="Locaux dangereux")

    failing_case.refresh_from_db()
    failing_permit.refresh_from_db()
    assert failing_case.state == CaseState.REJECTED
    assert failing_permit.rejection_reason == "Locaux dangereux"
    assert states(failing_case)["signature"] == TaskState.CANCELLED


def test_a_released_failed_check_goes_back_to_the_desk_queue_still_failed(
    failing_case, clerks, make_user
):
    colleague = make_user("edem@cfe.example.tg", desk="greffe")
    claim_and_approve(failing_case, "intake", clerks["guichet"])
    inspection = task_of(failing_case, "inspection")
    engine.claim_task(task_id=inspection.pk, user=clerks["greffe"])
    assert inspection.pk in [task.pk for task in queue_of(clerks["greffe"])]
    assert inspection.pk not in [task.pk for task in queue_of(colleague)]

    engine.release_task(task_id=inspection.pk, user=clerks["greffe"])

    inspection.refresh_from_db()
    assert inspection.state == TaskState.FAILED
    assert inspection.assignee is None
    assert inspection.pk in [task.pk for task in queue_of(colleague)]
    engine.claim_task(task_id=inspection.pk, user=colleague)
    inspection.refresh_from_db()
    assert inspection.assignee == colleague


def test_a_failed_inspection_is_in_the_greffe_queue_page_and_decided_there(
    client, failing_case, clerks
):
    claim_and_approve(failing_case, "intake", clerks["guichet"])
    inspection = task_of(failing_case, "inspection")
    client.force_login(clerks["greffe"])

    queue = client.get(reverse("workflows:queue"))
    assert [task.pk for task in queue.context["tasks"]] == [inspection.pk]
    body = queue.content.decode()
    assert "contrôle automatique en échec" in body
    assert "Issue de secours condamnée." in body

    page = client.get(reverse("workflows:task", args=[inspection.pk]))
    assert page.status_code == 200
    assert page.context["can_claim"] is True
    body = page.content.decode()
    assert "Résultat du contrôle automatique" in body
    assert "Issue de secours condamnée." in body

    client.post(reverse("workflows:task_action", args=[inspection.pk, "claim"]))
    with run_on_commit():
        response = client.post(reverse("workflows:task_action", args=[inspection.pk, "approve"]),
                               {"confirm": "1", "comment": "Vu sur place."})
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.state == TaskState.APPROVED
    assert states(failing_case)["licence"] == TaskState.READY


# --- the engine's services for automatic steps --------------------------------------------


def test_fail_automatic_step_hands_a_ready_check_to_a_person_with_the_error(
    inspection_queued, clerks
):
    inspection = task_of(inspection_queued, "inspection")

    engine.fail_automatic_step(task_id=inspection.pk, error="boom")

    inspection.refresh_from_db()
    assert inspection.state == TaskState.FAILED
    assert inspection.error == "boom"
    event = AuditEvent.objects.get(object_id=str(inspection.pk), action="check_failed")
    assert event.comment == "boom"
    assert (event.from_state, event.to_state) == (TaskState.READY, TaskState.FAILED)
    assert inspection.pk in [task.pk for task in queue_of(clerks["greffe"])]


def test_fail_automatic_step_leaves_a_finished_check_alone(inspection_queued):
    inspection = task_of(inspection_queued, "inspection")
    engine.run_automatic_step(task_id=inspection.pk)
    before = event_count()

    engine.fail_automatic_step(task_id=inspection.pk, error="boom")

    inspection.refresh_from_db()
    assert inspection.state == TaskState.APPROVED
    assert inspection.error == ""
    assert event_count() == before


def test_fail_automatic_step_leaves_a_manual_task_alone(case):
    intake = task_of(case, "intake")
    before = event_count()

    engine.fail_automatic_step(task_id=intake.pk, error="boom")

    intake.refresh_from_db()
    assert intake.state == TaskState.READY
    assert intake.error == ""
    assert event_count() == before


def test_running_an_automatic_step_twice_applies_it_once(permit, inspection_queued):
    inspection = task_of(inspection_queued, "inspection")

    engine.run_automatic_step(task_id=inspection.pk)
    engine.run_automatic_step(task_id=inspection.pk)

    inspection.refresh_from_db()
    permit.refresh_from_db()
    assert inspection.state == TaskState.APPROVED
    assert permit.check_runs == 1
    assert permit.approved_steps == ["intake", "inspection"]
    passed = AuditEvent.objects.filter(object_id=str(inspection.pk),
                                       object_type="workflows.task", action="check_passed")
    assert passed.count() == 1
    assert AuditEvent.objects.filter(object_id=str(inspection.pk), action="run").count() == 1


def test_the_inspection_finishing_makes_both_desks_ready(inspection_queued):
    assert states(inspection_queued)["licence"] == TaskState.WAITING
    engine.run_automatic_step(task_id=task_of(inspection_queued, "inspection").pk)
    assert states(inspection_queued)["licence"] == TaskState.READY
    assert states(inspection_queued)["hygiene"] == TaskState.READY
    assert states(inspection_queued)["signature"] == TaskState.WAITING


def test_running_a_step_that_is_not_ready_does_nothing(permit, case):
    inspection = task_of(case, "inspection")  # waiting for intake
    intake = task_of(case, "intake")  # ready, but manual
    before = event_count()

    engine.run_automatic_step(task_id=inspection.pk)
    engine.run_automatic_step(task_id=intake.pk)

    assert states(case)["inspection"] == TaskState.WAITING
    assert states(case)["intake"] == TaskState.READY
    assert event_count() == before
    permit.refresh_from_db()
    assert permit.check_runs == 0


def test_running_a_failed_check_again_does_nothing(permit, inspection_queued):
    inspection = task_of(inspection_queued, "inspection")
    engine.fail_automatic_step(task_id=inspection.pk, error="boom")
    before = event_count()

    engine.run_automatic_step(task_id=inspection.pk)

    inspection.refresh_from_db()
    permit.refresh_from_db()
    assert inspection.state == TaskState.FAILED
    assert permit.check_runs == 0
    assert event_count() == before


def test_an_unexpected_error_in_a_check_leaves_it_ready_for_the_next_delivery(
    permit, inspection_queued, monkeypatch
):
    inspection = task_of(inspection_queued, "inspection")
    before = event_count()
    monkeypatch.setitem(procedures.get(TOY_PROCEDURE).handlers, "inspect_premises", crash)

    with pytest.raises(ConnectionError):
        engine.run_automatic_step(task_id=inspection.pk)

    inspection.refresh_from_db()
    assert inspection.state == TaskState.READY
    assert event_count() == before
    monkeypatch.undo()
    engine.run_automatic_step(task_id=inspection.pk)
    inspection.refresh_from_db()
    permit.refresh_from_db()
    assert inspection.state == TaskState.APPROVED
    assert permit.check_runs == 1


# --- the Celery task: retried, then handed to a person --------------------------------------


def test_the_celery_task_runs_the_step(permit, inspection_queued):
    inspection = task_of(inspection_queued, "inspection")

    run_task.delay(inspection.pk)

    inspection.refresh_from_db()
    assert inspection.state == TaskState.APPROVED


def test_when_retries_are_exhausted_the_step_fails_to_its_desk_with_the_error(
    inspection_queued, clerks, monkeypatch
):
    inspection = task_of(inspection_queued, "inspection")
    monkeypatch.setitem(procedures.get(TOY_PROCEDURE).handlers, "inspect_premises", crash)

    result = run_task.apply(args=[inspection.pk], retries=run_task.max_retries, throw=False)

    assert result.state == "FAILURE"
    inspection.refresh_from_db()
    assert inspection.state == TaskState.FAILED
    assert inspection.error == "ConnectionError: registre des locaux injoignable"
    assert inspection.pk in [task.pk for task in queue_of(clerks["greffe"])]
    assert states(inspection_queued)["licence"] == TaskState.WAITING


def test_the_celery_task_is_retried_with_backoff_and_acknowledged_late():
    assert run_task.max_retries == 5
    assert run_task.acks_late is True
    assert run_task.reject_on_worker_lost is True
    assert run_task.autoretry_for == (Exception,)
    assert run_task.retry_backoff


# --- a check that becomes ready while the case waits for the applicant -----------------------


SUSPENDABLE_SPEC = {
    "code": "toy_check_while_waiting",
    "title": "Contrôle pendant une correction",
    "steps": [
        {"id": "intake", "title": "Recevabilité", "desk": "guichet"},
        {"id": "inspection", "title": "Inspection", "desk": "greffe", "kind": "automatic",
         "run": "inspect_premises"},
    ],
}


@pytest.fixture
def suspendable(db, tmp_path):
    """A second procedure on permits, whose inspection is ready from the start."""
    path = tmp_path / "suspendable.yaml"
    path.write_text("code: toy_check_while_waiting\n")
    procedures.register(procedures.Procedure(
        code="toy_check_while_waiting", definition_file=path,
        subject_model=procedures.get(TOY_PROCEDURE).subject_model, handlers=HANDLERS))
    yield publish(SUSPENDABLE_SPEC)
    procedures.unregister("toy_check_while_waiting")


def test_a_check_queued_while_the_case_waits_for_the_applicant_runs_on_resumption(
    suspendable, permit, clerks, applicant
):
    case = start(permit, code="toy_check_while_waiting")
    inspection = task_of(case, "inspection")
    assert inspection.state == TaskState.READY
    claim_and_return(case, "intake", clerks["guichet"], "Pièce manquante")

    engine.run_automatic_step(task_id=inspection.pk)  # the message queued at the start
    inspection.refresh_from_db()
    permit.refresh_from_db()
    assert inspection.state == TaskState.READY
    assert permit.check_runs == 0

    with run_on_commit():
        engine.resume_case(case_id=case.pk, actor=applicant)

    inspection.refresh_from_db()
    case.refresh_from_db()
    permit.refresh_from_db()
    assert inspection.state == TaskState.APPROVED
    assert permit.check_runs == 1
    assert case.state == CaseState.RUNNING
    assert states(case)["intake"] == TaskState.READY


def test_a_check_ready_at_the_start_runs_once_the_start_is_committed(suspendable, permit):
    with run_on_commit():
        case = start(permit, code="toy_check_while_waiting")

    permit.refresh_from_db()
    assert permit.check_runs == 1
    assert states(case) == {"intake": TaskState.READY, "inspection": TaskState.APPROVED}
