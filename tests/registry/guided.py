"""Shared by the guided-filing tests: page addresses, the task list's statuses, and filings
that break one rule of their legal form (or none). No assertions here."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ..journeys import upload_document
from .filings import AFI, AUDIT_FIRM, KOSSI, Plan, person, sarl_plan, task_statuses

ALL_SECTIONS = ("Dénomination", "Forme juridique", "Activité", "Siège social",
                "Capital et parts", "Personnes", "Pièces justificatives")
SIGNING = "Vérifier et signer"
NOT_READY = "Le dossier ne peut pas encore être signé"


def url(name: str, application, *args) -> str:
    return reverse(f"registry:{name}", args=[application.reference, *args])


def statuses(client, application) -> dict[str, str]:
    return task_statuses(client.get(application.get_absolute_url()))


def upload(client, application, requirement, name, data):
    """Post a file as a PDF for one line of the documents checklist."""
    return upload_document(client, application, requirement,
                           SimpleUploadedFile(name, data, content_type="application/pdf"))


RULE_PROBLEMS = [
    (Plan("SARLU", [
        person(KOSSI, "partner", "manager", "beneficial_owner", shares=100, cash=500_000,
               percent=50),
        person(AFI, "partner", "beneficial_owner", shares=100, cash=500_000, percent=50)],
        capital=1_000_000, share_count=200, share_nominal=5_000),
     "Personnes", "Associés : une SARLU n'a qu'un seul associé (2 déclarés)."),
    (Plan("SA", [person(KOSSI, "partner", "president", "beneficial_owner", shares=100,
                        cash=1_000_000, percent=100), AUDIT_FIRM | {"roles": ["auditor"]}],
          capital=1_000_000, share_count=100, share_nominal=10_000),
     "Capital et parts",
     "Capital social : une SA doit avoir un capital d'au moins 10\u00a0000\u00a0000\u00a0FCFA."),
]


def minor(base: dict) -> dict:
    return {**base, "birth_date": date(date.today().year - 10, 1, 1)}


SHAREHOLDER = ("partner", "president", "beneficial_owner")
LEGAL_FORM_CASES = {
    "SARL": (
        sarl_plan("SARL"),
        Plan("SARL", [person(KOSSI, "partner", "beneficial_owner", shares=100, cash=500_000,
                             percent=50),
                      person(AFI, "partner", "beneficial_owner", shares=100, cash=500_000,
                             percent=50)], 1_000_000, 200, 5_000),
        "Gérance : au moins un gérant, personne physique, est requis.",
    ),
    "SARLU": (sarl_plan("SARLU"), RULE_PROBLEMS[0][0], RULE_PROBLEMS[0][2]),
    "SA": (
        Plan("SA", [person(KOSSI, *SHAREHOLDER, shares=1_000, cash=10_000_000, percent=100),
                    AUDIT_FIRM | {"roles": ["auditor"]}], 10_000_000, 1_000, 10_000),
        RULE_PROBLEMS[1][0], RULE_PROBLEMS[1][2],
    ),
    "SAS": (
        Plan("SAS", [person(KOSSI, *SHAREHOLDER, shares=100, cash=1_000_000, percent=100)],
             1_000_000, 100, 10_000),
        Plan("SAS", [person(KOSSI, "partner", "beneficial_owner", shares=100, cash=1_000_000,
                            percent=100)], 1_000_000, 100, 10_000),
        "Présidence : au moins un président est requis.",
    ),
    "SASU": (
        Plan("SASU", [person(KOSSI, *SHAREHOLDER, shares=100, cash=1_000_000, percent=100)],
             1_000_000, 100, 10_000),
        Plan("SASU", [person(KOSSI, *SHAREHOLDER, shares=50, cash=500_000, percent=50),
                      person(AFI, "partner", "beneficial_owner", shares=50, cash=500_000,
                             percent=50)], 1_000_000, 100, 10_000),
        "Actionnaires : une SASU n'a qu'un seul actionnaire (2 déclarés).",
    ),
    "SNC": (
        Plan("SNC", [person(KOSSI, "partner", "manager", "beneficial_owner", shares=100,
                            cash=500_000, percent=50),
                     person(AFI, "partner", "beneficial_owner", shares=100, cash=500_000,
                            percent=50)], 1_000_000, 200, 5_000),
        Plan("SNC", [person(KOSSI, "partner", "manager", "beneficial_owner", shares=200,
                            cash=1_000_000, percent=100)], 1_000_000, 200, 5_000),
        "Associés : une SNC compte au moins 2 associés (1 déclaré).",
    ),
    "SCS": (
        Plan("SCS", [person(KOSSI, "general_partner", "manager", "beneficial_owner",
                            shares=100, cash=500_000, percent=50),
                     person(AFI, "limited_partner", "beneficial_owner", shares=100,
                            cash=500_000, percent=50)], 1_000_000, 200, 5_000),
        Plan("SCS", [person(KOSSI, "general_partner", "beneficial_owner", shares=100,
                            cash=500_000, percent=50),
                     person(AFI, "limited_partner", "manager", "beneficial_owner", shares=100,
                            cash=500_000, percent=50)], 1_000_000, 200, 5_000),
        "Fonctions : Afi MENSAH ne peut pas être à la fois commanditaire et gérant.",
    ),
    "EI": (
        Plan("EI", [person(KOSSI, "trader")]),
        Plan("EI", [person(minor(KOSSI), "trader")]),
        "Date de naissance : Kossi AGBEKO a 10 ans ; un commerçant exploitant doit être "
        "majeur (18 ans révolus).",
    ),
    "GIE": (
        # A GIE may have no capital: it answers the capital section with zeros.
        Plan("GIE", [person(KOSSI, "partner", "administrator"), person(AFI, "partner")],
             0, 0, 0),
        Plan("GIE", [person(KOSSI, "partner", "administrator")], 0, 0, 0),
        "Membres : un GIE compte au moins 2 membres (1 déclaré).",
    ),
}
