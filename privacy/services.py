"""Writes for personal-data rights (law 2019-014): correction requests, closing an account,
erasing filings that were never submitted, and the log of staff accesses."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.uploads import erase_subject_documents
from notifications.models import Notification
from registry.models import Application
from workflows import audit
from workflows.selectors import is_desk_member

from . import selectors
from .models import CorrectionRequest, StaffAccess


class PrivacyError(Exception):
    """The request cannot be carried out; the message, in the user's language, says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def request_correction(*, user, message: str, filing_reference: str = "") -> CorrectionRequest:
    """Record a person's request to correct their data; staff answer it in the admin."""
    message = message.strip()
    if not message:
        raise PrivacyError(_("Décrivez la correction demandée."))
    if filing_reference and not Application.objects.filter(
            owner=user, reference=filing_reference).exists():
        raise PrivacyError(_("Ce dossier n'est pas l'un des vôtres."))
    return CorrectionRequest.objects.create(requester=user, message=message,
                                            filing_reference=filing_reference)


def log_staff_access(*, staff, view_name: str, method: str = "GET", path: str = "",
                     filing_reference: str = "", document_id: int | None = None,
                     data_subject_id: int | None = None,
                     arguments: dict | None = None) -> StaffAccess:
    """Record that a staff member saw a person's data (who, when, which view and filing).

    The middleware calls it for the views it knows; a view it does not know may call it.
    Without `data_subject_id`, the person is the applicant of the named filing.
    """
    if data_subject_id is None and filing_reference:
        data_subject_id = Application.objects.filter(reference=filing_reference).values_list(
            "owner_id", flat=True).first()
    return StaffAccess.objects.create(
        staff=staff, view_name=view_name[:100], method=method[:10], path=path[:500],
        filing_reference=filing_reference[:40], document_id=document_id,
        data_subject_id=data_subject_id, arguments=arguments or {},
    )


def erase_unsubmitted_filing(*, application_id: int, reason: str, actor=None, now=None,
                             untouched_days: int | None = None) -> int | None:
    """Erase a filing that was never submitted: its rows, its people, its documents' files
    and the notifications about it. None when it is gone or may not be erased (submitted
    meanwhile, or touched again within `untouched_days`); else how many document versions
    went. The audit trail keeps that it existed and was erased, nothing of its content."""
    now = now or timezone.now()
    with audit.atomic():
        application = Application.objects.select_for_update().filter(pk=application_id).first()
        if application is None:
            return None
        erasable = (selectors.abandoned_drafts(now=now, days=untouched_days)
                    if untouched_days is not None else selectors.unsubmitted_filings())
        if not erasable.filter(pk=application.pk).exists():
            return None
        documents = erase_subject_documents(subject=application, reason=reason, actor=actor,
                                            now=now)
        challenges = [str(pk) for pk in
                      application.signature_challenges.values_list("pk", flat=True)]
        Notification.objects.filter(
            Q(about__startswith=f"registry.application:{application.pk}:")
            | Q(about__in=[f"registry.signature:{pk}" for pk in challenges])
        ).delete()
        audit.record(obj=application, action="erase", from_state=application.state,
                     to_state="erased", actor=actor, comment=reason)
        application.delete()
    return documents


@dataclass(frozen=True)
class ClosedAccount:
    erased_filings: int
    kept_filings: int


def close_account(*, user) -> ClosedAccount:
    """Close a person's account at their request.

    Filings never submitted are erased with their documents; submitted filings stay, with
    the account's name and e-mail address that filed them, because the register keeps
    them (RCCM, law 2017-07 art. 72: 20 years). The account is deactivated and can no
    longer sign in; without any kept filing, its name, e-mail and phone are erased too.
    Refused while a filing is with the desks, and for staff accounts.
    """
    if is_desk_member(user) or user.is_staff or user.is_superuser:
        raise PrivacyError(_("Un compte d'agent est fermé par l'administrateur du service."))
    if Application.objects.filter(owner=user,
                                  state__in=selectors.IN_PROGRESS_STATES).exists():
        raise PrivacyError(_(
            "Un de vos dossiers est en cours d'instruction : attendez la décision, ou "
            "retirez-le, avant de fermer votre compte."))
    reason = "Fermeture du compte à la demande de la personne (loi 2019-014)"
    erased = 0
    for application_id in selectors.unsubmitted_filings().filter(owner=user).values_list(
            "pk", flat=True):
        if erase_unsubmitted_filing(application_id=application_id, reason=reason,
                                    actor=user) is not None:
            erased += 1
    with audit.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        kept = Application.objects.filter(owner=user).count()
        user.is_active = False
        user.set_unusable_password()
        user.phone = ""
        user.notify_by_sms = False
        fields = ["is_active", "password", "phone", "notify_by_sms"]
        if not kept:
            # Nothing on record names this person any more: their identity goes too.
            user.email = f"compte-ferme-{user.pk}@invalid.invalid"
            user.first_name = user.last_name = ""
            fields += ["email", "first_name", "last_name"]
            Notification.objects.filter(recipient=user).delete()
        user.save(update_fields=fields)
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        audit.record(obj=user, action="close_account", from_state="active",
                     to_state="closed", actor=user)
    return ClosedAccount(erased_filings=erased, kept_filings=kept)
