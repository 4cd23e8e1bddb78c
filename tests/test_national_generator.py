"""The national data generator (tests.bench.national) at a small size, on PostgreSQL only:
shares of stages, reproducibility, and what the app's own code finds in the data."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection, transaction
from django.db.models import Count

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("postgresql" not in connection.settings_dict["ENGINE"],
                       reason="COPY and pg_trgm need PostgreSQL (DATABASE_URL)"),
]

FILINGS, COMPANIES = 1_000, 300
AS_OF = datetime(2026, 12, 1, tzinfo=UTC)


def _load(seed: int) -> dict:
    from tests.bench.national import generate

    return generate(filings=FILINGS, companies=COMPANIES, seed=seed, batch=700, as_of=AS_OF,
                    log=lambda line: None)


def _checksum_of(seed: int) -> str:
    """Load, take the checksum, and roll the load back."""
    from tests.bench.national import checksum

    savepoint = transaction.savepoint()
    try:
        _load(seed)
        return checksum()
    finally:
        transaction.savepoint_rollback(savepoint)


def test_same_seed_same_data_other_seed_other_data():
    first = _checksum_of(2026)
    assert _checksum_of(2026) == first
    assert _checksum_of(7) != first


def test_a_small_national_load_is_what_the_app_expects():
    from payments.models import Invoice, Payment
    from registry.models import Application, Company, PublicEvent
    from registry.public.selectors import RegisterFilters, search_register
    from registry.similarity import NameStatus, check_name
    from tests.bench.national import STAGE_SHARES, _counts
    from workflows import audit, selectors
    from workflows.models import OPEN_STATES, Case, Desk, Task
    from workflows.summaries import refresh_summaries

    world = _load(2026)

    # Counts per stage: the declared shares, exactly.
    expected = {"registered": COMPANIES, **_counts(FILINGS - COMPANIES, STAGE_SHARES)}
    assert world["stages"] == expected
    by_state = dict(Application.objects.values_list("state").annotate(n=Count("id")))
    assert by_state == {stage: count for stage, count in expected.items() if count}
    assert Company.objects.count() == COMPANIES
    assert set(world) >= {"owners", "clerks", "admin", "manager"}
    assert world["admin"].is_superuser and world["manager"].groups.exists()

    # The fee: billed when signed, paid once before any desk works the file.
    invoices = dict(Invoice.objects.values_list("state").annotate(n=Count("id")))
    assert invoices["open"] == expected["pending_payment"]
    assert invoices["paid"] == Case.objects.count()
    assert Payment.objects.filter(state="succeeded").count() == invoices["paid"]
    assert not Invoice.objects.filter(state="paid").exclude(
        payments__state="succeeded").exists()

    # Cases agree with their filings, and their summaries are what the engine computes.
    assert refresh_summaries() == 0
    running = Case.objects.filter(state="running")
    assert running.count() == expected["in_review"]
    for case in running:  # one open task, two where steps run side by side
        assert 1 <= case.tasks.filter(state__in=(*OPEN_STATES, "running")).count() <= 2
        assert case.tasks.filter(state__in=("returned", "rejected", "cancelled")).count() == 0
    for case in Case.objects.filter(state="completed"):
        assert set(case.tasks.values_list("state", flat=True)) == {"approved"}
    suspended = Case.objects.filter(state="suspended")
    assert suspended.count() == expected["correction_requested"]
    assert all(case.tasks.filter(state="returned").count() == 1 for case in suspended)
    open_tasks = Task.objects.filter(state__in=OPEN_STATES)
    assert not open_tasks.exclude(case__state="running").exists()
    assert not open_tasks.filter(ready_at__isnull=True).exists()
    assert not Task.objects.filter(state="claimed", assignee__isnull=True).exists()
    overdue = open_tasks.filter(due_at__lt=AS_OF).count()
    assert 0.3 < overdue / open_tasks.count() < 0.8
    assert audit.verify() is None  # the start events are a valid chain

    # Registered companies (one in three, in id order) are found by the public search and by
    # the name check.
    for company in Company.objects.select_related("application").order_by("pk")[::3]:
        assert company.application.state == "registered"
        assert company.rccm_number == company.application.rccm_number
        page = search_register(RegisterFilters(query=company.name))
        assert company.pk in [found.pk for found in page.companies], company.name
        result = check_name(company.name)
        assert result.status == NameStatus.TAKEN, (company.name, result.status)
        assert any(match.reference == company.rccm_number for match in result.matches)
        assert PublicEvent.objects.filter(company=company, kind="registered").exists()

    # A generated clerk's queue has open tasks to take.
    clerk = world["clerks"]["greffe"][0]
    desk = Desk.objects.get(code="greffe")
    queue = selectors.queue_tasks(clerk, selectors.QueueFilters(), desk_ids=[desk.pk])
    assert queue.exists()
    assert all(task.state in OPEN_STATES for task in queue[:50])
