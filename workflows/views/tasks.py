"""One task: what a clerk reviews, and the decisions they take on it.

A decision is taken in two steps that need no JavaScript: the decision form posts to
the action, which answers with a confirmation page saying what will happen; only that
page's second POST (confirm=1) calls the engine.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import diagrams, selectors, services
from ..access import desk_member_required
from ..forms import DecisionForm, NoteForm, ReassignForm
from ..models import Note, StepKind, TaskState
from .common import SUCCESS

DECISIONS = ("approve", "return", "reject")
NOTES_SHOWN = 100


def _correctable(subject) -> list[tuple[str, str]]:
    return list(subject.correctable_sections())


@desk_member_required
def task_detail(request, task_id: int):
    task = get_object_or_404(selectors.tasks_visible_to(request.user), pk=task_id)
    case = task.case
    subject = selectors.subject_for_page(case)
    step = case.definition.step(task.step_id)
    own_filing = selectors.filed_by(case, request.user)
    # A desk whose policy allows it decides on a ready task at once (no claim step first).
    decide_directly = (services.may_decide_without_claim(task) and not own_filing
                       and not selectors.is_away(request.user))
    can_decide = decide_directly or (task.state == TaskState.CLAIMED
                                     and task.assignee_id == request.user.pk
                                     and not own_filing)
    supervisor = selectors.is_supervisor_of(request.user, task.desk)
    open_for_reassign = task.state in (TaskState.CLAIMED, TaskState.FAILED) or (
        task.state == TaskState.READY and task.kind == StepKind.MANUAL)
    case_tasks = list(selectors.case_tasks(case))
    return render(request, "workflows/task_detail.html", {
        "task": task,
        "case": case,
        "subject": subject,
        "case_tasks": case_tasks,
        "diagram": diagrams.case_svg(case, case_tasks),
        "form": DecisionForm(step=step, correctable=_correctable(case.subject)),
        "can_decide": can_decide,
        "decide_directly": decide_directly,
        "can_claim": not own_filing and (task.state == TaskState.FAILED or (
            task.state == TaskState.READY and task.kind == StepKind.MANUAL)),
        "own_filing": own_filing,
        "reassign_form": ReassignForm(members=selectors.available_members(task.desk, case=case))
        if supervisor and open_for_reassign else None,
        # Staff only: a clerk who filed the case is its applicant here, and sees none.
        "notes": [] if own_filing else list(
            Note.objects.filter(case=case).select_related("author", "task")[:NOTES_SHOWN]),
        "note_form": None if own_filing else NoteForm(),
    })


@require_POST
@desk_member_required
def task_note(request, task_id: int):
    """An internal note on the task's case, for the staff who work it."""
    task = get_object_or_404(selectors.tasks_visible_to(request.user), pk=task_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Note non enregistrée : écrivez un texte de 4 000 "
                                  "caractères au plus."))
    else:
        try:
            services.add_note(task_id=task.pk, author=request.user,
                              text=form.cleaned_data["text"])
        except services.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Note interne enregistrée."))
    return redirect(reverse("workflows:task", args=[task.pk]) + "#notes")


@require_POST
@desk_member_required
def task_action(request, task_id: int, action: str):
    task = get_object_or_404(selectors.tasks_visible_to(request.user), pk=task_id)
    if action not in SUCCESS:
        raise Http404
    try:
        if action in DECISIONS and request.POST.get("confirm") != "1":
            return _confirmation(request, task, action)
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


def _valid_decision(request, task, action: str) -> DecisionForm:
    """The decision form, checked as the engine will check it (else _InvalidForm)."""
    step = task.case.definition.step(task.step_id)
    form = DecisionForm(request.POST, step=step, correctable=_correctable(task.case.subject))
    if not form.is_valid():
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        raise _InvalidForm(_("Décision non enregistrée : %(errors)s") % {"errors": errors})
    comment = form.cleaned_data["comment"].strip()
    if action == "return":
        if not comment:
            raise _InvalidForm(_("Indiquez au demandeur ce qu'il doit corriger."))
        if "correction_fields" in form.fields and not form.cleaned_data["correction_fields"]:
            raise _InvalidForm(_("Cochez au moins un élément que le demandeur doit "
                                 "corriger."))
    if action == "reject" and not comment:
        raise _InvalidForm(_("Motivez le rejet : le demandeur en sera informé."))
    return form


def _confirmation(request, task, action: str):
    """Say what the decision will do, and ask for it again; nothing changes yet."""
    if selectors.filed_by(task.case, request.user):
        raise services.WorkflowError(_("Vous avez vous-même déposé ce dossier : un autre "
                                       "agent du guichet doit le traiter."))
    if services.may_decide_without_claim(task):
        if selectors.is_away(request.user):
            raise services.WorkflowError(_("Vous êtes marqué absent : signalez votre retour "
                                           "avant de prendre une tâche."))
    elif task.state != TaskState.CLAIMED or task.assignee_id != request.user.pk:
        raise services.WorkflowError(_("Seul l'agent qui a pris la tâche en charge peut "
                                       "la traiter."))
    form = _valid_decision(request, task, action)
    case_tasks = list(selectors.case_tasks(task.case))
    context = {
        "task": task,
        "case": task.case,
        "action": action,
        "comment": form.cleaned_data["comment"],
        "step_data": [(form.fields[name].label, form.cleaned_data.get(name, ""))
                      for name in form.step_field_names],
        # The posted decision, sent again unchanged with confirm=1.
        "posted": [(name, value) for name, values in request.POST.lists()
                   if name not in ("csrfmiddlewaretoken", "confirm") for value in values],
    }
    if action == "approve":
        context["next_steps"], context["completes"] = _after_approval(task, case_tasks)
        context["procedure"] = task.case.definition.title
    elif action == "return":
        labels = dict(form.fields["correction_fields"].choices) if (
            "correction_fields" in form.fields) else {}
        context["sections"] = [labels.get(code, code)
                               for code in form.cleaned_data.get("correction_fields", [])]
        context["kept"] = [t.title for t in case_tasks
                           if t.state == TaskState.APPROVED and t.kind == StepKind.MANUAL]
    return render(request, "workflows/task_confirm.html", context)


def _after_approval(task, case_tasks) -> tuple[list[str], bool]:
    """The steps this approval makes ready, and whether it completes the case.

    A step without a task did not apply to the subject: done once its own prerequisites
    are (as the engine counts it)."""
    steps = task.case.definition.spec["steps"]
    by_step = {t.step_id: t for t in case_tasks}
    done = {sid for sid, t in by_step.items() if t.state == TaskState.APPROVED}
    done.add(task.step_id)
    grew = True
    while grew:
        grew = False
        for step in steps:
            if (step["id"] not in by_step and step["id"] not in done
                    and set(step.get("after", [])) <= done):
                done.add(step["id"])
                grew = True
    ready = [by_step[step["id"]].title for step in steps
             if step["id"] in by_step and by_step[step["id"]].state == TaskState.WAITING
             and set(step.get("after", [])) <= done]
    completes = all(sid in done or t.state == TaskState.CANCELLED
                    for sid, t in by_step.items())
    return ready, completes


def _perform(request, task, action: str) -> None:
    user = request.user
    if action == "claim":
        services.claim_task(task_id=task.pk, user=user)
    elif action == "release":
        services.release_task(task_id=task.pk, user=user)
    elif action == "reassign":
        form = ReassignForm(request.POST,
                            members=selectors.available_members(task.desk, case=task.case))
        if not form.is_valid():
            raise _InvalidForm(_("Choisissez un agent du guichet."))
        services.reassign_task(task_id=task.pk, supervisor=user,
                               to_user=form.cleaned_data["assignee"])
    else:
        form = _valid_decision(request, task, action)
        comment = form.cleaned_data["comment"]
        if action == "approve":
            services.approve_task(task_id=task.pk, user=user, comment=comment,
                                  data=form.step_data())
        elif action == "return":
            services.return_task(task_id=task.pk, user=user, comment=comment,
                                 fields=form.cleaned_data.get("correction_fields", []))
        else:
            services.reject_task(task_id=task.pk, user=user, comment=comment)
