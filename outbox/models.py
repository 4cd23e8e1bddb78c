"""Background work asked for by a transaction: kept in the database until it is done.

A row is written in the same transaction as the decision that asks for the work, so the
work exists exactly when the decision does. Celery carries it (the row's id is the Celery
task id); the row is closed when the task finishes. Anything still open after its lease
is sent again by the relay (outbox.services.relay_due), so a broker outage, a lost
message or a killed worker only delays work.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MessageState(models.TextChoices):
    PENDING = "pending", _("En attente")
    DONE = "done", _("Fait")
    FAILED = "failed", _("En échec")


class Message(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task_name = models.CharField(_("tâche"), max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    state = models.CharField(_("état"), max_length=10, choices=MessageState.choices,
                             default=MessageState.PENDING)
    created_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    due_at = models.DateTimeField(
        _("à renvoyer après"), default=timezone.now,
        help_text=_("Si la tâche n'est pas terminée à cette heure, le relais la renvoie."))
    sends = models.PositiveIntegerField(_("envois"), default=0)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    rerun_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("relancé par"))

    class Meta:
        verbose_name = _("travail en arrière-plan")
        verbose_name_plural = _("travaux en arrière-plan")
        ordering = ["-created_at"]
        indexes = [
            # The relay's scan: open work by due time, small because done rows drop out.
            models.Index(fields=["due_at"], name="outbox_pending_due",
                         condition=Q(state="pending")),
            models.Index(fields=["state", "-created_at"], name="outbox_state_created"),
        ]

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)} [{self.get_state_display()}]"
