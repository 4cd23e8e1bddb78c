"""Automatic steps: the name check and the screening of managers (run by Celery), their
failures handed to a person, and the engine's run/fail services."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from registry import checks, drafting
from registry import services as registry_services
from registry.models import ApplicationState, Company, Party, ProhibitedPerson
from registry.names import normalize
from workflows import selectors
from workflows import services as engine
from workflows.definitions import publish
from workflows.models import AuditEvent, CaseState, TaskState

from ..conftest import COMPANY_DATA, FOUNDER_DATA
from .helpers import (
    case_of,
    claim_and_approve,
    event_count,
    run_on_commit,
    states,
    task_of,
)


def file_and_submit(owner, company_name: str):
    draft = registry_services.application_create(
        owner=owner, data=dict(COMPANY_DATA, company_name=company_name),
        founder=dict(FOUNDER_DATA),
    )
    return registry_services.application_submit(application_id=draft.pk, user=owner)


@pytest.fixture
def registered_elephant(make_user):
    """A company already on the register under the name ELEPHANT BLEU."""
    owner = make_user("ancien@example.tg")
    application = registry_services.application_create(
        owner=owner, data=dict(COMPANY_DATA, company_name="ELEPHANT BLEU"),
        founder=dict(FOUNDER_DATA),
    )
    return Company.objects.create(
        application=application, name="ELEPHANT BLEU", legal_form="SARL",
        rccm_number="TG-LOM-2025-B-00042", capital=1_000_000,
        registered_office="3 avenue de la Libération, Lomé",
    )


@pytest.fixture
def look_alike(entrepreneur):
    """A filing whose name differs from ELEPHANT BLEU only by accents, case and form words."""
    return file_and_submit(entrepreneur, "Société Éléphant-Bleu SARL")


# --- names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    ["ELEPHANT-BLEU", "Société Éléphant Bleu SARL", "éléphant   bleu", "Ets L'Éléphant Bleu"],
)
def test_names_compare_without_case_accents_punctuation_or_legal_form_words(variant):
    assert normalize(variant) == normalize("Société Éléphant Bleu SARL") == "elephant bleu"


@pytest.mark.parametrize("variant", ["ÉLÉPHANT BLEU S.A.R.L.", "Éléphant Bleu S.A."])
def test_dotted_legal_form_abbreviations_are_ignored_too(variant):
    assert normalize(variant) == "elephant bleu"


def test_different_names_stay_different():
    assert normalize("Éléphant Bleu") != normalize("Éléphant Rouge")
    assert normalize("Bleu Éléphant") != normalize("Éléphant Bleu")


# --- the name check -----------------------------------------------------------------------


def test_a_name_already_on_the_register_fails_the_name_check(
    registered_elephant, look_alike, clerks
):
    case = case_of(look_alike)

    claim_and_approve(case, "intake", clerks["guichet"])

    name_check = task_of(case, "name_check")
    assert name_check.state == TaskState.FAILED
    assert "ELEPHANT BLEU" in name_check.error
    assert "TG-LOM-2025-B-00042" in name_check.error
    assert name_check.error.startswith("Dénomination déjà immatriculée")
    assert name_check.decided_at is None
    assert states(case)["screening"] == TaskState.APPROVED
    assert states(case)["registry"] == TaskState.WAITING
    failure = AuditEvent.objects.get(object_type="workflows.task",
                                     object_id=str(name_check.pk), action="check_failed")
    assert (failure.from_state, failure.to_state) == (TaskState.RUNNING, TaskState.FAILED)
    assert failure.comment == name_check.error
    assert failure.actor is None


def test_a_name_asked_by_another_pending_filing_fails_the_name_check(
    submitted, other_entrepreneur, clerks
):
    later = file_and_submit(other_entrepreneur, "Société Éléphant-Bleu SARL")
    case = case_of(later)

    claim_and_approve(case, "intake", clerks["guichet"])

    name_check = task_of(case, "name_check")
    assert name_check.state == TaskState.FAILED
    assert submitted.reference in name_check.error
    assert "Éléphant Bleu" in name_check.error


def test_the_earlier_filing_keeps_its_name_when_a_later_one_asks_for_the_same(
    submitted, other_entrepreneur, clerks
):
    file_and_submit(other_entrepreneur, "Société Éléphant-Bleu SARL")
    case = case_of(submitted)

    claim_and_approve(case, "intake", clerks["guichet"])

    assert task_of(case, "name_check").state == TaskState.APPROVED


def test_a_draft_or_withdrawn_filing_with_the_same_name_does_not_block_it(
    make_user, look_alike, clerks
):
    owner = make_user("brouillon@example.tg")
    registry_services.application_create(owner=owner, data=dict(COMPANY_DATA),
                                         founder=dict(FOUNDER_DATA))
    withdrawn = file_and_submit(make_user("retrait@example.tg"), "Éléphant Bleu")
    registry_services.application_withdraw(application_id=withdrawn.pk, user=withdrawn.owner)
    case = case_of(look_alike)

    claim_and_approve(case, "intake", clerks["guichet"])

    name_check = task_of(case, "name_check")
    assert name_check.state == TaskState.APPROVED
    assert name_check.comment == "Dénomination disponible."
    assert name_check.error == ""
    assert states(case)["registry"] == TaskState.READY


def test_a_name_made_only_of_legal_form_words_fails_the_name_check(entrepreneur, clerks):
    filing = file_and_submit(entrepreneur, "Société SARL")
    case = case_of(filing)

    claim_and_approve(case, "intake", clerks["guichet"])

    name_check = task_of(case, "name_check")
    assert name_check.state == TaskState.FAILED
    assert "aucun mot distinctif" in name_check.error


def test_a_failed_name_check_can_be_claimed_and_approved_by_a_clerk(
    registered_elephant, look_alike, clerks
):
    case = case_of(look_alike)
    claim_and_approve(case, "intake", clerks["guichet"])

    name_check = claim_and_approve(case, "name_check", clerks["guichet"],
                                   comment="Homonymie sans risque de confusion.")

    assert name_check.state == TaskState.APPROVED
    assert name_check.assignee == clerks["guichet"]
    assert "ELEPHANT BLEU" in name_check.error  # the alert stays on record
    assert states(case)["registry"] == TaskState.READY


def test_a_failed_check_returned_to_the_applicant_runs_again_on_resubmission(
    registered_elephant, look_alike, clerks, entrepreneur
):
    case = case_of(look_alike)
    claim_and_approve(case, "intake", clerks["guichet"])
    name_check = task_of(case, "name_check")
    engine.claim_task(task_id=name_check.pk, user=clerks["guichet"])
    engine.return_task(task_id=name_check.pk, user=clerks["guichet"],
                       comment="Dénomination déjà prise : proposez-en une autre.",
                       fields=["names"])
    drafting.save_section(application_id=look_alike.pk, user=entrepreneur, section="names",
                          data={"company_name": "Lagune Verte"})

    with run_on_commit():
        registry_services.application_submit(application_id=look_alike.pk, user=entrepreneur)

    name_check.refresh_from_db()
    assert name_check.state == TaskState.APPROVED
    assert name_check.assignee is None
    assert name_check.comment == "Dénomination disponible."
    assert states(case)["registry"] == TaskState.READY


def test_a_check_that_passes_on_a_second_run_no_longer_shows_the_old_error(
    registered_elephant, look_alike, clerks, entrepreneur
):
    case = case_of(look_alike)
    claim_and_approve(case, "intake", clerks["guichet"])
    name_check = task_of(case, "name_check")
    engine.claim_task(task_id=name_check.pk, user=clerks["guichet"])
    engine.return_task(task_id=name_check.pk, user=clerks["guichet"], comment="Autre nom.",
                       fields=["names"])
    drafting.save_section(application_id=look_alike.pk, user=entrepreneur, section="names",
                          data={"company_name": "Lagune Verte"})
    with run_on_commit():
        registry_services.application_submit(application_id=look_alike.pk, user=entrepreneur)

    name_check.refresh_from_db()
    assert name_check.state == TaskState.APPROVED
    assert name_check.error == ""


def test_a_released_failed_check_goes_back_to_the_desk_queue(
    registered_elephant, look_alike, clerks, make_user
):
    colleague = make_user("afi@cfe.example.tg", desk="guichet")
    case = case_of(look_alike)
    claim_and_approve(case, "intake", clerks["guichet"])
    name_check = task_of(case, "name_check")
    engine.claim_task(task_id=name_check.pk, user=clerks["guichet"])

    engine.release_task(task_id=name_check.pk, user=clerks["guichet"])

    assert name_check.pk in [task.pk for task in selectors.queue_for(colleague)]
    engine.claim_task(task_id=name_check.pk, user=colleague)
    name_check.refresh_from_db()
    assert name_check.assignee == colleague


# --- the failed check in the back office --------------------------------------------------


def test_a_failed_name_check_is_in_the_guichet_queue_with_its_error_and_can_be_decided(
    client, registered_elephant, look_alike, clerks
):
    case = case_of(look_alike)
    claim_and_approve(case, "intake", clerks["guichet"])
    name_check = task_of(case, "name_check")
    client.force_login(clerks["guichet"])

    queue = client.get("/guichet/")
    assert [task.pk for task in queue.context["tasks"]] == [name_check.pk]
    assert "contrôle automatique en échec" in queue.content.decode()

    url = reverse("workflows:task", args=[name_check.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["can_claim"] is True
    body = page.content.decode()
    assert "Résultat du contrôle automatique" in body
    assert "ELEPHANT BLEU" in body
    assert "TG-LOM-2025-B-00042" in body

    client.post(reverse("workflows:task_action", args=[name_check.pk, "claim"]))
    with run_on_commit():
        response = client.post(reverse("workflows:task_action", args=[name_check.pk, "approve"]),
                               {"comment": "Pas de confusion possible."})
    assert response.status_code == 302
    name_check.refresh_from_db()
    assert name_check.state == TaskState.APPROVED
    assert name_check.assignee == clerks["guichet"]
    assert states(case)["registry"] == TaskState.READY


def test_a_failed_screening_is_in_the_greffe_queue_not_the_guichet_one(submitted, clerks):
    ProhibitedPerson.objects.create(last_name="Agbeko", id_document_number="TG-CNI-123456",
                                    decision="Jugement n° 12/2024")
    case = case_of(submitted)
    claim_and_approve(case, "intake", clerks["guichet"])
    screening = task_of(case, "screening")

    assert [task.pk for task in selectors.queue_for(clerks["greffe"])] == [screening.pk]
    assert list(selectors.queue_for(clerks["guichet"])) == []


# --- screening of managers ----------------------------------------------------------------


def test_a_manager_on_the_prohibited_list_fails_the_screening(submitted, clerks):
    ProhibitedPerson.objects.create(last_name="Autre", id_document_number="tg-cni-123456",
                                    decision="Interdiction de gérer, jugement n° 12/2024")
    case = case_of(submitted)

    claim_and_approve(case, "intake", clerks["guichet"])

    screening = task_of(case, "screening")
    assert screening.state == TaskState.FAILED
    assert screening.error == (
        "Kossi AGBEKO figure sur la liste des personnes interdites de gérer."
    )
    assert states(case)["name_check"] == TaskState.APPROVED
    assert states(case)["registry"] == TaskState.WAITING


def test_a_manager_whose_ban_has_ended_passes_the_screening(submitted, clerks):
    ProhibitedPerson.objects.create(
        last_name="Agbeko", id_document_number="TG-CNI-123456", decision="Jugement n° 3/2019",
        until=timezone.localdate() - timedelta(days=1),
    )
    case = case_of(submitted)

    claim_and_approve(case, "intake", clerks["guichet"])

    screening = task_of(case, "screening")
    assert screening.state == TaskState.APPROVED
    assert screening.comment == "Dirigeants contrôlés."


@pytest.mark.parametrize("number", ["12", "TG CNI 123456 !", "-TG-CNI-123456"])
def test_a_malformed_id_number_fails_the_screening(submitted, clerks, number):
    Party.objects.filter(application=submitted).update(id_document_number=number)
    case = case_of(submitted)

    claim_and_approve(case, "intake", clerks["guichet"])

    screening = task_of(case, "screening")
    assert screening.state == TaskState.FAILED
    assert "Le numéro de pièce d'identité de Kossi AGBEKO est mal formé." in screening.error


def test_a_minor_manager_fails_the_screening(submitted, clerks):
    today = timezone.localdate()
    Party.objects.filter(application=submitted).update(
        birth_date=date(today.year - 16, 1, 1))
    case = case_of(submitted)

    claim_and_approve(case, "intake", clerks["guichet"])

    screening = task_of(case, "screening")
    assert screening.state == TaskState.FAILED
    assert "mineur" in screening.error


# --- the engine's services for automatic steps --------------------------------------------


@pytest.fixture
def checks_queued(submitted, clerks):
    """Intake approved, the two checks ready but their Celery messages not yet delivered."""
    case = case_of(submitted)
    claim_and_approve(case, "intake", clerks["guichet"], on_commit=False)
    return case


def test_fail_automatic_step_hands_a_ready_check_to_a_person_with_the_error(
    checks_queued, clerks
):
    name_check = task_of(checks_queued, "name_check")

    engine.fail_automatic_step(task_id=name_check.pk, error="boom")

    name_check.refresh_from_db()
    assert name_check.state == TaskState.FAILED
    assert name_check.error == "boom"
    assert AuditEvent.objects.get(object_id=str(name_check.pk),
                                  action="check_failed").comment == "boom"
    assert name_check.pk in [task.pk for task in selectors.queue_for(clerks["guichet"])]


def test_fail_automatic_step_leaves_a_finished_check_alone(checks_queued):
    name_check = task_of(checks_queued, "name_check")
    engine.run_automatic_step(task_id=name_check.pk)
    before = event_count()

    engine.fail_automatic_step(task_id=name_check.pk, error="boom")

    name_check.refresh_from_db()
    assert name_check.state == TaskState.APPROVED
    assert name_check.error == ""
    assert event_count() == before


def test_running_an_automatic_step_twice_applies_it_once(checks_queued):
    name_check = task_of(checks_queued, "name_check")

    engine.run_automatic_step(task_id=name_check.pk)
    engine.run_automatic_step(task_id=name_check.pk)

    name_check.refresh_from_db()
    assert name_check.state == TaskState.APPROVED
    passed = AuditEvent.objects.filter(object_id=str(name_check.pk), object_type="workflows.task",
                                       action="check_passed")
    assert passed.count() == 1
    assert AuditEvent.objects.filter(object_id=str(name_check.pk), action="run").count() == 1


def test_the_second_check_to_finish_makes_registry_ready(checks_queued):
    engine.run_automatic_step(task_id=task_of(checks_queued, "screening").pk)
    assert states(checks_queued)["registry"] == TaskState.WAITING

    engine.run_automatic_step(task_id=task_of(checks_queued, "name_check").pk)
    assert states(checks_queued)["registry"] == TaskState.READY


def test_running_a_step_that_is_not_ready_does_nothing(submitted):
    case = case_of(submitted)
    name_check = task_of(case, "name_check")  # waiting for intake
    intake = task_of(case, "intake")  # ready, but manual
    before = event_count()

    engine.run_automatic_step(task_id=name_check.pk)
    engine.run_automatic_step(task_id=intake.pk)

    assert states(case)["name_check"] == TaskState.WAITING
    assert states(case)["intake"] == TaskState.READY
    assert event_count() == before


def test_running_a_failed_check_again_does_nothing(checks_queued):
    name_check = task_of(checks_queued, "name_check")
    engine.fail_automatic_step(task_id=name_check.pk, error="boom")
    before = event_count()

    engine.run_automatic_step(task_id=name_check.pk)

    name_check.refresh_from_db()
    assert name_check.state == TaskState.FAILED
    assert event_count() == before


def test_an_unexpected_error_in_a_check_leaves_it_ready_for_the_next_delivery(
    checks_queued, monkeypatch
):
    name_check = task_of(checks_queued, "name_check")
    before = event_count()

    def crash(**kwargs):
        raise ConnectionError("registre central injoignable")

    monkeypatch.setattr(checks, "name_check", crash)
    with pytest.raises(ConnectionError):
        engine.run_automatic_step(task_id=name_check.pk)

    name_check.refresh_from_db()
    assert name_check.state == TaskState.READY
    assert event_count() == before
    monkeypatch.undo()
    engine.run_automatic_step(task_id=name_check.pk)
    name_check.refresh_from_db()
    assert name_check.state == TaskState.APPROVED


def test_a_failing_check_keeps_none_of_its_own_writes(checks_queued, monkeypatch):
    name_check = task_of(checks_queued, "name_check")

    def half_done(*, case, task):
        Party.objects.filter(application_id=case.subject_id).update(address="écrit par erreur")
        raise engine.CheckFailed("Contrôle interrompu")

    monkeypatch.setattr(checks, "name_check", half_done)
    engine.run_automatic_step(task_id=name_check.pk)

    name_check.refresh_from_db()
    assert name_check.state == TaskState.FAILED
    assert name_check.error == "Contrôle interrompu"
    assert Party.objects.get(application_id=checks_queued.subject_id).address == "Bè, Lomé"


SUSPENDABLE_SPEC = {
    "code": "test_check_while_waiting",
    "title": "Contrôle pendant une correction",
    "steps": [
        {"id": "intake", "title": "Recevabilité", "desk": "guichet"},
        {"id": "screening", "title": "Contrôle", "desk": "greffe", "kind": "automatic",
         "run": "registry.checks.screening"},
    ],
}


def test_a_check_queued_while_the_case_waits_for_the_applicant_runs_on_resumption(
    draft, clerks, entrepreneur
):
    publish(SUSPENDABLE_SPEC)
    case = engine.start_case(definition_code="test_check_while_waiting", subject=draft)
    screening = task_of(case, "screening")
    intake = task_of(case, "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    engine.return_task(task_id=intake.pk, user=clerks["guichet"], comment="Pièce manquante")

    engine.run_automatic_step(task_id=screening.pk)  # the message queued at the start
    screening.refresh_from_db()
    assert screening.state == TaskState.READY

    with run_on_commit():
        engine.resume_case(case_id=case.pk, actor=entrepreneur)

    screening.refresh_from_db()
    case.refresh_from_db()
    assert screening.state == TaskState.APPROVED
    assert case.state == CaseState.RUNNING
    assert states(case)["intake"] == TaskState.READY


def test_the_filing_stays_in_review_while_checks_run(checks_queued, submitted):
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.IN_REVIEW
