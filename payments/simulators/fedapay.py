"""A local FedaPay: transactions, tokens, the payer's page and signed webhooks.

The webhook address is a constructor argument (`webhook_url`), as FedaPay's is set in the
merchant's dashboard; the `callback_url` given with a transaction is where the payer's
browser is sent back, with `?id=<id>&status=<status>` as FedaPay does.
"""

from __future__ import annotations

import hmac
import itertools
import json
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from typing import Any
from urllib.parse import unquote

from payments.providers.fedapay import SIGNATURE_HEADER, signature_header

from .server import ReceivedRequest, Response, Simulator, UnknownTransaction, with_query

EVENTS = {
    "approved": "transaction.approved",
    "declined": "transaction.declined",
    "canceled": "transaction.canceled",
    "expired": "transaction.expired",
    "pending": "transaction.created",
}
MODES = {"moov_tg": "Flooz (Moov Africa)", "mtn_tg": "Mixx by Yas (T-Money)"}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class FedaPayTransaction:
    id: int
    reference: str
    merchant_reference: str
    amount: int
    description: str
    callback_url: str
    customer: dict[str, Any]
    status: str = "pending"
    mode: str = ""
    token: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    created_at: str = field(default_factory=_now)
    updated_at: str = field(default_factory=_now)
    silent: bool = False  # timed out: its changes send no webhook
    last_event: dict[str, Any] | None = None

    def as_json(self, **overrides: Any) -> dict[str, Any]:
        return {
            "klass": "v1/transaction",
            "id": self.id,
            "reference": self.reference,
            "merchant_reference": self.merchant_reference,
            "description": self.description,
            "amount": self.amount,
            "currency": {"iso": "XOF"},
            "currency_id": 1,
            "callback_url": self.callback_url,
            "status": self.status,
            "mode": self.mode or None,
            "customer": self.customer,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            **overrides,
        }


class FedaPaySimulator(Simulator):
    name = "fedapay"
    control_actions = (
        "approve", "decline", "cancel", "expire", "time_out", "approve_silently", "repeat",
        "send_event", "send_out_of_order", "forge", "tamper_amount",
    )

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        secret_key: str = "sk_simulator",
        webhook_secret: str = "wh_simulator",
        webhook_url: str = "",
    ) -> None:
        super().__init__(host=host, port=port)
        self.secret_key = secret_key
        self.webhook_secret = webhook_secret
        self.webhook_url = webhook_url  # where webhooks go; none are sent while it is empty
        self.transactions: dict[int, FedaPayTransaction] = {}
        # Ids grow across restarts, so a demo database never sees one twice.
        self._ids = itertools.count(int(time.time()))

    def find(self, ref: str | int) -> FedaPayTransaction:
        """A transaction by its id, FedaPay reference, our merchant reference or its token."""
        with self._lock:
            for transaction in self.transactions.values():
                if str(ref) in (str(transaction.id), transaction.reference,
                                transaction.merchant_reference, transaction.token):
                    return transaction
        raise UnknownTransaction(ref)

    # The provider's API

    def route(self, request: ReceivedRequest) -> Response:
        route = request.route
        if match := re.fullmatch(r"/pay/([\w-]+)", route):
            return self._payer_page(request, match[1])
        if not route.startswith("/v1/"):
            return Response.json({"message": "Not found"}, 404)
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {self.secret_key}".encode()):
            return Response.json({"message": "Unauthorized", "errors": {}}, 401)
        if route == "/v1/transactions" and request.method == "POST":
            return self._create(request)
        if request.method == "POST" and (
                match := re.fullmatch(r"/v1/transactions/(\d+)/token", route)):
            transaction = self._by_id(match[1])
            return Response.json({
                "token": transaction.token,
                "url": f"{self.base_url}/pay/{transaction.token}",
            })
        if request.method == "GET" and (match := re.fullmatch(r"/v1/transactions/(\d+)", route)):
            transaction = self._by_id(match[1])
        elif request.method == "GET" and (
                match := re.fullmatch(r"/v1/transactions/merchant/([^/]+)", route)):
            reference = unquote(match[1])
            with self._lock:
                transaction = next((t for t in self.transactions.values()
                                    if t.merchant_reference == reference), None)
            if transaction is None:
                raise UnknownTransaction(reference)
        else:
            return Response.json({"message": "Not found"}, 404)
        with self._lock:
            return Response.json({"v1/transaction": transaction.as_json()})

    def _by_id(self, transaction_id: str) -> FedaPayTransaction:
        with self._lock:
            try:
                return self.transactions[int(transaction_id)]
            except KeyError:
                raise UnknownTransaction(transaction_id) from None

    def _create(self, request: ReceivedRequest) -> Response:
        try:
            data = request.json
            amount, reference = data["amount"], data.get("merchant_reference") or ""
            valid = (
                isinstance(amount, int) and not isinstance(amount, bool) and amount > 0
                and data["currency"]["iso"] == "XOF" and isinstance(data["description"], str)
            )
        except (ValueError, TypeError, KeyError):
            valid = False
        if not valid:
            return Response.json({"message": "Invalid transaction", "errors": {}}, 400)
        with self._lock:
            if reference and any(t.merchant_reference == reference
                                 for t in self.transactions.values()):
                return Response.json({"message": "merchant_reference already used"}, 400)
            transaction = FedaPayTransaction(
                id=next(self._ids),
                reference=f"trx_{secrets.token_urlsafe(8)}",
                merchant_reference=reference,
                amount=amount,
                description=data["description"],
                callback_url=data.get("callback_url") or "",
                customer=data.get("customer") or {},
            )
            self.transactions[transaction.id] = transaction
            return Response.json({"v1/transaction": transaction.as_json()}, 201)

    # The payer's page

    def _payer_page(self, request: ReceivedRequest, token: str) -> Response:
        try:
            transaction = self.find(token)
        except UnknownTransaction:
            return Response.page("Paiement introuvable", "<p>Ce lien de paiement n'existe pas.</p>",
                                 404)
        if request.method == "POST" and transaction.status == "pending":
            form = request.form
            if form.get("decision") == "approve":
                self._settle(transaction, "approved", mode=form.get("mode") or "mtn_tg")
            elif form.get("decision") == "decline":
                self._settle(transaction, "declined")
        if transaction.status != "pending":
            if transaction.callback_url:
                return Response.redirect(with_query(
                    transaction.callback_url, id=str(transaction.id), status=transaction.status))
            return Response.page("Paiement traité",
                                 f"<p>Statut : {escape(transaction.status)}.</p>")
        phone = transaction.customer.get("phone_number") or {}
        modes = "".join(
            f'<label><input type="radio" name="mode" value="{code}"'
            f'{" checked" if index == 0 else ""}> {escape(label)}</label>'
            for index, (code, label) in enumerate(MODES.items())
        )
        return Response.page("Paiement FedaPay", f"""
<p>{escape(transaction.description)}</p>
<p class="amount">{transaction.amount} FCFA</p>
<form method="post">
<fieldset><legend>Moyen de paiement</legend>{modes}</fieldset>
<label for="phone">Numéro de téléphone</label>
<input id="phone" name="phone" type="tel" inputmode="numeric" autocomplete="tel"
       value="{escape(str(phone.get("number", "")))}">
<button type="submit" name="decision" value="approve">Payer</button>
<button type="submit" name="decision" value="decline">Refuser</button>
</form>""")

    # Control API: each returns the HTTP statuses our side answered to the webhooks sent.

    def approve(self, ref: str | int, mode: str = "mtn_tg") -> list[int]:
        return self._settle(self.find(ref), "approved", mode=mode)

    def decline(self, ref: str | int) -> list[int]:
        return self._settle(self.find(ref), "declined")

    def cancel(self, ref: str | int) -> list[int]:
        return self._settle(self.find(ref), "canceled")

    def expire(self, ref: str | int) -> list[int]:
        return self._settle(self.find(ref), "expired")

    def time_out(self, ref: str | int) -> list[int]:
        """The payer's answer never reaches us: from now on, no webhook for this one."""
        self.find(ref).silent = True
        return []

    def approve_silently(self, ref: str | int, mode: str = "mtn_tg") -> list[int]:
        """Approved at FedaPay, but no webhook: only the status call will tell."""
        return self._settle(self.find(ref), "approved", mode=mode, notify=False)

    def repeat(self, ref: str | int, times: int = 1) -> list[int]:
        """Send the last webhook again `times` times (same event id, fresh signature)."""
        event = self.find(ref).last_event
        if event is None:
            raise ValueError("No webhook was sent for this transaction yet")
        return [self._send(event) for _ in range(times)]

    def send_event(self, ref: str | int, name: str, status: str = "") -> list[int]:
        """Send any event about the transaction, its state unchanged but for `status`."""
        transaction = self.find(ref)
        with self._lock:
            entity = transaction.as_json(**({"status": status} if status else {}))
        return [self._send(self._event(name, entity))]

    def send_out_of_order(self, ref: str | int, mode: str = "mtn_tg") -> list[int]:
        """Approve, then deliver a late `transaction.created` (still pending) after it."""
        transaction = self.find(ref)
        with self._lock:
            late = self._event("transaction.created", transaction.as_json(status="pending"))
        statuses = self._settle(transaction, "approved", mode=mode)
        return [*statuses, self._send(late)]

    def forge(self, ref: str | int, status: str = "approved") -> list[int]:
        """A webhook signed with another secret, the transaction unchanged."""
        transaction = self.find(ref)
        with self._lock:
            entity = transaction.as_json(status=status)
        event = self._event(EVENTS.get(status, "transaction.updated"), entity)
        return [self._send(event, secret=f"forged-{self.webhook_secret}")]

    def tamper_amount(self, ref: str | int, amount: int | None = None) -> list[int]:
        """A properly signed approval stating another amount, the transaction unchanged."""
        transaction = self.find(ref)
        with self._lock:
            entity = transaction.as_json(
                status="approved", mode=transaction.mode or "mtn_tg",
                amount=amount if amount is not None else max(1, transaction.amount // 10),
            )
        return [self._send(self._event("transaction.approved", entity))]

    # Webhooks

    def _settle(
        self, transaction: FedaPayTransaction, status: str, *, mode: str = "",
        notify: bool = True,
    ) -> list[int]:
        with self._lock:
            transaction.status = status
            transaction.mode = mode or transaction.mode
            transaction.updated_at = _now()
            if not notify or transaction.silent:
                return []
            event = self._event(EVENTS[status], transaction.as_json())
            transaction.last_event = event
        return [self._send(event)]

    @staticmethod
    def _event(name: str, entity: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": f"evt_{secrets.token_hex(8)}",
            "object": "event",
            "name": name,
            "entity": entity,
            "created_at": _now(),
        }

    def _send(self, event: dict[str, Any], *, secret: str = "") -> int:
        """Deliver `event` signed as FedaPay does (outside the lock: our side may call in)."""
        if not self.webhook_url:
            return 0
        body = json.dumps(event).encode()
        signature = signature_header(secret or self.webhook_secret, body, int(time.time()))
        return self.deliver(self.webhook_url, body, {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: signature,
            "User-Agent": "FedaPay-Simulator",
        })
