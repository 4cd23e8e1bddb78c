"""A desk supervisor hands an open task to another member of the desk."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from registry.models import ProhibitedPerson
from workflows import services as engine
from workflows.models import AuditEvent, TaskState

from .helpers import advance_until, case_of, claim_and_approve, event_count, task_of


@pytest.fixture
def supervisor(make_user):
    return make_user("cheffe.greffe@cfe.example.tg", desk="greffe", supervisor=True)


@pytest.fixture
def colleague(make_user):
    return make_user("edem@cfe.example.tg", desk="greffe")


@pytest.fixture
def registry_task(submitted, clerks):
    case = case_of(submitted)
    advance_until(case, "registry", clerks)
    return task_of(case, "registry")


@pytest.fixture
def claimed(registry_task, clerks):
    engine.claim_task(task_id=registry_task.pk, user=clerks["greffe"])
    return registry_task


def reassign_url(task) -> str:
    return reverse("workflows:task_action", args=[task.pk, "reassign"])


def test_a_supervisor_reassigns_a_claimed_task_to_another_member(
    claimed, supervisor, colleague, clerks
):
    engine.reassign_task(task_id=claimed.pk, supervisor=supervisor, to_user=colleague)

    claimed.refresh_from_db()
    assert claimed.state == TaskState.CLAIMED
    assert claimed.assignee == colleague
    event = AuditEvent.objects.get(object_id=str(claimed.pk), object_type="workflows.task",
                                   action="reassign")
    assert event.actor == supervisor
    assert (event.from_state, event.to_state) == (TaskState.CLAIMED, TaskState.CLAIMED)
    # The new assignee decides; the previous one no longer can.
    with pytest.raises(engine.WorkflowError):
        engine.approve_task(task_id=claimed.pk, user=clerks["greffe"])
    engine.approve_task(task_id=claimed.pk, user=colleague)
    claimed.refresh_from_db()
    assert claimed.state == TaskState.APPROVED


def test_a_supervisor_assigns_a_ready_task_from_the_queue(registry_task, supervisor, colleague):
    engine.reassign_task(task_id=registry_task.pk, supervisor=supervisor, to_user=colleague)

    registry_task.refresh_from_db()
    assert registry_task.state == TaskState.CLAIMED
    assert registry_task.assignee == colleague


def test_a_supervisor_assigns_a_failed_check(submitted, clerks, supervisor, colleague):
    ProhibitedPerson.objects.create(last_name="Agbeko", id_document_number="TG-CNI-123456",
                                    decision="Jugement n° 12/2024")
    case = case_of(submitted)
    claim_and_approve(case, "intake", clerks["guichet"])
    screening = task_of(case, "screening")
    assert screening.state == TaskState.FAILED

    engine.reassign_task(task_id=screening.pk, supervisor=supervisor, to_user=colleague)

    screening.refresh_from_db()
    assert screening.state == TaskState.CLAIMED
    assert screening.assignee == colleague


def test_a_member_who_is_not_supervisor_cannot_reassign(claimed, clerks, colleague):
    before = event_count()
    with pytest.raises(engine.WorkflowError, match="Seul un superviseur du guichet"):
        engine.reassign_task(task_id=claimed.pk, supervisor=clerks["greffe"], to_user=colleague)

    claimed.refresh_from_db()
    assert claimed.assignee == clerks["greffe"]
    assert event_count() == before


def test_a_supervisor_of_another_desk_cannot_reassign(claimed, make_user, colleague, clerks):
    other_supervisor = make_user("chef.guichet@cfe.example.tg", desk="guichet", supervisor=True)
    with pytest.raises(engine.WorkflowError, match="Seul un superviseur du guichet"):
        engine.reassign_task(task_id=claimed.pk, supervisor=other_supervisor, to_user=colleague)
    claimed.refresh_from_db()
    assert claimed.assignee == clerks["greffe"]


def test_the_new_assignee_must_belong_to_the_desk(claimed, supervisor, clerks):
    before = event_count()
    with pytest.raises(engine.WorkflowError, match="n'appartient pas au guichet"):
        engine.reassign_task(task_id=claimed.pk, supervisor=supervisor, to_user=clerks["impots"])

    claimed.refresh_from_db()
    assert claimed.assignee == clerks["greffe"]
    assert event_count() == before


def test_a_decided_task_cannot_be_reassigned(claimed, supervisor, colleague, clerks):
    engine.approve_task(task_id=claimed.pk, user=clerks["greffe"])
    with pytest.raises(engine.WorkflowError, match="n'est plus ouverte"):
        engine.reassign_task(task_id=claimed.pk, supervisor=supervisor, to_user=colleague)
    claimed.refresh_from_db()
    assert claimed.state == TaskState.APPROVED
    assert claimed.assignee == clerks["greffe"]


def test_a_waiting_task_cannot_be_reassigned(submitted, supervisor, colleague):
    registry = task_of(case_of(submitted), "registry")
    with pytest.raises(engine.WorkflowError):
        engine.reassign_task(task_id=registry.pk, supervisor=supervisor, to_user=colleague)
    registry.refresh_from_db()
    assert registry.state == TaskState.WAITING
    assert registry.assignee is None


# --- through the view ---------------------------------------------------------------------


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def test_the_task_page_offers_reassignment_to_a_supervisor_only(
    client, claimed, supervisor, clerks
):
    page = client.get(reverse("workflows:task", args=[claimed.pk]))  # anonymous: login
    assert page.status_code == 302

    client.force_login(supervisor)
    page = client.get(reverse("workflows:task", args=[claimed.pk]))
    assert page.context["reassign_form"] is not None
    assert reassign_url(claimed) in page.content.decode()

    client.force_login(clerks["greffe"])
    page = client.get(reverse("workflows:task", args=[claimed.pk]))
    assert page.context["reassign_form"] is None
    assert reassign_url(claimed) not in page.content.decode()


def test_a_supervisor_reassigns_through_the_view(client, claimed, supervisor, colleague):
    client.force_login(supervisor)

    response = client.post(reassign_url(claimed), {"assignee": colleague.pk})

    assert response.status_code == 302
    assert response.url == reverse("workflows:task", args=[claimed.pk])
    assert ("success", "Tâche réattribuée.") in messages_of(response)
    claimed.refresh_from_db()
    assert claimed.assignee == colleague
    assert claimed.state == TaskState.CLAIMED


def test_a_non_supervisor_posting_a_reassignment_is_refused(client, claimed, clerks, colleague):
    client.force_login(clerks["greffe"])

    response = client.post(reassign_url(claimed), {"assignee": colleague.pk})

    assert response.status_code == 302
    assert messages_of(response) == [
        ("error", "Seul un superviseur du guichet peut réattribuer une tâche.")
    ]
    claimed.refresh_from_db()
    assert claimed.assignee == clerks["greffe"]


def test_reassigning_through_the_view_to_someone_outside_the_desk_is_refused(
    client, claimed, supervisor, clerks
):
    client.force_login(supervisor)

    response = client.post(reassign_url(claimed), {"assignee": clerks["impots"].pk})

    assert messages_of(response) == [("error", "Choisissez un agent du guichet.")]
    claimed.refresh_from_db()
    assert claimed.assignee == clerks["greffe"]
