"""Draft statutes (articles of association) of a SARL, SARLU, SAS or SASU, as a DOCX file.

The wording follows the OHADA Uniform Act on commercial companies and the GIE (revised on
30 January 2014). The text is always drawn in French, the language of the deed, whatever
the user's language; its sentences are translatable like every other string. What the
founders decide (names, capital, shares, officers) comes from StatutesFacts; what the Act
leaves to the statutes is settled here with the usual clauses, and thresholds that States
may change (auditors, contributions in kind) are referred to the Act, not written down.

A SARL or a SAS with a single partner is drafted as a SARLU or a SASU: the Act gives its
sole partner the powers of the partners' meeting, and a SAS with one partner must say so
in its name.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import formats
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, override
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .layout import format_fcfa

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The Act says a company lasts 99 years at most.
MAX_DURATION_YEARS = 99

ROLE_MANAGER = "gerant"
ROLE_PRESIDENT = "president"
ROLE_GENERAL_MANAGER = "directeur_general"
OFFICER_ROLES = (ROLE_MANAGER, ROLE_PRESIDENT, ROLE_GENERAL_MANAGER)


@dataclass(frozen=True)
class _Form:
    code: str
    name: str  # lazily translated, lower case: it is used inside sentences
    by_actions: bool  # actions (SAS) rather than parts sociales (SARL)
    sole: bool  # one partner: "associé unique" decides, there is no meeting


FORMS: dict[str, _Form] = {
    "SARL": _Form("SARL", gettext_lazy("société à responsabilité limitée"), False, False),
    "SARLU": _Form("SARLU", gettext_lazy("société à responsabilité limitée unipersonnelle"),
                   False, True),
    "SAS": _Form("SAS", gettext_lazy("société par actions simplifiée"), True, False),
    "SASU": _Form("SASU", gettext_lazy("société par actions simplifiée unipersonnelle"),
                  True, True),
}
SUPPORTED_FORMS = tuple(FORMS)
_SOLE_FORM = {"SARL": "SARLU", "SAS": "SASU", "SARLU": "SARLU", "SASU": "SASU"}

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, kw_only=True)
class StatutesOffice:
    """The registered office; prefecture and region as they are to be printed
    (e.g. "Préfecture du Golfe", "Région Maritime")."""

    address: str
    city: str
    prefecture: str = ""
    region: str = ""

    def text(self) -> str:
        parts = [self.address, self.city, self.prefecture, self.region, "Togo"]
        return ", ".join(part.strip() for part in parts if part and part.strip())


@dataclass(frozen=True, kw_only=True)
class StatutesPartner:
    """A founding partner and what they bring. For a legal person, full_name is its name,
    id_document its registration number, address its seat, representative who signs."""

    full_name: str
    birth_date: dt.date | None = None
    birth_place: str = ""
    nationality: str = ""
    id_document: str = ""
    address: str = ""
    is_legal_person: bool = False
    representative: str = ""
    shares: int
    cash_contribution: int = 0
    in_kind_contribution: int = 0
    in_kind_description: str = ""

    @property
    def contribution(self) -> int:
        return self.cash_contribution + self.in_kind_contribution


@dataclass(frozen=True, kw_only=True)
class StatutesOfficer:
    """A first officer named in the statutes: gérant (SARL) or président and directeurs
    généraux (SAS)."""

    full_name: str
    role: str
    address: str = ""


@dataclass(frozen=True, kw_only=True)
class StatutesFacts:
    """Everything the founders decide that the statutes print.

    officer_term_years: the first officers' term; None for an unlimited term.
    funds_depositary: the bank or notary holding the cash contributions, as printed after
    "auprès de" (e.g. "la banque Orabank Togo"); empty for a generic mention.
    original_count: how many signed originals; by default one per partner and two more
    (one kept at the seat, one for the registry).
    """

    legal_form: str
    company_name: str
    acronym: str = ""
    trade_name: str = ""
    business_purpose: str
    registered_office: StatutesOffice
    duration_years: int = MAX_DURATION_YEARS
    capital: int
    share_count: int
    share_nominal: int
    partners: Sequence[StatutesPartner]
    officers: Sequence[StatutesOfficer]
    financial_year_end: str = "31 décembre"
    city_of_signature: str
    date: dt.date
    officer_term_years: int | None = 4
    funds_depositary: str = ""
    original_count: int | None = None

    def __post_init__(self) -> None:
        # Frozen all the way down: the lists become tuples.
        object.__setattr__(self, "partners", tuple(self.partners))
        object.__setattr__(self, "officers", tuple(self.officers))

    def filename(self) -> str:
        return f"statuts-{slugify(self.company_name) or 'societe'}.docx"

    @property
    def originals(self) -> int:
        return self.original_count or len(self.partners) + 2


def render_statutes(facts: StatutesFacts) -> bytes:
    """The statutes as a DOCX file, always in French. ValueError, with a message in the
    user's language (French by default), when the facts are incomplete or do not add up,
    or the legal form is not one of SUPPORTED_FORMS."""
    form = statutes_form(facts)  # errors in the user's language; the deed in French
    with override("fr"):
        writer = _Writer(facts)
        _preamble(writer, facts, form)
        _general(writer, facts, form)
        _capital(writer, facts, form)
        if form.by_actions:
            _presidency(writer, facts, form)
        else:
            _management(writer, facts, form)
        _decisions(writer, facts, form)
        _accounts(writer, facts, form)
        _dissolution(writer, facts, form)
        _final(writer, facts, form)
        _signatures(writer, facts, form)
        return writer.save()


def statutes_form(facts: StatutesFacts) -> _Form:
    """The form the statutes are drafted for, once the facts are known to be consistent."""
    code = (facts.legal_form or "").strip().upper()
    if code not in FORMS:
        raise ValueError(_(
            "Forme juridique non prise en charge : « %(form)s ». Les statuts ne peuvent être "
            "rédigés que pour une SARL, une SARLU, une SAS ou une SASU."
        ) % {"form": facts.legal_form})
    partners = facts.partners
    if not partners:
        raise ValueError(_("Les statuts doivent désigner au moins un associé."))
    if FORMS[code].sole and len(partners) > 1:
        raise ValueError(_(
            "Une %(form)s ne compte qu'un seul associé, or %(count)s associés sont indiqués."
        ) % {"form": code, "count": len(partners)})
    form = FORMS[_SOLE_FORM[code]] if len(partners) == 1 else FORMS[code]
    _check_identity(facts)
    _check_capital(facts)
    _check_officers(facts, form)
    return form


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
    if not 1 <= facts.duration_years <= MAX_DURATION_YEARS:
        raise ValueError(_(
            "La durée de la société doit être comprise entre 1 et %(max)s ans."
        ) % {"max": MAX_DURATION_YEARS})
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


def _check_capital(facts: StatutesFacts) -> None:
    if facts.capital <= 0 or facts.share_count <= 0 or facts.share_nominal <= 0:
        raise ValueError(_(
            "Le capital social, le nombre de titres et leur valeur nominale doivent être "
            "des montants positifs."
        ))
    if facts.share_count * facts.share_nominal != facts.capital:
        raise ValueError(_(
            "Le capital social (%(capital)s) n'est pas égal au nombre de titres (%(count)s) "
            "multiplié par leur valeur nominale (%(nominal)s)."
        ) % {"capital": format_fcfa(facts.capital), "count": _number(facts.share_count),
             "nominal": format_fcfa(facts.share_nominal)})
    allotted = sum(partner.shares for partner in facts.partners)
    if allotted != facts.share_count:
        raise ValueError(_(
            "Les titres attribués aux associés (%(allotted)s au total) ne correspondent pas "
            "au nombre de titres composant le capital (%(count)s)."
        ) % {"allotted": _number(allotted), "count": _number(facts.share_count)})
    for partner in facts.partners:
        if partner.shares <= 0:
            raise ValueError(_(
                "L'associé « %(name)s » doit recevoir au moins un titre."
            ) % {"name": partner.full_name})
        if partner.cash_contribution < 0 or partner.in_kind_contribution < 0:
            raise ValueError(_(
                "Les apports de « %(name)s » ne peuvent pas être négatifs."
            ) % {"name": partner.full_name})
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


def _check_officers(facts: StatutesFacts, form: _Form) -> None:
    for officer in facts.officers:
        if officer.role not in OFFICER_ROLES:
            raise ValueError(_("Fonction de dirigeant inconnue : « %(role)s ».")
                             % {"role": officer.role})
        if not officer.full_name.strip():
            raise ValueError(_("Le nom de chaque dirigeant doit être indiqué."))
    roles = [officer.role for officer in facts.officers]
    if form.by_actions:
        if roles.count(ROLE_PRESIDENT) != 1 or ROLE_MANAGER in roles:
            raise ValueError(_(
                "Une %(form)s est dirigée par un président, et un seul (ainsi que, le cas "
                "échéant, des directeurs généraux) ; elle n'a pas de gérant."
            ) % {"form": form.code})
    elif not roles or set(roles) != {ROLE_MANAGER}:
        raise ValueError(_(
            "Une %(form)s est dirigée par un ou plusieurs gérants ; elle n'a ni président "
            "ni directeur général."
        ) % {"form": form.code})
    if facts.officer_term_years is not None and facts.officer_term_years < 1:
        raise ValueError(_("La durée du mandat des dirigeants doit être d'au moins un an."))


# --- Writing the document ---------------------------------------------------------------


class _Writer:
    """A python-docx document with the house layout: A4, serif, numbered titles and
    articles, justified text."""

    def __init__(self, facts: StatutesFacts) -> None:
        self.document = Document()
        self.facts = facts
        self._titles = 0
        self._articles = 0
        self._layout()

    def _layout(self) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(25))
        styles = self.document.styles
        normal = styles["Normal"]
        normal.font.name = "Times New Roman"
        normal.font.size = Pt(11)
        normal.paragraph_format.space_after = Pt(6)
        # Word and LibreOffice spell-check the deed in French.
        language = OxmlElement("w:lang")
        language.set(qn("w:val"), "fr-FR")
        normal.element.get_or_add_rPr().append(language)
        for name, size in (("Title", 20), ("Heading 1", 13), ("Heading 2", 11)):
            style = styles[name]
            _drop_theme_fonts(style)
            style.font.name = "Times New Roman"
            style.font.size = Pt(size)
            style.font.bold = True
            style.font.color.rgb = RGBColor(0, 0, 0)
        borders = styles["Title"].element.pPr.find(qn("w:pBdr"))
        if borders is not None:
            styles["Title"].element.pPr.remove(borders)
        styles["Footer"].font.size = Pt(8)
        styles["Heading 1"].paragraph_format.space_before = Pt(18)
        styles["Heading 2"].paragraph_format.space_before = Pt(10)
        self._footer()
        properties = self.document.core_properties
        properties.title = _("Statuts de %(name)s") % {"name": self.facts.company_name}
        properties.subject = _("Statuts")
        properties.author = self.facts.company_name
        properties.last_modified_by = ""
        properties.language = "fr-FR"
        properties.comments = _(
            "Projet de statuts établi avec le guichet unique : à relire avant signature."
        )

    def _footer(self) -> None:
        paragraph = self.document.sections[0].footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(_("Statuts de %(name)s – page ") % {"name": self.facts.company_name})
        _add_field(paragraph, "PAGE")
        paragraph.add_run(_(" sur "))
        _add_field(paragraph, "NUMPAGES")

    def centered(self, text: str, *, bold: bool = False, size: int | None = None) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(2)
        run = paragraph.add_run(_clean(text))
        run.bold = bold
        if size:
            run.font.size = Pt(size)

    def heading_title(self, text: str) -> None:
        paragraph = self.document.add_heading(_clean(text), level=0)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def titre(self, text: str) -> None:
        roman = _ROMAN[self._titles]
        self._titles += 1
        self.document.add_heading(_("TITRE %(number)s – %(title)s")
                                  % {"number": roman, "title": text}, level=1)

    def article(self, title: str) -> None:
        self._articles += 1
        self.document.add_heading(_("Article %(number)s – %(title)s")
                                  % {"number": self._articles, "title": title}, level=2)

    def para(self, text: str, *, bold: bool = False) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.add_run(_clean(text)).bold = bold

    def bullet(self, text: str) -> None:
        paragraph = self.document.add_paragraph(style="List Bullet")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.add_run(_clean(text))

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def _drop_theme_fonts(style) -> None:
    # The template's headings name theme fonts, which win over an explicit font name.
    fonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
    if fonts is not None:
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)


def _add_field(paragraph, instruction: str) -> None:
    # A simple field (PAGE, NUMPAGES) that Word and LibreOffice update when they lay out.
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _clean(text: str) -> str:
    # Control characters are not allowed in the XML of a DOCX file.
    return _CONTROL_CHARACTERS.sub("", str(text))


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\u00a0")


def long_date(value: dt.date) -> str:
    """A date as French deeds write it: "1er mars 2026", "14 mars 2026"."""
    with override("fr"):
        text = formats.date_format(value, "j F Y")
    return "1er" + text[1:] if value.day == 1 else text


def _titles(form: _Form, count: int) -> str:
    """"60 parts sociales", "1 action"."""
    if form.by_actions:
        text = ngettext("%(count)s action", "%(count)s actions", count)
    else:
        text = ngettext("%(count)s part sociale", "%(count)s parts sociales", count)
    return text % {"count": _number(count)}


def _titles_word(form: _Form) -> str:
    return _("actions") if form.by_actions else _("parts sociales")


def _term(facts: StatutesFacts) -> str:
    if facts.officer_term_years is None:
        return _("pour une durée illimitée")
    return ngettext("pour une durée de %(years)s an", "pour une durée de %(years)s ans",
                    facts.officer_term_years) % {"years": facts.officer_term_years}


def _person(officer: StatutesOfficer) -> str:
    if officer.address.strip():
        return _("%(name)s, demeurant à %(address)s") % {"name": officer.full_name,
                                                         "address": officer.address}
    return officer.full_name


def _partner_identity(partner: StatutesPartner) -> str:
    if partner.is_legal_person:
        parts = [partner.full_name]
        if partner.nationality.strip():
            parts.append(_("de nationalité %(nationality)s")
                         % {"nationality": _lower_first(partner.nationality)})
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
                     % {"nationality": _lower_first(partner.nationality)})
    if partner.id_document.strip():
        parts.append(_("titulaire de la pièce d'identité n° %(number)s")
                     % {"number": partner.id_document})
    if partner.address.strip():
        parts.append(_("demeurant à %(address)s") % {"address": partner.address})
    return ", ".join(parts)


def _lower_first(text: str) -> str:
    text = text.strip()
    return text[:1].lower() + text[1:]


def _officers(facts: StatutesFacts, role: str) -> list[StatutesOfficer]:
    return [officer for officer in facts.officers if officer.role == role]


# --- The deed, title by title -------------------------------------------------------------


def _preamble(w: _Writer, facts: StatutesFacts, form: _Form) -> None:
    w.centered(facts.company_name, bold=True, size=16)
    if facts.acronym.strip():
        w.centered(_("Sigle : %(acronym)s") % {"acronym": facts.acronym})
    w.centered(_("%(form)s (%(code)s) au capital de %(capital)s")
               % {"form": _capitalized(form.name), "code": form.code,
                  "capital": format_fcfa(facts.capital)})
    w.centered(_("Siège social : %(office)s") % {"office": facts.registered_office.text()})
    w.heading_title(_("STATUTS"))
    if form.sole:
        w.para(_("Le soussigné :"), bold=True)
    else:
        w.para(_("Les soussignés :"), bold=True)
    for partner in facts.partners:
        w.bullet(_partner_identity(partner) + " ;")
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


def _capitalized(text: str) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


_ACT = gettext_lazy(
    "l'Acte uniforme relatif au droit des sociétés commerciales et du groupement d'intérêt "
    "économique, révisé le 30 janvier 2014"
)


def _general(w: _Writer, facts: StatutesFacts, form: _Form) -> None:
    w.titre(_("FORME – OBJET – DÉNOMINATION – SIÈGE – DURÉE"))

    w.article(_("Forme"))
    law = {"form": form.name, "code": form.code, "act": _ACT}
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
        if form.by_actions:
            text = _(
                "Il est formé entre les soussignés et toute personne qui deviendrait "
                "ultérieurement propriétaire d'actions une %(form)s (%(code)s) régie par "
                "%(act)s, par les autres dispositions légales et réglementaires en vigueur en "
                "République togolaise et par les présents statuts."
            )
        else:
            text = _(
                "Il est formé entre les soussignés et toute personne qui deviendrait "
                "ultérieurement propriétaire de parts sociales une %(form)s (%(code)s) régie "
                "par %(act)s, par les autres dispositions légales et réglementaires en vigueur "
                "en République togolaise et par les présents statuts."
            )
        w.para(text % law)
        w.para(_(
            "Les associés ne sont responsables des dettes sociales qu'à concurrence de leurs "
            "apports."
        ))
    if form.by_actions:
        w.para(_("La société ne peut pas faire publiquement appel à l'épargne."))

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
    w.para({
        "SARL": _(
            "Il peut être transféré en tout autre lieu du territoire de la République "
            "togolaise par décision de la gérance, sous réserve de la ratification de cette "
            "décision par les associés statuant dans les conditions des décisions ordinaires, "
            "et en tout autre lieu par décision collective extraordinaire des associés."
        ),
        "SARLU": _(
            "Il peut être transféré en tout autre lieu du territoire de la République "
            "togolaise par décision de la gérance, sous réserve de sa ratification par "
            "l'associé unique, et en tout autre lieu par décision de l'associé unique."
        ),
        "SAS": _(
            "Il peut être transféré en tout autre lieu du territoire de la République "
            "togolaise par décision du président, sous réserve de la ratification de cette "
            "décision par la plus prochaine décision collective des associés, et en tout "
            "autre lieu par décision collective extraordinaire des associés."
        ),
        "SASU": _(
            "Il peut être transféré en tout autre lieu du territoire de la République "
            "togolaise par décision du président, sous réserve de sa ratification par "
            "l'associé unique, et en tout autre lieu par décision de l'associé unique."
        ),
    }[form.code])

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


def _capital(w: _Writer, facts: StatutesFacts, form: _Form) -> None:
    w.titre(_("APPORTS – CAPITAL SOCIAL – %(titles)s") % {"titles": _titles_word(form).upper()})

    w.article(_("Apports"))
    if form.sole:
        w.para(_("L'associé unique fait apport à la société, savoir :"))
    else:
        w.para(_("Les soussignés font apport à la société, savoir :"))
    for partner in facts.partners:
        w.bullet(_contribution_sentence(partner))
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
    division = {"titles": _titles(form, facts.share_count),
                "nominal": format_fcfa(facts.share_nominal),
                "count": _number(facts.share_count)}
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
            w.bullet(text % {"name": partner.full_name, "titles": _titles(form, partner.shares),
                             "first": _number(first), "last": _number(last)})
            first = last + 1
        w.para(_("Total : %(titles)s.") % {"titles": _titles(form, facts.share_count)},
               bold=True)
        w.para(_(
            "Les associés déclarent que ces %(titles)s ont été réparties entre eux dans les "
            "proportions indiquées ci-dessus et qu'elles sont intégralement libérées."
        ) % {"titles": _titles_word(form)})
    if form.by_actions:
        w.para(_(
            "Les actions sont nominatives. Elles sont inscrites en compte au nom de leur "
            "titulaire dans les registres tenus par la société."
        ))

    w.article(_("Modification du capital social"))
    w.para({
        "SARL": _("Le capital social peut être augmenté ou réduit par décision collective "
                  "extraordinaire des associés, dans les conditions prévues par l'Acte "
                  "uniforme."),
        "SARLU": _("Le capital social peut être augmenté ou réduit par décision de l'associé "
                   "unique, dans les conditions prévues par l'Acte uniforme."),
        "SAS": _("Le capital social peut être augmenté, amorti ou réduit par décision "
                 "collective extraordinaire des associés, dans les conditions prévues par "
                 "l'Acte uniforme."),
        "SASU": _("Le capital social peut être augmenté, amorti ou réduit par décision de "
                  "l'associé unique, dans les conditions prévues par l'Acte uniforme."),
    }[form.code])

    w.article(_("Droits attachés aux %(titles)s") % {"titles": _titles_word(form)})
    if form.by_actions:
        w.para(_(
            "Chaque action donne droit, dans la propriété de l'actif social et dans la "
            "répartition des bénéfices, à une fraction proportionnelle à la quotité du capital "
            "qu'elle représente. Les actions sont indivisibles à l'égard de la société."
        ))
    else:
        w.para(_(
            "Chaque part sociale donne droit, dans la propriété de l'actif social et dans la "
            "répartition des bénéfices, à une fraction proportionnelle à la quotité du capital "
            "qu'elle représente. Les parts sociales sont indivisibles à l'égard de la société."
        ))
    if form.sole:
        w.para(_("La propriété d'un titre emporte de plein droit adhésion aux présents "
                 "statuts."))
    else:
        w.para(_("La propriété d'un titre emporte de plein droit adhésion aux présents statuts "
                 "et aux décisions collectives régulièrement prises par les associés."))

    if form.by_actions:
        _transfer_of_actions(w, form)
    else:
        _transfer_of_parts(w, form)


def _contribution_sentence(partner: StatutesPartner) -> str:
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


def _transfer_of_parts(w: _Writer, form: _Form) -> None:
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


def _transfer_of_actions(w: _Writer, form: _Form) -> None:
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
        w.para(_capitalized(approval))
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


def _management(w: _Writer, facts: StatutesFacts, form: _Form) -> None:
    w.titre(_("GÉRANCE"))
    managers = _officers(facts, ROLE_MANAGER)
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
                    len(managers)) % {"term": _term(facts)})
    for manager in managers:
        w.bullet(_person(manager) + ".")
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


def _presidency(w: _Writer, facts: StatutesFacts, form: _Form) -> None:
    w.titre(_("PRÉSIDENCE ET DIRECTION GÉNÉRALE"))
    president = _officers(facts, ROLE_PRESIDENT)[0]
    general_managers = _officers(facts, ROLE_GENERAL_MANAGER)

    w.article(_("Président"))
    w.para(_("La société est représentée à l'égard des tiers par un président, personne "
             "physique ou morale, associé ou non."))
    if form.sole:
        w.para(_("Le président est nommé par l'associé unique, qui fixe la durée de ses "
                 "fonctions."))
    else:
        w.para(_("Le président est nommé par décision collective des associés statuant à la "
                 "majorité des actions, qui fixe la durée de ses fonctions."))
    w.para(_("Est nommé premier président de la société, %(term)s :") % {"term": _term(facts)})
    w.bullet(_person(president) + ".")
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
                        len(general_managers)) % {"term": _term(facts)})
        for officer in general_managers:
            w.bullet(_person(officer) + ".")
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


def _decisions(w: _Writer, facts: StatutesFacts, form: _Form) -> None:
    if form.sole:
        w.titre(_("DÉCISIONS DE L'ASSOCIÉ UNIQUE"))
        w.article(_("Décisions de l'associé unique"))
        w.para(_(
            "L'associé unique exerce les pouvoirs que l'Acte uniforme et les présents statuts "
            "attribuent à la collectivité des associés. Il ne peut les déléguer."
        ))
        if form.by_actions:
            w.para(_(
                "Relèvent de l'associé unique, notamment : l'approbation des comptes annuels "
                "et l'affectation des résultats ; l'augmentation, l'amortissement ou la "
                "réduction du capital ; la fusion, la scission, la transformation et la "
                "dissolution de la société ; la nomination des commissaires aux comptes ; la "
                "nomination et la révocation du président et des directeurs généraux ; toute "
                "modification des statuts."
            ))
        else:
            w.para(_(
                "Lorsque l'associé unique n'est pas gérant, la gérance lui adresse, avant toute "
                "décision, les documents et rapports nécessaires à son information."
            ))
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
    if form.by_actions:
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
    else:
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
    w.article(_("Procès-verbaux et information des associés"))
    w.para(_(
        "Les décisions collectives sont constatées par des procès-verbaux établis sur un "
        "registre spécial coté et paraphé, tenu au siège social. Tout associé a le droit, à "
        "toute époque, d'obtenir communication des documents sociaux dans les conditions "
        "prévues par l'Acte uniforme."
    ))


def _accounts(w: _Writer, facts: StatutesFacts, form: _Form) -> None:
    w.titre(_("EXERCICE SOCIAL – COMPTES – AFFECTATION DES RÉSULTATS"))
    management = _("le président") if form.by_actions else _("la gérance")
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
        ) % {"titles": _titles_word(form)})
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


def _dissolution(w: _Writer, facts: StatutesFacts, form: _Form) -> None:
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
        ) % {"titles": _titles_word(form)})


def _final(w: _Writer, facts: StatutesFacts, form: _Form) -> None:
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


def _signatures(w: _Writer, facts: StatutesFacts, form: _Form) -> None:
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
        lines.extend((_acceptance(officer), False) for officer in facts.officers
                     if officer.full_name.strip().casefold() == partner.full_name.strip()
                     .casefold())
        blocks.append(lines)
    for officer in facts.officers:
        if officer.full_name.strip().casefold() not in partner_names:
            blocks.append([(officer.full_name, True), (_acceptance(officer), False)])

    table = w.document.add_table(rows=(len(blocks) + 1) // 2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, lines in enumerate(blocks):
        cell = table.cell(index // 2, index % 2)
        cell.paragraphs[0].add_run(_clean(lines[0][0])).bold = True
        for text, bold in lines[1:]:
            cell.add_paragraph().add_run(_clean(text)).bold = bold
        cell.add_paragraph(_("« Lu et approuvé »"))
        cell.add_paragraph(_("Signature :"))
        for _blank in range(3):
            cell.add_paragraph()


def _acceptance(officer: StatutesOfficer) -> str:
    return {
        ROLE_MANAGER: _("Bon pour acceptation des fonctions de gérant"),
        ROLE_PRESIDENT: _("Bon pour acceptation des fonctions de président"),
        ROLE_GENERAL_MANAGER: _("Bon pour acceptation des fonctions de directeur général"),
    }[officer.role]
