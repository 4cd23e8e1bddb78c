"""The company procedure's automatic steps: the name check and the screening of managers
(run by Celery), and their failures handed to a person at the right desk."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from registry import services as registry_services
from registry.models import ApplicationState, Company, Party, ProhibitedPerson
from registry.names import normalize
from registry.services import drafting
from tests.fees import submit_and_pay
from workflows import services as engine
from workflows.models import AuditEvent, TaskState

from ...conftest import COMPANY_DATA, FOUNDER_DATA
from .helpers import (
    case_of,
    claim_and_approve,
    queue_of,
    run_on_commit,
    states,
    task_of,
)


def file_and_submit(owner, company_name: str):
    draft = registry_services.application_create(
        owner=owner, data=dict(COMPANY_DATA, company_name=company_name),
        founder=dict(FOUNDER_DATA),
    )
    return submit_and_pay(application_id=draft.pk, user=owner)


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
        submit_and_pay(application_id=look_alike.pk, user=entrepreneur)

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
        submit_and_pay(application_id=look_alike.pk, user=entrepreneur)

    name_check.refresh_from_db()
    assert name_check.state == TaskState.APPROVED
    assert name_check.error == ""


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
                               {"confirm": "1", "comment": "Pas de confusion possible."})
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

    assert [task.pk for task in queue_of(clerks["greffe"])] == [screening.pk]
    assert queue_of(clerks["guichet"]) == []


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


# --- both checks before the registry -----------------------------------------------------


@pytest.fixture
def checks_queued(submitted, clerks):
    """Intake approved, the two checks ready but their Celery messages not yet delivered."""
    case = case_of(submitted)
    claim_and_approve(case, "intake", clerks["guichet"], on_commit=False)
    return case


def test_the_second_check_to_finish_makes_registry_ready(checks_queued):
    engine.run_automatic_step(task_id=task_of(checks_queued, "screening").pk)
    assert states(checks_queued)["registry"] == TaskState.WAITING

    engine.run_automatic_step(task_id=task_of(checks_queued, "name_check").pk)
    assert states(checks_queued)["registry"] == TaskState.READY


def test_the_filing_stays_in_review_while_checks_run(checks_queued, submitted):
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.IN_REVIEW
