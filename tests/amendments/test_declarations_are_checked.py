"""What a change declares is checked as the creation's filing is: text the extract can
print, numbers its columns can hold, dates that can be true; a new name meets every filing
in progress; a change sent back reopens the documents it calls for."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from django.utils import timezone

from workflows import selectors as workflow_selectors
from workflows.models import TaskState

from ..registry.filings import build, sarl_plan, sign_with_services
from .helpers import (
    attach_all,
    decide,
    declare,
    file,
    instruct,
    open_amendment,
    pay,
    ready_tasks,
    sign,
)


def _errors(response) -> str:
    assert response.status_code == 200  # the form again, nothing saved
    return response.content.decode()


def test_a_capital_beyond_what_the_register_can_hold_is_refused(client, company,
                                                                entrepreneur):
    client.force_login(entrepreneur)
    amendment = open_amendment(client, company, "capital")
    html = _errors(declare(client, amendment, {"capital": str(2**63)}))
    assert "inférieure ou égale" in html
    amendment.refresh_from_db()
    assert amendment.changes == {}


def test_a_new_name_with_an_invisible_character_is_refused(client, company, entrepreneur):
    client.force_login(entrepreneur)
    amendment = open_amendment(client, company, "name")
    html = _errors(declare(client, amendment, {"name": "Éléphant\u200bVert"}))
    assert "invisible ou de contrôle" in html


def test_dates_of_dissolution_and_closing_must_be_possible(
        client, company, entrepreneur, clerks, django_capture_on_commit_callbacks):
    client.force_login(entrepreneur)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    dissolution = open_amendment(client, company, "dissolution")
    assert "dans le futur" in _errors(declare(client, dissolution, {
        "decision_date": tomorrow, "liquidator": "Afi Mensah"}))
    assert "précéder" in _errors(declare(client, dissolution, {
        "decision_date": "1999-01-01", "liquidator": "Afi Mensah"}))
    today = timezone.localdate()
    assert declare(client, dissolution, {"decision_date": today.isoformat(),
                                         "liquidator": "Afi Mensah"}).status_code == 302
    attach_all(client, dissolution)
    sign(client, dissolution, entrepreneur)
    pay(dissolution)
    instruct(dissolution, clerks, django_capture_on_commit_callbacks)
    strike_off = open_amendment(client, company, "strike_off")
    assert "ne peut précéder la dissolution" in _errors(declare(client, strike_off, {
        "closing_date": (today - timedelta(days=1)).isoformat()}))


def test_a_share_transfer_needs_two_different_people(client, company, entrepreneur):
    client.force_login(entrepreneur)
    amendment = open_amendment(client, company, "share_transfer")
    html = _errors(declare(client, amendment, {
        "transferor": "Afi  Mensah", "transferee": "afi mensah", "shares": "10"}))
    assert "même personne" in html


def test_a_new_name_meets_the_filings_in_progress_whenever_they_were_submitted(
        client, company, entrepreneur, make_user, clerks,
        django_capture_on_commit_callbacks):
    # Another entrepreneur's creation, submitted long after this company's own filing.
    other = make_user("afi@example.tg")
    pending = build(other, replace(sarl_plan(), names=("Panthère Rose",)))
    sign_with_services(pending, other)
    client.force_login(entrepreneur)
    amendment = file(client, company, entrepreneur, "name", {"name": "Panthère Rosse"})
    (intake,) = ready_tasks(amendment)
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(clerks["guichet"], intake, "approve").status_code == 302
    check = workflow_selectors.case_for(amendment).tasks.get(step_id="name_check")
    assert check.state == TaskState.FAILED
    assert pending.reference in check.error


def test_an_account_the_company_authorised_never_decides_on_its_filings(
        client, company, entrepreneur, clerks):
    from amendments import services

    clerk = clerks["guichet"]
    services.authorise_filer(company=company, owner=entrepreneur, email=clerk.email)
    client.force_login(entrepreneur)
    amendment = file(client, company, entrepreneur, "office",
                     {"address": "3 rue de la Paix", "city": "Lomé", "region": "maritime"})
    (intake,) = ready_tasks(amendment)
    decide(clerk, intake, "approve")  # claim, then approve, through the back office
    intake.refresh_from_db()
    assert intake.state == TaskState.READY  # neither claimed nor decided
    assert intake.assignee_id is None
