"""Clerks open the supporting documents of the filings that reached their desk, no others."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from registry.services import drafting
from tests.fees import submit_and_pay

from ..journeys import pdf_upload


def _document(application, entrepreneur):
    return drafting.attach_document(application_id=application.pk, user=entrepreneur,
                                    requirement="statuts",
                                    uploaded_file=pdf_upload("statuts.pdf"))


def test_the_intake_clerk_opens_a_document_of_a_filing_at_the_desk(draft, entrepreneur,
                                                                  clerks):

    document = _document(draft, entrepreneur)
    submit_and_pay(application_id=draft.pk, user=entrepreneur)
    clerk = Client()
    clerk.force_login(clerks["guichet"])
    url = reverse("registry:staff_document", args=[draft.reference, document.pk])
    response = clerk.get(url)
    assert response.status_code == 200
    with document.stored_file.file.open("rb") as handle:
        assert b"".join(response.streaming_content) == handle.read()
    task_page = clerk.get(reverse("workflows:task", args=[_intake(draft).pk]))
    assert url in task_page.content.decode()


def _intake(application):
    from workflows.models import Task

    return Task.objects.get(case__subject_id=application.pk, step_id="intake")


def test_a_desk_the_filing_has_not_reached_sees_nothing(draft, entrepreneur, clerks):

    document = _document(draft, entrepreneur)
    submit_and_pay(application_id=draft.pk, user=entrepreneur)
    url = reverse("registry:staff_document", args=[draft.reference, document.pk])
    for desk in ("impots", "greffier"):
        clerk = Client()
        clerk.force_login(clerks[desk])
        assert clerk.get(url).status_code == 404, desk


def test_an_entrepreneur_cannot_use_the_back_office_link(submitted, entrepreneur,
                                                         other_entrepreneur, clerks):
    client = Client()
    client.force_login(other_entrepreneur)
    url = reverse("registry:staff_document", args=[submitted.reference, 1])
    assert client.get(url).status_code == 403
    assert Client().get(url).status_code == 302  # to the login page
