"""Phrases the articles of either family share: dates as deeds write them, people with
their identity, terms of office, contributions, and the Act the company is governed by."""

from __future__ import annotations

import datetime as dt

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, override

from ..legal_forms import format_fcfa
from .facts import StatutesFacts, StatutesOfficer, StatutesPartner


def long_date(value: dt.date) -> str:
    """A date as French deeds write it: "1er mars 2026", "14 mars 2026"."""
    with override("fr"):
        text = formats.date_format(value, "j F Y")
    return "1er" + text[1:] if value.day == 1 else text


def term(facts: StatutesFacts) -> str:
    if facts.officer_term_years is None:
        return _("pour une durée illimitée")
    return ngettext("pour une durée de %(years)s an", "pour une durée de %(years)s ans",
                    facts.officer_term_years) % {"years": facts.officer_term_years}


def person(officer: StatutesOfficer) -> str:
    if officer.address.strip():
        return _("%(name)s, demeurant à %(address)s") % {"name": officer.full_name,
                                                         "address": officer.address}
    return officer.full_name


def partner_identity(partner: StatutesPartner) -> str:
    if partner.is_legal_person:
        parts = [partner.full_name]
        if partner.nationality.strip():
            parts.append(_("de nationalité %(nationality)s")
                         % {"nationality": lower_first(partner.nationality)})
        if partner.id_document.strip():
            parts.append(_("immatriculée sous le numéro %(number)s")
                         % {"number": partner.id_document})
        if partner.address.strip():
            parts.append(_("dont le siège est situé à %(address)s")
                         % {"address": partner.address})
        parts.append(_("représentée par %(representative)s")
                     % {"representative": partner.representative})
        return ", ".join(parts)
    parts = [partner.full_name]
    if partner.birth_date and partner.birth_place.strip():
        parts.append(_("né(e) le %(date)s à %(place)s")
                     % {"date": long_date(partner.birth_date), "place": partner.birth_place})
    elif partner.birth_date:
        parts.append(_("né(e) le %(date)s") % {"date": long_date(partner.birth_date)})
    if partner.nationality.strip():
        parts.append(_("de nationalité %(nationality)s")
                     % {"nationality": lower_first(partner.nationality)})
    if partner.id_document.strip():
        parts.append(_("titulaire de la pièce d'identité n° %(number)s")
                     % {"number": partner.id_document})
    if partner.address.strip():
        parts.append(_("demeurant à %(address)s") % {"address": partner.address})
    return ", ".join(parts)


def lower_first(text: str) -> str:
    text = text.strip()
    return text[:1].lower() + text[1:]


def officers_as(facts: StatutesFacts, role: str) -> list[StatutesOfficer]:
    return [officer for officer in facts.officers if officer.role == role]


def capitalized(text: str) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


ACT = gettext_lazy(
    "l'Acte uniforme relatif au droit des sociétés commerciales et du groupement d'intérêt "
    "économique, révisé le 30 janvier 2014"
)


def contribution_sentence(partner: StatutesPartner) -> str:
    values = {"name": partner.full_name, "cash": format_fcfa(partner.cash_contribution),
              "description": partner.in_kind_description.strip().rstrip("."),
              "value": format_fcfa(partner.in_kind_contribution),
              "total": format_fcfa(partner.contribution)}
    if partner.cash_contribution and partner.in_kind_contribution:
        return _(
            "%(name)s apporte à la société la somme de %(cash)s en numéraire et, en nature, "
            "%(description)s, pour une valeur de %(value)s, soit un apport total de "
            "%(total)s."
        ) % values
    if partner.in_kind_contribution:
        return _(
            "%(name)s apporte à la société, en nature, %(description)s, pour une valeur de "
            "%(value)s."
        ) % values
    return _("%(name)s apporte à la société la somme de %(cash)s en numéraire.") % values
