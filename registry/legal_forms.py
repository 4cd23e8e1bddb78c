"""OHADA legal forms and the rules that vary by form.

The figures (minimum capital, numbers of members, roles, documents) are data, in
data/legal_forms.yaml, because a state may change them; the wording is here, where gettext
translates it. `validate(facts)` says what is wrong with a filing, field by field;
`required_documents(facts)` lists what the filing must include.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import yaml
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from documents.layout import format_fcfa

from . import reference
from .names import normalize

DATA_FILE = Path(__file__).resolve().parent / "data" / "legal_forms.yaml"
# Ages are counted on the calendar of Lomé, whatever the server's time zone.
TIME_ZONE = ZoneInfo("Africa/Lome")
NBSP = "\u00a0"
CENT = Decimal("0.01")


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


# --- the rules, as loaded from the data file ----------------------------------------------


@dataclass(frozen=True)
class RoleRequirement:
    role: str
    min: int
    max: int | None
    natural_person: bool


@dataclass(frozen=True)
class InKindAppraisal:
    """When a commissaire aux apports must value the in-kind contributions."""

    above_amount: int  # any single contribution above this amount
    above_capital_share: Decimal | None  # or all of them above this share of the capital

    def needed(self, contributions: Iterable[int], capital: int | None) -> bool:
        amounts = [amount for amount in contributions if amount > 0]
        if any(amount > self.above_amount for amount in amounts):
            return True
        return bool(
            self.above_capital_share is not None
            and capital
            and sum(amounts) > capital * self.above_capital_share
        )


@dataclass(frozen=True)
class FormRules:
    rccm_letter: str
    min_capital: int
    min_members: int
    max_members: int | None
    code: str
    capital: Literal["required", "optional", "none"]
    min_capital_public_offering: int | None  # None: the form may not raise public money
    min_share_nominal: int | None
    share_kind: Literal["parts", "actions"]
    member_roles: frozenset[str]
    trader_roles: frozenset[str]  # members who are traders by law (SNC partners...)
    legal_person_members: bool
    skills_contributions: bool  # apports en industrie
    in_kind_appraisal: InKindAppraisal | None
    allowed_roles: frozenset[str]
    required_roles: tuple[RoleRequirement, ...]
    board: RoleRequirement | None
    documents: tuple[str, ...]

    @property
    def has_share_capital(self) -> bool:
        return self.capital != "none"


@dataclass(frozen=True)
class Policy:
    """The rules that do not depend on the form."""

    adult_age: int
    max_proposed_names: int
    beneficial_owner_threshold_percent: Decimal
    criminal_record_days: int
    manager_roles: frozenset[str]
    incompatible_roles: tuple[tuple[str, str], ...]


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

_FORM_KEYS = {
    "rccm_letter", "capital", "min_capital", "min_capital_public_offering",
    "min_share_nominal", "share_kind", "min_members", "max_members", "member_roles",
    "trader_roles", "legal_person_members", "skills_contributions", "in_kind_appraisal",
    "allowed_roles", "required_roles", "board", "documents",
}


def _roles(values: Iterable[str], where: str) -> frozenset[str]:
    roles = frozenset(str(value) for value in values)
    unknown = roles - set(Role.values)
    if unknown:
        raise ValueError(f"{where}: unknown roles {sorted(unknown)}")
    return roles


def _optional_int(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{where}: expected a whole number >= 0 or null, got {value!r}")
    return value


def _requirement(data: dict, where: str) -> RoleRequirement:
    (role,) = _roles([data["role"]], where)
    requirement = RoleRequirement(
        role=role,
        min=_optional_int(data["min"], f"{where}.min") or 0,
        max=_optional_int(data.get("max"), f"{where}.max"),
        natural_person=bool(data.get("natural_person", False)),
    )
    if requirement.max is not None and requirement.max < requirement.min:
        raise ValueError(f"{where}: max is below min")
    return requirement


def _form_rules(code: str, data: dict) -> FormRules:
    where = f"forms.{code}"
    if set(data) != _FORM_KEYS:
        raise ValueError(f"{where}: keys differ from the expected ones by "
                         f"{sorted(set(data) ^ _FORM_KEYS)}")
    if data["capital"] not in ("required", "optional", "none"):
        raise ValueError(f"{where}.capital: {data['capital']!r}")
    if data["share_kind"] not in SHARE_TEXT:
        raise ValueError(f"{where}.share_kind: {data['share_kind']!r}")
    letter = str(data["rccm_letter"])
    if len(letter) != 1 or not letter.isupper():
        raise ValueError(f"{where}.rccm_letter: {letter!r}")
    min_members = _optional_int(data["min_members"], f"{where}.min_members") or 0
    max_members = _optional_int(data["max_members"], f"{where}.max_members")
    if min_members < 1 or (max_members is not None and max_members < min_members):
        raise ValueError(f"{where}: members must be at least 1 and max not below min")
    allowed = _roles(data["allowed_roles"], f"{where}.allowed_roles")
    member_roles = _roles(data["member_roles"], f"{where}.member_roles")
    trader_roles = _roles(data["trader_roles"], f"{where}.trader_roles")
    required = tuple(
        _requirement(item, f"{where}.required_roles[{index}]")
        for index, item in enumerate(data["required_roles"])
    )
    board = _requirement(data["board"], f"{where}.board") if data["board"] else None
    used = member_roles | trader_roles | {r.role for r in required} | (
        {board.role} if board else set()
    )
    if not used <= allowed:
        raise ValueError(f"{where}: roles {sorted(used - allowed)} are not in allowed_roles")
    documents = tuple(data["documents"])
    unknown_documents = set(documents) - set(FORM_DOCUMENTS)
    if unknown_documents:
        raise ValueError(f"{where}.documents: unknown {sorted(unknown_documents)}")
    appraisal = data["in_kind_appraisal"]
    share = appraisal.get("above_capital_share") if appraisal else None
    return FormRules(
        code=code,
        rccm_letter=letter,
        capital=data["capital"],
        min_capital=_optional_int(data["min_capital"], f"{where}.min_capital") or 0,
        min_capital_public_offering=_optional_int(
            data["min_capital_public_offering"], f"{where}.min_capital_public_offering"
        ),
        min_share_nominal=_optional_int(data["min_share_nominal"], f"{where}.min_share_nominal"),
        share_kind=data["share_kind"],
        min_members=min_members,
        max_members=max_members,
        member_roles=member_roles,
        trader_roles=trader_roles,
        legal_person_members=bool(data["legal_person_members"]),
        skills_contributions=bool(data["skills_contributions"]),
        in_kind_appraisal=InKindAppraisal(
            above_amount=_optional_int(appraisal["above_amount"], f"{where}.in_kind_appraisal")
            or 0,
            above_capital_share=None if share is None else Decimal(str(share)),
        ) if appraisal else None,
        allowed_roles=allowed,
        required_roles=required,
        board=board,
        documents=documents,
    )


def _policy(data: dict) -> Policy:
    pairs: list[tuple[str, str]] = []
    for pair in data["incompatible_roles"]:
        _roles(pair, "defaults.incompatible_roles")
        if len(pair) != 2 or pair[0] == pair[1]:
            raise ValueError(f"defaults.incompatible_roles: {pair} must name two roles")
        pairs.append((str(pair[0]), str(pair[1])))
    return Policy(
        adult_age=int(data["adult_age"]),
        max_proposed_names=int(data["max_proposed_names"]),
        beneficial_owner_threshold_percent=Decimal(
            str(data["beneficial_owner_threshold_percent"])
        ),
        criminal_record_days=int(data["criminal_record_days"]),
        manager_roles=_roles(data["manager_roles"], "defaults.manager_roles"),
        incompatible_roles=tuple(pairs),
    )


def load_rules(path: Path = DATA_FILE) -> tuple[Policy, dict[str, FormRules]]:
    """Read and check the legal-forms data file; ImproperlyConfigured says what is wrong."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        policy = _policy(raw["defaults"])
        rules = {str(code): _form_rules(str(code), data) for code, data in raw["forms"].items()}
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ImproperlyConfigured(f"{path.name}: {error!r}") from error
    if set(rules) != set(LegalForm.values):
        raise ImproperlyConfigured(
            f"{path.name}: forms {sorted(rules)} differ from LegalForm {sorted(LegalForm.values)}"
        )
    return policy, {code: rules[code] for code in LegalForm.values}


# --- wording (translatable) ---------------------------------------------------------------


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

POLICY, RULES = load_rules()

# Every form can be filed online.
FILEABLE_FORMS = tuple(LegalForm)


def role_wording(legal_form: str, role: str) -> RoleWording:
    """How a role is named for a form ("actionnaire" in an SA, "associé" in a SARL)."""
    return ROLE_WORDING_BY_FORM.get((legal_form, role)) or ROLE_WORDING[role]


def member_wording(legal_form: str) -> RoleWording:
    """How the members of a form are named: associés, actionnaires, membres, exploitant."""
    roles = RULES[legal_form].member_roles
    role = next(iter(roles)) if len(roles) == 1 else Role.PARTNER
    return role_wording(legal_form, role)


# --- the facts of a filing ----------------------------------------------------------------


@dataclass(frozen=True)
class PersonFacts:
    """One person in a filing. ref is stable within the filing (a Party id, a form prefix)."""

    ref: str
    kind: str  # PersonKind: "natural" or "legal"
    full_name: str
    birth_date: date | None = None
    roles: AbstractSet[str] = frozenset()
    shares: int = 0
    cash_contribution: int = 0
    in_kind_contribution: int = 0
    skills_contribution: bool = False
    ownership_percent: Decimal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "ref", str(self.ref))
        object.__setattr__(self, "kind", str(self.kind))
        object.__setattr__(self, "roles", frozenset(str(role) for role in self.roles))
        if self.ownership_percent is not None and not isinstance(self.ownership_percent,
                                                                 Decimal):
            object.__setattr__(self, "ownership_percent", Decimal(str(self.ownership_percent)))

    @property
    def is_natural(self) -> bool:
        return self.kind == PersonKind.NATURAL

    @property
    def is_legal(self) -> bool:
        return self.kind == PersonKind.LEGAL


@dataclass(frozen=True)
class FilingFacts:
    """What the rules need to know about a filing, independent of models and forms."""

    legal_form: str
    capital: int | None = None
    share_count: int | None = None
    share_nominal: int | None = None
    people: Sequence[PersonFacts] = ()
    activity_code: str | None = None
    names: Sequence[str] = ()
    public_offering: bool = False  # appel public à l'épargne (SA only)

    def __post_init__(self) -> None:
        object.__setattr__(self, "legal_form", str(self.legal_form))
        object.__setattr__(self, "people", tuple(self.people))
        object.__setattr__(self, "names", tuple(self.names))
        refs = [person.ref for person in self.people]
        if len(set(refs)) != len(refs):
            raise ValueError(f"people have repeated refs: {refs}")


@dataclass(frozen=True)
class RuleViolation:
    field: str  # dotted path into FilingFacts: "capital", "people[2].roles", "names[1]"
    message: str  # French (or the active language), starting with the field's name


@dataclass(frozen=True)
class Requirement:
    code: str  # stable: "statuts", "piece_identite:<ref>"
    label: str
    party_ref: str | None = None
    later: bool = False  # due after registration (criminal-record extract within 75 days)


# --- formatting ---------------------------------------------------------------------------


def format_number(number: int) -> str:
    """1000000 -> "1 000 000" with no-break spaces."""
    return f"{number:,}".replace(",", NBSP)


def format_percent(value: Decimal) -> str:
    """Decimal("33.333") -> "33,33 %"; Decimal("50.00") -> "50 %"."""
    text = f"{value.quantize(CENT, rounding=ROUND_DOWN):f}".rstrip("0").rstrip(".")
    return f"{text.replace('.', ',')}{NBSP}%"


def lome_today() -> date:
    return datetime.now(TIME_ZONE).date()


def _age(birth_date: date, today: date) -> int:
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday


def _declared(count: int) -> str:
    if count == 0:
        return gettext("aucun déclaré")
    return ngettext("%(count)s déclaré", "%(count)s déclarés", count) % {
        "count": format_number(count)
    }


# --- validation ---------------------------------------------------------------------------


@dataclass
class _Check:
    facts: FilingFacts
    rules: FormRules
    today: date
    found: list[RuleViolation] = field(default_factory=list)

    def add(self, field_path: str, message: str) -> None:
        violation = RuleViolation(field_path, str(message))
        if violation not in self.found:
            self.found.append(violation)

    @property
    def form_name(self) -> str:
        return str(FORM_NAMES[self.rules.code])

    def name_of(self, index: int) -> str:
        name = " ".join(self.facts.people[index].full_name.split())
        return name or gettext("la personne n° %(number)s") % {"number": index + 1}

    def is_member(self, person: PersonFacts) -> bool:
        return bool(person.roles & self.rules.member_roles)

    def members(self) -> list[PersonFacts]:
        return [person for person in self.facts.people if self.is_member(person)]

    def shares(self) -> ShareText:
        return SHARE_TEXT[self.rules.share_kind]


def validate(facts: FilingFacts, *, today: date | None = None) -> list[RuleViolation]:
    """Every rule the filing breaks, each with the field it concerns and a message naming it.

    `today` defaults to the date in Lomé; an empty list means the filing is consistent.
    """
    rules = RULES.get(facts.legal_form)
    if rules is None:
        return [RuleViolation("legal_form", gettext(
            "Forme juridique : « %(code)s » n'est pas une forme juridique connue."
        ) % {"code": facts.legal_form})]
    check = _Check(facts=facts, rules=rules, today=today or lome_today())
    _check_people(check)
    _check_members(check)
    _check_required_roles(check)
    _check_capital(check)
    _check_beneficial_owners(check)
    _check_names(check)
    _check_activity(check)
    return check.found


def _check_people(check: _Check) -> None:
    rules, form = check.rules, check.rules.code
    natural_only = {req.role for req in rules.required_roles if req.natural_person}
    adult_roles = POLICY.manager_roles | rules.trader_roles
    for index, person in enumerate(check.facts.people):
        at = f"people[{index}]"
        name = check.name_of(index)
        if not person.full_name.strip():
            check.add(f"{at}.full_name", gettext(
                "Nom : le nom de la personne n° %(number)s est requis."
            ) % {"number": index + 1})
        if person.kind not in PersonKind.values:
            check.add(f"{at}.kind", gettext(
                "Nature : %(name)s doit être une personne physique ou une personne morale."
            ) % {"name": name})
        for role in sorted(person.roles - set(Role.values)):
            check.add(f"{at}.roles", gettext(
                "Fonctions : « %(role)s » n'est pas une fonction connue (%(name)s)."
            ) % {"role": role, "name": name})
        for role in sorted((person.roles & set(Role.values)) - rules.allowed_roles):
            check.add(f"{at}.roles", gettext(
                "Fonctions : « %(role)s » n'est pas une fonction prévue pour %(form)s (%(name)s)."
            ) % {"role": role_wording(form, role).bare, "form": check.form_name,
                 "name": name})
        for first, second in POLICY.incompatible_roles:
            if {first, second} <= person.roles:
                check.add(f"{at}.roles", gettext(
                    "Fonctions : %(name)s ne peut pas être à la fois %(first)s et %(second)s."
                ) % {"name": name, "first": role_wording(form, first).bare,
                     "second": role_wording(form, second).bare})
        if person.is_legal:
            barred_member = check.is_member(person) and not rules.legal_person_members
            if barred_member:
                check.add(f"{at}.kind", gettext(
                    "%(heading)s : %(form)s n'admet pas de personne morale (%(name)s)."
                ) % {"heading": member_wording(form).heading, "form": check.form_name,
                     "name": name})
            for role in sorted(person.roles & natural_only):
                if barred_member and role in rules.member_roles:
                    continue
                wording = role_wording(form, role)
                check.add(f"{at}.roles", gettext(
                    "%(heading)s : %(name)s est une personne morale et ne peut pas être "
                    "%(role)s ; une personne physique est requise."
                ) % {"heading": wording.heading, "name": name, "role": wording.bare})
            if Role.BENEFICIAL_OWNER in person.roles:
                check.add(f"{at}.roles", gettext(
                    "Bénéficiaires effectifs : %(name)s est une personne morale ; un "
                    "bénéficiaire effectif est toujours une personne physique."
                ) % {"name": name})
        if person.skills_contribution and not rules.skills_contributions:
            check.add(f"{at}.skills_contribution", gettext(
                "Apport en industrie : %(form)s n'admet pas d'apport en industrie (%(name)s)."
            ) % {"form": check.form_name, "name": name})
        adult_held = sorted(person.roles & adult_roles)
        if person.is_natural and adult_held:
            _check_adult(check, index, role_wording(form, adult_held[0]))


def _check_adult(check: _Check, index: int, wording: RoleWording) -> None:
    person, at, name = check.facts.people[index], f"people[{index}].birth_date", check.name_of(
        index)
    if person.birth_date is None:
        check.add(at, gettext(
            "Date de naissance : la date de naissance de %(name)s est requise."
        ) % {"name": name})
    elif person.birth_date > check.today:
        check.add(at, gettext(
            "Date de naissance : la date de naissance de %(name)s est dans le futur."
        ) % {"name": name})
    elif (age := _age(person.birth_date, check.today)) < POLICY.adult_age:
        check.add(at, gettext(
            "Date de naissance : %(name)s a %(age)s ans ; %(role)s doit être majeur "
            "(%(adult)s ans révolus)."
        ) % {"name": name, "age": age, "role": wording.one, "adult": POLICY.adult_age})


def _check_members(check: _Check) -> None:
    rules = check.rules
    wording = member_wording(rules.code)
    count = len(check.members())
    values = {"heading": wording.heading, "form": check.form_name, "one": wording.one,
              "many": wording.many, "min": rules.min_members, "max": rules.max_members,
              "declared": _declared(count)}
    if rules.max_members == 1 and count > 1:
        check.add("people", gettext(
            "%(heading)s : %(form)s n'a qu'un seul %(bare)s (%(declared)s)."
        ) % {**values, "bare": wording.bare})
    elif rules.max_members is not None and count > rules.max_members:
        check.add("people", gettext(
            "%(heading)s : %(form)s compte au plus %(max)s %(many)s (%(declared)s)."
        ) % values)
    elif count < rules.min_members:
        if rules.min_members == 1:
            message = gettext("%(heading)s : %(form)s compte au moins %(one)s (%(declared)s).")
        else:
            message = gettext(
                "%(heading)s : %(form)s compte au moins %(min)s %(many)s (%(declared)s)."
            )
        check.add("people", message % values)


def _holders(check: _Check, role: str) -> list[PersonFacts]:
    return [person for person in check.facts.people if role in person.roles]


def _check_required_roles(check: _Check) -> None:
    form = check.rules.code
    for requirement in check.rules.required_roles:
        if {requirement.role} == check.rules.member_roles:
            continue  # the EI's trader: _check_members already counts him
        wording = role_wording(form, requirement.role)
        holders = _holders(check, requirement.role)
        counted = [p for p in holders if p.is_natural] if requirement.natural_person else holders
        values = {"heading": wording.heading, "one": wording.one, "many": wording.many,
                  "min": requirement.min, "max": requirement.max, "form": check.form_name,
                  "declared": _declared(len(holders))}
        if len(counted) < requirement.min:
            if requirement.min == 1 and requirement.natural_person:
                message = gettext(
                    "%(heading)s : au moins %(one)s, personne physique, est requis."
                )
            elif requirement.min == 1:
                message = gettext("%(heading)s : au moins %(one)s est requis.")
            elif requirement.natural_person:
                message = gettext(
                    "%(heading)s : au moins %(min)s %(many)s, personnes physiques, sont requis."
                )
            else:
                message = gettext("%(heading)s : au moins %(min)s %(many)s sont requis.")
            check.add("people", message % values)
        if requirement.max is not None and len(holders) > requirement.max:
            if requirement.max == 1:
                message = gettext(
                    "%(heading)s : %(form)s n'a qu'%(one)s (%(declared)s)."
                )
            else:
                message = gettext(
                    "%(heading)s : %(form)s compte au plus %(max)s %(many)s (%(declared)s)."
                )
            check.add("people", message % values)
    board = check.rules.board
    if board is not None:
        count = len(_holders(check, board.role))
        too_many = board.max is not None and count > board.max
        if count and (count < board.min or too_many):
            wording = role_wording(form, board.role)
            check.add("people", gettext(
                "%(heading)s : %(form)s qui a un conseil compte de %(min)s à %(max)s "
                "%(many)s (%(declared)s)."
            ) % {"heading": wording.heading, "form": check.form_name, "min": board.min,
                 "max": board.max, "many": wording.many, "declared": _declared(count)})


def _check_capital(check: _Check) -> None:
    facts, rules = check.facts, check.rules
    if not rules.has_share_capital:
        if facts.capital or facts.share_count or facts.share_nominal:
            check.add("capital", gettext(
                "Capital social : %(form)s n'a pas de capital social."
            ) % {"form": check.form_name})
        return
    if facts.public_offering and rules.min_capital_public_offering is None:
        check.add("public_offering", gettext(
            "Appel public à l'épargne : %(form)s ne peut pas faire appel public à l'épargne."
        ) % {"form": check.form_name})
    capital = facts.capital
    if capital is not None and capital < 0:
        check.add("capital", gettext("Capital social : le montant ne peut pas être négatif."))
        return
    if not capital:
        if rules.capital == "required":
            check.add("capital", gettext(
                "Capital social : le capital est requis et doit être positif."
            ))
        return
    if facts.public_offering and rules.min_capital_public_offering is not None:
        if capital < rules.min_capital_public_offering:
            check.add("capital", gettext(
                "Capital social : %(form)s qui fait appel public à l'épargne doit avoir un "
                "capital d'au moins %(minimum)s."
            ) % {"form": check.form_name,
                 "minimum": format_fcfa(rules.min_capital_public_offering)})
    elif capital < rules.min_capital:
        check.add("capital", gettext(
            "Capital social : %(form)s doit avoir un capital d'au moins %(minimum)s."
        ) % {"form": check.form_name, "minimum": format_fcfa(rules.min_capital)})
    _check_shares(check, capital)
    _check_contributions(check, capital)


def _check_shares(check: _Check, capital: int) -> None:
    facts, rules, text = check.facts, check.rules, check.shares()
    count, nominal = facts.share_count, facts.share_nominal
    if count is None or count <= 0:
        check.add("share_count", str(text.count_required))
    if nominal is None or nominal <= 0:
        check.add("share_nominal", gettext(
            "Valeur nominale : la valeur nominale des %(plural)s est requise."
        ) % {"plural": text.plural})
    elif rules.min_share_nominal is not None and nominal < rules.min_share_nominal:
        check.add("share_nominal", gettext(
            "Valeur nominale : %(one)s doit valoir au moins %(minimum)s (%(nominal)s déclarés)."
        ) % {"one": text.one, "minimum": format_fcfa(rules.min_share_nominal),
             "nominal": format_fcfa(nominal)})
    if count and count > 0 and nominal and nominal > 0 and count * nominal != capital:
        check.add("capital", gettext(
            "Capital social : %(count)s %(plural)s de %(nominal)s font %(product)s, "
            "pas %(capital)s."
        ) % {"count": format_number(count), "plural": text.plural,
             "nominal": format_fcfa(nominal), "product": format_fcfa(count * nominal),
             "capital": format_fcfa(capital)})
    wording = member_wording(rules.code)
    held = sum(person.shares for person in check.members())
    if count and count > 0 and held != count:
        check.add("share_count", str(text.sum_mismatch) % {
            "members": wording.many, "total": format_number(held),
            "count": format_number(count),
        })
    for index, person in enumerate(facts.people):
        name = check.name_of(index)
        if person.shares < 0:
            check.add(f"people[{index}].shares", gettext(
                "%(heading)s : le nombre de %(plural)s de %(name)s ne peut pas être négatif."
            ) % {"heading": text.heading, "plural": text.plural, "name": name})
        elif check.is_member(person) and person.shares == 0 and not person.skills_contribution:
            check.add(f"people[{index}].shares", gettext(
                "%(heading)s : %(name)s ne détient aucune %(singular)s."
            ) % {"heading": text.heading, "name": name,
                 "singular": text.singular})
        elif not check.is_member(person) and person.shares > 0:
            check.add(f"people[{index}].shares", gettext(
                "%(heading)s : %(name)s détient des %(plural)s sans être %(member)s."
            ) % {"heading": text.heading, "name": name, "plural": text.plural,
                 "member": wording.bare})


def _check_contributions(check: _Check, capital: int) -> None:
    wording = member_wording(check.rules.code)
    total = 0
    for index, person in enumerate(check.facts.people):
        name = check.name_of(index)
        for attribute in ("cash_contribution", "in_kind_contribution"):
            amount = getattr(person, attribute)
            if amount < 0:
                check.add(f"people[{index}].{attribute}", gettext(
                    "Apports : l'apport de %(name)s ne peut pas être négatif."
                ) % {"name": name})
            elif amount and not check.is_member(person):
                check.add(f"people[{index}].{attribute}", gettext(
                    "Apports : %(name)s fait un apport sans être %(member)s."
                ) % {"name": name, "member": wording.bare})
            elif check.is_member(person):
                total += amount
    if total != capital:
        check.add("capital", gettext(
            "Capital social : les apports en numéraire et en nature (%(total)s) ne "
            "correspondent pas au capital de %(capital)s."
        ) % {"total": format_fcfa(total), "capital": format_fcfa(capital)})


def _check_beneficial_owners(check: _Check) -> None:
    facts, rules = check.facts, check.rules
    threshold = POLICY.beneficial_owner_threshold_percent
    members = check.members()
    total = facts.share_count if facts.share_count and facts.share_count > 0 else sum(
        max(person.shares, 0) for person in members
    )
    plural = check.shares().plural
    declared = Decimal(0)
    for index, person in enumerate(facts.people):
        at, name = f"people[{index}]", check.name_of(index)
        percent = person.ownership_percent
        if percent is not None:
            if not Decimal(0) < percent <= Decimal(100):
                check.add(f"{at}.ownership_percent", gettext(
                    "Bénéficiaires effectifs : le pourcentage de %(name)s doit être compris "
                    "entre 0 et 100 %% (%(percent)s déclarés)."
                ) % {"name": name, "percent": format_percent(percent)})
            elif Role.BENEFICIAL_OWNER in person.roles:
                declared += percent
        owns_directly = (rules.has_share_capital and person.is_natural and total > 0
                         and person.shares > 0 and person in members)
        if not owns_directly:
            continue
        direct = Decimal(person.shares * 100) / Decimal(total)
        if direct < threshold:
            continue
        values = {"name": name, "direct": format_percent(direct), "plural": plural}
        if Role.BENEFICIAL_OWNER not in person.roles:
            check.add(f"{at}.roles", gettext(
                "Bénéficiaires effectifs : %(name)s détient %(direct)s des %(plural)s et doit "
                "être déclaré bénéficiaire effectif."
            ) % values)
        elif percent is None:
            check.add(f"{at}.ownership_percent", gettext(
                "Bénéficiaires effectifs : indiquez le pourcentage détenu par %(name)s "
                "(au moins %(direct)s par ses %(plural)s)."
            ) % values)
        elif percent < direct.quantize(CENT, rounding=ROUND_DOWN):
            check.add(f"{at}.ownership_percent", gettext(
                "Bénéficiaires effectifs : %(name)s détient au moins %(direct)s par ses "
                "%(plural)s, pas %(declared)s."
            ) % {**values, "declared": format_percent(percent)})
    if declared > 100:
        check.add("people", gettext(
            "Bénéficiaires effectifs : les pourcentages déclarés totalisent %(total)s, "
            "plus de 100 %%."
        ) % {"total": format_percent(declared)})


def _check_names(check: _Check) -> None:
    names, most = check.facts.names, POLICY.max_proposed_names
    if not names:
        check.add("names", gettext("Dénominations : proposez au moins une dénomination."))
    elif len(names) > most:
        check.add("names", gettext(
            "Dénominations : proposez au plus %(max)s dénominations (%(count)s proposées)."
        ) % {"max": most, "count": len(names)})
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        clean = " ".join((name or "").split())
        if not clean:
            check.add(f"names[{index}]", gettext(
                "Dénominations : la dénomination n° %(number)s est vide."
            ) % {"number": index + 1})
            continue
        key = normalize(clean) or clean.casefold()
        if key in seen:
            check.add(f"names[{index}]", gettext(
                "Dénominations : « %(name)s » est la même dénomination que la n° %(other)s."
            ) % {"name": clean, "other": seen[key] + 1})
        else:
            seen[key] = index


def _check_activity(check: _Check) -> None:
    code = (check.facts.activity_code or "").strip()
    if not code:
        check.add("activity_code", gettext("Activité : choisissez l'activité principale."))
    elif reference.division_for(code) is None:
        check.add("activity_code", gettext(
            "Activité : « %(code)s » n'est pas un code de la CITI Rév. 4."
        ) % {"code": code})


# --- documents ----------------------------------------------------------------------------


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


def needs_in_kind_appraisal(facts: FilingFacts) -> bool:
    """Whether the in-kind contributions must be valued by a commissaire aux apports."""
    appraisal = RULES[facts.legal_form].in_kind_appraisal
    return appraisal is not None and appraisal.needed(
        (person.in_kind_contribution for person in facts.people), facts.capital
    )


def required_documents(facts: FilingFacts) -> list[Requirement]:
    """The documents the filing must include, company-level first, then person by person.

    Documents due after registration (the criminal-record extracts) come last, `later=True`.
    """
    rules = RULES[facts.legal_form]
    now: list[Requirement] = []
    for code in rules.documents:
        label = FORM_DOCUMENT_OVERRIDES.get((rules.code, code)) or FORM_DOCUMENTS[code]
        now.append(Requirement(code, str(label)))
    if needs_in_kind_appraisal(facts):
        now.append(Requirement("rapport_commissaire_apports",
                               gettext("Rapport du commissaire aux apports")))
    activity = reference.division_for(facts.activity_code or "")
    if activity is not None and activity.is_regulated(facts.activity_code.strip()):
        now.append(Requirement("autorisation_prealable", gettext(
            "Autorisation préalable pour l'activité réglementée : %(activity)s"
        ) % {"activity": activity.label}))
    later: list[Requirement] = []
    managing = POLICY.manager_roles | rules.trader_roles
    for person in facts.people:
        if person.is_natural and person.roles & managing:
            now.append(_person_document("piece_identite", person))
            now.append(_person_document("declaration_non_interdiction", person))
            later.append(_person_document("casier_judiciaire", person, later=True))
        elif person.is_legal and person.roles & (managing | rules.member_roles):
            now.append(_person_document("extrait_rccm", person))
            now.append(_person_document("pouvoir_representant", person))
    return now + later


def _person_document(code: str, person: PersonFacts, *, later: bool = False) -> Requirement:
    label = str(PERSON_DOCUMENTS[code]) % {
        "name": " ".join(person.full_name.split()) or person.ref,
        "days": POLICY.criminal_record_days,
    }
    return Requirement(f"{code}:{person.ref}", label, person.ref, later)
