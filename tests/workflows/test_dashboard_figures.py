"""The dashboards: figures equal to those counted by hand on a known data set, CSV equal
to the figures, charts drawn without script or style, and the read-only manager role."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from workflows import charts, figures
from workflows.access import MANAGERS_GROUP
from workflows.models import Case, CaseState, Desk, Task, TaskState

from .helpers import make_permit, start

FIXED_NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)  # Lomé is on UTC


def _set(task: Task, **values) -> None:
    Task.objects.filter(pk=task.pk).update(**values)


def known_data(midnight: datetime) -> list[Case]:
    """Six toy cases; times on the two days before `midnight` (a local midnight):

    guichet (intake): decided in 10, 20 (on D-2), 30 and 100 min (on D-1; both after
    their deadline); one open and overdue, one open with time left.
    greffe (inspection): one decided in 40 min on D-2. impots: one decided 40 days ago.
    One case completed on D-2.
    """
    cases = [start(make_permit(f"Titulaire {index}")) for index in range(6)]
    intakes = [Task.objects.get(case=case, step_id="intake") for case in cases]
    day2, day1 = midnight - timedelta(days=2), midnight - timedelta(days=1)
    for task, ready, minutes, deadline in (
            (intakes[0], day2 + timedelta(hours=9), 10, 60),
            (intakes[1], day2 + timedelta(hours=10), 20, 60),
            (intakes[2], day1 + timedelta(hours=9), 30, 15),
            (intakes[3], day1 + timedelta(hours=10), 100, 60)):
        _set(task, state=TaskState.APPROVED, ready_at=ready,
             decided_at=ready + timedelta(minutes=minutes),
             due_at=ready + timedelta(minutes=deadline))
    _set(intakes[4], state=TaskState.READY, ready_at=day1, due_at=midnight - timedelta(hours=1))
    _set(intakes[5], state=TaskState.READY, ready_at=day1,
         due_at=timezone.now() + timedelta(days=10))
    inspection = Task.objects.get(case=cases[0], step_id="inspection")
    ready = day2 + timedelta(hours=11)
    _set(inspection, state=TaskState.APPROVED, ready_at=ready,
         decided_at=ready + timedelta(minutes=40), due_at=ready + timedelta(hours=2))
    licence = Task.objects.get(case=cases[1], step_id="licence")
    long_ago = midnight - timedelta(days=40)
    _set(licence, state=TaskState.APPROVED, ready_at=long_ago,
         decided_at=long_ago + timedelta(minutes=5), due_at=long_ago + timedelta(hours=1))
    Case.objects.filter(pk=cases[0].pk).update(state=CaseState.COMPLETED,
                                               ended_at=day2 + timedelta(hours=14))
    return cases


def desks(*codes: str) -> list[Desk]:
    return [Desk.objects.get(code=code) for code in codes]


def minutes(value: float) -> timedelta:
    return timedelta(minutes=value)


def _close(value: timedelta | None, expected: timedelta) -> bool:
    return value is not None and abs(value.total_seconds() - expected.total_seconds()) < 1


# --- figures, by hand ---------------------------------------------------------------------


def test_desk_figures_equal_those_counted_by_hand(db):
    known_data(FIXED_NOW.replace(hour=0))
    rows = {row.desk.code: row for row in figures.desk_figures(
        desks("guichet", "greffe", "impots"), now=FIXED_NOW)}

    guichet = rows["guichet"]
    assert (guichet.backlog, guichet.overdue, guichet.decided) == (2, 1, 4)
    assert guichet.median == minutes(25)  # 10, 20, 30, 100
    assert _close(guichet.p90, minutes(79))  # 30 + 0.7 * 70
    assert (guichet.late_decisions, guichet.breaches) == (2, 3)
    greffe = rows["greffe"]
    assert (greffe.backlog, greffe.decided, greffe.median, greffe.p90) == (
        0, 1, minutes(40), minutes(40))
    assert rows["impots"].decided == 0  # 40 days ago: outside the window
    assert rows["impots"].median is None


def test_step_figures_equal_those_counted_by_hand(db):
    known_data(FIXED_NOW.replace(hour=0))
    steps = figures.step_figures(desks("guichet", "greffe", "impots"), now=FIXED_NOW)

    assert [(row.desk.code, row.step_id, row.decided, row.late_decisions) for row in steps] == [
        ("guichet", "intake", 4, 2), ("greffe", "inspection", 1, 0)]
    assert steps[0].median == minutes(25) and _close(steps[0].p90, minutes(79))
    assert steps[1].median == minutes(40) == steps[1].p90


def test_throughput_counts_decisions_and_completed_cases_per_day(db):
    known_data(FIXED_NOW.replace(hour=0))
    days = figures.throughput(desks("guichet", "greffe", "impots"), now=FIXED_NOW,
                              every_desk=True)

    assert len(days) == 30
    assert days[0].day == date(2026, 5, 17) and days[-1].day == date(2026, 6, 15)
    counted = {day.day: (day.decided, day.completed) for day in days
               if day.decided or day.completed}
    assert counted == {date(2026, 6, 13): (3, 1), date(2026, 6, 14): (2, 0)}


def test_a_desk_s_throughput_counts_its_own_decisions_and_the_cases_it_worked(db):
    known_data(FIXED_NOW.replace(hour=0))
    days = figures.throughput(desks("greffe"), now=FIXED_NOW)
    counted = {day.day: (day.decided, day.completed) for day in days
               if day.decided or day.completed}
    assert counted == {date(2026, 6, 13): (1, 1)}
    assert all(day.completed == 0 for day in figures.throughput(desks("cnss"), now=FIXED_NOW))


# --- the pages and their CSV ----------------------------------------------------------------


def _local_midnight() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()))


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def manager(make_user):
    user = make_user("gestion@cfe.example.tg")
    user.groups.add(Group.objects.get(name=MANAGERS_GROUP))
    TOTP.activate(user, generate_totp_secret())
    return user


def test_the_desks_csv_equals_the_figures(client, clerks):
    known_data(_local_midnight())
    client.force_login(clerks["guichet"])

    rows = _csv(client.get(reverse("workflows:dashboard_csv", args=["guichets"])))

    assert rows == [
        ["Guichet", "En stock", "En retard", "Traitées", "Délai médian (heures)",
         "Délai 90e centile (heures)", "Décidées après l'échéance", "Échéances dépassées"],
        [Desk.objects.get(code="guichet").name, "2", "1", "4", "0.42", "1.32", "2", "3"],
    ]


def test_the_steps_days_and_breaches_csv_equal_the_figures(client, manager):
    known_data(_local_midnight())
    client.force_login(manager)
    url = "workflows:dashboard_csv"

    steps = _csv(client.get(reverse(url, args=["etapes"])))
    days = _csv(client.get(reverse(url, args=["debit"])))
    breaches = _csv(client.get(reverse(url, args=["echeances"])))

    assert steps[0] == ["Procédure", "Guichet", "Étape", "Traitées", "Délai médian (heures)",
                        "Délai 90e centile (heures)", "Décidées après l'échéance"]
    names = {desk.code: desk.name for desk in Desk.objects.all()}
    procedure = Task.objects.filter(step_id="intake").first().case.definition.title
    assert sorted(steps[1:]) == sorted([
        [procedure, names["guichet"], Task.objects.filter(step_id="intake").first().title,
         "4", "0.42", "1.32", "2"],
        [procedure, names["greffe"], Task.objects.filter(step_id="inspection").first().title,
         "1", "0.67", "0.67", "0"]])
    today = timezone.localdate()
    assert days[0] == ["Jour", "Tâches décidées", "Dossiers terminés"]
    assert len(days) == 31 and days[-1][0] == today.isoformat()
    assert {row[0]: row[1:] for row in days[1:] if row[1:] != ["0", "0"]} == {
        (today - timedelta(days=2)).isoformat(): ["3", "1"],
        (today - timedelta(days=1)).isoformat(): ["2", "0"]}
    assert breaches[0] == ["Guichet", "Décidées après l'échéance",
                           "En cours, échéance dépassée", "Total"]
    by_desk = {row[0]: row[1:] for row in breaches[1:]}
    assert by_desk[Desk.objects.get(code="guichet").name] == ["2", "1", "3"]
    assert len(by_desk) == Desk.objects.count()


def test_an_unknown_csv_figure_is_not_found(client, clerks):
    client.force_login(clerks["guichet"])
    assert client.get(reverse("workflows:dashboard_csv", args=["inconnu"])).status_code == 404


def test_the_dashboard_draws_its_charts_without_script_or_style(client, clerks):
    known_data(_local_midnight())
    client.force_login(clerks["guichet"])
    page = client.get(reverse("workflows:dashboard")).content.decode()

    assert page.count("<svg") == 4
    assert 'viewBox="0 0 640' in page and 'width="100%"' in page
    assert "style=" not in page.split("<main", 1)[-1] and "<script" not in page.split(
        "<main", 1)[-1]
    assert "<title" in page


def test_a_clerk_sees_only_the_figures_of_their_desks(client, clerks):
    known_data(_local_midnight())
    client.force_login(clerks["greffe"])
    response = client.get(reverse("workflows:dashboard"))

    assert [row.desk.code for row in response.context["figures"]] == ["greffe"]
    assert [row.step_id for row in response.context["steps"]] == ["inspection"]
    assert sum(day.decided for day in response.context["throughput"]) == 1
    rows = _csv(client.get(reverse("workflows:dashboard_csv", args=["guichets"])))
    assert [row[0] for row in rows[1:]] == [Desk.objects.get(code="greffe").name]


def test_the_charts_escape_their_labels():
    svg = charts.bar_chart("<b>", [charts.Bar("<script>", 3)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg


# --- the manager: figures of every desk, nothing else -------------------------------------------


def test_a_manager_sees_the_figures_of_every_desk(client, manager):
    cases = known_data(_local_midnight())
    client.force_login(manager)
    response = client.get(reverse("workflows:dashboard"))

    assert response.status_code == 200
    assert [row.desk.pk for row in response.context["figures"]] == list(
        Desk.objects.order_by("name").values_list("pk", flat=True))
    page = response.content.decode()
    assert "Titulaire" not in page  # no subject, no applicant: counts only
    assert reverse("workflows:task", args=[Task.objects.filter(case=cases[4]).first().pk]) \
        not in page


def test_a_manager_cannot_open_the_queue_a_task_or_decide(client, manager):
    cases = known_data(_local_midnight())
    task = Task.objects.get(case=cases[4], step_id="intake")
    client.force_login(manager)

    assert client.get(reverse("workflows:queue")).status_code == 403
    assert client.post(reverse("workflows:take_next")).status_code == 403
    assert client.get(reverse("workflows:task", args=[task.pk])).status_code == 403
    for action in ("claim", "approve", "reject", "return"):
        response = client.post(reverse("workflows:task_action", args=[task.pk, action]),
                               {"comment": "Vu."})
        assert response.status_code in (403, 404)
    task.refresh_from_db()
    assert task.state == TaskState.READY and task.assignee is None


def test_a_manager_needs_a_second_factor(client, make_user, settings):
    settings.STAFF_MFA_REQUIRED = True
    user = make_user("gestion.sans.2fa@cfe.example.tg")
    user.groups.add(Group.objects.get(name=MANAGERS_GROUP))
    client.force_login(user)
    response = client.get(reverse("workflows:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_someone_neither_manager_nor_desk_member_is_refused(client, entrepreneur):
    client.force_login(entrepreneur)
    assert client.get(reverse("workflows:dashboard")).status_code == 403
    assert client.get(reverse("workflows:dashboard_csv", args=["debit"])).status_code == 403


def test_the_managers_group_exists_after_migrate(db):
    assert Group.objects.filter(name=MANAGERS_GROUP).exists()


def test_beat_keeps_every_dashboard_warm_so_no_request_computes_it(client, clerks, manager,
                                                                   monkeypatch):
    known_data(_local_midnight())
    # One board per distinct set of desks the members have, and every desk for managers.
    assert figures.refresh_dashboards() == len(clerks) + 1

    def computed(*args, **kwargs):
        raise AssertionError("a request computed the figures")

    monkeypatch.setattr(figures, "_compute", computed)
    for user in (clerks["guichet"], clerks["greffe"], manager):
        client.force_login(user)
        assert client.get(reverse("workflows:dashboard")).status_code == 200
        assert client.get(reverse("workflows:dashboard_csv",
                                  args=["guichets"])).status_code == 200
