"""The public procedure guide: company creation as it runs, per legal form.

Everything shown is read from what runs, so the guide cannot drift from it: the steps, desks
and target times from the latest published version of the "company_creation" definition
(its `when` conditions evaluated against the form, as the engine does when a case starts),
the documents from the legal-form rules (registry.legal_forms.required_documents), the fee
from the schedule in force today (payments.fees), and the median time each step actually
took over the last 90 days, from the engine's tasks (ready -> decided, approved tasks).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from payments import fees
from payments.models import Service
from workflows import figures
from workflows.definitions import applies
from workflows.models import Desk, StepKind, Task, TaskState, WorkflowDefinition
from workflows.services import latest_definition

from ..legal_forms import (
    RULES,
    FilingFacts,
    LegalForm,
    PersonFacts,
    PersonKind,
    managing_roles,
    required_documents,
)

PROCEDURE = "company_creation"
MEDIAN_DAYS = 90
# The live medians read every approved task of 90 days: computed at most this often.
MEDIANS_CACHE_SECONDS = 900


@dataclass(frozen=True)
class StepMedian:
    median: timedelta
    decided: int  # how many approved tasks the median is taken over


@dataclass(frozen=True)
class GuideStep:
    step_id: str
    title: str
    desk: str
    automatic: bool
    sla_hours: float | None
    after: tuple[str, ...]  # titles of the steps that must be done first
    median: StepMedian | None

    @property
    def kind_label(self) -> str:
        return str(StepKind.AUTOMATIC.label if self.automatic else StepKind.MANUAL.label)

    @property
    def sla_text(self) -> str:
        return format_hours(self.sla_hours)

    @property
    def median_text(self) -> str:
        return format_duration(self.median.median) if self.median else ""


@dataclass(frozen=True)
class GuideDocument:
    label: str
    later: bool = False  # due after registration
    condition: str = ""  # when it is needed, if not always


@dataclass(frozen=True)
class FeeInForce:
    amount: int
    effective_from: date
    legal_basis: str


@dataclass(frozen=True)
class FormSummary:
    code: str
    label: str
    step_count: int
    target_hours: float
    fee: FeeInForce | None

    @property
    def target_text(self) -> str:
        return format_hours(self.target_hours)


@dataclass(frozen=True)
class Guide:
    legal_form: str
    label: str
    definition_version: int
    published_at: datetime
    steps: list[GuideStep]
    documents: list[GuideDocument]
    fee: FeeInForce | None
    target_hours: float  # along the longest chain of prerequisites (parallel desks overlap)
    median_days: int

    @property
    def target_text(self) -> str:
        return format_hours(self.target_hours)


def published_definition() -> WorkflowDefinition:
    """The latest published version of company creation: the one new cases start on."""
    return latest_definition(PROCEDURE)


def applicable_steps(definition: WorkflowDefinition, legal_form: str) -> list[dict]:
    """The definition's steps that run for a filing of this form, in the definition's order."""
    facts = {"legal_form": legal_form}
    return [step for step in definition.spec["steps"] if applies(step, facts)]


def target_hours(definition: WorkflowDefinition, legal_form: str) -> float:
    """The total target time: the longest chain of prerequisites, each step counting its SLA
    (steps that do not apply count zero, as the engine treats them as done)."""
    facts = {"legal_form": legal_form}
    finish: dict[str, float] = {}
    steps = definition.spec["steps"]
    # Published definitions are acyclic (validated): repeat until every step is placed.
    while len(finish) < len(steps):
        for step in steps:
            after = step.get("after", [])
            if step["id"] in finish or not all(dep in finish for dep in after):
                continue
            own = float(step.get("sla_hours") or 0) if applies(step, facts) else 0.0
            finish[step["id"]] = max((finish[dep] for dep in after), default=0.0) + own
    return max(finish.values(), default=0.0)


def fee_in_force(legal_form: str, on: date | None = None) -> FeeInForce | None:
    try:
        line = fees.fee_line(Service.COMPANY_CREATION, legal_form, on)
    except fees.FeeNotSet:
        return None
    return FeeInForce(amount=line.amount, effective_from=line.effective_from,
                      legal_basis=line.legal_basis)


def documents_for(legal_form: str) -> list[GuideDocument]:
    """What a filing of this form must include, as the filing's own checklist computes it,
    for a typical filing: the form's documents, then each manager's (and each legal-person
    member's) papers; the documents that depend on the filing's content come with their
    condition."""
    rules = RULES[legal_form]
    people = [PersonFacts(ref="dirigeant", kind=PersonKind.NATURAL,
                          full_name=_("chaque dirigeant"),
                          roles=managing_roles(legal_form))]
    if rules.legal_person_members:
        people.append(PersonFacts(ref="personne-morale", kind=PersonKind.LEGAL,
                                  full_name=_("chaque associé personne morale"),
                                  roles=rules.member_roles))
    lines = [GuideDocument(requirement.label, later=requirement.later)
             for requirement in required_documents(FilingFacts(legal_form=legal_form,
                                                               people=people))]
    later = [line for line in lines if line.later]
    lines = [line for line in lines if not line.later]
    if rules.in_kind_appraisal is not None:
        lines.append(GuideDocument(
            _("Rapport du commissaire aux apports"),
            condition=_("si des apports en nature dépassent les seuils légaux")))
    lines.append(GuideDocument(
        _("Autorisation préalable de l'activité"),
        condition=_("si l'activité principale est une activité réglementée")))
    return lines + later


def step_medians(*, days: int = MEDIAN_DAYS,
                 now: datetime | None = None) -> dict[str, StepMedian]:
    """Median time from ready to decided of the approved tasks of each step of company
    creation (every version) decided in the last `days` days, by step id. Cached
    MEDIANS_CACHE_SECONDS unless `now` is given."""

    def compute() -> dict[str, StepMedian]:
        moment = now or timezone.now()
        tasks = Task.objects.filter(
            case__definition__code=PROCEDURE, state=TaskState.APPROVED,
            ready_at__isnull=False, decided_at__gte=moment - timedelta(days=days),
            decided_at__lte=moment)
        # percentile_cont on PostgreSQL, interpolated in Python elsewhere (workflows.figures).
        rows = figures.grouped(tasks, ("step_id",), decided=Count("pk"))
        return {step_id: StepMedian(row["median"], row["decided"])
                for (step_id,), row in rows.items() if row["median"] is not None}

    seconds = getattr(settings, "GUIDE_MEDIANS_CACHE_SECONDS", MEDIANS_CACHE_SECONDS)
    if now is not None or not seconds:
        return compute()
    key = f"registry:guide:medians:{PROCEDURE}:{days}"
    return cache.get_or_set(key, compute, seconds)


def form_summaries(on: date | None = None) -> list[FormSummary]:
    """Every legal form with its number of steps, total target time and fee in force."""
    definition = published_definition()
    return [FormSummary(code=form.value, label=str(form.label),
                        step_count=len(applicable_steps(definition, form.value)),
                        target_hours=target_hours(definition, form.value),
                        fee=fee_in_force(form.value, on))
            for form in LegalForm]


def procedure_guide(legal_form: str, *, now: datetime | None = None) -> Guide:
    """The guide of company creation for one legal form (a LegalForm value)."""
    if legal_form not in LegalForm.values:
        raise LookupError(legal_form)
    definition = published_definition()
    moment = now or timezone.now()
    medians = step_medians(now=now)
    desks = dict(Desk.objects.values_list("code", "name"))
    steps = applicable_steps(definition, legal_form)
    titles = {step["id"]: step.get("title", step["id"]) for step in definition.spec["steps"]}
    applicable_ids = {step["id"] for step in steps}
    return Guide(
        legal_form=legal_form,
        label=str(LegalForm(legal_form).label),
        definition_version=definition.version,
        published_at=definition.published_at,
        steps=[GuideStep(
            step_id=step["id"],
            title=titles[step["id"]],
            desk=desks.get(step["desk"], step["desk"]),
            automatic=step.get("kind", StepKind.MANUAL) == StepKind.AUTOMATIC,
            sla_hours=step.get("sla_hours"),
            after=tuple(titles[dep] for dep in step.get("after", []) if dep in applicable_ids),
            median=medians.get(step["id"]),
        ) for step in steps],
        documents=documents_for(legal_form),
        fee=fee_in_force(legal_form, timezone.localdate(moment)),
        target_hours=target_hours(definition, legal_form),
        median_days=MEDIAN_DAYS,
    )


def format_hours(hours: float | None) -> str:
    """8 -> "8 h"; 36 -> "1 j 12 h" (calendar time, as the engine's deadlines run)."""
    if hours is None:
        return ""
    return format_duration(timedelta(hours=float(hours)))


def format_duration(value: timedelta | None) -> str:
    """A duration for people: "45 min", "3 h 20 min", "2 j 4 h"."""
    if value is None:
        return ""
    minutes = max(0, round(value.total_seconds() / 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(days)s j %(hours)s h") % {"days": days, "hours": hours}
    if hours:
        return (_("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
                if minutes else _("%(hours)s h") % {"hours": hours})
    return _("%(minutes)s min") % {"minutes": minutes}
