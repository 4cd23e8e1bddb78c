"""The audit trail of a filing taken through every desk: the case's and the filing's own
transitions in one verified chain."""

from __future__ import annotations

import pytest

from registry.models import ApplicationState
from workflows import audit
from workflows import services as engine
from workflows.models import AuditEvent, TaskState

from ...fees import cashier
from .helpers import MANUAL_STEPS, advance_until, case_of, complete, task_of


@pytest.fixture
def completed(submitted, clerks):
    """A filing taken through all seven steps, certificate issued."""
    case = case_of(submitted)
    complete(case, clerks, certificate=True)
    submitted.refresh_from_db()
    case.refresh_from_db()
    return submitted, case


def test_the_chain_of_a_full_run_verifies(completed):
    application, _case = completed
    assert application.state == ApplicationState.REGISTERED
    assert AuditEvent.objects.count() > 10
    assert audit.verify() is None


def test_every_approval_wrote_one_approve_event(completed, clerks):
    _application, case = completed
    approvals = AuditEvent.objects.filter(object_type="workflows.task", action="approve")
    assert approvals.count() == len(MANUAL_STEPS) == 5
    assert case.tasks.filter(state=TaskState.APPROVED).count() == 7
    assert {event.actor for event in approvals} == set(clerks.values())
    for event in approvals:
        assert (event.from_state, event.to_state) == (TaskState.CLAIMED, TaskState.APPROVED)
        assert event.case_id == case.pk


def test_the_case_and_the_filing_transitions_are_all_recorded(completed, entrepreneur):
    application, case = completed
    case_actions = list(
        AuditEvent.objects.filter(object_type="workflows.case", object_id=str(case.pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert case_actions == ["start", "complete"]
    filing = list(
        AuditEvent.objects.filter(object_type="registry.application", object_id=str(application.pk))
        .order_by("sequence")
        .values_list("action", "to_state")
    )
    assert filing == [
        ("create", "draft"),
        ("await_payment", "pending_payment"),  # signed: the fee is owed
        ("submit", "in_review"),  # paid: the desks start
        ("nif", "in_review"),
        ("employer_number", "in_review"),
        ("approve", "approved"),
        ("rccm_number", "approved"),  # drawn only once nothing can withdraw the filing
        ("register", "registered"),
    ]
    # Signed by the applicant; sent to the desks by the payment the cashier recorded.
    assert AuditEvent.objects.get(object_type="registry.application",
                                  object_id=str(application.pk),
                                  action="await_payment").actor == entrepreneur
    assert AuditEvent.objects.get(object_type="registry.application",
                                  object_id=str(application.pk),
                                  action="submit").actor == cashier()
    identifiers = dict(
        AuditEvent.objects.filter(object_type="registry.application",
                                  action__in=["rccm_number", "nif", "employer_number"])
        .values_list("action", "comment")
    )
    assert identifiers == {"rccm_number": application.rccm_number, "nif": "1000428517",
                           "employer_number": "123456"}
    assert (
        AuditEvent.objects.get(
            object_type="workflows.case", action="start", object_id=str(case.pk)
        ).actor
        == entrepreneur
    )


def test_a_second_return_while_suspended_is_recorded_and_the_chain_verifies(submitted, clerks):
    case = case_of(submitted)
    advance_until(case, "tax", clerks)
    for step, desk in (("tax", "impots"), ("social_security", "cnss")):
        task = task_of(case, step)
        engine.claim_task(task_id=task.pk, user=clerks[desk])
        engine.return_task(task_id=task.pk, user=clerks[desk], comment=f"À corriger ({step})",
                           fields=["people"])

    assert AuditEvent.objects.filter(object_type="workflows.task", action="return").count() == 2
    assert AuditEvent.objects.filter(object_type="registry.application",
                                     action="request_correction").count() == 2
    assert audit.verify() is None


