"""A desk's queue, and "take the next task"."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..access import desk_member_required
from ..forms import QueueFilterForm
from .common import SUCCESS, desk_asked


@desk_member_required
def queue(request):
    """A page of the queue: a fixed number of queries whatever the number of tasks."""
    desks = list(selectors.desks_of(request.user))
    desk = desk_asked(request, desks)
    procedures, steps = selectors.queue_choices()
    form = QueueFilterForm(request.GET, desks=desks, procedures=procedures, steps=steps)
    filters = form.filters()
    after = selectors.Cursor.decode(request.GET.get("apres", ""))
    page = selectors.queue_page(request.user, filters, desk_ids=[d.pk for d in desks],
                                after=after)
    next_query = None
    if page.next_cursor is not None:
        query = request.GET.copy()
        query["apres"] = page.next_cursor.encode()
        next_query = query.urlencode()
    first_query = request.GET.copy()
    first_query.pop("apres", None)
    return render(request, "workflows/queue.html", {
        "desks": desks, "current_desk": desk, "form": form, "tasks": page.tasks,
        "next_query": next_query, "is_first_page": after is None,
        "first_query": first_query.urlencode(), "filtered": any(
            value for key, value in request.GET.items() if key not in ("guichet", "apres")),
    })


@require_POST
@desk_member_required
def take_next(request):
    """ "Take the next task": claim the oldest ready task of my desks (or of one)."""
    desk = desk_asked(request, list(selectors.desks_of(request.user)))
    task = services.claim_next_task(user=request.user, desk=desk)
    if task is None:
        messages.info(request, _("Aucune tâche à prendre pour le moment."))
        return redirect("workflows:queue")
    messages.success(request, SUCCESS["claim"])
    return redirect("workflows:task", task_id=task.pk)
