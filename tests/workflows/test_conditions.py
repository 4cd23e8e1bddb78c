"""Conditional steps (`when`): a step whose condition fails for the subject gets no task,
and the steps after it go on as if it were done."""

from __future__ import annotations

import copy
import re

import pytest

from registry import services as registry_services
from registry.models import Application, ApplicationState, Company
from workflows import services as engine
from workflows.definitions import publish
from workflows.models import CaseState, Task, TaskState

from .helpers import advance_until, case_of, claim_and_approve, complete, states, task_of

CONDITIONAL_SPEC = {
    "code": "test_conditional",
    "title": "Procédure avec une étape conditionnelle",
    "facts": {"legal_form": ["EI", "SARL", "SA"]},
    "steps": [
        {"id": "intake", "title": "Recevabilité", "desk": "guichet"},
        {"id": "staff", "title": "Personnel", "desk": "cnss", "after": ["intake"],
         "when": {"legal_form": ["SA"]}},
        {"id": "close", "title": "Clôture", "desk": "greffier", "after": ["intake", "staff"]},
    ],
}


def test_a_step_whose_condition_fails_gets_no_task_and_the_next_step_still_runs(draft, clerks):
    publish(CONDITIONAL_SPEC)
    assert draft.workflow_facts() == {"legal_form": "SARL"}

    case = engine.start_case(definition_code="test_conditional", subject=draft)

    assert states(case) == {"intake": TaskState.READY, "close": TaskState.WAITING}
    assert not Task.objects.filter(case=case, step_id="staff").exists()
    claim_and_approve(case, "intake", clerks["guichet"])
    assert states(case) == {"intake": TaskState.APPROVED, "close": TaskState.READY}
    claim_and_approve(case, "close", clerks["greffier"])
    case.refresh_from_db()
    assert case.state == CaseState.COMPLETED


def test_a_step_whose_condition_holds_gets_its_task_and_is_waited_for(draft, clerks):
    publish(CONDITIONAL_SPEC)
    Application.objects.filter(pk=draft.pk).update(legal_form="SA")
    draft.refresh_from_db()

    case = engine.start_case(definition_code="test_conditional", subject=draft)

    claim_and_approve(case, "intake", clerks["guichet"])
    assert states(case) == {
        "intake": TaskState.APPROVED,
        "staff": TaskState.READY,
        "close": TaskState.WAITING,
    }
    claim_and_approve(case, "staff", clerks["cnss"])
    assert states(case)["close"] == TaskState.READY


def test_a_step_after_a_skipped_step_still_waits_for_the_skipped_steps_prerequisites(
    draft, clerks
):
    spec = copy.deepcopy(CONDITIONAL_SPEC)
    spec["code"] = "test_conditional_chain"
    spec["steps"][2]["after"] = ["staff"]  # staff itself comes after intake
    publish(spec)

    case = engine.start_case(definition_code="test_conditional_chain", subject=draft)

    assert states(case) == {"intake": TaskState.READY, "close": TaskState.WAITING}
    claim_and_approve(case, "intake", clerks["guichet"])
    assert states(case)["close"] == TaskState.READY


def test_a_subject_without_facts_skips_every_conditional_step(draft, clerks, monkeypatch):
    publish(CONDITIONAL_SPEC)
    monkeypatch.delattr(Application, "workflow_facts")

    case = engine.start_case(definition_code="test_conditional", subject=draft)

    assert states(case) == {"intake": TaskState.READY, "close": TaskState.WAITING}


# --- the shipped procedure for an individual trader (EI) ---------------------------------


@pytest.fixture
def ei_filing(draft, entrepreneur):
    """A filing turned into an EI (the form does not offer it yet), then submitted."""
    Application.objects.filter(pk=draft.pk).update(legal_form="EI")
    return registry_services.application_submit(application_id=draft.pk, user=entrepreneur)


def test_an_ei_gets_no_social_security_task(ei_filing):
    case = case_of(ei_filing)
    assert "social_security" not in states(case)
    assert set(states(case)) == {
        "intake", "name_check", "screening", "registry", "tax", "registrar",
    }


def test_for_an_ei_the_registrar_is_ready_after_tax_alone(ei_filing, clerks):
    case = case_of(ei_filing)
    advance_until(case, "tax", clerks)
    assert states(case)["tax"] == TaskState.READY
    assert states(case)["registrar"] == TaskState.WAITING

    claim_and_approve(case, "tax", clerks["impots"])

    assert states(case)["registrar"] == TaskState.READY


def test_an_ei_is_registered_with_a_nif_and_no_employer_number(ei_filing, clerks):
    case = case_of(ei_filing)
    complete(case, clerks)

    case.refresh_from_db()
    ei_filing.refresh_from_db()
    assert case.state == CaseState.COMPLETED
    assert ei_filing.state == ApplicationState.APPROVED
    company = Company.objects.get(application=ei_filing)
    assert company.nif == "1000428517"
    assert company.employer_number == ""
    # RCCM letter A: a natural-person trader.
    assert re.match(r"^TG-LOM-\d{4}-A-\d{5}$", company.rccm_number), company.rccm_number


def test_a_sarl_still_gets_its_social_security_task(submitted, clerks):
    case = case_of(submitted)
    assert task_of(case, "social_security").state == TaskState.WAITING
