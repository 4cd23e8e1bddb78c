"""The changes a registered company files, in one place: for each, its procedure, its fee,
when it may be filed, the documents it needs (by legal form and by what changes) and what
it does to the register.

Each change type is a procedure of its own (amendments/procedures/<code>.yaml), run by the
workflow engine like company creation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from payments.models import Service
from registry.models import CompanyStatus

PROCEDURES_DIR = Path(__file__).resolve().parent / "procedures"


class ChangeKind:
    MANAGERS = "managers"
    OFFICE = "office"
    NAME = "name"
    ACTIVITY = "activity"
    CAPITAL = "capital"
    SHARE_TRANSFER = "share_transfer"
    DISSOLUTION = "dissolution"
    STRIKE_OFF = "strike_off"


# Forms without share capital or shares: an individual trader files neither.
NO_CAPITAL_FORMS = frozenset({"EI"})
# An individual trader has no statutes and no general meeting.
NO_STATUTES_FORMS = frozenset({"EI"})


@dataclass(frozen=True)
class Requirement:
    code: str
    label: str


MINUTES = Requirement("pv_decision", _("Procès-verbal de la décision (assemblée ou associé "
                                       "unique)"))
TRADER_DECLARATION = Requirement("declaration_exploitant",
                                 _("Déclaration de modification signée de l'exploitant"))
STATUTES = Requirement("statuts_mis_a_jour", _("Statuts mis à jour, certifiés conformes"))
MANAGER_ID = Requirement("piece_identite_dirigeant",
                         _("Pièce d'identité du ou des nouveaux dirigeants"))
MANAGER_OATH = Requirement("declaration_honneur_dirigeant",
                           _("Déclaration sur l'honneur de non-condamnation du ou des "
                             "nouveaux dirigeants"))
SEAT_PROOF = Requirement("justificatif_siege", _("Justificatif du nouveau siège (bail, titre "
                                                 "de propriété ou attestation de "
                                                 "domiciliation)"))
FUNDS = Requirement("attestation_depot_fonds",
                    _("Attestation de dépôt des fonds (augmentation de capital en "
                      "numéraire)"))
TRANSFER_DEED = Requirement("acte_cession", _("Acte de cession des parts ou actions, "
                                              "enregistré"))
LIQUIDATOR_ID = Requirement("piece_identite_liquidateur",
                            _("Pièce d'identité du liquidateur"))
CLOSING_ACCOUNTS = Requirement("compte_definitif_liquidation",
                               _("Compte définitif de liquidation"))
CLOSING_MINUTES = Requirement("pv_cloture_liquidation",
                              _("Procès-verbal de clôture de la liquidation"))


@dataclass(frozen=True)
class ChangeType:
    code: str
    label: str
    procedure: str  # the workflow definition's code
    service: str  # payments.models.Service: the fee schedule's line
    summary: str  # the public mention in the company's history (no personal data)
    extra_documents: tuple[Requirement, ...]
    statutes_change: bool
    capital_forms_only: bool = False

    @property
    def definition_file(self) -> Path:
        return PROCEDURES_DIR / f"{self.procedure}.yaml"

    def refusal(self, company) -> str:
        """Why this change cannot be filed for the company now ("" when it can)."""
        if company.status == CompanyStatus.STRUCK_OFF:
            return str(_("Cette entreprise est radiée du registre : aucune inscription ne "
                         "peut plus être demandée."))
        if self.capital_forms_only and company.legal_form in NO_CAPITAL_FORMS:
            return str(_("Une entreprise individuelle n'a ni capital ni parts sociales."))
        if self.code == ChangeKind.STRIKE_OFF:
            if (company.status != CompanyStatus.DISSOLVED
                    and company.legal_form not in NO_CAPITAL_FORMS):
                return str(_("La radiation suit la clôture de la liquidation : faites "
                             "d'abord inscrire la dissolution de la société."))
            return ""
        if company.status != CompanyStatus.ACTIVE:
            return str(_("Cette société est dissoute : seule la radiation, après la "
                         "clôture de sa liquidation, peut encore être demandée."))
        if self.code == ChangeKind.DISSOLUTION and company.legal_form in NO_CAPITAL_FORMS:
            return str(_("Une entreprise individuelle n'est pas dissoute : demandez "
                         "directement sa radiation à la cessation d'activité."))
        return ""

    def documents(self, *, legal_form: str, changes: dict, register: dict) -> list[Requirement]:
        """The documents this change needs for this legal form, given what changes."""
        decision = TRADER_DECLARATION if legal_form in NO_STATUTES_FORMS else MINUTES
        needed = [decision, *self.extra_documents]
        if self.statutes_change and legal_form not in NO_STATUTES_FORMS:
            needed.append(STATUTES)
        if (self.code == ChangeKind.CAPITAL and changes.get("capital")
                and int(changes["capital"]) > int(register.get("capital") or 0)):
            needed.append(FUNDS)  # an increase brings money in: the bank's certificate
        return needed


CHANGE_TYPES: dict[str, ChangeType] = {change.code: change for change in (
    ChangeType(ChangeKind.MANAGERS, _("Changement de dirigeant(s)"), "amendment_managers",
               Service.COMPANY_AMENDMENT, _("Changement de dirigeant(s)."),
               (MANAGER_ID, MANAGER_OATH), statutes_change=False),
    ChangeType(ChangeKind.OFFICE, _("Transfert du siège social"), "amendment_office",
               Service.COMPANY_AMENDMENT, _("Transfert du siège social."), (SEAT_PROOF,),
               statutes_change=True),
    ChangeType(ChangeKind.NAME, _("Changement de dénomination"), "amendment_name",
               Service.COMPANY_AMENDMENT, _("Changement de dénomination sociale."), (),
               statutes_change=True),
    ChangeType(ChangeKind.ACTIVITY, _("Modification de l'activité (objet social)"),
               "amendment_activity", Service.COMPANY_AMENDMENT,
               _("Modification de l'objet social."), (), statutes_change=True),
    ChangeType(ChangeKind.CAPITAL, _("Modification du capital social"), "amendment_capital",
               Service.COMPANY_AMENDMENT, _("Modification du capital social."), (),
               statutes_change=True, capital_forms_only=True),
    ChangeType(ChangeKind.SHARE_TRANSFER, _("Cession de parts ou d'actions"),
               "amendment_share_transfer", Service.COMPANY_AMENDMENT,
               _("Cession de parts ou d'actions."), (TRANSFER_DEED,), statutes_change=True,
               capital_forms_only=True),
    ChangeType(ChangeKind.DISSOLUTION, _("Dissolution et nomination du liquidateur"),
               "company_dissolution", Service.COMPANY_DISSOLUTION,
               _("Dissolution anticipée ; société en liquidation."), (LIQUIDATOR_ID,),
               statutes_change=False),
    ChangeType(ChangeKind.STRIKE_OFF, _("Clôture de la liquidation et radiation"),
               "company_strike_off", Service.COMPANY_STRIKE_OFF,
               _("Radiation du registre du commerce."), (CLOSING_ACCOUNTS, CLOSING_MINUTES),
               statutes_change=False),
)}


def change_type(code: str) -> ChangeType:
    return CHANGE_TYPES[code]


def all_requirements() -> dict[str, Requirement]:
    every = [MINUTES, TRADER_DECLARATION, STATUTES, MANAGER_ID, MANAGER_OATH, SEAT_PROOF,
             FUNDS, TRANSFER_DEED, LIQUIDATOR_ID, CLOSING_ACCOUNTS, CLOSING_MINUTES]
    return {requirement.code: requirement for requirement in every}


