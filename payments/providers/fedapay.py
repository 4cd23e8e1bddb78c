"""FedaPay: a transaction, a token giving the payer's page, and signed webhooks.

The webhook signature (`X-FEDAPAY-SIGNATURE: t=<unix>,s=<hex>`) is an HMAC-SHA256 of
`"<t>.<raw body>"` with the webhook secret; the timestamp bounds replays. FedaPay's
`callback_url` is where the payer's browser comes back to (with `?id=..&status=..`); the
webhook's address is set in the merchant's dashboard, not per transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import quote

from . import local_phone_number, request_json
from .base import (
    Checkout,
    IgnoredNotification,
    InvalidNotification,
    Notification,
    Outcome,
    PaymentRequest,
    ProviderError,
    ProviderStatus,
)

SIGNATURE_HEADER = "X-FEDAPAY-SIGNATURE"

OUTCOMES = {
    "pending": Outcome.PENDING,
    "approved": Outcome.SUCCEEDED,
    "transferred": Outcome.SUCCEEDED,  # approved, and the funds since paid out to us
    "declined": Outcome.DECLINED,
    "canceled": Outcome.CANCELLED,
    "expired": Outcome.EXPIRED,
}
# A webhook's entity may give the currency by FedaPay's id only.
CURRENCY_IDS = {1: "XOF"}


def signature(secret: str, body: bytes, timestamp: int) -> str:
    """The hex HMAC-SHA256 FedaPay sends for `body` at `timestamp`."""
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, timestamp: int) -> str:
    """The X-FEDAPAY-SIGNATURE value for `body` (the simulator signs with it)."""
    return f"t={timestamp},s={signature(secret, body, timestamp)}"


class FedaPayProvider:
    code = "fedapay"
    credentials = ("SECRET_KEY", "WEBHOOK_SECRET")

    def __init__(
        self, *, base_url: str, secret_key: str, webhook_secret: str, tolerance: int = 300
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.secret_key = secret_key
        self.webhook_secret = webhook_secret
        self.tolerance = tolerance

    @classmethod
    def from_settings(cls, config: dict[str, Any]) -> FedaPayProvider:
        return cls(
            base_url=config["BASE_URL"],
            secret_key=config.get("SECRET_KEY", ""),
            webhook_secret=config.get("WEBHOOK_SECRET", ""),
            tolerance=int(config.get("TOLERANCE", 300)),
        )

    def start(self, request: PaymentRequest) -> Checkout:
        firstname, _, lastname = request.customer_name.strip().partition(" ")
        customer: dict[str, Any] = {"firstname": firstname, "lastname": lastname or firstname}
        if request.customer_email:
            customer["email"] = request.customer_email
        if request.phone_number:
            customer["phone_number"] = {
                "number": local_phone_number(request.phone_number), "country": "tg",
            }
        created = self._transaction(self._call("POST", "/v1/transactions", {
            "description": request.description,
            "amount": request.amount,
            "currency": {"iso": "XOF"},
            "callback_url": request.return_url,
            "merchant_reference": request.reference,
            "customer": customer,
        }))
        transaction_id = created.get("id")
        if transaction_id in (None, ""):
            raise ProviderError("FedaPay created a transaction without an id")
        token = self._call("POST", f"/v1/transactions/{quote(str(transaction_id))}/token")
        if not isinstance(token.get("url"), str) or not token["url"]:
            raise ProviderError("FedaPay gave no payment page for the transaction")
        return Checkout(provider_reference=str(transaction_id), redirect_url=token["url"])

    def status(self, *, reference: str, provider_reference: str = "") -> ProviderStatus:
        if provider_reference:
            path = f"/v1/transactions/{quote(provider_reference, safe='')}"
        else:
            path = f"/v1/transactions/merchant/{quote(reference, safe='')}"
        transaction = self._transaction(self._call("GET", path))
        if transaction.get("merchant_reference") != reference:
            raise ProviderError(f"FedaPay answered about another transaction than {reference}")
        return self._read(transaction, ProviderError)

    def parse_notification(self, *, body: bytes, headers: dict[str, str]) -> Notification:
        timestamp = self._verify(body, headers)
        try:
            event = json.loads(body)
        except ValueError as error:
            raise InvalidNotification("FedaPay webhook: body is not JSON") from error
        if not isinstance(event, dict) or not isinstance(event.get("entity"), dict):
            raise InvalidNotification("FedaPay webhook: no entity")
        name, event_id = event.get("name"), event.get("id")
        # Customer and payout events share the endpoint; only transactions concern a payment.
        if not isinstance(name, str) or not name.startswith("transaction."):
            raise IgnoredNotification(f"FedaPay webhook: not a transaction event ({name!r})")
        if not event_id:
            raise InvalidNotification("FedaPay webhook: no event id")
        status = self._read(event["entity"], InvalidNotification)
        return Notification(
            event_id=f"fedapay:{event_id}",
            reference=status.reference,
            status=status,
            trusted=True,
            occurred_at=timestamp,
        )

    def _verify(self, body: bytes, headers: dict[str, str]) -> int:
        """Check the signature and its age; return its timestamp."""
        if not self.webhook_secret:
            raise InvalidNotification("FedaPay webhook secret is not configured")
        value = next(
            (v for k, v in headers.items() if k.lower() == SIGNATURE_HEADER.lower()), ""
        )
        parts: dict[str, list[str]] = {}
        for item in value.split(","):
            key, _, part = item.strip().partition("=")
            parts.setdefault(key, []).append(part)
        try:
            timestamp = int(parts["t"][0])
        except (KeyError, ValueError):
            raise InvalidNotification("FedaPay webhook: missing or malformed signature") from None
        if abs(time.time() - timestamp) > self.tolerance:
            raise InvalidNotification("FedaPay webhook: signature timestamp out of tolerance")
        expected = signature(self.webhook_secret, body, timestamp)
        # Any matching `s=` will do: Stripe-style headers may carry several (key rotation).
        # Bytes: compare_digest refuses str with non-ASCII characters (a forger's choice).
        if not any(hmac.compare_digest(expected.encode(), given.encode(errors="replace"))
                   for given in parts.get("s", [])):
            raise InvalidNotification("FedaPay webhook: wrong signature")
        return timestamp

    def _call(self, method: str, path: str, payload: dict | None = None) -> dict[str, Any]:
        if not self.secret_key:
            raise ProviderError("FedaPay secret key is not configured")
        return request_json(
            method, self.base_url + path, payload=payload,
            headers={"Authorization": f"Bearer {self.secret_key}"},
        )

    @staticmethod
    def _transaction(answer: dict[str, Any]) -> dict[str, Any]:
        transaction = answer.get("v1/transaction")
        if not isinstance(transaction, dict):
            raise ProviderError("FedaPay answered without a transaction")
        return transaction

    @staticmethod
    def _read(
        transaction: dict[str, Any], error: type[ProviderError | InvalidNotification]
    ) -> ProviderStatus:
        """Our reading of a FedaPay transaction object; `error` says what to raise."""
        reference = transaction.get("merchant_reference")
        if not isinstance(reference, str) or not reference:
            raise error("FedaPay transaction without our reference")
        outcome = OUTCOMES.get(transaction.get("status"))
        if outcome is None:
            raise error(f"FedaPay transaction with unknown status {transaction.get('status')!r}")
        amount = transaction.get("amount")
        if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int)):
            raise error(f"FedaPay transaction with a non-integer amount {amount!r}")
        currency = transaction.get("currency")
        if isinstance(currency, dict) and currency.get("iso"):
            iso = str(currency["iso"])
        else:
            iso = CURRENCY_IDS.get(transaction.get("currency_id"), "")
        return ProviderStatus(
            reference=reference,
            outcome=outcome,
            amount=amount,
            currency=iso,
            provider_reference=str(transaction.get("id", "")),
            method=str(transaction.get("mode") or ""),
            raw=transaction,
        )
