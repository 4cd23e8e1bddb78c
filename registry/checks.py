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

from .legal_forms import is_adult, manages
from .models import Application, ProhibitedPerson
from .similarity import NameStatus, check_name


def name_check(*, case, task) -> str:
    """The name must be distinctive, not taken by a company on the register or by a filing
    submitted earlier (first come, first served), free of reserved words and not close to
    another name; anything else goes to a clerk with what was found."""
    application = Application.objects.get(pk=case.subject_id)
    result = check_name(application.company_name, exclude_application_id=application.pk)
    if result.status != NameStatus.AVAILABLE:
        raise CheckFailed(result.message)
    return result.message


def screening(*, case, task) -> str:
    """Managers are adults, their identity numbers well formed, none barred from managing."""
    application = Application.objects.get(pk=case.subject_id)
    today = timezone.localdate()
    problems = []
    pattern = re.compile(settings.REGISTRY_ID_NUMBER_PATTERN)
    managers = [party for party in application.parties.all() if manages(party.roles)]
    for party in managers:
        if party.kind != "natural":
            # The list names people: a company at the head is checked by a clerk, through
            # the natural person who represents it.
            problems.append(_("%(name)s, personne morale dirigeante, représentée par "
                              "%(representative)s : contrôle manuel requis.")
                            % {"name": party.full_name, "representative": party.representative})
    for party in (party for party in managers if party.kind == "natural"):
        if not is_adult(party.birth_date, today):
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
