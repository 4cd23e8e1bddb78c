"""The automatic checks of the company-creation procedure (run by the engine in Celery).

Each returns a short note when the filing passes, or raises CheckFailed with what a
clerk must look at; the task then lands in that desk's queue with the message. Either way
the check gives its evidence (rows of {"label", "value"}), shown to the desk on the task.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.services import CheckFailed, CheckResult

from .legal_forms import is_adult, manages
from .models import Application, ProhibitedPerson
from .similarity import NameCheckResult, NameStatus, check_name


def _row(label: str, value: str) -> dict[str, str]:
    return {"label": label, "value": value}


def name_evidence(name: str, result: NameCheckResult) -> list[dict[str, str]]:
    """The name checked, the reserved words found, and each close name with its score."""
    rows = [_row(_("Dénomination contrôlée"), name)]
    if result.reserved:
        rows.append(_row(_("Termes réservés"), ", ".join(result.reserved)))
    for match in result.matches:
        where = (_("registre, %(reference)s") if match.source == "company"
                 else _("dossier %(reference)s")) % {"reference": match.reference}
        rows.append(_row(_("Nom proche : « %(name)s » (%(where)s)")
                         % {"name": match.name, "where": where},
                         _("similarité %(percent)d %%") % {"percent": round(match.score * 100)}))
    if not result.matches:
        rows.append(_row(_("Noms proches"), _("aucun")))
    return rows


def name_check(*, case, task) -> CheckResult:
    """The name must be distinctive, not taken by a company on the register or by a filing
    submitted earlier (first come, first served), free of reserved words and not close to
    another name; anything else goes to a clerk with what was found."""
    application = Application.objects.get(pk=case.subject_id)
    result = check_name(application.company_name, exclude_application_id=application.pk)
    evidence = name_evidence(application.company_name, result)
    if result.status != NameStatus.AVAILABLE:
        raise CheckFailed(result.message, evidence=evidence)
    return CheckResult(result.message, evidence)


def screening(*, case, task) -> CheckResult:
    """Managers are adults, their identity numbers well formed, none barred from managing."""
    application = Application.objects.get(pk=case.subject_id)
    today = timezone.localdate()
    problems = []
    evidence = []
    pattern = re.compile(settings.REGISTRY_ID_NUMBER_PATTERN)
    managers = [party for party in application.parties.all() if manages(party.roles)]
    for party in managers:
        if party.kind != "natural":
            # The list names people: a company at the head is checked by a clerk, through
            # the natural person who represents it.
            problem = (_("%(name)s, personne morale dirigeante, représentée par "
                         "%(representative)s : contrôle manuel requis.")
                       % {"name": party.full_name, "representative": party.representative})
            problems.append(problem)
            evidence.append(_row(party.full_name, problem))
    for party in (party for party in managers if party.kind == "natural"):
        found = []
        if not is_adult(party.birth_date, today):
            found.append(_("%(name)s est mineur(e).") % {"name": party.full_name})
        if not pattern.fullmatch(party.id_document_number):
            found.append(_("Le numéro de pièce d'identité de %(name)s est mal formé.")
                         % {"name": party.full_name})
        barred = ProhibitedPerson.objects.filter(
            Q(until__isnull=True) | Q(until__gte=today)
        ).filter(
            Q(id_document_number__iexact=party.id_document_number)
            | Q(last_name__iexact=party.last_name, birth_date=party.birth_date)
        )
        if barred.exists():
            found.append(_("%(name)s figure sur la liste des personnes interdites de gérer.")
                         % {"name": party.full_name})
        problems.extend(found)
        evidence.append(_row(party.full_name, " ".join(found) or _(
            "majeur(e), pièce d'identité bien formée, absent(e) de la liste des personnes "
            "interdites de gérer")))
    if problems:
        raise CheckFailed(" ".join(problems), evidence=evidence)
    return CheckResult(_("Dirigeants contrôlés."), evidence)
