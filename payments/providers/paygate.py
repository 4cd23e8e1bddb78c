"""PayGate Global (Togo): a USSD push to the payer's phone, or its hosted page.

Its callbacks carry no signature and only announce payments: a callback is therefore parsed
as an untrusted claim of success, which the services confirm with the status call.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from . import local_phone_number, request_json
from .base import (
    Checkout,
    InvalidNotification,
    Notification,
    Outcome,
    PaymentRequest,
    ProviderError,
    ProviderStatus,
)

# /api/v2/status
OUTCOMES = {
    0: Outcome.SUCCEEDED,
    2: Outcome.PENDING,
    4: Outcome.EXPIRED,
    6: Outcome.CANCELLED,
}
# /api/v1/pay: 0 is "request accepted", the rest refusals.
PAY_REFUSALS = {
    2: "invalid auth token",
    4: "invalid parameters",
    6: "duplicate identifier",
}
NETWORKS = {
    "FLOOZ": "FLOOZ", "MOOV": "FLOOZ",
    "TMONEY": "TMONEY", "T-MONEY": "TMONEY", "MIXX": "TMONEY", "YAS": "TMONEY",
}
# Togocel (T-Money, now Mixx by Yas) and Moov Africa (Flooz) number ranges: the network
# follows from the number when the payer has not said.
PREFIXES = {
    **dict.fromkeys(("70", "71", "72", "73", "90", "91", "92", "93"), "TMONEY"),
    **dict.fromkeys(("78", "79", "96", "97", "98", "99"), "FLOOZ"),
}


def network_for(phone_number: str, network: str = "") -> str:
    """PayGate's name for the payer's network, from their choice or else their number."""
    if network:
        try:
            return NETWORKS[network.strip().upper()]
        except KeyError:
            raise ProviderError(f"PayGate does not serve the network {network!r}") from None
    try:
        return PREFIXES[local_phone_number(phone_number)[:2]]
    except KeyError:
        raise ProviderError("No PayGate network for this phone number") from None


class PayGateProvider:
    code = "paygate"
    credentials = ("AUTH_TOKEN",)

    def __init__(self, *, base_url: str, auth_token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.auth_token = auth_token

    @classmethod
    def from_settings(cls, config: dict[str, Any]) -> PayGateProvider:
        return cls(base_url=config["BASE_URL"], auth_token=config.get("AUTH_TOKEN", ""))

    def start(self, request: PaymentRequest) -> Checkout:
        """Push the payment to the payer's phone; without a number, use the hosted page.

        The hosted page takes the auth token in its address: that is PayGate's protocol.
        Its transaction reference is only known once paid, hence an empty provider_reference.
        """
        if not self.auth_token:
            raise ProviderError("PayGate auth token is not configured")
        if not request.phone_number:
            query = urlencode({
                "token": self.auth_token,
                "amount": request.amount,
                "description": request.description,
                "identifier": request.reference,
                "url": request.return_url,
            })
            return Checkout(provider_reference="", redirect_url=f"{self.base_url}/v1/page?{query}")
        answer = request_json("POST", f"{self.base_url}/api/v1/pay", payload={
            "auth_token": self.auth_token,
            "phone_number": local_phone_number(request.phone_number),
            "amount": request.amount,
            "identifier": request.reference,
            "network": network_for(request.phone_number, request.network),
            "description": request.description,
        })
        code = answer.get("status")
        if code != 0:
            reason = PAY_REFUSALS.get(code, f"status {code!r}")
            raise ProviderError(f"PayGate refused the payment: {reason}")
        if not answer.get("tx_reference"):
            raise ProviderError("PayGate accepted the payment without a tx_reference")
        return Checkout(provider_reference=str(answer["tx_reference"]))

    def status(self, *, reference: str, provider_reference: str = "") -> ProviderStatus:
        if not self.auth_token:
            raise ProviderError("PayGate auth token is not configured")
        answer = request_json("POST", f"{self.base_url}/api/v2/status", payload={
            "auth_token": self.auth_token, "identifier": reference,
        })
        if answer.get("identifier", reference) != reference:
            raise ProviderError(f"PayGate answered about another transaction than {reference}")
        outcome = OUTCOMES.get(answer.get("status"))
        if outcome is None:
            raise ProviderError(f"PayGate status {answer.get('status')!r} is unknown")
        try:
            amount = _amount(answer.get("amount"))
        except ValueError as error:
            raise ProviderError(str(error)) from error
        return ProviderStatus(
            reference=reference,
            outcome=outcome,
            amount=amount,
            provider_reference=str(answer.get("tx_reference") or provider_reference),
            method=str(answer.get("payment_method") or ""),
            raw=answer,
        )

    def parse_notification(self, *, body: bytes, headers: dict[str, str]) -> Notification:
        content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        try:
            if content_type.startswith("application/x-www-form-urlencoded"):
                data: Any = dict(parse_qsl(body.decode(), strict_parsing=True))
            else:
                data = json.loads(body)
        except ValueError as error:
            raise InvalidNotification("PayGate callback: unreadable body") from error
        if not isinstance(data, dict):
            raise InvalidNotification("PayGate callback: not an object")
        tx_reference, identifier = data.get("tx_reference"), data.get("identifier")
        if not tx_reference or not isinstance(identifier, str) or not identifier:
            raise InvalidNotification("PayGate callback: no tx_reference or identifier")
        try:
            amount = _amount(data.get("amount"))
        except ValueError as error:
            raise InvalidNotification(str(error)) from error
        payment_reference = str(data.get("payment_reference") or "")
        return Notification(
            event_id=f"paygate:{tx_reference}:{payment_reference}",
            reference=identifier,
            # PayGate calls back on payment only: the claim is success, unverified.
            status=ProviderStatus(
                reference=identifier,
                outcome=Outcome.SUCCEEDED,
                amount=amount,
                provider_reference=str(tx_reference),
                method=str(data.get("payment_method") or ""),
                raw=data,
            ),
            trusted=False,
            occurred_at=_timestamp(data.get("datetime")),
        )


def _amount(value: Any) -> int | None:
    """PayGate's amount as integer XOF (it may come as a number or a string)."""
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"PayGate amount {value!r} is not a number") from None
    if isinstance(value, bool) or not number.is_integer():
        raise ValueError(f"PayGate amount {value!r} is not a whole number of XOF")
    return int(number)


def _timestamp(value: Any) -> int | None:
    """PayGate's datetime (Lomé time, which is UTC) as unix time, when readable."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())
