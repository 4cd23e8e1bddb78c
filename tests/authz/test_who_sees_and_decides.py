"""Who sees what and who decides: a desk sees a filing's personal data only once the
filing has reached it, and a clerk never decides on a filing they filed themselves."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from registry import services as registry_services
from tests.fees import submit_and_pay
from workflows import selectors
from workflows import services as engine
from workflows.models import Task, TaskState

from ..conftest import COMPANY_DATA, FOUNDER_DATA
from ..registry.procedure.helpers import advance_until, case_of, queue_of, task_of
from ..workflows.helpers import task_url

ID_NUMBER = FOUNDER_DATA["id_document_number"]
OWN_FILING = ("Vous avez vous-même déposé ce dossier : vous ne pouvez ni le prendre en charge "
              "ni décider à son sujet. Un autre agent du guichet doit le traiter.")


# --- a desk sees a filing once it has reached it -------------------------------------------


@pytest.fixture
def at_registry(submitted, clerks):
    """The filing waits at the court registry: tax office and registrar are further on."""
    advance_until(case_of(submitted), "registry", clerks)
    return case_of(submitted)


def test_a_later_desk_cannot_open_its_waiting_task_nor_read_the_people(client, at_registry,
                                                                       clerks):
    tax = task_of(at_registry, "tax")
    assert tax.state == TaskState.WAITING
    client.force_login(clerks["impots"])
    response = client.get(task_url(tax))
    assert response.status_code == 404
    assert ID_NUMBER not in response.content.decode()
    assert tax not in selectors.tasks_visible_to(clerks["impots"])


def test_a_later_desk_cannot_act_on_its_waiting_task(client, at_registry, clerks):
    tax = task_of(at_registry, "tax")
    client.force_login(clerks["impots"])
    assert client.post(task_url(tax, "claim")).status_code == 404
    tax.refresh_from_db()
    assert (tax.state, tax.assignee_id) == (TaskState.WAITING, None)


def test_the_desk_the_filing_reached_reads_the_people(client, at_registry, clerks):
    client.force_login(clerks["greffe"])
    response = client.get(task_url(task_of(at_registry, "registry")))
    assert response.status_code == 200
    assert ID_NUMBER in response.content.decode()


def test_a_desk_keeps_seeing_a_filing_it_has_worked(client, at_registry, clerks):
    client.force_login(clerks["guichet"])
    response = client.get(task_url(task_of(at_registry, "intake")))
    assert response.status_code == 200
    assert ID_NUMBER in response.content.decode()


def test_once_the_filing_reaches_the_later_desk_it_sees_it(client, at_registry, clerks):
    advance_until(at_registry, "tax", clerks)
    client.force_login(clerks["impots"])
    response = client.get(task_url(task_of(at_registry, "tax")))
    assert response.status_code == 200
    assert ID_NUMBER in response.content.decode()


# --- nobody decides on their own filing ------------------------------------------------------


@pytest.fixture
def clerk_who_filed(make_user):
    return make_user("agent.deposant@cfe.example.tg", desk="guichet")


@pytest.fixture
def own_intake(clerk_who_filed):
    """A filing the guichet clerk made as an entrepreneur: its intake is at their desk."""
    application = registry_services.application_create(
        owner=clerk_who_filed, data=dict(COMPANY_DATA), founder=dict(FOUNDER_DATA))
    submit_and_pay(application_id=application.pk, user=clerk_who_filed)
    return task_of(case_of(application), "intake")


def test_the_clerk_does_not_see_their_own_filing_as_work_to_do(own_intake, clerk_who_filed,
                                                               clerks):
    assert own_intake not in queue_of(clerk_who_filed)
    assert own_intake in queue_of(clerks["guichet"])


def test_the_clerk_cannot_claim_their_own_filing(own_intake, clerk_who_filed):
    with pytest.raises(engine.WorkflowError, match="vous-même déposé ce dossier"):
        engine.claim_task(task_id=own_intake.pk, user=clerk_who_filed)
    own_intake.refresh_from_db()
    assert (own_intake.state, own_intake.assignee_id) == (TaskState.READY, None)


@pytest.mark.parametrize("decide", [
    lambda task, user: engine.approve_task(task_id=task.pk, user=user, comment="Conforme."),
    lambda task, user: engine.return_task(task_id=task.pk, user=user, comment="À corriger."),
    lambda task, user: engine.reject_task(task_id=task.pk, user=user, comment="Refusé."),
], ids=["approve", "return", "reject"])
def test_the_clerk_cannot_decide_their_own_filing_even_if_it_is_in_their_hands(
        own_intake, clerk_who_filed, decide):
    # Claimed before the rule existed, say: the decision is still refused.
    Task.objects.filter(pk=own_intake.pk).update(state=TaskState.CLAIMED,
                                                 assignee=clerk_who_filed)
    with pytest.raises(engine.WorkflowError, match="vous-même déposé ce dossier"):
        decide(own_intake, clerk_who_filed)
    own_intake.refresh_from_db()
    assert (own_intake.state, own_intake.decided_at) == (TaskState.CLAIMED, None)


def test_through_the_page_the_claim_is_refused_in_french(client, own_intake, clerk_who_filed):
    client.force_login(clerk_who_filed)
    page = client.get(task_url(own_intake)).content.decode()
    assert "un autre agent du guichet doit le traiter" in page
    assert task_url(own_intake, "claim") not in page
    response = client.post(task_url(own_intake, "claim"))
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [OWN_FILING]
    own_intake.refresh_from_db()
    assert own_intake.state == TaskState.READY


def test_a_supervisor_cannot_hand_the_filing_to_the_clerk_who_filed_it(
        make_user, own_intake, clerk_who_filed, client):
    supervisor = make_user("chef.guichet@cfe.example.tg", desk="guichet", supervisor=True)
    with pytest.raises(engine.WorkflowError, match="lui-même déposé ce dossier"):
        engine.reassign_task(task_id=own_intake.pk, supervisor=supervisor,
                             to_user=clerk_who_filed)
    own_intake.refresh_from_db()
    assert (own_intake.state, own_intake.assignee_id) == (TaskState.READY, None)
    client.force_login(supervisor)
    form = client.get(task_url(own_intake)).context["reassign_form"]
    assert clerk_who_filed not in form.fields["assignee"].queryset
    assert supervisor in form.fields["assignee"].queryset


def test_a_colleague_of_the_same_desk_works_the_filing(own_intake, clerks):
    engine.claim_task(task_id=own_intake.pk, user=clerks["guichet"])
    engine.approve_task(task_id=own_intake.pk, user=clerks["guichet"], comment="Conforme.")
    own_intake.refresh_from_db()
    assert own_intake.state == TaskState.APPROVED
