"""One task: what a clerk reviews, and the decisions they take on it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import diagrams, selectors, services
from ..access import desk_member_required
from ..forms import DecisionForm, ReassignForm
from ..models import StepKind, TaskState
from .common import SUCCESS


def _correctable(subject) -> list[tuple[str, str]]:
    return list(subject.correctable_sections())


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
