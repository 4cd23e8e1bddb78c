"""The vocabulary of the rules: the legal forms, the roles people hold, the kinds of person.

The codes are stored in the database (Application.legal_form, Party.roles and Party.kind)
and used in data/legal_forms.yaml; every other module names forms and roles through these.
"""

from __future__ import annotations

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


class Role(models.TextChoices):
    PARTNER = "partner", _("associé")
    MANAGER = "manager", _("gérant")
    PRESIDENT = "president", _("président")
    DIRECTOR = "director", _("directeur général")
    ADMINISTRATOR = "administrator", _("administrateur")
    AUDITOR = "auditor", _("commissaire aux comptes")
    BENEFICIAL_OWNER = "beneficial_owner", _("bénéficiaire effectif")
    GENERAL_PARTNER = "general_partner", _("commandité")
    LIMITED_PARTNER = "limited_partner", _("commanditaire")
    TRADER = "trader", _("commerçant exploitant")


class PersonKind(models.TextChoices):
    NATURAL = "natural", _("personne physique")
    LEGAL = "legal", _("personne morale")
