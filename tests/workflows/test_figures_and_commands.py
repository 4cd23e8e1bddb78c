"""Dashboard figures per desk, and the engine's management commands (workflow, audit)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from workflows.figures import _quantile, desk_figures
from workflows.models import Desk, Task, TaskState, WorkflowDefinition

from .helpers import TOY_PROCEDURE, claim_and_approve, make_permit, start
from .toy.apps import TOY_DEFINITION_FILE


def _decided(case_task: Task, *, minutes: int, late: bool) -> None:
    ready = timezone.now() - timedelta(days=1)
    Task.objects.filter(pk=case_task.pk).update(
        state=TaskState.APPROVED, ready_at=ready, decided_at=ready + timedelta(minutes=minutes),
        due_at=ready + timedelta(minutes=minutes - 1 if late else minutes + 1),
    )


def start_permits(count: int, prefix: str = "Entreprise") -> list:
    return [start(make_permit(f"{prefix} {index}")) for index in range(count)]


# --- figures ------------------------------------------------------------------------------


def test_figures_give_backlog_median_p90_and_breaches_per_desk(db):
    start_permits(5)
    intakes = list(Task.objects.filter(step_id="intake").order_by("pk"))
    for task, minutes in zip(intakes[:4], (10, 20, 30, 100), strict=True):
        _decided(task, minutes=minutes, late=minutes == 100)
    Task.objects.filter(pk=intakes[4].pk).update(due_at=timezone.now() - timedelta(hours=1))

    guichet = Desk.objects.get(code="guichet")
    [row] = desk_figures([guichet])
    assert row.desk == guichet
    assert row.backlog == 1 and row.overdue == 1
    assert row.decided == 4
    assert row.median == timedelta(minutes=25)  # percentile_cont over 10, 20, 30, 100
    assert abs(row.p90.total_seconds() - timedelta(minutes=79).total_seconds()) < 1
    assert row.breaches == 2  # one decided late, one overdue now


def test_a_desk_with_nothing_decided_has_no_times(db):
    start_permits(2)
    [row] = desk_figures([Desk.objects.get(code="greffier")])
    assert (row.backlog, row.overdue, row.decided, row.breaches) == (0, 0, 0, 0)
    assert row.median is None and row.p90 is None


def test_figures_count_each_desk_on_its_own_row(clerks):
    cases = start_permits(3)
    claim_and_approve(cases[0], "intake", clerks["guichet"])  # the inspection runs too
    desks = list(Desk.objects.filter(code__in=["guichet", "greffe", "impots", "cnss"])
                 .order_by("code"))

    rows = {row.desk.code: row for row in desk_figures(desks)}

    assert [row.desk.code for row in desk_figures(desks)] == [desk.code for desk in desks]
    assert rows["guichet"].backlog == 2 and rows["guichet"].decided == 1
    assert rows["greffe"].decided == 1  # the automatic inspection counts for its desk
    assert rows["impots"].backlog == 1
    assert rows["cnss"].backlog == 1


def test_decisions_older_than_the_window_are_left_out(db):
    [case] = start_permits(1)
    intake = Task.objects.get(case=case, step_id="intake")
    long_ago = timezone.now() - timedelta(days=40)
    Task.objects.filter(pk=intake.pk).update(state=TaskState.APPROVED, ready_at=long_ago,
                                             decided_at=long_ago + timedelta(minutes=5))
    guichet = Desk.objects.get(code="guichet")
    assert desk_figures([guichet])[0].decided == 0
    assert desk_figures([guichet], days=60)[0].decided == 1


@pytest.mark.parametrize(
    ("minutes", "fraction", "expected"),
    [([10], 0.5, 10), ([10, 20], 0.5, 15), ([10, 20, 30, 100], 0.9, 79),
     ([30, 10, 20], 0.5, 20)],
)
def test_the_quantile_interpolates_as_percentile_cont(minutes, fraction, expected):
    values = [timedelta(minutes=value) for value in minutes]
    assert _quantile(values, fraction) == timedelta(minutes=expected)


def test_the_dashboard_page_lists_the_clerks_desks(client, clerks):
    start_permits(2)
    client.force_login(clerks["guichet"])
    response = client.get(reverse("workflows:dashboard"))
    assert response.status_code == 200
    assert [row.desk.code for row in response.context["figures"]] == ["guichet"]
    assert response.context["figures"][0].backlog == 2
    html = response.content.decode()
    assert "Guichet unique (CFE)" in html
    assert "Greffe du tribunal de commerce (RCCM)" not in html


def test_the_queue_costs_the_same_queries_for_one_task_or_many(client, clerks,
                                                               django_assert_max_num_queries):
    client.force_login(clerks["guichet"])
    start_permits(1, "Firme")

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("workflows:queue"))
    start_permits(10, "Autre Firme")
    with django_assert_max_num_queries(len(one)):
        assert client.get(reverse("workflows:queue")).content.decode().count("Firme") == 11


# --- manage.py workflow ---------------------------------------------------------------------


def test_workflow_check_accepts_the_toy_definition(db, capsys):
    call_command("workflow", "check", str(TOY_DEFINITION_FILE))
    assert "toy.yaml: toy_permit is valid (5 steps)" in capsys.readouterr().out


def test_workflow_check_names_the_faulty_step(db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: x\ntitle: X\nsteps:\n  - id: one\n    desk: nowhere\n")
    with pytest.raises(CommandError, match=r"bad\.yaml: step 'one': unknown desk 'nowhere'"):
        call_command("workflow", "check", str(bad))


def test_workflow_check_refuses_a_handler_the_procedure_did_not_register(db, tmp_path):
    spec = TOY_DEFINITION_FILE.read_text(encoding="utf-8").replace(
        "on_approve: record_licence_number", "on_approve: print_the_licence")
    edited = tmp_path / "edited.yaml"
    edited.write_text(spec, encoding="utf-8")
    with pytest.raises(CommandError, match="step 'licence': handler 'print_the_licence' is not "
                                           "registered by the procedure"):
        call_command("workflow", "check", str(edited))


def test_workflow_check_refuses_a_missing_file_and_a_file_that_is_not_a_mapping(db, tmp_path):
    with pytest.raises(CommandError, match=r"absent\.yaml: no such file"):
        call_command("workflow", "check", str(tmp_path / "absent.yaml"))
    listed = tmp_path / "list.yaml"
    listed.write_text("- a\n- b\n")
    with pytest.raises(CommandError, match="a definition is a mapping"):
        call_command("workflow", "check", str(listed))


def test_workflow_check_publishes_nothing(db, tmp_path):
    changed = tmp_path / "changed.yaml"
    changed.write_text(TOY_DEFINITION_FILE.read_text(encoding="utf-8").replace(
        "sla_hours: 4", "sla_hours: 6"), encoding="utf-8")
    call_command("workflow", "check", str(changed))
    assert WorkflowDefinition.objects.filter(code=TOY_PROCEDURE).count() == 1


def test_workflow_publish_and_list(db, capsys):
    call_command("workflow", "publish")
    assert f"{TOY_PROCEDURE} v1" in capsys.readouterr().out.splitlines()
    call_command("workflow", "list")
    listed = [line for line in capsys.readouterr().out.splitlines()
              if line.startswith(f"{TOY_PROCEDURE} ")]
    assert len(listed) == 1
    definition = WorkflowDefinition.objects.get(code=TOY_PROCEDURE)
    assert listed[0].startswith(f"{TOY_PROCEDURE} v1 ")
    assert listed[0].endswith(definition.checksum[:12])
