"""The shipped company-creation definition: valid, published at migrate, one fact per legal
form, and versioned like any procedure while filings are running."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from registry import handlers as registry_handlers
from registry import services as registry_services
from registry.legal_forms import LegalForm
from registry.procedures import COMPANY_CREATION, COMPANY_CREATION_FILE
from tests.fees import submit_and_pay
from workflows.definitions import DefinitionError, load_file, publish, sync_all, validate
from workflows.models import TaskState, WorkflowDefinition

from ...conftest import COMPANY_DATA, FOUNDER_DATA
from .helpers import STEPS, advance_until, case_of, claim_and_approve, states

DESKS = {"guichet", "greffe", "impots", "cnss", "greffier"}


def test_the_shipped_file_is_valid_with_the_handlers_the_register_registered():
    shipped = load_file(COMPANY_CREATION_FILE)
    assert shipped["code"] == COMPANY_CREATION
    assert validate(shipped, desk_codes=DESKS) is None
    assert validate(shipped, desk_codes=DESKS, handlers=registry_handlers.HANDLERS) is None


def test_the_shipped_file_names_no_handler_outside_the_registers_map():
    shipped = load_file(COMPANY_CREATION_FILE)
    shipped["steps"][-1]["on_approve"] = "registry.handlers.filing_completed"  # a dotted path
    with pytest.raises(DefinitionError, match=r"step 'registrar': handler "
                                              r"'registry.handlers.filing_completed' is not "
                                              r"registered by the procedure"):
        validate(shipped, desk_codes=DESKS)


def test_the_shipped_definition_declares_every_legal_form_as_a_fact():
    shipped = load_file(COMPANY_CREATION_FILE)
    assert set(shipped["facts"]["legal_form"]) == set(LegalForm.values)
    social = next(step for step in shipped["steps"] if step["id"] == "social_security")
    assert set(social["when"]["legal_form"]) == set(LegalForm.values) - {"EI"}


def test_post_migrate_published_company_creation(db):
    definition = WorkflowDefinition.objects.get(code=COMPANY_CREATION)
    assert definition.version == 1
    assert definition.spec == load_file(COMPANY_CREATION_FILE)
    assert [step["id"] for step in definition.spec["steps"]] == list(STEPS)
    assert [step["id"] for step in definition.spec["steps"] if step.get("kind") == "automatic"] == [
        "name_check", "screening"]


def test_it_does_not_republish_the_unchanged_company_file(db):
    sync_all()
    sync_all()
    assert WorkflowDefinition.objects.filter(code=COMPANY_CREATION).count() == 1


def test_workflow_check_accepts_the_shipped_definition(db, capsys):
    call_command("workflow", "check", str(COMPANY_CREATION_FILE))
    assert "company_creation.yaml: company_creation is valid (7 steps)" in capsys.readouterr().out


def test_a_running_company_case_keeps_its_version_when_the_procedure_changes(
    submitted, clerks, other_entrepreneur
):
    old_case = case_of(submitted)
    shorter = load_file(COMPANY_CREATION_FILE)
    shorter["steps"] = [step for step in shorter["steps"] if step["id"] != "social_security"]
    shorter["steps"][-1]["after"] = ["tax"]
    assert publish(shorter).version == 2

    # The running case still follows version 1: the registrar waits for social security.
    advance_until(old_case, "tax", clerks)
    claim_and_approve(old_case, "tax", clerks["impots"])
    assert states(old_case)["registrar"] == TaskState.WAITING
    claim_and_approve(old_case, "social_security", clerks["cnss"])
    assert states(old_case)["registrar"] == TaskState.READY
    old_case.refresh_from_db()
    assert old_case.definition.version == 1

    # A filing submitted now gets version 2, without social security.
    draft = registry_services.application_create(
        owner=other_entrepreneur, data=dict(COMPANY_DATA, company_name="Lagune Verte"),
        founder=dict(FOUNDER_DATA),
    )
    submit_and_pay(application_id=draft.pk, user=other_entrepreneur)
    new_case = case_of(draft)
    assert new_case.definition.version == 2
    assert "social_security" not in states(new_case)
    advance_until(new_case, "tax", clerks)
    claim_and_approve(new_case, "tax", clerks["impots"])
    assert states(new_case)["registrar"] == TaskState.READY
