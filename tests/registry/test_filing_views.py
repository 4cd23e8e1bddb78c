"""The entrepreneur's filing pages around the guided filing: opening a draft, whose filing it
is, read-only once sent, the status page and withdrawal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents.models import StoredFile, SupportingDocument
from payments.models import InvoiceState
from payments.selectors import invoice_of
from registry.models import Application, ApplicationState, FilingSignature, SignatureChallenge
from registry.services import FilingError
from registry.services import signature as signing
from registry.templatetags.money import fcfa
from workflows import services as engine
from workflows.models import AuditEvent, CaseState, TaskState

from ..journeys import SECTION_ANSWERS, party_form_data, pdf_upload
from .filings import (
    build,
    edit_events,
    field_error,
    fingerprint,
    messages_of,
    sarl_plan,
    sign_with_services,
    task_statuses,
    text,
    tree,
)
from .procedure.helpers import case_of, task_of


@pytest.fixture
def complete(entrepreneur):
    """A SARL with every section filled and every document uploaded, not yet signed."""
    return build(entrepreneur, sarl_plan())


@pytest.fixture
def signed(complete, entrepreneur):
    """The complete SARL, signed with its one-time code and its fee paid: in review."""
    sign_with_services(complete, entrepreneur)
    complete.refresh_from_db()
    return complete


@pytest.fixture
def unpaid(complete, entrepreneur):
    """The complete SARL, signed with its one-time code, its fee not paid yet."""
    sign_with_services(complete, entrepreneur, pay=False)
    complete.refresh_from_db()
    return complete


def test_opening_a_filing_creates_an_empty_draft_of_the_chosen_form(client, entrepreneur):
    client.force_login(entrepreneur)
    assert "Société par actions simplifiée (SAS)" in text(
        client.get(reverse("registry:application_create")))

    response = client.post(reverse("registry:application_create"), {"legal_form": "SAS"})

    application = Application.objects.get(owner=entrepreneur)
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    assert application.state == ApplicationState.DRAFT
    assert application.legal_form == "SAS"
    assert application.reference.startswith("CFE-")
    assert application.company_name == "" and application.capital is None
    assert not application.parties.exists()
    assert AuditEvent.objects.filter(object_type="registry.application", action="create",
                                     object_id=str(application.pk)).count() == 1
    assert f"Votre dossier {application.reference} est ouvert" in " ".join(
        messages_of(response))


def test_an_unknown_legal_form_is_refused_in_french_and_nothing_is_saved(client, entrepreneur):
    client.force_login(entrepreneur)

    response = client.post(reverse("registry:application_create"), {"legal_form": "XX"})

    assert response.status_code == 200
    assert "Sélectionnez un choix valide." in field_error(response, "legal_form")
    assert not Application.objects.exists()


def test_signed_out_visitors_are_sent_to_the_login_page(client, draft):
    for url in (reverse("registry:application_create"), draft.get_absolute_url(),
                reverse("registry:section", args=[draft.reference, "names"])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_the_owner_edits_a_draft_section_by_section(client, complete, entrepreneur):
    client.force_login(entrepreneur)
    party = complete.parties.get()

    client.post(reverse("registry:section", args=[complete.reference, "office"]),
                {**SECTION_ANSWERS["office"], "registered_office": "45 boulevard du 13 Janvier"})
    client.post(reverse("registry:party_edit", args=[complete.reference, party.pk]),
                party_form_data(last_name="Mensah"))

    complete.refresh_from_db()
    assert complete.registered_office == "45 boulevard du 13 Janvier"
    assert complete.parties.get().last_name == "Mensah"
    assert edit_events(complete) > 0


def _every_url(application, party_id: int) -> list[tuple[str, str]]:
    reference = application.reference
    urls = [("get", reverse("registry:application", args=[reference]))]
    for section in ("names", "form", "activity", "office", "capital"):
        urls += [("get", reverse("registry:section", args=[reference, section])),
                 ("post", reverse("registry:section", args=[reference, section]))]
    for name in ("people", "party_add", "documents", "statutes", "review", "sign"):
        urls.append(("get", reverse(f"registry:{name}", args=[reference])))
    urls += [
        ("get", reverse("registry:party_edit", args=[reference, party_id])),
        ("post", reverse("registry:party_edit", args=[reference, party_id])),
        ("post", reverse("registry:party_add", args=[reference])),
        ("post", reverse("registry:party_remove", args=[reference, party_id])),
        ("post", reverse("registry:documents", args=[reference])),
        ("post", reverse("registry:review", args=[reference])),
        ("post", reverse("registry:sign", args=[reference])),
        ("post", reverse("registry:application_withdraw", args=[reference])),
    ]
    return urls


def test_another_entrepreneur_gets_404_on_everything_of_a_filing(
    client, complete, other_entrepreneur
):
    client.force_login(other_entrepreneur)
    before = fingerprint(complete)
    party = complete.parties.get()
    posts = {
        "registry:section": {**SECTION_ANSWERS["names"], "name_1": "Nom volé"},
        "registry:party_add": party_form_data(first_name="Intrus"),
    }

    for method, url in _every_url(complete, party.pk):
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, {"accept": "on", "code": "123456",
                                         "requirement": "statuts", "file": pdf_upload(),
                                         **posts["registry:section"],
                                         **posts["registry:party_add"]})
        assert response.status_code == 404, (method, url, response.status_code)

    complete.refresh_from_db()
    assert complete.state == ApplicationState.DRAFT
    assert fingerprint(complete) == before
    assert complete.parties.count() == 1
    assert not SignatureChallenge.objects.exists()


def test_after_submission_a_post_to_any_edit_view_changes_nothing(client, signed, entrepreneur):
    client.force_login(entrepreneur)
    before = fingerprint(signed)
    events = edit_events(signed)
    documents = SupportingDocument.objects.count()
    files = StoredFile.objects.count()
    party = signed.parties.get()
    reference = signed.reference

    for section, data in (*SECTION_ANSWERS.items(), ("form", {"legal_form": "SA"})):
        response = client.post(reverse("registry:section", args=[reference, section]),
                               {**data, "name_1": "Autre Nom", "capital": "5"}
                               if section in ("names", "capital") else data)
        assert response.status_code == 302
        assert response["Location"] == signed.get_absolute_url()
        assert "Cette partie du dossier ne peut plus être modifiée." in messages_of(response)
    client.post(reverse("registry:party_add", args=[reference]),
                party_form_data(first_name="Afi", last_name="Nouvelle"))
    client.post(reverse("registry:party_edit", args=[reference, party.pk]),
                party_form_data(last_name="Autre"))
    client.post(reverse("registry:party_remove", args=[reference, party.pk]))
    response = client.post(reverse("registry:documents", args=[reference]),
                           {"requirement": "statuts", "file": pdf_upload("autres-statuts.pdf")})
    assert "Cette partie du dossier ne peut plus être modifiée." in text(response)

    signed.refresh_from_db()
    assert signed.state == ApplicationState.IN_REVIEW
    assert fingerprint(signed) == before
    assert signed.parties.get().last_name == "Agbeko"
    assert edit_events(signed) == events
    assert SupportingDocument.objects.count() == documents
    assert StoredFile.objects.count() == files


def test_a_submitted_filing_cannot_be_signed_again(client, signed, entrepreneur):
    client.force_login(entrepreneur)
    for name in ("review", "sign"):
        url = reverse(f"registry:{name}", args=[signed.reference])
        assert client.get(url)["Location"] == signed.get_absolute_url()
        assert client.post(url, {"accept": "on", "code": "123456"})["Location"] == (
            signed.get_absolute_url())
    with pytest.raises(FilingError, match=r"Ce dossier a déjà été soumis\."):
        signing.request_signature_code(application_id=signed.pk, user=entrepreneur)
    assert FilingSignature.objects.filter(application=signed).count() == 1
    assert SignatureChallenge.objects.filter(application=signed, used_at__isnull=True).count() == 0


def test_the_status_page_of_a_submitted_filing_shows_where_it_is_and_what_is_expected(
    client, signed, entrepreneur
):
    client.force_login(entrepreneur)

    page = text(client.get(signed.get_absolute_url()))

    assert "en cours d'instruction" in page
    assert "Où en est votre dossier" in page
    assert "Vous n'avez rien à faire pour le moment" in page
    assert "Recevabilité du dossier" in page  # the first desk's step...
    assert "à traiter" in page  # ...is waiting for it
    assert "Signé électroniquement le" in page
    assert "Éléphant Bleu" in page
    assert "Retirer le dossier (avant décision)" in page
    assert "Vérifier et signer" not in page


def test_the_status_page_of_a_filing_awaiting_its_fee_says_what_to_pay(
    client, unpaid, entrepreneur
):
    assert unpaid.state == ApplicationState.PENDING_PAYMENT
    assert case_of(unpaid) is None  # no desk works it before the fee is paid
    invoice = invoice_of(unpaid)
    client.force_login(entrepreneur)

    response = client.get(unpaid.get_absolute_url())

    page = text(response)
    assert fcfa(invoice.amount) in page and invoice.number in page
    assert "il sera transmis aux services dès le paiement reçu" in page
    assert "Signé électroniquement le" in page
    assert "Retirer le dossier (avant décision)" in page
    assert "Vérifier et signer" not in page
    [pay_link] = tree(response).xpath('//a[normalize-space()="Payer les frais"]')
    assert pay_link.get("href") == reverse("payments:invoice", args=[invoice.number])


def test_withdrawing_a_filing_awaiting_its_fee_cancels_its_invoice(client, unpaid,
                                                                   entrepreneur):
    client.force_login(entrepreneur)

    response = client.post(reverse("registry:application_withdraw", args=[unpaid.reference]),
                           {"confirm": "1"})

    assert "Votre dossier a été retiré." in messages_of(response)
    unpaid.refresh_from_db()
    assert unpaid.state == ApplicationState.WITHDRAWN
    assert invoice_of(unpaid).state == InvoiceState.CANCELLED
    assert case_of(unpaid) is None


def test_a_draft_can_be_abandoned_from_its_task_list(client, complete, entrepreneur):
    client.force_login(entrepreneur)
    assert "Abandonner ce brouillon" in text(client.get(complete.get_absolute_url()))

    client.post(reverse("registry:application_withdraw", args=[complete.reference]),
                           {"confirm": "1"})

    complete.refresh_from_db()
    assert complete.state == ApplicationState.WITHDRAWN
    assert "Vous avez retiré ce dossier." in text(client.get(complete.get_absolute_url()))


def test_withdrawing_a_submitted_filing_cancels_its_tasks(client, signed, entrepreneur):
    client.force_login(entrepreneur)

    response = client.post(reverse("registry:application_withdraw", args=[signed.reference]),
                           {"confirm": "1"})

    assert "Votre dossier a été retiré." in messages_of(response)
    signed.refresh_from_db()
    assert signed.state == ApplicationState.WITHDRAWN
    case = case_of(signed)
    assert case.state == CaseState.CANCELLED
    assert set(case.tasks.values_list("state", flat=True)) == {TaskState.CANCELLED}


def test_a_filing_sent_back_for_correction_can_still_be_withdrawn(
    client, signed, entrepreneur, clerks
):
    intake = task_of(case_of(signed), "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    engine.return_task(task_id=intake.pk, user=clerks["guichet"], comment="CNI illisible.",
                       fields=["people"])
    client.force_login(entrepreneur)

    client.post(reverse("registry:application_withdraw", args=[signed.reference]),
                           {"confirm": "1"})

    signed.refresh_from_db()
    assert signed.state == ApplicationState.WITHDRAWN
    assert case_of(signed).state == CaseState.CANCELLED


def test_after_a_decision_the_filing_can_no_longer_be_withdrawn(
    client, signed, entrepreneur, clerks
):
    intake = task_of(case_of(signed), "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    engine.reject_task(task_id=intake.pk, user=clerks["guichet"], comment="Dossier incohérent.")
    client.force_login(entrepreneur)
    page = text(client.get(signed.get_absolute_url()))
    assert "Dossier rejeté." in page and "Dossier incohérent." in page
    assert "Retirer le dossier" not in page

    response = client.post(reverse("registry:application_withdraw", args=[signed.reference]),
                           {"confirm": "1"})

    assert ("Ce dossier ne peut plus être retiré : une décision a été prise."
            in messages_of(response))
    signed.refresh_from_db()
    assert signed.state == ApplicationState.REJECTED


def test_the_task_list_is_only_for_drafts(client, signed, entrepreneur):
    client.force_login(entrepreneur)
    assert task_statuses(client.get(signed.get_absolute_url())) == {}


def test_abandoning_a_draft_asks_first_and_says_what_is_lost(client, complete, entrepreneur):
    client.force_login(entrepreneur)
    page = text(client.get(reverse("registry:application_withdraw",
                                   args=[complete.reference])))
    assert "Abandonner ce brouillon ?" in page
    assert "effacées définitivement" in page
    client.post(reverse("registry:application_withdraw", args=[complete.reference]))
    complete.refresh_from_db()
    assert complete.state == ApplicationState.DRAFT  # no confirmation, nothing happens


def test_withdrawing_a_filing_asks_first_and_says_what_is_lost(client, signed, entrepreneur):
    client.force_login(entrepreneur)
    page = text(client.get(reverse("registry:application_withdraw", args=[signed.reference])))
    assert "Retirer ce dossier ?" in page
    assert "aucun guichet ne traitera plus ce dossier" in page
    client.post(reverse("registry:application_withdraw", args=[signed.reference]))
    signed.refresh_from_db()
    assert signed.state == ApplicationState.IN_REVIEW
