"""A desk's policy `decide_without_claim` (desks.yaml): a member approves, returns or
rejects a ready manual task at once, the claim being taken in the decision's transaction.
On the toy procedure: intake is at the guichet (policy on), licence at the impots desk
(policy off)."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from workflows import procedures
from workflows import services as engine
from workflows.definitions import sync_desks
from workflows.models import AuditEvent, CaseState, Desk, TaskState

from .helpers import (
    advance_until,
    event_count,
    make_permit,
    run_on_commit,
    start,
    states,
    task_of,
)
from .toy.apps import TOY_PROCEDURE


def task_events(task) -> list[str]:
    return list(AuditEvent.objects.filter(object_type="workflows.task", object_id=task.pk)
                .order_by("pk").values_list("action", flat=True))


@pytest.fixture
def intake(case):
    return task_of(case, "intake")


def test_the_desks_file_sets_the_policy_on_the_guichet_only(db):
    sync_desks()
    policies = dict(Desk.objects.values_list("code", "decide_without_claim"))
    assert policies == {"guichet": True, "greffe": False, "impots": False, "cnss": False,
                        "greffier": False, "caisse": False}


# --- the engine ------------------------------------------------------------------------------


def test_a_ready_task_is_approved_at_once_with_both_events(case, clerks, intake):
    clerk = clerks["guichet"]
    with run_on_commit():
        engine.approve_task(task_id=intake.pk, user=clerk, comment="Complet.")
    intake.refresh_from_db()
    assert intake.state == TaskState.APPROVED
    assert intake.assignee == clerk
    assert intake.comment == "Complet."
    assert task_events(intake)[-2:] == ["claim", "approve"]
    claim, approve = AuditEvent.objects.filter(
        object_type="workflows.task", object_id=intake.pk).order_by("-pk")[:2][::-1]
    assert (claim.from_state, claim.to_state, claim.actor) == ("ready", "claimed", clerk)
    assert (approve.from_state, approve.to_state, approve.actor) == ("claimed", "approved",
                                                                     clerk)
    assert states(case)["inspection"] != TaskState.WAITING  # the case moved on


def test_a_ready_task_is_returned_at_once(case, clerks, intake):
    engine.return_task(task_id=intake.pk, user=clerks["guichet"], comment="Pièce manquante.",
                       fields=["premises"])
    intake.refresh_from_db()
    case.refresh_from_db()
    assert intake.state == TaskState.RETURNED
    assert intake.assignee == clerks["guichet"]
    assert case.state == CaseState.SUSPENDED
    assert task_events(intake)[-2:] == ["claim", "return"]


def test_a_ready_task_is_rejected_at_once(case, clerks, intake):
    engine.reject_task(task_id=intake.pk, user=clerks["guichet"], comment="Hors champ.")
    intake.refresh_from_db()
    case.refresh_from_db()
    assert intake.state == TaskState.REJECTED
    assert case.state == CaseState.REJECTED
    assert task_events(intake)[-2:] == ["claim", "reject"]


def test_a_failing_handler_leaves_the_task_ready_and_no_event(case, clerks, intake,
                                                             monkeypatch):
    def crash(**kwargs):
        raise RuntimeError("handler down")

    monkeypatch.setitem(procedures.get(TOY_PROCEDURE).handlers, "step_approved", crash)
    before = event_count()
    with pytest.raises(RuntimeError):
        engine.approve_task(task_id=intake.pk, user=clerks["guichet"])
    intake.refresh_from_db()
    assert intake.state == TaskState.READY
    assert intake.assignee is None
    assert intake.decided_at is None
    assert event_count() == before


def test_a_refused_decision_does_not_claim_either(case, clerks, intake):
    before = event_count()
    with pytest.raises(engine.WorkflowError, match="Motivez le rejet"):
        engine.reject_task(task_id=intake.pk, user=clerks["guichet"], comment=" ")
    intake.refresh_from_db()
    assert intake.state == TaskState.READY and intake.assignee is None
    assert event_count() == before


def test_a_desk_without_the_policy_still_needs_a_claim(case, clerks):
    advance_until(case, "licence", clerks)
    licence = task_of(case, "licence")
    assert licence.state == TaskState.READY
    before = event_count()
    with pytest.raises(engine.WorkflowError,
                       match=re.escape("Cette tâche a déjà été traitée : votre décision "
                                       "n'a pas été enregistrée.")):
        engine.approve_task(task_id=licence.pk, user=clerks["impots"],
                            data={"licence_number": "20260042"})
    with pytest.raises(engine.WorkflowError, match=r"^Cette tâche a déjà été traitée\.$"):
        engine.reject_task(task_id=licence.pk, user=clerks["impots"], comment="Non.")
    licence.refresh_from_db()
    assert licence.state == TaskState.READY
    assert event_count() == before


def test_the_guichet_with_the_policy_turned_off_needs_a_claim(case, clerks, intake):
    Desk.objects.filter(code="guichet").update(decide_without_claim=False)
    with pytest.raises(engine.WorkflowError, match="déjà été traitée"):
        engine.approve_task(task_id=intake.pk, user=clerks["guichet"])
    intake.refresh_from_db()
    assert intake.state == TaskState.READY


def test_a_clerk_never_decides_on_their_own_filing(clerks):
    clerk = clerks["guichet"]
    case = start(make_permit("Ama Doe"), actor=clerk)
    intake = task_of(case, "intake")
    before = event_count()
    with pytest.raises(engine.WorkflowError, match="Vous avez vous-même déposé ce dossier"):
        engine.approve_task(task_id=intake.pk, user=clerk)
    intake.refresh_from_db()
    assert intake.state == TaskState.READY
    assert event_count() == before


def test_an_away_clerk_cannot_decide_at_once(case, clerks, intake):
    clerk = clerks["guichet"]
    clerk.away_since = timezone.now()
    clerk.save(update_fields=["away_since"])
    with pytest.raises(engine.WorkflowError, match="Vous êtes marqué absent"):
        engine.approve_task(task_id=intake.pk, user=clerk)
    intake.refresh_from_db()
    assert intake.state == TaskState.READY


def test_someone_outside_the_desk_cannot_decide_at_once(case, clerks, intake):
    with pytest.raises(engine.WorkflowError, match="Vous n'appartenez pas au guichet"):
        engine.approve_task(task_id=intake.pk, user=clerks["impots"])
    intake.refresh_from_db()
    assert intake.state == TaskState.READY


def test_a_task_claimed_by_a_colleague_stays_theirs(case, clerks, colleague, intake):
    engine.claim_task(task_id=intake.pk, user=colleague)
    with pytest.raises(engine.WorkflowError, match="Seul l'agent qui a pris la tâche"):
        engine.approve_task(task_id=intake.pk, user=clerks["guichet"])
    intake.refresh_from_db()
    assert intake.state == TaskState.CLAIMED and intake.assignee == colleague


# --- the views -------------------------------------------------------------------------------


def url(task, action: str | None = None) -> str:
    if action:
        return reverse("workflows:task_action", args=[task.pk, action])
    return reverse("workflows:task", args=[task.pk])


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_task_page_offers_the_decision_on_a_ready_task(case, clerks, intake):
    response = client_of(clerks["guichet"]).get(url(intake))
    assert response.context["can_decide"] is True
    body = response.content.decode()
    assert url(intake, "approve") in body and url(intake, "reject") in body
    assert url(intake, "release") not in body  # nothing to release: nobody holds it


def test_the_task_page_of_a_desk_without_the_policy_offers_a_claim(case, clerks):
    advance_until(case, "licence", clerks)
    licence = task_of(case, "licence")
    response = client_of(clerks["impots"]).get(url(licence))
    assert response.context["can_decide"] is False
    assert url(licence, "approve") not in response.content.decode()


def test_the_view_confirms_then_decides_on_a_ready_task(case, clerks, intake):
    client = client_of(clerks["guichet"])
    page = client.post(url(intake, "approve"), {"comment": "Complet."})
    assert page.status_code == 200  # the confirmation: nothing changed yet
    intake.refresh_from_db()
    assert intake.state == TaskState.READY

    with run_on_commit():
        response = client.post(url(intake, "approve"), {"comment": "Complet.", "confirm": "1"})

    assert response.status_code == 302
    assert response.url == reverse("workflows:queue")
    intake.refresh_from_db()
    assert intake.state == TaskState.APPROVED
    assert intake.assignee == clerks["guichet"]
    assert task_events(intake)[-2:] == ["claim", "approve"]


def test_the_view_rejects_a_ready_task_with_confirm(case, clerks, intake):
    response = client_of(clerks["guichet"]).post(
        url(intake, "reject"), {"comment": "Hors champ.", "confirm": "1"})
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.state == TaskState.REJECTED


def test_the_view_refuses_an_away_clerk(case, clerks, intake):
    clerk = clerks["guichet"]
    clerk.away_since = timezone.now()
    clerk.save(update_fields=["away_since"])
    client = client_of(clerk)
    assert client.get(url(intake)).context["can_decide"] is False
    response = client.post(url(intake, "approve"), {"comment": "", "confirm": "1"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Vous êtes marqué absent : signalez votre retour avant de prendre une tâche."]
    intake.refresh_from_db()
    assert intake.state == TaskState.READY


def test_the_view_on_a_desk_without_the_policy_refuses_with_the_usual_message(case, clerks):
    advance_until(case, "licence", clerks)
    licence = task_of(case, "licence")
    response = client_of(clerks["impots"]).post(
        url(licence, "approve"), {"comment": "", "data_licence_number": "20260042"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Seul l'agent qui a pris la tâche en charge peut la traiter."]
    licence.refresh_from_db()
    assert licence.state == TaskState.READY
