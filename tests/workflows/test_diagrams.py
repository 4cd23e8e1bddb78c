"""The case diagram: the definition drawn as SVG, each step marked with its live state."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from registry import services as registry_services
from registry.models import Application
from workflows import services as engine
from workflows.definitions import publish
from workflows.diagrams import case_svg
from workflows.models import Task

from .helpers import STEPS, advance_until, case_of, claim_and_approve, task_of


def step_states(svg) -> dict[str, str]:
    """data-step -> data-state, read from the SVG."""
    root = ET.fromstring(str(svg))  # also proves the SVG is well-formed
    return {g.get("data-step"): g.get("data-state") for g in root.iter("g")
            if g.get("data-step")}


@pytest.fixture
def case(submitted):
    return case_of(submitted)


def test_a_new_case_shows_intake_ready_and_every_other_step_waiting(case):
    assert step_states(case_svg(case)) == {step: "waiting" for step in STEPS} | {
        "intake": "ready"
    }


def test_after_intake_approval_intake_is_done_and_registry_ready(case, clerks):
    claim_and_approve(case, "intake", clerks["guichet"])

    states = step_states(case_svg(case))

    assert states["intake"] == "done"
    assert states["name_check"] == "done"
    assert states["screening"] == "done"
    assert states["registry"] == "ready"
    assert states["tax"] == "waiting"
    assert states["registrar"] == "waiting"


def test_a_step_past_its_deadline_is_overdue(case, clerks):
    advance_until(case, "registry", clerks)
    registry = task_of(case, "registry")
    Task.objects.filter(pk=registry.pk).update(due_at=timezone.now() - timedelta(minutes=1))

    assert step_states(case_svg(case))["registry"] == "overdue"


def test_a_returned_step_and_a_stopped_case_are_drawn_as_such(submitted, case, clerks,
                                                               entrepreneur):
    intake = task_of(case, "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    engine.return_task(task_id=intake.pk, user=clerks["guichet"], comment="Pièce manquante")
    assert step_states(case_svg(case))["intake"] == "returned"

    registry_services.application_withdraw(application_id=submitted.pk, user=entrepreneur)

    assert set(step_states(case_svg(case)).values()) == {"stopped"}


def test_an_ei_social_security_step_is_drawn_skipped(draft, entrepreneur):
    Application.objects.filter(pk=draft.pk).update(legal_form="EI")
    registry_services.application_submit(application_id=draft.pk, user=entrepreneur)
    svg = str(case_svg(case_of(draft)))

    assert step_states(svg)["social_security"] == "skipped"
    assert step_states(svg)["tax"] == "waiting"
    assert re.search(r'data-step="social_security"[^>]*>[^<]*<rect[^>]*stroke-dasharray', svg)
    assert "sans objet" in svg


def test_the_diagram_labels_each_state_in_french(case, clerks):
    claim_and_approve(case, "intake", clerks["guichet"])
    svg = str(case_svg(case))
    assert "Recevabilité du dossier" in svg
    assert "terminé" in svg
    assert "en cours" in svg
    assert "en attente" in svg
    assert '<title id="case-diagram-title">Étapes du dossier</title>' in svg


def test_every_prerequisite_is_drawn_as_an_arrow(case):
    svg = str(case_svg(case))
    arrows = sum(len(step.get("after", [])) for step in case.definition.spec["steps"])
    assert svg.count('marker-end="url(#arrow)"') == arrows == 8


def test_titles_from_the_definition_are_escaped(draft):
    publish({
        "code": "test_escaping",
        "title": "<b>Procédure</b>",
        "steps": [
            {"id": "intake", "title": '<b>Contrôle</b> & "co"', "desk": "guichet"},
            {"id": "close", "title": "<script>alert(1)</script>", "desk": "greffier",
             "after": ["intake"]},
        ],
    })
    case = engine.start_case(definition_code="test_escaping", subject=draft)

    svg = str(case_svg(case))

    assert "<b>" not in svg
    assert "<script>" not in svg
    assert "&lt;b&gt;Contrôle&lt;/b&gt; &amp; &quot;co&quot;" in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert step_states(svg) == {"intake": "ready", "close": "waiting"}


def test_the_diagram_can_draw_from_tasks_already_loaded(case, django_assert_num_queries):
    tasks = list(case.tasks.all())
    definition = case.definition  # loaded by case_for
    assert definition.spec
    with django_assert_num_queries(0):
        svg = case_svg(case, tasks)
    assert step_states(svg)["intake"] == "ready"
