"""A change returned for correction, and one filing at a time per company."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.urls import reverse

from amendments.models import Amendment, AmendmentState
from registry.models import CompanyChange

from .helpers import attach_all, decide, declare, file, instruct, ready_tasks, sign, start


def test_a_change_returned_for_correction_is_corrected_resigned_and_applied(
        client, company, entrepreneur, clerks, django_capture_on_commit_callbacks):
    client.force_login(entrepreneur)
    amendment = file(client, company, entrepreneur, "name", {"name": "Elephan Vert"})
    intake, = ready_tasks(amendment)
    response = decide(clerks["guichet"], intake, "return",
                      comment="La dénomination ne correspond pas au procès-verbal.",
                      correction_fields=["changes"])
    assert response.status_code == 302
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.RETURNED
    # The documents follow from the change: sent back with it, they may change too.
    assert amendment.correction_fields == ["changes", "documents"]
    page = client.get(amendment.get_absolute_url()).content.decode()
    assert "La dénomination ne correspond pas au procès-verbal." in page
    assert amendment.may_edit("documents")

    assert declare(client, amendment, {"name": "Éléphant Vert"}).status_code == 302
    sign(client, amendment, entrepreneur)
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.IN_REVIEW
    assert amendment.signatures.filter(signed_at__isnull=False).count() == 2

    instruct(amendment, clerks, django_capture_on_commit_callbacks)
    amendment.refresh_from_db()
    company.refresh_from_db()
    assert amendment.state == AmendmentState.APPROVED
    assert company.name == "Éléphant Vert"
    assert CompanyChange.objects.get(company=company, field="name").old_value == \
        "Éléphant Bleu"


def test_a_second_filing_while_one_is_in_flight_is_refused_in_french(client, company,
                                                                     entrepreneur):
    client.force_login(entrepreneur)
    first = file(client, company, entrepreneur, "office",
                 {"address": "1 avenue de la Paix", "city": "Lomé", "region": "maritime"})
    response = start(client, company, "capital")
    assert response.status_code == 302
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert messages[-1:] == [
        f"Une demande est déjà en cours pour cette entreprise ({first.reference}, "
        "Transfert du siège social) : une seule demande à la fois. Attendez sa décision ou "
        "retirez-la avant d'en commencer une autre."]
    assert Amendment.objects.filter(company=company).count() == 1
    page = client.get(reverse("amendments:start",
                              args=[company.application.reference])).content.decode()
    assert first.reference in page


def test_once_the_first_is_withdrawn_the_next_one_may_start(client, company, entrepreneur):
    client.force_login(entrepreneur)
    first = file(client, company, entrepreneur, "office",
                 {"address": "1 avenue de la Paix", "city": "Lomé", "region": "maritime"})
    client.post(reverse("amendments:withdraw", args=[first.reference]))
    first.refresh_from_db()
    assert first.state == AmendmentState.WITHDRAWN
    assert start(client, company, "capital").status_code == 302
    assert Amendment.objects.filter(company=company, state=AmendmentState.DRAFT).count() == 1


def test_the_database_keeps_the_rule_too(company, entrepreneur):
    Amendment.objects.create(company=company, change_type="name", filer=entrepreneur,
                             reference="MOD-TEST-1")
    try:
        with transaction.atomic():
            Amendment.objects.create(company=company, change_type="capital",
                                     filer=entrepreneur, reference="MOD-TEST-2")
    except IntegrityError:
        pass
    else:
        raise AssertionError("two filings in flight for one company")


def test_a_draft_counts_as_in_flight(client, company, entrepreneur):
    client.force_login(entrepreneur)
    start(client, company, "name")
    start(client, company, "capital")
    assert list(Amendment.objects.filter(company=company).values_list(
        "change_type", flat=True)) == ["name"]


def test_attach_after_correction_of_documents(client, company, entrepreneur, clerks):
    client.force_login(entrepreneur)
    amendment = file(client, company, entrepreneur, "managers",
                     {"managers": "Afi Mensah", "role": "manager"})
    intake, = ready_tasks(amendment)
    decide(clerks["guichet"], intake, "return", comment="Pièce d'identité illisible.",
           correction_fields=["documents"])
    amendment.refresh_from_db()
    assert amendment.may_edit("documents") and not amendment.may_edit("changes")
    attach_all(client, amendment)
    sign(client, amendment, entrepreneur)
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.IN_REVIEW
