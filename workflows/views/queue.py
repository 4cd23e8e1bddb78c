"""A desk's queue, and "take the next task"."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..access import desk_member_required
from ..forms import QueueFilterForm
from ..models import OPEN_STATES, Task
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
    present(page.tasks)
    # The layout's back-office link: the decorator has just checked the membership.
    request.workflows_is_desk_member = True
    return render(request, "workflows/queue.html", {
        "desks": desks, "current_desk": desk, "form": form, "tasks": page.tasks,
        "next_query": next_query, "is_first_page": after is None,
        "first_query": first_query.urlencode(),
        "form_key": form_key(form, desks, procedures, steps), "filtered": any(
            value for key, value in request.GET.items() if key not in ("guichet", "apres")),
    })


def form_key(form, desks, procedures, steps) -> str:
    """What the filter form's fields render from (language, the user's desks, the choices,
    the values asked): the page caches that HTML under it, Django's widgets being slow to
    render (a few ms a page)."""
    asked = [(name, form.data.getlist(name)) for name in form.fields]
    material = repr((get_language(), [(d.code, d.name) for d in desks], procedures, steps,
                     asked))
    return hashlib.sha256(material.encode()).hexdigest()


# A task id no real link carries: where a task's id goes in its link.
_TASK_ID_MARK = 987654321


def present(tasks: list[Task]) -> None:
    """What each row of the page shows, worked out once per page and not once per template
    lookup (50 rows): the link to the task, the state's label, whether the task is overdue,
    and its deadline as the `date:"j F Y, H:i"` filter writes it, in the current time zone
    and language."""
    if not tasks:
        return
    link = reverse("workflows:task", args=[_TASK_ID_MARK])
    before, _mark, after = link.partition(str(_TASK_ID_MARK))
    labels = {value: str(label) for value, label in Task._meta.get_field("state").flatchoices}
    months = {number: str(name) for number, name in MONTHS.items()}
    now = timezone.now()
    for task in tasks:
        task.link = f"{before}{task.pk}{after}"
        task.state_label = labels.get(task.state, task.state)
        due = task.due_at
        task.overdue = task.state in OPEN_STATES and due is not None and due < now
        if due is not None:
            local = timezone.localtime(due) if timezone.is_aware(due) else due
            task.due_label = (f"{local.day} {months[local.month]} {local.year:04d}, "
                              f"{local.hour:02d}:{local.minute:02d}")


@require_POST
@desk_member_required
def take_next(request):
    """ "Take the next task": claim the oldest ready task of my desks (or of one)."""
    desk = desk_asked(request, list(selectors.desks_of(request.user)))
    try:
        task = services.claim_next_task(user=request.user, desk=desk)
    except services.WorkflowError as refusal:
        messages.error(request, str(refusal))
        return redirect("workflows:queue")
    if task is None:
        messages.info(request, _("Aucune tâche à prendre pour le moment."))
        return redirect("workflows:queue")
    messages.success(request, SUCCESS["claim"])
    return redirect("workflows:task", task_id=task.pk)
