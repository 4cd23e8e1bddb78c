"""How the rules are worded: roles and members as each form names them, the forms with
their article, share text (parts or actions), document labels and number formats.

The figures are in data/legal_forms.yaml (see rules.py); the words are here, where gettext
translates them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from documents.layout import format_fcfa

from .choices import LegalForm, Role

__all__ = [
    "CENT",
    "DEED_NAMES",
    "FORM_DOCUMENTS",
    "FORM_DOCUMENT_OVERRIDES",
    "FORM_NAMES",
    "NBSP",
    "PERSON_DOCUMENTS",
    "ROLE_WORDING",
    "ROLE_WORDING_BY_FORM",
    "SHARE_TEXT",
    "RoleWording",
    "ShareText",
    "format_fcfa",
    "format_number",
    "format_percent",
    "role_wording",
]

NBSP = "\u00a0"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class RoleWording:
    heading: str  # how the field is named at the start of a message
    one: str  # "un gérant"
    many: str  # "gérants"
    bare: str  # "gérant", as in "ne peut pas être gérant"


ROLE_WORDING = {
    Role.PARTNER: RoleWording(_("Associés"), _("un associé"), _("associés"), _("associé")),
    Role.MANAGER: RoleWording(_("Gérance"), _("un gérant"), _("gérants"), _("gérant")),
    Role.PRESIDENT: RoleWording(_("Présidence"), _("un président"), _("présidents"),
                             _("président")),
    Role.DIRECTOR: RoleWording(_("Direction générale"), _("un directeur général"),
                            _("directeurs généraux"), _("directeur général")),
    Role.ADMINISTRATOR: RoleWording(_("Administration"), _("un administrateur"),
                                 _("administrateurs"), _("administrateur")),
    Role.AUDITOR: RoleWording(_("Commissariat aux comptes"), _("un commissaire aux comptes"),
                           _("commissaires aux comptes"), _("commissaire aux comptes")),
    Role.BENEFICIAL_OWNER: RoleWording(_("Bénéficiaires effectifs"),
                                    _("un bénéficiaire effectif"),
                                    _("bénéficiaires effectifs"), _("bénéficiaire effectif")),
    Role.GENERAL_PARTNER: RoleWording(_("Commandités"), _("un commandité"), _("commandités"),
                                   _("commandité")),
    Role.LIMITED_PARTNER: RoleWording(_("Commanditaires"), _("un commanditaire"),
                                   _("commanditaires"), _("commanditaire")),
    Role.TRADER: RoleWording(_("Exploitant"), _("un commerçant exploitant"),
                          _("commerçants exploitants"), _("commerçant exploitant")),
}
_SHAREHOLDERS = RoleWording(_("Actionnaires"), _("un actionnaire"), _("actionnaires"),
                         _("actionnaire"))
ROLE_WORDING_BY_FORM = {
    ("SA", Role.PRESIDENT): RoleWording(
        _("Direction générale"),
        _("un président-directeur général ou administrateur général"),
        _("présidents-directeurs généraux ou administrateurs généraux"),
        _("président-directeur général ou administrateur général"),
    ),
    ("SA", Role.ADMINISTRATOR): RoleWording(_("Conseil d'administration"),
                                         _("un administrateur"), _("administrateurs"),
                                         _("administrateur")),
    ("SA", Role.PARTNER): _SHAREHOLDERS,
    ("SAS", Role.PARTNER): _SHAREHOLDERS,
    ("SASU", Role.PARTNER): _SHAREHOLDERS,
    ("GIE", Role.PARTNER): RoleWording(_("Membres"), _("un membre"), _("membres"), _("membre")),
}
# The form with its article, as in "une SA doit avoir...".
FORM_NAMES = {
    LegalForm.EI: _("une entreprise individuelle"),
    LegalForm.SARL: _("une SARL"),
    LegalForm.SARLU: _("une SARLU"),
    LegalForm.SA: _("une SA"),
    LegalForm.SAS: _("une SAS"),
    LegalForm.SASU: _("une SASU"),
    LegalForm.SNC: _("une SNC"),
    LegalForm.SCS: _("une SCS"),
    LegalForm.GIE: _("un GIE"),
}
# The form's full name as a deed writes it, in lower case because it stands inside sentences
# ("une société à responsabilité limitée (SARL) régie par..."): the forms the registry drafts
# statutes for (see rules.FormRules.statutes_model).
DEED_NAMES = {
    LegalForm.SARL: _("société à responsabilité limitée"),
    LegalForm.SARLU: _("société à responsabilité limitée unipersonnelle"),
    LegalForm.SAS: _("société par actions simplifiée"),
    LegalForm.SASU: _("société par actions simplifiée unipersonnelle"),
}


@dataclass(frozen=True)
class ShareText:
    heading: str
    one: str  # "une part"
    singular: str  # "part"
    plural: str  # "parts"
    count_required: str
    sum_mismatch: str


SHARE_TEXT = {
    "parts": ShareText(
        heading=_("Parts sociales"),
        one=_("une part"),
        singular=_("part"),
        plural=_("parts"),
        count_required=_("Parts sociales : le nombre de parts sociales est requis."),
        sum_mismatch=_(
            "Parts sociales : la somme des parts des %(members)s (%(total)s) ne correspond pas "
            "au nombre de parts (%(count)s)."
        ),
    ),
    "actions": ShareText(
        heading=_("Actions"),
        one=_("une action"),
        singular=pgettext_lazy("share", "action"),
        plural=pgettext_lazy("shares", "actions"),
        count_required=_("Actions : le nombre d'actions est requis."),
        sum_mismatch=_(
            "Actions : la somme des actions des %(members)s (%(total)s) ne correspond pas "
            "au nombre d'actions (%(count)s)."
        ),
    ),
}

# Company-level documents a form may list in the data file; per-person ones are computed.
FORM_DOCUMENTS = {
    "statuts": _("Statuts signés"),
    "souscription_versement": _(
        "Déclaration de souscription et de versement ou certificat de dépôt des fonds"
    ),
    "justificatif_siege": _(
        "Justificatif du siège : bail, titre de propriété ou attestation de domiciliation"
    ),
}
FORM_DOCUMENT_OVERRIDES = {
    ("GIE", "statuts"): _("Contrat de groupement signé"),
    ("EI", "justificatif_siege"): _(
        "Justificatif du lieu d'exploitation : bail, titre de propriété ou attestation de "
        "domiciliation"
    ),
}
PERSON_DOCUMENTS = {
    "piece_identite": _("Pièce d'identité de %(name)s"),
    "declaration_non_interdiction": _(
        "Déclaration sur l'honneur de non-interdiction de gérer de %(name)s"
    ),
    "casier_judiciaire": _(
        "Extrait de casier judiciaire de %(name)s (dans les %(days)s jours suivant "
        "l'immatriculation)"
    ),
    "extrait_rccm": _("Extrait RCCM de %(name)s"),
    "pouvoir_representant": _("Pouvoir du représentant de %(name)s"),
}


def role_wording(legal_form: str, role: str) -> RoleWording:
    """How a role is named for a form ("actionnaire" in an SA, "associé" in a SARL)."""
    return ROLE_WORDING_BY_FORM.get((legal_form, role)) or ROLE_WORDING[role]


def format_number(number: int) -> str:
    """1000000 -> "1 000 000" with no-break spaces."""
    return f"{number:,}".replace(",", NBSP)


def format_percent(value: Decimal) -> str:
    """Decimal("33.333") -> "33,33 %"; Decimal("50.00") -> "50 %"."""
    text = f"{value.quantize(CENT, rounding=ROUND_DOWN):f}".rstrip("0").rstrip(".")
    return f"{text.replace('.', ',')}{NBSP}%"
