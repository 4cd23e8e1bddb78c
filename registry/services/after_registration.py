"""Writes after registration: the documents declared `later` in data/legal_forms.yaml
(each manager's criminal-record extract), due within criminal_record_days of registration.

The owner uploads them on the registered filing's page (the same protocol as
drafting.attach_document: checked and written outside the lock, kept under it, audited);
a daily task reminds the owner 30 and 7 days before the due date and once when overdue.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import Notification
from workflows import audit

from .. import selectors
from ..legal_forms import rules as legal_form_rules
from ..models import Application, ApplicationState, Company
from .common import FilingError, attach_checked, tell_owner

EVENT = "extract_due"
# Reminders before the due date, in days; then one notice once it is past.
REMINDER_DAYS = (30, 7)
OVERDUE = "overdue"


def _may_attach_later(application: Application, user, requirement: str) -> None:
    if application.owner_id != getattr(user, "pk", None):
        raise FilingError(_("Seul le titulaire du dossier peut déposer cette pièce."))
    if application.state != ApplicationState.REGISTERED:
        raise FilingError(_("Cette pièce se dépose une fois l'entreprise immatriculée."))
    codes = {line.requirement.code for line in selectors.later_documents(application)}
    if requirement not in codes:
        raise FilingError(_("Cette pièce n'est pas demandée après l'immatriculation."))


def attach_later_document(*, application_id: int, user, requirement: str, uploaded_file):
    """Keep a document due after registration (a new version if one was already sent)."""
    return attach_checked(
        application_id=application_id, user=user, requirement=requirement,
        uploaded_file=uploaded_file,
        may_attach=lambda application: _may_attach_later(application, user, requirement),
        record=lambda application: audit.record(
            obj=application, action="attach_after_registration",
            from_state=application.state, to_state=application.state, actor=user,
            comment=requirement))


def reminder_stage(due_at, now) -> str | None:
    """Which notice is due at `now`: "30", "7", "overdue", or None (not yet)."""
    if now > due_at:
        return OVERDUE
    days_left = (timezone.localdate(due_at) - timezone.localdate(now)).days
    for days in sorted(REMINDER_DAYS):
        if days_left <= days:
            return str(days)
    return None


def send_extract_reminders(*, now=None) -> int:
    """Tell each owner whose extracts are still missing, once per stage; the number sent.

    Idempotent: each notice's `about` names its stage, and notify sends an occurrence once.
    A stage that has passed unsent (the task did not run) is skipped for the later one.
    Companies are read from the first reminder's window up to 30 days past the due date.
    """
    now = now or timezone.now()
    days = legal_form_rules.POLICY.criminal_record_days
    window = max(REMINDER_DAYS)
    companies = Company.objects.select_related("application__owner").filter(
        registered_at__lte=now - timedelta(days=days - window - 1),
        registered_at__gte=now - timedelta(days=days + window),
    ).order_by("pk")
    sent = 0
    for company in companies.iterator(chunk_size=100):
        application = company.application
        stage = reminder_stage(selectors.extract_due_at(company), now)
        if stage is None:
            continue
        missing = selectors.outstanding_later_documents(application)
        if not missing:
            continue
        occurrence = f"{EVENT}:{stage}"
        if Notification.objects.filter(
                recipient=application.owner, event=EVENT,
                about=f"registry.application:{application.pk}:{occurrence}").exists():
            continue
        with transaction.atomic():
            tell_owner(
                application, EVENT, occurrence=occurrence,
                rccm_number=company.rccm_number, delay_days=days,
                due_date=timezone.localdate(selectors.extract_due_at(company)),
                overdue=stage == OVERDUE,
                days_left=max(0, (missing[0].due_date - timezone.localdate(now)).days),
                documents=[str(line.requirement.label) for line in missing],
            )
        sent += 1
    return sent
