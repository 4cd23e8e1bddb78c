"""Partners' writes: their service accounts, their tokens, and their desk's decisions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import Application
from workflows import audit
from workflows import services as engine
from workflows.models import DeskMembership, Task, TaskState

from .models import ApiCall, Partner, PartnerToken

# How often a token's last use is written (a write per call would be wasted).
LAST_USED_RESOLUTION = timedelta(minutes=1)
# The call log is kept this many days (settings.PARTNER_API_LOG_DAYS) and purged by batch.
DEFAULT_LOG_DAYS = 365
PURGE_BATCH = 5000


class DeskActionError(Exception):
    """A desk action the API refuses; `status` is the HTTP answer (403, 404, 409)."""

    def __init__(self, message: str, *, status: int):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class DeskIdentifier:
    """A number a partner's desk issues for a filing, and the step that records it."""

    step_id: str
    field: str


NIF = DeskIdentifier(step_id="tax", field="nif")
EMPLOYER_NUMBER = DeskIdentifier(step_id="social_security", field="employer_number")


@transaction.atomic
def save_partner(partner: Partner) -> Partner:
    """Save the partner with its service account: an account nobody signs in to (no
    password), member of the partner's desk and of no other, active with the partner."""
    User = get_user_model()
    if partner.service_user_id is None:
        user = User.objects.create_user(
            email=f"partenaire-{uuid.uuid4().hex[:12]}@api.invalid", password=None,
            first_name=_("API"), last_name=partner.name[:150])
        partner.service_user = user
    partner.save()
    user = partner.service_user
    user.last_name = partner.name[:150]
    user.is_active = partner.active
    user.save(update_fields=["last_name", "is_active"])
    DeskMembership.objects.filter(user=user).exclude(desk=partner.desk).delete()
    if partner.desk_id is not None:
        DeskMembership.objects.get_or_create(user=user, desk=partner.desk)
    return partner


def issue_token(*, partner: Partner, scopes: list[str], label: str = "",
                expires_at: datetime | None = None) -> tuple[PartnerToken, str]:
    """A new token and its full key (`<prefix>.<secret>`), which is not stored anywhere."""
    token = PartnerToken(partner=partner, scopes=sorted(set(scopes)), label=label,
                         expires_at=expires_at)
    key = token.set_new_secret()
    token.save()
    return token, key


def revoke_tokens(tokens) -> int:
    """Revoke the tokens not yet revoked; how many were."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def touch_token(token: PartnerToken) -> None:
    """Record the token's use, at most once per LAST_USED_RESOLUTION."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    PartnerToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def purge_api_calls(*, now: datetime | None = None) -> int:
    """Delete logged calls older than the retention, by batches of primary keys (short
    transactions, the `at` index); how many were deleted."""
    days = getattr(settings, "PARTNER_API_LOG_DAYS", DEFAULT_LOG_DAYS)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted = 0
    while True:
        batch = list(ApiCall.objects.filter(at__lt=cutoff).order_by("at")
                     .values_list("pk", flat=True)[:PURGE_BATCH])
        if not batch:
            return deleted
        deleted += ApiCall.objects.filter(pk__in=batch).delete()[0]


@dataclass(frozen=True)
class DeskOutcome:
    reference: str
    step: str
    field: str
    value: str
    decided_at: datetime


def record_desk_identifier(*, partner: Partner, reference: str, identifier: DeskIdentifier,
                           value: str) -> DeskOutcome:
    """The partner's desk issues `identifier` (a NIF...) for the filing `reference`: its
    step is claimed and approved with the number by the partner's service account, through
    the engine's own services, exactly as a clerk of the desk would.

    Idempotent: once the step is approved with this number, the same call answers the same
    outcome and changes nothing; another number is refused (409). The case row is locked
    first, so two identical calls at once complete the step once and both succeed.
    """
    application = Application.objects.filter(reference=reference).only("pk").first()
    if application is None:
        raise DeskActionError(_("Aucun dossier ne porte cette référence."), status=404)
    with audit.atomic():
        case = engine.lock_case_of(ContentType.objects.get_for_model(Application),
                                   application.pk)
        task = (Task.objects.filter(case=case, step_id=identifier.step_id)
                .select_related("case__definition").first()) if case else None
        if task is None:
            raise DeskActionError(_("Ce dossier ne comporte pas cette étape."), status=409)
        if partner.desk_id is None or task.desk_id != partner.desk_id:
            raise DeskActionError(_("Cette étape relève d'un autre guichet que le vôtre."),
                                  status=403)
        step = task.case.definition.step(task.step_id)
        try:
            wanted = engine.clean_step_data(step, {identifier.field: value})[identifier.field]
        except engine.WorkflowError as error:
            raise DeskActionError(str(error), status=400) from error
        if task.state == TaskState.APPROVED:
            if task.data.get(identifier.field) == wanted:
                return _outcome(reference, identifier, task)
            raise DeskActionError(
                _("Cette étape est déjà terminée avec un autre numéro (%(value)s) : rien "
                  "n'a été modifié.") % {"value": task.data.get(identifier.field, "")},
                status=409)
        user = partner.service_user
        already_ours = task.state == TaskState.CLAIMED and task.assignee_id == user.pk
        if task.state != TaskState.READY and not already_ours:
            raise DeskActionError(_("Cette étape n'est pas à traiter : %(state)s.")
                                  % {"state": task.get_state_display()}, status=409)
        try:
            if not already_ours:
                engine.claim_task(task_id=task.pk, user=user)
            task = engine.approve_task(task_id=task.pk, user=user,
                                       data={identifier.field: wanted},
                                       comment=_("Transmis par l'API de %(partner)s.")
                                       % {"partner": partner.name})
        except engine.WorkflowError as error:  # IdentifierTaken among them: the number
            raise DeskActionError(str(error), status=409) from error
    return _outcome(reference, identifier, task)


def _outcome(reference: str, identifier: DeskIdentifier, task: Task) -> DeskOutcome:
    return DeskOutcome(reference=reference, step=task.step_id, field=identifier.field,
                       value=task.data[identifier.field], decided_at=task.decided_at)
