"""A desk supervisor hands an open task to another member of the desk."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from workflows import services as engine
from workflows.models import AuditEvent, TaskState

from .helpers import (
    LICENCE_NUMBER,
    advance_until,
    claim_and_approve,
    event_count,
    make_permit,
    messages_of,
    start,
    task_of,
)


@pytest.fixture
def supervisor(make_user):
    return make_user("cheffe.impots@cfe.example.tg", desk="impots", supervisor=True)


@pytest.fixture
def deputy(make_user):
    """Another member of the licence desk (impots)."""
    return make_user("edem@cfe.example.tg", desk="impots")


@pytest.fixture
def licence(case, clerks):
    advance_until(case, "licence", clerks)
    return task_of(case, "licence")


@pytest.fixture
def claimed(licence, clerks):
    engine.claim_task(task_id=licence.pk, user=clerks["impots"])
    return licence


def reassign_url(task) -> str:
    return reverse("workflows:task_action", args=[task.pk, "reassign"])


def test_a_supervisor_reassigns_a_claimed_task_to_another_member(
    permit, claimed, supervisor, deputy, clerks
):
    engine.reassign_task(task_id=claimed.pk, supervisor=supervisor, to_user=deputy)

    claimed.refresh_from_db()
    assert claimed.state == TaskState.CLAIMED
    assert claimed.assignee == deputy
    event = AuditEvent.objects.get(object_id=str(claimed.pk), object_type="workflows.task",
                                   action="reassign")
    assert event.actor == supervisor
    assert event.comment == str(deputy)
    assert (event.from_state, event.to_state) == (TaskState.CLAIMED, TaskState.CLAIMED)
    # The new assignee decides; the previous one no longer can.
    with pytest.raises(engine.WorkflowError):
        engine.approve_task(task_id=claimed.pk, user=clerks["impots"],
                            data={"licence_number": "20260042"})
    engine.approve_task(task_id=claimed.pk, user=deputy, data={"licence_number": "20260042"})
    claimed.refresh_from_db()
    permit.refresh_from_db()
    assert claimed.state == TaskState.APPROVED
    assert permit.licence_number == LICENCE_NUMBER
    assert permit.calls[-1] == ["step_approved", "licence", "edem@cfe.example.tg"]


def test_the_new_assignee_is_told_by_mail_after_the_commit(claimed, supervisor, deputy,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        engine.reassign_task(task_id=claimed.pk, supervisor=supervisor, to_user=deputy)

    sent = [message for message in mail.outbox if deputy.email in message.to]
    assert len(sent) == 1
    assert "Attribution du numéro de licence" in sent[0].subject + sent[0].body
    assert reverse("workflows:task", args=[claimed.pk]) in sent[0].body


def test_a_supervisor_assigns_a_ready_task_from_the_queue(licence, supervisor, deputy):
    engine.reassign_task(task_id=licence.pk, supervisor=supervisor, to_user=deputy)

    licence.refresh_from_db()
    assert licence.state == TaskState.CLAIMED
    assert licence.assignee == deputy


def test_a_supervisor_may_take_the_task_for_themselves(licence, supervisor):
    engine.reassign_task(task_id=licence.pk, supervisor=supervisor, to_user=supervisor)
    licence.refresh_from_db()
    assert licence.assignee == supervisor


def test_a_supervisor_assigns_a_failed_check(clerks, make_user):
    greffe_chief = make_user("chef.greffe@cfe.example.tg", desk="greffe", supervisor=True)
    greffe_deputy = make_user("akou@cfe.example.tg", desk="greffe")
    case = start(make_permit("Bar du Port", check_problem="Extincteur absent."))
    claim_and_approve(case, "intake", clerks["guichet"])
    inspection = task_of(case, "inspection")
    assert inspection.state == TaskState.FAILED

    engine.reassign_task(task_id=inspection.pk, supervisor=greffe_chief, to_user=greffe_deputy)

    inspection.refresh_from_db()
    assert inspection.state == TaskState.CLAIMED
    assert inspection.assignee == greffe_deputy
    assert inspection.error == "Extincteur absent."


def test_an_automatic_check_that_has_not_run_cannot_be_assigned(case, clerks, make_user):
    greffe_chief = make_user("chef.greffe@cfe.example.tg", desk="greffe", supervisor=True)
    claim_and_approve(case, "intake", clerks["guichet"], on_commit=False)
    inspection = task_of(case, "inspection")

    with pytest.raises(engine.WorkflowError, match="contrôle automatique est en cours"):
        engine.reassign_task(task_id=inspection.pk, supervisor=greffe_chief,
                             to_user=clerks["greffe"])

    inspection.refresh_from_db()
    assert inspection.state == TaskState.READY
    assert inspection.assignee is None


def test_a_member_who_is_not_supervisor_cannot_reassign(claimed, clerks, deputy):
    before = event_count()
    with pytest.raises(engine.WorkflowError, match="Seul un superviseur du guichet"):
        engine.reassign_task(task_id=claimed.pk, supervisor=clerks["impots"], to_user=deputy)

    claimed.refresh_from_db()
    assert claimed.assignee == clerks["impots"]
    assert event_count() == before


def test_a_supervisor_of_another_desk_cannot_reassign(claimed, make_user, deputy, clerks):
    other_supervisor = make_user("chef.guichet@cfe.example.tg", desk="guichet", supervisor=True)
    with pytest.raises(engine.WorkflowError, match="Seul un superviseur du guichet"):
        engine.reassign_task(task_id=claimed.pk, supervisor=other_supervisor, to_user=deputy)
    claimed.refresh_from_db()
    assert claimed.assignee == clerks["impots"]


def test_the_new_assignee_must_belong_to_the_desk(claimed, supervisor, clerks):
    before = event_count()
    with pytest.raises(engine.WorkflowError, match="n'appartient pas au guichet"):
        engine.reassign_task(task_id=claimed.pk, supervisor=supervisor, to_user=clerks["cnss"])

    claimed.refresh_from_db()
    assert claimed.assignee == clerks["impots"]
    assert event_count() == before


def test_a_decided_task_cannot_be_reassigned(claimed, supervisor, deputy, clerks):
    engine.approve_task(task_id=claimed.pk, user=clerks["impots"],
                        data={"licence_number": "20260042"})
    with pytest.raises(engine.WorkflowError, match="n'est plus ouverte"):
        engine.reassign_task(task_id=claimed.pk, supervisor=supervisor, to_user=deputy)
    claimed.refresh_from_db()
    assert claimed.state == TaskState.APPROVED
    assert claimed.assignee == clerks["impots"]


def test_a_waiting_task_cannot_be_reassigned(case, supervisor, deputy):
    licence = task_of(case, "licence")
    with pytest.raises(engine.WorkflowError, match="n'est plus ouverte"):
        engine.reassign_task(task_id=licence.pk, supervisor=supervisor, to_user=deputy)
    licence.refresh_from_db()
    assert licence.state == TaskState.WAITING
    assert licence.assignee is None


def test_a_cancelled_task_cannot_be_reassigned(licence, supervisor, deputy, applicant):
    engine.cancel_case(case_id=licence.case_id, actor=applicant)
    with pytest.raises(engine.WorkflowError):
        engine.reassign_task(task_id=licence.pk, supervisor=supervisor, to_user=deputy)
    licence.refresh_from_db()
    assert licence.state == TaskState.CANCELLED
    assert licence.assignee is None


# --- through the view ---------------------------------------------------------------------


def test_the_task_page_offers_reassignment_to_a_supervisor_only(
    client, claimed, supervisor, clerks, deputy
):
    page = client.get(reverse("workflows:task", args=[claimed.pk]))  # anonymous: login
    assert page.status_code == 302

    client.force_login(supervisor)
    page = client.get(reverse("workflows:task", args=[claimed.pk]))
    assert page.context["reassign_form"] is not None
    assert set(page.context["reassign_form"].fields["assignee"].queryset) == {
        clerks["impots"], supervisor, deputy}
    assert reassign_url(claimed) in page.content.decode()

    client.force_login(clerks["impots"])
    page = client.get(reverse("workflows:task", args=[claimed.pk]))
    assert page.context["reassign_form"] is None
    assert reassign_url(claimed) not in page.content.decode()


def test_the_task_page_offers_no_reassignment_of_a_decided_task(client, claimed, supervisor,
                                                                clerks):
    engine.approve_task(task_id=claimed.pk, user=clerks["impots"],
                        data={"licence_number": "20260042"})
    client.force_login(supervisor)
    page = client.get(reverse("workflows:task", args=[claimed.pk]))
    assert page.context["reassign_form"] is None


def test_a_supervisor_reassigns_through_the_view(client, claimed, supervisor, deputy):
    client.force_login(supervisor)

    response = client.post(reassign_url(claimed), {"assignee": deputy.pk})

    assert response.status_code == 302
    assert response.url == reverse("workflows:task", args=[claimed.pk])
    assert ("success", "Tâche réattribuée.") in messages_of(response)
    claimed.refresh_from_db()
    assert claimed.assignee == deputy
    assert claimed.state == TaskState.CLAIMED


def test_a_non_supervisor_posting_a_reassignment_is_refused(client, claimed, clerks, deputy):
    client.force_login(clerks["impots"])

    response = client.post(reassign_url(claimed), {"assignee": deputy.pk})

    assert response.status_code == 302
    assert messages_of(response) == [
        ("error", "Seul un superviseur du guichet peut réattribuer une tâche.")
    ]
    claimed.refresh_from_db()
    assert claimed.assignee == clerks["impots"]


def test_reassigning_through_the_view_to_someone_outside_the_desk_is_refused(
    client, claimed, supervisor, clerks
):
    client.force_login(supervisor)

    response = client.post(reassign_url(claimed), {"assignee": clerks["cnss"].pk})

    assert messages_of(response) == [("error", "Choisissez un agent du guichet.")]
    claimed.refresh_from_db()
    assert claimed.assignee == clerks["impots"]
