from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import selectors, services


@login_required
def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user), 20).get_page(
        request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
def notification_open(request, notification_id: int):
    notification = get_object_or_404(selectors.notifications_for(request.user),
                                     pk=notification_id)
    services.mark_read(user=request.user, notification_id=notification.pk)
    if notification.link and url_has_allowed_host_and_scheme(notification.link, None):
        return redirect(notification.link)
    return redirect("notifications:list")


@require_POST
@login_required
def mark_all_read(request):
    services.mark_read(user=request.user)
    return redirect("notifications:list")
