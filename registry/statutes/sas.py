"""The SAS family of statutes (SAS, SASU): actions, a président (natural or legal person)
and directeurs généraux, collective decisions in any form the président chooses."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..legal_forms import Role, format_number
from .facts import StatutesFacts
from .family import DeedForm, Family
from .phrases import capitalized, officers_as, person, term
from .writer import Writer


def _titles(count: int) -> str:
    return ngettext("%(count)s action", "%(count)s actions", count) % {
        "count": format_number(count)}


def _presidency(w: Writer, facts: StatutesFacts, form: DeedForm) -> None:
    w.titre(_("PRÉSIDENCE ET DIRECTION GÉNÉRALE"))
    president = officers_as(facts, Role.PRESIDENT)[0]
    general_managers = officers_as(facts, Role.DIRECTOR)

    w.article(_("Président"))
    w.para(_("La société est représentée à l'égard des tiers par un président, personne "
             "physique ou morale, associé ou non."))
    if form.sole:
        w.para(_("Le président est nommé par l'associé unique, qui fixe la durée de ses "
                 "fonctions."))
    else:
        w.para(_("Le président est nommé par décision collective des associés statuant à la "
                 "majorité des actions, qui fixe la durée de ses fonctions."))
    w.para(_("Est nommé premier président de la société, %(term)s :") % {"term": term(facts)})
    w.bullet(person(president) + ".")
    w.para(_(
        "Le président ainsi nommé déclare accepter ces fonctions et n'être frappé d'aucune "
        "interdiction, incompatibilité ou déchéance de nature à l'empêcher de les exercer."
    ))

    w.article(_("Pouvoirs du président"))
    w.para(_(
        "Le président est investi des pouvoirs les plus étendus pour agir en toute "
        "circonstance au nom de la société, dans la limite de l'objet social et sous réserve "
        "des pouvoirs que l'Acte uniforme et les présents statuts attribuent expressément aux "
        "associés. Dans les rapports avec les tiers, la société est engagée même par les "
        "actes du président qui ne relèvent pas de l'objet social, à moins qu'elle ne prouve "
        "que le tiers savait que l'acte dépassait cet objet ou qu'il ne pouvait l'ignorer "
        "compte tenu des circonstances. Les clauses statutaires limitant les pouvoirs du "
        "président sont inopposables aux tiers."
    ))

    w.article(_("Révocation et rémunération du président"))
    if form.sole:
        w.para(_("Le président peut être révoqué à tout moment par décision de l'associé "
                 "unique, qui fixe également sa rémunération."))
    else:
        w.para(_("Le président peut être révoqué à tout moment par décision collective des "
                 "associés statuant à la majorité des actions ; sa rémunération est fixée de "
                 "la même manière."))
    w.para(_("Le président a droit au remboursement, sur justificatifs, des frais exposés "
             "dans l'intérêt de la société."))

    w.article(_("Directeurs généraux"))
    if form.sole:
        w.para(_(
            "Sur proposition du président, l'associé unique peut nommer un ou plusieurs "
            "directeurs généraux, personnes physiques, dont il fixe la durée des fonctions et "
            "la rémunération et qu'il peut révoquer à tout moment."
        ))
    else:
        w.para(_(
            "Sur proposition du président, la collectivité des associés peut nommer un ou "
            "plusieurs directeurs généraux, personnes physiques, dont elle fixe la durée des "
            "fonctions et la rémunération et qu'elle peut révoquer à tout moment."
        ))
    w.para(_("Les directeurs généraux disposent, à l'égard des tiers, des mêmes pouvoirs que "
             "le président."))
    if general_managers:
        w.para(ngettext("Est nommé directeur général de la société, %(term)s :",
                        "Sont nommés directeurs généraux de la société, %(term)s :",
                        len(general_managers)) % {"term": term(facts)})
        for officer in general_managers:
            w.bullet(person(officer) + ".")
        w.para(ngettext(
            "Le directeur général ainsi nommé déclare accepter ces fonctions.",
            "Les directeurs généraux ainsi nommés déclarent accepter ces fonctions.",
            len(general_managers),
        ))

    w.article(_("Conventions entre la société et ses dirigeants ou associés"))
    w.para(_(
        "Toute convention intervenant, directement ou par personne interposée, entre la "
        "société et son président, l'un de ses directeurs généraux ou l'un de ses associés "
        "est soumise au contrôle prévu par l'Acte uniforme."
    ))


def _transfer_of_actions(w: Writer, form: DeedForm) -> None:
    w.article(_("Transmission des actions"))
    w.para(_(
        "La transmission des actions s'opère, à l'égard de la société et des tiers, par "
        "virement de compte à compte, sur production d'un ordre de mouvement signé par le "
        "cédant ou son mandataire et inscrit dans les registres de la société."
    ))
    approval = _(
        "toute cession d'actions à un tiers étranger à la société, à quelque titre que ce "
        "soit, est soumise à l'agrément préalable de la collectivité des associés statuant à "
        "la majorité des trois quarts des actions, déduction faite de celles du cédant, qui "
        "ne prend pas part au vote."
    )
    if form.sole:
        w.para(_("Tant que la société ne compte qu'un associé, les actions sont librement "
                 "cessibles."))
        w.para(_("Dès que la société compte plusieurs associés, %(clause)s")
               % {"clause": approval})
    else:
        w.para(_("Les cessions d'actions entre associés sont libres."))
        w.para(capitalized(approval))
    w.para(_(
        "La demande d'agrément, indiquant l'identité du cessionnaire, le nombre d'actions dont "
        "la cession est envisagée et le prix offert, est notifiée au président par tout moyen "
        "permettant d'en établir la réception. Le président fait statuer les associés dans "
        "un délai de trois mois ; à défaut de réponse dans ce délai, l'agrément est réputé "
        "donné. En cas de refus, le président est tenu, dans un délai de trois mois à compter "
        "du refus, de faire acquérir les actions par un ou plusieurs associés ou par un tiers "
        "agréé, ou, avec le consentement du cédant, par la société en vue d'une réduction du "
        "capital, à un prix fixé d'un commun accord ou, à défaut, à dire d'expert. Si l'achat "
        "n'est pas réalisé dans ce délai, l'agrément est considéré comme donné."
    ))
    w.para(_("Toute cession effectuée en violation de la présente clause est nulle."))


def _collective_decisions(w: Writer) -> None:
    w.article(_("Forme des décisions collectives"))
    w.para(_(
        "Les décisions collectives des associés sont prises, à l'initiative du président, "
        "en assemblée réunie au siège social ou en tout autre lieu, y compris par "
        "visioconférence ou par tout moyen de télécommunication permettant l'identification "
        "des associés, par consultation écrite, ou encore par un acte signé par tous les "
        "associés. Les assemblées sont convoquées par le président huit jours au moins "
        "avant la réunion, par tout moyen écrit indiquant l'ordre du jour."
    ))
    w.para(_(
        "Chaque action donne droit à une voix. Un associé peut se faire représenter par un "
        "autre associé ou par toute autre personne justifiant d'un pouvoir spécial."
    ))
    w.para(_(
        "Relèvent de la collectivité des associés : l'approbation des comptes annuels et "
        "l'affectation des résultats ; l'augmentation, l'amortissement ou la réduction du "
        "capital ; la fusion, la scission, la transformation et la dissolution de la "
        "société ; la nomination des commissaires aux comptes ; la nomination et la "
        "révocation du président et des directeurs généraux ; l'agrément des cessions "
        "d'actions ; toute modification des statuts. Toute autre décision relève du "
        "président."
    ))
    w.article(_("Majorités"))
    w.para(_(
        "Les décisions relatives à l'approbation des comptes, à l'affectation des "
        "résultats, à la nomination et à la révocation des dirigeants et à la nomination "
        "des commissaires aux comptes sont adoptées par un ou plusieurs associés "
        "représentant plus de la moitié des actions. Les autres décisions sont adoptées par "
        "un ou plusieurs associés représentant au moins les deux tiers des actions, sous "
        "réserve de l'agrément des cessions, régi par la clause qui lui est propre."
    ))
    w.para(_(
        "L'unanimité des associés est requise pour toute décision ayant pour effet "
        "d'augmenter leurs engagements, ainsi que dans les autres cas prévus par l'Acte "
        "uniforme."
    ))


FAMILY = Family(
    model="sas",
    officer_roles=frozenset({Role.PRESIDENT, Role.DIRECTOR}),
    officers_refused=gettext_lazy(
        "Une %(form)s est dirigée par un président, et un seul (ainsi que, le cas "
        "échéant, des directeurs généraux) ; elle n'a pas de gérant."
    ),
    acceptance={
        Role.PRESIDENT: gettext_lazy("Bon pour acceptation des fonctions de président"),
        Role.DIRECTOR: gettext_lazy("Bon pour acceptation des fonctions de directeur général"),
    },
    management=gettext_lazy("le président"),
    titles_word=gettext_lazy("actions"),
    titles=_titles,
    constitution=gettext_lazy(
        "Il est formé entre les soussignés et toute personne qui deviendrait "
        "ultérieurement propriétaire d'actions une %(form)s (%(code)s) régie par "
        "%(act)s, par les autres dispositions légales et réglementaires en vigueur en "
        "République togolaise et par les présents statuts."
    ),
    form_clauses=(gettext_lazy("La société ne peut pas faire publiquement appel à l'épargne."),),
    seat_transfer=gettext_lazy(
        "Il peut être transféré en tout autre lieu du territoire de la République "
        "togolaise par décision du président, sous réserve de la ratification de cette "
        "décision par la plus prochaine décision collective des associés, et en tout "
        "autre lieu par décision collective extraordinaire des associés."
    ),
    seat_transfer_sole=gettext_lazy(
        "Il peut être transféré en tout autre lieu du territoire de la République "
        "togolaise par décision du président, sous réserve de sa ratification par "
        "l'associé unique, et en tout autre lieu par décision de l'associé unique."
    ),
    registered_titles=(gettext_lazy(
        "Les actions sont nominatives. Elles sont inscrites en compte au nom de leur "
        "titulaire dans les registres tenus par la société."
    ),),
    capital_change=gettext_lazy(
        "Le capital social peut être augmenté, amorti ou réduit par décision "
        "collective extraordinaire des associés, dans les conditions prévues par "
        "l'Acte uniforme."
    ),
    capital_change_sole=gettext_lazy(
        "Le capital social peut être augmenté, amorti ou réduit par décision de "
        "l'associé unique, dans les conditions prévues par l'Acte uniforme."
    ),
    rights=gettext_lazy(
        "Chaque action donne droit, dans la propriété de l'actif social et dans la "
        "répartition des bénéfices, à une fraction proportionnelle à la quotité du capital "
        "qu'elle représente. Les actions sont indivisibles à l'égard de la société."
    ),
    sole_decisions=gettext_lazy(
        "Relèvent de l'associé unique, notamment : l'approbation des comptes annuels "
        "et l'affectation des résultats ; l'augmentation, l'amortissement ou la "
        "réduction du capital ; la fusion, la scission, la transformation et la "
        "dissolution de la société ; la nomination des commissaires aux comptes ; la "
        "nomination et la révocation du président et des directeurs généraux ; toute "
        "modification des statuts."
    ),
    write_management=_presidency,
    write_transfer=_transfer_of_actions,
    write_collective_decisions=_collective_decisions,
)
