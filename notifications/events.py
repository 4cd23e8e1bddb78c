"""The events people are told about, and how: legal notices always go by e-mail."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    code: str
    # A legal notice (a decision on the file) goes by e-mail whatever the user chose.
    legal: bool = False
    # Sent to every address the person gave (a one-time code), whatever their choices.
    every_channel: bool = False


EVENTS = {
    event.code: event
    for event in (
        Event("payment_due"),
        # The sealed receipt goes by e-mail (attached) whatever the person chose.
        Event("payment_received", legal=True),
        Event("application_submitted"),
        Event("correction_requested", legal=True),
        Event("desk_approved"),
        Event("company_registered", legal=True),
        Event("application_rejected", legal=True),
        Event("certificate_revoked", legal=True),
        # A document due after registration (criminal-record extract): 30 and 7 days
        # before the due date, then once overdue.
        Event("extract_due"),
        Event("task_assigned"),
        Event("task_escalated"),
        # The one-time code that signs a filing: by e-mail, and by SMS to a known number.
        Event("signature_code", legal=True, every_channel=True),
    )
}
