"""E-mails the engine sends to staff, each in the recipient's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import DeskMembership, Task


def send_escalation(*, task_id: int) -> int:
    """Tell the desk's supervisors that a task is past its deadline; returns mails sent."""
    task = Task.objects.select_related("desk").get(pk=task_id)
    supervisors = DeskMembership.objects.filter(desk=task.desk, is_supervisor=True,
                                                user__is_active=True).select_related("user")
    sent = 0
    for membership in supervisors:
        user = membership.user
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = _("Échéance dépassée : %(task)s") % {"task": task.title}
            body = _(
                "La tâche « %(task)s » du guichet %(desk)s a dépassé son échéance "
                "(%(due)s).\n\nOuvrir la tâche : %(url)s"
            ) % {
                "task": task.title,
                "desk": task.desk.name,
                "due": date_format(timezone.localtime(task.due_at), "j F Y, H:i"),
                "url": settings.SITE_URL + reverse("workflows:task", args=[task.pk]),
            }
        sent += send_mail(subject, body, None, [user.email])
    return sent
