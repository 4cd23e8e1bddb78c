"""What the toy procedure does at its steps: each handler writes down that it was called."""

from __future__ import annotations

from django.utils import timezone

from workflows.services import CheckFailed, CheckResult

from .models import Permit


def _permit(case) -> Permit:
    return Permit.objects.get(pk=case.subject_id)


def _log(permit: Permit, handler: str, *, step: str = "", actor=None) -> None:
    permit.calls = [*permit.calls, [handler, step, actor.email if actor else ""]]


def inspect_premises(*, case, task) -> str:
    """The automatic check: fails when the permit names a problem."""
    permit = _permit(case)
    permit.check_runs += 1
    _log(permit, "inspect_premises", step=task.step_id)
    permit.save(update_fields=["check_runs", "calls"])
    evidence = [{"label": "Titulaire", "value": permit.holder},
                {"label": "Constat de l'inspecteur", "value": permit.check_problem or "aucun"}]
    if permit.check_problem:
        raise CheckFailed(permit.check_problem, evidence=evidence)
    return CheckResult("Locaux conformes.", evidence)


def record_licence_number(*, case, task, actor) -> None:
    permit = _permit(case)
    permit.licence_number = task.data["licence_number"]
    _log(permit, "record_licence_number", step=task.step_id, actor=actor)
    permit.save(update_fields=["licence_number", "calls"])


def step_approved(*, case, task, actor) -> None:
    permit = _permit(case)
    permit.approved_steps = [*permit.approved_steps, task.step_id]
    _log(permit, "step_approved", step=task.step_id, actor=actor)
    permit.save(update_fields=["approved_steps", "calls"])


def permit_completed(*, case, actor) -> None:
    permit = _permit(case)
    permit.completed_at = timezone.now()
    _log(permit, "permit_completed", actor=actor)
    permit.save(update_fields=["completed_at", "calls"])


def permit_returned(*, case, actor, comment: str, fields: list[str]) -> None:
    permit = _permit(case)
    permit.returned_sections = sorted({*permit.returned_sections, *fields})
    permit.return_comment = comment
    _log(permit, "permit_returned", actor=actor)
    permit.save(update_fields=["returned_sections", "return_comment", "calls"])


def permit_rejected(*, case, actor, comment: str) -> None:
    permit = _permit(case)
    permit.rejection_reason = comment
    _log(permit, "permit_rejected", actor=actor)
    permit.save(update_fields=["rejection_reason", "calls"])


HANDLERS = {
    "inspect_premises": inspect_premises,
    "record_licence_number": record_licence_number,
    "step_approved": step_approved,
    "permit_completed": permit_completed,
    "permit_returned": permit_returned,
    "permit_rejected": permit_rejected,
}
