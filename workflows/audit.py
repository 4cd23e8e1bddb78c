"""The tamper-evident audit trail: every transition appends one chained event."""

from __future__ import annotations

import hashlib
import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps

from django.db import connection, models, transaction
from django.utils import timezone

from .models import AuditChainHead, AuditEvent


def _event_hash(event: AuditEvent) -> str:
    # A JSON array keeps field boundaries unambiguous whatever the text holds.
    parts = [
        event.sequence,
        event.at.isoformat(),
        event.actor_id,
        event.object_type,
        event.object_id,
        event.action,
        event.from_state,
        event.to_state,
        event.comment,
        event.case_id,
        event.previous_hash,
    ]
    encoded = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


_local = threading.local()


def _pending() -> list[AuditEvent] | None:
    return getattr(_local, "pending", None)


@contextmanager
def _batch():
    """Collect the events of one audited transaction and write them in one go at its end."""
    pending = _pending()
    if pending is not None:
        # Nested: the outermost batch writes; if this block fails, its events go too,
        # because its savepoint is rolled back with the changes they describe.
        mark = len(pending)
        try:
            yield
        except BaseException:
            del pending[mark:]
            raise
        return
    _local.pending = []
    try:
        yield
        if _local.pending:
            _append(_local.pending)
    finally:
        _local.pending = None


def atomic(func=None):
    """transaction.atomic whose audit events are written together, just before commit.

    Use it (not transaction.atomic) for services that record events and for any savepoint
    opened inside them, so that a rolled-back savepoint also drops its events.
    """
    if func is None:
        return _atomic_block()

    @wraps(func)
    def wrapper(*args, **kwargs):
        with _atomic_block():
            return func(*args, **kwargs)

    return wrapper


def requires_transaction(func):
    """For services that run inside their caller's transaction (an engine handler, a step
    of a larger service): refuse to run outside one rather than commit half a change."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError(f"{func.__qualname__}() must run inside its caller's "
                               "transaction (audit.atomic).")
        return func(*args, **kwargs)

    return wrapper


@contextmanager
def _atomic_block():
    with transaction.atomic(), _batch():
        yield


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
    """Record an event; must run inside the transaction that made the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must run inside the transaction it records.")
    event = AuditEvent(
        at=timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        action=action,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        case=case,
    )
    pending = _pending()
    if pending is not None:
        pending.append(event)
    else:
        _append([event])
    return event


def transition(obj: models.Model, method: str, /, *, actor, comment: str = "",
               **kwargs) -> None:
    """Run one of `obj`'s FSM transitions, save it and record the event (action = the
    transition's name), inside the caller's transaction: the apps' filings, invoices and
    payments all move this way."""
    from_state = obj.state
    getattr(obj, method)(**kwargs)
    obj.save()
    record(obj=obj, action=method, from_state=from_state, to_state=obj.state, actor=actor,
           comment=comment)


def _append(events: list[AuditEvent]) -> None:
    """Chain and store events, with the chain head locked: one writer at a time."""
    if connection.vendor == "postgresql":
        _append_postgresql(events)
        return
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    _chain(events, head.last_sequence, head.last_hash)
    AuditEvent.objects.bulk_create(events)
    head.last_sequence, head.last_hash = events[-1].sequence, events[-1].hash
    head.save(update_fields=["last_sequence", "last_hash"])


def _chain(events: list[AuditEvent], last_sequence: int, last_hash: str) -> None:
    for event in events:
        last_sequence += 1
        event.sequence = last_sequence
        event.previous_hash = last_hash
        event.hash = _event_hash(event)
        last_hash = event.hash


_COLUMNS = ("sequence", "at", "actor_id", "object_type", "object_id", "action", "from_state",
            "to_state", "comment", "case_id", "previous_hash", "hash")


def _append_postgresql(events: list[AuditEvent]) -> None:
    """The same in two statements, on the hot path of every transition.

    The first both locks the head and takes the sequence numbers; the second inserts the
    events and moves the head's hash in one statement.
    """
    head_table = AuditChainHead._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {head_table} SET last_sequence = last_sequence + %s WHERE id = 1 "
            "RETURNING last_sequence, last_hash",
            [len(events)],
        )
        row = cursor.fetchone()
        if row is None:  # first event ever: create the head, then lock it as usual
            AuditChainHead.objects.get_or_create(pk=1)
            cursor.execute(
                f"UPDATE {head_table} SET last_sequence = last_sequence + %s WHERE id = 1 "
                "RETURNING last_sequence, last_hash",
                [len(events)],
            )
            row = cursor.fetchone()
        _chain(events, row[0] - len(events), row[1])
        placeholders = ", ".join(["(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"] * len(events))
        params = [value for event in events for value in (
            event.sequence, event.at, event.actor_id, event.object_type, event.object_id,
            event.action, event.from_state, event.to_state, event.comment, event.case_id,
            event.previous_hash, event.hash)]
        cursor.execute(
            f"WITH moved AS (UPDATE {head_table} SET last_hash = %s WHERE id = 1) "
            f"INSERT INTO {AuditEvent._meta.db_table} ({', '.join(_COLUMNS)}) "
            f"VALUES {placeholders}",
            [events[-1].hash, *params],
        )


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
    if head and head.last_hash != previous_hash:
        # The last event was rewritten and re-hashed: the head still holds the original.
        return ChainBreak(expected_sequence - 1, "altered")
    return None
