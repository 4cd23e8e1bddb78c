"""The desks' figures."""

from __future__ import annotations

from django.shortcuts import render

from .. import figures, selectors
from ..access import desk_member_required


@desk_member_required
def dashboard(request):
    desks = list(selectors.desks_of(request.user))
    return render(request, "workflows/dashboard.html",
                  {"figures": figures.desk_figures(desks), "days": 30})
