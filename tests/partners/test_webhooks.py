"""Notifications to partners: recorded with the registration, signed, retried, given up on
after the last retry and resent by a person."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db import transaction
from django.test import RequestFactory

from config.celery import app as celery_app
from outbox.models import Message
from partners import tasks, webhooks
from partners.admin import WebhookDeliveryAdmin
from partners.models import DeliveryStatus, WebhookDelivery, WebhookSubscription

from ..registry.procedure.helpers import case_of, complete

pytestmark = pytest.mark.django_db
SECRET = "le-secret-partage"


class Receiver:
    """A partner's endpoint on a local port: answers the statuses queued, then 200."""

    def __init__(self):
        self.received: list[dict] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def subscription(bank, receiver):
    return WebhookSubscription.objects.create(partner=bank, url=receiver.url, secret=SECRET,
                                              events=["company.registered"])


def verify(request: dict) -> dict:
    """What a partner does: recompute the signature over the raw body, then parse it."""
    fields = dict(part.split("=", 1)
                  for part in request["headers"]["X-Guichet-Signature"].split(","))
    expected = hmac.new(SECRET.encode(), f"{fields['t']}.".encode() + request["body"],
                        hashlib.sha256).hexdigest()
    assert hmac.compare_digest(fields["s"], expected)
    return json.loads(request["body"])


def notify_now(data: dict | None = None) -> list[WebhookDelivery]:
    with transaction.atomic():
        return webhooks.notify(event="company.registered", data=data or {"name": "Test"})


def test_a_registration_notifies_the_subscriber_signed(subscription, receiver, submitted,
                                                       clerks):
    complete(case_of(submitted), clerks, certificate=True)
    submitted.refresh_from_db()
    (request,) = receiver.received
    payload = verify(request)
    company = submitted.company
    assert payload["event"] == "company.registered"
    assert payload["data"]["rccm_number"] == company.rccm_number
    assert set(payload["data"]) == {"rccm_number", "name", "legal_form", "registered_at",
                                    "city", "region", "activity_code", "status", "nif"}
    assert request["headers"]["X-Guichet-Delivery"] == payload["id"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)
    assert str(delivery.event_id) == payload["id"]


def test_nothing_is_sent_for_a_rolled_back_registration(subscription, receiver,
                                                        django_capture_on_commit_callbacks):
    with (django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError),
          transaction.atomic()):
        webhooks.notify(event="company.registered", data={})
        raise RuntimeError("the approval failed")
    assert not WebhookDelivery.objects.exists()
    assert not Message.objects.exists()
    assert receiver.received == []


def test_inactive_or_other_event_subscriptions_get_nothing(subscription, bank, receiver,
                                                           django_capture_on_commit_callbacks):
    WebhookSubscription.objects.create(partner=bank, url=receiver.url, events=[],
                                       active=True)
    WebhookSubscription.objects.create(partner=bank, url=receiver.url,
                                       events=["company.registered"], active=False)
    with django_capture_on_commit_callbacks(execute=True):
        deliveries = notify_now()
    assert [delivery.subscription for delivery in deliveries] == [subscription]


def run_task_with_retries(delivery: WebhookDelivery) -> None:
    """Run the task as a worker would, its retries included. Celery's eager emulation
    retries at once, and only when eager errors do not propagate (the suite's setting):
    switched off for this run."""
    previous = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    try:
        tasks.deliver_webhook.apply(args=[delivery.pk])
    finally:
        celery_app.conf.task_eager_propagates = previous


def test_a_500_is_retried_then_sent(subscription, receiver):
    receiver.statuses = [500]
    (delivery,) = notify_now()  # its sending is left to us (no on-commit callbacks here)
    run_task_with_retries(delivery)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    assert len(receiver.received) == 2
    assert verify(receiver.received[0])["id"] == verify(receiver.received[1])["id"]


def test_after_the_last_retry_the_delivery_is_failed_and_can_be_resent(
        subscription, receiver, django_capture_on_commit_callbacks):
    receiver.statuses = [500] * (tasks.MAX_RETRIES + 1)
    (delivery,) = notify_now()
    run_task_with_retries(delivery)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == tasks.MAX_RETRIES + 1
    assert "HTTP 500" in delivery.last_error
    assert len(receiver.received) == tasks.MAX_RETRIES + 1

    admin = get_user_model().objects.create_superuser(email="admin@example.tg")
    request = RequestFactory().post("/admin/partners/webhookdelivery/")
    request.user = admin
    request.session = {}
    request._messages = FallbackStorage(request)
    with django_capture_on_commit_callbacks(execute=True):
        WebhookDeliveryAdmin(WebhookDelivery, site).resend(
            request, WebhookDelivery.objects.all())
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_an_unreachable_partner_is_retried_like_an_error(bank, receiver):
    subscription = WebhookSubscription.objects.create(
        partner=bank, url="http://127.0.0.1:9/closed", secret=SECRET,
        events=["company.registered"])
    delivery = WebhookDelivery.objects.create(subscription=subscription,
                                              event="company.registered", payload={})
    with pytest.raises(webhooks.DeliveryFailed):
        webhooks.deliver(delivery_id=delivery.pk, last_attempt=False, retry_in=4)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert delivery.next_attempt_at is not None


def test_a_sent_delivery_is_not_sent_again(subscription, receiver):
    delivery = WebhookDelivery.objects.create(subscription=subscription,
                                              event="company.registered", payload={})
    webhooks.deliver(delivery_id=delivery.pk, last_attempt=False)
    webhooks.deliver(delivery_id=delivery.pk, last_attempt=False)
    assert len(receiver.received) == 1
