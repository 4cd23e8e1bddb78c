"""The tamper-evident audit trail: every transition appends one chained event."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import models, transaction

from .models import AuditChainHead, AuditEvent


def _event_hash(event: AuditEvent) -> str:
    parts = [
        str(event.sequence),
        event.at.isoformat(),
        str(event.actor_id or ""),
        event.object_type,
        event.object_id,
        event.action,
        event.from_state,
        event.to_state,
        event.comment,
        str(event.case_id or ""),
        event.previous_hash,
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def record(
    *,
    obj: models.Model,
    action: str,
    from_state: str = "",
    to_state: str = "",
    actor=None,
    comment: str = "",
    case=None,
) -> AuditEvent:
    """Append an event; must run inside the transaction that made the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must run inside the transaction it records.")
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    event = AuditEvent(
        sequence=head.last_sequence + 1,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        action=action,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        case=case,
        previous_hash=head.last_hash,
    )
    event.hash = _event_hash(event)
    event.save()
    head.last_sequence = event.sequence
    head.last_hash = event.hash
    head.save(update_fields=["last_sequence", "last_hash"])
    return event


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    reason: str


def verify() -> ChainBreak | None:
    """Walk the chain; return the first altered or missing event, or None when intact."""
    previous_hash = "0" * 64
    expected_sequence = 1
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000):
        if event.sequence != expected_sequence:
            return ChainBreak(expected_sequence, "missing")
        if event.previous_hash != previous_hash or _event_hash(event) != event.hash:
            return ChainBreak(event.sequence, "altered")
        previous_hash = event.hash
        expected_sequence += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head and head.last_sequence >= expected_sequence:
        return ChainBreak(expected_sequence, "missing")
    return None
