"""The correction loop on the toy: a desk returns the permit naming what the applicant may
correct, the case waits, the applicant resubmits; the desks that returned it get it again,
approvals stand, and the automatic inspection runs again if what it checks was reopened."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from workflows import procedures
from workflows import services as engine
from workflows.models import AuditEvent, CaseState, Task, TaskState

from .helpers import (
    TOY_PROCEDURE,
    advance_until,
    claim_and_approve,
    claim_and_return,
    event_count,
    make_permit,
    queue_of,
    resume,
    start,
    states,
    task_of,
)
from .toy.models import Permit

# --- returning -----------------------------------------------------------------------------


def test_a_return_suspends_the_case_and_tells_the_subject_what_to_correct(permit, case,
                                                                          clerks):
    intake = claim_and_return(case, "intake", clerks["guichet"], "Plan des locaux illisible.",
                              ["premises", "documents"])

    case.refresh_from_db()
    permit.refresh_from_db()
    assert intake.state == TaskState.RETURNED
    assert intake.comment == "Plan des locaux illisible."
    assert intake.decided_at is not None
    assert case.state == CaseState.SUSPENDED
    assert case.ended_at is None
    assert permit.returned_sections == ["documents", "premises"]
    assert permit.return_comment == "Plan des locaux illisible."
    assert permit.calls == [["permit_returned", "", "guichet@cfe.example.tg"]]
    assert states(case)["inspection"] == TaskState.WAITING
    events = list(AuditEvent.objects.filter(case=case).order_by("sequence")
                  .values_list("object_type", "action"))
    assert events[-2:] == [("workflows.task", "return"), ("workflows.case", "suspend")]


def test_a_return_without_sections_passes_an_empty_list(permit, case, clerks):
    claim_and_return(case, "intake", clerks["guichet"], "Rappelez le guichet.")
    permit.refresh_from_db()
    assert permit.returned_sections == []
    assert permit.return_comment == "Rappelez le guichet."


def test_a_failing_return_handler_leaves_the_task_claimed_and_the_case_running(
    permit, case, clerks, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("messagerie indisponible")

    monkeypatch.setitem(procedures.get(TOY_PROCEDURE).handlers, "permit_returned", broken)
    intake = task_of(case, "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    before = event_count()

    with pytest.raises(RuntimeError):
        engine.return_task(task_id=intake.pk, user=clerks["guichet"], comment="À revoir")

    intake.refresh_from_db()
    case.refresh_from_db()
    assert intake.state == TaskState.CLAIMED
    assert case.state == CaseState.RUNNING
    assert event_count() == before


def test_a_returned_task_cannot_be_decided_until_the_applicant_answers(case, clerks):
    intake = claim_and_return(case, "intake", clerks["guichet"], "Pièce manquante")
    with pytest.raises(engine.WorkflowError):
        engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    with pytest.raises(engine.WorkflowError):
        engine.approve_task(task_id=intake.pk, user=clerks["guichet"])
    assert task_of(case, "intake").state == TaskState.RETURNED


# --- resuming --------------------------------------------------------------------------------


def test_resumption_puts_the_returned_task_back_to_ready_on_the_same_case(
    permit, case, clerks, applicant
):
    claim_and_return(case, "intake", clerks["guichet"], "Titulaire mal orthographié",
                     ["holder"])

    resume(case, applicant, changed=["holder"])

    intake = task_of(case, "intake")
    assert case.state == CaseState.RUNNING
    assert intake.state == TaskState.READY
    assert intake.assignee is None
    assert intake.decided_at is None
    assert intake.comment == ""
    assert intake.due_at is not None
    assert Task.objects.filter(case=case, step_id="intake").count() == 1
    assert AuditEvent.objects.get(object_type="workflows.case", object_id=str(case.pk),
                                  action="resume").actor == applicant
    # The procedure goes on from there.
    claim_and_approve(case, "intake", clerks["guichet"])
    assert states(case)["licence"] == TaskState.READY


def test_resumption_reopens_the_returned_task_with_a_fresh_deadline(case, clerks, applicant):
    advance_until(case, "licence", clerks)
    licence = claim_and_return(case, "licence", clerks["impots"], "Adresse incomplète",
                               ["premises"])
    long_ago = timezone.now() - timedelta(days=3)
    Task.objects.filter(pk=licence.pk).update(due_at=long_ago, escalated_at=long_ago)

    resume(case, applicant)

    licence.refresh_from_db()
    assert licence.state == TaskState.READY
    assert licence.escalated_at is None
    assert licence.due_at > timezone.now() + timedelta(hours=7)  # sla_hours: 8
    assert licence.ready_at > long_ago


def test_resuming_a_case_that_does_not_wait_for_the_applicant_is_refused(case, applicant):
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        engine.resume_case(case_id=case.pk, actor=applicant)
    case.refresh_from_db()
    assert case.state == CaseState.RUNNING
    assert event_count() == before


def test_a_return_at_a_later_step_reopens_only_that_step(case, clerks, applicant):
    advance_until(case, "licence", clerks)
    claim_and_return(case, "licence", clerks["impots"], "Titulaire inconnu", ["holder"])

    resume(case, applicant, changed=["holder"])

    assert states(case) == {
        "intake": TaskState.APPROVED,
        "inspection": TaskState.APPROVED,
        "licence": TaskState.READY,
        "hygiene": TaskState.READY,
        "signature": TaskState.WAITING,
    }
    assert not AuditEvent.objects.filter(object_id=str(task_of(case, "intake").pk),
                                         object_type="workflows.task",
                                         action="reopen").exists()


# --- recheck_on: the automatic inspection runs again if what it checks was reopened ---------


@pytest.fixture
def licence_returned_for_premises(permit, case, clerks):
    """The licence desk sends the premises back; hygiene approves meanwhile."""
    advance_until(case, "licence", clerks)
    claim_and_return(case, "licence", clerks["impots"], "Surface déclarée douteuse.",
                     ["premises"])
    claim_and_approve(case, "hygiene", clerks["cnss"])
    return case


def test_reopened_premises_run_the_inspection_again_and_approvals_stand(
    permit, licence_returned_for_premises, applicant
):
    case = licence_returned_for_premises

    resume(case, applicant, changed=["premises"])

    permit.refresh_from_db()
    assert permit.check_runs == 2
    inspection = task_of(case, "inspection")
    assert inspection.state == TaskState.APPROVED
    assert inspection.comment == "Locaux conformes."
    assert states(case) == {
        "intake": TaskState.APPROVED,
        "inspection": TaskState.APPROVED,
        "licence": TaskState.READY,
        "hygiene": TaskState.APPROVED,  # the approval stands
        "signature": TaskState.WAITING,
    }
    rerun = AuditEvent.objects.get(object_id=str(inspection.pk), object_type="workflows.task",
                                   action="rerun")
    assert (rerun.from_state, rerun.to_state) == (TaskState.APPROVED, TaskState.READY)
    assert rerun.actor == applicant


def test_before_the_commit_the_rerun_inspection_waits_ready(
    permit, licence_returned_for_premises, applicant
):
    case = licence_returned_for_premises
    engine.resume_case(case_id=case.pk, actor=applicant, changed=["premises"])

    inspection = task_of(case, "inspection")
    assert inspection.state == TaskState.READY
    assert inspection.decided_at is None
    assert inspection.comment == ""
    permit.refresh_from_db()
    assert permit.check_runs == 1


def test_corrected_premises_that_now_fail_send_the_inspection_to_its_desk(
    permit, licence_returned_for_premises, applicant, clerks
):
    case = licence_returned_for_premises
    Permit.objects.filter(pk=permit.pk).update(check_problem="Surface insuffisante.")

    resume(case, applicant, changed=["premises"])

    inspection = task_of(case, "inspection")
    assert inspection.state == TaskState.FAILED
    assert inspection.error == "Surface insuffisante."
    assert inspection.pk in [task.pk for task in queue_of(clerks["greffe"])]
    assert states(case)["hygiene"] == TaskState.APPROVED


@pytest.mark.parametrize("changed", [[], ["holder"], ["documents", "holder"]])
def test_reopened_sections_the_inspection_does_not_watch_do_not_run_it_again(
    permit, licence_returned_for_premises, applicant, changed
):
    case = licence_returned_for_premises

    resume(case, applicant, changed=changed)

    permit.refresh_from_db()
    assert permit.check_runs == 1
    assert not AuditEvent.objects.filter(action="rerun").exists()
    assert states(case)["inspection"] == TaskState.APPROVED


def test_an_inspection_not_yet_run_is_not_rerun_but_waits_for_its_turn(case, clerks,
                                                                      applicant):
    claim_and_return(case, "intake", clerks["guichet"], "Plan manquant", ["premises"])

    resume(case, applicant, changed=["premises"])

    assert states(case)["inspection"] == TaskState.WAITING
    assert not AuditEvent.objects.filter(action="rerun").exists()


def test_a_failed_inspection_returned_to_the_applicant_runs_again_on_resumption(
    clerks, applicant
):
    permit = make_permit("Bar du Port", check_problem="Issue de secours condamnée.")
    case = start(permit)
    claim_and_approve(case, "intake", clerks["guichet"])
    inspection = claim_and_return(case, "inspection", clerks["greffe"],
                                  "Dégagez l'issue de secours.", ["premises"])
    assert inspection.state == TaskState.RETURNED
    Permit.objects.filter(pk=permit.pk).update(check_problem="")  # the applicant fixed it

    resume(case, applicant, changed=["premises"])

    inspection.refresh_from_db()
    assert inspection.state == TaskState.APPROVED
    assert inspection.assignee is None
    assert inspection.comment == "Locaux conformes."
    assert inspection.error == ""  # the old alert is gone with the new run
    assert states(case)["licence"] == TaskState.READY


# --- two desks returning ----------------------------------------------------------------------


@pytest.fixture
def both_returned(permit, case, clerks):
    """Licence and hygiene each send the permit back, one after the other."""
    advance_until(case, "licence", clerks)
    claim_and_return(case, "licence", clerks["impots"], "Titulaire à préciser.", ["holder"])
    claim_and_return(case, "hygiene", clerks["cnss"], "Plan de la cuisine manquant.",
                     ["premises", "documents"])
    permit.refresh_from_db()
    case.refresh_from_db()
    return permit, case


def test_a_second_desk_can_return_a_case_already_suspended(both_returned):
    permit, case = both_returned
    assert case.state == CaseState.SUSPENDED
    assert states(case)["licence"] == TaskState.RETURNED
    assert states(case)["hygiene"] == TaskState.RETURNED
    assert states(case)["signature"] == TaskState.WAITING
    assert AuditEvent.objects.filter(case=case, action="suspend").count() == 1
    assert AuditEvent.objects.filter(case=case, action="return").count() == 2
    # The handler heard of both returns.
    assert [call[0] for call in permit.calls].count("permit_returned") == 2
    assert permit.returned_sections == ["documents", "holder", "premises"]
    assert permit.return_comment == "Plan de la cuisine manquant."


def test_resumption_reopens_both_returned_tasks_and_the_signature_waits(both_returned, clerks,
                                                                        applicant):
    _permit, case = both_returned

    resume(case, applicant, changed=["holder", "premises", "documents"])

    assert case.state == CaseState.RUNNING
    assert states(case)["licence"] == TaskState.READY
    assert states(case)["hygiene"] == TaskState.READY
    assert states(case)["signature"] == TaskState.WAITING
    claim_and_approve(case, "licence", clerks["impots"])
    claim_and_approve(case, "hygiene", clerks["cnss"])
    assert states(case)["signature"] == TaskState.READY


def test_a_desk_may_approve_while_another_desk_waits_for_the_applicant(permit, case, clerks,
                                                                       applicant):
    advance_until(case, "licence", clerks)
    claim_and_return(case, "licence", clerks["impots"], "Numéro déjà attribué ?")

    claim_and_approve(case, "hygiene", clerks["cnss"])

    case.refresh_from_db()
    assert case.state == CaseState.SUSPENDED
    assert states(case)["hygiene"] == TaskState.APPROVED
    assert states(case)["signature"] == TaskState.WAITING
    resume(case, applicant)
    assert states(case)["hygiene"] == TaskState.APPROVED
    assert states(case)["licence"] == TaskState.READY
    claim_and_approve(case, "licence", clerks["impots"])
    assert states(case)["signature"] == TaskState.READY


def test_a_rerun_delivered_while_another_desk_returned_the_case_waits_for_the_resumption(
    permit, case, clerks, applicant
):
    advance_until(case, "licence", clerks)
    claim_and_return(case, "licence", clerks["impots"], "Surface douteuse.", ["premises"])
    hygiene = task_of(case, "hygiene")
    engine.claim_task(task_id=hygiene.pk, user=clerks["cnss"])
    engine.resume_case(case_id=case.pk, actor=applicant, changed=["premises"])  # not committed
    inspection = task_of(case, "inspection")
    assert inspection.state == TaskState.READY
    # Before the rerun's message arrives, hygiene sends the permit back in turn.
    engine.return_task(task_id=hygiene.pk, user=clerks["cnss"], comment="Cuisine ?",
                       fields=["premises"])

    engine.run_automatic_step(task_id=inspection.pk)  # the message queued by the resumption

    inspection.refresh_from_db()
    permit.refresh_from_db()
    assert inspection.state == TaskState.READY
    assert permit.check_runs == 1
    resume(case, applicant, changed=["premises"])
    inspection.refresh_from_db()
    permit.refresh_from_db()
    assert inspection.state == TaskState.APPROVED
    assert permit.check_runs == 2
