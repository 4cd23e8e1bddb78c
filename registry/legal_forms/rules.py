"""The rules of the OHADA legal forms, as loaded from data/legal_forms.yaml.

The figures (minimum capital, numbers of members, roles, adult age, longest duration,
documents) are data, because a state may change them: this module reads and checks the data
file once and holds the result, POLICY (what does not depend on the form) and RULES (per
form). Every other module, the statutes and the screening check included, asks here; the
functions below and the modules of this package read POLICY here at each call (as
`rules.POLICY`), so rules swapped in a test reach every check at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import yaml
from django.core.exceptions import ImproperlyConfigured

from .choices import LegalForm, Role
from .wording import DEED_NAMES, FORM_DOCUMENTS, SHARE_TEXT

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "legal_forms.yaml"
# Ages are counted on the calendar of Lomé, whatever the server's time zone.
TIME_ZONE = ZoneInfo("Africa/Lome")
# The models of draft statutes registry/statutes writes: parts sociales with a gérance
# (SARL, SARLU), actions with a président (SAS, SASU).
STATUTES_MODELS = frozenset({"sarl", "sas"})


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
    statutes_model: str | None  # one of STATUTES_MODELS; None: no draft statutes

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
    max_duration_years: int
    manager_roles: frozenset[str]
    incompatible_roles: tuple[tuple[str, str], ...]


_FORM_KEYS = {
    "rccm_letter", "capital", "min_capital", "min_capital_public_offering",
    "min_share_nominal", "share_kind", "min_members", "max_members", "member_roles",
    "trader_roles", "legal_person_members", "skills_contributions", "in_kind_appraisal",
    "allowed_roles", "required_roles", "board", "documents", "statutes_model",
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
    statutes_model = data["statutes_model"]
    if statutes_model is not None and (
        statutes_model not in STATUTES_MODELS or "statuts" not in documents
        or code not in DEED_NAMES
    ):
        raise ValueError(f"{where}.statutes_model: {statutes_model!r} needs a model of "
                         f"{sorted(STATUTES_MODELS)}, the statuts document and a deed name")
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
        statutes_model=statutes_model,
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
        max_duration_years=int(data["max_duration_years"]),
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


POLICY, RULES = load_rules()

# Every form can be filed online.
FILEABLE_FORMS = tuple(LegalForm)


def statutes_forms() -> tuple[str, ...]:
    """The forms the registry drafts statutes for, in the order of LegalForm."""
    return tuple(code for code, rules in RULES.items() if rules.statutes_model)


def lome_today() -> date:
    return datetime.now(TIME_ZONE).date()


def age_on(birth_date: date, today: date) -> int:
    """Years completed on `today` by someone born on `birth_date`."""
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday


def is_adult(birth_date: date, today: date) -> bool:
    """Whether someone born on `birth_date` has reached POLICY.adult_age on `today`."""
    return age_on(birth_date, today) >= POLICY.adult_age


def managing_roles(legal_form: str) -> frozenset[str]:
    """The roles whose holders run the business in this form, as far as the filing goes:
    POLICY.manager_roles and the members who are traders by law (SNC partners...). They
    must be adults and file an identity document and a sworn statement."""
    return POLICY.manager_roles | RULES[legal_form].trader_roles


def manages(roles: Iterable[str]) -> bool:
    """Whether one of these roles manages a company (POLICY.manager_roles, whatever the
    form): the screening check looks its holder up in the list of people barred from
    managing."""
    return bool(set(roles) & POLICY.manager_roles)
