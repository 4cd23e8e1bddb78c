"""The events people are told about, and how: legal notices always go by e-mail."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    code: str
    # A legal notice (a decision on the file) goes by e-mail whatever the user chose.
    legal: bool = False


EVENTS = {
    event.code: event
    for event in (
        Event("application_submitted"),
        Event("correction_requested", legal=True),
        Event("desk_approved"),
        Event("company_registered", legal=True),
        Event("application_rejected", legal=True),
        Event("certificate_revoked", legal=True),
        Event("task_assigned"),
        Event("task_escalated"),
    )
}
