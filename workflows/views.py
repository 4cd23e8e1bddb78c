"""Back-office screens: a desk's queue, a task, and the clerk's decisions."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import selectors, services
from .access import desk_member_required
from .forms import DecisionForm
from .models import TaskState

ACTIONS = {
    "claim": (services.claim_task, gettext_lazy("Tâche prise en charge.")),
    "release": (services.release_task, gettext_lazy("Tâche remise dans la file du guichet.")),
    "approve": (services.approve_task, gettext_lazy("Décision enregistrée : étape approuvée.")),
    "return": (services.return_task, gettext_lazy("Dossier renvoyé au demandeur pour correction.")),
    "reject": (services.reject_task, gettext_lazy("Dossier rejeté.")),
}
NEEDS_COMMENT = {"approve", "return", "reject"}


@desk_member_required
def queue(request):
    desks = list(selectors.desks_of(request.user))
    desk = None
    if request.GET.get("guichet"):
        desk = next((d for d in desks if d.code == request.GET["guichet"]), None)
        if desk is None:
            raise Http404
    tasks = selectors.queue_for(request.user, desk=desk)
    return render(
        request,
        "workflows/queue.html",
        {"desks": desks, "current_desk": desk, "tasks": tasks},
    )


@desk_member_required
def task_detail(request, task_id: int):
    task = get_object_or_404(selectors.tasks_visible_to(request.user), pk=task_id)
    case = task.case
    return render(
        request,
        "workflows/task_detail.html",
        {
            "task": task,
            "case": case,
            "subject": case.subject,
            "case_tasks": selectors.case_tasks(case),
            "form": DecisionForm(),
            "can_decide": task.state == TaskState.CLAIMED and task.assignee_id == request.user.pk,
            "can_claim": task.state == TaskState.READY,
        },
    )


@require_POST
@desk_member_required
def task_action(request, task_id: int, action: str):
    task = get_object_or_404(selectors.tasks_visible_to(request.user), pk=task_id)
    if action not in ACTIONS:
        raise Http404
    service, success_message = ACTIONS[action]
    kwargs = {"task_id": task.pk, "user": request.user}
    if action in NEEDS_COMMENT:
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Observation invalide : %(errors)s") % {
                "errors": " ".join(form.errors.get("comment", []))})
            return redirect("workflows:task", task_id=task.pk)
        kwargs["comment"] = form.cleaned_data["comment"]
    try:
        service(**kwargs)
    except services.WorkflowError as error:
        messages.error(request, str(error))
        return redirect("workflows:task", task_id=task.pk)
    messages.success(request, success_message)
    if action == "claim":
        return redirect("workflows:task", task_id=task.pk)
    return redirect("workflows:queue")
