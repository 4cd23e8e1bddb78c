"""A filing sent back for correction: only the named sections reopen, and it is signed
again and returns to the desk."""

from __future__ import annotations

import pytest

from documents.models import SupportingDocument
from payments.models import Invoice, InvoiceState
from payments.selectors import invoice_of
from registry import filing
from registry.models import ApplicationState
from workflows import services as engine
from workflows.models import CaseState, TaskState

from ..journeys import (
    SECTION_ANSWERS,
    add_person,
    party_form_data,
    pdf_bytes,
    request_code,
    save_section,
)
from .filings import build, messages_of, sarl_plan, sign_with_services, text, tree
from .guided import upload, url
from .procedure.helpers import case_of, task_of


@pytest.fixture
def returned(entrepreneur, clerks):
    """A complete SARL, signed, then sent back by the first desk for its people and office."""
    application = build(entrepreneur, sarl_plan())
    sign_with_services(application, entrepreneur)
    intake = task_of(case_of(application), "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    engine.return_task(task_id=intake.pk, user=clerks["guichet"],
                       comment="Adresse du gérant et du siège incomplètes.",
                       fields=["people", "office"])
    application.refresh_from_db()
    assert application.state == ApplicationState.CORRECTION_REQUESTED
    return application


def test_the_status_page_links_to_the_sections_to_correct(applicant, returned):
    response = applicant.get(returned.get_absolute_url())

    page = text(response)
    assert "L'administration vous demande une correction." in page
    assert "Adresse du gérant et du siège incomplètes." in page
    links = tree(response).xpath('//div[contains(@class, "now")]//ul/li/a')
    assert {(link.text_content().strip(), link.get("href")) for link in links} == {
        ("Personnes", url("people", returned)),
        # the people's documents reopen with them (registry.services.reopened_sections)
        ("Pièces justificatives", url("documents", returned)),
        ("Siège social", url("section", returned, "office")),
    }
    assert url("section", returned, "names") not in response.content.decode()
    assert url("review", returned) in response.content.decode()


def test_under_correction_only_the_named_sections_can_be_changed(applicant, returned):
    party = returned.parties.get()
    documents = SupportingDocument.objects.count()

    for section in ("names", "activity", "capital", "form"):
        assert applicant.get(url("section", returned, section))["Location"] == (
            returned.get_absolute_url())
        data = {**SECTION_ANSWERS.get(section, {}), "name_1": "Nom changé en douce",
                "capital": "5", "legal_form": "SA"}
        response = applicant.post(url("section", returned, section), data)
        assert "Cette partie du dossier ne peut plus être modifiée." in messages_of(response)
    assert SupportingDocument.objects.count() == documents
    returned.refresh_from_db()
    assert (returned.company_name, returned.capital, returned.legal_form) == (
        "Éléphant Bleu", 1_000_000, "SARL")

    save_section(applicant, returned, "office",
                 {**SECTION_ANSWERS["office"], "registered_office": "45 boulevard du 13 Janvier"})
    response = applicant.post(url("party_edit", returned, party.pk),
                              party_form_data(address="Tokoin, rue 12, Lomé"))
    assert response.status_code == 302

    returned.refresh_from_db()
    assert returned.registered_office == "45 boulevard du 13 Janvier"
    assert returned.parties.get().address == "Tokoin, rue 12, Lomé"
    assert returned.state == ApplicationState.CORRECTION_REQUESTED


def test_a_corrected_filing_is_signed_again_and_goes_back_to_the_desk(applicant, returned):
    save_section(applicant, returned, "office",
                 {**SECTION_ANSWERS["office"], "registered_office": "45 boulevard du 13 Janvier"})

    paid = invoice_of(returned)
    code = request_code(applicant, returned)
    response = applicant.post(url("sign", returned), {"code": code})

    assert response["Location"] == returned.get_absolute_url()
    # The fee is paid once: signing again sends the filing straight back to the desk.
    assert "Dossier signé et transmis au guichet unique." in messages_of(response)
    assert list(Invoice.objects.filter(subject_id=returned.pk)) == [paid]
    assert paid.state == InvoiceState.PAID
    returned.refresh_from_db()
    assert returned.state == ApplicationState.IN_REVIEW
    assert returned.correction_fields == []
    first, second = returned.signatures.order_by("signed_at", "pk")
    assert first.snapshot["application"]["registered_office"] == "12 rue du Commerce"
    assert second.snapshot["application"]["registered_office"] == "45 boulevard du 13 Janvier"
    case = case_of(returned)
    assert case.state == CaseState.RUNNING
    assert task_of(case, "intake").state == TaskState.READY


def test_a_person_added_under_correction_can_bring_their_documents(applicant, returned):
    add_person(applicant, returned, party_form_data(
        first_name="Afi", last_name="Mensah", id_document_number="TG-CNI-777888",
        roles=["manager"], shares="0", cash_contribution="0", ownership_percent=""))
    afi = returned.parties.get(first_name="Afi")
    for code in (f"piece_identite:{afi.pk}", f"declaration_non_interdiction:{afi.pk}"):
        response = upload(applicant, returned, code, "afi.pdf", pdf_bytes(code))
        assert response.status_code == 302, messages_of(response)

    code = request_code(applicant, returned)
    assert applicant.post(url("sign", returned), {"code": code}).status_code == 302
    returned.refresh_from_db()
    assert returned.state == ApplicationState.IN_REVIEW


def test_a_capital_reopened_alone_can_be_corrected_and_signed_again(
    applicant, entrepreneur, clerks
):
    application = build(entrepreneur, sarl_plan())
    sign_with_services(application, entrepreneur)
    intake = task_of(case_of(application), "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    engine.return_task(task_id=intake.pk, user=clerks["guichet"], fields=["capital"],
                       comment="Le capital déposé à la banque est de 2 000 000 FCFA.")
    party = application.parties.get()

    save_section(applicant, application, "capital", {
        "capital": "2000000", "share_count": "400", "share_nominal": "5000",
        "duration_years": "99"})
    applicant.post(url("party_edit", application, party.pk),
                   party_form_data(shares="400", cash_contribution="2000000"))

    application.refresh_from_db()
    assert application.capital == 2_000_000
    assert filing.problems(application) == []
    code = request_code(applicant, application)
    assert applicant.post(url("sign", application), {"code": code}).status_code == 302
