"""A partner desk (the tax office, social security) completes its step through the API, by
the engine's own services, exactly once however often the call is repeated."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection
from rest_framework.test import APIClient

from partners.models import PartnerKind, Scope
from workflows.models import AuditEvent, DeskMembership, TaskState

from ..registry.procedure.helpers import advance_until, case_of, states, task_of
from .conftest import bearer

NIF = "1000428517"


def nif_url(application) -> str:
    return f"/api/v1/desk/filings/{application.reference}/nif/"


def approvals(task) -> int:
    return AuditEvent.objects.filter(object_type="workflows.task", object_id=str(task.pk),
                                     action="approve").count()


@pytest.fixture
def at_tax(submitted, clerks):
    """A filing whose tax step is ready."""
    advance_until(case_of(submitted), "tax", clerks)
    assert task_of(case_of(submitted), "tax").state == TaskState.READY
    return submitted


@pytest.mark.django_db
def test_the_partner_s_service_account_is_a_member_of_its_desk_only(tax_office):
    user = tax_office.service_user
    assert list(DeskMembership.objects.filter(user=user).values_list("desk__code", flat=True)
                ) == ["impots"]
    assert not user.has_usable_password()


@pytest.mark.django_db
def test_the_tax_office_completes_its_step_with_the_nif(api, at_tax, tax_office, tax_key):
    response = api.post(nif_url(at_tax), {"nif": "1000 428 517"}, format="json",
                        **bearer(tax_key))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["reference"], body["step"], body["field"], body["value"]) == (
        at_tax.reference, "tax", "nif", NIF)
    task = task_of(case_of(at_tax), "tax")
    assert (task.state, task.assignee, task.data) == (
        TaskState.APPROVED, tax_office.service_user, {"nif": NIF})
    at_tax.refresh_from_db()
    assert at_tax.nif == NIF
    # Audited with the partner's account as the actor, as a clerk's decision is.
    assert AuditEvent.objects.filter(object_type="workflows.task", object_id=str(task.pk),
                                     actor=tax_office.service_user,
                                     action__in=["claim", "approve"]).count() == 2


@pytest.mark.django_db
def test_the_same_call_repeated_answers_the_same_and_approves_once(api, at_tax, tax_key):
    first = api.post(nif_url(at_tax), {"nif": NIF}, format="json", **bearer(tax_key))
    again = api.post(nif_url(at_tax), {"nif": NIF}, format="json", **bearer(tax_key))
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert approvals(task_of(case_of(at_tax), "tax")) == 1


@pytest.mark.django_db
def test_another_nif_after_completion_is_a_conflict(api, at_tax, tax_key):
    api.post(nif_url(at_tax), {"nif": NIF}, format="json", **bearer(tax_key))
    response = api.post(nif_url(at_tax), {"nif": "2000000001"}, format="json",
                        **bearer(tax_key))
    assert response.status_code == 409
    assert NIF in response.json()["detail"]
    at_tax.refresh_from_db()
    assert at_tax.nif == NIF


@pytest.mark.django_db
def test_a_nif_another_company_holds_is_a_conflict_and_nothing_changes(
        api, at_tax, tax_key, make_companies):
    (holder,) = make_companies(1)
    response = api.post(nif_url(at_tax), {"nif": holder.nif}, format="json",
                        **bearer(tax_key))
    assert response.status_code == 409
    assert holder.rccm_number in response.json()["detail"]
    task = task_of(case_of(at_tax), "tax")
    assert (task.state, task.assignee) == (TaskState.READY, None)  # the claim rolled back


@pytest.mark.django_db
def test_a_step_not_ready_is_a_conflict(api, submitted, tax_key):
    response = api.post(nif_url(submitted), {"nif": NIF}, format="json", **bearer(tax_key))
    assert response.status_code == 409
    assert states(case_of(submitted))["tax"] == TaskState.WAITING


@pytest.mark.django_db
def test_a_step_a_clerk_has_claimed_is_a_conflict(api, at_tax, tax_key, clerks):
    from workflows import services as engine

    engine.claim_task(task_id=task_of(case_of(at_tax), "tax").pk, user=clerks["impots"])
    response = api.post(nif_url(at_tax), {"nif": NIF}, format="json", **bearer(tax_key))
    assert response.status_code == 409


@pytest.mark.django_db
def test_a_badly_formed_nif_is_400(api, at_tax, tax_key):
    response = api.post(nif_url(at_tax), {"nif": "12AB"}, format="json", **bearer(tax_key))
    assert response.status_code == 400
    assert "format" in response.json()["detail"]
    assert api.post(nif_url(at_tax), {}, format="json", **bearer(tax_key)).status_code == 400


@pytest.mark.django_db
def test_an_unknown_filing_is_404(api, tax_key, db):
    response = api.post("/api/v1/desk/filings/NOPE/nif/", {"nif": NIF}, format="json",
                        **bearer(tax_key))
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_partner_of_another_desk_is_refused(api, at_tax, make_partner, make_key):
    cnss = make_partner("CNSS", kind=PartnerKind.SOCIAL_SECURITY, desk="cnss")
    response = api.post(nif_url(at_tax), {"nif": NIF}, format="json",
                        **bearer(make_key(cnss, [Scope.DESK_ACT])))
    assert response.status_code == 403
    assert task_of(case_of(at_tax), "tax").state == TaskState.READY


@pytest.mark.django_db
def test_a_partner_without_the_desk_scope_is_refused(api, at_tax, tax_office, make_key):
    key = make_key(tax_office, [Scope.COMPANIES_READ])
    response = api.post(nif_url(at_tax), {"nif": NIF}, format="json", **bearer(key))
    assert response.status_code == 403


@pytest.mark.django_db
def test_social_security_sends_the_employer_number(api, at_tax, make_partner, make_key):
    cnss = make_partner("CNSS", kind=PartnerKind.SOCIAL_SECURITY, desk="cnss")
    response = api.post(f"/api/v1/desk/filings/{at_tax.reference}/employer-number/",
                        {"employer_number": "654321"}, format="json",
                        **bearer(make_key(cnss, [Scope.DESK_ACT])))
    assert response.status_code == 200, response.content
    at_tax.refresh_from_db()
    assert at_tax.employer_number == "654321"


@pytest.mark.django_db
def test_the_desk_lists_the_filings_waiting_for_it(api, at_tax, tax_key, bank, make_key):
    response = api.get("/api/v1/desk/filings/", **bearer(tax_key))
    assert response.status_code == 200
    assert [(row["reference"], row["step"]) for row in response.json()["results"]] == [
        (at_tax.reference, "tax")]
    no_desk = api.get("/api/v1/desk/filings/", **bearer(make_key(bank, [Scope.DESK_ACT])))
    assert no_desk.status_code == 403


@pytest.mark.django_db
def test_completing_tax_and_social_security_lets_the_registrar_finish(
        api, at_tax, tax_key, make_partner, make_key, clerks):
    from ..registry.procedure.helpers import claim_and_approve

    cnss_key = make_key(make_partner("CNSS", kind=PartnerKind.SOCIAL_SECURITY, desk="cnss"),
                        [Scope.DESK_ACT])
    api.post(nif_url(at_tax), {"nif": NIF}, format="json", **bearer(tax_key))
    api.post(f"/api/v1/desk/filings/{at_tax.reference}/employer-number/",
             {"employer_number": "654321"}, format="json", **bearer(cnss_key))
    assert states(case_of(at_tax))["registrar"] == TaskState.READY
    claim_and_approve(case_of(at_tax), "registrar", clerks["greffier"], on_commit=False)
    at_tax.refresh_from_db()
    assert (at_tax.company.nif, at_tax.company.employer_number) == (NIF, "654321")


@pytest.mark.django_db(transaction=True)
def test_two_identical_calls_at_once_complete_the_step_once(at_tax, tax_key):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks and concurrent transactions need PostgreSQL.")
    barrier = threading.Barrier(2)
    answers: list[tuple[int, dict]] = []

    def call():
        try:
            client = APIClient()
            barrier.wait()
            response = client.post(nif_url(at_tax), {"nif": NIF}, format="json",
                                   **bearer(tax_key))
            answers.append((response.status_code, response.json()))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _body in answers] == [200, 200]
    assert answers[0][1] == answers[1][1]
    assert approvals(task_of(case_of(at_tax), "tax")) == 1
