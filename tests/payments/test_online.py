"""Paying a filing's fee online, through our views, against the providers' simulators over
real HTTP: our client calls the simulator, the simulator calls our webhook on a live
server. The filing waits for its fee, then its case starts once, with one receipt."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from payments import selectors as payment_selectors
from payments import services as payments
from payments.models import Invoice, InvoiceState, Payment, PaymentState, ProviderEvent
from payments.providers.base import Outcome
from payments.providers.fedapay import signature_header
from registry import services as registry_services
from registry.models import ApplicationState
from workflows import selectors as workflow_selectors
from workflows.models import AuditEvent, Case

from ..fees import pay_fee
from ..journeys import PASSWORD
from .simulators import FEDAPAY_WEBHOOK_SECRET, fedapay_simulator, paygate_simulator  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, settings):
    settings.SITE_URL = live_server.url
    return live_server


@pytest.fixture
def signed(transactional_db, draft, entrepreneur):
    """A signed filing, waiting for its fee."""
    application = registry_services.application_submit(application_id=draft.pk,
                                                       user=entrepreneur)
    assert application.state == ApplicationState.PENDING_PAYMENT
    return application


@pytest.fixture
def payer(client, entrepreneur):
    assert client.login(email=entrepreneur.email, password=PASSWORD)
    return client


@pytest.fixture
def fedapay(fedapay_simulator, site):  # noqa: F811
    fedapay_simulator.webhook_url = site.url + reverse("payments:notification",
                                                       args=["fedapay"])
    return fedapay_simulator


@pytest.fixture
def paygate(paygate_simulator, site):  # noqa: F811
    paygate_simulator.callback_url = site.url + reverse("payments:notification",
                                                        args=["paygate"])
    return paygate_simulator


def start(payer, application, **data) -> Payment:
    invoice = payment_selectors.invoice_of(application)
    response = payer.post(reverse("payments:pay", args=[invoice.number]), data)
    assert response.status_code == 302
    return Payment.objects.filter(invoice=invoice).latest("created_at")


def submit_payer_page(url: str, decision: str, **fields) -> None:
    """What the payer does on the provider's page: open it, press Payer or Refuser."""
    with urllib.request.urlopen(url, timeout=10) as page:
        assert page.status == 200
        form_action = page.url
    data = urllib.parse.urlencode({"decision": decision, **fields}).encode()
    request = urllib.request.Request(form_action.split("?")[0], data=data, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10):
            pass
    except urllib.error.URLError:
        pass  # the redirect back to us may not resolve outside a browser session


def fedapay_status(payment, **overrides):
    """What FedaPay's status API says of the payment, as its adapter reads it."""
    from dataclasses import replace

    from payments.providers import get_provider

    status = get_provider("fedapay").status(reference=payment.reference,
                                            provider_reference=payment.provider_reference)
    return replace(status, **overrides)


def started_cases(application) -> int:
    return Case.objects.filter(subject_id=application.pk,
                               subject_type__model="application").count()


def assert_paid_once(application) -> None:
    application.refresh_from_db()
    invoice = payment_selectors.invoice_of(application)
    assert invoice.state == InvoiceState.PAID
    assert application.state == ApplicationState.IN_REVIEW
    assert started_cases(application) == 1
    paid = Payment.objects.filter(invoice=invoice, state=PaymentState.SUCCEEDED)
    assert paid.count() == 1
    assert paid.get().receipt is not None


def test_the_fee_is_shown_and_owed_before_the_desks_start(payer, signed):
    assert started_cases(signed) == 0
    invoice = payment_selectors.invoice_of(signed)
    assert invoice.amount == 25_000 and invoice.number.startswith("FAC-")
    page = payer.get(signed.get_absolute_url()).content.decode()
    assert invoice.number in page and "25\u00a0000" in page
    assert reverse("payments:invoice", args=[invoice.number]) in page
    page = payer.get(reverse("payments:invoice", args=[invoice.number])).content.decode()
    assert "Payer au guichet" in page and invoice.number in page


def test_fedapay_happy_path_through_the_payers_page(payer, signed, fedapay):
    payment = start(payer, signed, channel="fedapay")
    assert payment.state == PaymentState.PENDING and payment.redirect_url
    page = payer.get(reverse("payments:invoice", args=[payment.invoice.number]))
    assert payment.redirect_url in page.content.decode()

    submit_payer_page(payment.redirect_url, "approve")

    assert_paid_once(signed)
    payment.refresh_from_db()
    assert payment.method == "mtn_tg"
    response = payer.get(reverse("payments:returned", args=[payment.reference]), follow=True)
    assert "Paiement reçu" in response.content.decode()
    receipt = payer.get(reverse("payments:receipt", args=[payment.reference]))
    assert receipt.status_code == 200
    assert b"".join(receipt.streaming_content).startswith(b"%PDF")
    verified = payer.get(payment.receipt.get_absolute_url()).content.decode()
    assert payment.invoice.number in verified
    assert AuditEvent.objects.filter(object_type="payments.payment",
                                     object_id=str(payment.pk), action="succeed").exists()
    assert signed.owner.notifications.filter(event="payment_received").count() == 1
    # The sealed receipt goes by e-mail, attached.
    sent = [m for m in mail.outbox if payment.invoice.number in m.subject]
    assert len(sent) == 1
    (name, content, mimetype), = sent[0].attachments
    assert name == f"recu-{payment.invoice.number}.pdf"
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")


def test_paygate_hosted_page_when_no_number_is_given(payer, signed, paygate):
    payment = start(payer, signed, channel="paygate", network="FLOOZ")
    assert payment.redirect_url.startswith(paygate.base_url)
    with urllib.request.urlopen(payment.redirect_url, timeout=10) as page:
        assert page.status == 200
    submit_payer_page(payment.redirect_url, "approve", identifier=payment.reference,
                      network="FLOOZ", phone="90123456")
    assert_paid_once(signed)


def test_an_approval_after_we_gave_up_still_pays_the_invoice(payer, signed, fedapay):
    payment = start(payer, signed, channel="fedapay")
    fedapay.time_out(payment.reference)
    Payment.objects.filter(pk=payment.pk).update(
        created_at=payment.created_at - timedelta(hours=25))
    assert payments.reconcile_pending() == {PaymentState.EXPIRED: 1}  # still pending there
    fedapay.approve_silently(payment.reference)  # the payer approves on their phone, late
    payments.refresh_payment(payment_id=payment.pk)  # nothing: only pending ones are asked
    payments.apply_status(payment_id=payment.pk, source="late webhook",
                          status=fedapay_status(payment))
    assert_paid_once(signed)


def test_an_amount_the_provider_states_differently_goes_to_a_person(payer, signed, fedapay):
    payment = start(payer, signed, channel="fedapay")
    wrong = fedapay_status(payment, outcome=Outcome.SUCCEEDED, amount=payment.amount - 1)
    assert payments.apply_status(payment_id=payment.pk, status=wrong, source="status") == (
        "refused: amount or currency differs")
    payment.refresh_from_db()
    assert payment.state == PaymentState.FAILED and "à vérifier" in payment.failure_reason
    assert payment_selectors.invoice_of(signed).state == InvoiceState.OPEN


def test_a_payment_the_provider_never_heard_of_is_closed_after_a_day(payer, signed, paygate):
    payment = start(payer, signed, channel="paygate", network="FLOOZ")  # page never opened
    Payment.objects.filter(pk=payment.pk).update(
        created_at=payment.created_at - timedelta(hours=25))
    assert payments.reconcile_pending() == {PaymentState.EXPIRED: 1}
    assert payment_selectors.invoice_of(signed).state == InvoiceState.OPEN


def test_paygate_callback_is_believed_only_once_the_status_api_confirms(payer, signed,
                                                                        paygate):
    payment = start(payer, signed, channel="paygate", network="TMONEY",
                    phone_number="90 12 34 56")
    assert payment.state == PaymentState.PENDING

    # An unsigned callback claiming success while the provider says pending: not believed.
    assert paygate.forge(payment.reference) == [200]
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING
    assert signed.__class__.objects.get(pk=signed.pk).state == ApplicationState.PENDING_PAYMENT

    assert paygate.approve(payment.reference) == [200]
    assert_paid_once(signed)


def test_declined_then_paid_at_the_counter(payer, signed, fedapay):
    payment = start(payer, signed, channel="fedapay")
    assert fedapay.decline(payment.reference) == [200]
    payment.refresh_from_db()
    signed.refresh_from_db()
    assert payment.state == PaymentState.DECLINED
    assert signed.state == ApplicationState.PENDING_PAYMENT
    response = payer.get(reverse("payments:returned", args=[payment.reference]), follow=True)
    assert "pas abouti" in response.content.decode()

    pay_fee(signed)
    assert_paid_once(signed)


def test_a_timeout_is_settled_by_reconciliation(payer, signed, fedapay, settings):
    payment = start(payer, signed, channel="fedapay")
    fedapay.time_out(payment.reference)
    fedapay.approve_silently(payment.reference)
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING

    # Not yet old enough: left alone.
    assert payments.reconcile_pending() == {}
    Payment.objects.filter(pk=payment.pk).update(
        created_at=payment.created_at - timedelta(minutes=settings
                                                  .PAYMENTS_RECONCILE_AFTER_MINUTES + 1))
    assert payments.reconcile_pending() == {PaymentState.SUCCEEDED: 1}
    assert_paid_once(signed)
    assert payments.reconciliation_report(day=payment.created_at.date()) == []


def test_reconciliation_report_lists_a_mismatch(payer, signed, fedapay):
    payment = start(payer, signed, channel="fedapay")
    fedapay.time_out(payment.reference)
    fedapay.approve_silently(payment.reference)
    report = payments.reconciliation_report(day=payment.created_at.date())
    assert [(m.reference, m.ours, m.theirs) for m in report] == [
        (payment.reference, PaymentState.PENDING, "succeeded")]


def test_forged_signature_gets_400_and_changes_nothing(payer, signed, fedapay):
    payment = start(payer, signed, channel="fedapay")
    assert fedapay.forge(payment.reference) == [400]
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING
    assert not ProviderEvent.objects.exists()
    assert payment_selectors.invoice_of(signed).state == InvoiceState.OPEN


def test_a_tampered_amount_is_refused(payer, signed, fedapay):
    payment = start(payer, signed, channel="fedapay")
    assert fedapay.tamper_amount(payment.reference, amount=100) == [400]
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING
    assert not ProviderEvent.objects.exists()


def test_a_repeated_or_late_pending_webhook_changes_nothing(payer, signed, fedapay):
    payment = start(payer, signed, channel="fedapay")
    assert fedapay.send_out_of_order(payment.reference) == [200, 200]
    assert fedapay.repeat(payment.reference, times=3) == [200, 200, 200]
    assert_paid_once(signed)
    assert ProviderEvent.objects.filter(payment=payment).count() == 2  # approved + late


def test_a_second_click_shows_the_same_payment_rather_than_a_second_one(payer, signed,
                                                                         fedapay):
    first = start(payer, signed, channel="fedapay")
    assert start(payer, signed, channel="fedapay") == first
    assert Payment.objects.filter(invoice=first.invoice).count() == 1


def test_paid_twice_is_kept_for_a_refund(payer, signed, fedapay):
    first = start(payer, signed, channel="fedapay")
    # Long after, the payer tries again (the first page was left open and paid later).
    Payment.objects.filter(pk=first.pk).update(
        created_at=first.created_at - timedelta(minutes=20))
    second = start(payer, signed, channel="fedapay")
    assert second != first
    fedapay.approve(first.reference)
    fedapay.approve(second.reference)
    second.refresh_from_db()
    assert second.state == PaymentState.DUPLICATE
    assert_paid_once(signed)


def test_a_provider_that_does_not_answer_leaves_the_filing_payable(payer, signed, settings):
    settings.PAYMENT_PROVIDERS = {**settings.PAYMENT_PROVIDERS, "fedapay": {
        **settings.PAYMENT_PROVIDERS["fedapay"], "BASE_URL": "http://127.0.0.1:9"}}
    invoice = payment_selectors.invoice_of(signed)
    response = payer.post(reverse("payments:pay", args=[invoice.number]),
                          {"channel": "fedapay"}, follow=True)
    assert "ne répond pas" in response.content.decode()
    assert Payment.objects.get(invoice=invoice).state == PaymentState.FAILED
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.OPEN


def test_only_the_payer_sees_the_invoice(client, make_user, signed):
    invoice = payment_selectors.invoice_of(signed)
    stranger = make_user("autre@example.tg")
    client.force_login(stranger)
    assert client.get(reverse("payments:invoice", args=[invoice.number])).status_code == 404
    assert client.post(reverse("payments:pay", args=[invoice.number]),
                       {"channel": "fedapay"}).status_code == 404


def test_a_withdrawn_unpaid_filing_cancels_its_invoice(signed, entrepreneur):
    registry_services.application_withdraw(application_id=signed.pk, user=entrepreneur)
    assert Invoice.objects.get(subject_id=signed.pk).state == InvoiceState.CANCELLED


@pytest.mark.parametrize(("policy", "outcome"), [("kept", "kept"),
                                                 ("refunded", "refund_due")])
def test_the_fee_of_a_withdrawn_paid_filing_follows_the_setting(signed, entrepreneur,
                                                                settings, policy, outcome):
    settings.PAYMENTS_FEE_ON_END = policy
    pay_fee(signed)
    registry_services.application_withdraw(application_id=signed.pk, user=entrepreneur)
    invoice = Invoice.objects.get(subject_id=signed.pk)
    assert (invoice.state, invoice.fee_outcome) == (InvoiceState.PAID, outcome)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_fifty_identical_webhooks_at_once_pay_once(payer, signed, fedapay):
    payment = start(payer, signed, channel="fedapay")
    fedapay.time_out(payment.reference)  # we send the webhook ourselves, 50 times
    fedapay.approve_silently(payment.reference)
    transaction_json = json.loads(urllib.request.urlopen(urllib.request.Request(
        f"{fedapay.base_url}/v1/transactions/{payment.provider_reference}",
        headers={"Authorization": f"Bearer {fedapay.secret_key}"}), timeout=10).read())
    body = json.dumps({"id": "evt_once", "name": "transaction.approved",
                       "entity": transaction_json["v1/transaction"]}).encode()
    url = fedapay.webhook_url
    barrier = threading.Barrier(50)
    statuses: list[int] = []

    def send() -> None:
        barrier.wait()
        headers = {"Content-Type": "application/json",
                   "X-FEDAPAY-SIGNATURE": signature_header(FEDAPAY_WEBHOOK_SECRET, body,
                                                           int(time.time()))}
        # The test server's listen queue is short: a connection it drops is delivered
        # again, as a provider does with a webhook that got no answer.
        for _attempt in range(5):
            status = fedapay.deliver(url, body, headers)
            if status:
                break
            time.sleep(0.2)
        statuses.append(status)

    threads = [threading.Thread(target=send) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(statuses) == 50 and set(statuses) == {200}
    assert ProviderEvent.objects.count() == 1
    assert_paid_once(signed)
    case = workflow_selectors.case_for(signed)
    assert case is not None
    assert signed.owner.notifications.filter(event="payment_received").count() == 1


def test_a_payer_page_outside_the_provider_is_not_offered_as_a_link(payer, signed, fedapay,
                                                                     monkeypatch):
    from payments.providers.base import Checkout
    from payments.providers.fedapay import FedaPayProvider

    monkeypatch.setattr(FedaPayProvider, "start", lambda self, request: Checkout(
        provider_reference="42", redirect_url="http://evil.example/pay"))
    payment = start(payer, signed, channel="fedapay")
    assert payment.redirect_url == ""
    page = payer.get(reverse("payments:invoice", args=[payment.invoice.number]))
    assert "evil.example" not in page.content.decode()
