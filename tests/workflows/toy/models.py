"""The toy subject: a permit that answers the engine's WorkflowSubject protocol."""

from __future__ import annotations

from django.db import models

# What a desk may send back to the applicant: (code, label).
CORRECTABLE_SECTIONS = (
    ("holder", "Titulaire"),
    ("premises", "Locaux"),
    ("documents", "Pièces jointes"),
)


class Category(models.TextChoices):
    STANDARD = "standard", "Commerce courant"
    FOOD = "food", "Restauration"


class Permit(models.Model):
    """A permit request; the fields below the first three record what the engine called."""

    holder = models.CharField(max_length=120)
    category = models.CharField(max_length=20, choices=Category.choices,
                                default=Category.STANDARD)
    # When set, the automatic inspection fails with this message (CheckFailed).
    check_problem = models.CharField(max_length=200, blank=True)

    licence_number = models.CharField(max_length=20, blank=True)
    check_runs = models.PositiveIntegerField(default=0)
    approved_steps = models.JSONField(default=list)
    returned_sections = models.JSONField(default=list)
    return_comment = models.TextField(blank=True)
    rejection_reason = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Every handler call in order: [handler, step id or "", actor's e-mail or ""].
    calls = models.JSONField(default=list)

    backoffice_template = "toy/_permit.html"

    def __str__(self) -> str:
        return f"Permis {self.holder}"

    def workflow_facts(self) -> dict[str, str]:
        return {"category": self.category}

    def correctable_sections(self) -> list[tuple[str, str]]:
        return list(CORRECTABLE_SECTIONS)

    def workflow_summary(self) -> dict:
        # The holder is in the title (str): the toy has no applicant apart from the holder.
        return {"reference": f"PERMIS-{self.pk:05d}", "title": str(self),
                "identifiers": [self.licence_number] if self.licence_number else []}
