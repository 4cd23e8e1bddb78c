"""The criminal-record extracts due within 75 days of registration: what the owner sees and
uploads, the reminders (30 and 7 days before, once overdue) and the court registry's list
of the overdue ones."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from registry import selectors, services, tasks
from registry.models import Company
from workflows.models import AuditEvent

from .filings import pdf_file


def _extract_code(application) -> str:
    (line,) = selectors.later_documents(application)
    return line.requirement.code


def _registered_days_ago(application, days: int) -> Company:
    Company.objects.filter(pk=application.company.pk).update(
        registered_at=timezone.now() - timedelta(days=days))
    application.company.refresh_from_db()
    return application.company


def test_the_extract_is_due_75_days_after_registration(registered):
    company = registered.company
    (line,) = selectors.later_documents(registered)
    assert line.requirement.code.startswith("casier_judiciaire:")
    assert line.document is None
    assert line.due_at == company.registered_at + timedelta(days=75)
    assert selectors.extract_due_at(company) == company.registered_at + timedelta(days=75)


def test_the_status_page_says_what_is_due_and_by_when(client, registered, entrepreneur):
    client.force_login(entrepreneur)
    html = client.get(registered.get_absolute_url()).content.decode()
    (line,) = selectors.later_documents(registered)
    assert "Pièces à fournir après l'immatriculation" in html
    assert line.requirement.code in html
    assert reverse("registry:later_document_upload", args=[registered.reference]) in html
    assert str(line.due_date.year) in html


def test_the_owner_uploads_the_extract_after_registration(client, registered, entrepreneur):
    client.force_login(entrepreneur)
    code = _extract_code(registered)
    response = client.post(reverse("registry:later_document_upload",
                                   args=[registered.reference]),
                           {"requirement": code, "file": pdf_file("casier")})
    assert response.status_code == 302
    (line,) = selectors.later_documents(registered)
    assert line.document is not None
    assert not selectors.outstanding_later_documents(registered)
    assert AuditEvent.objects.filter(action="attach_after_registration").exists()


def test_only_documents_due_later_are_accepted_after_registration(registered, entrepreneur):
    with pytest.raises(services.FilingError):
        services.attach_later_document(application_id=registered.pk, user=entrepreneur,
                                       requirement="statuts", uploaded_file=pdf_file())
    assert selectors.outstanding_later_documents(registered)


def test_nobody_but_the_owner_uploads(client, registered, other_entrepreneur, clerks):
    code = _extract_code(registered)
    with pytest.raises(services.FilingError):
        services.attach_later_document(application_id=registered.pk, user=other_entrepreneur,
                                       requirement=code, uploaded_file=pdf_file())
    client.force_login(other_entrepreneur)
    response = client.post(reverse("registry:later_document_upload",
                                   args=[registered.reference]),
                           {"requirement": code, "file": pdf_file()})
    assert response.status_code == 404
    client.force_login(clerks["greffe"])
    response = client.post(reverse("registry:later_document_upload",
                                   args=[registered.reference]),
                           {"requirement": code, "file": pdf_file()})
    assert response.status_code == 404
    assert selectors.outstanding_later_documents(registered)


def test_not_before_registration(submitted, entrepreneur):
    from registry import filing

    code = next(line.requirement.code for line in filing.document_lines(submitted)
                if line.requirement.later)
    with pytest.raises(services.FilingError):
        services.attach_later_document(application_id=submitted.pk, user=entrepreneur,
                                       requirement=code, uploaded_file=pdf_file())


def _reminders(application):
    return list(Notification.objects.filter(event="extract_due",
                                            recipient=application.owner)
                .order_by("pk").values_list("about", flat=True))


def test_reminders_go_once_each_at_30_and_7_days_and_when_overdue(registered):
    due = selectors.extract_due_at(registered.company)
    assert services.send_extract_reminders(now=due - timedelta(days=40)) == 0
    assert services.send_extract_reminders(now=due - timedelta(days=30)) == 1
    assert services.send_extract_reminders(now=due - timedelta(days=29)) == 0
    assert services.send_extract_reminders(now=due - timedelta(days=7)) == 1
    assert services.send_extract_reminders(now=due - timedelta(days=1)) == 0
    assert services.send_extract_reminders(now=due + timedelta(hours=1)) == 1
    assert services.send_extract_reminders(now=due + timedelta(days=5)) == 0
    prefix = f"registry.application:{registered.pk}:extract_due:"
    assert _reminders(registered) == [prefix + "30", prefix + "7", prefix + "overdue"]
    notice = Notification.objects.get(about=prefix + "overdue")
    assert "casier judiciaire" in notice.title
    assert "en retard" in notice.title


def test_the_daily_task_reminds_and_no_reminder_once_uploaded(registered, entrepreneur):
    _registered_days_ago(registered, 45)
    tasks.send_extract_reminders()
    tasks.send_extract_reminders()
    assert len(_reminders(registered)) == 1
    services.attach_later_document(application_id=registered.pk, user=entrepreneur,
                                   requirement=_extract_code(registered),
                                   uploaded_file=pdf_file("casier"))
    _registered_days_ago(registered, 70)
    tasks.send_extract_reminders()
    assert len(_reminders(registered)) == 1


def test_the_court_registry_sees_exactly_the_overdue_extracts(client, registered, clerks,
                                                             entrepreneur):
    url = reverse("registry:overdue_extracts")
    client.force_login(clerks["greffe"])
    response = client.get(url)
    assert response.status_code == 200
    assert registered.company.rccm_number not in response.content.decode()

    company = _registered_days_ago(registered, 80)
    page = selectors.overdue_extracts()
    assert [row.company.pk for row in page.rows] == [company.pk]
    assert page.rows[0].days_late == 5
    html = client.get(url).content.decode()
    assert company.rccm_number in html
    assert company.name in html

    services.attach_later_document(application_id=registered.pk, user=entrepreneur,
                                   requirement=_extract_code(registered),
                                   uploaded_file=pdf_file("casier"))
    assert selectors.overdue_extracts().rows == []
    assert company.rccm_number not in client.get(url).content.decode()


def test_the_overdue_list_is_refused_to_other_desks_and_to_the_owner(client, registered,
                                                                     clerks, entrepreneur):
    _registered_days_ago(registered, 80)
    url = reverse("registry:overdue_extracts")
    for user in (clerks["guichet"], clerks["greffier"], entrepreneur):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_the_overdue_list_pages_by_keyset(registered, monkeypatch):
    _registered_days_ago(registered, 80)
    monkeypatch.setattr(selectors, "OVERDUE_SCAN", 1)
    page = selectors.overdue_extracts()
    assert len(page.rows) == 1
    assert page.next_after is None
    assert selectors.overdue_extracts(after=registered.company.pk).rows == []
