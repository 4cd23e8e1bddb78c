"""The provider adapters against the simulators, over real HTTP on loopback: starting a
payment, its status, the payer's page, notifications (signed or not) and failures."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from payments.providers import get_provider, online_providers
from payments.providers.base import (
    Checkout,
    IgnoredNotification,
    InvalidNotification,
    Outcome,
    PaymentRequest,
    ProviderError,
)
from payments.providers.fedapay import SIGNATURE_HEADER, signature_header
from payments.simulators import FedaPaySimulator, PayGateSimulator

from .simulators import (  # noqa: F401 (fixtures)
    FEDAPAY_SECRET_KEY,
    FEDAPAY_WEBHOOK_SECRET,
    PAYGATE_AUTH_TOKEN,
    NotificationRecorder,
    fedapay_simulator,
    notification_recorder,
    paygate_simulator,
)


@pytest.fixture
def recorder(notification_recorder) -> NotificationRecorder:  # noqa: F811
    """Our notification view's stand-in: answers 200 and keeps what it receives."""
    return notification_recorder


@pytest.fixture
def fedapay(fedapay_simulator, recorder) -> FedaPaySimulator:  # noqa: F811
    fedapay_simulator.webhook_url = recorder.url
    return fedapay_simulator


@pytest.fixture
def paygate(paygate_simulator, recorder) -> PayGateSimulator:  # noqa: F811
    paygate_simulator.callback_url = recorder.url
    return paygate_simulator


def payment(reference: str = "PAY-2026-000001", **overrides) -> PaymentRequest:
    return PaymentRequest(**{
        "reference": reference,
        "amount": 25000,
        "description": "Immatriculation SARL KOFFI & FILS",
        "callback_url": "http://127.0.0.1:9/notifications/",
        "return_url": "http://127.0.0.1:9/paiements/retour/PAY-2026-000001/",
        "customer_email": "ama.doe@example.tg",
        "customer_name": "Ama Akossiwa DOE",
        "phone_number": "+228 90 12 34 56",
        **overrides,
    })


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def browse(url: str, form: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    """What a browser gets from `url` (a GET, or a form POST), redirects not followed."""
    data = urlencode(form).encode() if form is not None else None
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, data=data), timeout=5) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read().decode()


def webhook_of(recorder) -> tuple[bytes, dict[str, str]]:
    [received] = recorder.received
    return received.body, received.headers


# FedaPay


def test_fedapay_start_creates_the_transaction_and_gives_the_payer_page(fedapay):
    checkout = get_provider("fedapay").start(payment())

    created, token = fedapay.requests
    assert (created.method, created.route) == ("POST", "/v1/transactions")
    assert created.headers["authorization"] == f"Bearer {FEDAPAY_SECRET_KEY}"
    assert created.json == {
        "description": "Immatriculation SARL KOFFI & FILS",
        "amount": 25000,
        "currency": {"iso": "XOF"},
        # FedaPay's callback_url is where the payer's browser comes back to.
        "callback_url": "http://127.0.0.1:9/paiements/retour/PAY-2026-000001/",
        "merchant_reference": "PAY-2026-000001",
        "customer": {
            "firstname": "Ama", "lastname": "Akossiwa DOE", "email": "ama.doe@example.tg",
            "phone_number": {"number": "90123456", "country": "tg"},
        },
    }
    transaction = fedapay.find("PAY-2026-000001")
    assert token.route == f"/v1/transactions/{transaction.id}/token"
    assert checkout == Checkout(
        provider_reference=str(transaction.id),
        redirect_url=f"{fedapay.base_url}/pay/{transaction.token}",
    )


@pytest.mark.parametrize(("action", "outcome"), [
    ("approve", Outcome.SUCCEEDED),
    ("decline", Outcome.DECLINED),
    ("cancel", Outcome.CANCELLED),
    ("expire", Outcome.EXPIRED),
])
def test_fedapay_status_before_and_after_the_payer_answers(fedapay, action, outcome):
    provider = get_provider("fedapay")
    checkout = provider.start(payment())

    before = provider.status(reference="PAY-2026-000001",
                             provider_reference=checkout.provider_reference)
    getattr(fedapay, action)("PAY-2026-000001")
    by_id = provider.status(reference="PAY-2026-000001",
                            provider_reference=checkout.provider_reference)
    by_reference = provider.status(reference="PAY-2026-000001")

    assert before.outcome == Outcome.PENDING
    assert by_id.outcome == by_reference.outcome == outcome
    assert (by_id.amount, by_id.currency, by_id.provider_reference) == (
        25000, "XOF", checkout.provider_reference)
    assert fedapay.requests[-1].route == "/v1/transactions/merchant/PAY-2026-000001"


def test_fedapay_payer_page_approves_sends_a_signed_webhook_and_returns_the_payer(
        fedapay, recorder):
    provider = get_provider("fedapay")
    checkout = provider.start(payment())

    status, _, page = browse(checkout.redirect_url)
    assert status == 200
    assert '<html lang="fr">' in page and "25000 FCFA" in page
    assert ">Payer</button>" in page and ">Refuser</button>" in page
    assert "<script" not in page and "http" not in page.split("<body>")[1]

    status, headers, _ = browse(checkout.redirect_url, {
        "decision": "approve", "mode": "moov_tg", "phone": "90123456"})
    assert status == 303
    location = urlsplit(headers["Location"])
    assert location.path == "/paiements/retour/PAY-2026-000001/"
    assert parse_qs(location.query) == {
        "id": [checkout.provider_reference], "status": ["approved"]}

    body, webhook_headers = webhook_of(recorder)
    notification = provider.parse_notification(body=body, headers=webhook_headers)
    assert notification.trusted
    assert notification.reference == "PAY-2026-000001"
    assert notification.event_id.startswith("fedapay:evt_")
    assert notification.status.outcome == Outcome.SUCCEEDED
    assert (notification.status.amount, notification.status.method) == (25000, "moov_tg")
    assert abs(notification.occurred_at - time.time()) < 60


def test_fedapay_payer_page_refusal_declines(fedapay):
    checkout = get_provider("fedapay").start(payment())

    status, headers, _ = browse(checkout.redirect_url, {"decision": "decline"})

    assert status == 303 and headers["Location"].endswith("status=declined")
    assert get_provider("fedapay").status(reference="PAY-2026-000001").outcome == (
        Outcome.DECLINED)


@pytest.fixture
def signed_webhook(fedapay, recorder) -> tuple[bytes, dict[str, str]]:
    get_provider("fedapay").start(payment())
    assert fedapay.approve("PAY-2026-000001") == [200]
    return webhook_of(recorder)


def test_fedapay_webhook_with_a_good_signature_is_accepted(signed_webhook):
    body, headers = signed_webhook

    notification = get_provider("fedapay").parse_notification(body=body, headers=headers)

    assert notification.trusted and notification.status.outcome == Outcome.SUCCEEDED


def test_fedapay_webhook_header_name_is_case_insensitive(signed_webhook):
    body, headers = signed_webhook
    headers = {SIGNATURE_HEADER: headers[SIGNATURE_HEADER.lower()]}

    assert get_provider("fedapay").parse_notification(body=body, headers=headers).trusted


def _refused(body: bytes, headers: dict[str, str]) -> None:
    with pytest.raises(InvalidNotification):
        get_provider("fedapay").parse_notification(body=body, headers=headers)


def test_fedapay_webhook_signed_with_another_secret_is_refused(
        fedapay, recorder):
    get_provider("fedapay").start(payment())

    assert fedapay.forge("PAY-2026-000001") == [200]

    _refused(*webhook_of(recorder))
    assert fedapay.find("PAY-2026-000001").status == "pending"


def test_fedapay_webhook_with_a_stale_timestamp_is_refused(signed_webhook):
    body, _ = signed_webhook
    stale = int(time.time()) - 301

    _refused(body, {SIGNATURE_HEADER: signature_header(FEDAPAY_WEBHOOK_SECRET, body, stale)})


def test_fedapay_webhook_from_the_future_is_refused(signed_webhook):
    body, _ = signed_webhook
    future = int(time.time()) + 301

    _refused(body, {SIGNATURE_HEADER: signature_header(FEDAPAY_WEBHOOK_SECRET, body, future)})


def test_fedapay_webhook_without_signature_is_refused(signed_webhook):
    body, headers = signed_webhook

    _refused(body, {"content-type": headers["content-type"]})
    _refused(body, {SIGNATURE_HEADER: "s=deadbeef"})
    _refused(body, {SIGNATURE_HEADER: "t=soon,s=deadbeef"})
    _refused(body, {SIGNATURE_HEADER: f"t={int(time.time())},s=d\u00e9adbeef"})


def test_fedapay_webhook_with_a_tampered_body_is_refused(signed_webhook):
    body, headers = signed_webhook
    tampered = body.replace(b'"amount": 25000', b'"amount": 2500')
    assert tampered != body

    _refused(tampered, headers)


def test_fedapay_webhook_about_something_else_than_a_transaction_is_ignored(signed_webhook):
    now = int(time.time())
    body = json.dumps({"id": "evt_1", "name": "customer.created", "entity": {}}).encode()

    with pytest.raises(IgnoredNotification):
        get_provider("fedapay").parse_notification(body=body, headers={
            SIGNATURE_HEADER: signature_header(FEDAPAY_WEBHOOK_SECRET, body, now)})


def test_fedapay_signed_webhook_with_another_amount_is_passed_on_as_stated(
        fedapay, recorder):
    # Properly signed: it is FedaPay's word, so the services must compare the amount.
    get_provider("fedapay").start(payment())

    fedapay.tamper_amount("PAY-2026-000001", amount=100)

    body, headers = webhook_of(recorder)
    notification = get_provider("fedapay").parse_notification(body=body, headers=headers)
    assert notification.trusted and notification.status.amount == 100


def test_fedapay_repeats_and_late_events_keep_their_ids(fedapay, recorder):
    provider = get_provider("fedapay")
    provider.start(payment())

    assert fedapay.send_out_of_order("PAY-2026-000001") == [200, 200]
    assert fedapay.repeat("PAY-2026-000001", times=2) == [200, 200]

    parsed = [provider.parse_notification(body=r.body, headers=r.headers)
              for r in recorder.received]
    approved, late, *repeats = parsed
    assert approved.status.outcome == Outcome.SUCCEEDED
    assert late.status.outcome == Outcome.PENDING and late.event_id != approved.event_id
    assert [r.event_id for r in repeats] == [approved.event_id] * 2


def test_fedapay_delivery_reports_what_our_side_answered(fedapay,
                                                         recorder):
    recorder.status = 400
    get_provider("fedapay").start(payment())

    assert fedapay.decline("PAY-2026-000001") == [400]


def test_fedapay_timed_out_payment_is_only_known_by_its_status(fedapay,
                                                                recorder):
    provider = get_provider("fedapay")
    provider.start(payment())

    assert fedapay.time_out("PAY-2026-000001") == []
    assert fedapay.approve_silently("PAY-2026-000001", mode="moov_tg") == []

    assert recorder.received == []
    status = provider.status(reference="PAY-2026-000001")
    assert (status.outcome, status.method) == (Outcome.SUCCEEDED, "moov_tg")


def test_fedapay_http_control_api(fedapay, recorder):
    checkout = get_provider("fedapay").start(payment())
    request = urllib.request.Request(
        f"{fedapay.base_url}/_sim/{checkout.provider_reference}/approve",
        data=b"", method="POST")

    with urllib.request.urlopen(request, timeout=5) as response:
        assert json.loads(response.read()) == {"statuses": [200]}
    assert fedapay.find("PAY-2026-000001").status == "approved"


def test_fedapay_bad_secret_key_is_a_provider_error(fedapay, settings):
    settings.PAYMENT_PROVIDERS["fedapay"]["SECRET_KEY"] = "sk_wrong"

    with pytest.raises(ProviderError, match="401"):
        get_provider("fedapay").start(payment())


def test_provider_server_error_is_a_provider_error(fedapay):
    fedapay.fail_status = 500

    with pytest.raises(ProviderError, match="500"):
        get_provider("fedapay").status(reference="PAY-2026-000001")


def test_slow_provider_is_a_provider_error_after_the_timeout(fedapay, settings):
    settings.PAYMENT_HTTP_TIMEOUT = 0.3
    fedapay.delay = 5
    started = time.monotonic()

    with pytest.raises(ProviderError):
        get_provider("fedapay").start(payment())

    assert time.monotonic() - started < 2


def test_unreachable_provider_is_a_provider_error(fedapay, settings):
    base_url = fedapay.base_url
    fedapay.stop()
    settings.PAYMENT_PROVIDERS["fedapay"]["BASE_URL"] = base_url

    with pytest.raises(ProviderError):
        get_provider("fedapay").status(reference="PAY-2026-000001")


# PayGate Global


def test_paygate_start_pushes_the_payment_to_the_phone(paygate):
    checkout = get_provider("paygate").start(payment())

    [pay] = paygate.requests
    assert (pay.method, pay.route) == ("POST", "/api/v1/pay")
    assert pay.json == {
        "auth_token": PAYGATE_AUTH_TOKEN,
        "phone_number": "90123456",
        "amount": 25000,
        "identifier": "PAY-2026-000001",
        "network": "TMONEY",  # a Togocel number, the payer having said nothing
        "description": "Immatriculation SARL KOFFI & FILS",
    }
    assert checkout == Checkout(
        provider_reference=paygate.find("PAY-2026-000001").tx_reference)


def test_paygate_uses_the_network_the_payer_chose(paygate):
    get_provider("paygate").start(payment(phone_number="96123456", network="flooz"))

    assert paygate.requests[0].json["network"] == "FLOOZ"


@pytest.mark.parametrize(("action", "outcome"), [
    ("approve", Outcome.SUCCEEDED),
    ("decline", Outcome.CANCELLED),
    ("cancel", Outcome.CANCELLED),
    ("expire", Outcome.EXPIRED),
])
def test_paygate_status_before_and_after_the_payer_answers(paygate, action, outcome):
    provider = get_provider("paygate")
    checkout = provider.start(payment())

    before = provider.status(reference="PAY-2026-000001")
    getattr(paygate, action)(checkout.provider_reference)
    after = provider.status(reference="PAY-2026-000001")

    assert before.outcome == Outcome.PENDING
    assert after.outcome == outcome
    assert (after.amount, after.provider_reference) == (25000, checkout.provider_reference)
    assert paygate.requests[-1].json == {
        "auth_token": PAYGATE_AUTH_TOKEN, "identifier": "PAY-2026-000001"}


def test_paygate_duplicate_identifier_is_a_provider_error(paygate):
    get_provider("paygate").start(payment())

    with pytest.raises(ProviderError, match="duplicate identifier"):
        get_provider("paygate").start(payment())


def test_paygate_bad_auth_token_is_a_provider_error(paygate, settings):
    get_provider("paygate").start(payment())
    settings.PAYMENT_PROVIDERS["paygate"]["AUTH_TOKEN"] = "pg_wrong"

    with pytest.raises(ProviderError):
        get_provider("paygate").start(payment(reference="PAY-2026-000002"))
    with pytest.raises(ProviderError):
        get_provider("paygate").status(reference="PAY-2026-000001")


def test_paygate_hosted_page_pays_calls_back_and_returns_the_payer(
        paygate, recorder):
    provider = get_provider("paygate")
    checkout = provider.start(payment(phone_number=""))

    assert checkout.provider_reference == "" and paygate.requests == []
    page_url = urlsplit(checkout.redirect_url)
    assert page_url.path == "/v1/page"
    assert parse_qs(page_url.query) == {
        "token": [PAYGATE_AUTH_TOKEN],
        "amount": ["25000"],
        "description": ["Immatriculation SARL KOFFI & FILS"],
        "identifier": ["PAY-2026-000001"],
        "url": ["http://127.0.0.1:9/paiements/retour/PAY-2026-000001/"],
    }
    status, _, page = browse(checkout.redirect_url)
    assert status == 200 and ">Payer</button>" in page and "<script" not in page

    status, headers, _ = browse(f"{paygate.base_url}/v1/page", {
        "identifier": "PAY-2026-000001", "decision": "approve", "network": "FLOOZ",
        "phone": "96123456"})

    assert status == 303
    assert headers["Location"] == "http://127.0.0.1:9/paiements/retour/PAY-2026-000001/"
    [callback] = recorder.received
    assert "x-fedapay-signature" not in callback.headers
    notification = provider.parse_notification(body=callback.body, headers=callback.headers)
    paid = paygate.find("PAY-2026-000001")
    assert not notification.trusted
    assert notification.reference == "PAY-2026-000001"
    assert notification.event_id == f"paygate:{paid.tx_reference}:{paid.payment_reference}"
    assert notification.status.outcome == Outcome.SUCCEEDED
    assert (notification.status.amount, notification.status.method) == (25000, "FLOOZ")
    assert notification.occurred_at is not None
    confirmed = provider.status(reference="PAY-2026-000001")
    assert (confirmed.outcome, confirmed.provider_reference) == (
        Outcome.SUCCEEDED, paid.tx_reference)


def test_paygate_hosted_page_refuses_a_bad_token(paygate):
    status, _, _ = browse(f"{paygate.base_url}/v1/page?" + urlencode({
        "token": "pg_wrong", "amount": 100, "identifier": "X", "url": "http://x/"}))

    assert status == 401


def test_paygate_calls_back_on_payment_only_and_repeats_keep_their_id(
        paygate, recorder):
    provider = get_provider("paygate")
    provider.start(payment())
    provider.start(payment(reference="PAY-2026-000002"))

    assert paygate.decline("PAY-2026-000002") == []
    assert paygate.approve("PAY-2026-000001") == [200]
    assert paygate.repeat("PAY-2026-000001", times=2) == [200, 200]

    ids = {provider.parse_notification(body=r.body, headers=r.headers).event_id
           for r in recorder.received}
    assert len(recorder.received) == 3 and len(ids) == 1


def test_paygate_forged_callback_is_parsed_but_untrusted(paygate,
                                                         recorder):
    provider = get_provider("paygate")
    provider.start(payment())

    paygate.forge("PAY-2026-000001")

    [callback] = recorder.received
    notification = provider.parse_notification(body=callback.body, headers=callback.headers)
    assert not notification.trusted
    assert provider.status(reference="PAY-2026-000001").outcome == Outcome.PENDING


@pytest.mark.parametrize("body", [
    b"not json",
    b"[]",
    json.dumps({"identifier": "PAY-2026-000001"}).encode(),
    json.dumps({"tx_reference": "1", "identifier": "PAY-1", "amount": "12.5"}).encode(),
])
def test_paygate_malformed_callback_is_refused(body):
    with pytest.raises(InvalidNotification):
        get_provider("paygate").parse_notification(
            body=body, headers={"Content-Type": "application/json"})


def test_paygate_form_encoded_callback_is_read_too():
    body = urlencode({"tx_reference": "123", "identifier": "PAY-1", "amount": "5000",
                      "payment_reference": "PG1", "payment_method": "TMONEY"}).encode()

    notification = get_provider("paygate").parse_notification(
        body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})

    assert (notification.reference, notification.status.amount) == ("PAY-1", 5000)


# The registry of providers


def test_only_providers_with_credentials_are_online(settings):
    settings.PAYMENT_PROVIDERS = {
        "fedapay": {"BASE_URL": "http://127.0.0.1:9", "SECRET_KEY": "sk",
                    "WEBHOOK_SECRET": "", "TOLERANCE": 300},
        "paygate": {"BASE_URL": "http://127.0.0.1:9", "AUTH_TOKEN": "pg"},
    }
    assert online_providers() == ["paygate"]

    settings.PAYMENT_PROVIDERS["fedapay"]["WEBHOOK_SECRET"] = "wh"
    assert online_providers() == ["fedapay", "paygate"]


def test_unknown_provider():
    with pytest.raises(LookupError):
        get_provider("cinetpay")
