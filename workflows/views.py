"""Back-office screens: a desk's queue, a task, and the clerk's decisions."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import diagrams, figures, selectors, services
from .access import desk_member_required
from .forms import DecisionForm, QueueFilterForm, ReassignForm
from .models import StepKind, TaskState

SUCCESS = {
    "claim": gettext_lazy("Tâche prise en charge."),
    "release": gettext_lazy("Tâche remise dans la file du guichet."),
    "approve": gettext_lazy("Décision enregistrée : étape approuvée."),
    "return": gettext_lazy("Dossier renvoyé au demandeur pour correction."),
    "reject": gettext_lazy("Dossier rejeté."),
    "reassign": gettext_lazy("Tâche réattribuée."),
}


def _correctable(subject) -> list[tuple[str, str]]:
    return list(subject.correctable_sections())


def _desk_asked(request, desks):
    """The desk of the `guichet` parameter, None for all; 404 for a desk not the user's."""
    code = request.GET.get("guichet") or request.POST.get("guichet")
    if not code:
        return None
    desk = next((d for d in desks if d.code == code), None)
    if desk is None:
        raise Http404
    return desk


@desk_member_required
def queue(request):
    """A page of the queue: a fixed number of queries whatever the number of tasks."""
    desks = list(selectors.desks_of(request.user))
    desk = _desk_asked(request, desks)
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
    desk = _desk_asked(request, list(selectors.desks_of(request.user)))
    task = services.claim_next_task(user=request.user, desk=desk)
    if task is None:
        messages.info(request, _("Aucune tâche à prendre pour le moment."))
        return redirect("workflows:queue")
    messages.success(request, SUCCESS["claim"])
    return redirect("workflows:task", task_id=task.pk)


@desk_member_required
def dashboard(request):
    desks = list(selectors.desks_of(request.user))
    return render(request, "workflows/dashboard.html",
                  {"figures": figures.desk_figures(desks), "days": 30})


@desk_member_required
def task_detail(request, task_id: int):
    task = get_object_or_404(selectors.tasks_visible_to(request.user), pk=task_id)
    case = task.case
    step = case.definition.step(task.step_id)
    own_filing = selectors.filed_by(case, request.user)
    can_decide = (task.state == TaskState.CLAIMED and task.assignee_id == request.user.pk
                  and not own_filing)
    supervisor = selectors.is_supervisor_of(request.user, task.desk)
    open_for_reassign = task.state in (TaskState.CLAIMED, TaskState.FAILED) or (
        task.state == TaskState.READY and task.kind == StepKind.MANUAL)
    return render(request, "workflows/task_detail.html", {
        "task": task,
        "case": case,
        "subject": case.subject,
        "case_tasks": selectors.case_tasks(case),
        "diagram": diagrams.case_svg(case),
        "form": DecisionForm(step=step, correctable=_correctable(case.subject)),
        "can_decide": can_decide,
        "can_claim": not own_filing and (task.state == TaskState.FAILED or (
            task.state == TaskState.READY and task.kind == StepKind.MANUAL)),
        "own_filing": own_filing,
        "reassign_form": ReassignForm(members=selectors.desk_members(task.desk, case=case))
        if supervisor and open_for_reassign else None,
    })


@require_POST
@desk_member_required
def task_action(request, task_id: int, action: str):
    task = get_object_or_404(selectors.tasks_visible_to(request.user), pk=task_id)
    if action not in SUCCESS:
        raise Http404
    try:
        _perform(request, task, action)
    except services.WorkflowError as error:
        messages.error(request, str(error))
        return redirect("workflows:task", task_id=task.pk)
    except _InvalidForm as invalid:
        messages.error(request, str(invalid))
        return redirect("workflows:task", task_id=task.pk)
    messages.success(request, SUCCESS[action])
    if action in ("claim", "reassign"):
        return redirect("workflows:task", task_id=task.pk)
    return redirect("workflows:queue")


class _InvalidForm(Exception):
    pass


def _perform(request, task, action: str) -> None:
    user = request.user
    if action == "claim":
        services.claim_task(task_id=task.pk, user=user)
    elif action == "release":
        services.release_task(task_id=task.pk, user=user)
    elif action == "reassign":
        form = ReassignForm(request.POST,
                            members=selectors.desk_members(task.desk, case=task.case))
        if not form.is_valid():
            raise _InvalidForm(_("Choisissez un agent du guichet."))
        services.reassign_task(task_id=task.pk, supervisor=user,
                               to_user=form.cleaned_data["assignee"])
    else:
        step = task.case.definition.step(task.step_id)
        form = DecisionForm(request.POST, step=step, correctable=_correctable(task.case.subject))
        if not form.is_valid():
            errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
            raise _InvalidForm(_("Décision non enregistrée : %(errors)s") % {"errors": errors})
        comment = form.cleaned_data["comment"]
        if action == "approve":
            services.approve_task(task_id=task.pk, user=user, comment=comment,
                                  data=form.step_data())
        elif action == "return":
            fields = form.cleaned_data.get("correction_fields", [])
            if comment.strip() and "correction_fields" in form.fields and not fields:
                raise _InvalidForm(_("Cochez au moins un élément que le demandeur doit "
                                     "corriger."))
            services.return_task(task_id=task.pk, user=user, comment=comment, fields=fields)
        else:
            services.reject_task(task_id=task.pk, user=user, comment=comment)
