"""The case diagram: the definition drawn as SVG, each step marked with its live state."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

from django.utils import timezone

from workflows import services as engine
from workflows.definitions import publish
from workflows.diagrams import case_svg, display_state
from workflows.models import Task

from .helpers import (
    STEPS,
    advance_until,
    claim_and_approve,
    claim_and_return,
    make_permit,
    start,
    task_of,
)
from .toy.models import Category


def step_states(svg) -> dict[str, str]:
    """data-step -> data-state, read from the SVG."""
    root = ET.fromstring(str(svg))  # also proves the SVG is well-formed
    return {g.get("data-step"): g.get("data-state") for g in root.iter("g")
            if g.get("data-step")}


def test_a_new_case_shows_intake_ready_and_every_other_step_waiting(case):
    assert step_states(case_svg(case)) == {step: "waiting" for step in STEPS} | {
        "intake": "ready"
    }


def test_after_intake_approval_intake_and_inspection_are_done_and_both_desks_ready(
    case, clerks
):
    claim_and_approve(case, "intake", clerks["guichet"])

    assert step_states(case_svg(case)) == {
        "intake": "done",
        "inspection": "done",
        "licence": "ready",
        "hygiene": "ready",
        "signature": "waiting",
    }


def test_a_failed_check_is_drawn_as_failed_and_in_progress_once_claimed(clerks):
    case = start(make_permit("Bar du Port", check_problem="Extincteur absent."))
    claim_and_approve(case, "intake", clerks["guichet"])
    assert step_states(case_svg(case))["inspection"] == "failed"
    assert "contrôle en échec" in str(case_svg(case))
    engine.claim_task(task_id=task_of(case, "inspection").pk, user=clerks["greffe"])
    assert step_states(case_svg(case))["inspection"] == "ready"


def test_a_step_past_its_deadline_is_overdue(case, clerks):
    advance_until(case, "licence", clerks)
    licence = task_of(case, "licence")
    Task.objects.filter(pk=licence.pk).update(due_at=timezone.now() - timedelta(minutes=1))

    assert step_states(case_svg(case))["licence"] == "overdue"
    assert step_states(case_svg(case))["hygiene"] == "ready"


def test_a_returned_step_and_a_stopped_case_are_drawn_as_such(case, clerks, applicant):
    claim_and_return(case, "intake", clerks["guichet"], "Pièce manquante")
    assert step_states(case_svg(case))["intake"] == "returned"

    engine.cancel_case(case_id=case.pk, actor=applicant)

    assert set(step_states(case_svg(case)).values()) == {"stopped"}
    assert "arrêté" in str(case_svg(case))


def test_a_step_that_does_not_apply_is_drawn_skipped(standard_case):
    svg = str(case_svg(standard_case))

    assert step_states(svg)["hygiene"] == "skipped"
    assert step_states(svg)["licence"] == "waiting"
    assert re.search(r'data-step="hygiene"[^>]*>[^<]*<rect[^>]*stroke-dasharray', svg)
    assert not re.search(r'data-step="licence"[^>]*>[^<]*<rect[^>]*stroke-dasharray', svg)
    assert "sans objet" in svg


def test_the_diagram_labels_each_state_in_french(case, clerks):
    claim_and_approve(case, "intake", clerks["guichet"])
    svg = str(case_svg(case))
    assert "Réception de la demande" in svg
    assert "terminé" in svg
    assert "en cours" in svg
    assert "en attente" in svg
    assert '<title id="case-diagram-title">Étapes du dossier</title>' in svg


def test_every_prerequisite_is_drawn_as_an_arrow(case):
    svg = str(case_svg(case))
    arrows = sum(len(step.get("after", [])) for step in case.definition.spec["steps"])
    assert svg.count('marker-end="url(#arrow)"') == arrows == 5


def test_steps_are_laid_out_in_rows_by_depth(case):
    root = ET.fromstring(str(case_svg(case)))
    top = {g.get("data-step"): float(g.find("rect").get("y"))
           for g in root.iter("g") if g.get("data-step")}
    assert top["intake"] < top["inspection"] < top["licence"] < top["signature"]
    assert top["licence"] == top["hygiene"]  # the two parallel desks side by side


def test_a_long_title_is_cut_to_two_lines(permit):
    publish({
        "code": "toy_long_title",
        "title": "Titre long",
        "steps": [{"id": "only", "desk": "guichet",
                   "title": "Une étape dont l'intitulé est beaucoup trop long pour tenir "
                            "dans une seule boîte du schéma"}],
    })
    svg = str(case_svg(start(permit, code="toy_long_title")))
    lines = [html.unescape(line)
             for line in re.findall(r'font-weight="600">([^<]*)</text>', svg)]
    assert len(lines) == 2
    assert lines[1].endswith("…")
    assert all(len(line) <= 28 for line in lines)


def test_titles_from_the_definition_are_escaped(permit):
    publish({
        "code": "toy_escaping",
        "title": "<b>Procédure</b>",
        "steps": [
            {"id": "intake", "title": '<b>Contrôle</b> & "co"', "desk": "guichet"},
            {"id": "close", "title": "<script>alert(1)</script>", "desk": "greffier",
             "after": ["intake"]},
        ],
    })
    case = start(permit, code="toy_escaping")

    svg = str(case_svg(case))

    assert "<b>" not in svg
    assert "<script>" not in svg
    assert "&lt;b&gt;Contrôle&lt;/b&gt; &amp; &quot;co&quot;" in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert step_states(svg) == {"intake": "ready", "close": "waiting"}


def test_the_diagram_can_draw_from_tasks_already_loaded(case, django_assert_num_queries):
    tasks = list(case.tasks.all())
    definition = case.definition  # loaded with the case
    assert definition.spec
    with django_assert_num_queries(0):
        svg = case_svg(case, tasks)
    assert step_states(svg)["intake"] == "ready"


def test_display_state_of_a_missing_task_is_skipped():
    assert display_state(None) == "skipped"


def test_a_standard_and_a_food_permit_draw_the_same_steps(case, standard_case):
    assert set(step_states(case_svg(case))) == set(step_states(case_svg(standard_case)))
    assert standard_case.subject.category == Category.STANDARD
