"""Public pages, open to anyone: the procedure guide, the open data, the statistics."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from workflows import charts, figures
from workflows.services import WorkflowError

from ..legal_forms import LegalForm
from . import guide as guide_service
from . import opendata, statistics


@require_GET
def guide_index(request):
    """The legal forms a company may be created in, with steps, target time and fee."""
    try:
        forms = guide_service.form_summaries()
    except WorkflowError:
        forms = []
    return render(request, "registry/public/guide_index.html", {"forms": forms})


@require_GET
def guide_detail(request, legal_form: str):
    """Company creation for one legal form, read from the published procedure."""
    if legal_form not in LegalForm.values:
        raise Http404
    try:
        procedure = guide_service.procedure_guide(legal_form)
    except WorkflowError as error:
        raise Http404 from error
    return render(request, "registry/public/guide_detail.html", {"guide": procedure})


@require_GET
def open_data(request):
    """The latest export's files, the licence and the data dictionary."""
    return render(request, "registry/public/opendata.html", {
        "export": opendata.latest_export(),
        "columns": opendata.COLUMNS,
        "keep": opendata.keep_count(),
        "bods_version": opendata.BODS_VERSION,
    })


@require_GET
def open_data_download(request, name: str):
    """One file of the latest export, streamed from storage; only names its manifest lists
    (anything else, a path included, is a 404)."""
    export = opendata.latest_export()
    if export is None:
        raise Http404
    try:
        handle, content_type, size = opendata.open_file(export, name)
    except LookupError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=name,
                            content_type=content_type)
    response["Content-Length"] = str(size)
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def public_statistics(request):
    """Registrations per month, per legal form and per region: charts, tables and CSV."""
    if request.GET.get("format") == "csv":
        try:
            chosen = statistics.figure(request.GET.get("figure", ""))
        except KeyError as error:
            raise Http404 from error
        return figures.csv_response(
            f"statistiques-{chosen.code}.csv",
            [chosen.column, _("Code"), _("Entreprises immatriculées")],
            [[row.label, row.code, row.count] for row in chosen.rows])
    shown = []
    for code in statistics.FIGURE_CODES:
        one = statistics.figure(code)
        if code == "mois":
            chart = charts.day_chart(one.title, [row.label for row in one.rows], [
                charts.Series(_("Immatriculations"), [row.count for row in one.rows])])
        else:
            chart = charts.bar_chart(one.title, [charts.Bar(row.label, row.count)
                                                 for row in one.rows],
                                     colour=charts.COLOURS[2 if code == "regions" else 0])
        shown.append({"figure": one, "chart": chart})
    return render(request, "registry/public/statistics.html", {"figures": shown})
