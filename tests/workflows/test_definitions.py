"""Procedure definitions: validation (naming the faulty step) and versioned publication."""

from __future__ import annotations

import copy

import pytest

from registry import services as registry_services
from workflows import services as engine
from workflows.definitions import (
    DEFINITIONS_DIR,
    DefinitionError,
    load_file,
    publish,
    sync_all,
    validate,
)
from workflows.models import Case, Desk, Task, TaskState, WorkflowDefinition

from ..conftest import COMPANY_DATA, FOUNDER_DATA
from .helpers import STEPS, advance_until, case_of, claim_and_approve, states

DESKS = {"guichet", "greffe", "impots", "cnss", "greffier"}


def a_spec() -> dict:
    """A small valid procedure: intake (guichet) then check (greffe)."""
    return {
        "code": "test_procedure",
        "title": "Procédure de test",
        "steps": [
            {"id": "intake", "title": "Recevabilité", "desk": "guichet"},
            {"id": "check", "title": "Contrôle", "desk": "greffe", "after": ["intake"]},
        ],
    }


# --- validate() ---------------------------------------------------------------------------


def test_it_accepts_a_valid_spec_and_the_shipped_company_creation_file():
    assert validate(a_spec(), desk_codes=DESKS) is None
    shipped = load_file(DEFINITIONS_DIR / "company_creation.yaml")
    assert validate(shipped, desk_codes=DESKS) is None


def test_it_rejects_an_unknown_desk_naming_the_step():
    spec = a_spec()
    spec["steps"][1]["desk"] = "douane"
    with pytest.raises(DefinitionError, match=r"step 'check': unknown desk 'douane'"):
        validate(spec, desk_codes=DESKS)


def test_it_rejects_a_step_without_desk_naming_the_step():
    spec = a_spec()
    del spec["steps"][0]["desk"]
    with pytest.raises(DefinitionError, match=r"step 'intake': unknown desk"):
        validate(spec, desk_codes=DESKS)


def test_it_rejects_a_duplicate_step_id_naming_the_step():
    spec = a_spec()
    spec["steps"].append({"id": "check", "desk": "greffier", "after": ["intake"]})
    with pytest.raises(DefinitionError, match=r"step 'check': duplicate id"):
        validate(spec, desk_codes=DESKS)


def test_it_rejects_a_step_without_id():
    spec = a_spec()
    spec["steps"].append({"desk": "greffier"})
    with pytest.raises(DefinitionError, match="a step has no id"):
        validate(spec, desk_codes=DESKS)


def test_it_rejects_an_unknown_prerequisite_naming_the_step():
    spec = a_spec()
    spec["steps"][1]["after"] = ["intake", "payment"]
    with pytest.raises(DefinitionError, match=r"step 'check': unknown prerequisite 'payment'"):
        validate(spec, desk_codes=DESKS)


def test_it_rejects_a_cycle_naming_a_step_of_the_cycle():
    spec = a_spec()
    spec["steps"][0]["after"] = ["check"]  # intake <-> check
    with pytest.raises(DefinitionError, match=r"step '(intake|check)': prerequisites form a cycle"):
        validate(spec, desk_codes=DESKS)


def test_it_rejects_a_step_that_waits_for_itself():
    spec = a_spec()
    spec["steps"][1]["after"] = ["check"]
    with pytest.raises(DefinitionError, match=r"step 'check': prerequisites form a cycle"):
        validate(spec, desk_codes=DESKS)


def test_it_names_a_step_that_is_part_of_the_cycle_not_one_downstream_of_it():
    spec = {
        "code": "test_procedure",
        "title": "Procédure de test",
        "steps": [
            {"id": "intake", "desk": "guichet"},
            # "archive" is blocked by the cycle but is not in it; sorts before "x" and "y".
            {"id": "archive", "desk": "greffier", "after": ["x"]},
            {"id": "x", "desk": "greffe", "after": ["intake", "y"]},
            {"id": "y", "desk": "greffe", "after": ["x"]},
        ],
    }
    with pytest.raises(DefinitionError, match=r"step '(x|y)': prerequisites form a cycle"):
        validate(spec, desk_codes=DESKS)


def test_it_names_a_step_of_the_cycle_when_the_blocked_step_is_listed_first():
    spec = {
        "code": "test_procedure",
        "title": "Procédure de test",
        "steps": [
            {"id": "archive", "desk": "greffier", "after": ["b"]},
            {"id": "a", "desk": "greffe", "after": ["c"]},
            {"id": "b", "desk": "greffe", "after": ["a"]},
            {"id": "c", "desk": "greffe", "after": ["b"]},
        ],
    }
    with pytest.raises(DefinitionError, match=r"step '(a|b|c)': prerequisites form a cycle"):
        validate(spec, desk_codes=DESKS)


# --- kinds, automatic steps, fields and conditions ----------------------------------------


def test_it_rejects_an_unknown_kind_naming_the_step():
    spec = a_spec()
    spec["steps"][1]["kind"] = "robot"
    with pytest.raises(DefinitionError, match=r"step 'check': unknown kind 'robot'"):
        validate(spec, desk_codes=DESKS)


def test_it_rejects_an_automatic_step_without_run():
    spec = a_spec()
    spec["steps"][1]["kind"] = "automatic"
    with pytest.raises(DefinitionError, match=r"step 'check': an automatic step needs 'run'"):
        validate(spec, desk_codes=DESKS)


def test_it_rejects_a_manual_step_with_run():
    spec = a_spec()
    spec["steps"][1]["run"] = "registry.checks.name_check"
    with pytest.raises(DefinitionError, match=r"step 'check': only an automatic step has 'run'"):
        validate(spec, desk_codes=DESKS)


def test_it_rejects_an_automatic_step_whose_run_does_not_import():
    spec = a_spec()
    spec["steps"][1].update(kind="automatic", run="registry.checks.no_such_check")
    with pytest.raises(DefinitionError, match=r"step 'check': handler .* does not import"):
        validate(spec, desk_codes=DESKS)


def test_it_accepts_an_automatic_step_with_a_run_that_imports():
    spec = a_spec()
    spec["steps"][1].update(kind="automatic", run="registry.checks.name_check")
    assert validate(spec, desk_codes=DESKS) is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ([{"name": "nif"}], r"step 'check': a field needs a name and a label"),
        ([{"label": "NIF"}], r"step 'check': a field needs a name and a label"),
        ([{"name": "nif", "label": "NIF"}, {"name": "nif", "label": "NIF bis"}],
         r"step 'check': duplicate field 'nif'"),
        ([{"name": "nif", "label": "NIF", "pattern": "(\\d{10}"}],
         r"step 'check': field 'nif' has a bad pattern"),
    ],
)
def test_it_rejects_bad_desk_fields_naming_the_step(fields, message):
    spec = a_spec()
    spec["steps"][1]["fields"] = fields
    with pytest.raises(DefinitionError, match=message):
        validate(spec, desk_codes=DESKS)


def test_it_rejects_a_condition_on_an_undeclared_fact():
    spec = a_spec()
    spec["steps"][1]["when"] = {"legal_form": ["SARL"]}
    with pytest.raises(
        DefinitionError,
        match=r"step 'check': unreachable, condition on undeclared fact 'legal_form'",
    ):
        validate(spec, desk_codes=DESKS)


def test_it_rejects_a_condition_on_values_the_fact_never_takes():
    spec = a_spec()
    spec["facts"] = {"legal_form": ["EI", "SARL"]}
    spec["steps"][1]["when"] = {"legal_form": ["SAS", "SA"]}
    with pytest.raises(
        DefinitionError,
        match=r"step 'check': unreachable, 'legal_form' never takes \['SA', 'SAS'\]",
    ):
        validate(spec, desk_codes=DESKS)


def test_it_accepts_a_condition_on_a_declared_fact_and_value():
    spec = a_spec()
    spec["facts"] = {"legal_form": ["EI", "SARL"]}
    spec["steps"][1]["when"] = {"legal_form": ["SARL", "SAS"]}
    assert validate(spec, desk_codes=DESKS) is None


def test_the_shipped_definition_declares_every_legal_form_as_a_fact():
    from registry.legal_forms import LegalForm

    shipped = load_file(DEFINITIONS_DIR / "company_creation.yaml")
    assert set(shipped["facts"]["legal_form"]) == set(LegalForm.values)
    social = next(step for step in shipped["steps"] if step["id"] == "social_security")
    assert set(social["when"]["legal_form"]) == set(LegalForm.values) - {"EI"}


@pytest.mark.parametrize(
    "handler",
    [
        "registry.handlers.does_not_exist",  # module imports, attribute missing
        "registry.no_such_module.handler",  # module missing
        "handler_without_module",  # not a dotted path
    ],
)
def test_it_rejects_an_on_approve_handler_that_does_not_import(handler):
    spec = a_spec()
    spec["steps"][1]["on_approve"] = handler
    with pytest.raises(DefinitionError, match=r"step 'check': handler .* does not import"):
        validate(spec, desk_codes=DESKS)


def test_it_accepts_an_on_approve_handler_that_imports():
    spec = a_spec()
    spec["steps"][1]["on_approve"] = "registry.handlers.allocate_rccm_number"
    assert validate(spec, desk_codes=DESKS) is None


@pytest.mark.parametrize("key", ["on_complete", "on_return", "on_reject"])
def test_it_rejects_a_case_handler_that_does_not_import(key):
    spec = a_spec()
    spec[key] = "registry.handlers.nothing_here"
    with pytest.raises(DefinitionError, match=rf"{key}: handler .* does not import"):
        validate(spec, desk_codes=DESKS)


@pytest.mark.parametrize("key", ["code", "title", "steps"])
def test_it_rejects_a_spec_missing_a_required_key(key):
    spec = a_spec()
    del spec[key]
    with pytest.raises(DefinitionError, match=rf"missing '{key}'"):
        validate(spec, desk_codes=DESKS)


def test_it_rejects_an_empty_step_list():
    spec = a_spec()
    spec["steps"] = []
    with pytest.raises(DefinitionError, match=r"missing 'steps'"):
        validate(spec, desk_codes=DESKS)


# --- publish() ----------------------------------------------------------------------------


def test_post_migrate_published_the_desks_and_company_creation(db):
    assert {"guichet", "greffe", "greffier", "impots", "cnss"} <= set(
        Desk.objects.values_list("code", flat=True)
    )
    definition = WorkflowDefinition.objects.get(code="company_creation")
    assert definition.version == 1
    assert [step["id"] for step in definition.spec["steps"]] == list(STEPS)
    assert [step["id"] for step in definition.spec["steps"] if step.get("kind") == "automatic"] == [
        "name_check", "screening"]


def test_it_does_not_republish_unchanged_files(db):
    sync_all()
    sync_all()
    assert WorkflowDefinition.objects.filter(code="company_creation").count() == 1


def test_publishing_the_same_spec_twice_returns_the_same_version(db):
    first = publish(a_spec())
    again = publish(a_spec())
    assert again.pk == first.pk
    assert again.version == first.version == 1
    assert WorkflowDefinition.objects.filter(code="test_procedure").count() == 1


def test_it_treats_a_reordered_mapping_as_the_same_spec(db):
    first = publish(a_spec())
    reordered = dict(reversed(list(a_spec().items())))
    assert publish(reordered).pk == first.pk


def test_a_changed_spec_becomes_version_2_and_version_1_is_kept(db):
    v1 = publish(a_spec())
    changed = a_spec()
    changed["steps"][1]["sla_hours"] = 8
    v2 = publish(changed)
    assert v2.version == 2
    v1.refresh_from_db()
    assert v1.version == 1
    assert "sla_hours" not in v1.spec["steps"][1]
    assert v2.spec["steps"][1]["sla_hours"] == 8
    assert v1.checksum != v2.checksum


def test_it_stores_nothing_when_publishing_an_invalid_spec(db):
    publish(a_spec())
    broken = a_spec()
    broken["steps"][1]["desk"] = "douane"
    with pytest.raises(DefinitionError):
        publish(broken)
    assert list(
        WorkflowDefinition.objects.filter(code="test_procedure").values_list("version", flat=True)
    ) == [1]


def test_a_running_case_stays_pinned_to_its_version_while_new_cases_get_the_new_one(draft):
    publish(a_spec())
    old_case = engine.start_case(definition_code="test_procedure", subject=draft)

    changed = copy.deepcopy(a_spec())
    changed["steps"].append(
        {"id": "sign", "title": "Signature", "desk": "greffier", "after": ["check"]}
    )
    publish(changed)
    new_case = engine.start_case(definition_code="test_procedure", subject=draft)

    old_case.refresh_from_db()
    new_case.refresh_from_db()
    assert old_case.definition.version == 1
    assert new_case.definition.version == 2
    assert sorted(Task.objects.filter(case=old_case).values_list("step_id", flat=True)) == [
        "check",
        "intake",
    ]
    assert sorted(Task.objects.filter(case=new_case).values_list("step_id", flat=True)) == [
        "check",
        "intake",
        "sign",
    ]
    assert Task.objects.get(case=new_case, step_id="sign").state == TaskState.WAITING


def test_a_pinned_case_completes_by_its_own_version_steps(draft, clerks):
    publish(a_spec())
    old_case = engine.start_case(definition_code="test_procedure", subject=draft)
    changed = a_spec()
    changed["steps"].append({"id": "sign", "desk": "greffier", "after": ["check"]})
    publish(changed)

    claim_and_approve(old_case, "intake", clerks["guichet"])
    claim_and_approve(old_case, "check", clerks["greffe"])

    old_case.refresh_from_db()
    assert old_case.state == "completed"
    assert old_case.ended_at is not None
    assert not Task.objects.filter(case=old_case, step_id="sign").exists()


def test_a_running_company_case_keeps_its_version_when_the_procedure_changes(
    submitted, clerks, other_entrepreneur
):
    old_case = case_of(submitted)
    shorter = load_file(DEFINITIONS_DIR / "company_creation.yaml")
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
    registry_services.application_submit(application_id=draft.pk, user=other_entrepreneur)
    new_case = case_of(draft)
    assert new_case.definition.version == 2
    assert "social_security" not in states(new_case)
    advance_until(new_case, "tax", clerks)
    claim_and_approve(new_case, "tax", clerks["impots"])
    assert states(new_case)["registrar"] == TaskState.READY


def test_start_case_refuses_an_unpublished_procedure(draft):
    with pytest.raises(engine.WorkflowError):
        engine.start_case(definition_code="never_published", subject=draft)
    assert not Case.objects.filter(subject_id=draft.pk).exists()
