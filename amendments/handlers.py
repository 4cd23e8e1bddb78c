"""What the procedures of amendments/procedures/ do at their steps (named in the
definitions, registered with the engine by AmendmentsConfig.ready())."""

from __future__ import annotations

import re

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.checks import name_evidence
from registry.models import ProhibitedPerson
from registry.similarity import NameStatus, check_name
from workflows.services import CheckFailed, CheckResult

from . import services
from .models import Amendment


def amendment_approved(*, case, actor) -> None:
    services.apply_amendment(amendment_id=case.subject_id, actor=actor)


def amendment_returned(*, case, actor, comment: str, fields: list[str]) -> None:
    services.request_correction(amendment_id=case.subject_id, actor=actor, message=comment,
                                fields=fields)


def amendment_rejected(*, case, actor, comment: str) -> None:
    services.reject(amendment_id=case.subject_id, actor=actor, reason=comment)


def name_check(*, case, task) -> CheckResult:
    """The new name against the register and the filings in progress, as a creation's is
    checked (registry.similarity): anything but "available" goes to a clerk with what was
    found. The company's own entry is left out (its old name is no rival); every filing in
    progress counts, whenever it was submitted."""
    amendment = Amendment.objects.select_related("company").get(pk=case.subject_id)
    name = amendment.changes.get("name", "")
    result = check_name(name, exclude_application_id=amendment.company.application_id,
                        first_come=False)
    evidence = name_evidence(name, result)
    if result.status != NameStatus.AVAILABLE:
        raise CheckFailed(result.message, evidence=evidence)
    return CheckResult(result.message, evidence)


def _words(text: str) -> set[str]:
    return {word.casefold() for word in re.findall(r"\w+", text)}


def managers_screening(*, case, task) -> CheckResult:
    """The new managers against the list of persons barred from managing a company. The
    change declares names only (their identity is in the documents the desk reads), so
    the list is matched on the name: a person whose last and first names are all in a
    new manager's name goes to a clerk, who compares the identity documents."""
    amendment = Amendment.objects.get(pk=case.subject_id)
    today = timezone.localdate()
    active = ProhibitedPerson.objects.filter(Q(until__isnull=True) | Q(until__gte=today))
    problems, evidence = [], []
    for manager in amendment.changes.get("managers", []):
        name = manager.get("name", "")
        words = _words(name)
        candidates = active.filter(last_name__iregex=r"^(" + "|".join(
            re.escape(word) for word in words) + r")$") if words else active.none()
        barred = [person for person in candidates
                  if _words(person.last_name) | _words(person.first_name) <= words]
        if barred:
            problem = _("%(name)s porte le nom d'une personne interdite de gérer "
                        "(%(decision)s) : comparez les pièces d'identité.") % {
                "name": name, "decision": barred[0].decision}
            problems.append(problem)
            evidence.append({"label": name, "value": problem})
        else:
            evidence.append({"label": name, "value": _(
                "absent(e) de la liste des personnes interdites de gérer (sur le nom)")})
    if problems:
        raise CheckFailed(" ".join(problems), evidence=evidence)
    return CheckResult(_("Nouveaux dirigeants contrôlés."), evidence)


HANDLERS = {
    "name_check": name_check,
    "managers_screening": managers_screening,
    "amendment_approved": amendment_approved,
    "amendment_returned": amendment_returned,
    "amendment_rejected": amendment_rejected,
}
