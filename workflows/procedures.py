"""The engine's contract with the apps that own procedures.

workflows/ knows nothing of companies. An app that owns a procedure (registry owns company
creation) registers it from its AppConfig.ready(): the definition file, the model a case is
about, and the handlers the definition names. The engine then talks to the subject only
through `WorkflowSubject` and calls only registered handlers; a definition that names a
handler its procedure did not register cannot be published.

Handlers, by the key that names them in a definition:
- step `run` (automatic check): ``(*, case, task) -> str | None``; raise
  ``workflows.services.CheckFailed`` to send the task to a person.
- step `on_approve`, procedure `on_step_approved`: ``(*, case, task, actor) -> None``.
- `on_complete`: ``(*, case, actor)``; `on_return`: ``(*, case, actor, comment, fields)``;
  `on_reject`: ``(*, case, actor, comment)``.
All run inside the transaction of the decision that triggers them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypedDict, runtime_checkable

from django.core.exceptions import ImproperlyConfigured


@runtime_checkable
class WorkflowSubject(Protocol):
    """What a case's subject (a filing, an amendment...) tells the engine."""

    pk: Any
    #: The template the task page includes to show the subject to a desk; it gets `subject`.
    #: Optional beside it: ``backoffice_related`` and ``backoffice_prefetch`` (class
    #: attributes: select_related and prefetch_related paths), what that template reads of
    #: the subject's relations, which the page then loads with the subject.
    backoffice_template: ClassVar[str]

    def workflow_facts(self) -> Mapping[str, str]:
        """The values a definition's `when` conditions test (its declared `facts`)."""
        ...

    def correctable_sections(self) -> Sequence[tuple[str, str]]:
        """(code, label) of what a desk may send back to the applicant for correction."""
        ...


class WorkflowSummary(TypedDict, total=False):
    """What a desk's queue shows of a case and searches it by (every key optional)."""

    reference: str  # the file number, e.g. "CFE-2026-000042"
    title: str  # what the case is about, e.g. the company's name
    applicant: str  # who filed it
    identifiers: Sequence[str]  # numbers the register gave it (RCCM, NIF...)


@runtime_checkable
class SummarisedSubject(Protocol):
    """Optional for a subject: one that has it is found in the queues by what it says.

    The engine copies the summary onto the case when the case starts, when the applicant
    resubmits, and after every approval (once the step's handlers have run: an identifier
    recorded by a handler is searchable at once). A subject's app that changes the summary
    elsewhere calls ``workflows.summaries.refresh_summary(case)``. Without it, the queue
    shows the subject's ``str()``. A subject whose summary reads related rows may name them
    in a class attribute ``workflow_summary_related`` (select_related paths): the engine
    then reads them with the subject, in one query.
    """

    def workflow_summary(self) -> WorkflowSummary:
        ...


class ApplicantsSubject:
    """Optional for a subject: more people than the one who filed act for the applicant
    (a company's owner and the accounts it authorised). None of them decides on the case,
    whatever desks they belong to (workflows.selectors.filed_by). A mixin, not a Protocol:
    the engine tests the subject's class before reading the subject."""

    def acts_for_applicant(self, user) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class Procedure:
    """A procedure as its owning app declares it."""

    code: str
    definition_file: Path
    subject_model: type
    handlers: Mapping[str, Callable[..., Any]] = field(default_factory=dict)

    def handler(self, name: str) -> Callable[..., Any]:
        try:
            return self.handlers[name]
        except KeyError:
            raise LookupError(f"procedure '{self.code}' registers no handler '{name}'") from None


_PROCEDURES: dict[str, Procedure] = {}
_SUBJECT_MEMBERS = ("backoffice_template", "workflow_facts", "correctable_sections")


def register(procedure: Procedure) -> Procedure:
    """Declare a procedure (from the owning app's AppConfig.ready()); checked at once."""
    missing = [name for name in _SUBJECT_MEMBERS if not hasattr(procedure.subject_model, name)]
    if missing:
        raise ImproperlyConfigured(
            f"{procedure.subject_model.__name__} cannot be the subject of "
            f"'{procedure.code}': it lacks {', '.join(missing)} (workflows.procedures."
            f"WorkflowSubject)")
    if not Path(procedure.definition_file).is_file():
        raise ImproperlyConfigured(f"{procedure.code}: no file {procedure.definition_file}")
    for name, handler in procedure.handlers.items():
        if not callable(handler):
            raise ImproperlyConfigured(f"{procedure.code}: handler '{name}' is not callable")
    known = _PROCEDURES.get(procedure.code)
    if known is not None and known != procedure:
        raise ImproperlyConfigured(f"procedure '{procedure.code}' is registered twice")
    _PROCEDURES[procedure.code] = procedure
    return procedure


def unregister(code: str) -> None:
    """Forget a procedure (tests that register a toy one clean up with this)."""
    _PROCEDURES.pop(code, None)


def find(code: str) -> Procedure | None:
    """The registered procedure, or None (a published definition may need no handlers)."""
    return _PROCEDURES.get(code)


def get(code: str) -> Procedure:
    procedure = find(code)
    if procedure is None:
        raise LookupError(f"no procedure '{code}' is registered")
    return procedure


def registered() -> list[Procedure]:
    return sorted(_PROCEDURES.values(), key=lambda procedure: procedure.code)
