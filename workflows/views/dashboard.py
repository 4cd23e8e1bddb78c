"""The desks' figures: charts and tables, each with a CSV download (desk members see
their desks; managers, every desk)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .. import charts, figures
from ..access import dashboard_desks, is_manager, manager_or_member_required
from ..replica import reading_replica
from ..templatetags.workflow_tags import duration

DAYS = figures.DASHBOARD_DAYS


def _figures(request, *, manager: bool) -> figures.Dashboard:
    desks = dashboard_desks(request.user, manager=manager)
    # Figures over 30 days may be seconds behind: from the database's replica if any.
    with reading_replica():
        return figures.dashboard(desks, days=DAYS, every_desk=manager)


@manager_or_member_required
def dashboard(request):
    manager = is_manager(request.user)
    board = _figures(request, manager=manager)
    labels = [date_format(day.day, "d/m") for day in board.throughput]
    context = {
        "figures": board.desks,
        "steps": board.steps,
        "throughput": board.throughput,
        "days": board.days,
        "computed_at": board.computed_at,
        "is_manager": manager,
        "backlog_chart": charts.bar_chart(
            _("Tâches en stock par guichet"),
            [charts.Bar(row.desk.name, row.backlog) for row in board.desks]),
        "throughput_chart": charts.day_chart(
            _("Débit par jour"), labels, [
                charts.Series(_("tâches décidées"), [day.decided for day in board.throughput]),
                charts.Series(_("dossiers terminés"),
                              [day.completed for day in board.throughput])]),
        "delay_chart": charts.bar_chart(
            _("Délai médian par guichet et étape"),
            [charts.Bar(f"{row.desk.name} · {row.title}",
                        round(row.median.total_seconds() / 3600, 2) if row.median else 0,
                        duration(row.median)) for row in board.steps],
            colour=charts.COLOURS[2]),
        "breach_chart": charts.bar_chart(
            _("Échéances dépassées par guichet"),
            [charts.Bar(row.desk.name, row.breaches) for row in board.desks],
            colour=charts.COLOURS[1]),
    }
    return render(request, "workflows/dashboard.html", context)


def _desk_rows(board):
    header = [_("Guichet"), _("En stock"), _("En retard"), _("Traitées"),
              _("Délai médian (heures)"), _("Délai 90e centile (heures)"),
              _("Décidées après l'échéance"), _("Échéances dépassées")]
    rows = [[row.desk.name, row.backlog, row.overdue, row.decided, figures.hours(row.median),
             figures.hours(row.p90), row.late_decisions, row.breaches] for row in board.desks]
    return header, rows


def _step_rows(board):
    header = [_("Procédure"), _("Guichet"), _("Étape"), _("Traitées"),
              _("Délai médian (heures)"), _("Délai 90e centile (heures)"),
              _("Décidées après l'échéance")]
    rows = [[row.procedure, row.desk.name, row.title, row.decided, figures.hours(row.median),
             figures.hours(row.p90), row.late_decisions] for row in board.steps]
    return header, rows


def _day_rows(board):
    header = [_("Jour"), _("Tâches décidées"), _("Dossiers terminés")]
    rows = [[day.day.isoformat(), day.decided, day.completed] for day in board.throughput]
    return header, rows


def _breach_rows(board):
    header = [_("Guichet"), _("Décidées après l'échéance"), _("En cours, échéance dépassée"),
              _("Total")]
    rows = [[row.desk.name, row.late_decisions, row.overdue, row.breaches]
            for row in board.desks]
    return header, rows


# The figures one can download, by the slug of their URL.
CSV_FIGURES = {
    "guichets": _desk_rows,
    "etapes": _step_rows,
    "debit": _day_rows,
    "echeances": _breach_rows,
}


@manager_or_member_required
def dashboard_csv(request, figure: str):
    if figure not in CSV_FIGURES:
        raise Http404
    header, rows = CSV_FIGURES[figure](_figures(request, manager=is_manager(request.user)))
    return figures.csv_response(f"tableau-de-bord-{figure}.csv", header, rows)
