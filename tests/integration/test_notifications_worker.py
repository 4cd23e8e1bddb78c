"""Notifications through a real worker on Redis: a retried sending task sends once."""

from __future__ import annotations

import pytest

from notifications.models import Delivery, DeliveryStatus, Notification
from registry import services as registry_services

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
        registry_services.application_submit(application_id=draft.pk, user=entrepreneur)
        sms = wait_for(lambda: Delivery.objects.filter(
            channel="sms", status=DeliveryStatus.SENT).first(),
            describe=lambda: f"simulator attempts {simulator.attempts}, deliveries "
                             f"{list(Delivery.objects.values('channel', 'status', 'attempts'))}")
    assert Notification.objects.filter(event="application_submitted").count() == 1
    assert simulator.attempts == 2 and len(simulator.received) == 1
    assert sms.attempts == 2
    assert "503" in sms.last_error
    wait_for(lambda: Delivery.objects.filter(channel="email", status="sent").exists())
    assert len([m for m in mail.outbox if m.to == [entrepreneur.email]]) == 1
