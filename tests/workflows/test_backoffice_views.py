"""The back office under /guichet/: who gets in, what each desk sees, deciding through views."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from registry.models import ApplicationState
from workflows.models import AuditEvent, CaseState, TaskState

from .helpers import (
    advance_until,
    case_of,
    claim_and_approve,
    event_count,
    run_on_commit,
    states,
    task_of,
)

QUEUE_URL = "/guichet/"


def task_url(task, action: str | None = None) -> str:
    if action:
        return reverse("workflows:task_action", kwargs={"task_id": task.pk, "action": action})
    return reverse("workflows:task", kwargs={"task_id": task.pk})


def messages_of(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def last_message(response) -> tuple[str, str]:
    """The message this response added (earlier unread ones may still be queued)."""
    return messages_of(response)[-1]


@pytest.fixture
def case(submitted):
    return case_of(submitted)


@pytest.fixture
def intake(case):
    return task_of(case, "intake")


def login(client, user):
    client.force_login(user)
    return client


# --- who gets in --------------------------------------------------------------------------


def test_the_back_office_urls_live_under_guichet():
    assert reverse("workflows:queue") == QUEUE_URL


def test_it_redirects_an_anonymous_visitor_to_login(client, intake):
    for url in (QUEUE_URL, task_url(intake)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
        assert "next=" in response.url


def test_it_redirects_an_anonymous_post_to_login_and_changes_nothing(client, intake):
    response = client.post(task_url(intake, "claim"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    intake.refresh_from_db()
    assert intake.state == TaskState.READY


def test_it_forbids_an_entrepreneur_without_desk(client, entrepreneur, intake):
    login(client, entrepreneur)
    assert client.get(QUEUE_URL).status_code == 403
    assert client.get(task_url(intake)).status_code == 403
    assert client.post(task_url(intake, "claim")).status_code == 403
    intake.refresh_from_db()
    assert intake.state == TaskState.READY
    assert intake.assignee is None


def test_it_sends_a_desk_member_without_totp_to_mfa_activation(client, make_user, intake):
    clerk = make_user("nouveau@cfe.example.tg", desk="guichet", mfa=False)
    login(client, clerk)

    response = client.get(QUEUE_URL)
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    assert any("double authentification" in text for _level, text in messages_of(response))

    response = client.post(task_url(intake, "claim"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    intake.refresh_from_db()
    assert intake.state == TaskState.READY


def test_it_lets_a_desk_member_without_totp_in_when_mfa_is_not_required(
    client, make_user, settings, intake
):
    settings.STAFF_MFA_REQUIRED = False
    clerk = make_user("nouveau@cfe.example.tg", desk="guichet", mfa=False)
    login(client, clerk)
    response = client.get(QUEUE_URL)
    assert response.status_code == 200
    assert [task.pk for task in response.context["tasks"]] == [intake.pk]


# --- what each desk sees ------------------------------------------------------------------


def test_the_queue_shows_only_the_desks_own_ready_tasks(client, clerks, case, intake):
    response = login(client, clerks["guichet"]).get(QUEUE_URL)
    assert response.status_code == 200
    assert [task.pk for task in response.context["tasks"]] == [intake.pk]
    assert intake.title in response.content.decode()

    response = login(client, clerks["greffe"]).get(QUEUE_URL)
    assert response.status_code == 200
    assert list(response.context["tasks"]) == []
    assert "Aucune tâche à traiter" in response.content.decode()


def test_the_next_desk_sees_the_task_once_the_previous_one_approved(client, clerks, case):
    claim_and_approve(case, "intake", clerks["guichet"])

    response = login(client, clerks["greffe"]).get(QUEUE_URL)
    assert [task.step_id for task in response.context["tasks"]] == ["registry"]
    response = login(client, clerks["guichet"]).get(QUEUE_URL)
    assert list(response.context["tasks"]) == []


def test_a_task_claimed_by_a_colleague_leaves_the_queue(client, clerks, make_user, intake):
    colleague = make_user("afi@cfe.example.tg", desk="guichet")
    login(client, clerks["guichet"]).post(task_url(intake, "claim"))

    response = login(client, colleague).get(QUEUE_URL)
    assert list(response.context["tasks"]) == []
    response = login(client, clerks["guichet"]).get(QUEUE_URL)
    assert [task.pk for task in response.context["tasks"]] == [intake.pk]


def test_filtering_the_queue_on_a_desk_the_user_is_not_in_gives_404(client, clerks, case):
    login(client, clerks["guichet"])
    assert client.get(QUEUE_URL, {"guichet": "greffe"}).status_code == 404
    assert client.get(QUEUE_URL, {"guichet": "guichet"}).status_code == 200


def test_another_desks_task_gives_404(client, clerks, intake):
    login(client, clerks["greffe"])
    assert client.get(task_url(intake)).status_code == 404


def test_posting_on_another_desks_task_gives_404_and_changes_nothing(client, clerks, intake):
    login(client, clerks["greffe"])
    assert client.post(task_url(intake, "claim")).status_code == 404
    intake.refresh_from_db()
    assert intake.state == TaskState.READY
    assert intake.assignee is None


def test_the_task_page_shows_the_filing_and_offers_to_claim(client, clerks, submitted, intake):
    response = login(client, clerks["guichet"]).get(task_url(intake))
    assert response.status_code == 200
    assert response.context["can_claim"] is True
    assert response.context["can_decide"] is False
    body = response.content.decode()
    assert submitted.reference in body
    assert task_url(intake, "claim") in body


def test_an_unknown_action_gives_404(client, clerks, intake):
    login(client, clerks["guichet"])
    assert client.post(task_url(intake, "delete")).status_code == 404
    intake.refresh_from_db()
    assert intake.state == TaskState.READY


def test_actions_refuse_get(client, clerks, intake):
    login(client, clerks["guichet"])
    assert client.get(task_url(intake, "claim")).status_code == 405
    intake.refresh_from_db()
    assert intake.state == TaskState.READY


# --- deciding through the views -----------------------------------------------------------


def test_claim_then_approve_through_the_views(client, clerks, case, intake):
    login(client, clerks["guichet"])

    response = client.post(task_url(intake, "claim"))
    assert response.status_code == 302
    assert response.url == task_url(intake)
    assert ("success", "Tâche prise en charge.") in messages_of(response)
    intake.refresh_from_db()
    assert intake.state == TaskState.CLAIMED
    assert intake.assignee == clerks["guichet"]

    page = client.get(task_url(intake))
    assert page.context["can_decide"] is True

    with run_on_commit():  # the automatic checks run once the decision is committed
        response = client.post(task_url(intake, "approve"), {"comment": "Dossier complet"})
    assert response.status_code == 302
    assert response.url == QUEUE_URL
    assert ("success", "Décision enregistrée : étape approuvée.") in messages_of(response)

    intake.refresh_from_db()
    assert intake.state == TaskState.APPROVED
    assert intake.comment == "Dossier complet"
    assert states(case)["registry"] == TaskState.READY
    assert (
        AuditEvent.objects.filter(
            object_type="workflows.task",
            object_id=str(intake.pk),
            action="approve",
            actor=clerks["guichet"],
        ).count()
        == 1
    )


def test_the_success_message_is_shown_in_french_on_the_next_page(client, clerks, intake):
    login(client, clerks["guichet"])
    client.post(task_url(intake, "claim"))
    response = client.post(task_url(intake, "approve"), {"comment": ""}, follow=True)
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    assert "Décision enregistrée : étape approuvée." in response.content.decode()


def test_a_second_clerk_approving_a_decided_task_gets_an_error_and_nothing_changes(
    client, clerks, make_user, case, intake
):
    colleague = make_user("afi@cfe.example.tg", desk="guichet")
    claim_and_approve(case, "intake", clerks["guichet"], comment="OK")
    intake.refresh_from_db()
    decided_at = intake.decided_at
    before = event_count()

    response = login(client, colleague).post(task_url(intake, "approve"), {"comment": "moi aussi"})

    assert response.status_code == 302
    assert response.url == task_url(intake)
    assert messages_of(response) == [
        ("error", "Cette tâche a déjà été traitée : votre décision n'a pas été enregistrée.")
    ]
    intake.refresh_from_db()
    assert intake.state == TaskState.APPROVED
    assert intake.assignee == clerks["guichet"]
    assert intake.comment == "OK"
    assert intake.decided_at == decided_at
    assert states(case)["registry"] == TaskState.READY
    assert event_count() == before


def test_a_colleague_cannot_approve_a_task_claimed_by_someone_else(
    client, clerks, make_user, intake
):
    colleague = make_user("afi@cfe.example.tg", desk="guichet")
    login(client, clerks["guichet"]).post(task_url(intake, "claim"))

    response = login(client, colleague).post(task_url(intake, "approve"), {"comment": ""})

    assert last_message(response) == (
        "error",
        "Seul l'agent qui a pris la tâche en charge peut la traiter.",
    )
    intake.refresh_from_db()
    assert intake.state == TaskState.CLAIMED
    assert intake.assignee == clerks["guichet"]


def test_returning_without_comment_through_the_view_is_refused(client, clerks, case, intake):
    login(client, clerks["guichet"])
    client.post(task_url(intake, "claim"))

    response = client.post(task_url(intake, "return"), {"comment": "  "})

    assert last_message(response) == ("error", "Indiquez au demandeur ce qu'il doit corriger.")
    intake.refresh_from_db()
    case.refresh_from_db()
    assert intake.state == TaskState.CLAIMED
    assert case.state == CaseState.RUNNING


def test_returning_with_comment_through_the_view_asks_for_correction(
    client, clerks, submitted, case, intake
):
    login(client, clerks["guichet"])
    client.post(task_url(intake, "claim"))

    response = client.post(task_url(intake, "return"), {"comment": "Joindre les statuts",
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

    response = client.post(task_url(intake, "reject"), {"comment": "Objet illicite"})

    assert ("success", "Dossier rejeté.") in messages_of(response)
    submitted.refresh_from_db()
    case.refresh_from_db()
    assert submitted.state == ApplicationState.REJECTED
    assert submitted.decision_reason == "Objet illicite"
    assert case.state == CaseState.REJECTED


def test_an_overlong_comment_is_refused_before_any_decision(client, clerks, intake):
    login(client, clerks["guichet"])
    client.post(task_url(intake, "claim"))

    response = client.post(task_url(intake, "approve"), {"comment": "x" * 4001})

    level, text = last_message(response)
    assert level == "error"
    assert text.startswith("Décision non enregistrée")
    assert "4000" in text
    intake.refresh_from_db()
    assert intake.state == TaskState.CLAIMED


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


def test_the_intake_task_page_asks_for_no_desk_field(client, clerks, intake):
    login(client, clerks["guichet"])
    client.post(task_url(intake, "claim"))
    body = client.get(task_url(intake)).content.decode()
    assert 'name="data_' not in body
    assert 'name="correction_fields"' in body


def test_approving_tax_through_the_view_stores_the_nif_without_spaces(
    client, clerks, submitted, case, tax
):
    login(client, clerks["impots"])
    client.post(task_url(tax, "claim"))

    response = client.post(task_url(tax, "approve"), {"comment": "", "data_nif": "1000 428 517"})

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

    response = client.post(task_url(tax, "approve"), {"comment": "", "data_nif": ""})

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
        "comment": "Numéro de CNI illisible",
        "correction_fields": ["people", "documents"],
    })

    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.CORRECTION_REQUESTED
    assert submitted.correction_fields == ["documents", "people"]


def test_returning_through_the_view_with_an_unknown_field_is_refused(
    client, clerks, submitted, intake
):
    login(client, clerks["guichet"])
    client.post(task_url(intake, "claim"))

    response = client.post(task_url(intake, "return"), {
        "comment": "À corriger", "correction_fields": ["people", "company-rccm_number"],
    })

    level, text = last_message(response)
    assert level == "error"
    assert text.startswith("Décision non enregistrée")
    intake.refresh_from_db()
    submitted.refresh_from_db()
    assert intake.state == TaskState.CLAIMED
    assert submitted.state == ApplicationState.IN_REVIEW


def test_the_task_page_shows_the_case_diagram(client, clerks, intake):
    body = login(client, clerks["guichet"]).get(task_url(intake)).content.decode()
    assert '<svg viewBox="' in body
    assert 'data-step="intake" data-state="ready"' in body


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
