"""Dashboard figures per desk: backlog, time in desk (median, p90), deadline breaches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone

from .models import OPEN_STATES, Desk, Task, TaskState

DECIDED_STATES = (TaskState.APPROVED, TaskState.RETURNED, TaskState.REJECTED)


@dataclass(frozen=True)
class DeskFigures:
    desk: Desk
    backlog: int
    overdue: int
    decided: int
    median: timedelta | None
    p90: timedelta | None
    breaches: int


class _Percentile(Aggregate):
    """PostgreSQL's percentile_cont over an interval column."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _time_in_desk():
    return ExpressionWrapper(F("decided_at") - F("ready_at"), output_field=DurationField())


def desk_figures(desks, *, days: int = 30) -> list[DeskFigures]:
    """Figures for each desk over the last `days` days (backlog and overdue: right now)."""
    now = timezone.now()
    since = now - timedelta(days=days)
    open_counts = {
        row["desk"]: row
        for row in Task.objects.filter(desk__in=desks, state__in=OPEN_STATES)
        .values("desk")
        .annotate(backlog=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    }
    decided = Task.objects.filter(
        desk__in=desks, state__in=DECIDED_STATES, decided_at__gte=since, ready_at__isnull=False
    )
    decided_counts = {
        row["desk"]: row
        for row in decided.values("desk").annotate(
            decided=Count("pk"), breaches=Count("pk", filter=Q(decided_at__gt=F("due_at")))
        )
    }
    percentiles = _percentiles(decided)
    figures = []
    for desk in desks:
        opened = open_counts.get(desk.pk, {})
        closed = decided_counts.get(desk.pk, {})
        median, p90 = percentiles.get(desk.pk, (None, None))
        figures.append(DeskFigures(
            desk=desk,
            backlog=opened.get("backlog", 0),
            overdue=opened.get("overdue", 0),
            decided=closed.get("decided", 0),
            median=median,
            p90=p90,
            breaches=closed.get("breaches", 0) + opened.get("overdue", 0),
        ))
    return figures


def _percentiles(decided) -> dict[int, tuple[timedelta | None, timedelta | None]]:
    if connection.vendor == "postgresql":
        rows = decided.values("desk").annotate(
            median=_Percentile(_time_in_desk(), fraction=0.5),
            p90=_Percentile(_time_in_desk(), fraction=0.9),
        )
        return {row["desk"]: (row["median"], row["p90"]) for row in rows}
    durations: dict[int, list[timedelta]] = {}
    for desk_id, ready_at, decided_at in decided.values_list("desk", "ready_at", "decided_at"):
        durations.setdefault(desk_id, []).append(decided_at - ready_at)
    return {desk_id: (_quantile(values, 0.5), _quantile(values, 0.9))
            for desk_id, values in durations.items()}


def _quantile(values: list[timedelta], fraction: float) -> timedelta:
    """Linear interpolation, as percentile_cont does."""
    seconds = sorted(value.total_seconds() for value in values)
    if len(seconds) == 1:
        return timedelta(seconds=seconds[0])
    position = fraction * (len(seconds) - 1)
    low = int(position)
    high = min(low + 1, len(seconds) - 1)
    value = seconds[low] + (seconds[high] - seconds[low]) * (position - low)
    return timedelta(seconds=value)

