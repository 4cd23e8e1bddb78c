"""Outbound notifications (webhooks): recorded with the event, sent by a worker, signed.

A delivery row and its outbox message are written inside the transaction that registered
the company, so a notification exists exactly when the registration does, and a broker
outage only delays it. The worker POSTs the JSON body with

    X-Guichet-Signature: t=<unix time>,s=<hex HMAC-SHA256(secret, "<t>.<body>")>

and retries with exponential backoff (partners.tasks); after the last retry the delivery
is marked failed, for a person to resend from the admin.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from datetime import timedelta
from http.client import HTTPException
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from outbox import services as outbox
from registry.models import Company

from .models import DeliveryStatus, WebhookDelivery, WebhookEvent, WebhookSubscription
from .selectors import PUBLIC_COMPANY_FIELDS

SIGNATURE_HEADER = "X-Guichet-Signature"
ERROR_MAX_LENGTH = 2000


class DeliveryFailed(Exception):
    """The partner did not take the notification (network, timeout, non-2xx answer)."""


def company_facts(company: Company) -> dict:
    """The public facts of a company, as the API shows them (JSON types)."""
    facts = {name: getattr(company, name) for name in PUBLIC_COMPANY_FIELDS}
    facts["registered_at"] = company.registered_at.isoformat()
    return facts


def on_company_registered(sender, company: Company, **kwargs) -> None:
    """registry.signals.company_registered: one delivery per active subscription."""
    notify(event=WebhookEvent.COMPANY_REGISTERED, data=company_facts(company))


def notify(*, event: str, data: dict) -> list[WebhookDelivery]:
    """Record a delivery of `event` for every active subscription to it, and its sending
    (outbox), in the caller's transaction."""
    from .tasks import deliver_webhook

    subscriptions = WebhookSubscription.objects.filter(active=True, partner__active=True)
    deliveries = []
    for subscription in subscriptions:
        if event not in subscription.events:
            continue
        delivery = WebhookDelivery(subscription=subscription, event=event)
        delivery.payload = {"id": str(delivery.event_id), "event": event,
                            "created_at": timezone.now().isoformat(), "data": data}
        delivery.save()
        outbox.enqueue(deliver_webhook, delivery.pk)
        deliveries.append(delivery)
    return deliveries


def encode_body(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"),
                      sort_keys=True).encode("utf-8")


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The header's value; the partner recomputes it from the raw body it received."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body,
                      hashlib.sha256).hexdigest()
    return f"t={timestamp},s={digest}"


def _post(url: str, *, body: bytes, headers: dict[str, str]) -> int:
    if urlsplit(url).scheme not in ("http", "https"):
        raise DeliveryFailed(f"Refusing to call a non-HTTP address: {url!r}")
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request,
                                    timeout=settings.PARTNER_WEBHOOK_TIMEOUT) as response:
            response.read(1024)
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        raise DeliveryFailed(f"HTTP {error.code}") from error
    except (OSError, HTTPException) as error:  # URLError, timeouts, resets
        raise DeliveryFailed(f"{type(error).__name__}: {error}") from error


def deliver(*, delivery_id: int, last_attempt: bool, retry_in: float = 0) -> WebhookDelivery:
    """Send one delivery, if still pending. On failure: DeliveryFailed for the task to retry,
    unless this was the last attempt, which marks the delivery failed.

    No row is locked during the HTTP call. Two workers sending one delivery at once (a
    relay racing a slow worker) would both send: the partner deduplicates by the
    payload's "id", which the register promises to keep the same across attempts.
    """
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    if delivery.status != DeliveryStatus.PENDING:
        return delivery
    body = encode_body(delivery.payload)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "guichet-entreprises-webhooks/1",
        "X-Guichet-Event": delivery.event,
        "X-Guichet-Delivery": str(delivery.event_id),
        SIGNATURE_HEADER: signature(secret=delivery.subscription.secret, timestamp=timestamp,
                                    body=body),
    }
    pending = WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING)
    try:
        _post(delivery.subscription.url, body=body, headers=headers)
    except DeliveryFailed as error:
        now = timezone.now()
        pending.update(
            attempts=F("attempts") + 1, last_error=str(error)[:ERROR_MAX_LENGTH],
            status=DeliveryStatus.FAILED if last_attempt else DeliveryStatus.PENDING,
            next_attempt_at=None if last_attempt else now + timedelta(seconds=retry_in))
        if not last_attempt:
            raise
    else:
        pending.update(attempts=F("attempts") + 1, status=DeliveryStatus.SENT,
                       sent_at=timezone.now(), next_attempt_at=None)
    delivery.refresh_from_db()
    return delivery


@transaction.atomic
def resend(deliveries) -> int:
    """A person sends failed deliveries again (after the partner fixed its side)."""
    from .tasks import deliver_webhook

    resent = 0
    for delivery in deliveries.select_for_update().filter(status=DeliveryStatus.FAILED):
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["status", "next_attempt_at"])
        outbox.enqueue(deliver_webhook, delivery.pk)
        resent += 1
    return resent
