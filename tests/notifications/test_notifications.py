"""Notifications: one per event, in the person's language, on the channels they chose,
recorded with their deliveries; legal notices always by e-mail; failures retried."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Delivery, DeliveryStatus, Notification
from notifications.services import notify
from payments.selectors import invoice_of
from tests.fees import submit_and_pay

from ..registry.procedure.helpers import case_of, claim_and_approve, run_on_commit


class SmsSimulator:
    """A local SMS gateway speaking HttpSmsBackend's protocol; can fail the first calls."""

    def __init__(self, *, fail_first: int = 0, status: int = 503):
        self.received: list[dict] = []
        self.attempts = 0
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                simulator.attempts += 1
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if simulator.attempts <= fail_first or self.headers.get(
                        "Authorization") != "Bearer secret-token":
                    self.send_response(status)
                    self.end_headers()
                    return
                simulator.received.append(body)
                answer = json.dumps({"id": f"sim-{len(simulator.received)}"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


# Signing and paying tells the applicant three things: the fee is due, it is received (with
# the receipt), and the filing is at the desks.
SIGN_AND_PAY_EVENTS = {"payment_due", "payment_received", "application_submitted"}


def delivery_of(event: str, channel: str) -> Delivery:
    return Delivery.objects.get(notification__event=event, channel=channel)


def email_of(event: str):
    """The one e-mail of mail.outbox sent for the notification of `event`."""
    subject = delivery_of(event, "email").subject
    [message] = [message for message in mail.outbox if message.subject == subject]
    return message


@pytest.fixture
def http_sms(settings):
    # In eager mode Celery replays a retried task itself only when it does not propagate.
    from config.celery import app as celery_app

    previous = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False

    def configure(simulator: SmsSimulator):
        settings.SMS_BACKEND = "notifications.sms.HttpSmsBackend"
        settings.SMS_HTTP_URL = simulator.url
        settings.SMS_HTTP_TOKEN = "secret-token"
        settings.SMS_HTTP_TIMEOUT = 5
        settings.NOTIFICATION_RETRY_BASE_SECONDS = 0
    yield configure
    celery_app.conf.task_eager_propagates = previous


def test_submitting_notifies_the_applicant_once_in_french(draft, entrepreneur):
    with run_on_commit():
        submit_and_pay(application_id=draft.pk, user=entrepreneur)
    notification = Notification.objects.get(recipient=entrepreneur,
                                            event="application_submitted")
    assert notification.language == "fr"
    assert draft.reference in notification.title
    # One e-mail per event: the fee due, the fee received, the filing submitted.
    assert set(Notification.objects.filter(recipient=entrepreneur)
               .values_list("event", flat=True)) == SIGN_AND_PAY_EVENTS
    assert Notification.objects.filter(recipient=entrepreneur).count() == 3
    assert len(mail.outbox) == 3
    invoice = invoice_of(draft)
    due = email_of("payment_due")
    assert due.subject == f"Dossier {draft.reference} signé : frais à régler"
    assert invoice.number in due.body and f"{invoice.amount:,}".replace(",", " ") in (
        due.body.replace("\u00a0", " ").replace("\u202f", " "))
    assert email_of("payment_received").subject == f"Paiement reçu : facture {invoice.number}"
    message = email_of("application_submitted")
    assert message.to == [entrepreneur.email]
    assert message.subject == f"Dossier {draft.reference} reçu"
    assert "a bien été transmis au guichet unique" in message.body
    assert "l'administration" in message.body  # plain text: no HTML escaping
    html = message.alternatives[0][0]
    assert '<html lang="fr">' in html
    delivery = Delivery.objects.get(notification=notification)
    assert (delivery.channel, delivery.status, delivery.attempts) == ("email", "sent", 1)


def test_a_user_who_chose_english_is_written_to_in_english(draft, entrepreneur):
    entrepreneur.preferred_language = "en"
    entrepreneur.save()
    with run_on_commit():
        submit_and_pay(application_id=draft.pk, user=entrepreneur)
    assert len(mail.outbox) == 3
    assert set(Notification.objects.values_list("language", flat=True)) == {"en"}
    message = email_of("application_submitted")
    assert message.subject == f"Application {draft.reference} received"
    assert "one-stop shop" in message.body


def test_the_same_occurrence_is_notified_once(entrepreneur):
    with run_on_commit():
        for _ in range(2):
            notify(event="desk_approved", user=entrepreneur, about="workflows.task:1",
                   context={"reference": "CFE-1", "company_name": "X", "step": "S",
                            "desk": "D"})
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_legal_notices_go_by_email_even_to_who_opted_out(submitted, entrepreneur, clerks):
    entrepreneur.notify_by_email = False
    entrepreneur.save()
    mail.outbox.clear()
    case = case_of(submitted)
    claim_and_approve(case, "intake", clerks["guichet"])  # desk approved: not a legal notice
    assert Notification.objects.filter(event="desk_approved").count() == 1
    assert mail.outbox == []
    from workflows import services as engine
    from workflows.models import Task

    registry = Task.objects.get(case=case, step_id="registry")
    engine.claim_task(task_id=registry.pk, user=clerks["greffe"])
    with run_on_commit():
        engine.return_task(task_id=registry.pk, user=clerks["greffe"],
                           comment="Pièce d'identité illisible.",
                           fields=["people"])
    [message] = mail.outbox
    assert message.subject.startswith("Correction demandée sur le dossier")
    assert "Pièce d'identité illisible." in message.body


def test_an_sms_goes_to_who_asked_for_it(draft, entrepreneur, settings, tmp_path):
    settings.SMS_BACKEND = "notifications.sms.FileSmsBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    entrepreneur.phone = "+22890123456"
    entrepreneur.notify_by_sms = True
    entrepreneur.save()
    with run_on_commit():
        submit_and_pay(application_id=draft.pk, user=entrepreneur)
    sent = [json.loads(line) for line in (tmp_path / "sms.jsonl").read_text().splitlines()]
    assert len(sent) == len(SIGN_AND_PAY_EVENTS)  # one SMS per event, none twice
    assert all(sms["to"] == "+22890123456" and len(sms["text"]) <= 160 for sms in sent)
    delivery = delivery_of("application_submitted", "sms")
    [sms] = [sms for sms in sent if sms["text"] == delivery.text]
    assert draft.reference in sms["text"]
    assert delivery.status == DeliveryStatus.SENT
    assert invoice_of(draft).number in delivery_of("payment_due", "sms").text


def test_the_http_provider_is_used_through_its_protocol(draft, entrepreneur, http_sms):
    entrepreneur.phone = "+22890123456"
    entrepreneur.notify_by_sms = True
    entrepreneur.save()
    with SmsSimulator() as simulator:
        http_sms(simulator)
        with run_on_commit():
            submit_and_pay(application_id=draft.pk, user=entrepreneur)
    assert len(simulator.received) == len(SIGN_AND_PAY_EVENTS)
    delivery = delivery_of("application_submitted", "sms")
    [received] = [received for received in simulator.received
                  if received["reference"] == f"delivery-{delivery.pk}"]
    assert received["to"] == "+22890123456"
    assert received["text"] == delivery.text
    assert delivery.status == "sent"
    # The provider's id for each message is kept on its delivery.
    sms = Delivery.objects.filter(channel="sms")
    assert {d.provider_reference for d in sms} == {"sim-1", "sim-2", "sim-3"}


def test_a_failing_provider_is_retried_then_the_delivery_is_marked_failed(
    draft, entrepreneur, http_sms, settings
):
    settings.NOTIFICATION_MAX_RETRIES = 2
    entrepreneur.phone = "+22890123456"
    entrepreneur.notify_by_sms = True
    entrepreneur.save()
    with SmsSimulator(fail_first=100) as simulator:
        http_sms(simulator)
        with run_on_commit():
            submit_and_pay(application_id=draft.pk, user=entrepreneur)
    sms = Delivery.objects.filter(channel="sms")
    assert sms.count() == len(SIGN_AND_PAY_EVENTS)
    # For each SMS: the first try and two retries, then given up.
    assert simulator.attempts == 3 * sms.count()
    for delivery in sms:
        assert delivery.status == DeliveryStatus.FAILED
        assert delivery.attempts == 3
        assert "503" in delivery.last_error
    assert delivery_of("application_submitted", "sms").status == DeliveryStatus.FAILED
    # the e-mail of the same event went out regardless
    assert delivery_of("application_submitted", "email").status == DeliveryStatus.SENT


def test_a_provider_failing_once_then_succeeding_sends_exactly_one_sms(
    draft, entrepreneur, http_sms
):
    entrepreneur.phone = "+22890123456"
    entrepreneur.notify_by_sms = True
    entrepreneur.save()
    with SmsSimulator(fail_first=1) as simulator:
        http_sms(simulator)
        with run_on_commit():
            submit_and_pay(application_id=draft.pk, user=entrepreneur)
    # One message per event, none twice; the one that met the failure was sent on retry.
    sms = Delivery.objects.filter(channel="sms")
    assert len(simulator.received) == sms.count() == len(SIGN_AND_PAY_EVENTS)
    assert sorted(received["reference"] for received in simulator.received) == sorted(
        f"delivery-{delivery.pk}" for delivery in sms)
    assert {delivery.status for delivery in sms} == {"sent"}
    assert sorted(delivery.attempts for delivery in sms) == [1, 1, 2]


def test_failed_deliveries_are_listed_for_administrators(admin_client, admin_user,
                                                        entrepreneur):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(admin_user, generate_totp_secret())  # the admin requires a second factor
    notification = Notification.objects.create(recipient=entrepreneur, event="x", about="y",
                                                language="fr", title="T", body="B")
    Delivery.objects.create(notification=notification, channel="sms", address="+22890000000",
                            template="x/sms", text="t", status="failed", attempts=6,
                            last_error="SmsError: SMS provider: HTTP Error 503")
    html = admin_client.get(reverse("admin:notifications_delivery_changelist")
                            + "?status__exact=failed").content.decode()
    assert "+22890000000" in html and "HTTP Error 503" in html


def test_the_in_app_list_counts_unread_and_marks_read(client, submitted, entrepreneur,
                                                      other_entrepreneur):
    client.force_login(entrepreneur)
    # The fee due, then the filing submitted (the receipt's notice comes when it is issued).
    unread = Notification.objects.filter(recipient=entrepreneur, read_at__isnull=True)
    assert set(unread.values_list("event", flat=True)) == {"payment_due",
                                                           "application_submitted"}
    html = client.get("/").content.decode()
    assert 'class="badge" aria-label="2 non lues">2<' in html
    notification = Notification.objects.get(recipient=entrepreneur,
                                            event="application_submitted")
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == submitted.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'class="badge" aria-label="1 non lue">1<' in client.get("/").content.decode()
    due = Notification.objects.get(recipient=entrepreneur, event="payment_due")
    response = client.get(reverse("notifications:open", args=[due.pk]))
    assert response["Location"] == submitted.get_absolute_url()
    assert 'class="badge"' not in client.get("/").content.decode()
    client.force_login(other_entrepreneur)
    assert client.get(reverse("notifications:open",
                              args=[notification.pk])).status_code == 404


def test_staff_hear_of_a_task_assigned_to_them(submitted, make_user):
    from workflows import services as engine
    from workflows.models import Task

    chief = make_user("chef@cfe.example.tg", desk="guichet", supervisor=True)
    agent = make_user("agent@cfe.example.tg", desk="guichet")
    intake = Task.objects.get(case__subject_id=submitted.pk, step_id="intake")
    with run_on_commit():
        engine.reassign_task(task_id=intake.pk, supervisor=chief, to_user=agent)
    notification = Notification.objects.get(recipient=agent, event="task_assigned")
    assert "Recevabilité du dossier" in notification.title
    assert notification.link == reverse("workflows:task", args=[intake.pk])


@pytest.mark.parametrize(("phone", "stored"), [
    ("90 12 34 56", "+22890123456"), ("+228 90123456", "+22890123456"),
    ("0022890123456", "+22890123456"),
])
def test_preferences_keep_a_togolese_number(client, entrepreneur, phone, stored):
    client.force_login(entrepreneur)
    response = client.post(reverse("preferences"), {
        "first_name": "Kossi", "last_name": "Agbeko", "phone": phone,
        "preferred_language": "fr", "notify_by_email": "on", "notify_by_sms": "on"})
    assert response.status_code == 302
    entrepreneur.refresh_from_db()
    assert (entrepreneur.phone, entrepreneur.notify_by_sms) == (stored, True)


def test_preferences_refuse_a_bad_number_in_french(client, entrepreneur):
    client.force_login(entrepreneur)
    response = client.post(reverse("preferences"), {
        "first_name": "K", "last_name": "A", "phone": "12345", "preferred_language": "fr",
        "notify_by_sms": "on"})
    assert "Numéro de téléphone invalide" in response.content.decode()
    entrepreneur.refresh_from_db()
    assert entrepreneur.phone == "" and not entrepreneur.notify_by_sms
