"""Procedure definitions: validation (naming the faulty step, and refusing any handler the
procedure did not register) and versioned publication, on the toy procedure."""

from __future__ import annotations

import copy

import pytest
import yaml

from workflows import procedures
from workflows.definitions import (
    DESKS_FILE,
    DefinitionError,
    checksum,
    load_file,
    publish,
    sync_all,
    validate,
)
from workflows.models import CaseState, Desk, Task, TaskState, WorkflowDefinition

from .helpers import (
    STEPS,
    TOY_PROCEDURE,
    advance_until,
    claim_and_approve,
    make_permit,
    start,
    states,
)
from .toy.apps import TOY_DEFINITION_FILE
from .toy.handlers import HANDLERS
from .toy.models import Category, Permit

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


def check(spec: dict) -> None:
    """Validate against the shipped desks and the toy procedure's handlers."""
    validate(spec, desk_codes=DESKS, handlers=HANDLERS)


# --- validate(): the shape of a definition ------------------------------------------------


def test_it_accepts_a_valid_spec_and_the_toy_definition_file():
    assert check(a_spec()) is None
    toy = load_file(TOY_DEFINITION_FILE)
    assert check(toy) is None
    # With no handlers given, those registered for the spec's code are used.
    assert validate(toy, desk_codes=DESKS) is None


def test_the_toy_definition_uses_every_shipped_desk():
    toy = load_file(TOY_DEFINITION_FILE)
    shipped = {desk["code"] for desk in yaml.safe_load(DESKS_FILE.read_text(encoding="utf-8"))}
    # The counter's desk (payments) keeps a till and works no procedure step.
    assert shipped - {"caisse"} == DESKS
    assert {step["desk"] for step in toy["steps"]} == DESKS
    assert [step["id"] for step in toy["steps"]] == list(STEPS)


@pytest.mark.parametrize("key", ["code", "title", "steps"])
def test_it_rejects_a_spec_missing_a_required_key(key):
    spec = a_spec()
    del spec[key]
    with pytest.raises(DefinitionError, match=rf"missing '{key}'"):
        check(spec)


def test_it_rejects_an_empty_step_list():
    spec = a_spec()
    spec["steps"] = []
    with pytest.raises(DefinitionError, match=r"missing 'steps'"):
        check(spec)


def test_it_rejects_an_unknown_desk_naming_the_step():
    spec = a_spec()
    spec["steps"][1]["desk"] = "douane"
    with pytest.raises(DefinitionError, match=r"step 'check': unknown desk 'douane'"):
        check(spec)


def test_it_rejects_a_step_without_desk_naming_the_step():
    spec = a_spec()
    del spec["steps"][0]["desk"]
    with pytest.raises(DefinitionError, match=r"step 'intake': unknown desk 'None'"):
        check(spec)


def test_a_desk_unknown_to_the_database_is_refused_even_if_the_file_lists_it():
    spec = a_spec()
    with pytest.raises(DefinitionError, match=r"step 'check': unknown desk 'greffe'"):
        validate(spec, desk_codes={"guichet"}, handlers=HANDLERS)


def test_it_rejects_a_duplicate_step_id_naming_the_step():
    spec = a_spec()
    spec["steps"].append({"id": "check", "desk": "greffier", "after": ["intake"]})
    with pytest.raises(DefinitionError, match=r"step 'check': duplicate id"):
        check(spec)


def test_it_rejects_a_step_without_id():
    spec = a_spec()
    spec["steps"].append({"desk": "greffier"})
    with pytest.raises(DefinitionError, match="a step has no id"):
        check(spec)


def test_it_rejects_an_unknown_prerequisite_naming_the_step():
    spec = a_spec()
    spec["steps"][1]["after"] = ["intake", "payment"]
    with pytest.raises(DefinitionError, match=r"step 'check': unknown prerequisite 'payment'"):
        check(spec)


def test_it_rejects_a_cycle_naming_a_step_of_the_cycle():
    spec = a_spec()
    spec["steps"][0]["after"] = ["check"]  # intake <-> check
    with pytest.raises(DefinitionError, match=r"step '(intake|check)': prerequisites form a cycle"):
        check(spec)


def test_it_rejects_a_step_that_waits_for_itself():
    spec = a_spec()
    spec["steps"][1]["after"] = ["check"]
    with pytest.raises(DefinitionError, match=r"step 'check': prerequisites form a cycle"):
        check(spec)


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
        check(spec)


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
        check(spec)


def test_it_accepts_prerequisites_listed_after_the_step_that_waits_for_them():
    spec = a_spec()
    spec["steps"].reverse()
    assert check(spec) is None


# --- kinds and automatic steps ------------------------------------------------------------


def test_it_rejects_an_unknown_kind_naming_the_step():
    spec = a_spec()
    spec["steps"][1]["kind"] = "robot"
    with pytest.raises(DefinitionError, match=r"step 'check': unknown kind 'robot'"):
        check(spec)


def test_it_rejects_an_automatic_step_without_run():
    spec = a_spec()
    spec["steps"][1]["kind"] = "automatic"
    with pytest.raises(DefinitionError, match=r"step 'check': an automatic step needs 'run'"):
        check(spec)


def test_it_rejects_a_manual_step_with_run():
    spec = a_spec()
    spec["steps"][1]["run"] = "inspect_premises"
    with pytest.raises(DefinitionError, match=r"step 'check': only an automatic step has 'run'"):
        check(spec)


def test_it_rejects_an_automatic_step_whose_run_the_procedure_did_not_register():
    spec = a_spec()
    spec["steps"][1].update(kind="automatic", run="no_such_check")
    with pytest.raises(DefinitionError, match=r"step 'check': handler 'no_such_check' is not "
                                              r"registered by the procedure"):
        check(spec)


def test_it_accepts_an_automatic_step_whose_run_the_procedure_registered():
    spec = a_spec()
    spec["steps"][1].update(kind="automatic", run="inspect_premises")
    assert check(spec) is None


@pytest.mark.parametrize("recheck_on", ["premises", [1, 2], {"premises": True}])
def test_it_rejects_a_recheck_on_that_is_not_a_list_of_names(recheck_on):
    spec = a_spec()
    spec["steps"][1].update(kind="automatic", run="inspect_premises", recheck_on=recheck_on)
    with pytest.raises(DefinitionError, match=r"step 'check': recheck_on is a list of names"):
        check(spec)


def test_it_rejects_recheck_on_on_a_manual_step():
    spec = a_spec()
    spec["steps"][1]["recheck_on"] = ["premises"]
    with pytest.raises(DefinitionError, match=r"step 'check': only an automatic step is "
                                              r"rechecked"):
        check(spec)


# --- desk fields and conditions -----------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ([{"name": "licence_number"}], r"step 'check': a field needs a name and a label"),
        ([{"label": "Licence"}], r"step 'check': a field needs a name and a label"),
        ([{"name": "n", "label": "N"}, {"name": "n", "label": "N bis"}],
         r"step 'check': duplicate field 'n'"),
        ([{"name": "n", "label": "N", "pattern": "(\\d{8}"}],
         r"step 'check': field 'n' has a bad pattern"),
    ],
)
def test_it_rejects_bad_desk_fields_naming_the_step(fields, message):
    spec = a_spec()
    spec["steps"][1]["fields"] = fields
    with pytest.raises(DefinitionError, match=message):
        check(spec)


def test_it_accepts_the_toy_licence_fields():
    toy = load_file(TOY_DEFINITION_FILE)
    licence = next(step for step in toy["steps"] if step["id"] == "licence")
    spec = a_spec()
    spec["steps"][1]["fields"] = licence["fields"]
    assert check(spec) is None
    assert [field["name"] for field in licence["fields"]] == ["licence_number", "register_page"]


def test_it_rejects_a_condition_on_an_undeclared_fact():
    spec = a_spec()
    spec["steps"][1]["when"] = {"category": ["food"]}
    with pytest.raises(
        DefinitionError,
        match=r"step 'check': unreachable, condition on undeclared fact 'category'",
    ):
        check(spec)


def test_it_rejects_a_condition_on_values_the_fact_never_takes():
    spec = a_spec()
    spec["facts"] = {"category": ["standard", "food"]}
    spec["steps"][1]["when"] = {"category": ["weapons", "alcohol"]}
    with pytest.raises(
        DefinitionError,
        match=r"step 'check': unreachable, 'category' never takes \['alcohol', 'weapons'\]",
    ):
        check(spec)


def test_it_accepts_a_condition_on_a_declared_fact_and_value():
    spec = a_spec()
    spec["facts"] = {"category": ["standard", "food"]}
    spec["steps"][1]["when"] = {"category": ["food", "alcohol"]}
    assert check(spec) is None


def test_the_toy_facts_are_the_permit_categories():
    toy = load_file(TOY_DEFINITION_FILE)
    assert set(toy["facts"]["category"]) == set(Category.values)
    hygiene = next(step for step in toy["steps"] if step["id"] == "hygiene")
    assert hygiene["when"] == {"category": ["food"]}


# --- handlers: only those the procedure registered ----------------------------------------


@pytest.mark.parametrize(
    "handler",
    [
        "no_such_handler",
        "tests.workflows.toy.handlers.record_licence_number",  # a dotted path: not a name
        "Record_Licence_Number",  # names are exact
        42,
        ["record_licence_number"],
    ],
)
def test_it_rejects_an_on_approve_handler_the_procedure_did_not_register(handler):
    spec = a_spec()
    spec["steps"][1]["on_approve"] = handler
    with pytest.raises(DefinitionError, match=r"step 'check': handler .* is not registered"):
        check(spec)


def test_it_accepts_an_on_approve_handler_the_procedure_registered():
    spec = a_spec()
    spec["steps"][1]["on_approve"] = "record_licence_number"
    assert check(spec) is None


@pytest.mark.parametrize("key", ["on_complete", "on_return", "on_reject", "on_step_approved"])
def test_it_rejects_a_case_handler_the_procedure_did_not_register(key):
    spec = a_spec()
    spec[key] = "nothing_here"
    with pytest.raises(DefinitionError, match=rf"{key}: handler 'nothing_here' is not "
                                              r"registered by the procedure"):
        check(spec)


@pytest.mark.parametrize(
    ("key", "name"),
    [("on_complete", "permit_completed"), ("on_return", "permit_returned"),
     ("on_reject", "permit_rejected"), ("on_step_approved", "step_approved")],
)
def test_it_accepts_case_handlers_the_procedure_registered(key, name):
    spec = a_spec()
    spec[key] = name
    assert check(spec) is None


def test_a_handler_of_another_procedure_is_not_registered_for_this_one():
    """By default a spec is checked against its own code's handlers: the toy's do not count."""
    spec = a_spec()  # code test_procedure: nobody registered it
    spec["on_complete"] = "permit_completed"
    with pytest.raises(DefinitionError, match=r"on_complete: handler 'permit_completed' is not "
                                              r"registered"):
        validate(spec, desk_codes=DESKS)
    spec["code"] = TOY_PROCEDURE
    assert validate(spec, desk_codes=DESKS) is None


def test_an_empty_handler_map_refuses_every_handler_of_the_toy_file():
    with pytest.raises(DefinitionError, match="is not registered by the procedure"):
        validate(load_file(TOY_DEFINITION_FILE), desk_codes=DESKS, handlers={})


def test_steps_are_all_checked_before_handlers_then_the_cycle_last():
    spec = a_spec()
    spec["steps"][0]["on_approve"] = "nothing_here"
    spec["steps"][1]["desk"] = "douane"
    with pytest.raises(DefinitionError, match="unknown desk 'douane'"):
        check(spec)
    spec["steps"][1]["desk"] = "greffe"
    spec["steps"][0]["after"] = ["check"]
    with pytest.raises(DefinitionError, match="handler 'nothing_here'"):
        check(spec)


# --- loading files ------------------------------------------------------------------------


@pytest.mark.parametrize("content", ["- just\n- a list\n", "just text\n", ""])
def test_load_file_refuses_a_file_that_is_not_a_mapping(tmp_path, content):
    path = tmp_path / "broken.yaml"
    path.write_text(content)
    with pytest.raises(DefinitionError, match=r"broken.yaml: a definition is a mapping"):
        load_file(path)


def test_the_checksum_ignores_key_order_but_not_values():
    spec = a_spec()
    reordered = dict(reversed(list(a_spec().items())))
    assert checksum(spec) == checksum(reordered)
    changed = a_spec()
    changed["steps"][0]["title"] = "Recevabilité !"
    assert checksum(changed) != checksum(spec)
    assert len(checksum(spec)) == 64


# --- publish() ----------------------------------------------------------------------------


def test_post_migrate_published_the_desks_and_the_toy_procedure(db):
    assert set(Desk.objects.values_list("code", flat=True)) >= DESKS
    assert Desk.objects.get(code="impots").name == "Office togolais des recettes (NIF)"
    definition = WorkflowDefinition.objects.get(code=TOY_PROCEDURE)
    assert definition.version == 1
    assert definition.title == "Permis de démonstration"
    assert definition.spec == load_file(TOY_DEFINITION_FILE)
    assert definition.checksum == checksum(definition.spec)
    assert [step["id"] for step in definition.spec["steps"]] == list(STEPS)


def test_it_does_not_republish_unchanged_files(db):
    sync_all()
    sync_all()
    assert WorkflowDefinition.objects.filter(code=TOY_PROCEDURE).count() == 1


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


def test_going_back_to_an_earlier_spec_is_a_new_version_too(db):
    publish(a_spec())
    changed = a_spec()
    changed["title"] = "Autre intitulé"
    publish(changed)
    assert publish(a_spec()).version == 3


def test_it_stores_nothing_when_publishing_an_invalid_spec(db):
    publish(a_spec())
    broken = a_spec()
    broken["steps"][1]["desk"] = "douane"
    with pytest.raises(DefinitionError):
        publish(broken)
    assert list(
        WorkflowDefinition.objects.filter(code="test_procedure").values_list("version", flat=True)
    ) == [1]


def test_publishing_a_toy_version_naming_an_unregistered_handler_is_refused(db):
    spec = load_file(TOY_DEFINITION_FILE)
    spec["steps"][0]["on_approve"] = "send_flowers"
    with pytest.raises(DefinitionError, match=r"step 'intake': handler 'send_flowers'"):
        publish(spec)
    assert WorkflowDefinition.objects.filter(code=TOY_PROCEDURE).count() == 1


def test_publish_checks_desks_against_the_database(db):
    Desk.objects.create(code="douane", name="Douanes")
    spec = a_spec()
    spec["steps"][1]["desk"] = "douane"
    assert publish(spec).spec["steps"][1]["desk"] == "douane"


# --- a running case keeps its version -----------------------------------------------------


def test_a_running_case_stays_pinned_to_its_version_while_new_cases_get_the_new_one(permit):
    publish(a_spec())
    old_case = start(permit, code="test_procedure")

    changed = copy.deepcopy(a_spec())
    changed["steps"].append(
        {"id": "sign", "title": "Signature", "desk": "greffier", "after": ["check"]}
    )
    publish(changed)
    new_case = start(permit, code="test_procedure")

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


def test_a_pinned_case_completes_by_its_own_version_steps(permit, clerks):
    publish(a_spec())
    old_case = start(permit, code="test_procedure")
    changed = a_spec()
    changed["steps"].append({"id": "sign", "desk": "greffier", "after": ["check"]})
    publish(changed)

    claim_and_approve(old_case, "intake", clerks["guichet"])
    claim_and_approve(old_case, "check", clerks["greffe"])

    old_case.refresh_from_db()
    assert old_case.state == CaseState.COMPLETED
    assert old_case.ended_at is not None
    assert not Task.objects.filter(case=old_case, step_id="sign").exists()


def test_a_running_toy_case_keeps_its_version_when_the_procedure_changes(case, clerks):
    shorter = load_file(TOY_DEFINITION_FILE)
    shorter["steps"] = [step for step in shorter["steps"] if step["id"] != "hygiene"]
    shorter["steps"][-1]["after"] = ["licence"]
    assert publish(shorter).version == 2

    # The running case still follows version 1: the signature waits for hygiene.
    advance_until(case, "licence", clerks)
    claim_and_approve(case, "licence", clerks["impots"])
    assert states(case)["signature"] == TaskState.WAITING
    claim_and_approve(case, "hygiene", clerks["cnss"])
    assert states(case)["signature"] == TaskState.READY
    case.refresh_from_db()
    assert case.definition.version == 1

    # A food permit started now gets version 2, without hygiene.
    new_case = start(make_permit("Lagune Verte"))
    assert new_case.definition.version == 2
    assert "hygiene" not in states(new_case)
    advance_until(new_case, "licence", clerks)
    claim_and_approve(new_case, "licence", clerks["impots"])
    assert states(new_case)["signature"] == TaskState.READY


def test_a_pinned_case_calls_handlers_by_the_names_its_version_gave(permit, case, clerks):
    """Version 2 drops on_step_approved: the case pinned to version 1 still calls it."""
    quieter = load_file(TOY_DEFINITION_FILE)
    del quieter["on_step_approved"]
    publish(quieter)

    claim_and_approve(case, "intake", clerks["guichet"])
    other = make_permit("Sans suivi")
    other_case = start(other)
    claim_and_approve(other_case, "intake", clerks["guichet"])

    permit.refresh_from_db()
    other.refresh_from_db()
    assert permit.approved_steps == ["intake", "inspection"]
    assert other.approved_steps == []
    assert other.check_runs == 1


# --- sync_all(): every registered procedure's file ----------------------------------------


@pytest.fixture
def variant_file(tmp_path):
    """A second procedure on permits, registered from a file the test may rewrite."""
    path = tmp_path / "variant.yaml"
    spec = a_spec() | {"code": "toy_variant"}
    path.write_text(_yaml(spec))
    procedures.register(procedures.Procedure(code="toy_variant", definition_file=path,
                                             subject_model=Permit, handlers=HANDLERS))
    yield path
    procedures.unregister("toy_variant")


def _yaml(spec: dict) -> str:
    return yaml.safe_dump(spec, allow_unicode=True)


def test_sync_all_publishes_a_registered_procedure_and_then_each_change(db, variant_file):
    published = {definition.code: definition.version for definition in sync_all()}
    assert published["toy_variant"] == 1
    assert published[TOY_PROCEDURE] == 1

    spec = load_file(variant_file)
    spec["steps"][1]["sla_hours"] = 12
    variant_file.write_text(_yaml(spec))
    sync_all()
    sync_all()

    versions = WorkflowDefinition.objects.filter(code="toy_variant").order_by("version")
    assert [definition.version for definition in versions] == [1, 2]
    assert versions.last().spec["steps"][1]["sla_hours"] == 12


def test_sync_all_refuses_a_file_whose_code_is_not_the_registered_one(db, variant_file):
    variant_file.write_text(_yaml(a_spec() | {"code": "someone_else"}))
    with pytest.raises(DefinitionError, match=r"variant.yaml: code 'someone_else' but "
                                              r"registered as 'toy_variant'"):
        sync_all()
    assert not WorkflowDefinition.objects.filter(code__in=["someone_else", "toy_variant"]).exists()


def test_sync_all_refuses_an_invalid_registered_file(db, variant_file):
    broken = a_spec() | {"code": "toy_variant"}
    broken["steps"][1]["desk"] = "douane"
    variant_file.write_text(_yaml(broken))
    with pytest.raises(DefinitionError, match="step 'check': unknown desk 'douane'"):
        sync_all()
    assert not WorkflowDefinition.objects.filter(code="toy_variant").exists()
