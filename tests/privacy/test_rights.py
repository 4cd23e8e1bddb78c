"""A person downloads what is held about them, asks for a correction, closes their account."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from documents.models import SupportingDocument
from privacy.models import CorrectionRequest, CorrectionStatus
from registry import services
from registry.models import Application

from ..conftest import PASSWORD
from .conftest import upload


@pytest.fixture
def applicant(entrepreneur) -> Client:
    client = Client()
    client.force_login(entrepreneur)
    return client


def test_the_page_needs_a_login_and_speaks_french(applicant):
    url = reverse("privacy:my_data")
    assert url == "/comptes/mes-donnees/"
    assert Client().get(url).status_code == 302
    html = applicant.get(url).content.decode()
    assert "Télécharger mes données" in html and "Fermer mon compte" in html
    assert "vingt ans" in html  # what is kept, and why


def test_the_download_holds_the_account_the_filings_and_the_files(applicant, draft,
                                                                 entrepreneur):
    document = upload(draft, entrepreneur, text="Statuts signés")
    with document.stored_file.file.open("rb") as handle:
        plaintext = handle.read()
    assert Client().post(reverse("privacy:download")).status_code == 302
    response = applicant.post(reverse("privacy:download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("mes-donnees.json"))
    assert data["account"]["email"] == entrepreneur.email
    [filing] = data["filings"]
    assert filing["reference"] == draft.reference
    assert filing["people"][0]["id_document_number"] == "TG-CNI-123456"
    [entry] = filing["documents"]
    assert entry["sha256"] == document.stored_file.sha256
    assert archive.read(entry["file"]) == plaintext
    assert any(event["action"] == "create" for event in data["audit_events"])


def test_a_correction_request_is_recorded_for_the_staff(applicant, draft, entrepreneur):
    response = applicant.post(reverse("privacy:correction"), {
        "filing_reference": draft.reference,
        "message": "Mon lieu de naissance est Kpalimé, pas Lomé."})
    assert response.status_code == 302
    request = CorrectionRequest.objects.get()
    assert (request.requester, request.filing_reference, request.status) == (
        entrepreneur, draft.reference, CorrectionStatus.OPEN)
    assert admin.site.is_registered(CorrectionRequest)
    assert "à traiter" in applicant.get(reverse("privacy:my_data")).content.decode()


def test_someone_elses_filing_cannot_be_named(applicant, other_entrepreneur):
    other = services.application_create(
        owner=other_entrepreneur, data={"legal_form": "SARL", "company_name": "Autre"},
        founder={"first_name": "Yawo", "last_name": "Mensah"})
    response = applicant.post(reverse("privacy:correction"), {
        "filing_reference": other.reference, "message": "..."})
    assert response.status_code == 400
    assert not CorrectionRequest.objects.exists()


def test_closing_needs_the_password(applicant, entrepreneur, draft):
    response = applicant.post(reverse("privacy:close_account"),
                              {"password": "pas-le-bon", "confirm": "on"})
    assert response.status_code == 400
    entrepreneur.refresh_from_db()
    assert entrepreneur.is_active
    assert Application.objects.filter(pk=draft.pk).exists()


def test_closing_erases_drafts_deactivates_and_logs_out(applicant, entrepreneur, draft):
    upload(draft, entrepreneur)
    response = applicant.post(reverse("privacy:close_account"),
                              {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    entrepreneur.refresh_from_db()
    assert not entrepreneur.is_active and not entrepreneur.has_usable_password()
    # Nothing on record names them any more: their identity goes too.
    assert entrepreneur.email.endswith("@invalid.invalid") and not entrepreneur.first_name
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert not SupportingDocument.objects.filter(subject_id=draft.pk).exists()
    assert applicant.get(reverse("privacy:my_data")).status_code == 302  # logged out


def test_closing_keeps_a_registered_filing_and_who_filed_it(registered, entrepreneur,
                                                            second_draft):
    email = entrepreneur.email
    client = Client()
    client.force_login(entrepreneur)
    response = client.post(reverse("privacy:close_account"),
                           {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    entrepreneur.refresh_from_db()
    assert not entrepreneur.is_active
    assert entrepreneur.email == email
    registered.refresh_from_db()
    assert registered.parties.exists() and registered.company.rccm_number
    assert not Application.objects.filter(pk=second_draft.pk).exists()


def test_closing_waits_for_a_filing_under_review(submitted, entrepreneur):
    client = Client()
    client.force_login(entrepreneur)
    response = client.post(reverse("privacy:close_account"),
                           {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 400
    assert "en cours d'instruction" in response.content.decode()
    entrepreneur.refresh_from_db()
    assert entrepreneur.is_active
