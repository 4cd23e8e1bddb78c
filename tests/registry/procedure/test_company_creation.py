"""Company creation at the desks: the register's procedure (registry/procedures/
company_creation.yaml) run by the engine on a filing, with the register's handlers."""

from __future__ import annotations

import re

import pytest

from registry import handlers as registry_handlers
from registry import services as registry_services
from registry.models import Application, ApplicationState, Company
from registry.procedures import COMPANY_CREATION, COMPANY_CREATION_FILE
from tests.fees import submit_and_pay
from workflows import procedures
from workflows import services as engine
from workflows.definitions import load_file
from workflows.models import AuditEvent, CaseState, Task, TaskState

from .helpers import (
    AUTOMATIC_STEPS,
    DESK_OF_STEP,
    INITIAL_STATES,
    STEPS,
    advance_until,
    case_of,
    claim_and_approve,
    complete,
    event_count,
    run_on_commit,
    states,
    task_of,
)

RCCM = re.compile(r"^TG-LOM-\d{4}-B-\d{5}$")


@pytest.fixture
def case(submitted):
    return case_of(submitted)


# --- starting and moving along ------------------------------------------------------------


def test_submission_opens_one_case_with_only_intake_ready(submitted, case):
    assert case.state == CaseState.RUNNING
    assert case.definition.code == "company_creation"
    assert case.subject_id == submitted.pk
    assert states(case) == INITIAL_STATES
    intake = task_of(case, "intake")
    assert intake.desk.code == "guichet"
    assert intake.ready_at is not None
    assert intake.due_at is not None  # sla_hours: 4
    assert list(Task.objects.filter(case=case).values_list("step_id", flat=True)) == list(STEPS)
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.IN_REVIEW


def test_each_step_belongs_to_its_desk_and_only_the_two_checks_are_automatic(case):
    tasks = Task.objects.filter(case=case).select_related("desk")
    assert {task.step_id: task.desk.code for task in tasks} == DESK_OF_STEP
    assert {task.step_id for task in tasks if task.kind == "automatic"} == set(AUTOMATIC_STEPS)


def test_claim_then_approve_of_intake_runs_both_checks_and_makes_registry_ready(case, clerks):
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
        "name_check": TaskState.APPROVED,
        "screening": TaskState.APPROVED,
        "registry": TaskState.READY,
    }
    registry = task_of(case, "registry")
    assert registry.desk.code == "greffe"
    assert registry.assignee is None


def test_registry_approval_readies_tax_and_social_security_without_drawing_a_number(
    submitted, case, clerks
):
    advance_until(case, "registry", clerks)
    claim_and_approve(case, "registry", clerks["greffe"])

    submitted.refresh_from_db()
    assert submitted.rccm_number is None  # drawn at registration, never before
    assert submitted.state == ApplicationState.IN_REVIEW
    current = states(case)
    assert current["tax"] == TaskState.READY
    assert current["social_security"] == TaskState.READY
    assert current["registrar"] == TaskState.WAITING
    assert task_of(case, "tax").desk.code == "impots"
    assert task_of(case, "social_security").desk.code == "cnss"


def test_a_filing_withdrawn_after_the_registry_leaves_no_hole_in_the_rccm_sequence(
    submitted, case, clerks, entrepreneur
):
    from registry.models import RccmSequence

    advance_until(case, "tax", clerks)
    registry_services.application_withdraw(application_id=submitted.pk, user=entrepreneur)

    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.WITHDRAWN
    assert submitted.rccm_number is None
    assert not RccmSequence.objects.filter(last_number__gt=0).exists()


def test_the_registrar_waits_for_both_tax_and_social_security(case, clerks):
    advance_until(case, "tax", clerks)

    claim_and_approve(case, "tax", clerks["impots"])
    assert states(case)["registrar"] == TaskState.WAITING
    assert states(case)["social_security"] == TaskState.READY

    claim_and_approve(case, "social_security", clerks["cnss"])
    assert states(case)["registrar"] == TaskState.READY


def test_a_failing_approval_handler_leaves_nothing_half_done(submitted, case, clerks, monkeypatch):
    advance_until(case, "tax", clerks)
    tax = task_of(case, "tax")
    engine.claim_task(task_id=tax.pk, user=clerks["impots"])
    before = event_count()

    def broken(**kwargs):
        raise RuntimeError("tax office offline")

    monkeypatch.setitem(registry_handlers.HANDLERS, "record_nif", broken)
    with pytest.raises(RuntimeError):
        engine.approve_task(task_id=tax.pk, user=clerks["impots"],
                            data={"nif": "1000428517"})

    tax.refresh_from_db()
    submitted.refresh_from_db()
    assert tax.state == TaskState.CLAIMED
    assert tax.decided_at is None
    assert states(case)["registrar"] == TaskState.WAITING
    assert submitted.nif in ("", None)
    assert event_count() == before


def test_all_approvals_register_the_company_with_its_identifiers_and_a_certificate(
    submitted, case, clerks
):
    complete(case, clerks, certificate=True)

    case.refresh_from_db()
    submitted.refresh_from_db()
    assert case.state == CaseState.COMPLETED
    assert case.ended_at is not None
    assert set(states(case).values()) == {TaskState.APPROVED}
    assert submitted.state == ApplicationState.REGISTERED
    assert submitted.decided_at is not None
    company = Company.objects.get(application=submitted)
    assert company.name == submitted.company_name
    assert company.rccm_number == submitted.rccm_number
    assert RCCM.match(company.rccm_number)
    assert company.capital == submitted.capital
    assert company.certificate is not None
    assert company.certificate.stored_file.content_type == "application/pdf"
    assert company.certificate.stored_file.size > 0


def test_registering_the_company_copies_the_nif_and_the_employer_number(submitted, case, clerks):
    complete(case, clerks)

    submitted.refresh_from_db()
    assert submitted.nif == "1000428517"
    assert submitted.employer_number == "123456"
    company = Company.objects.get(application=submitted)
    assert company.nif == "1000428517"
    assert company.employer_number == "123456"
    assert task_of(case, "tax").data == {"nif": "1000428517"}
    assert task_of(case, "social_security").data == {"employer_number": "123456"}


def test_without_commit_the_company_waits_for_its_certificate(submitted, case, clerks):
    """The certificate is issued after commit only: inside the decision, none exists yet."""
    complete(case, clerks, certificate=False)
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.APPROVED
    assert Company.objects.get(application=submitted).certificate is None


# --- desk fields (NIF, employer number) --------------------------------------------------


@pytest.fixture
def claimed_tax(case, clerks):
    advance_until(case, "tax", clerks)
    tax = task_of(case, "tax")
    engine.claim_task(task_id=tax.pk, user=clerks["impots"])
    return tax


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({}, "est obligatoire"),
        ({"nif": "   "}, "est obligatoire"),
        ({"nif": "123456789"}, "n'a pas le format attendu"),  # 9 digits
        ({"nif": "12345678901"}, "n'a pas le format attendu"),  # 11 digits
        ({"nif": "10004285AB"}, "n'a pas le format attendu"),
    ],
)
def test_approving_tax_without_a_well_formed_nif_is_refused_and_changes_nothing(
    submitted, case, clerks, claimed_tax, data, problem
):
    before = event_count()

    with pytest.raises(engine.WorkflowError) as refusal:
        engine.approve_task(task_id=claimed_tax.pk, user=clerks["impots"], data=data)

    message = str(refusal.value)
    assert "Numéro d'identification fiscale (NIF)" in message
    assert problem in message
    claimed_tax.refresh_from_db()
    submitted.refresh_from_db()
    assert claimed_tax.state == TaskState.CLAIMED
    assert claimed_tax.data == {}
    assert claimed_tax.decided_at is None
    assert submitted.nif == ""
    assert states(case)["registrar"] == TaskState.WAITING
    assert event_count() == before


def test_a_nif_typed_with_spaces_is_accepted_and_stored_as_digits(
    submitted, case, clerks, claimed_tax
):
    engine.approve_task(task_id=claimed_tax.pk, user=clerks["impots"],
                        data={"nif": " 1000 428  517 "})

    claimed_tax.refresh_from_db()
    submitted.refresh_from_db()
    assert claimed_tax.state == TaskState.APPROVED
    assert claimed_tax.data == {"nif": "1000428517"}
    assert submitted.nif == "1000428517"
    assert AuditEvent.objects.filter(object_type="registry.application", action="nif",
                                     comment="1000428517").count() == 1


def test_a_nif_in_non_ascii_digits_is_refused(submitted, case, clerks, claimed_tax):
    with pytest.raises(engine.WorkflowError):
        engine.approve_task(task_id=claimed_tax.pk, user=clerks["impots"],
                            data={"nif": "١٠٠٠٤٢٨٥١٧"})
    submitted.refresh_from_db()
    assert submitted.nif == ""


@pytest.mark.parametrize("number", ["12345", "1234567890123", "12-34-56"])
def test_approving_social_security_with_a_malformed_employer_number_is_refused(
    submitted, case, clerks, number
):
    advance_until(case, "social_security", clerks)
    task = task_of(case, "social_security")
    engine.claim_task(task_id=task.pk, user=clerks["cnss"])

    with pytest.raises(engine.WorkflowError, match="Numéro employeur CNSS"):
        engine.approve_task(task_id=task.pk, user=clerks["cnss"],
                            data={"employer_number": number})

    task.refresh_from_db()
    submitted.refresh_from_db()
    assert task.state == TaskState.CLAIMED
    assert submitted.employer_number == ""


# --- returning for correction -------------------------------------------------------------


def test_return_suspends_the_case_and_asks_the_applicant_to_correct(submitted, case, clerks):
    intake = task_of(case, "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    engine.return_task(task_id=intake.pk, user=clerks["guichet"], comment="Statuts non signés.")

    intake.refresh_from_db()
    case.refresh_from_db()
    submitted.refresh_from_db()
    assert intake.state == TaskState.RETURNED
    assert intake.comment == "Statuts non signés."
    assert case.state == CaseState.SUSPENDED
    assert case.ended_at is None
    assert submitted.state == ApplicationState.CORRECTION_REQUESTED
    assert submitted.correction_message == "Statuts non signés."
    assert submitted.correction_fields == []
    assert states(case)["name_check"] == TaskState.WAITING


def test_resubmission_puts_the_returned_task_back_to_ready(submitted, case, clerks, entrepreneur):
    intake = task_of(case, "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    engine.return_task(task_id=intake.pk, user=clerks["guichet"], comment="Capital ?")

    submit_and_pay(application_id=submitted.pk, user=entrepreneur)

    intake.refresh_from_db()
    case.refresh_from_db()
    submitted.refresh_from_db()
    assert case.state == CaseState.RUNNING
    assert intake.state == TaskState.READY
    assert intake.assignee is None
    assert intake.decided_at is None
    assert intake.due_at is not None
    assert submitted.state == ApplicationState.IN_REVIEW
    assert submitted.correction_message == ""
    # Still the same case and the same task row, not a new run.
    assert case_of(submitted).pk == case.pk
    assert Task.objects.filter(case=case, step_id="intake").count() == 1
    # The procedure goes on from there.
    claim_and_approve(case, "intake", clerks["guichet"])
    assert states(case)["registry"] == TaskState.READY


def test_a_return_at_a_later_step_reopens_only_that_step(submitted, case, clerks, entrepreneur):
    advance_until(case, "registry", clerks)
    registry = task_of(case, "registry")
    engine.claim_task(task_id=registry.pk, user=clerks["greffe"])
    engine.return_task(task_id=registry.pk, user=clerks["greffe"], comment="Objet imprécis")

    submit_and_pay(application_id=submitted.pk, user=entrepreneur)

    assert states(case) == INITIAL_STATES | {
        "intake": TaskState.APPROVED,
        "name_check": TaskState.APPROVED,
        "screening": TaskState.APPROVED,
        "registry": TaskState.READY,
    }


# --- rejection and withdrawal -------------------------------------------------------------


def test_reject_ends_the_case_and_cancels_the_other_open_tasks(submitted, case, clerks):
    advance_until(case, "registry", clerks)
    registry = task_of(case, "registry")
    engine.claim_task(task_id=registry.pk, user=clerks["greffe"])

    engine.reject_task(
        task_id=registry.pk, user=clerks["greffe"], comment="Activité réglementée sans agrément."
    )

    case.refresh_from_db()
    submitted.refresh_from_db()
    assert case.state == CaseState.REJECTED
    assert case.ended_at is not None
    assert states(case) == {
        "intake": TaskState.APPROVED,
        "name_check": TaskState.APPROVED,
        "screening": TaskState.APPROVED,
        "registry": TaskState.REJECTED,
        "tax": TaskState.CANCELLED,
        "social_security": TaskState.CANCELLED,
        "registrar": TaskState.CANCELLED,
    }
    assert task_of(case, "registrar").decided_at is not None
    assert submitted.state == ApplicationState.REJECTED
    assert submitted.decision_reason == "Activité réglementée sans agrément."
    assert submitted.decided_at is not None
    assert not Company.objects.filter(application=submitted).exists()


def test_reject_at_intake_cancels_every_later_step(submitted, case, clerks):
    intake = task_of(case, "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    engine.reject_task(task_id=intake.pk, user=clerks["guichet"], comment="Hors compétence")
    assert states(case) == {step: TaskState.CANCELLED for step in STEPS} | {
        "intake": TaskState.REJECTED
    }
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.REJECTED
    # A cancelled task cannot be picked up any more.
    with pytest.raises(engine.WorkflowError):
        engine.claim_task(task_id=task_of(case, "registry").pk, user=clerks["greffe"])


def test_rejecting_tax_cancels_the_parallel_social_security_task(submitted, case, clerks):
    advance_until(case, "tax", clerks)
    social = task_of(case, "social_security")
    engine.claim_task(task_id=social.pk, user=clerks["cnss"])
    tax = task_of(case, "tax")
    engine.claim_task(task_id=tax.pk, user=clerks["impots"])

    engine.reject_task(task_id=tax.pk, user=clerks["impots"], comment="Fraude fiscale")

    assert states(case)["social_security"] == TaskState.CANCELLED
    assert states(case)["registrar"] == TaskState.CANCELLED
    with pytest.raises(engine.WorkflowError):
        engine.approve_task(task_id=social.pk, user=clerks["cnss"],
                            data={"employer_number": "123456"})
    submitted.refresh_from_db()
    assert submitted.employer_number == ""


def test_withdrawal_cancels_the_case_and_its_open_tasks(submitted, case, clerks, entrepreneur):
    advance_until(case, "registry", clerks)
    registry = task_of(case, "registry")
    engine.claim_task(task_id=registry.pk, user=clerks["greffe"])

    registry_services.application_withdraw(application_id=submitted.pk, user=entrepreneur)

    case.refresh_from_db()
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.WITHDRAWN
    assert case.state == CaseState.CANCELLED
    assert case.ended_at is not None
    assert states(case) == {
        "intake": TaskState.APPROVED,
        "name_check": TaskState.APPROVED,
        "screening": TaskState.APPROVED,
        "registry": TaskState.CANCELLED,
        "tax": TaskState.CANCELLED,
        "social_security": TaskState.CANCELLED,
        "registrar": TaskState.CANCELLED,
    }
    # The clerk who had claimed it can no longer decide.
    with pytest.raises(engine.WorkflowError):
        engine.approve_task(task_id=registry.pk, user=clerks["greffe"])
    assert AuditEvent.objects.filter(
        object_type="workflows.case",
        object_id=str(case.pk),
        action="cancel",
        actor=entrepreneur,
    ).exists()


def test_withdrawal_while_awaiting_correction_cancels_the_returned_task(
    submitted, case, clerks, entrepreneur
):
    intake = task_of(case, "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    engine.return_task(task_id=intake.pk, user=clerks["guichet"], comment="Pièce manquante")

    registry_services.application_withdraw(application_id=submitted.pk, user=entrepreneur)

    case.refresh_from_db()
    assert case.state == CaseState.CANCELLED
    assert set(states(case).values()) == {TaskState.CANCELLED}


def test_withdrawal_before_the_checks_ran_cancels_them_and_they_never_run(
    submitted, case, clerks, entrepreneur
):
    claim_and_approve(case, "intake", clerks["guichet"], on_commit=False)
    name_check = task_of(case, "name_check")

    registry_services.application_withdraw(application_id=submitted.pk, user=entrepreneur)
    engine.run_automatic_step(task_id=name_check.pk)  # the message queued before the withdrawal

    name_check.refresh_from_db()
    assert name_check.state == TaskState.CANCELLED
    assert not AuditEvent.objects.filter(object_id=str(name_check.pk), action="run").exists()


# --- the register's registration with the engine ----------------------------------------


def test_the_register_declares_company_creation_on_filings_with_its_handlers():
    procedure = procedures.get(COMPANY_CREATION)
    assert procedure.subject_model is Application
    assert procedure.definition_file == COMPANY_CREATION_FILE
    assert procedure.handlers is registry_handlers.HANDLERS
    spec = load_file(COMPANY_CREATION_FILE)
    named = {spec[key] for key in ("on_complete", "on_return", "on_reject", "on_step_approved")}
    named |= {step[key] for step in spec["steps"] for key in ("run", "on_approve") if key in step}
    # allocate_rccm_number stays registered for cases pinned to earlier definition versions.
    assert set(registry_handlers.HANDLERS) - named == {"allocate_rccm_number"}
    assert named <= set(registry_handlers.HANDLERS)


def test_a_filing_is_the_case_subject_and_answers_the_engines_protocol(submitted, case):
    assert isinstance(case.subject, Application)
    assert case.subject.pk == submitted.pk
    assert isinstance(submitted, procedures.WorkflowSubject)
    assert submitted.workflow_facts() == {"legal_form": "SARL"}
    codes = [code for code, _label in submitted.correctable_sections()]
    assert {"names", "people", "documents"} <= set(codes)
    assert "form" not in codes
