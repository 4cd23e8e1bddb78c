"""notify() and the delivery services: one notification per occurrence, written in the
recipient's language, sent on the channels they chose (decisions on a file always by
e-mail), after commit only, each delivery sent once and its failures kept."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from notifications import services
from notifications.models import Delivery, DeliveryStatus, Notification
from notifications.services import mark_read, notify, record_failure

pytestmark = pytest.mark.django_db

CONTEXT = {
    "reference": "CFE-2026-000042", "company_name": "Éléphant Bleu",
    "reason": "Capital non libéré.",
    "rccm_number": "TG-LOM-2026-B-00042", "verification_code": "ABCD-2345-WXYZ",
    "message": "Pièce d'identité illisible.", "desk": "Greffe", "step": "Immatriculation",
    "assigned_by": "Ama DOE", "task_title": "Recevabilité du dossier", "subject": "CFE-1",
    "due": datetime(2026, 12, 2, 9, 0, tzinfo=UTC),
}
# Decisions on a file: the law wants them delivered, whatever the person chose.
LEGAL_EVENTS = ["correction_requested", "company_registered", "application_rejected",
                "certificate_revoked"]
OTHER_EVENTS = ["application_submitted", "desk_approved", "task_assigned", "task_escalated"]


@pytest.fixture
def person(make_user):
    return make_user("akouvi@example.tg")


def channels(notification: Notification) -> list[str]:
    return sorted(notification.deliveries.values_list("channel", flat=True))


def tell(user, event: str = "desk_approved", about: str = "workflows.task:1", **kwargs):
    return notify(event=event, user=user, about=about, context=dict(CONTEXT), **kwargs)


# --- Channels ---------------------------------------------------------------------------


@pytest.mark.parametrize(("by_email", "phone", "by_sms", "expected"), [
    (True, "", False, ["email"]),
    (False, "", False, []),
    (True, "+22890123456", True, ["email", "sms"]),
    (False, "+22890123456", True, ["sms"]),
    (True, "+22890123456", False, ["email"]),
    (True, "", True, ["email"]),  # asked for SMS but gave no number
])
def test_an_ordinary_event_goes_on_the_channels_the_person_chose(person, by_email, phone,
                                                                 by_sms, expected):
    person.notify_by_email, person.phone, person.notify_by_sms = by_email, phone, by_sms
    person.save()

    notification = tell(person)

    assert channels(notification) == expected
    assert Notification.objects.filter(recipient=person).count() == 1  # in-app, always


@pytest.mark.parametrize("event", LEGAL_EVENTS)
def test_a_decision_goes_by_email_even_to_who_opted_out(person, event):
    person.notify_by_email = False
    person.save()

    assert channels(tell(person, event)) == ["email"]


@pytest.mark.parametrize("event", OTHER_EVENTS)
def test_other_events_respect_the_opt_out(person, event):
    person.notify_by_email = False
    person.save()

    assert channels(tell(person, event)) == []


def test_each_delivery_keeps_the_text_it_sends_and_its_address(person):
    person.phone, person.notify_by_sms = "+22890123456", True
    person.save()

    notification = tell(person, "application_rejected", about="registry.application:5")

    email = notification.deliveries.get(channel="email")
    sms = notification.deliveries.get(channel="sms")
    assert (email.address, email.template) == (person.email, "application_rejected/body")
    assert email.text == notification.body
    assert "Capital non libéré." in email.text
    assert (sms.address, sms.template) == ("+22890123456", "application_rejected/sms")
    assert "CFE-2026-000042" in sms.text and len(sms.text) <= 160
    assert {email.status, sms.status} == {DeliveryStatus.PENDING}


# --- Language ---------------------------------------------------------------------------


def test_the_message_is_in_the_recipients_language_not_the_requests(person):
    person.preferred_language = "en"
    person.save()

    with translation.override("fr"):
        notification = tell(person, "application_rejected", about="registry.application:5")

    assert notification.language == "en"
    assert notification.title == "Application CFE-2026-000042 rejected"
    assert "rejected" in notification.body


def test_a_french_speaker_gets_french_while_the_request_is_in_english(person):
    with translation.override("en"):
        notification = tell(person, "application_rejected", about="registry.application:5")

    assert notification.language == "fr"
    assert notification.title == "Dossier CFE-2026-000042 rejeté"


def test_without_a_preference_the_site_language_is_used(person):
    person.preferred_language = ""
    person.save()

    assert tell(person).language == "fr"


@pytest.mark.parametrize("event", LEGAL_EVENTS + OTHER_EVENTS)
def test_every_event_reads_in_french_and_in_english_and_fits_an_sms(event):
    rendered = {}
    for language in ("fr", "en"):
        with translation.override(language):
            rendered[language] = [
                render_to_string(f"notifications/events/{event}/{part}.txt", CONTEXT).strip()
                for part in ("subject", "body", "sms")
            ]

    for language, (subject, body, sms) in rendered.items():
        assert subject and body and sms, language
        assert "\n" not in subject
        assert "{" not in subject + body + sms
        assert "&#x27;" not in body and "&amp;" not in body  # plain text, never escaped
        assert len(sms) <= 160, (language, len(sms))
    assert rendered["fr"] != rendered["en"]


# --- Once per occurrence ----------------------------------------------------------------


def test_the_same_occurrence_is_notified_once_whatever_the_context(person):
    first = tell(person, about="workflows.task:9")
    again = notify(event="desk_approved", user=person, about="workflows.task:9",
                   context={**CONTEXT, "step": "Autre étape"})

    assert again == first
    assert Notification.objects.count() == 1
    assert Delivery.objects.count() == 1
    assert "Autre étape" not in Notification.objects.get().title


def test_other_occurrences_other_events_and_other_people_are_each_notified(person,
                                                                           make_user):
    colleague = make_user("kodjo@example.tg")

    tell(person, about="workflows.task:9")
    tell(person, about="workflows.task:10")
    tell(person, "task_escalated", about="workflows.task:9")
    tell(colleague, about="workflows.task:9")

    assert Notification.objects.filter(recipient=person).count() == 3
    assert Notification.objects.filter(recipient=colleague).count() == 1


# --- After commit -----------------------------------------------------------------------


def test_nothing_is_sent_before_the_commit(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tell(person)

    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_a_rolled_back_change_takes_its_notification_with_it(
    person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), \
            transaction.atomic():
        tell(person)
        raise RuntimeError("the approval failed")

    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()
    assert mail.outbox == []


def test_the_email_carries_the_link_to_the_persons_space(person, settings,
                                                         django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://guichet.example.tg"

    with django_capture_on_commit_callbacks(execute=True):
        tell(person, link="/dossiers/42/")

    [message] = mail.outbox
    assert message.body.endswith("https://guichet.example.tg/dossiers/42/")
    assert 'href="https://guichet.example.tg/dossiers/42/"' in message.alternatives[0][0]
    assert Notification.objects.get().link == "/dossiers/42/"  # the in-app link stays local


# --- Sending and failures ---------------------------------------------------------------


def test_a_delivery_is_sent_once_however_often_it_is_asked(person,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tell(person)
    delivery = Delivery.objects.get()

    assert services.send_delivery(delivery_id=delivery.pk) is False
    assert services.send_delivery(delivery_id=delivery.pk + 1000) is False

    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)
    assert delivery.provider_reference == f"email-{delivery.pk}"
    assert delivery.sent_at is not None


def test_failures_are_counted_and_only_the_last_one_fails_the_delivery(person):
    delivery = tell(person).deliveries.get()

    record_failure(delivery_id=delivery.pk, error="SMTPServerDisconnected: perdu", final=False)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert delivery.last_error == "SMTPServerDisconnected: perdu"

    record_failure(delivery_id=delivery.pk, error="x" * 5000, final=True)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 2)
    assert delivery.last_error == "x" * 2000


def test_a_late_failure_report_does_not_undo_a_sent_delivery(
    person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tell(person)
    delivery = Delivery.objects.get()

    record_failure(delivery_id=delivery.pk, error="TimeoutError", final=True)
    record_failure(delivery_id=delivery.pk + 1000, error="TimeoutError", final=True)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.SENT, 1, "")


# --- Read marks -------------------------------------------------------------------------


def test_marking_read_touches_only_the_persons_unread_notifications(person, make_user):
    colleague = make_user("kodjo@example.tg")
    mine = [tell(person, about=f"workflows.task:{n}") for n in range(3)]
    theirs = tell(colleague, about="workflows.task:0")

    assert mark_read(user=person, notification_id=theirs.pk) == 0
    assert mark_read(user=person, notification_id=mine[0].pk) == 1
    first_read_at = Notification.objects.get(pk=mine[0].pk).read_at
    assert mark_read(user=person) == 2

    assert Notification.objects.get(pk=mine[0].pk).read_at == first_read_at
    assert not Notification.objects.filter(recipient=person, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None
