"""The articles both families share, up to the decisions: the preamble, the company's
form, object, name, seat and duration (title I), contributions, capital and titles (title
II), and how partners decide. What differs by family comes from form.family."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..legal_forms import format_fcfa, format_number
from .facts import StatutesFacts
from .family import DeedForm
from .phrases import ACT, capitalized, contribution_sentence, partner_identity
from .writer import Writer


def preamble(w: Writer, facts: StatutesFacts, form: DeedForm) -> None:
    w.centered(facts.company_name, bold=True, size=16)
    if facts.acronym.strip():
        w.centered(_("Sigle : %(acronym)s") % {"acronym": facts.acronym})
    w.centered(_("%(form)s (%(code)s) au capital de %(capital)s")
               % {"form": capitalized(form.name), "code": form.code,
                  "capital": format_fcfa(facts.capital)})
    w.centered(_("Siège social : %(office)s") % {"office": facts.registered_office.text()})
    w.heading_title(_("STATUTS"))
    if form.sole:
        w.para(_("Le soussigné :"), bold=True)
    else:
        w.para(_("Les soussignés :"), bold=True)
    for partner in facts.partners:
        w.bullet(partner_identity(partner) + " ;")
    if form.sole:
        w.para(_(
            "a établi ainsi qu'il suit les statuts de la %(form)s (%(code)s) dont il sera "
            "l'associé unique."
        ) % {"form": form.name, "code": form.code})
    else:
        w.para(_(
            "ont établi ainsi qu'il suit les statuts de la %(form)s (%(code)s) qu'ils sont "
            "convenus de constituer entre eux."
        ) % {"form": form.name, "code": form.code})


def general(w: Writer, facts: StatutesFacts, form: DeedForm) -> None:
    w.titre(_("FORME – OBJET – DÉNOMINATION – SIÈGE – DURÉE"))

    w.article(_("Forme"))
    law = {"form": form.name, "code": form.code, "act": ACT}
    if form.sole:
        w.para(_(
            "Il est formé par le soussigné, associé unique, une %(form)s (%(code)s) régie par "
            "%(act)s, par les autres dispositions légales et réglementaires en vigueur en "
            "République togolaise et par les présents statuts."
        ) % law)
        w.para(_(
            "L'associé unique n'est responsable des dettes sociales qu'à concurrence de son "
            "apport. La société pourra compter plusieurs associés, par l'effet d'une cession "
            "ou d'une transmission de titres ou d'une augmentation de capital, sans que cela "
            "entraîne la création d'une personne morale nouvelle."
        ))
    else:
        w.para(form.family.constitution % law)
        w.para(_(
            "Les associés ne sont responsables des dettes sociales qu'à concurrence de leurs "
            "apports."
        ))
    for clause in form.family.form_clauses:
        w.para(clause)

    w.article(_("Objet"))
    w.para(_("La société a pour objet, en République togolaise et à l'étranger :"))
    lines = [line.strip(" -•\t") for line in re.split(r"\r\n|\r|\n", facts.business_purpose)]
    for line in (line for line in lines if line):
        w.bullet(line)
    w.para(_(
        "Et, plus généralement, toutes opérations commerciales, industrielles, financières, "
        "mobilières ou immobilières se rattachant directement ou indirectement à cet objet ou "
        "à tout objet similaire ou connexe, de nature à en favoriser la réalisation ou le "
        "développement."
    ))

    w.article(_("Dénomination"))
    w.para(_("La société a pour dénomination sociale : « %(name)s ».")
           % {"name": facts.company_name})
    if facts.acronym.strip():
        w.para(_("Son sigle est : « %(acronym)s ».") % {"acronym": facts.acronym})
    if facts.trade_name.strip():
        w.para(_("Elle exerce son activité sous le nom commercial « %(trade_name)s ».")
               % {"trade_name": facts.trade_name})
    w.para(_(
        "Dans tous les actes, factures, annonces, publications et autres documents émanant de "
        "la société et destinés aux tiers, la dénomination sociale doit être précédée ou "
        "suivie immédiatement, en caractères lisibles, des mots « %(form)s » ou du sigle "
        "« %(code)s », de l'énonciation du montant du capital social, de l'adresse du siège "
        "social et de la mention de son immatriculation au Registre du commerce et du crédit "
        "mobilier."
    ) % {"form": form.name, "code": form.code})

    w.article(_("Siège social"))
    w.para(_("Le siège social est fixé à : %(office)s.")
           % {"office": facts.registered_office.text()})
    w.para(form.family.seat_transfer_sole if form.sole else form.family.seat_transfer)

    w.article(_("Durée"))
    w.para(ngettext(
        "La durée de la société est fixée à %(years)s année à compter de la date de son "
        "immatriculation au Registre du commerce et du crédit mobilier, sauf dissolution "
        "anticipée ou prorogation.",
        "La durée de la société est fixée à %(years)s années à compter de la date de son "
        "immatriculation au Registre du commerce et du crédit mobilier, sauf dissolution "
        "anticipée ou prorogation.",
        facts.duration_years,
    ) % {"years": facts.duration_years})
    if form.sole:
        w.para(_(
            "Un an au moins avant la date d'expiration de la société, l'associé unique décide "
            "s'il y a lieu de la proroger."
        ))
    else:
        w.para(_(
            "Un an au moins avant la date d'expiration de la société, les associés sont "
            "consultés à l'effet de décider si elle doit être prorogée."
        ))


def capital(w: Writer, facts: StatutesFacts, form: DeedForm) -> None:
    w.titre(_("APPORTS – CAPITAL SOCIAL – %(titles)s")
            % {"titles": str(form.family.titles_word).upper()})

    w.article(_("Apports"))
    if form.sole:
        w.para(_("L'associé unique fait apport à la société, savoir :"))
    else:
        w.para(_("Les soussignés font apport à la société, savoir :"))
    for partner in facts.partners:
        w.bullet(contribution_sentence(partner))
    cash = sum(partner.cash_contribution for partner in facts.partners)
    in_kind = sum(partner.in_kind_contribution for partner in facts.partners)
    w.para(_("Total des apports : %(total)s") % {"total": format_fcfa(cash + in_kind)},
           bold=True)
    if cash and in_kind:
        w.para(_("soit %(cash)s d'apports en numéraire et %(in_kind)s d'apports en nature.")
               % {"cash": format_fcfa(cash), "in_kind": format_fcfa(in_kind)})
    if cash:
        if facts.funds_depositary.strip():
            w.para(_(
                "Les apports en numéraire, soit %(amount)s, ont été intégralement libérés et "
                "déposés, pour le compte de la société en formation, auprès de "
                "%(depositary)s, ainsi qu'il résulte du certificat du dépositaire."
            ) % {"amount": format_fcfa(cash), "depositary": facts.funds_depositary})
        else:
            w.para(_(
                "Les apports en numéraire, soit %(amount)s, ont été intégralement libérés et "
                "déposés, pour le compte de la société en formation, auprès d'un notaire ou "
                "d'un établissement de crédit, ainsi qu'il résulte du certificat du "
                "dépositaire."
            ) % {"amount": format_fcfa(cash)})
    if in_kind:
        w.para(_(
            "Les apports en nature ont été évalués dans les conditions prévues par l'Acte "
            "uniforme, au vu, lorsqu'il est requis, du rapport d'un commissaire aux apports "
            "annexé aux présentes."
        ))

    w.article(_("Capital social"))
    w.para(_("Le capital social est fixé à la somme de %(capital)s.")
           % {"capital": format_fcfa(facts.capital)})
    division = {"titles": form.family.titles(facts.share_count),
                "nominal": format_fcfa(facts.share_nominal),
                "count": format_number(facts.share_count)}
    if form.sole:
        w.para(ngettext(
            "Il est divisé en %(titles)s de %(nominal)s, portant le numéro %(count)s, entièrement "
            "souscrite et libérée, attribuée en totalité à l'associé unique, "
            "%(partner)s, en rémunération de son apport.",
            "Il est divisé en %(titles)s de %(nominal)s chacune, numérotées de 1 à %(count)s, "
            "entièrement souscrites et libérées, attribuées en totalité à l'associé unique, "
            "%(partner)s, en rémunération de son apport.",
            facts.share_count,
        ) % {**division, "partner": facts.partners[0].full_name})
    else:
        w.para(_(
            "Il est divisé en %(titles)s de %(nominal)s chacune, numérotées de 1 à %(count)s, "
            "entièrement souscrites et libérées, attribuées aux associés en proportion de "
            "leurs apports, savoir :"
        ) % division)
        first = 1
        for partner in facts.partners:
            last = first + partner.shares - 1
            if partner.shares == 1:
                text = _("%(name)s : %(titles)s, portant le numéro %(first)s ;")
            else:
                text = _("%(name)s : %(titles)s, numérotées de %(first)s à %(last)s ;")
            w.bullet(text % {"name": partner.full_name,
                             "titles": form.family.titles(partner.shares),
                             "first": format_number(first), "last": format_number(last)})
            first = last + 1
        w.para(_("Total : %(titles)s.") % {"titles": form.family.titles(facts.share_count)},
               bold=True)
        w.para(_(
            "Les associés déclarent que ces %(titles)s ont été réparties entre eux dans les "
            "proportions indiquées ci-dessus et qu'elles sont intégralement libérées."
        ) % {"titles": form.family.titles_word})
    for clause in form.family.registered_titles:
        w.para(clause)

    w.article(_("Modification du capital social"))
    w.para(form.family.capital_change_sole if form.sole else form.family.capital_change)

    w.article(_("Droits attachés aux %(titles)s") % {"titles": form.family.titles_word})
    w.para(form.family.rights)
    if form.sole:
        w.para(_("La propriété d'un titre emporte de plein droit adhésion aux présents "
                 "statuts."))
    else:
        w.para(_("La propriété d'un titre emporte de plein droit adhésion aux présents statuts "
                 "et aux décisions collectives régulièrement prises par les associés."))

    form.family.write_transfer(w, form)


def decisions(w: Writer, facts: StatutesFacts, form: DeedForm) -> None:
    if form.sole:
        w.titre(_("DÉCISIONS DE L'ASSOCIÉ UNIQUE"))
        w.article(_("Décisions de l'associé unique"))
        w.para(_(
            "L'associé unique exerce les pouvoirs que l'Acte uniforme et les présents statuts "
            "attribuent à la collectivité des associés. Il ne peut les déléguer."
        ))
        w.para(form.family.sole_decisions)
        w.para(_(
            "Les décisions de l'associé unique sont prises par écrit et répertoriées dans un "
            "registre coté et paraphé, tenu au siège social. Celles qui donneraient lieu à "
            "publicité légale si elles étaient prises par une collectivité d'associés sont "
            "publiées dans les mêmes formes."
        ))
        w.para(_(
            "L'associé unique a le droit, à toute époque, d'obtenir communication des "
            "documents sociaux dans les conditions prévues par l'Acte uniforme."
        ))
        return

    w.titre(_("DÉCISIONS COLLECTIVES DES ASSOCIÉS"))
    form.family.write_collective_decisions(w)
    w.article(_("Procès-verbaux et information des associés"))
    w.para(_(
        "Les décisions collectives sont constatées par des procès-verbaux établis sur un "
        "registre spécial coté et paraphé, tenu au siège social. Tout associé a le droit, à "
        "toute époque, d'obtenir communication des documents sociaux dans les conditions "
        "prévues par l'Acte uniforme."
    ))
