"""The SARL family of statutes (SARL, SARLU): parts sociales, a gérance of one or more
natural persons, collective decisions in meetings with the Act's majorities."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..legal_forms import Role, format_number
from .facts import StatutesFacts
from .family import DeedForm, Family
from .phrases import officers_as, person, term
from .writer import Writer


def _titles(count: int) -> str:
    return ngettext("%(count)s part sociale", "%(count)s parts sociales", count) % {
        "count": format_number(count)}


def _management(w: Writer, facts: StatutesFacts, form: DeedForm) -> None:
    w.titre(_("GÉRANCE"))
    managers = officers_as(facts, Role.MANAGER)
    plural = len(managers) > 1

    w.article(_("Nomination des gérants"))
    w.para(_("La société est gérée par un ou plusieurs gérants, personnes physiques, associés "
             "ou non."))
    if form.sole:
        w.para(_("Les gérants sont nommés par l'associé unique."))
    else:
        w.para(_("Les gérants sont nommés par décision des associés représentant plus de la "
                 "moitié des parts sociales."))
    w.para(ngettext("Est nommé premier gérant de la société, %(term)s :",
                    "Sont nommés premiers gérants de la société, %(term)s :",
                    len(managers)) % {"term": term(facts)})
    for manager in managers:
        w.bullet(person(manager) + ".")
    w.para(ngettext(
        "Le gérant ainsi nommé déclare accepter ces fonctions et n'être frappé d'aucune "
        "interdiction, incompatibilité ou déchéance de nature à l'empêcher de les exercer.",
        "Les gérants ainsi nommés déclarent accepter ces fonctions et n'être frappés d'aucune "
        "interdiction, incompatibilité ou déchéance de nature à les empêcher de les exercer.",
        len(managers),
    ))

    w.article(_("Pouvoirs de la gérance"))
    w.para(_(
        "Dans les rapports entre associés, le gérant peut faire tous les actes de gestion "
        "dans l'intérêt de la société. Dans les rapports avec les tiers, il est investi des "
        "pouvoirs les plus étendus pour agir en toute circonstance au nom de la société, sous "
        "réserve des pouvoirs que l'Acte uniforme attribue expressément aux associés. La "
        "société est engagée même par les actes du gérant qui ne relèvent pas de l'objet "
        "social, à moins qu'elle ne prouve que le tiers savait que l'acte dépassait cet objet "
        "ou qu'il ne pouvait l'ignorer compte tenu des circonstances. Les clauses statutaires "
        "limitant ces pouvoirs sont inopposables aux tiers."
    ))
    if plural:
        w.para(_(
            "Les gérants disposent chacun séparément de ces pouvoirs ; l'opposition formée par "
            "un gérant aux actes d'un autre gérant est sans effet à l'égard des tiers, à moins "
            "qu'il ne soit établi qu'ils en ont eu connaissance."
        ))

    w.article(_("Révocation et rémunération des gérants"))
    if form.sole:
        w.para(_(
            "Le gérant est révocable par décision de l'associé unique. Si la révocation est "
            "décidée sans juste motif, elle peut donner lieu à dommages et intérêts."
        ))
        w.para(_("La rémunération du gérant est fixée par décision de l'associé unique. Le "
                 "gérant a droit au remboursement, sur justificatifs, des frais exposés dans "
                 "l'intérêt de la société."))
    else:
        w.para(_(
            "Le gérant est révocable par décision des associés représentant plus de la moitié "
            "des parts sociales. Si la révocation est décidée sans juste motif, elle peut "
            "donner lieu à dommages et intérêts. Le gérant est également révocable par la "
            "juridiction compétente, pour cause légitime, à la demande de tout associé."
        ))
        w.para(_("La rémunération du gérant est fixée par décision collective ordinaire des "
                 "associés. Le gérant a droit au remboursement, sur justificatifs, des frais "
                 "exposés dans l'intérêt de la société."))

    w.article(_("Conventions entre la société et ses gérants ou associés"))
    w.para(_(
        "Toute convention intervenant, directement ou par personne interposée, entre la "
        "société et l'un de ses gérants ou associés est soumise au contrôle prévu par l'Acte "
        "uniforme."
    ))


def _transfer_of_parts(w: Writer, form: DeedForm) -> None:
    w.article(_("Cession et transmission des parts sociales"))
    w.para(_(
        "La cession des parts sociales doit être constatée par écrit. Elle n'est opposable à "
        "la société qu'après lui avoir été signifiée par exploit d'huissier ou notifiée par "
        "tout moyen permettant d'établir sa réception effective, ou après son acceptation "
        "par la société dans un acte authentique, ou après le dépôt d'un original de l'acte "
        "de cession au siège social contre remise par la gérance d'une attestation de dépôt. "
        "Elle n'est opposable aux tiers qu'après l'accomplissement de l'une de ces formalités "
        "et sa publicité au Registre du commerce et du crédit mobilier."
    ))
    if form.sole:
        w.para(_(
            "Tant que la société ne compte qu'un associé, les parts sociales sont librement "
            "cessibles et transmissibles. Dès qu'elle compte plusieurs associés, la cession "
            "de parts sociales à des tiers étrangers à la société est soumise à l'agrément des "
            "associés dans les conditions prévues par l'Acte uniforme."
        ))
        w.para(_(
            "Le décès de l'associé unique n'entraîne pas la dissolution de la société, qui "
            "continue avec ses héritiers ou légataires."
        ))
        return
    w.para(_("Les parts sociales sont librement cessibles entre associés."))
    w.para(_(
        "Elles ne peuvent être cédées à des tiers étrangers à la société qu'avec le "
        "consentement de la majorité des associés représentant au moins les trois quarts des "
        "parts sociales, déduction faite des parts de l'associé cédant (agrément)."
    ))
    w.para(_(
        "Le projet de cession est notifié à la société et à chacun des associés par tout "
        "moyen permettant d'en établir la réception. Si la société n'a pas fait connaître sa "
        "décision dans le délai de trois mois à compter de la dernière de ces notifications, "
        "le consentement à la cession est réputé acquis. Si la société refuse de consentir à "
        "la cession, les associés sont tenus, dans les trois mois de ce refus, d'acquérir ou "
        "de faire acquérir les parts sociales à un prix fixé d'un commun accord ou, à défaut, "
        "à dire d'expert désigné dans les conditions prévues par l'Acte uniforme ; la société "
        "peut également, avec le consentement de l'associé cédant, racheter les parts en vue "
        "de réduire son capital. Si, à l'expiration de ce délai, aucune de ces solutions n'est "
        "intervenue, l'associé cédant peut réaliser la cession initialement prévue."
    ))
    w.para(_(
        "En cas de décès d'un associé, la société continue avec ses héritiers ou légataires, "
        "qui deviennent associés."
    ))


def _collective_decisions(w: Writer) -> None:
    w.article(_("Forme des décisions collectives"))
    w.para(_(
        "Les décisions collectives des associés sont prises en assemblée ou, à l'initiative "
        "de la gérance, par consultation écrite, sauf l'approbation annuelle des comptes, "
        "qui a toujours lieu en assemblée. Les assemblées sont convoquées par la gérance "
        "quinze jours au moins avant la réunion, par lettre au porteur contre récépissé ou "
        "par tout moyen permettant d'établir la réception ; la convocation indique l'ordre "
        "du jour."
    ))
    w.para(_(
        "Chaque associé a le droit de participer aux décisions et dispose d'un nombre de "
        "voix égal au nombre de parts sociales qu'il possède. Un associé peut se faire "
        "représenter par un autre associé ou par toute autre personne justifiant d'un "
        "pouvoir spécial."
    ))
    w.article(_("Décisions collectives ordinaires"))
    w.para(_(
        "Les décisions qui ne modifient pas les statuts, notamment l'approbation des "
        "comptes, l'affectation des résultats et la nomination des gérants, sont adoptées "
        "par un ou plusieurs associés représentant plus de la moitié du capital social. Si "
        "cette majorité n'est pas obtenue, les associés sont, selon le cas, convoqués ou "
        "consultés une seconde fois, et les décisions sont adoptées à la majorité des votes "
        "émis, quelle que soit la portion du capital représentée."
    ))
    w.article(_("Décisions collectives extraordinaires"))
    w.para(_(
        "Les modifications des statuts sont décidées par les associés représentant au "
        "moins les trois quarts du capital social. Toutefois, l'unanimité est requise pour "
        "augmenter les engagements des associés et pour changer la nationalité de la "
        "société."
    ))


FAMILY = Family(
    model="sarl",
    officer_roles=frozenset({Role.MANAGER}),
    officers_refused=gettext_lazy(
        "Une %(form)s est dirigée par un ou plusieurs gérants ; elle n'a ni président "
        "ni directeur général."
    ),
    acceptance={Role.MANAGER: gettext_lazy("Bon pour acceptation des fonctions de gérant")},
    management=gettext_lazy("la gérance"),
    titles_word=gettext_lazy("parts sociales"),
    titles=_titles,
    constitution=gettext_lazy(
        "Il est formé entre les soussignés et toute personne qui deviendrait "
        "ultérieurement propriétaire de parts sociales une %(form)s (%(code)s) régie "
        "par %(act)s, par les autres dispositions légales et réglementaires en vigueur "
        "en République togolaise et par les présents statuts."
    ),
    form_clauses=(),
    seat_transfer=gettext_lazy(
        "Il peut être transféré en tout autre lieu du territoire de la République "
        "togolaise par décision de la gérance, sous réserve de la ratification de cette "
        "décision par les associés statuant dans les conditions des décisions ordinaires, "
        "et en tout autre lieu par décision collective extraordinaire des associés."
    ),
    seat_transfer_sole=gettext_lazy(
        "Il peut être transféré en tout autre lieu du territoire de la République "
        "togolaise par décision de la gérance, sous réserve de sa ratification par "
        "l'associé unique, et en tout autre lieu par décision de l'associé unique."
    ),
    registered_titles=(),
    capital_change=gettext_lazy(
        "Le capital social peut être augmenté ou réduit par décision collective "
        "extraordinaire des associés, dans les conditions prévues par l'Acte uniforme."
    ),
    capital_change_sole=gettext_lazy(
        "Le capital social peut être augmenté ou réduit par décision de l'associé "
        "unique, dans les conditions prévues par l'Acte uniforme."
    ),
    rights=gettext_lazy(
        "Chaque part sociale donne droit, dans la propriété de l'actif social et dans la "
        "répartition des bénéfices, à une fraction proportionnelle à la quotité du capital "
        "qu'elle représente. Les parts sociales sont indivisibles à l'égard de la société."
    ),
    sole_decisions=gettext_lazy(
        "Lorsque l'associé unique n'est pas gérant, la gérance lui adresse, avant toute "
        "décision, les documents et rapports nécessaires à son information."
    ),
    write_management=_management,
    write_transfer=_transfer_of_parts,
    write_collective_decisions=_collective_decisions,
)
