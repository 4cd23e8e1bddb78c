"""The engine's contract with the apps that own procedures (workflows.procedures):
register() checks the subject, the file and the handlers at once; the engine then calls
only what the procedure registered, by name."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from workflows import procedures
from workflows import services as engine
from workflows.definitions import publish

from .helpers import TOY_PROCEDURE
from .toy import handlers as toy_handlers
from .toy.apps import TOY_DEFINITION_FILE
from .toy.models import CORRECTABLE_SECTIONS, Category, Permit


@pytest.fixture
def cleanup():
    """Codes registered by a test, forgotten afterwards."""
    codes: list[str] = []
    yield codes
    for code in codes:
        procedures.unregister(code)


def a_procedure(code: str = "toy_extra", **changes) -> procedures.Procedure:
    fields = {"code": code, "definition_file": TOY_DEFINITION_FILE, "subject_model": Permit,
              "handlers": dict(toy_handlers.HANDLERS)}
    return procedures.Procedure(**(fields | changes))


# --- the toy app registers its procedure as an owning app does ----------------------------


def test_the_toy_app_is_installed_under_its_label():
    config = apps.get_app_config("toy")
    assert config.name == "tests.workflows.toy"
    assert apps.get_model("toy", "Permit") is Permit


def test_the_toy_app_registered_its_procedure_when_django_started():
    procedure = procedures.get(TOY_PROCEDURE)
    assert procedure.code == TOY_PROCEDURE
    assert procedure.definition_file == TOY_DEFINITION_FILE
    assert procedure.subject_model is Permit
    assert procedure.handlers is toy_handlers.HANDLERS
    assert procedure in procedures.registered()


def test_registered_lists_procedures_sorted_by_code(cleanup):
    cleanup.extend(["aaa_first", "zzz_last"])
    procedures.register(a_procedure("zzz_last"))
    procedures.register(a_procedure("aaa_first"))
    codes = [procedure.code for procedure in procedures.registered()]
    assert codes == sorted(codes)
    assert codes[0] == "aaa_first"
    assert codes[-1] == "zzz_last"
    assert TOY_PROCEDURE in codes


def test_the_permit_honours_the_workflow_subject_protocol():
    permit = Permit(holder="Kossi Agbeko", category=Category.FOOD)
    assert isinstance(permit, procedures.WorkflowSubject)
    assert permit.workflow_facts() == {"category": "food"}
    assert permit.correctable_sections() == list(CORRECTABLE_SECTIONS)
    assert Permit.backoffice_template == "toy/_permit.html"


def test_subject_facts_are_what_the_subject_says(permit):
    assert engine.subject_facts(permit) == {"category": "food"}
    permit.category = Category.STANDARD
    assert engine.subject_facts(permit) == {"category": "standard"}


# --- register(): checked at once ----------------------------------------------------------


@pytest.mark.parametrize("missing", ["backoffice_template", "workflow_facts",
                                     "correctable_sections"])
def test_a_subject_lacking_part_of_the_protocol_is_refused_at_register(cleanup, missing):
    members = {
        "backoffice_template": "x.html",
        "workflow_facts": lambda self: {},
        "correctable_sections": lambda self: [],
    }
    del members[missing]
    subject = type("HalfSubject", (), members)
    cleanup.append("toy_half")

    with pytest.raises(ImproperlyConfigured, match=rf"HalfSubject cannot be the subject of "
                                                   rf"'toy_half': it lacks {missing}"):
        procedures.register(a_procedure("toy_half", subject_model=subject))

    with pytest.raises(LookupError):
        procedures.get("toy_half")


def test_a_subject_with_nothing_of_the_protocol_is_refused_naming_every_missing_member(
    cleanup,
):
    cleanup.append("toy_bare")
    with pytest.raises(ImproperlyConfigured) as refusal:
        procedures.register(a_procedure("toy_bare", subject_model=type("Bare", (), {})))
    assert "backoffice_template, workflow_facts, correctable_sections" in str(refusal.value)
    assert "WorkflowSubject" in str(refusal.value)


def test_a_missing_definition_file_is_refused_at_register(cleanup, tmp_path):
    cleanup.append("toy_nofile")
    with pytest.raises(ImproperlyConfigured, match=r"toy_nofile: no file .*absent.yaml"):
        procedures.register(a_procedure("toy_nofile",
                                        definition_file=tmp_path / "absent.yaml"))
    with pytest.raises(ImproperlyConfigured, match="no file"):
        procedures.register(a_procedure("toy_nofile", definition_file=tmp_path))  # a folder


def test_a_handler_that_is_not_callable_is_refused_at_register(cleanup):
    cleanup.append("toy_badhandler")
    handlers = dict(toy_handlers.HANDLERS, permit_completed="toy.handlers.permit_completed")
    with pytest.raises(ImproperlyConfigured, match=r"toy_badhandler: handler "
                                                   r"'permit_completed' is not callable"):
        procedures.register(a_procedure("toy_badhandler", handlers=handlers))
    with pytest.raises(LookupError):
        procedures.get("toy_badhandler")


def test_registering_another_procedure_under_a_taken_code_is_refused(cleanup):
    cleanup.append("toy_twice")
    first = procedures.register(a_procedure("toy_twice"))
    other_handlers = {"inspect_premises": toy_handlers.inspect_premises}

    with pytest.raises(ImproperlyConfigured, match="procedure 'toy_twice' is registered twice"):
        procedures.register(a_procedure("toy_twice", handlers=other_handlers))

    assert procedures.get("toy_twice") is first


def test_registering_the_toy_code_again_with_another_subject_is_refused():
    class OtherPermit:
        backoffice_template = "toy/_permit.html"

        def workflow_facts(self):
            return {}

        def correctable_sections(self):
            return []

    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        procedures.register(a_procedure(TOY_PROCEDURE, subject_model=OtherPermit))
    assert procedures.get(TOY_PROCEDURE).subject_model is Permit


def test_registering_the_same_procedure_again_is_harmless(cleanup):
    """AppConfig.ready() may run twice (e.g. a test runner reloading apps)."""
    cleanup.append("toy_again")
    procedure = a_procedure("toy_again")
    assert procedures.register(procedure) is procedure
    assert procedures.register(a_procedure("toy_again")) == procedure
    assert [p.code for p in procedures.registered()].count("toy_again") == 1


def test_unregister_forgets_a_procedure_and_ignores_an_unknown_code(cleanup):
    procedures.register(a_procedure("toy_gone"))
    procedures.unregister("toy_gone")
    procedures.unregister("toy_never_there")
    with pytest.raises(LookupError, match="no procedure 'toy_gone' is registered"):
        procedures.get("toy_gone")
    # Once forgotten, the code may be registered anew, with other handlers.
    cleanup.append("toy_gone")
    procedures.register(a_procedure("toy_gone", handlers={}))
    assert procedures.get("toy_gone").handlers == {}


def test_a_procedure_is_immutable_once_declared():
    procedure = procedures.get(TOY_PROCEDURE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        procedure.code = "other"  # type: ignore[misc]


# --- handlers are looked up by name -------------------------------------------------------


def test_a_registered_handler_is_found_by_its_name():
    procedure = procedures.get(TOY_PROCEDURE)
    assert procedure.handler("inspect_premises") is toy_handlers.inspect_premises
    assert procedure.handler("permit_completed") is toy_handlers.permit_completed


@pytest.mark.parametrize("name", ["nothing", "tests.workflows.toy.handlers.inspect_premises", ""])
def test_an_unregistered_handler_name_is_a_lookup_error_naming_the_procedure(name):
    with pytest.raises(LookupError, match=rf"procedure '{TOY_PROCEDURE}' registers no handler"):
        procedures.get(TOY_PROCEDURE).handler(name)


def test_every_handler_the_toy_file_names_is_registered_and_none_is_unused():
    spec = yaml.safe_load(Path(TOY_DEFINITION_FILE).read_text(encoding="utf-8"))
    named = {spec[key] for key in ("on_complete", "on_return", "on_reject", "on_step_approved")}
    named |= {step[key] for step in spec["steps"] for key in ("run", "on_approve") if key in step}
    assert named == set(toy_handlers.HANDLERS)


def test_a_case_of_an_unregistered_procedure_fails_when_it_needs_a_handler(
    permit, clerks, cleanup
):
    """A published procedure whose app no longer registers it: its handlers are gone too."""
    cleanup.append("toy_orphan")
    spec = {"code": "toy_orphan", "title": "Orpheline", "on_complete": "permit_completed",
            "steps": [{"id": "only", "desk": "guichet"}]}
    procedures.register(a_procedure("toy_orphan"))
    publish(spec)
    case = engine.start_case(definition_code="toy_orphan", subject=permit)
    procedures.unregister("toy_orphan")
    task = case.tasks.get()
    engine.claim_task(task_id=task.pk, user=clerks["guichet"])

    with pytest.raises(LookupError, match="no procedure 'toy_orphan' is registered"):
        engine.approve_task(task_id=task.pk, user=clerks["guichet"])

    task.refresh_from_db()
    assert task.state == "claimed"
    permit.refresh_from_db()
    assert permit.completed_at is None


def test_a_case_cannot_start_on_another_model_than_the_procedures_subject(permit, clerks):
    from workflows.models import Case, Desk

    with pytest.raises(TypeError, match="runs on Permit, not Desk"):
        engine.start_case(definition_code=TOY_PROCEDURE, subject=Desk.objects.first())
    assert not Case.objects.exists()

