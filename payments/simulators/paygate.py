"""A local PayGate Global: USSD-push payments, the hosted page, status and callbacks.

As with PayGate, the callback address belongs to the merchant's account (`callback_url`
here), callbacks are unsigned, and one is sent only when a payment succeeds: a refusal or an
expiry is only learnt from the status call.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from typing import Any

from .server import ReceivedRequest, Response, Simulator, UnknownTransaction

PAID, PENDING, EXPIRED, CANCELLED = 0, 2, 4, 6
NETWORKS = {"TMONEY": "Mixx by Yas (T-Money)", "FLOOZ": "Flooz (Moov Africa)"}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")


@dataclass
class PayGatePayment:
    identifier: str
    amount: int
    description: str
    tx_reference: str
    phone_number: str = ""
    network: str = ""
    return_url: str = ""
    status: int = PENDING
    payment_reference: str = ""
    datetime: str = ""
    silent: bool = False  # timed out: its payment sends no callback
    last_callback: dict[str, Any] | None = None

    def as_status(self) -> dict[str, Any]:
        return {
            "tx_reference": self.tx_reference,
            "identifier": self.identifier,
            "payment_reference": self.payment_reference,
            "status": self.status,
            "datetime": self.datetime or _now(),
            "payment_method": self.network,
            "amount": self.amount,
        }

    def as_callback(self, **overrides: Any) -> dict[str, Any]:
        return {
            "tx_reference": self.tx_reference,
            "identifier": self.identifier,
            "payment_reference": self.payment_reference,
            "amount": self.amount,
            "datetime": self.datetime or _now(),
            "payment_method": self.network,
            "phone_number": self.phone_number,
            **overrides,
        }


class PayGateSimulator(Simulator):
    name = "paygate"
    control_actions = (
        "approve", "decline", "cancel", "expire", "time_out", "approve_silently", "repeat",
        "forge", "tamper_amount",
    )

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        auth_token: str = "pg_simulator",
        callback_url: str = "",
    ) -> None:
        super().__init__(host=host, port=port)
        self.auth_token = auth_token
        self.callback_url = callback_url  # the merchant account's; none sent while empty
        self.payments: dict[str, PayGatePayment] = {}

    def find(self, ref: str) -> PayGatePayment:
        """A payment by our identifier or PayGate's tx_reference."""
        with self._lock:
            for payment in self.payments.values():
                if ref in (payment.identifier, payment.tx_reference):
                    return payment
        raise UnknownTransaction(ref)

    def _authorised(self, token: object) -> bool:
        return isinstance(token, str) and hmac.compare_digest(
            token.encode(), self.auth_token.encode())

    def _create(self, data: dict[str, Any]) -> PayGatePayment | int:
        """A new pending payment, or PayGate's refusal code (4 invalid, 6 duplicate)."""
        amount, identifier = data.get("amount"), data.get("identifier")
        if isinstance(amount, str) and amount.isdigit():
            amount = int(amount)
        if (not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0
                or not isinstance(identifier, str) or not identifier):
            return 4
        with self._lock:
            if identifier in self.payments:
                return 6
            payment = PayGatePayment(
                identifier=identifier,
                amount=amount,
                description=str(data.get("description") or ""),
                tx_reference=str(secrets.randbelow(9 * 10**8) + 10**8),
                phone_number=str(data.get("phone_number") or ""),
                network=str(data.get("network") or ""),
                return_url=str(data.get("url") or ""),
            )
            self.payments[identifier] = payment
            return payment

    # The provider's API

    def route(self, request: ReceivedRequest) -> Response:
        if request.route == "/v1/page":
            return self._payer_page(request)
        if request.method != "POST" or request.route not in ("/api/v1/pay", "/api/v2/status"):
            return Response.json({"message": "Not found"}, 404)
        try:
            data = request.json
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return Response.json({"status": 4}, 400)
        if not self._authorised(data.get("auth_token")):
            return Response.json({"status": 2}, 401)
        if request.route == "/api/v2/status":
            payment = self.find(str(data.get("identifier", "")))
            with self._lock:
                return Response.json(payment.as_status())
        if (not re.fullmatch(r"\d{8}", str(data.get("phone_number", "")))
                or data.get("network") not in NETWORKS):
            return Response.json({"status": 4})
        created = self._create(data)
        if isinstance(created, int):
            return Response.json({"status": created})
        return Response.json({"tx_reference": created.tx_reference, "status": 0})

    # The hosted page

    def _payer_page(self, request: ReceivedRequest) -> Response:
        if request.method == "POST":
            form = request.form
            try:
                payment = self.find(form.get("identifier") or request.query.get("identifier", ""))
            except UnknownTransaction:
                return Response.page("Paiement introuvable", "<p>Ce paiement n'existe pas.</p>",
                                     404)
            if payment.status == PENDING:
                if form.get("decision") == "approve":
                    with self._lock:
                        payment.phone_number = form.get("phone", payment.phone_number)
                    self._pay(payment, network=form.get("network") or "TMONEY")
                elif form.get("decision") == "decline":
                    self._settle(payment, CANCELLED)
            if payment.return_url:
                return Response.redirect(payment.return_url)
            return Response.page("Paiement traité", f"<p>Statut : {payment.status}.</p>")
        query = request.query
        if not self._authorised(query.get("token")):
            return Response.page("Accès refusé", "<p>Jeton marchand invalide.</p>", 401)
        try:
            payment = self.find(query.get("identifier", ""))
        except UnknownTransaction:
            created = self._create({**query, "phone_number": query.get("phone", "")})
            if isinstance(created, int):
                return Response.page("Paiement impossible", "<p>Paramètres invalides.</p>", 400)
            payment = created
        if str(payment.amount) != query.get("amount"):
            return Response.page("Paiement impossible", "<p>Identifiant déjà utilisé.</p>", 400)
        if payment.status != PENDING:
            return Response.page("Paiement traité", "<p>Ce paiement est déjà traité.</p>")
        networks = "".join(
            f'<label><input type="radio" name="network" value="{code}"'
            f'{" checked" if index == 0 else ""}> {escape(label)}</label>'
            for index, (code, label) in enumerate(NETWORKS.items())
        )
        return Response.page("Paiement PayGate Global", f"""
<p>{escape(payment.description)}</p>
<p class="amount">{payment.amount} FCFA</p>
<form method="post">
<input type="hidden" name="identifier" value="{escape(payment.identifier)}">
<fieldset><legend>Réseau</legend>{networks}</fieldset>
<label for="phone">Numéro de téléphone</label>
<input id="phone" name="phone" type="tel" inputmode="numeric" autocomplete="tel"
       value="{escape(payment.phone_number)}">
<button type="submit" name="decision" value="approve">Payer</button>
<button type="submit" name="decision" value="decline">Refuser</button>
</form>""")

    # Control API: each returns the HTTP statuses our side answered to the callbacks sent
    # (none for a refusal, a cancellation or an expiry: PayGate calls back on payment only).

    def approve(self, ref: str, network: str = "") -> list[int]:
        return self._pay(self.find(ref), network=network)

    def decline(self, ref: str) -> list[int]:
        return self._settle(self.find(ref), CANCELLED)

    def cancel(self, ref: str) -> list[int]:
        return self._settle(self.find(ref), CANCELLED)

    def expire(self, ref: str) -> list[int]:
        return self._settle(self.find(ref), EXPIRED)

    def time_out(self, ref: str) -> list[int]:
        """The payer's answer never reaches us: from now on, no callback for this one."""
        self.find(ref).silent = True
        return []

    def approve_silently(self, ref: str, network: str = "") -> list[int]:
        """Paid at PayGate, but no callback: only the status call will tell."""
        return self._pay(self.find(ref), network=network, notify=False)

    def repeat(self, ref: str, times: int = 1) -> list[int]:
        """Send the last callback again `times` times."""
        callback = self.find(ref).last_callback
        if callback is None:
            raise ValueError("No callback was sent for this payment yet")
        return [self._send(callback) for _ in range(times)]

    def forge(self, ref: str) -> list[int]:
        """A callback claiming a payment PayGate has not seen (the payment stays as it is)."""
        payment = self.find(ref)
        with self._lock:
            callback = payment.as_callback(
                payment_reference=payment.payment_reference or f"FORGED{secrets.token_hex(4)}",
                payment_method=payment.network or "TMONEY",
            )
        return [self._send(callback)]

    def tamper_amount(self, ref: str, amount: int | None = None) -> list[int]:
        """A callback stating another amount than the payment's (which stays as it is)."""
        payment = self.find(ref)
        with self._lock:
            callback = payment.as_callback(
                amount=amount if amount is not None else max(1, payment.amount // 10))
        return [self._send(callback)]

    # Callbacks

    def _pay(
        self, payment: PayGatePayment, *, network: str = "", notify: bool = True
    ) -> list[int]:
        with self._lock:
            payment.network = network or payment.network or "TMONEY"
            payment.payment_reference = f"PG{secrets.randbelow(10**10):010d}"
        return self._settle(payment, PAID, notify=notify)

    def _settle(self, payment: PayGatePayment, status: int, *, notify: bool = True) -> list[int]:
        with self._lock:
            payment.status = status
            payment.datetime = _now()
            if status != PAID or not notify or payment.silent:
                return []
            callback = payment.last_callback = payment.as_callback()
        return [self._send(callback)]

    def _send(self, callback: dict[str, Any]) -> int:
        """POST the callback as PayGate does: plain JSON, no signature."""
        if not self.callback_url:
            return 0
        return self.deliver(self.callback_url, json.dumps(callback).encode(), {
            "Content-Type": "application/json", "User-Agent": "PayGate-Simulator",
        })
