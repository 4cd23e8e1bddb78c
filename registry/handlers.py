"""What the company-creation procedure does at its steps.

registry/procedures/company_creation.yaml names these by their key in HANDLERS, and
RegistryConfig.ready() registers them with the engine (workflows.procedures). The engine
calls them inside the transaction of the decision that triggers them; each one hands over
to a service of this app.
"""

from __future__ import annotations

from . import checks, services


def allocate_rccm_number(*, case, task, actor) -> None:
    """Kept for cases pinned to definition versions that drew the number at the registry
    step; the current version draws it at registration (filing_completed)."""
    services.assign_rccm_number(application_id=case.subject_id, actor=actor)


def record_nif(*, case, task, actor) -> None:
    services.record_identifier(application_id=case.subject_id, actor=actor,
                               field="nif", value=task.data["nif"])


def record_employer_number(*, case, task, actor) -> None:
    services.record_identifier(application_id=case.subject_id, actor=actor,
                               field="employer_number", value=task.data["employer_number"])


def filing_completed(*, case, actor) -> None:
    services.register_company(application_id=case.subject_id, actor=actor)


def filing_returned(*, case, actor, comment: str, fields: list[str]) -> None:
    services.request_correction(application_id=case.subject_id, actor=actor, message=comment,
                                fields=fields)


def filing_rejected(*, case, actor, comment: str) -> None:
    services.reject(application_id=case.subject_id, actor=actor, reason=comment)


def step_approved(*, case, task, actor) -> None:
    """After any step approval: the applicant hears of desk decisions, not of checks."""
    if task.kind == "manual":
        services.step_approved(application_id=case.subject_id, step=task.title,
                               desk=task.desk.name,
                               occurrence=f"task:{task.pk}:{task.decided_at.isoformat()}")


HANDLERS = {
    "name_check": checks.name_check,
    "screening": checks.screening,
    "allocate_rccm_number": allocate_rccm_number,
    "record_nif": record_nif,
    "record_employer_number": record_employer_number,
    "filing_completed": filing_completed,
    "filing_returned": filing_returned,
    "filing_rejected": filing_rejected,
    "step_approved": step_approved,
}
