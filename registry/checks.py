"""The automatic checks of the company-creation procedure (run by the engine in Celery).

Each returns a short note when the filing passes, or raises CheckFailed with what a
clerk must look at; the task then lands in that desk's queue with the message.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.services import CheckFailed

from .models import Application, ApplicationState, Company, ProhibitedPerson
from .names import normalize

ADULT_AGE = 18
PENDING_STATES = (ApplicationState.IN_REVIEW, ApplicationState.CORRECTION_REQUESTED,
                  ApplicationState.APPROVED)


def name_check(*, case, task) -> str:
    """The name must not already be taken by a company on the register or a pending filing."""
    application = Application.objects.get(pk=case.subject_id)
    wanted = normalize(application.company_name)
    if not wanted:
        raise CheckFailed(_("La dénomination ne contient aucun mot distinctif."))
    company = Company.objects.filter(normalized_name=wanted).first()
    if company is not None:
        raise CheckFailed(_("Dénomination déjà immatriculée : « %(name)s » (%(rccm)s).")
                          % {"name": company.name, "rccm": company.rccm_number})
    # Only filings submitted earlier: first come, first served.
    pending = (
        Application.objects.filter(state__in=PENDING_STATES, normalized_name=wanted,
                                   submitted_at__lt=application.submitted_at)
        .exclude(pk=application.pk)
        .first()
    )
    if pending is not None:
        raise CheckFailed(_("Dénomination déjà demandée par le dossier en cours %(ref)s : "
                            "« %(name)s ».") % {"ref": pending.reference,
                                               "name": pending.company_name})
    return _("Dénomination disponible.")


def screening(*, case, task) -> str:
    """Managers are adults, their identity numbers well formed, none barred from managing."""
    application = Application.objects.get(pk=case.subject_id)
    today = timezone.localdate()
    problems = []
    pattern = re.compile(settings.REGISTRY_ID_NUMBER_PATTERN)
    for party in application.parties.filter(is_manager=True):
        age = today.year - party.birth_date.year - (
            (today.month, today.day) < (party.birth_date.month, party.birth_date.day))
        if age < ADULT_AGE:
            problems.append(_("%(name)s est mineur(e).") % {"name": party.full_name})
        if not pattern.fullmatch(party.id_document_number):
            problems.append(_("Le numéro de pièce d'identité de %(name)s est mal formé.")
                            % {"name": party.full_name})
        barred = ProhibitedPerson.objects.filter(
            Q(until__isnull=True) | Q(until__gte=today)
        ).filter(
            Q(id_document_number__iexact=party.id_document_number)
            | Q(last_name__iexact=party.last_name, birth_date=party.birth_date)
        )
        if barred.exists():
            problems.append(_("%(name)s figure sur la liste des personnes interdites de gérer.")
                            % {"name": party.full_name})
    if problems:
        raise CheckFailed(" ".join(problems))
    return _("Dirigeants contrôlés.")
