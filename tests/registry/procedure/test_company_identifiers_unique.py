"""A NIF or CNSS employer number belongs to one company: a desk typing one that another
company or filing in progress holds is refused, naming that file, and nothing is written."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.urls import reverse

from registry import services as registry_services
from registry.models import Application, Company
from tests.fees import submit_and_pay
from workflows import services as engine
from workflows.models import Task, TaskState

from ...conftest import COMPANY_DATA, FOUNDER_DATA
from .helpers import advance_until, case_of, event_count, task_of


def _second_filing(owner, name: str = "Kara Transport") -> Application:
    application = registry_services.application_create(
        owner=owner, data={**COMPANY_DATA, "company_name": name}, founder=dict(FOUNDER_DATA))
    return submit_and_pay(application_id=application.pk, user=owner)


def _claimed(application, step: str, clerks) -> Task:
    case = case_of(application)
    advance_until(case, step, clerks)
    task = task_of(case, step)
    engine.claim_task(task_id=task.pk, user=clerks[task.desk.code])
    return task


def _approve_through_the_view(client, clerk, task, data: dict):
    client.force_login(clerk)
    url = reverse("workflows:task_action", kwargs={"task_id": task.pk, "action": "approve"})
    return client.post(url, {"comment": "", "confirm": "1", **data})


def _errors(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)
            if message.level_tag == "error"]


def test_a_nif_held_by_a_registered_company_is_refused_naming_it(
    client, registered, clerks, other_entrepreneur
):
    company = registered.company
    second = _second_filing(other_entrepreneur)
    tax = _claimed(second, "tax", clerks)
    events = event_count()

    response = _approve_through_the_view(client, clerks["impots"], tax,
                                         {"data_nif": company.nif})

    assert response.status_code == 302
    assert response.url == reverse("workflows:task", kwargs={"task_id": tax.pk})
    [error] = _errors(response)
    assert company.nif in error
    assert company.rccm_number in error and registered.reference in error
    assert company.name in error
    tax.refresh_from_db()
    second.refresh_from_db()
    assert (tax.state, tax.assignee, tax.data) == (TaskState.CLAIMED, clerks["impots"], {})
    assert second.nif == ""
    assert event_count() == events


def test_a_nif_held_by_a_filing_in_progress_is_refused_naming_its_file(
    client, submitted, clerks, other_entrepreneur
):
    advance_until(case_of(submitted), "registrar", clerks)  # tax approved: NIF recorded
    submitted.refresh_from_db()
    second = _second_filing(other_entrepreneur)
    tax = _claimed(second, "tax", clerks)
    events = event_count()

    response = _approve_through_the_view(client, clerks["impots"], tax,
                                         {"data_nif": submitted.nif})

    [error] = _errors(response)
    assert submitted.reference in error and "en cours d'instruction" in error
    tax.refresh_from_db()
    second.refresh_from_db()
    assert tax.state == TaskState.CLAIMED
    assert second.nif == ""
    assert event_count() == events


def test_an_employer_number_held_by_another_company_is_refused_naming_it(
    client, registered, clerks, other_entrepreneur
):
    company = registered.company
    second = _second_filing(other_entrepreneur)
    social_security = _claimed(second, "social_security", clerks)
    events = event_count()

    response = _approve_through_the_view(client, clerks["cnss"], social_security,
                                         {"data_employer_number": company.employer_number})

    [error] = _errors(response)
    assert "numéro employeur CNSS" in error and company.rccm_number in error
    social_security.refresh_from_db()
    second.refresh_from_db()
    assert social_security.state == TaskState.CLAIMED
    assert second.employer_number == ""
    assert event_count() == events


def test_a_fresh_number_is_accepted_and_a_withdrawn_filings_number_holds_nothing(
    client, submitted, clerks, other_entrepreneur, entrepreneur
):
    advance_until(case_of(submitted), "registrar", clerks)
    submitted.refresh_from_db()
    Application.objects.filter(pk=submitted.pk).update(state="withdrawn")
    second = _second_filing(other_entrepreneur)
    tax = _claimed(second, "tax", clerks)

    response = _approve_through_the_view(client, clerks["impots"], tax,
                                         {"data_nif": submitted.nif})

    assert _errors(response) == []
    second.refresh_from_db()
    assert second.nif == submitted.nif


def test_the_service_refuses_with_the_engines_error_type(registered, other_entrepreneur):
    second = _second_filing(other_entrepreneur)
    with pytest.raises(engine.WorkflowError, match=registered.company.rccm_number), \
            transaction.atomic():
        registry_services.record_identifier(application_id=second.pk, actor=None,
                                            field="nif", value=registered.company.nif)


def test_the_database_refuses_a_second_company_with_the_same_identifier(
    registered, other_entrepreneur
):
    company = registered.company
    second = _second_filing(other_entrepreneur)
    fields = {"application": second, "name": "Kara Transport", "legal_form": "SARL",
              "registered_office": "Lomé"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.create(**fields, rccm_number="TG-LOM-2026-B-09998", nif=company.nif)
    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.create(**fields, rccm_number="TG-LOM-2026-B-09999",
                               employer_number=company.employer_number)


def test_the_database_lets_many_companies_have_no_identifier_yet(
    registered, other_entrepreneur
):
    Company.objects.filter(pk=registered.company.pk).update(nif="", employer_number="")
    second = _second_filing(other_entrepreneur)
    Company.objects.create(application=second, name="Kara Transport", legal_form="EI",
                           registered_office="Lomé", rccm_number="TG-LOM-2026-A-09999")
    assert Company.objects.filter(nif="", employer_number="").count() == 2
