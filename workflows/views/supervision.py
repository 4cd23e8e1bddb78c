"""A desk supervisor's screen: each clerk's load, overdue tasks, releases and reassignments,
failed checks run again, absences, and the reset of a lost second factor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..access import desk_member_required
from ..forms import ReassignForm
from ..models import Desk, Task

SUPERVISION_SUCCESS = {
    "release": gettext_lazy("Tâche remise dans la file du guichet."),
    "reassign": gettext_lazy("Tâche réattribuée."),
    "rerun": gettext_lazy("Le contrôle automatique est relancé."),
}


def _supervised_desk(request, desk_code: str) -> Desk:
    """The desk of the URL, if the user supervises it (403 otherwise)."""
    desk = get_object_or_404(Desk, code=desk_code)
    if not selectors.is_supervisor_of(request.user, desk):
        raise PermissionDenied
    return desk


def _member_of(desk: Desk, user_id: int):
    return get_object_or_404(
        get_user_model().objects.filter(desk_memberships__desk=desk), pk=user_id)


def _back(desk: Desk):
    return redirect("workflows:supervision_desk", desk_code=desk.code)


@desk_member_required
def supervision_index(request):
    """The first desk the user supervises; 403 for a clerk who supervises none."""
    desk = selectors.supervised_desks(request.user).order_by("name").first()
    if desk is None:
        raise PermissionDenied
    return _back(desk)


@desk_member_required
def supervision(request, desk_code: str):
    desk = _supervised_desk(request, desk_code)
    now = timezone.now()
    return render(request, "workflows/supervision.html", {
        "desk": desk,
        "desks": list(selectors.supervised_desks(request.user).order_by("name")),
        "load": selectors.desk_load(desk, now=now),
        "overdue": selectors.desk_overdue(desk, now=now),
        "claimed": selectors.desk_claimed(desk),
        "failed": selectors.desk_failed_checks(desk),
        "available": list(selectors.available_members(desk)),
        "list_size": selectors.SUPERVISION_LIST_SIZE,
    })


@require_POST
@desk_member_required
def supervision_task_action(request, desk_code: str, task_id: int, action: str):
    """Release a clerk's task, hand it to another member, or run a failed check again."""
    desk = _supervised_desk(request, desk_code)
    if action not in SUPERVISION_SUCCESS:
        raise Http404
    task = get_object_or_404(Task.objects.select_related("case"), pk=task_id, desk=desk)
    try:
        if action == "release":
            services.release_claimed_task(task_id=task.pk, supervisor=request.user)
        elif action == "rerun":
            services.rerun_automatic_step(task_id=task.pk, supervisor=request.user)
        else:
            form = ReassignForm(request.POST,
                                members=selectors.available_members(desk, case=task.case))
            if not form.is_valid():
                raise services.WorkflowError(
                    _("Choisissez un agent présent du guichet, qui n'a pas déposé ce dossier."))
            services.reassign_task(task_id=task.pk, supervisor=request.user,
                                   to_user=form.cleaned_data["assignee"])
    except services.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, SUPERVISION_SUCCESS[action])
    return _back(desk)


@require_POST
@desk_member_required
def member_absence(request, desk_code: str, user_id: int):
    """A supervisor marks a member of the desk away (their tasks go back to the queue) or
    back."""
    desk = _supervised_desk(request, desk_code)
    member = _member_of(desk, user_id)
    _set_absence(request, member, away=request.POST.get("absent") == "1")
    return _back(desk)


@require_POST
@desk_member_required
def my_absence(request):
    """A desk member marks themselves away or back."""
    _set_absence(request, request.user, away=request.POST.get("absent") == "1")
    return redirect("preferences")


def _set_absence(request, member, *, away: bool) -> None:
    try:
        if away:
            released = services.mark_away(user=member, by=request.user)
        else:
            services.mark_back(user=member, by=request.user)
    except services.WorkflowError as error:
        messages.error(request, str(error))
        return
    if away:
        messages.success(request, _("%(member)s est indiqué(e) absent(e) ; tâches remises "
                                    "dans la file : %(count)d.")
                         % {"member": member, "count": len(released)})
    else:
        messages.success(request, _("%(member)s est de retour : des tâches peuvent de nouveau "
                                    "lui être attribuées.") % {"member": member})


@desk_member_required
def member_second_factor(request, desk_code: str, user_id: int):
    """Reset a member's lost second factor, after confirmation; they set up a new one at
    their next visit."""
    desk = _supervised_desk(request, desk_code)
    member = _member_of(desk, user_id)
    if not services.may_reset_second_factor(member=member, by=request.user):
        raise PermissionDenied
    if request.method == "POST":
        if request.POST.get("confirmer") != "1":
            messages.error(request, _("Cochez la case de confirmation pour réinitialiser la "
                                      "double authentification."))
        else:
            try:
                services.reset_second_factor(member=member, by=request.user)
            except services.WorkflowError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("La double authentification de %(member)s est "
                                            "réinitialisée : il ou elle en configurera une "
                                            "nouvelle à sa prochaine connexion.")
                                 % {"member": member})
                return _back(desk)
    return render(request, "workflows/supervision_second_factor.html",
                  {"desk": desk, "member": member})
