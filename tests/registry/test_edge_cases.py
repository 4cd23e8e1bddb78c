"""Cases found in review: forms without capital registered, extracts of revoked
companies, the name check kept private, companies as managers, empty returns."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from documents.models import DocumentKind, IssuedDocument
from registry import services
from registry.models import ApplicationState
from registry.similarity import check_name
from workflows.models import Task, TaskState

from .filings import AFI, AUDIT_FIRM, KOSSI, Plan, build, person, sign_with_services
from .procedure.helpers import case_of, claim_and_approve, complete, run_on_commit, task_of


@pytest.mark.parametrize("plan", [
    Plan("EI", [person(KOSSI, "trader")]),
    Plan("GIE", [person(KOSSI, "partner", "administrator"), person(AFI, "partner")]),
], ids=["EI", "GIE"])
def test_a_filing_without_capital_is_registered_with_its_certificate(entrepreneur, clerks,
                                                                     plan):
    application = build(entrepreneur, plan)
    sign_with_services(application, entrepreneur)
    complete(case_of(application), clerks, certificate=True)
    application.refresh_from_db()
    assert application.state == ApplicationState.REGISTERED
    pdf = application.company.certificate.stored_file.file.read()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert application.company.rccm_number in text
    assert "Capital social" not in text


@pytest.fixture
def registered(entrepreneur, clerks):
    from .filings import sarl_plan

    application = build(entrepreneur, sarl_plan())
    sign_with_services(application, entrepreneur)
    complete(case_of(application), clerks, certificate=True)
    application.refresh_from_db()
    return application


def test_the_days_extract_is_handed_out_again_not_sealed_anew(registered):
    first = services.issue_rccm_extract(company=registered.company)
    again = services.issue_rccm_extract(company=registered.company)
    assert first.pk == again.pk
    assert IssuedDocument.objects.filter(kind=DocumentKind.RCCM_EXTRACT).count() == 1


def test_no_extract_for_a_company_whose_certificate_is_revoked(client, registered,
                                                               entrepreneur):
    services.revoke_certificate(company=registered.company, reason="Fraude.", actor=None)
    client.force_login(entrepreneur)
    response = client.post(reverse("registry:rccm_extract", args=[registered.reference]),
                           follow=True)
    assert "son certificat a été révoqué" in response.content.decode()
    assert not IssuedDocument.objects.filter(kind=DocumentKind.RCCM_EXTRACT).exists()


def test_the_name_check_shown_to_applicants_keeps_pending_filings_private(submitted):
    private = check_name("Éléphant Bleu", public=True)
    assert private.status == "taken"
    assert submitted.reference not in private.message
    assert "un dossier en cours" in private.message
    for_clerks = check_name("Éléphant Bleu")
    assert submitted.reference in for_clerks.message


def test_a_company_at_the_head_goes_to_a_clerk_at_screening(entrepreneur, clerks):
    plan = Plan("SAS", [
        person(KOSSI, "partner", "beneficial_owner", shares=100, cash=1_000_000, percent=100),
        {**AUDIT_FIRM, "roles": ["president"], "shares": 0, "cash_contribution": 0},
    ], capital=1_000_000, share_count=100, share_nominal=10_000)
    application = build(entrepreneur, plan)
    sign_with_services(application, entrepreneur)
    case = case_of(application)
    with run_on_commit():
        claim_and_approve(case, "intake", clerks["guichet"])
    screening = task_of(case, "screening")
    assert screening.state == TaskState.FAILED
    assert "Cabinet Audit Lagune" in screening.error and "Yao Dossou" in screening.error


def test_a_return_must_name_something_to_correct(client, submitted, clerks):
    intake = Task.objects.get(case__subject_id=submitted.pk, step_id="intake")
    client.force_login(clerks["guichet"])
    client.post(reverse("workflows:task_action", args=[intake.pk, "claim"]))
    response = client.post(reverse("workflows:task_action", args=[intake.pk, "return"]),
                           {"confirm": "1", "comment": "À revoir."}, follow=True)
    assert "Cochez au moins un élément" in response.content.decode()
    intake.refresh_from_db()
    assert intake.state == TaskState.CLAIMED


def test_removing_a_person_that_does_not_exist_is_a_404(client, draft, entrepreneur):
    client.force_login(entrepreneur)
    response = client.post(reverse("registry:party_remove", args=[draft.reference, 999999]))
    assert response.status_code == 404
