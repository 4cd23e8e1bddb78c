"""Helpers for the tests that run the company-creation procedure (no assertions here)."""

from __future__ import annotations

from functools import partial

from registry.models import Application
from workflows.models import Case, TaskState

from ...workflows import helpers as engine_steps
from ...workflows.helpers import (
    case_of,
    event_count,
    queue_of,
    run_on_commit,
    states,
    task_of,
)

# The shipped company_creation procedure, in definition order.
STEPS = ("intake", "name_check", "screening", "registry", "tax", "social_security", "registrar")
AUTOMATIC_STEPS = ("name_check", "screening")
MANUAL_STEPS = tuple(step for step in STEPS if step not in AUTOMATIC_STEPS)
DESK_OF_STEP = {
    "intake": "guichet",
    "name_check": "guichet",
    "screening": "greffe",
    "registry": "greffe",
    "tax": "impots",
    "social_security": "cnss",
    "registrar": "greffier",
}


class DeskData(dict):
    """What each desk types in when it approves (the step's `fields` in the definition).

    The register refuses a NIF or employer number another filing holds, so each filing of
    a test gets its own: the first gets the numbers below, the next ones the following.
    """

    def get(self, step_id, default=None):
        if step_id not in self:
            return default
        (field, number), = self[step_id].items()
        taken = Application.objects.exclude(**{field: ""}).count()
        if taken:
            number = str(int(number.replace(" ", "")) + taken)
        return {field: number}


STEP_DATA = DeskData({
    "tax": {"nif": "1000 428 517"},
    "social_security": {"employer_number": "123456"},
})
# Every step's state right after submission.
INITIAL_STATES = {step: TaskState.WAITING for step in STEPS} | {"intake": TaskState.READY}


# The engine tests' generic helpers, with this procedure's steps and desk data.
claim_and_approve = partial(engine_steps.claim_and_approve, step_data=STEP_DATA)
approve_ready = partial(engine_steps.approve_ready, step_data=STEP_DATA)
advance_until = partial(engine_steps.advance_until, steps=STEPS, step_data=STEP_DATA)

__all__ = [
    "AUTOMATIC_STEPS", "DESK_OF_STEP", "INITIAL_STATES", "MANUAL_STEPS", "STEPS", "STEP_DATA",
    "advance_until", "approve_ready", "case_of", "claim_and_approve", "complete",
    "event_count", "queue_of", "run_on_commit", "states", "task_of",
]


def complete(case: Case, clerks: dict, *, certificate: bool = False) -> None:
    """Take the case through every desk.

    The registrar's approval queues the certificate on commit; it is issued only when
    `certificate` is set, which keeps these tests independent of the documents app.
    """
    advance_until(case, "registrar", clerks)
    claim_and_approve(case, "registrar", clerks["greffier"], on_commit=certificate)
