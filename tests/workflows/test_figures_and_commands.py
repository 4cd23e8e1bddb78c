"""Dashboard figures per desk, and the engine's management commands."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from workflows.figures import desk_figures
from workflows.models import AuditEvent, Desk, Task, TaskState


def _decided(case_task: Task, *, minutes: int, late: bool) -> None:
    ready = timezone.now() - timedelta(days=1)
    Task.objects.filter(pk=case_task.pk).update(
        state=TaskState.APPROVED, ready_at=ready, decided_at=ready + timedelta(minutes=minutes),
        due_at=ready + timedelta(minutes=minutes - 1 if late else minutes + 1),
    )


def test_figures_give_backlog_median_p90_and_breaches_per_desk(db, make_user, entrepreneur):
    from registry import services

    from ..conftest import COMPANY_DATA, FOUNDER_DATA

    applications = []
    for index in range(5):
        data = {**COMPANY_DATA, "company_name": f"Entreprise {index}"}
        draft = services.application_create(owner=entrepreneur, data=data,
                                             founder=dict(FOUNDER_DATA))
        applications.append(services.application_submit(application_id=draft.pk,
                                                        user=entrepreneur))
    intakes = list(Task.objects.filter(step_id="intake").order_by("pk"))
    for task, minutes in zip(intakes[:4], (10, 20, 30, 100), strict=True):
        _decided(task, minutes=minutes, late=minutes == 100)
    Task.objects.filter(pk=intakes[4].pk).update(due_at=timezone.now() - timedelta(hours=1))

    guichet = Desk.objects.get(code="guichet")
    [row] = desk_figures([guichet])
    assert row.backlog == 1 and row.overdue == 1
    assert row.decided == 4
    assert row.median == timedelta(minutes=25)  # percentile_cont over 10, 20, 30, 100
    assert abs(row.p90.total_seconds() - timedelta(minutes=79).total_seconds()) < 1
    assert row.breaches == 2  # one decided late, one overdue now


def test_the_dashboard_page_lists_the_clerks_desks(client, clerks):
    client.force_login(clerks["greffe"])
    html = client.get(reverse("workflows:dashboard")).content.decode()
    assert "Greffe du tribunal de commerce (RCCM)" in html
    assert "Guichet unique (CFE)" not in html


def test_workflow_check_names_the_faulty_step(db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: x\ntitle: X\nsteps:\n  - id: one\n    desk: nowhere\n")
    with pytest.raises(CommandError, match="step 'one': unknown desk 'nowhere'"):
        call_command("workflow", "check", str(bad))


def test_workflow_check_accepts_the_shipped_definition(db, capsys):
    call_command("workflow", "check", "workflows/definitions/company_creation.yaml")
    assert "is valid (7 steps)" in capsys.readouterr().out


def test_audit_verify_fails_and_names_a_row_changed_with_raw_sql(submitted):
    call_command("audit", "verify")
    target = AuditEvent.objects.order_by("sequence")[1]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE workflows_auditevent SET to_state = %s WHERE sequence = %s",
                       ["approved", target.sequence])
    with pytest.raises(CommandError, match=f"event #{target.sequence}: altered"):
        call_command("audit", "verify")


def test_the_queue_costs_the_same_queries_for_one_task_or_many(client, clerks, entrepreneur,
                                                               django_assert_max_num_queries):
    from registry import services

    from ..conftest import COMPANY_DATA, FOUNDER_DATA

    def add_filings(count):
        for index in range(count):
            draft = services.application_create(
                owner=entrepreneur, data={**COMPANY_DATA, "company_name": f"Firme {index}"},
                founder=dict(FOUNDER_DATA))
            services.application_submit(application_id=draft.pk, user=entrepreneur)

    client.force_login(clerks["guichet"])
    add_filings(1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("workflows:queue"))
    add_filings(10)
    with django_assert_max_num_queries(len(one)):
        assert client.get(reverse("workflows:queue")).content.decode().count("Firme") == 11
