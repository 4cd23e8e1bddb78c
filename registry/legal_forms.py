"""OHADA legal forms and the rules that vary by form, kept as data."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalForm(models.TextChoices):
    EI = "EI", _("Entreprise individuelle (EI)")
    SARL = "SARL", _("Société à responsabilité limitée (SARL)")
    SARLU = "SARLU", _("SARL unipersonnelle (SARLU)")
    SA = "SA", _("Société anonyme (SA)")
    SAS = "SAS", _("Société par actions simplifiée (SAS)")
    SASU = "SASU", _("SAS unipersonnelle (SASU)")
    SNC = "SNC", _("Société en nom collectif (SNC)")
    SCS = "SCS", _("Société en commandite simple (SCS)")
    GIE = "GIE", _("Groupement d'intérêt économique (GIE)")


@dataclass(frozen=True)
class FormRules:
    rccm_letter: str
    min_capital: int
    min_members: int
    max_members: int | None


# RCCM letters: A natural-person trader, B company, C GIE (OHADA general commercial law).
# Minimum capital in FCFA as applied in Togo; see shared/reference/domain.md.
RULES: dict[str, FormRules] = {
    LegalForm.EI: FormRules("A", 0, 1, 1),
    LegalForm.SARL: FormRules("B", 0, 1, None),
    LegalForm.SARLU: FormRules("B", 0, 1, 1),
    LegalForm.SA: FormRules("B", 10_000_000, 1, None),
    LegalForm.SAS: FormRules("B", 0, 1, None),
    LegalForm.SASU: FormRules("B", 0, 1, 1),
    LegalForm.SNC: FormRules("B", 0, 2, None),
    LegalForm.SCS: FormRules("B", 0, 2, None),
    LegalForm.GIE: FormRules("C", 0, 2, None),
}

# The forms that can be filed online today; the others follow with the full filing journey.
FILEABLE_FORMS = (LegalForm.SARL,)
