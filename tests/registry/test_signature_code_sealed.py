"""The one-time signing code goes out through notifications like every other message, and
is never kept or queued in clear: the queued task carries a delivery id, the rows hold a
marker and the code encrypted, and the encrypted copy is erased once sent."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import TestCase

from notifications import sealing
from notifications.models import Delivery, DeliveryStatus, Notification
from outbox.models import Message
from registry.services import signature as signing

from .filings import build, sarl_plan


@pytest.fixture
def ready(entrepreneur):
    return build(entrepreneur, sarl_plan())


def _code_in(text: str) -> str | None:
    for word in text.replace(".", " ").replace(":", " ").split():
        if word.isdigit() and len(word) == 6:
            return word
    return None


def test_the_code_travels_as_a_delivery_id_and_rests_only_encrypted(ready, entrepreneur,
                                                                    monkeypatch):
    entrepreneur.phone = "+22890112233"
    entrepreneur.save(update_fields=["phone"])
    queued: list[tuple] = []
    monkeypatch.setattr("notifications.tasks.send_delivery.apply_async",
                        lambda args=(), kwargs=None, **options: queued.append(
                            (tuple(args), kwargs or {})))
    with TestCase.captureOnCommitCallbacks(execute=True):
        signing.request_signature_code(application_id=ready.pk, user=entrepreneur)

    deliveries = list(Delivery.objects.filter(notification__event="signature_code"))
    assert {delivery.channel for delivery in deliveries} == {"email", "sms"}
    # The broker message and the outbox row hold the delivery's id, nothing else.
    assert sorted(queued) == sorted(((delivery.pk,), {}) for delivery in deliveries)
    assert sorted((tuple(m.args), m.kwargs) for m in Message.objects.all()) == sorted(queued)
    notification = Notification.objects.get(event="signature_code")
    assert sealing.MASK in notification.title and sealing.MASK in notification.body
    assert _code_in(notification.title + notification.body) is None
    for delivery in deliveries:
        assert sealing.marker("code") in delivery.text
        assert _code_in(delivery.text + delivery.subject) is None
        code = sealing.unseal(delivery.sealed_secrets)["code"]
        assert code not in delivery.sealed_secrets


def test_once_sent_the_code_reaches_the_person_and_is_erased_from_the_rows(ready,
                                                                           entrepreneur):
    with TestCase.captureOnCommitCallbacks(execute=True):
        signing.request_signature_code(application_id=ready.pk, user=entrepreneur)
    [message] = mail.outbox
    code = _code_in(message.subject)
    assert code is not None and code in message.body
    assert code in message.alternatives[0][0]  # the HTML part too
    delivery = Delivery.objects.get(notification__event="signature_code")
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.sealed_secrets == ""
    assert code not in delivery.text


def test_the_code_goes_by_sms_even_to_someone_who_chose_no_sms(ready, entrepreneur):
    entrepreneur.phone = "+22890112233"
    entrepreneur.notify_by_sms = False
    entrepreneur.save(update_fields=["phone", "notify_by_sms"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        signing.request_signature_code(application_id=ready.pk, user=entrepreneur)
    sms = Delivery.objects.get(notification__event="signature_code", channel="sms")
    assert sms.status == DeliveryStatus.SENT


def test_a_failed_delivery_erases_the_encrypted_code_too(ready, entrepreneur):
    from notifications.services import record_failure

    with TestCase.captureOnCommitCallbacks(execute=False):
        signing.request_signature_code(application_id=ready.pk, user=entrepreneur)
    delivery = Delivery.objects.get(notification__event="signature_code")
    assert delivery.sealed_secrets
    record_failure(delivery_id=delivery.pk, error="SMTP down", final=True)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.sealed_secrets == ""


def test_secrets_sealed_under_another_key_cannot_be_read(settings):
    token = sealing.seal({"code": "123456"})
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    with pytest.raises(ValueError):
        sealing.unseal(token)
