"""The back office under /guichet/ with a toy task: who gets in, what each desk sees, the
task page showing the subject through its own template, and deciding through the views."""

from __future__ import annotations

import pytest
from django.urls import reverse

from workflows.models import AuditEvent, CaseState, Desk, DeskMembership, TaskState

from .helpers import (
    QUEUE_URL,
    advance_until,
    claim_and_approve,
    event_count,
    last_message,
    login,
    make_permit,
    messages_of,
    run_on_commit,
    start,
    states,
    task_of,
    task_url,
)
from .toy.models import Permit


@pytest.fixture
def intake(case):
    return task_of(case, "intake")


# --- who gets in --------------------------------------------------------------------------


def test_the_back_office_urls_live_under_guichet():
    assert reverse("workflows:queue") == QUEUE_URL
    assert reverse("workflows:dashboard") == "/guichet/tableau-de-bord/"


def test_it_redirects_an_anonymous_visitor_to_login(client, intake):
    for url in (QUEUE_URL, task_url(intake), reverse("workflows:dashboard")):
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


def test_it_forbids_a_user_without_desk(client, applicant, intake):
    login(client, applicant)
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
    body = response.content.decode()
    assert intake.title in body
    assert "Permis Kossi Agbeko" in body  # the subject, as it names itself

    response = login(client, clerks["impots"]).get(QUEUE_URL)
    assert response.status_code == 200
    assert list(response.context["tasks"]) == []
    assert "Aucune tâche à traiter" in response.content.decode()


def test_the_next_desks_see_their_tasks_once_intake_and_inspection_are_done(client, clerks,
                                                                             case):
    claim_and_approve(case, "intake", clerks["guichet"])

    response = login(client, clerks["impots"]).get(QUEUE_URL)
    assert [task.step_id for task in response.context["tasks"]] == ["licence"]
    response = login(client, clerks["cnss"]).get(QUEUE_URL)
    assert [task.step_id for task in response.context["tasks"]] == ["hygiene"]
    for desk in ("guichet", "greffe", "greffier"):
        response = login(client, clerks[desk]).get(QUEUE_URL)
        assert list(response.context["tasks"]) == [], desk


def test_an_automatic_check_that_passed_never_shows_in_a_queue(client, clerks, case):
    claim_and_approve(case, "intake", clerks["guichet"], on_commit=False)  # inspection ready
    response = login(client, clerks["greffe"]).get(QUEUE_URL)
    assert list(response.context["tasks"]) == []


def test_a_task_claimed_by_a_colleague_leaves_the_queue(client, clerks, colleague, intake):
    login(client, clerks["guichet"]).post(task_url(intake, "claim"))

    response = login(client, colleague).get(QUEUE_URL)
    assert list(response.context["tasks"]) == []
    response = login(client, clerks["guichet"]).get(QUEUE_URL)
    assert [task.pk for task in response.context["tasks"]] == [intake.pk]


def test_filtering_the_queue_on_a_desk_the_user_is_not_in_gives_404(client, clerks, case):
    login(client, clerks["guichet"])
    assert client.get(QUEUE_URL, {"guichet": "greffe"}).status_code == 404
    assert client.get(QUEUE_URL, {"guichet": "nowhere"}).status_code == 404
    assert client.get(QUEUE_URL, {"guichet": "guichet"}).status_code == 200


def test_a_member_of_two_desks_filters_the_queue_by_desk(client, clerks, case):
    clerk = clerks["impots"]
    DeskMembership.objects.create(user=clerk, desk=Desk.objects.get(code="cnss"))
    claim_and_approve(case, "intake", clerks["guichet"])
    login(client, clerk)

    everything = client.get(QUEUE_URL)
    assert sorted(task.step_id for task in everything.context["tasks"]) == [
        "hygiene", "licence"]
    only_cnss = client.get(QUEUE_URL, {"guichet": "cnss"})
    assert [task.step_id for task in only_cnss.context["tasks"]] == ["hygiene"]
    assert only_cnss.context["current_desk"].code == "cnss"


def test_another_desks_task_gives_404(client, clerks, intake):
    login(client, clerks["greffe"])
    assert client.get(task_url(intake)).status_code == 404


def test_posting_on_another_desks_task_gives_404_and_changes_nothing(client, clerks, intake):
    login(client, clerks["greffe"])
    for action in ("claim", "approve", "reject"):
        assert client.post(task_url(intake, action), {"comment": "x"}).status_code == 404
    intake.refresh_from_db()
    assert intake.state == TaskState.READY
    assert intake.assignee is None


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


# --- the task page and the subject's own template -----------------------------------------


def test_the_task_page_includes_the_subjects_backoffice_template(client, clerks, permit,
                                                                  intake):
    response = login(client, clerks["guichet"]).get(task_url(intake))

    assert response.status_code == 200
    assert "toy/_permit.html" in [template.name for template in response.templates]
    assert response.context["subject"] == permit
    body = response.content.decode()
    assert '<section class="card toy-permit">' in body
    assert "<h2>Permis Kossi Agbeko</h2>" in body
    assert "Catégorie : Restauration" in body


def test_the_subject_template_shows_what_the_handlers_recorded(client, clerks, case, permit):
    advance_until(case, "signature", clerks)
    signature = task_of(case, "signature")

    body = login(client, clerks["greffier"]).get(task_url(signature)).content.decode()

    assert "Licence n° 20260042" in body


def test_the_task_page_offers_to_claim_before_deciding(client, clerks, intake):
    Desk.objects.filter(code="guichet").update(decide_without_claim=False)  # claim first
    response = login(client, clerks["guichet"]).get(task_url(intake))
    assert response.context["can_claim"] is True
    assert response.context["can_decide"] is False
    body = response.content.decode()
    assert task_url(intake, "claim") in body
    assert task_url(intake, "approve") not in body


def test_the_task_page_offers_the_subjects_correctable_sections(client, clerks, intake):
    login(client, clerks["guichet"])
    client.post(task_url(intake, "claim"))

    body = client.get(task_url(intake)).content.decode()

    for code, label in (("holder", "Titulaire"), ("premises", "Locaux"),
                        ("documents", "Pièces jointes")):
        assert f'type="checkbox" name="correction_fields" value="{code}"' in body
        assert label in body
    assert "Éléments que le demandeur doit corriger" in body
    assert 'name="data_' not in body  # intake asks for no desk field


def test_a_subject_with_nothing_correctable_gets_no_checkboxes(client, clerks, intake,
                                                               monkeypatch):
    monkeypatch.setattr(Permit, "correctable_sections", lambda self: [])
    login(client, clerks["guichet"])
    client.post(task_url(intake, "claim"))

    body = client.get(task_url(intake)).content.decode()

    assert 'name="correction_fields"' not in body
    response = client.post(task_url(intake, "return"),
                           {"confirm": "1", "comment": "Rappelez-nous."})
    assert ("success", "Dossier renvoyé au demandeur pour correction.") in messages_of(response)


def test_the_task_page_lists_the_cases_steps_with_what_desks_typed(client, clerks, case):
    advance_until(case, "signature", clerks)
    signature = task_of(case, "signature")

    response = login(client, clerks["greffier"]).get(task_url(signature))

    assert [task.step_id for task in response.context["case_tasks"]] == [
        "intake", "inspection", "licence", "hygiene", "signature"]
    body = response.content.decode()
    assert "Locaux conformes." in body  # the inspection's comment
    assert "20260042" in body


def test_the_task_page_shows_the_case_diagram(client, clerks, intake):
    body = login(client, clerks["guichet"]).get(task_url(intake)).content.decode()
    assert '<svg viewBox="' in body
    assert 'data-step="intake" data-state="ready"' in body
    assert 'data-step="hygiene" data-state="waiting"' in body


# --- deciding through the views -----------------------------------------------------------


def test_claim_then_approve_through_the_views(client, clerks, permit, case, intake):
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
    assert page.context["can_claim"] is False

    with run_on_commit():  # the inspection runs once the decision is committed
        response = client.post(task_url(intake, "approve"),
                               {"confirm": "1", "comment": "Dossier complet"})
    assert response.status_code == 302
    assert response.url == QUEUE_URL
    assert ("success", "Décision enregistrée : étape approuvée.") in messages_of(response)

    intake.refresh_from_db()
    permit.refresh_from_db()
    assert intake.state == TaskState.APPROVED
    assert intake.comment == "Dossier complet"
    assert states(case)["licence"] == TaskState.READY
    assert permit.approved_steps == ["intake", "inspection"]
    assert AuditEvent.objects.filter(object_type="workflows.task", object_id=str(intake.pk),
                                     action="approve", actor=clerks["guichet"]).count() == 1


def test_release_through_the_view_puts_the_task_back(client, clerks, intake):
    login(client, clerks["guichet"])
    client.post(task_url(intake, "claim"))

    response = client.post(task_url(intake, "release"))

    assert response.url == QUEUE_URL
    assert ("success", "Tâche remise dans la file du guichet.") in messages_of(response)
    intake.refresh_from_db()
    assert intake.state == TaskState.READY
    assert intake.assignee is None


def test_the_success_message_is_shown_in_french_on_the_next_page(client, clerks, intake):
    login(client, clerks["guichet"])
    client.post(task_url(intake, "claim"))
    response = client.post(task_url(intake, "approve"),
                           {"confirm": "1", "comment": ""}, follow=True)
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    assert "Décision enregistrée : étape approuvée." in response.content.decode()


def test_a_second_clerk_approving_a_decided_task_gets_an_error_and_nothing_changes(
    client, clerks, colleague, case, intake
):
    claim_and_approve(case, "intake", clerks["guichet"], comment="OK")
    intake.refresh_from_db()
    decided_at = intake.decided_at
    before = event_count()

    response = login(client, colleague).post(task_url(intake, "approve"),
                                             {"confirm": "1", "comment": "moi aussi"})

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
    assert states(case)["licence"] == TaskState.READY
    assert event_count() == before


def test_a_colleague_cannot_approve_a_task_claimed_by_someone_else(
    client, clerks, colleague, intake
):
    login(client, clerks["guichet"]).post(task_url(intake, "claim"))

    response = login(client, colleague).post(task_url(intake, "approve"),
                                             {"confirm": "1", "comment": ""})

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

    response = client.post(task_url(intake, "return"), {"confirm": "1", "comment": "  "})

    assert last_message(response) == ("error", "Indiquez au demandeur ce qu'il doit corriger.")
    intake.refresh_from_db()
    case.refresh_from_db()
    assert intake.state == TaskState.CLAIMED
    assert case.state == CaseState.RUNNING


def test_returning_through_the_view_with_checked_sections_hands_them_to_the_subject(
    client, clerks, permit, case, intake
):
    login(client, clerks["guichet"])
    client.post(task_url(intake, "claim"))

    response = client.post(task_url(intake, "return"), {
        "confirm": "1",
        "comment": "Plan des locaux illisible", "correction_fields": ["premises", "documents"],
    })

    assert response.url == QUEUE_URL
    assert ("success", "Dossier renvoyé au demandeur pour correction.") in messages_of(response)
    permit.refresh_from_db()
    case.refresh_from_db()
    assert permit.returned_sections == ["documents", "premises"]
    assert permit.return_comment == "Plan des locaux illisible"
    assert case.state == CaseState.SUSPENDED


def test_returning_through_the_view_without_a_checked_section_is_refused(
    client, clerks, permit, intake
):
    login(client, clerks["guichet"])
    client.post(task_url(intake, "claim"))

    response = client.post(task_url(intake, "return"), {"confirm": "1", "comment": "À corriger"})

    assert last_message(response) == (
        "error", "Cochez au moins un élément que le demandeur doit corriger.")
    intake.refresh_from_db()
    assert intake.state == TaskState.CLAIMED
    permit.refresh_from_db()
    assert permit.calls == []


def test_returning_through_the_view_with_an_unknown_section_is_refused(
    client, clerks, permit, intake
):
    login(client, clerks["guichet"])
    client.post(task_url(intake, "claim"))

    response = client.post(task_url(intake, "return"), {
        "confirm": "1",
        "comment": "À corriger", "correction_fields": ["premises", "licence_number"],
    })

    level, text = last_message(response)
    assert level == "error"
    assert text.startswith("Décision non enregistrée")
    intake.refresh_from_db()
    permit.refresh_from_db()
    assert intake.state == TaskState.CLAIMED
    assert permit.returned_sections == []


def test_rejecting_through_the_view_rejects_the_subject(client, clerks, permit, case, intake):
    login(client, clerks["guichet"])
    client.post(task_url(intake, "claim"))

    response = client.post(task_url(intake, "reject"),
                           {"confirm": "1", "comment": "Activité interdite"})

    assert ("success", "Dossier rejeté.") in messages_of(response)
    permit.refresh_from_db()
    case.refresh_from_db()
    assert permit.rejection_reason == "Activité interdite"
    assert case.state == CaseState.REJECTED


def test_an_overlong_comment_is_refused_before_any_decision(client, clerks, intake):
    login(client, clerks["guichet"])
    client.post(task_url(intake, "claim"))

    response = client.post(task_url(intake, "approve"), {"confirm": "1", "comment": "x" * 4001})

    level, text = last_message(response)
    assert level == "error"
    assert text.startswith("Décision non enregistrée")
    assert "4000" in text
    intake.refresh_from_db()
    assert intake.state == TaskState.CLAIMED


# --- desk fields through the views ----------------------------------------------------------


@pytest.fixture
def licence(case, clerks):
    advance_until(case, "licence", clerks)
    return task_of(case, "licence")


def test_the_licence_page_asks_for_its_fields_once_claimed(client, clerks, licence):
    login(client, clerks["impots"])
    page = client.get(task_url(licence))
    assert page.context["can_decide"] is False
    assert 'name="data_licence_number"' not in page.content.decode()  # not before claiming

    client.post(task_url(licence, "claim"))
    page = client.get(task_url(licence))

    assert page.context["can_decide"] is True
    body = page.content.decode()
    assert 'name="data_licence_number"' in body
    assert 'name="data_register_page"' in body
    assert "Numéro de licence" in body
    assert "Page du registre" in body


def test_approving_the_licence_through_the_view_stores_the_number_without_spaces(
    client, clerks, permit, licence
):
    login(client, clerks["impots"])
    client.post(task_url(licence, "claim"))

    response = client.post(task_url(licence, "approve"),
                           {"confirm": "1", "comment": "", "data_licence_number": "2026 0042",
                            "data_register_page": "C-7"})

    assert response.url == QUEUE_URL
    licence.refresh_from_db()
    permit.refresh_from_db()
    assert licence.state == TaskState.APPROVED
    assert licence.data == {"licence_number": "20260042", "register_page": "C-7"}
    assert permit.licence_number == "20260042"


def test_approving_the_licence_through_the_view_without_number_names_the_field(
    client, clerks, permit, licence
):
    login(client, clerks["impots"])
    client.post(task_url(licence, "claim"))

    response = client.post(task_url(licence, "approve"),
                           {"confirm": "1", "comment": "", "data_licence_number": ""})

    assert response.url == task_url(licence)
    assert last_message(response) == (
        "error", "Le champ « Numéro de licence » est obligatoire.")
    licence.refresh_from_db()
    permit.refresh_from_db()
    assert licence.state == TaskState.CLAIMED
    assert permit.licence_number == ""


def test_approving_the_licence_through_the_view_with_a_malformed_page_is_refused(
    client, clerks, licence
):
    login(client, clerks["impots"])
    client.post(task_url(licence, "claim"))

    response = client.post(task_url(licence, "approve"),
                           {"confirm": "1", "data_licence_number": "20260042",
                            "data_register_page": "page 7"})

    assert last_message(response) == (
        "error", "Le champ « Page du registre » n'a pas le format attendu.")
    licence.refresh_from_db()
    assert licence.state == TaskState.CLAIMED


def test_a_standard_permit_never_reaches_the_hygiene_desk(client, clerks):
    case = start(make_permit("Afi Mensah", category="standard"))
    claim_and_approve(case, "intake", clerks["guichet"])
    response = login(client, clerks["cnss"]).get(QUEUE_URL)
    assert list(response.context["tasks"]) == []
