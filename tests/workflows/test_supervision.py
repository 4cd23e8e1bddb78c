"""A desk supervisor's screen: clerks' load, overdue tasks, releases, reassignments, failed
checks run again, absences; refused to clerks and to supervisors of other desks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from outbox.models import Message
from workflows import selectors
from workflows import services as engine
from workflows.models import AuditEvent, Task, TaskState

from .helpers import claim_and_approve, make_permit, run_on_commit, start, task_of


@pytest.fixture
def supervisor(make_user):
    """Supervisor of the one-stop shop (guichet), where every intake waits."""
    return make_user("cheffe.guichet@cfe.example.tg", desk="guichet", supervisor=True)


@pytest.fixture
def other_supervisor(make_user):
    """Supervisor of the tax office (impots): not of the one-stop shop."""
    return make_user("chef.impots@cfe.example.tg", desk="impots", supervisor=True)


@pytest.fixture
def greffe_supervisor(make_user):
    return make_user("chef.greffe@cfe.example.tg", desk="greffe", supervisor=True)


@pytest.fixture
def intakes(db, applicant):
    """Four permits, each with its intake ready at the one-stop shop."""
    cases = [start(make_permit(f"Titulaire {n}"), actor=applicant) for n in range(4)]
    return [task_of(case, "intake") for case in cases]


def _overdue(task: Task) -> None:
    Task.objects.filter(pk=task.pk).update(due_at=timezone.now() - timedelta(hours=1))


@pytest.fixture
def loaded(intakes, clerks, colleague):
    """The guichet clerk holds two intakes (one overdue), the colleague one (overdue), the
    fourth waits in the queue, overdue too."""
    first, second, third, fourth = intakes
    for task, clerk in ((first, clerks["guichet"]), (second, clerks["guichet"]),
                        (third, colleague)):
        engine.claim_task(task_id=task.pk, user=clerk)
    for task in (second, third, fourth):
        _overdue(task)
    return intakes


def url(name: str, *args) -> str:
    return reverse(f"workflows:{name}", args=args)


# --- the figures --------------------------------------------------------------------------


def test_each_clerks_load_equals_the_hand_count(loaded, clerks, colleague, supervisor):
    load = {row.member: (row.claimed, row.overdue, row.is_supervisor)
            for row in selectors.desk_load(supervisor.desks.get(code="guichet"))}

    assert load == {clerks["guichet"]: (2, 1, False), colleague: (1, 1, False),
                    supervisor: (0, 0, True)}


def test_the_overdue_list_holds_the_desks_overdue_open_tasks_only(loaded, supervisor):
    _first, second, third, fourth = loaded
    desk = supervisor.desks.get(code="guichet")

    assert {task.pk for task in selectors.desk_overdue(desk)} == {second.pk, third.pk,
                                                                  fourth.pk}


def test_the_supervision_page_shows_the_load_and_the_overdue_tasks(
    client, loaded, supervisor, clerks
):
    client.force_login(supervisor)
    response = client.get(url("supervision"), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == url("supervision_desk", "guichet")
    page = response.content.decode()
    assert "Charge des agents" in page
    assert [(row.claimed, row.overdue) for row in response.context["load"]
            if row.member == clerks["guichet"]] == [(2, 1)]
    assert len(response.context["overdue"]) == 3
    assert len(response.context["claimed"]) == 3


def test_a_plain_clerk_and_another_desks_supervisor_are_refused(
    client, loaded, clerks, other_supervisor
):
    for user in (clerks["guichet"], other_supervisor):
        client.force_login(user)
        assert client.get(url("supervision_desk", "guichet")).status_code == 403
    client.force_login(clerks["guichet"])
    assert client.get(url("supervision")).status_code == 403


# --- release and reassign -------------------------------------------------------------------


def test_the_supervisor_releases_a_clerks_task_to_the_queue(client, loaded, supervisor, clerks):
    first = loaded[0]
    client.force_login(supervisor)

    response = client.post(url("supervision_task_action", "guichet", first.pk, "release"))

    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.state, first.assignee) == (TaskState.READY, None)
    event = AuditEvent.objects.get(object_type="workflows.task", object_id=str(first.pk),
                                   action="release")
    assert event.actor == supervisor
    assert event.comment == str(clerks["guichet"])


@pytest.mark.parametrize("who", ["clerk", "other_supervisor"])
@pytest.mark.parametrize("action", ["release", "reassign"])
def test_release_and_reassign_are_refused_to_others(
    client, loaded, clerks, colleague, other_supervisor, who, action
):
    first = loaded[0]
    before = AuditEvent.objects.count()
    client.force_login(clerks["guichet"] if who == "clerk" else other_supervisor)

    response = client.post(url("supervision_task_action", "guichet", first.pk, action),
                           {"assignee": colleague.pk})

    assert response.status_code == 403
    first.refresh_from_db()
    assert (first.state, first.assignee) == (TaskState.CLAIMED, clerks["guichet"])
    assert AuditEvent.objects.count() == before


def test_the_services_refuse_a_supervisor_of_another_desk(loaded, other_supervisor):
    with pytest.raises(engine.WorkflowError):
        engine.release_claimed_task(task_id=loaded[0].pk, supervisor=other_supervisor)


def test_the_supervisor_reassigns_a_claimed_task(client, loaded, supervisor, colleague):
    first = loaded[0]
    client.force_login(supervisor)

    client.post(url("supervision_task_action", "guichet", first.pk, "reassign"),
                {"assignee": colleague.pk})

    first.refresh_from_db()
    assert (first.state, first.assignee) == (TaskState.CLAIMED, colleague)
    assert AuditEvent.objects.filter(object_id=str(first.pk), action="reassign",
                                     actor=supervisor).exists()


def test_a_task_of_another_desk_is_not_found_from_this_desks_screen(
    client, loaded, supervisor, greffe_supervisor
):
    client.force_login(greffe_supervisor)
    response = client.post(url("supervision_task_action", "greffe", loaded[0].pk, "release"))
    assert response.status_code == 404


# --- failed checks run again -------------------------------------------------------------------


@pytest.fixture
def failed_inspection(applicant, clerks):
    permit = make_permit("Bar du Port", check_problem="Registre des locaux injoignable.")
    case = start(permit, actor=applicant)
    claim_and_approve(case, "intake", clerks["guichet"])
    inspection = task_of(case, "inspection")
    assert inspection.state == TaskState.FAILED
    return permit, inspection


def test_the_supervisor_runs_a_failed_check_again_through_the_outbox(
    client, failed_inspection, greffe_supervisor
):
    permit, inspection = failed_inspection
    permit.check_problem = ""  # the service the check calls is back
    permit.save(update_fields=["check_problem"])
    client.force_login(greffe_supervisor)
    messages_before = Message.objects.count()

    with run_on_commit():
        response = client.post(url("supervision_task_action", "greffe", inspection.pk,
                                   "rerun"))

    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.state == TaskState.APPROVED
    assert inspection.error == ""
    assert Message.objects.count() == messages_before + 1
    rerun = AuditEvent.objects.get(object_id=str(inspection.pk), action="rerun")
    assert (rerun.from_state, rerun.to_state, rerun.actor) == (
        TaskState.FAILED, TaskState.READY, greffe_supervisor)


def test_a_check_run_again_that_fails_again_is_back_in_the_queue(
    failed_inspection, greffe_supervisor
):
    _permit, inspection = failed_inspection
    with run_on_commit():
        engine.rerun_automatic_step(task_id=inspection.pk, supervisor=greffe_supervisor)
    inspection.refresh_from_db()
    assert inspection.state == TaskState.FAILED
    assert inspection.error == "Registre des locaux injoignable."


@pytest.mark.parametrize("who", ["clerk", "other_supervisor"])
def test_running_a_check_again_is_refused_to_others(
    client, failed_inspection, clerks, supervisor, who
):
    _permit, inspection = failed_inspection
    client.force_login(clerks["greffe"] if who == "clerk" else supervisor)

    response = client.post(url("supervision_task_action", "greffe", inspection.pk, "rerun"))

    assert response.status_code == 403
    inspection.refresh_from_db()
    assert inspection.state == TaskState.FAILED
    with pytest.raises(engine.WorkflowError):
        engine.rerun_automatic_step(task_id=inspection.pk, supervisor=supervisor)


def test_only_a_failed_check_can_be_run_again(loaded, supervisor):
    with pytest.raises(engine.WorkflowError):
        engine.rerun_automatic_step(task_id=loaded[0].pk, supervisor=supervisor)


# --- absences ---------------------------------------------------------------------------------


def test_a_clerk_marked_away_by_the_supervisor_has_their_tasks_released(
    client, loaded, supervisor, clerks
):
    clerk = clerks["guichet"]
    client.force_login(supervisor)

    response = client.post(url("member_absence", "guichet", clerk.pk), {"absent": "1"})

    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.away_since is not None
    assert not Task.objects.filter(assignee=clerk, state=TaskState.CLAIMED).exists()
    for task in loaded[:2]:
        task.refresh_from_db()
        assert (task.state, task.assignee) == (TaskState.READY, None)
        assert AuditEvent.objects.filter(object_id=str(task.pk), action="release",
                                         actor=supervisor).exists()
    assert AuditEvent.objects.filter(object_type="accounts.user", object_id=str(clerk.pk),
                                     action="away", actor=supervisor).exists()
    # The colleague's task is theirs still.
    loaded[2].refresh_from_db()
    assert loaded[2].state == TaskState.CLAIMED


def test_a_clerk_marks_themselves_away_then_back(client, loaded, clerks):
    clerk = clerks["guichet"]
    client.force_login(clerk)

    client.post(url("my_absence"), {"absent": "1"})
    clerk.refresh_from_db()
    assert clerk.away_since is not None
    assert not Task.objects.filter(assignee=clerk, state=TaskState.CLAIMED).exists()

    client.post(url("my_absence"), {"absent": "0"})
    clerk.refresh_from_db()
    assert clerk.away_since is None
    assert AuditEvent.objects.filter(object_id=str(clerk.pk), action="back").exists()


def test_absence_is_refused_to_a_plain_clerk_and_another_desks_supervisor(
    client, loaded, clerks, colleague, other_supervisor
):
    client.force_login(colleague)
    assert client.post(url("member_absence", "guichet", clerks["guichet"].pk),
                       {"absent": "1"}).status_code == 403
    with pytest.raises(engine.WorkflowError):
        engine.mark_away(user=clerks["guichet"], by=other_supervisor)
    clerks["guichet"].refresh_from_db()
    assert clerks["guichet"].away_since is None


def test_an_away_clerk_is_not_offered_for_reassignment(client, loaded, supervisor, clerks,
                                                       colleague):
    engine.mark_away(user=colleague, by=supervisor)
    desk = supervisor.desks.get(code="guichet")
    assert colleague not in selectors.available_members(desk)
    client.force_login(supervisor)

    client.post(url("supervision_task_action", "guichet", loaded[0].pk, "reassign"),
                {"assignee": colleague.pk})

    loaded[0].refresh_from_db()
    assert loaded[0].assignee == clerks["guichet"]


def test_an_away_clerk_cannot_take_the_next_task_nor_be_handed_one(loaded, clerks, supervisor):
    clerk = clerks["guichet"]
    engine.mark_away(user=clerk, by=supervisor)
    clerk.refresh_from_db()

    with pytest.raises(engine.WorkflowError, match="absent"):
        engine.claim_next_task(user=clerk)
    with pytest.raises(engine.WorkflowError, match="absent"):
        engine.reassign_task(task_id=loaded[1].pk, supervisor=supervisor, to_user=clerk)
