"""The back office on filings: the filing shown to the desks, the NIF typed at the tax desk,
the filing's sections offered for correction, and the diagram on the applicant's page."""

from __future__ import annotations

import pytest

from registry.models import ApplicationState
from workflows.models import CaseState, Desk, TaskState

from ...workflows.helpers import QUEUE_URL, last_message, login, messages_of, task_url
from .helpers import (
    advance_until,
    case_of,
    claim_and_approve,
    task_of,
)


@pytest.fixture
def case(submitted):
    return case_of(submitted)


@pytest.fixture
def intake(case):
    return task_of(case, "intake")


# --- what each desk sees ------------------------------------------------------------------


def test_the_next_desk_sees_the_task_once_the_previous_one_approved(client, clerks, case):
    claim_and_approve(case, "intake", clerks["guichet"])

    response = login(client, clerks["greffe"]).get(QUEUE_URL)
    assert [task.step_id for task in response.context["tasks"]] == ["registry"]
    response = login(client, clerks["guichet"]).get(QUEUE_URL)
    assert list(response.context["tasks"]) == []


def test_the_task_page_shows_the_filing_and_offers_to_claim(client, clerks, submitted, intake):
    Desk.objects.filter(code="guichet").update(decide_without_claim=False)  # claim first
    response = login(client, clerks["guichet"]).get(task_url(intake))
    assert response.status_code == 200
    assert response.context["can_claim"] is True
    assert response.context["can_decide"] is False
    body = response.content.decode()
    assert submitted.reference in body
    assert task_url(intake, "claim") in body


# --- deciding through the views -----------------------------------------------------------


def test_returning_with_comment_through_the_view_asks_for_correction(
    client, clerks, submitted, case, intake
):
    login(client, clerks["guichet"])
    client.post(task_url(intake, "claim"))

    response = client.post(task_url(intake, "return"),
                           {"confirm": "1", "comment": "Joindre les statuts",
                                                        "correction_fields": ["documents"]})

    assert response.url == QUEUE_URL
    assert ("success", "Dossier renvoyé au demandeur pour correction.") in messages_of(response)
    submitted.refresh_from_db()
    case.refresh_from_db()
    assert submitted.state == ApplicationState.CORRECTION_REQUESTED
    assert submitted.correction_message == "Joindre les statuts"
    assert case.state == CaseState.SUSPENDED


def test_rejecting_through_the_view_rejects_the_filing(client, clerks, submitted, case, intake):
    login(client, clerks["guichet"])
    client.post(task_url(intake, "claim"))

    response = client.post(task_url(intake, "reject"),
                           {"confirm": "1", "comment": "Objet illicite"})

    assert ("success", "Dossier rejeté.") in messages_of(response)
    submitted.refresh_from_db()
    case.refresh_from_db()
    assert submitted.state == ApplicationState.REJECTED
    assert submitted.decision_reason == "Objet illicite"
    assert case.state == CaseState.REJECTED


# --- desk fields, corrections and the diagram ----------------------------------------------


@pytest.fixture
def tax(case, clerks):
    advance_until(case, "tax", clerks)
    return task_of(case, "tax")


def test_the_tax_task_page_asks_for_the_nif_and_offers_correction_checkboxes(
    client, clerks, tax
):
    login(client, clerks["impots"])
    page = client.get(task_url(tax))
    assert page.context["can_decide"] is False
    assert 'name="data_nif"' not in page.content.decode()  # not before claiming

    client.post(task_url(tax, "claim"))
    page = client.get(task_url(tax))

    assert page.context["can_decide"] is True
    body = page.content.decode()
    assert 'name="data_nif"' in body
    assert "Numéro d&#x27;identification fiscale (NIF)" in body
    for section in ("names", "activity", "office", "capital", "people", "documents"):
        assert f'type="checkbox" name="correction_fields" value="{section}"' in body
    assert 'name="correction_fields" value="form"' not in body
    assert "Pièces justificatives" in body
    assert "Éléments que le demandeur doit corriger" in body


def test_approving_tax_through_the_view_stores_the_nif_without_spaces(
    client, clerks, submitted, case, tax
):
    login(client, clerks["impots"])
    client.post(task_url(tax, "claim"))

    response = client.post(task_url(tax, "approve"),
                           {"confirm": "1", "comment": "", "data_nif": "1000 428 517"})

    assert response.url == QUEUE_URL
    tax.refresh_from_db()
    submitted.refresh_from_db()
    assert tax.state == TaskState.APPROVED
    assert tax.data == {"nif": "1000428517"}
    assert submitted.nif == "1000428517"


def test_approving_tax_through_the_view_without_nif_shows_the_field_in_error(
    client, clerks, submitted, tax
):
    login(client, clerks["impots"])
    client.post(task_url(tax, "claim"))

    response = client.post(task_url(tax, "approve"),
                           {"confirm": "1", "comment": "", "data_nif": ""})

    assert response.url == task_url(tax)
    assert last_message(response) == (
        "error", "Le champ « Numéro d'identification fiscale (NIF) » est obligatoire.")
    tax.refresh_from_db()
    submitted.refresh_from_db()
    assert tax.state == TaskState.CLAIMED
    assert submitted.nif == ""


def test_returning_through_the_view_with_checked_fields_opens_only_those(
    client, clerks, submitted, case, intake
):
    login(client, clerks["guichet"])
    client.post(task_url(intake, "claim"))

    client.post(task_url(intake, "return"), {
        "confirm": "1",
        "comment": "Numéro de CNI illisible",
        "correction_fields": ["people", "documents"],
    })

    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.CORRECTION_REQUESTED
    assert submitted.correction_fields == ["documents", "people"]


def test_the_applicants_status_page_shows_the_case_diagram(client, entrepreneur, clerks,
                                                           submitted, case):
    claim_and_approve(case, "intake", clerks["guichet"])
    client.force_login(entrepreneur)

    response = client.get(f"/dossiers/{submitted.reference}/")

    assert response.status_code == 200
    body = response.content.decode()
    assert '<svg viewBox="' in body
    assert 'class="case-diagram"' in body
    assert 'data-step="intake" data-state="done"' in body
    assert 'data-step="registry" data-state="ready"' in body
    assert 'data-step="social_security" data-state="waiting"' in body


def test_a_draft_status_page_has_no_diagram(client, entrepreneur, draft):
    client.force_login(entrepreneur)
    body = client.get(f"/dossiers/{draft.reference}/").content.decode()
    assert "<svg" not in body
