"""The company procedure drawn: every prerequisite of the shipped definition, and the
social security step an individual trader (EI) skips."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from registry.models import Application
from tests.fees import submit_and_pay
from workflows.diagrams import case_svg

from .helpers import case_of


def step_states(svg) -> dict[str, str]:
    """data-step -> data-state, read from the SVG."""
    root = ET.fromstring(str(svg))  # also proves the SVG is well-formed
    return {g.get("data-step"): g.get("data-state") for g in root.iter("g")
            if g.get("data-step")}


@pytest.fixture
def case(submitted):
    return case_of(submitted)


def test_an_ei_social_security_step_is_drawn_skipped(draft, entrepreneur):
    Application.objects.filter(pk=draft.pk).update(legal_form="EI")
    submit_and_pay(application_id=draft.pk, user=entrepreneur)
    svg = str(case_svg(case_of(draft)))

    assert step_states(svg)["social_security"] == "skipped"
    assert step_states(svg)["tax"] == "waiting"
    assert re.search(r'data-step="social_security"[^>]*>[^<]*<rect[^>]*stroke-dasharray', svg)
    assert "sans objet" in svg


def test_every_prerequisite_is_drawn_as_an_arrow(case):
    svg = str(case_svg(case))
    arrows = sum(len(step.get("after", [])) for step in case.definition.spec["steps"])
    assert svg.count('marker-end="url(#arrow)"') == arrows == 8


