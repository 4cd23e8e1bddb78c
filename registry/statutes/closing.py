"""The articles both families share after the decisions: financial year and accounts,
dissolution and liquidation, final provisions, and the signature blocks."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from docx.enum.table import WD_TABLE_ALIGNMENT

from .facts import StatutesFacts, StatutesOfficer
from .family import DeedForm
from .phrases import long_date
from .writer import Writer, clean_text


def accounts(w: Writer, facts: StatutesFacts, form: DeedForm) -> None:
    w.titre(_("EXERCICE SOCIAL – COMPTES – AFFECTATION DES RÉSULTATS"))
    management = form.family.management
    approvers = _("l'associé unique") if form.sole else _("les associés")
    of_approvers = _("de l'associé unique") if form.sole else _("des associés")

    w.article(_("Exercice social"))
    end = facts.financial_year_end.strip()
    if end.casefold() == "31 décembre":
        w.para(_("L'exercice social commence le 1er janvier et se termine le 31 décembre de "
                 "chaque année."))
    else:
        w.para(_("L'exercice social a une durée de douze mois ; il se termine le %(end)s de "
                 "chaque année.") % {"end": end})
    w.para(_(
        "Par exception, le premier exercice commence le jour de l'immatriculation de la "
        "société au Registre du commerce et du crédit mobilier et se termine le %(end)s "
        "suivant."
    ) % {"end": end})

    w.article(_("Comptes annuels"))
    w.para(_(
        "À la clôture de chaque exercice, %(management)s dresse l'inventaire des divers "
        "éléments de l'actif et du passif et établit les états financiers de synthèse, "
        "conformément à l'Acte uniforme relatif au droit comptable et à l'information "
        "financière, ainsi qu'un rapport de gestion. Ces documents sont soumis à l'approbation "
        "%(of_approvers)s dans les six mois de la clôture de l'exercice."
    ) % {"management": management, "of_approvers": of_approvers})

    w.article(_("Commissaires aux comptes"))
    if form.sole:
        w.para(_(
            "Lorsque les conditions prévues par l'Acte uniforme sont réunies, l'associé unique "
            "désigne un commissaire aux comptes titulaire et un commissaire aux comptes "
            "suppléant, pour la durée prévue par l'Acte uniforme."
        ))
    else:
        w.para(_(
            "Lorsque les conditions prévues par l'Acte uniforme sont réunies, les associés "
            "désignent un commissaire aux comptes titulaire et un commissaire aux comptes "
            "suppléant, pour la durée prévue par l'Acte uniforme."
        ))

    w.article(_("Affectation et répartition des résultats"))
    w.para(_(
        "Sur le bénéfice de l'exercice, diminué le cas échéant des pertes antérieures, il est "
        "prélevé un dixième au moins pour constituer la réserve légale ; ce prélèvement cesse "
        "d'être obligatoire lorsque la réserve atteint le cinquième du capital social."
    ))
    if form.sole:
        w.para(_(
            "Le bénéfice distribuable, constitué du bénéfice de l'exercice diminué des pertes "
            "antérieures et des sommes portées en réserve en application de la loi ou des "
            "statuts, et augmenté du report bénéficiaire, revient à l'associé unique, qui peut "
            "décider de le porter en tout ou partie en réserve ou en report à nouveau."
        ))
    else:
        w.para(_(
            "Le bénéfice distribuable, constitué du bénéfice de l'exercice diminué des pertes "
            "antérieures et des sommes portées en réserve en application de la loi ou des "
            "statuts, et augmenté du report bénéficiaire, est réparti entre les associés "
            "proportionnellement au nombre de %(titles)s qu'ils possèdent, après les mises en "
            "réserve ou le report à nouveau qu'ils décident."
        ) % {"titles": form.family.titles_word})
    w.para(_(
        "La mise en paiement des dividendes a lieu dans un délai maximal de neuf mois après la "
        "clôture de l'exercice, sauf prolongation accordée par décision de justice."
    ))

    w.article(_("Capitaux propres inférieurs à la moitié du capital social"))
    w.para(_(
        "Si, du fait des pertes constatées dans les états financiers de synthèse, les "
        "capitaux propres de la société deviennent inférieurs à la moitié du capital social, "
        "%(management)s doit, dans les quatre mois qui suivent l'approbation des comptes ayant "
        "fait apparaître ces pertes, consulter %(approvers)s sur l'opportunité de prononcer la "
        "dissolution anticipée de la société. À défaut de dissolution, le capital doit être "
        "réduit ou les capitaux propres reconstitués dans les délais et conditions prévus par "
        "l'Acte uniforme."
    ) % {"management": management, "approvers": approvers})


def dissolution(w: Writer, facts: StatutesFacts, form: DeedForm) -> None:
    w.titre(_("DISSOLUTION – LIQUIDATION"))
    w.article(_("Dissolution"))
    w.para(_("La société prend fin :"))
    w.bullet(_("par l'expiration du temps pour lequel elle a été constituée, sauf "
               "prorogation ;"))
    w.bullet(_("par la réalisation ou l'extinction de son objet ;"))
    w.bullet(_("par l'annulation du contrat de société ;"))
    if form.sole:
        w.bullet(_("par décision de l'associé unique ;"))
        w.bullet(_("par la dissolution anticipée prononcée par la juridiction compétente pour "
                   "justes motifs ;"))
    else:
        w.bullet(_("par décision des associés prise aux conditions requises pour la "
                   "modification des statuts ;"))
        w.bullet(_("par la dissolution anticipée prononcée par la juridiction compétente, à la "
                   "demande d'un associé, pour justes motifs, notamment en cas d'inexécution de "
                   "ses obligations par un associé ou de mésentente entre associés paralysant "
                   "le fonctionnement de la société ;"))
    w.bullet(_("par l'effet d'un jugement ordonnant la liquidation des biens de la société ;"))
    w.bullet(_("pour toute autre cause prévue par l'Acte uniforme."))
    if form.sole:
        w.para(_("Le décès, l'incapacité ou la faillite de l'associé unique n'entraîne pas la "
                 "dissolution de la société."))
        if facts.partners[0].is_legal_person:
            w.para(_(
                "L'associé unique étant une personne morale, la dissolution entraîne, dans les "
                "conditions prévues par l'Acte uniforme, la transmission universelle du "
                "patrimoine de la société à l'associé unique, sans qu'il y ait lieu à "
                "liquidation."
            ))
    else:
        w.para(_("Le décès, l'incapacité ou la faillite d'un associé n'entraîne pas la "
                 "dissolution de la société."))

    w.article(_("Liquidation"))
    w.para(_(
        "La dissolution entraîne la liquidation de la société, sauf dans les cas prévus par "
        "l'Acte uniforme. La personnalité morale de la société subsiste pour les besoins de la "
        "liquidation jusqu'à la publication de la clôture de celle-ci ; la mention « société "
        "en liquidation » et le nom du ou des liquidateurs figurent sur tous les actes et "
        "documents émanant de la société."
    ))
    if form.sole:
        w.para(_(
            "Le liquidateur est nommé par l'associé unique ou, à défaut, par décision de "
            "justice. Il représente la société et dispose des pouvoirs les plus étendus pour "
            "réaliser l'actif, même à l'amiable, et payer le passif. Après paiement du passif "
            "et remboursement du capital, le boni de liquidation revient à l'associé unique."
        ))
    else:
        w.para(_(
            "Le ou les liquidateurs sont nommés par les associés ou, à défaut, par décision de "
            "justice. Ils représentent la société et disposent des pouvoirs les plus étendus "
            "pour réaliser l'actif, même à l'amiable, et payer le passif. Après paiement du "
            "passif et remboursement du capital, le boni de liquidation est réparti entre les "
            "associés proportionnellement au nombre de %(titles)s qu'ils possèdent."
        ) % {"titles": form.family.titles_word})


def final(w: Writer, facts: StatutesFacts, form: DeedForm) -> None:
    w.titre(_("DISPOSITIONS FINALES"))
    w.article(_("Contestations"))
    if form.sole:
        parties = _("entre la société et l'associé unique ou ses dirigeants")
    else:
        parties = _("soit entre la société et les associés ou ses dirigeants, soit entre les "
                    "associés eux-mêmes")
    w.para(_(
        "Toutes les contestations qui pourraient s'élever pendant la durée de la société ou "
        "lors de sa liquidation, %(parties)s, au sujet des affaires sociales ou de l'exécution "
        "des présents statuts, sont soumises au tribunal de commerce du lieu du siège social "
        "ou, à défaut, à la juridiction compétente en matière commerciale de ce lieu."
    ) % {"parties": parties})

    w.article(_("Personnalité morale – Actes accomplis pour la société en formation"))
    w.para(_(
        "La société jouira de la personnalité juridique à compter de son immatriculation au "
        "Registre du commerce et du crédit mobilier. Les engagements pris pour le compte de "
        "la société en formation, énumérés dans un état annexé aux présentes, seront repris "
        "par la société du seul fait de son immatriculation."
    ))

    w.article(_("Frais"))
    w.para(_("Les frais, droits et honoraires des présentes et de leurs suites sont à la "
             "charge de la société."))

    w.article(_("Formalités – Publicité"))
    w.para(_(
        "Tous pouvoirs sont donnés au porteur d'un original, d'une copie ou d'un extrait des "
        "présentes pour accomplir les formalités de publicité, de dépôt et d'immatriculation "
        "au Registre du commerce et du crédit mobilier (RCCM) prescrites par la loi, "
        "notamment auprès du Centre de formalités des entreprises (guichet unique), et pour "
        "faire publier l'avis de constitution dans un journal habilité à recevoir les "
        "annonces légales."
    ))


def signatures(w: Writer, facts: StatutesFacts, form: DeedForm) -> None:
    w.para(ngettext(
        "Fait à %(city)s, le %(date)s, en %(count)s exemplaire original.",
        "Fait à %(city)s, le %(date)s, en %(count)s exemplaires originaux, dont un pour être "
        "déposé au siège social et les autres pour l'exécution des formalités légales.",
        facts.originals,
    ) % {"city": facts.city_of_signature, "date": long_date(facts.date),
         "count": facts.originals})

    partner_names = {partner.full_name.strip().casefold() for partner in facts.partners}
    blocks: list[list[tuple[str, bool]]] = []
    for partner in facts.partners:
        lines = [(partner.full_name, True)]
        if partner.is_legal_person:
            lines.append((_("représentée par %(representative)s")
                          % {"representative": partner.representative}, False))
        lines.append((_("Associé unique") if form.sole else _("Associé"), False))
        lines.extend((_acceptance(form, officer), False) for officer in facts.officers
                     if officer.full_name.strip().casefold() == partner.full_name.strip()
                     .casefold())
        blocks.append(lines)
    for officer in facts.officers:
        if officer.full_name.strip().casefold() not in partner_names:
            blocks.append([(officer.full_name, True), (_acceptance(form, officer), False)])

    table = w.document.add_table(rows=(len(blocks) + 1) // 2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, lines in enumerate(blocks):
        cell = table.cell(index // 2, index % 2)
        cell.paragraphs[0].add_run(clean_text(lines[0][0])).bold = True
        for text, bold in lines[1:]:
            cell.add_paragraph().add_run(clean_text(text)).bold = bold
        cell.add_paragraph(_("« Lu et approuvé »"))
        cell.add_paragraph(_("Signature :"))
        for _blank in range(3):
            cell.add_paragraph()


def _acceptance(form: DeedForm, officer: StatutesOfficer) -> str:
    return str(form.family.acceptance[officer.role])
