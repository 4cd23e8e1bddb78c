"""The public register's pages: search and company pages, open to everyone (no sign-in).

Their selectors read the database's replica when there is one (workflows.replica): the
register shown may be seconds behind the primary.
"""

from __future__ import annotations

from django.http import QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from workflows.replica import reading_replica

from ..reference import division_for
from ..reference import region as region_named
from . import selectors
from .forms import RegisterSearchForm

CURSOR_PARAMETER = "apres"


@require_GET
def search(request):
    """The register searched by name, RCCM number or NIF, with filters; keyset pages."""
    form = RegisterSearchForm(request.GET)
    form.is_valid()  # a field in error is shown and does not filter; the rest still does
    after = selectors.Cursor.decode(request.GET.get(CURSOR_PARAMETER, ""))
    with reading_replica():
        page = selectors.search_register(form.filters(), after=after)
    criteria = _without_empty(request.GET)
    criteria.pop(CURSOR_PARAMETER, None)
    next_query = None
    if page.next_cursor is not None:
        following = criteria.copy()
        following[CURSOR_PARAMETER] = page.next_cursor.encode()
        next_query = following.urlencode()
    return render(request, "registry/public/search.html", {
        "form": form,
        "companies": page.companies,
        "mode": page.mode,
        "searched": bool(form.cleaned_data.get("q")) or form.filtered,
        "is_first_page": after is None,
        "first_query": criteria.urlencode(),
        "next_query": next_query,
    })


@require_GET
def company(request, rccm_number: str):
    """What the register publishes of one company; 404 for a number it does not hold."""
    with reading_replica():
        found = selectors.public_company(rccm_number)
        managers = selectors.public_managers(found)
        events = selectors.public_events(found)
    try:
        seat_region = region_named(found.region).name if found.region else ""
    except KeyError:
        seat_region = found.region
    return render(request, "registry/public/company.html", {
        "company": found,
        "seat_region": seat_region,
        "activity": division_for(found.activity_code),
        "managers": managers,
        "events": events,
    })


def _without_empty(query: QueryDict) -> QueryDict:
    kept = QueryDict(mutable=True)
    for key, values in query.lists():
        for value in values:
            if value:
                kept.appendlist(key, value)
    return kept
