"""Notifications through a real worker on Redis: a retried sending task sends once."""

from __future__ import annotations

import pytest

from notifications.models import Delivery, DeliveryStatus, Notification
from tests.fees import submit_and_pay

from ..notifications.test_notifications import SmsSimulator
from .conftest import needs_postgresql_and_broker, wait_for

pytestmark = [pytest.mark.integration, needs_postgresql_and_broker]


def test_one_event_gives_one_sms_and_one_email_even_when_sending_is_retried(
    real_worker, settings, draft, entrepreneur
):
    from django.core import mail

    entrepreneur.phone = "+22890123456"
    entrepreneur.notify_by_sms = True
    entrepreneur.save()
    with SmsSimulator(fail_first=1) as simulator:
        settings.SMS_BACKEND = "notifications.sms.HttpSmsBackend"
        settings.SMS_HTTP_URL = simulator.url
        settings.SMS_HTTP_TOKEN = "secret-token"
        settings.NOTIFICATION_RETRY_BASE_SECONDS = 0.5
        submit_and_pay(application_id=draft.pk, user=entrepreneur)
        # Three events reach the applicant: the fee due, the payment received (once its
        # receipt is sealed by the worker) and the filing submitted to the desks.
        events = ("payment_due", "payment_received", "application_submitted")
        wait_for(lambda: Delivery.objects.filter(
            channel="sms", status=DeliveryStatus.SENT,
            notification__event__in=events).count() == len(events),
            describe=lambda: f"simulator attempts {simulator.attempts}, deliveries "
                             f"{list(Delivery.objects.values('channel', 'status', 'attempts'))}")
    for event in events:
        assert Notification.objects.filter(event=event).count() == 1
    sms = list(Delivery.objects.filter(channel="sms"))
    # Each SMS reached the provider once; the one whose first attempt failed was retried.
    assert len(simulator.received) == len(sms) == len(events)
    assert simulator.attempts == len(events) + 1
    retried = [delivery for delivery in sms if delivery.attempts == 2]
    assert len(retried) == 1 and "503" in retried[0].last_error
    wait_for(lambda: Delivery.objects.filter(channel="email", status="sent").count()
             == len(events))
    assert len([m for m in mail.outbox if m.to == [entrepreneur.email]]) == len(events)
