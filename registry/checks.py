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


def _rank(index: int) -> str:
    return {1: _("1er choix"), 2: _("2e choix"), 3: _("3e choix")}[index]


def _verdict(result: NameCheckResult) -> str:
    return {
        NameStatus.AVAILABLE: _("disponible"),
        NameStatus.SIMILAR: _("proche d'un autre nom"),
        NameStatus.TAKEN: _("déjà prise"),
        NameStatus.RESERVED: _("contient un terme réservé"),
        NameStatus.EMPTY: _("sans mot distinctif"),
    }[result.status]


def name_evidence(name: str, result: NameCheckResult, *,
                  rank: int = 1) -> list[dict[str, str]]:
    """The name checked, the reserved words found, and each close name with its score.
    The first choice's rows are labelled as they always were; an alternative's rows say
    which choice they are about ("2e choix") and its verdict."""
    if rank == 1:
        rows = [_row(_("Dénomination contrôlée"), name)]
        prefix = ""
    else:
        rows = [_row(_("Dénomination contrôlée (%(rank)s)") % {"rank": _rank(rank)},
                     _("%(name)s : %(verdict)s") % {"name": name, "verdict": _verdict(result)})]
        prefix = f"{_rank(rank)} — "
    if result.reserved:
        rows.append(_row(prefix + _("Termes réservés"), ", ".join(result.reserved)))
    for match in result.matches:
        where = (_("registre, %(reference)s") if match.source == "company"
                 else _("dossier %(reference)s")) % {"reference": match.reference}
        rows.append(_row(prefix + _("Nom proche : « %(name)s » (%(where)s)")
                         % {"name": match.name, "where": where},
                         _("similarité %(percent)d %%") % {"percent": round(match.score * 100)}))
    if not result.matches:
        rows.append(_row(prefix + _("Noms proches"), _("aucun")))
    return rows


def name_check(*, case, task) -> CheckResult:
    """Every proposed name is checked, in the applicant's order; the rule is the first
    choice's.

    The first name must be distinctive, not taken by a company on the register or by a
    filing submitted earlier (first come, first served), free of reserved words and not
    close to another name; anything else goes to a clerk with what was found. The 2nd and
    3rd choices never decide the outcome: each is checked the same way and its result is
    reported (in the evidence, and after the first name's finding in the message when the
    check fails), so that the clerk can switch the filing to an available alternative.
    """
    application = Application.objects.get(pk=case.subject_id)
    names = [application.company_name,
             *(name for name in application.alternative_names if name)]
    results = [check_name(name, exclude_application_id=application.pk) for name in names]
    evidence = []
    for rank, (name, result) in enumerate(zip(names, results, strict=True), start=1):
        evidence.extend(name_evidence(name, result, rank=rank))
    first = results[0]
    if first.status != NameStatus.AVAILABLE:
        message = first.message
        if len(names) > 1:
            message += " " + _("Autres choix : %(choices)s.") % {"choices": " ; ".join(
                _("%(rank)s « %(name)s » %(verdict)s")
                % {"rank": _rank(rank), "name": name, "verdict": _verdict(result)}
                for rank, (name, result) in enumerate(zip(names[1:], results[1:],
                                                          strict=True), start=2))}
        raise CheckFailed(message, evidence=evidence)
    return CheckResult(first.message, evidence)


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
