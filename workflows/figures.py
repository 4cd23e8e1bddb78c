"""Dashboard figures: backlog per desk, throughput per day, time in desk (median, p90) per
desk and per step, deadline breaches; and their CSV form.

Generic over procedures: tasks and cases only. A subject's own facts (registrations per
legal form...) are its app's business (registry.selectors).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
)
from django.db.models.functions import TruncDate
from django.http import HttpResponse
from django.utils import timezone

from .models import OPEN_STATES, Case, CaseState, Desk, DeskMembership, Task, TaskState
from .replica import reading_replica

DECIDED_STATES = (TaskState.APPROVED, TaskState.RETURNED, TaskState.REJECTED)
# Figures over a million filings take a while to compute: a dashboard shows them as they
# were at most this many seconds ago (setting DASHBOARD_CACHE_SECONDS; 0: on every view).
CACHE_SECONDS = 300


@dataclass(frozen=True)
class DeskFigures:
    desk: Desk
    backlog: int
    overdue: int
    decided: int
    median: timedelta | None
    p90: timedelta | None
    breaches: int
    late_decisions: int = 0  # decided after their deadline, within the period


@dataclass(frozen=True)
class StepFigures:
    desk: Desk
    step_id: str
    title: str
    decided: int
    median: timedelta | None
    p90: timedelta | None
    late_decisions: int
    procedure: str = ""  # the procedure's title: the same desk's step differs by procedure


@dataclass(frozen=True)
class DayFigures:
    day: date
    decided: int  # tasks decided that day (approved, returned or rejected)
    completed: int  # cases completed that day


@dataclass(frozen=True)
class Dashboard:
    days: int
    computed_at: datetime
    desks: list[DeskFigures] = field(default_factory=list)
    steps: list[StepFigures] = field(default_factory=list)
    throughput: list[DayFigures] = field(default_factory=list)


class _Percentile(Aggregate):
    """PostgreSQL's percentile_cont over an interval column."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _time_in_desk():
    return ExpressionWrapper(F("decided_at") - F("ready_at"), output_field=DurationField())


def _decided(desks, *, since: datetime, now: datetime):
    return Task.objects.filter(
        desk__in=desks, state__in=DECIDED_STATES, decided_at__gte=since, decided_at__lte=now,
        ready_at__isnull=False)


def desk_figures(desks, *, days: int = 30, now: datetime | None = None) -> list[DeskFigures]:
    """Figures for each desk over the last `days` days (backlog and overdue: right now)."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    open_counts = {
        row["desk"]: row
        for row in Task.objects.filter(desk__in=desks, state__in=OPEN_STATES)
        .values("desk")
        .annotate(backlog=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    }
    decided_counts = grouped(
        _decided(desks, since=since, now=now), ("desk",),
        decided=Count("pk"), breaches=Count("pk", filter=Q(decided_at__gt=F("due_at"))))
    figures = []
    for desk in desks:
        opened = open_counts.get(desk.pk, {})
        closed = decided_counts.get((desk.pk,), {})
        median, p90 = closed.get("median"), closed.get("p90")
        figures.append(DeskFigures(
            desk=desk,
            backlog=opened.get("backlog", 0),
            overdue=opened.get("overdue", 0),
            decided=closed.get("decided", 0),
            median=median,
            p90=p90,
            breaches=closed.get("breaches", 0) + opened.get("overdue", 0),
            late_decisions=closed.get("breaches", 0),
        ))
    return figures


def step_figures(desks, *, days: int = 30, now: datetime | None = None) -> list[StepFigures]:
    """Time in desk per procedure, desk and step over the last `days` days, steps that
    decided any."""
    now = now or timezone.now()
    decided = _decided(desks, since=now - timedelta(days=days), now=now)
    by_desk = {desk.pk: desk for desk in desks}
    rows = grouped(decided, ("case__definition__code", "desk", "step_id"), title=Max("title"),
                   procedure_title=Max("case__definition__title"), decided=Count("pk"),
                   late=Count("pk", filter=Q(decided_at__gt=F("due_at"))))
    figures = [
        StepFigures(desk=by_desk[desk_id], step_id=step_id, title=row["title"],
                    decided=row["decided"], late_decisions=row["late"],
                    median=row["median"], p90=row["p90"], procedure=row["procedure_title"])
        for (_procedure, desk_id, step_id), row in rows.items()
    ]
    order = {desk.pk: position for position, desk in enumerate(desks)}
    return sorted(figures, key=lambda row: (order[row.desk.pk], row.procedure, row.title,
                                            row.step_id))


def throughput(desks, *, days: int = 30, now: datetime | None = None,
               every_desk: bool = False) -> list[DayFigures]:
    """Per calendar day (local time) of the last `days` days, today included: tasks the
    desks decided, and cases completed (with `every_desk`: all cases; otherwise those
    that reached one of the desks: a task there was worked)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    first = today - timedelta(days=days - 1)
    since = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    decided = dict(
        _decided(desks, since=since, now=now).annotate(day=TruncDate("decided_at"))
        .values("day").annotate(count=Count("pk")).values_list("day", "count"))
    cases = Case.objects.filter(state=CaseState.COMPLETED, ended_at__gte=since,
                                ended_at__lte=now)
    if not every_desk:
        cases = cases.filter(Exists(Task.objects.filter(case=OuterRef("pk"), desk__in=desks,
                                                        ready_at__isnull=False)))
    completed = dict(cases.annotate(day=TruncDate("ended_at")).values("day")
                     .annotate(count=Count("pk")).values_list("day", "count"))
    return [DayFigures(day=day, decided=decided.get(day, 0), completed=completed.get(day, 0))
            for day in (first + timedelta(days=offset) for offset in range(days))]


DASHBOARD_DAYS = 30


def _compute(desks: list, *, days: int, every_desk: bool, now: datetime | None) -> Dashboard:
    moment = now or timezone.now()
    return Dashboard(
        days=days, computed_at=moment,
        desks=desk_figures(desks, days=days, now=moment),
        steps=step_figures(desks, days=days, now=moment),
        throughput=throughput(desks, days=days, now=moment, every_desk=every_desk))


def _cache_key(desks: list, *, days: int, every_desk: bool) -> str:
    return "workflows:dashboard:{}:{}:{}".format(
        days, int(every_desk), ",".join(str(desk.pk) for desk in desks))


def _cache_seconds() -> int:
    return getattr(settings, "DASHBOARD_CACHE_SECONDS", CACHE_SECONDS)


def dashboard(desks, *, days: int = DASHBOARD_DAYS, every_desk: bool = False,
              now: datetime | None = None) -> Dashboard:
    """Every figure of the dashboard for `desks`, cached CACHE_SECONDS (when `now` is not
    given): the same desks see the same figures for that long. Beat keeps the cache warm
    (refresh_dashboards), so nobody waits for the computation."""
    desks = list(desks)
    seconds = _cache_seconds()
    if now is not None or not seconds:
        return _compute(desks, days=days, every_desk=every_desk, now=now)
    return cache.get_or_set(
        _cache_key(desks, days=days, every_desk=every_desk),
        lambda: _compute(desks, days=days, every_desk=every_desk, now=None), seconds)


def refresh_dashboards(*, days: int = DASHBOARD_DAYS) -> int:
    """Compute and cache every dashboard staff can open: each set of desks the members
    have (in the order desks_of() gives them, so the keys are the views'), and every desk
    for the managers. Returns how many were computed."""
    seconds = _cache_seconds()
    # One run at a time: a run slower than beat's interval is not joined by another.
    if not seconds or not cache.add("workflows:refresh-dashboards", True, seconds):
        return 0
    try:
        with reading_replica():  # as the dashboard's view reads them (views/dashboard.py)
            return _refresh(days=days, seconds=seconds)
    finally:
        cache.delete("workflows:refresh-dashboards")


def _refresh(*, days: int, seconds: int) -> int:
    desk_sets: dict[int, set[int]] = {}
    for user_id, desk_id in DeskMembership.objects.values_list("user_id", "desk_id"):
        desk_sets.setdefault(user_id, set()).add(desk_id)
    boards = [(list(Desk.objects.filter(pk__in=desk_ids)), False)
              for desk_ids in {frozenset(ids) for ids in desk_sets.values()}]
    boards.append((list(Desk.objects.all()), True))
    for desks, every_desk in boards:
        cache.set(_cache_key(desks, days=days, every_desk=every_desk),
                  _compute(desks, days=days, every_desk=every_desk, now=None), seconds)
    return len(boards)


def grouped(tasks, keys: tuple[str, ...], /, **aggregates) -> dict[tuple, dict]:
    """`aggregates` of the decided `tasks` grouped by `keys`, with the median and p90 of
    their time in desk: one query on PostgreSQL (percentile_cont beside the counts, one
    scan); on SQLite, which has no percentile_cont, the times are read and interpolated in
    Python."""
    if connection.vendor == "postgresql":
        rows = tasks.values(*keys).annotate(
            **aggregates,
            median=_Percentile(_time_in_desk(), fraction=0.5),
            p90=_Percentile(_time_in_desk(), fraction=0.9),
        )
        return {tuple(row[key] for key in keys): row for row in rows}
    grouped = {tuple(row[key] for key in keys): row
               for row in tasks.values(*keys).annotate(**aggregates)}
    durations: dict[tuple, list[timedelta]] = {}
    for *group, ready_at, decided_at in tasks.values_list(*keys, "ready_at", "decided_at"):
        durations.setdefault(tuple(group), []).append(decided_at - ready_at)
    for group, row in grouped.items():
        row["median"] = _quantile(durations[group], 0.5)
        row["p90"] = _quantile(durations[group], 0.9)
    return grouped


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


# --- CSV --------------------------------------------------------------------------------------


def hours(value: timedelta | None) -> str:
    """A duration in hours with two decimals for a spreadsheet; empty when unknown."""
    return "" if value is None else f"{value.total_seconds() / 3600:.2f}"


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    """A CSV download (UTF-8 with a byte order mark, so spreadsheets read the accents)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
