"""The correction loop of a filing: a desk names what the applicant may change, the
applicant changes only that, resubmits, and the desks that returned the filing get it again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from registry import services as registry_services
from registry.models import ApplicationState
from registry.services import drafting
from tests.fees import submit_and_pay
from workflows import services as engine
from workflows.models import AuditEvent, CaseState, Task, TaskState

from .helpers import advance_until, case_of, claim_and_approve, states, task_of


@pytest.fixture
def case(submitted):
    return case_of(submitted)


def claim_and_return(case, step_id, clerk, comment, fields):
    task = task_of(case, step_id)
    engine.claim_task(task_id=task.pk, user=clerk)
    engine.return_task(task_id=task.pk, user=clerk, comment=comment, fields=fields)
    task.refresh_from_db()
    return task


def founder(application):
    return application.parties.get()


def test_a_return_names_the_sections_the_applicant_may_correct(submitted, case, clerks):
    claim_and_return(case, "intake", clerks["guichet"], "Numéro de CNI illisible.",
                     ["people"])

    submitted.refresh_from_db()
    case.refresh_from_db()
    assert submitted.state == ApplicationState.CORRECTION_REQUESTED
    # the people's documents reopen with them (registry.services.reopened_sections)
    assert submitted.correction_fields == ["documents", "people"]
    assert submitted.may_edit("people")
    assert not submitted.may_edit("names")
    assert submitted.correction_message == "Numéro de CNI illisible."
    assert case.state == CaseState.SUSPENDED


def test_a_return_keeps_only_sections_the_applicant_can_correct(submitted, case, clerks):
    # The legal form is not reopened (it decides everything else); old field names and
    # anything else are dropped.
    claim_and_return(case, "intake", clerks["guichet"], "À revoir.",
                     ["office", "form", "company-rccm_number", "founder-address", "owner",
                      "office"])

    submitted.refresh_from_db()
    assert submitted.correction_fields == ["office"]


def test_under_correction_only_the_named_sections_change(submitted, case, clerks,
                                                        entrepreneur):
    claim_and_return(case, "intake", clerks["guichet"], "Numéro de CNI illisible.",
                     ["people"])
    events = AuditEvent.objects.count()

    for section, data in (("names", {"company_name": "Nom changé en douce"}),
                          ("capital", {"capital": 5}),
                          ("form", {"legal_form": "SA"})):
        with pytest.raises(registry_services.FilingError):
            drafting.save_section(application_id=submitted.pk, user=entrepreneur,
                                  section=section, data=data)
    assert AuditEvent.objects.count() == events
    drafting.save_party(application_id=submitted.pk, user=entrepreneur,
                        party_id=founder(submitted).pk,
                        data={"id_document_number": "TG-CNI-654321"})

    submitted.refresh_from_db()
    assert founder(submitted).id_document_number == "TG-CNI-654321"
    assert founder(submitted).last_name == "Agbeko"
    assert submitted.company_name == "Éléphant Bleu"
    assert submitted.legal_form == "SARL"
    assert submitted.normalized_name == "elephant bleu"
    assert submitted.capital == 1_000_000
    assert submitted.state == ApplicationState.CORRECTION_REQUESTED


def test_under_review_the_filing_cannot_be_changed(submitted, entrepreneur):
    party = founder(submitted)
    with pytest.raises(registry_services.FilingError):
        drafting.save_party(application_id=submitted.pk, user=entrepreneur,
                            party_id=party.pk, data={"id_document_number": "TG-CNI-654321"})
    with pytest.raises(registry_services.FilingError):
        drafting.save_party(application_id=submitted.pk, user=entrepreneur,
                            data={"first_name": "Afi", "last_name": "Intruse"})
    with pytest.raises(registry_services.FilingError):
        drafting.remove_party(application_id=submitted.pk, user=entrepreneur,
                              party_id=party.pk)
    with pytest.raises(registry_services.FilingError):
        drafting.save_section(application_id=submitted.pk, user=entrepreneur,
                              section="office", data={"registered_office": "Ailleurs"})
    assert founder(submitted).id_document_number == "TG-CNI-123456"
    submitted.refresh_from_db()
    assert submitted.registered_office == "12 rue du Commerce"


def test_resubmission_reopens_the_returned_task_with_a_fresh_deadline(
    submitted, case, clerks, entrepreneur
):
    advance_until(case, "registry", clerks)
    registry = claim_and_return(case, "registry", clerks["greffe"], "Pièce d'identité expirée.",
                                ["people"])
    long_ago = timezone.now() - timedelta(days=3)
    Task.objects.filter(pk=registry.pk).update(due_at=long_ago, escalated_at=long_ago)
    drafting.save_party(application_id=submitted.pk, user=entrepreneur,
                        party_id=founder(submitted).pk,
                        data={"id_document_number": "TG-CNI-654321"})

    submit_and_pay(application_id=submitted.pk, user=entrepreneur)

    registry.refresh_from_db()
    submitted.refresh_from_db()
    case.refresh_from_db()
    assert registry.state == TaskState.READY
    assert registry.assignee is None
    assert registry.comment == ""
    assert registry.escalated_at is None
    assert registry.due_at > timezone.now() + timedelta(hours=7)  # sla_hours: 8
    assert case.state == CaseState.RUNNING
    assert submitted.state == ApplicationState.IN_REVIEW
    assert submitted.correction_fields == []
    assert submitted.correction_message == ""
    # The desks that had approved keep their approval; the people were reopened, so the
    # screening of the managers runs again (queued on commit).
    assert states(case) == {
        "intake": TaskState.APPROVED,
        "name_check": TaskState.APPROVED,
        "screening": TaskState.READY,
        "registry": TaskState.READY,
        "tax": TaskState.WAITING,
        "social_security": TaskState.WAITING,
        "registrar": TaskState.WAITING,
    }
    assert AuditEvent.objects.filter(object_id=str(task_of(case, "intake").pk),
                                     object_type="workflows.task", action="reopen").count() == 0


@pytest.fixture
def both_returned(submitted, case, clerks):
    """Tax and social security each send the filing back, one after the other."""
    advance_until(case, "tax", clerks)
    claim_and_return(case, "tax", clerks["impots"], "Adresse du siège incomplète.",
                     ["office"])
    claim_and_return(case, "social_security", clerks["cnss"], "Adresse du gérant incomplète.",
                     ["people", "office"])
    submitted.refresh_from_db()
    case.refresh_from_db()
    return submitted, case


def test_a_second_return_while_suspended_merges_fields_and_messages(both_returned):
    application, case = both_returned
    assert case.state == CaseState.SUSPENDED
    assert application.state == ApplicationState.CORRECTION_REQUESTED
    assert application.correction_fields == ["documents", "office", "people"]
    assert "Adresse du siège incomplète." in application.correction_message
    assert "Adresse du gérant incomplète." in application.correction_message
    assert application.correction_message.index("siège") < application.correction_message.index(
        "gérant")
    assert states(case)["tax"] == TaskState.RETURNED
    assert states(case)["social_security"] == TaskState.RETURNED
    assert states(case)["registrar"] == TaskState.WAITING
    assert AuditEvent.objects.filter(case=case, action="suspend").count() == 1
    assert AuditEvent.objects.filter(object_type="registry.application",
                                     action="request_correction").count() == 2


def test_after_two_returns_the_applicant_may_change_what_either_desk_named(
    both_returned, entrepreneur
):
    application, _case = both_returned
    drafting.save_section(application_id=application.pk, user=entrepreneur, section="office",
                          data={"registered_office": "45 boulevard du 13 Janvier"})
    drafting.save_party(application_id=application.pk, user=entrepreneur,
                        party_id=founder(application).pk, data={"address": "Tokoin, Lomé"})
    with pytest.raises(registry_services.FilingError):
        drafting.save_section(application_id=application.pk, user=entrepreneur,
                              section="names", data={"company_name": "Autre"})
    application.refresh_from_db()
    assert application.registered_office == "45 boulevard du 13 Janvier"
    assert founder(application).address == "Tokoin, Lomé"
    assert application.company_name == "Éléphant Bleu"


def test_resubmission_reopens_both_returned_tasks_and_the_registrar_waits(
    both_returned, clerks, entrepreneur
):
    application, case = both_returned

    submit_and_pay(application_id=application.pk, user=entrepreneur)

    case.refresh_from_db()
    assert case.state == CaseState.RUNNING
    assert states(case)["tax"] == TaskState.READY
    assert states(case)["social_security"] == TaskState.READY
    assert states(case)["registrar"] == TaskState.WAITING
    claim_and_approve(case, "tax", clerks["impots"])
    claim_and_approve(case, "social_security", clerks["cnss"])
    assert states(case)["registrar"] == TaskState.READY


def test_a_desk_may_approve_while_another_desk_waits_for_the_applicant(
    submitted, case, clerks, entrepreneur
):
    advance_until(case, "tax", clerks)
    claim_and_return(case, "tax", clerks["impots"], "NIF déjà attribué ?", [])

    claim_and_approve(case, "social_security", clerks["cnss"])

    case.refresh_from_db()
    assert case.state == CaseState.SUSPENDED
    assert states(case)["social_security"] == TaskState.APPROVED
    assert states(case)["registrar"] == TaskState.WAITING
    submit_and_pay(application_id=submitted.pk, user=entrepreneur)
    assert states(case)["social_security"] == TaskState.APPROVED
    assert states(case)["tax"] == TaskState.READY
    claim_and_approve(case, "tax", clerks["impots"])
    assert states(case)["registrar"] == TaskState.READY


def test_a_name_corrected_after_the_checks_is_checked_again(submitted, case, clerks,
                                                           entrepreneur):
    """The tax desk sends the name back; the applicant picks one already registered: the
    automatic name check runs again and fails into the intake queue."""
    from .helpers import run_on_commit

    advance_until(case, "tax", clerks)
    claim_and_return(case, "tax", clerks["impots"], "Nom trop proche d'une marque.",
                     ["names"])
    # an earlier filing already asks for that name
    taken = registry_services.application_create(
        owner=entrepreneur, data={"company_name": "Lumière du Golfe"},
        founder={"first_name": "A", "last_name": "B", "shares": 1})
    type(taken).objects.filter(pk=taken.pk).update(state=ApplicationState.IN_REVIEW,
                                                   submitted_at=timezone.now()
                                                   - timedelta(days=1))
    drafting.save_section(application_id=submitted.pk, user=entrepreneur, section="names",
                          data={"company_name": "Lumière du Golfe"})
    with run_on_commit():
        submit_and_pay(application_id=submitted.pk, user=entrepreneur)

    name_check = task_of(case, "name_check")
    assert name_check.state == TaskState.FAILED
    assert "Lumière du Golfe" in name_check.error
    assert task_of(case, "screening").state == TaskState.APPROVED  # people not reopened
    assert AuditEvent.objects.filter(object_id=str(name_check.pk), action="rerun").count() == 1
