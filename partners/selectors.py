"""Partners' reads: the register's public facts, new registrations, a desk's waiting tasks."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from registry.models import Company
from registry.names import normalize
from workflows.models import StepKind, Task, TaskState

PUBLIC_COMPANY_FIELDS = ("rccm_number", "name", "legal_form", "registered_at", "city",
                         "region", "activity_code", "status", "nif")
# A company becomes visible in the registrations feed this long after its registration
# time: its row is written at the start of the registrar's approval and committed at its
# end, so a poller reading "after X" could otherwise pass over a company whose
# transaction commits after a later one's.
FEED_SETTLE = timedelta(seconds=30)


def public_companies() -> QuerySet[Company]:
    """Companies on the register, with their public columns only."""
    return Company.objects.only(*PUBLIC_COMPANY_FIELDS)


def filter_companies(queryset: QuerySet[Company], *, rccm: str = "", nif: str = "",
                     name: str = "", registered_since: datetime | None = None):
    if rccm:
        queryset = queryset.filter(rccm_number=rccm.strip().upper())
    if nif:
        queryset = queryset.filter(nif=nif.strip())
    if name and normalize(name):
        queryset = queryset.filter(normalized_name__contains=normalize(name))
    if registered_since is not None:
        queryset = queryset.filter(registered_at__gte=registered_since)
    return queryset


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True)
class FeedPosition:
    """Where a poller stands in the registrations feed: after this company."""

    registered_at: datetime
    company_id: int

    def encode(self) -> str:
        raw = f"{self.registered_at.isoformat()}|{self.company_id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, cursor: str) -> FeedPosition:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
            moment, company_id = raw.split("|")
            registered_at = datetime.fromisoformat(moment)
            if registered_at.tzinfo is None:
                raise ValueError(moment)
            return cls(registered_at=registered_at, company_id=int(company_id))
        except (binascii.Error, UnicodeDecodeError, ValueError) as error:
            raise InvalidCursor(cursor) from error


START = ""  # the cursor of a poller that starts from the beginning


@dataclass(frozen=True)
class FeedPage:
    results: list[Company]
    next: str
    has_more: bool


def registrations_after(cursor: str, *, limit: int) -> FeedPage:
    """Companies registered after `cursor`, oldest first, by (registered_at, id): a keyset
    over the register, so each page costs the same however far the poller is."""
    queryset = public_companies().filter(registered_at__lte=timezone.now() - FEED_SETTLE)
    if cursor:
        position = FeedPosition.decode(cursor)
        queryset = queryset.filter(
            Q(registered_at__gt=position.registered_at)
            | Q(registered_at=position.registered_at, pk__gt=position.company_id))
    rows = list(queryset.order_by("registered_at", "pk")[:limit + 1])
    results = rows[:limit]
    if results:
        last = results[-1]
        cursor = FeedPosition(registered_at=last.registered_at, company_id=last.pk).encode()
    return FeedPage(results=results, next=cursor, has_more=len(rows) > limit)


def waiting_for_desk(desk_id: int) -> QuerySet[Task]:
    """The desk's manual tasks ready to be worked, with the case fields shown."""
    return (Task.objects.filter(desk_id=desk_id, state=TaskState.READY, kind=StepKind.MANUAL)
            .select_related("case").only("step_id", "ready_at", "due_at", "case__reference",
                                         "case__title"))
