"""Whether the facts can be drafted into statutes, and as which form.

The legal-form rules (members, the officers the form requires, capital, shares and
contributions) are the filing's own, from registry.legal_forms.validate_structure: the
statutes refuse what the filing refuses, with the same message, and follow the rules when
the data file changes. Checked here is only what the deed itself needs: names and places to
print, officers its model can appoint, contributions that match each partner's titles.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..legal_forms import (
    DEED_NAMES,
    RULES,
    FilingFacts,
    FormRules,
    PersonFacts,
    PersonKind,
    format_fcfa,
    statutes_forms,
    validate_structure,
)
from ..legal_forms import rules as legal_rules
from . import sarl, sas
from .facts import StatutesFacts
from .family import DeedForm, Family

FAMILIES = {family.model: family for family in (sarl.FAMILY, sas.FAMILY)}
# The officers a deed may name, whatever its family; others are unknown to the statutes.
OFFICER_ROLES = frozenset().union(*(family.officer_roles for family in FAMILIES.values()))


def statutes_form(facts: StatutesFacts) -> DeedForm:
    """The form the statutes are drafted for, the filing's own, once the facts are known to
    be consistent; ValueError, in the user's language, says what is missing or wrong."""
    code = (facts.legal_form or "").strip().upper()
    rules = RULES.get(code)
    if rules is None or rules.statutes_model is None:
        raise ValueError(_(
            "Forme juridique non prise en charge : « %(form)s ». Les statuts ne peuvent être "
            "rédigés que pour : %(forms)s."
        ) % {"form": facts.legal_form, "forms": ", ".join(statutes_forms())})
    family = FAMILIES[rules.statutes_model]
    _check_identity(facts)
    _check_officers(facts, code, family)
    broken = validate_structure(_filing_facts(facts, rules))
    if broken:
        raise ValueError(broken[0].message)
    _check_contributions(facts)
    return DeedForm(code=code, name=DEED_NAMES[code], family=family,
                    sole=len(facts.partners) == 1)


def _filing_facts(facts: StatutesFacts, rules: FormRules) -> FilingFacts:
    """The statutes' facts as the legal-form rules read them: the partners as members, each
    officer's role on the partner of the same name or on a natural person of their own."""
    people = [{"ref": f"partner-{index}",
               "kind": PersonKind.LEGAL if partner.is_legal_person else PersonKind.NATURAL,
               "full_name": partner.full_name, "roles": set(rules.member_roles),
               "shares": partner.shares, "cash_contribution": partner.cash_contribution,
               "in_kind_contribution": partner.in_kind_contribution}
              for index, partner in enumerate(facts.partners)]
    by_name = {person["full_name"].strip().casefold(): person for person in people}
    for index, officer in enumerate(facts.officers):
        key = officer.full_name.strip().casefold()
        if key not in by_name:
            by_name[key] = {"ref": f"officer-{index}", "kind": PersonKind.NATURAL,
                            "full_name": officer.full_name, "roles": set()}
            people.append(by_name[key])
        by_name[key]["roles"].add(officer.role)
    return FilingFacts(legal_form=rules.code, capital=facts.capital,
                       share_count=facts.share_count, share_nominal=facts.share_nominal,
                       people=[PersonFacts(**person) for person in people])


def _check_identity(facts: StatutesFacts) -> None:
    required = {
        _("la dénomination sociale"): facts.company_name,
        _("l'objet social"): facts.business_purpose,
        _("l'adresse du siège social"): facts.registered_office.address,
        _("la ville du siège social"): facts.registered_office.city,
        _("la ville de signature"): facts.city_of_signature,
        _("la date de clôture de l'exercice"): facts.financial_year_end,
    }
    for label, value in required.items():
        if not (value or "").strip():
            raise ValueError(_("Les statuts doivent indiquer %(what)s.") % {"what": label})
    longest = legal_rules.POLICY.max_duration_years
    if not 1 <= facts.duration_years <= longest:
        raise ValueError(_(
            "La durée de la société doit être comprise entre 1 et %(max)s ans."
        ) % {"max": longest})
    if facts.original_count is not None and facts.original_count < 1:
        raise ValueError(_("Le nombre d'exemplaires originaux doit être d'au moins un."))
    for partner in facts.partners:
        if not partner.full_name.strip():
            raise ValueError(_("Le nom de chaque associé doit être indiqué."))
        if partner.is_legal_person and not partner.representative.strip():
            raise ValueError(_(
                "L'associé « %(name)s » est une personne morale : indiquez la personne "
                "qui la représente."
            ) % {"name": partner.full_name})


def _check_officers(facts: StatutesFacts, code: str, family: Family) -> None:
    for officer in facts.officers:
        if officer.role not in OFFICER_ROLES:
            raise ValueError(_("Fonction de dirigeant inconnue : « %(role)s ».")
                             % {"role": officer.role})
        if not officer.full_name.strip():
            raise ValueError(_("Le nom de chaque dirigeant doit être indiqué."))
    if any(officer.role not in family.officer_roles for officer in facts.officers):
        raise ValueError(family.officers_refused % {"form": code})
    if facts.officer_term_years is not None and facts.officer_term_years < 1:
        raise ValueError(_("La durée du mandat des dirigeants doit être d'au moins un an."))


def _check_contributions(facts: StatutesFacts) -> None:
    # Each partner's titles are numbered against their own contributions in the deed.
    for partner in facts.partners:
        if partner.in_kind_contribution and not partner.in_kind_description.strip():
            raise ValueError(_(
                "L'apport en nature de « %(name)s » doit être décrit."
            ) % {"name": partner.full_name})
        if partner.in_kind_description.strip() and not partner.in_kind_contribution:
            raise ValueError(_(
                "L'apport en nature de « %(name)s » doit être évalué en FCFA."
            ) % {"name": partner.full_name})
        if partner.contribution != partner.shares * facts.share_nominal:
            raise ValueError(_(
                "Les apports de « %(name)s » (%(contribution)s) ne correspondent pas à la "
                "valeur nominale de ses titres (%(value)s)."
            ) % {"name": partner.full_name,
                 "contribution": format_fcfa(partner.contribution),
                 "value": format_fcfa(partner.shares * facts.share_nominal)})
