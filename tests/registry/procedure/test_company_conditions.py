"""The company procedure's condition: an individual trader (EI) employs nobody at creation,
so the filing skips social security (`when: legal_form` in the shipped definition)."""

from __future__ import annotations

import re

import pytest

from registry.models import Application, ApplicationState, Company
from tests.fees import submit_and_pay
from workflows.models import CaseState, TaskState

from .helpers import advance_until, case_of, claim_and_approve, complete, states, task_of


@pytest.fixture
def ei_filing(draft, entrepreneur):
    """A filing turned into an EI (the form does not offer it yet), then submitted."""
    Application.objects.filter(pk=draft.pk).update(legal_form="EI")
    return submit_and_pay(application_id=draft.pk, user=entrepreneur)


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
