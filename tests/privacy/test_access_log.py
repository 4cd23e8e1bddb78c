"""Staff accesses to a person's data or documents are logged and shown to supervisors."""

from __future__ import annotations

from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from privacy.models import StaffAccess
from tests.fees import submit_and_pay
from workflows.models import Task

from .conftest import upload


@pytest.fixture
def filed(draft, entrepreneur):
    document = upload(draft, entrepreneur)
    submit_and_pay(application_id=draft.pk, user=entrepreneur)
    return draft, document


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _intake(application) -> Task:
    return Task.objects.get(case__subject_id=application.pk, step_id="intake")


def test_a_clerk_opening_a_document_is_logged(filed, entrepreneur, clerks):
    application, document = filed
    url = reverse("registry:staff_document", args=[application.reference, document.pk])
    assert _client(clerks["guichet"]).get(url).status_code == 200
    access = StaffAccess.objects.get()
    assert access.staff == clerks["guichet"]
    assert access.view_name == "registry:staff_document"
    assert access.filing_reference == application.reference
    assert access.document_id == document.pk
    assert access.data_subject == entrepreneur
    assert access.path == url and access.method == "GET"


def test_a_clerk_opening_a_task_is_logged_with_its_filing(filed, entrepreneur, clerks):
    application, _ = filed
    response = _client(clerks["guichet"]).get(
        reverse("workflows:task", args=[_intake(application).pk]))
    assert response.status_code == 200
    access = StaffAccess.objects.get()
    assert (access.view_name, access.filing_reference, access.data_subject) == (
        "workflows:task", application.reference, entrepreneur)


def test_refused_accesses_and_the_owners_own_pages_are_not_logged(filed, entrepreneur,
                                                                  clerks):
    application, document = filed
    url = reverse("registry:staff_document", args=[application.reference, document.pk])
    assert _client(clerks["impots"]).get(url).status_code == 404  # not at that desk yet
    assert _client(entrepreneur).get(url).status_code == 403
    assert _client(entrepreneur).get(application.get_absolute_url()).status_code == 200
    assert not StaffAccess.objects.exists()


def test_no_document_is_given_when_the_access_cannot_be_logged(filed, clerks):
    application, document = filed
    url = reverse("registry:staff_document", args=[application.reference, document.pk])
    client = _client(clerks["guichet"])
    client.raise_request_exception = False
    with mock.patch("privacy.middleware.log_staff_access", side_effect=RuntimeError("db")):
        assert client.get(url).status_code == 500


def test_a_supervisor_sees_the_accesses_of_their_desk_only(filed, clerks, make_user):
    application, document = filed
    _client(clerks["guichet"]).get(
        reverse("registry:staff_document", args=[application.reference, document.pk]))
    supervisor = make_user("chef.guichet@cfe.example.tg", desk="guichet", supervisor=True)
    other = make_user("chef.impots@cfe.example.tg", desk="impots", supervisor=True)
    url = reverse("privacy:access_log")

    page = _client(supervisor).get(url)
    assert page.status_code == 200
    assert application.reference in page.content.decode()
    assert str(clerks["guichet"]) in page.content.decode()
    assert application.reference not in _client(other).get(url).content.decode()
    assert _client(clerks["guichet"]).get(url).status_code == 403  # not a supervisor
    assert Client().get(url).status_code == 302


def test_the_person_sees_who_looked_at_their_data_in_their_export(filed, entrepreneur,
                                                                  clerks):
    from privacy.export import personal_data

    application, document = filed
    _client(clerks["guichet"]).get(
        reverse("registry:staff_document", args=[application.reference, document.pk]))
    data, _files = personal_data(entrepreneur)
    assert [(access["filing"], access["document_id"]) for access in data["staff_accesses"]] \
        == [(application.reference, document.pk)]
