"""The send_delivery task: a thin entry point that sends, and on failure records the attempt
with its error, retries with a backoff capped at an hour, and after the last retry leaves
the delivery failed with the last error for an administrator to see."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail

from config.celery import app as celery_app
from notifications.models import Delivery, DeliveryStatus, Notification
from notifications.sms import SmsError
from notifications.tasks import send_delivery

pytestmark = pytest.mark.django_db

HERE = "tests.notifications.test_delivery_task"


class ProviderDown:
    """An SMS backend whose every call fails, each with a numbered error."""

    calls = 0

    def send(self, *, to: str, text: str, reference: str) -> str:
        ProviderDown.calls += 1
        raise SmsError(f"SMS provider: HTTP Error 503 (essai {ProviderDown.calls})")


class SmtpDown:
    """An e-mail backend that cannot reach its server."""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class StopHere(Exception):
    """Raised instead of scheduling a retry, so a test can read the countdown."""


@pytest.fixture
def replayed_retries():
    # Eager Celery replays a retried task itself only when errors do not propagate.
    previous = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = previous


@pytest.fixture
def provider_down(settings):
    ProviderDown.calls = 0
    settings.SMS_BACKEND = f"{HERE}.ProviderDown"
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 0
    return ProviderDown


@pytest.fixture
def notification(make_user) -> Notification:
    person = make_user("akouvi@example.tg")
    return Notification.objects.create(recipient=person, event="desk_approved",
                                       about="workflows.task:1", language="fr",
                                       title="Étape validée", body="Corps du message")


def delivery(notification: Notification, channel: str) -> Delivery:
    address = "+22890123456" if channel == "sms" else notification.recipient.email
    return Delivery.objects.create(notification=notification, channel=channel,
                                   address=address, template=f"desk_approved/{channel}",
                                   text="Étape validée.")


def test_the_last_retry_fails_the_delivery_with_the_last_error(
    notification, provider_down, settings, replayed_retries
):
    settings.NOTIFICATION_MAX_RETRIES = 3
    sms = delivery(notification, "sms")

    send_delivery.delay(sms.pk)

    sms.refresh_from_db()
    assert provider_down.calls == 4  # the first try and three retries
    assert (sms.status, sms.attempts) == (DeliveryStatus.FAILED, 4)
    assert sms.last_error == "SmsError: SMS provider: HTTP Error 503 (essai 4)"
    assert sms.sent_at is None
    assert sms.provider_reference == ""


def test_with_no_retries_allowed_the_first_failure_is_final(
    notification, provider_down, settings, replayed_retries
):
    settings.NOTIFICATION_MAX_RETRIES = 0
    sms = delivery(notification, "sms")

    send_delivery.delay(sms.pk)

    sms.refresh_from_db()
    assert (provider_down.calls, sms.status, sms.attempts) == (1, DeliveryStatus.FAILED, 1)


def test_an_email_server_that_hangs_up_is_retried_and_the_sms_still_goes(
    notification, settings, replayed_retries
):
    settings.EMAIL_BACKEND = f"{HERE}.SmtpDown"
    settings.SMS_BACKEND = "notifications.sms.ConsoleSmsBackend"
    settings.NOTIFICATION_MAX_RETRIES = 2
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 0
    email, sms = delivery(notification, "email"), delivery(notification, "sms")

    send_delivery.delay(email.pk)
    send_delivery.delay(sms.pk)

    email.refresh_from_db()
    sms.refresh_from_db()
    assert (email.status, email.attempts) == (DeliveryStatus.FAILED, 3)
    assert email.last_error.startswith("SMTPServerDisconnected: Connection unexpectedly")
    assert (sms.status, sms.attempts) == (DeliveryStatus.SENT, 1)
    assert sms.provider_reference == f"console-delivery-{sms.pk}"


def test_a_provider_that_recovers_sends_once_and_keeps_the_earlier_error(
    notification, settings, replayed_retries, monkeypatch
):
    settings.SMS_BACKEND = "notifications.sms.ConsoleSmsBackend"
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 0
    sent = []

    class FailsOnce:
        def send(self, *, to, text, reference):
            if not sent:
                sent.append(None)
                raise SmsError("SMS provider: timed out")
            sent.append(reference)
            return "gw-77"

    monkeypatch.setattr("notifications.services.get_sms_backend", FailsOnce)
    sms = delivery(notification, "sms")

    send_delivery.delay(sms.pk)

    sms.refresh_from_db()
    assert sent == [None, f"delivery-{sms.pk}"]
    assert (sms.status, sms.attempts, sms.provider_reference) == (
        DeliveryStatus.SENT, 2, "gw-77")
    assert sms.last_error == "SmsError: SMS provider: timed out"


def test_retries_back_off_exponentially_up_to_an_hour(notification, provider_down, settings,
                                                      monkeypatch):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 30
    settings.NOTIFICATION_MAX_RETRIES = 50
    sms = delivery(notification, "sms")
    countdowns = []

    def schedule(*, exc, countdown):
        assert isinstance(exc, SmsError)
        countdowns.append(countdown)
        raise StopHere

    monkeypatch.setattr(send_delivery, "retry", schedule)
    for retries in (0, 1, 2, 6, 7, 20):
        with pytest.raises(StopHere):
            send_delivery.apply(args=[sms.pk], retries=retries, throw=True)

    assert countdowns == [30, 60, 120, 1920, 3600, 3600]
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == (DeliveryStatus.PENDING, 6)


def test_a_task_for_a_sent_or_unknown_delivery_does_nothing(notification, settings):
    settings.SMS_BACKEND = "notifications.sms.ConsoleSmsBackend"
    email = delivery(notification, "email")
    send_delivery.delay(email.pk)
    assert len(mail.outbox) == 1

    send_delivery.delay(email.pk)
    send_delivery.delay(email.pk + 1000)

    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (DeliveryStatus.SENT, 1, "")
