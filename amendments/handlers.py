"""What the procedures of amendments/procedures/ do at their steps (named in the
definitions, registered with the engine by AmendmentsConfig.ready())."""

from __future__ import annotations

from registry.checks import name_evidence
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
    found. The company's own entry is left out: its old name is no rival."""
    amendment = Amendment.objects.select_related("company").get(pk=case.subject_id)
    name = amendment.changes.get("name", "")
    result = check_name(name, exclude_application_id=amendment.company.application_id)
    evidence = name_evidence(name, result)
    if result.status != NameStatus.AVAILABLE:
        raise CheckFailed(result.message, evidence=evidence)
    return CheckResult(result.message, evidence)


HANDLERS = {
    "name_check": name_check,
    "amendment_approved": amendment_approved,
    "amendment_returned": amendment_returned,
    "amendment_rejected": amendment_rejected,
}
