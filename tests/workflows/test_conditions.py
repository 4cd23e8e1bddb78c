"""Conditional steps (`when`): a step whose condition fails for the subject's facts gets no
task, and the steps after it go on as if it were done."""

from __future__ import annotations

import copy

import pytest

from workflows.definitions import applies, publish
from workflows.models import CaseState, Task, TaskState

from .helpers import advance_until, claim_and_approve, complete, make_permit, start, states, task_of
from .toy.models import Category, Permit

CONDITIONAL_SPEC = {
    "code": "toy_conditional",
    "title": "Procédure avec une étape conditionnelle",
    "facts": {"category": ["standard", "food"]},
    "steps": [
        {"id": "intake", "title": "Recevabilité", "desk": "guichet"},
        {"id": "hygiene", "title": "Hygiène", "desk": "cnss", "after": ["intake"],
         "when": {"category": ["food"]}},
        {"id": "close", "title": "Clôture", "desk": "greffier", "after": ["intake", "hygiene"]},
    ],
}


# --- the toy procedure: hygiene for food permits only --------------------------------------


def test_a_standard_permit_gets_no_hygiene_task(standard_permit, standard_case):
    assert standard_permit.workflow_facts() == {"category": "standard"}
    assert "hygiene" not in states(standard_case)
    assert set(states(standard_case)) == {"intake", "inspection", "licence", "signature"}
    assert not Task.objects.filter(case=standard_case, step_id="hygiene").exists()


def test_for_a_standard_permit_the_signature_is_ready_after_the_licence_alone(
    standard_case, clerks
):
    advance_until(standard_case, "licence", clerks)
    assert states(standard_case)["licence"] == TaskState.READY
    assert states(standard_case)["signature"] == TaskState.WAITING

    claim_and_approve(standard_case, "licence", clerks["impots"])

    assert states(standard_case)["signature"] == TaskState.READY


def test_a_standard_permit_completes_without_the_hygiene_desk(standard_permit, standard_case,
                                                              clerks):
    complete(standard_case, clerks)

    standard_case.refresh_from_db()
    standard_permit.refresh_from_db()
    assert standard_case.state == CaseState.COMPLETED
    assert standard_permit.approved_steps == ["intake", "inspection", "licence", "signature"]
    assert standard_permit.completed_at is not None
    assert not Task.objects.filter(desk__code="cnss").exists()


def test_a_food_permit_gets_its_hygiene_task_and_it_is_waited_for(case, clerks):
    assert task_of(case, "hygiene").state == TaskState.WAITING
    advance_until(case, "licence", clerks)
    claim_and_approve(case, "licence", clerks["impots"])
    assert states(case)["signature"] == TaskState.WAITING
    claim_and_approve(case, "hygiene", clerks["cnss"])
    assert states(case)["signature"] == TaskState.READY


def test_the_facts_are_read_once_at_the_start(standard_permit, standard_case, clerks):
    Permit.objects.filter(pk=standard_permit.pk).update(category=Category.FOOD)
    advance_until(standard_case, "licence", clerks)
    claim_and_approve(standard_case, "licence", clerks["impots"])
    assert "hygiene" not in states(standard_case)
    assert states(standard_case)["signature"] == TaskState.READY


# --- conditions in general ------------------------------------------------------------------


def test_a_step_whose_condition_fails_gets_no_task_and_the_next_step_still_runs(clerks):
    publish(CONDITIONAL_SPEC)
    permit = make_permit(category=Category.STANDARD)

    case = start(permit, code="toy_conditional")

    assert states(case) == {"intake": TaskState.READY, "close": TaskState.WAITING}
    claim_and_approve(case, "intake", clerks["guichet"])
    assert states(case) == {"intake": TaskState.APPROVED, "close": TaskState.READY}
    claim_and_approve(case, "close", clerks["greffier"])
    case.refresh_from_db()
    assert case.state == CaseState.COMPLETED


def test_a_step_whose_condition_holds_gets_its_task_and_is_waited_for(clerks):
    publish(CONDITIONAL_SPEC)
    case = start(make_permit(category=Category.FOOD), code="toy_conditional")

    claim_and_approve(case, "intake", clerks["guichet"])
    assert states(case) == {
        "intake": TaskState.APPROVED,
        "hygiene": TaskState.READY,
        "close": TaskState.WAITING,
    }
    claim_and_approve(case, "hygiene", clerks["cnss"])
    assert states(case)["close"] == TaskState.READY


def test_a_step_after_a_skipped_step_still_waits_for_the_skipped_steps_prerequisites(clerks):
    spec = copy.deepcopy(CONDITIONAL_SPEC)
    spec["code"] = "toy_conditional_chain"
    spec["steps"][2]["after"] = ["hygiene"]  # hygiene itself comes after intake
    publish(spec)

    case = start(make_permit(category=Category.STANDARD), code="toy_conditional_chain")

    assert states(case) == {"intake": TaskState.READY, "close": TaskState.WAITING}
    claim_and_approve(case, "intake", clerks["guichet"])
    assert states(case)["close"] == TaskState.READY


def test_a_chain_of_skipped_steps_is_done_once_its_first_prerequisite_is(clerks):
    publish({
        "code": "toy_skipped_chain",
        "title": "Deux étapes sautées à la suite",
        "facts": {"category": ["standard", "food"]},
        "steps": [
            {"id": "intake", "desk": "guichet"},
            {"id": "a", "desk": "cnss", "after": ["intake"], "when": {"category": ["food"]}},
            {"id": "b", "desk": "cnss", "after": ["a"], "when": {"category": ["food"]}},
            {"id": "close", "desk": "greffier", "after": ["b"]},
        ],
    })
    case = start(make_permit(category=Category.STANDARD), code="toy_skipped_chain")
    assert states(case) == {"intake": TaskState.READY, "close": TaskState.WAITING}
    claim_and_approve(case, "intake", clerks["guichet"])
    assert states(case)["close"] == TaskState.READY


def test_a_subject_whose_facts_lack_the_fact_skips_the_conditional_step(db, monkeypatch):
    publish(CONDITIONAL_SPEC)
    monkeypatch.setattr(Permit, "workflow_facts", lambda self: {})

    case = start(make_permit(category=Category.FOOD), code="toy_conditional")

    assert states(case) == {"intake": TaskState.READY, "close": TaskState.WAITING}


def test_a_skipped_last_step_lets_the_case_complete_on_the_others(clerks):
    publish({
        "code": "toy_skipped_last",
        "title": "Dernière étape sautée",
        "facts": {"category": ["standard", "food"]},
        "steps": [
            {"id": "intake", "desk": "guichet"},
            {"id": "hygiene", "desk": "cnss", "after": ["intake"],
             "when": {"category": ["food"]}},
        ],
    })
    case = start(make_permit(category=Category.STANDARD), code="toy_skipped_last")
    claim_and_approve(case, "intake", clerks["guichet"])
    case.refresh_from_db()
    assert case.state == CaseState.COMPLETED


@pytest.mark.parametrize(
    ("when", "facts", "expected"),
    [
        ({}, {}, True),
        ({"category": ["food"]}, {"category": "food"}, True),
        ({"category": ["food"]}, {"category": "standard"}, False),
        ({"category": ["food"]}, {}, False),
        ({"category": ["food"], "size": ["large"]}, {"category": "food", "size": "large"}, True),
        ({"category": ["food"], "size": ["large"]}, {"category": "food", "size": "small"}, False),
    ],
)
def test_a_condition_holds_when_every_fact_it_names_has_one_of_its_values(when, facts,
                                                                           expected):
    assert applies({"id": "s", "when": when}, facts) is expected
