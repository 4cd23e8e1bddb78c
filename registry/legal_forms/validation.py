"""Validation: what is wrong with a filing, field by field, under the rules of its form.

`validate(facts)` judges a whole filing; `validate_structure(facts)` only its members,
officers and capital, which is what the draft statutes state. Figures come from rules.py
(read at call time through `loaded`, so a changed rule reaches every check), words from
wording.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.utils.translation import gettext, ngettext

from .. import reference
from ..names import normalize
from . import rules as loaded
from .choices import PersonKind, Role
from .facts import FilingFacts, PersonFacts, RuleViolation
from .rules import FormRules
from .wording import (
    CENT,
    FORM_NAMES,
    SHARE_TEXT,
    RoleWording,
    ShareText,
    format_fcfa,
    format_number,
    format_percent,
    role_wording,
)


def member_wording(legal_form: str) -> RoleWording:
    """How the members of a form are named: associés, actionnaires, membres, exploitant."""
    roles = loaded.RULES[legal_form].member_roles
    role = next(iter(roles)) if len(roles) == 1 else Role.PARTNER
    return role_wording(legal_form, role)


def _declared(count: int) -> str:
    if count == 0:
        return gettext("aucun déclaré")
    return ngettext("%(count)s déclaré", "%(count)s déclarés", count) % {
        "count": format_number(count)
    }


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
    rules = loaded.RULES.get(facts.legal_form)
    if rules is None:
        return [RuleViolation("legal_form", gettext(
            "Forme juridique : « %(code)s » n'est pas une forme juridique connue."
        ) % {"code": facts.legal_form})]
    check = _Check(facts=facts, rules=rules, today=today or loaded.lome_today())
    _check_people(check)
    _check_structure(check)
    _check_beneficial_owners(check)
    _check_names(check)
    _check_activity(check)
    return check.found


def validate_structure(facts: FilingFacts) -> list[RuleViolation]:
    """The rules on the members, the officers the form requires and the capital alone: what
    articles of association state. The draft statutes are checked with it, so they refuse
    what the filing refuses; validate() runs the same checks with the others."""
    rules = loaded.RULES.get(facts.legal_form)
    if rules is None:
        return validate(facts)
    check = _Check(facts=facts, rules=rules, today=loaded.lome_today())
    _check_structure(check)
    return check.found


def _check_structure(check: _Check) -> None:
    _check_members(check)
    _check_required_roles(check)
    _check_capital(check)


def _check_people(check: _Check) -> None:
    rules, form = check.rules, check.rules.code
    natural_only = {req.role for req in rules.required_roles if req.natural_person}
    adult_roles = loaded.managing_roles(form)
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
        for first, second in loaded.POLICY.incompatible_roles:
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
    elif (age := loaded.age_on(person.birth_date, check.today)) < loaded.POLICY.adult_age:
        check.add(at, gettext(
            "Date de naissance : %(name)s a %(age)s ans ; %(role)s doit être majeur "
            "(%(adult)s ans révolus)."
        ) % {"name": name, "age": age, "role": wording.one,
             "adult": loaded.POLICY.adult_age})


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
    mismatch = shares_capital_mismatch(rules.code, capital=capital, share_count=count,
                                       share_nominal=nominal)
    if mismatch:
        check.add("capital", mismatch)
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


def shares_capital_mismatch(legal_form: str, *, capital: int | None, share_count: int | None,
                            share_nominal: int | None) -> str | None:
    """What is wrong when share_count shares of share_nominal do not make the capital; None
    when they do or a figure is still missing (the filing's capital form says it too)."""
    if not (capital and share_count and share_count > 0 and share_nominal
            and share_nominal > 0) or share_count * share_nominal == capital:
        return None
    return gettext(
        "Capital social : %(count)s %(plural)s de %(nominal)s font %(product)s, "
        "pas %(capital)s."
    ) % {"count": format_number(share_count),
         "plural": SHARE_TEXT[loaded.RULES[legal_form].share_kind].plural,
         "nominal": format_fcfa(share_nominal),
         "product": format_fcfa(share_count * share_nominal),
         "capital": format_fcfa(capital)}


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
    threshold = loaded.POLICY.beneficial_owner_threshold_percent
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
    names, most = check.facts.names, loaded.POLICY.max_proposed_names
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
