"""What every payment provider adapter offers the payments services.

An adapter speaks one provider's protocol over HTTP (never inside a database transaction or
row lock) and returns plain values; the services decide what they mean for an invoice.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Protocol


class ProviderError(Exception):
    """The provider could not be reached or answered something we cannot use."""


class InvalidNotification(Exception):
    """A notification (webhook, callback) that is malformed or whose signature is wrong."""


class IgnoredNotification(Exception):
    """A genuine notification about nothing we track (another kind of event, a payment
    that is not ours): acknowledged, so the provider stops sending it, and logged."""


class Outcome(enum.StrEnum):
    """A payment's state as the provider sees it, in our words."""

    PENDING = "pending"
    SUCCEEDED = "succeeded"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Checkout:
    """Where to send the payer, and the provider's own reference for the transaction."""

    provider_reference: str
    redirect_url: str = ""  # empty when the payer confirms on their phone (USSD push)


@dataclass(frozen=True)
class ProviderStatus:
    """The provider's answer about one transaction."""

    reference: str  # ours (Payment.reference)
    outcome: Outcome
    amount: int | None = None  # integer XOF, as the provider states it
    currency: str = "XOF"
    provider_reference: str = ""
    method: str = ""  # e.g. "moov_tg", "mtn_tg", "FLOOZ", "TMONEY"
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Notification:
    """A notification received from the provider, once parsed (and verified where signed).

    `event_id` identifies the notification for idempotence (a repeat has the same id);
    `status` is what it claims. For an unsigned protocol `trusted` is False: the services
    then ask the provider's status API before believing it.
    """

    event_id: str
    reference: str  # ours, as carried back by the provider
    status: ProviderStatus
    trusted: bool
    occurred_at: int | None = None  # unix time, when the provider states it


@dataclass(frozen=True)
class PaymentRequest:
    """What an adapter needs to start a transaction."""

    reference: str  # ours, unique: sent to the provider, carried back in its notifications
    amount: int  # integer XOF
    description: str
    callback_url: str  # where the provider posts its notifications
    return_url: str  # where the payer comes back to
    customer_email: str = ""
    customer_name: str = ""
    phone_number: str = ""  # digits, with or without the 228 prefix
    network: str = ""  # the payer's choice of operator, when the provider needs it


class Provider(Protocol):
    code: str

    def start(self, request: PaymentRequest) -> Checkout: ...

    def status(self, *, reference: str, provider_reference: str = "") -> ProviderStatus: ...

    def parse_notification(self, *, body: bytes, headers: dict[str, str]) -> Notification:
        """Parse (and verify, where signed) a notification; InvalidNotification if not."""
        ...
