"""The workflow engine's records: desks, versioned definitions, cases, tasks, audit trail.

The engine runs any object a definition describes; it knows nothing of companies.
"""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition


class Desk(models.Model):
    """A ministry desk that works a queue: one-stop-shop intake, court registry..."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    # Policy (desks.yaml): a member may approve, return or reject a ready manual task at
    # once, the claim being taken in the same transaction as the decision.
    decide_without_claim = models.BooleanField(_("décision sans prise en charge préalable"),
                                               default=False)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="DeskMembership", related_name="desks"
    )

    class Meta:
        verbose_name = _("guichet")
        verbose_name_plural = _("guichets")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class DeskMembership(models.Model):
    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="desk_memberships"
    )
    is_supervisor = models.BooleanField(_("superviseur"), default=False)

    class Meta:
        verbose_name = _("affectation à un guichet")
        verbose_name_plural = _("affectations aux guichets")
        constraints = [
            models.UniqueConstraint(fields=("desk", "user"), name="unique_desk_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.desk}"


class WorkflowDefinition(models.Model):
    """One published version of a procedure; never changed once stored."""

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("intitulé"), max_length=200)
    spec = models.JSONField(_("définition"))
    checksum = models.CharField(_("empreinte SHA-256"), max_length=64)
    published_at = models.DateTimeField(_("publiée le"), default=timezone.now)

    class Meta:
        verbose_name = _("définition de procédure")
        verbose_name_plural = _("définitions de procédures")
        constraints = [
            models.UniqueConstraint(fields=("code", "version"), name="unique_definition_version")
        ]
        ordering = ("code", "-version")

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    def step(self, step_id: str) -> dict:
        for step in self.spec["steps"]:
            if step["id"] == step_id:
                return step
        raise KeyError(step_id)


class CaseState(models.TextChoices):
    RUNNING = "running", _("en cours")
    SUSPENDED = "suspended", _("en attente du demandeur")
    COMPLETED = "completed", _("terminé")
    REJECTED = "rejected", _("rejeté")
    CANCELLED = "cancelled", _("annulé")


def search_form(text: str) -> str:
    """The comparable form of a searched text: lower case, no accents, single spaces (what
    Case.search_text holds and what a search looks for)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.lower().split())


class Case(FSMModelMixin, models.Model):
    """One run of a definition for one subject (e.g. a company filing).

    What the subject says of itself (its `workflow_summary()`: file number, title,
    applicant, identifiers) is copied here, so that a desk's queue shows and searches it
    without loading the subjects, and the engine imports nothing of the subject's app.
    """

    definition = models.ForeignKey(WorkflowDefinition, on_delete=models.PROTECT)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    state = FSMField(
        _("état"), choices=CaseState.choices, default=CaseState.RUNNING, protected=True
    )
    started_at = models.DateTimeField(_("ouvert le"), default=timezone.now)
    ended_at = models.DateTimeField(_("clos le"), null=True, blank=True)
    reference = models.CharField(_("numéro de dossier"), max_length=40, blank=True,
                                 db_index=True)
    title = models.CharField(_("objet"), max_length=200, blank=True)
    applicant = models.CharField(_("demandeur"), max_length=200, blank=True)
    # search_form() of the reference, title, applicant and identifiers (RCCM number...);
    # a trigram index serves it on PostgreSQL (migration 0002).
    search_text = models.TextField(_("texte de recherche"), blank=True, editable=False)

    class Meta:
        verbose_name = _("dossier en traitement")
        verbose_name_plural = _("dossiers en traitement")
        indexes = [
            models.Index(fields=("subject_type", "subject_id")),
            # Dashboards: cases closed in a period, by how they ended.
            models.Index(fields=("state", "ended_at"), name="case_state_ended"),
        ]

    def __str__(self) -> str:
        return f"{self.definition.code} #{self.pk}"

    def subject_rows(self) -> models.QuerySet:
        """The rows of the subject's model (the content type from Django's cache: no
        query), to read the subject with the relations a caller needs."""
        model = ContentType.objects.get_for_id(self.subject_type_id).model_class()
        return model._default_manager.all()

    @transition(field=state, source=CaseState.RUNNING, target=CaseState.COMPLETED)
    def complete(self) -> None:
        self.ended_at = timezone.now()

    @transition(field=state, source=[CaseState.RUNNING, CaseState.SUSPENDED],
                target=CaseState.REJECTED)
    def reject(self) -> None:
        self.ended_at = timezone.now()

    @transition(field=state, source=CaseState.RUNNING, target=CaseState.SUSPENDED)
    def suspend(self) -> None:
        """Waiting for the applicant to correct the filing."""

    @transition(field=state, source=CaseState.SUSPENDED, target=CaseState.RUNNING)
    def resume(self) -> None:
        """The applicant answered the correction request."""

    @transition(field=state, source=[CaseState.RUNNING, CaseState.SUSPENDED],
                target=CaseState.CANCELLED)
    def cancel(self) -> None:
        self.ended_at = timezone.now()


class StepKind(models.TextChoices):
    MANUAL = "manual", _("manuelle")
    AUTOMATIC = "automatic", _("automatique")


class TaskState(models.TextChoices):
    WAITING = "waiting", _("en attente")
    READY = "ready", _("à traiter")
    RUNNING = "running", _("contrôle automatique en cours")
    FAILED = "failed", _("contrôle automatique en échec")
    CLAIMED = "claimed", _("pris en charge")
    APPROVED = "approved", _("approuvé")
    RETURNED = "returned", _("renvoyé pour correction")
    REJECTED = "rejected", _("rejeté")
    CANCELLED = "cancelled", _("annulé")


# States in which a task sits in a desk's queue and its deadline runs.
OPEN_STATES = (TaskState.READY, TaskState.CLAIMED, TaskState.FAILED)


class Task(ConcurrentTransitionMixin, models.Model):
    """One desk's piece of a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    step_id = models.SlugField(_("étape"), max_length=60)
    title = models.CharField(_("intitulé"), max_length=200)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    kind = models.CharField(_("nature"), max_length=10, choices=StepKind.choices,
                            default=StepKind.MANUAL)
    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="tasks")
    state = FSMField(
        _("état"), choices=TaskState.choices, default=TaskState.WAITING, protected=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tasks",
        verbose_name=_("agent"),
    )
    ready_at = models.DateTimeField(_("à traiter depuis"), null=True, blank=True)
    due_at = models.DateTimeField(_("échéance"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escaladé le"), null=True, blank=True)
    comment = models.TextField(_("observation"), blank=True)
    error = models.TextField(_("erreur du contrôle automatique"), blank=True)
    data = models.JSONField(_("données saisies"), default=dict, blank=True)
    # What an automatic check found, as its handler gave it: [{"label", "value"}, ...].
    evidence = models.JSONField(_("constats du contrôle automatique"), default=list,
                                blank=True)

    class Meta:
        verbose_name = _("tâche")
        verbose_name_plural = _("tâches")
        ordering = ("case_id", "position")
        constraints = [
            models.UniqueConstraint(fields=("case", "step_id"), name="unique_task_step")
        ]
        indexes = [
            models.Index(fields=("desk", "state", "due_at")),
            # A queue page: open tasks by due time, then id (the keyset), across the user's
            # desks or within one; partial, so closed tasks (most of them) cost nothing.
            models.Index(fields=("due_at", "id"), name="task_open_by_due",
                         condition=models.Q(state__in=("ready", "claimed", "failed"))),
            models.Index(fields=("desk", "due_at", "id"), name="task_open_by_desk_due",
                         condition=models.Q(state__in=("ready", "claimed", "failed"))),
            # Dashboards: a desk's decisions in a period; partial, open tasks cost nothing.
            models.Index(fields=("desk", "decided_at"), name="task_decided_by_desk",
                         condition=models.Q(decided_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_state_display()})"

    @property
    def is_overdue(self) -> bool:
        return (
            self.state in OPEN_STATES
            and self.due_at is not None
            and self.due_at < timezone.now()
        )

    @transition(field=state, source=TaskState.WAITING, target=TaskState.READY)
    def make_ready(self, *, due_at=None) -> None:
        self.ready_at = timezone.now()
        self.due_at = due_at

    @transition(field=state, source=[TaskState.READY, TaskState.FAILED],
                target=TaskState.CLAIMED)
    def claim(self, *, user) -> None:
        """A person takes the task; a failed automatic check is then decided by hand."""
        self.assignee = user

    @transition(field=state, source=TaskState.READY, target=TaskState.RUNNING)
    def start_run(self) -> None:
        """An automatic step begins (inside the worker's transaction)."""
        self.error = ""

    @transition(field=state, source=TaskState.RUNNING, target=TaskState.APPROVED)
    def pass_check(self, *, comment: str = "") -> None:
        self.decided_at = timezone.now()
        self.comment = comment

    @transition(field=state, source=TaskState.APPROVED, target=TaskState.READY,
                conditions=[lambda task: task.kind == StepKind.AUTOMATIC])
    def rerun(self) -> None:
        """What an automatic step checked has changed: it checks again."""
        self.ready_at = timezone.now()
        self.decided_at = None
        self.comment = ""
        self.error = ""

    @transition(field=state, source=[TaskState.READY, TaskState.RUNNING],
                target=TaskState.FAILED)
    def fail_check(self, *, error: str) -> None:
        self.error = error

    @transition(field=state, source=[TaskState.READY, TaskState.CLAIMED, TaskState.FAILED],
                target=TaskState.CLAIMED)
    def reassign(self, *, user) -> None:
        """A desk supervisor hands the task to a member of the desk."""
        self.assignee = user

    @transition(field=state, source=TaskState.CLAIMED, target=TaskState.READY,
                conditions=[lambda task: task.kind == StepKind.MANUAL])
    def release(self) -> None:
        self.assignee = None

    @transition(field=state, source=TaskState.CLAIMED, target=TaskState.FAILED,
                conditions=[lambda task: task.kind == StepKind.AUTOMATIC])
    def release_failed_check(self) -> None:
        """A failed automatic check goes back to the desk's queue, still failed."""
        self.assignee = None

    @transition(field=state, source=TaskState.CLAIMED, target=TaskState.APPROVED)
    def approve(self, *, comment: str = "") -> None:
        self.decided_at = timezone.now()
        self.comment = comment

    @transition(field=state, source=TaskState.CLAIMED, target=TaskState.RETURNED)
    def send_back(self, *, comment: str) -> None:
        self.decided_at = timezone.now()
        self.comment = comment

    @transition(field=state, source=TaskState.RETURNED, target=TaskState.READY)
    def reopen(self, *, due_at=None) -> None:
        self.ready_at = timezone.now()
        self.due_at = due_at
        self.assignee = None
        self.decided_at = None
        self.escalated_at = None
        self.comment = ""
        self.error = ""

    @transition(field=state, source=TaskState.CLAIMED, target=TaskState.REJECTED)
    def reject(self, *, comment: str) -> None:
        self.decided_at = timezone.now()
        self.comment = comment

    @transition(
        field=state,
        source=[TaskState.WAITING, TaskState.READY, TaskState.CLAIMED, TaskState.RETURNED,
                TaskState.FAILED, TaskState.RUNNING],
        target=TaskState.CANCELLED,
    )
    def cancel(self) -> None:
        self.decided_at = timezone.now()


class Note(models.Model):
    """An internal note between staff on a case; never shown to the applicant."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    task = models.ForeignKey(Task, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="notes", verbose_name=_("tâche"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("auteur"))
    text = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(_("écrite le"), default=timezone.now)

    class Meta:
        verbose_name = _("note interne")
        verbose_name_plural = _("notes internes")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("case", "-created_at"), name="note_case_newest")]

    def __str__(self) -> str:
        return f"{self.author} · {self.created_at:%Y-%m-%d %H:%M}"


class AuditEvent(models.Model):
    """One transition, chained to the previous event by its SHA-256 (tamper evidence)."""

    sequence = models.PositiveBigIntegerField(_("numéro"), unique=True)
    at = models.DateTimeField(_("date (UTC)"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    object_type = models.CharField(_("type d'objet"), max_length=100)
    object_id = models.CharField(_("identifiant"), max_length=64)
    action = models.CharField(_("action"), max_length=60)
    from_state = models.CharField(_("état de départ"), max_length=40, blank=True)
    to_state = models.CharField(_("état d'arrivée"), max_length=40, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    previous_hash = models.CharField(_("empreinte précédente"), max_length=64)
    hash = models.CharField(_("empreinte"), max_length=64)

    class Meta:
        verbose_name = _("événement du journal")
        verbose_name_plural = _("journal d'audit")
        ordering = ("sequence",)
        indexes = [models.Index(fields=("object_type", "object_id"))]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """A single row locked while appending, so the chain stays linear under concurrency."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"#{self.last_sequence} {self.last_hash[:12]}"
