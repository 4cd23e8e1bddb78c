"""The DOCX writer: python-docx with the house layout of a deed (A4, serif, numbered titles
and articles, justified text, a footer numbering the pages, French spell-checking)."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

if TYPE_CHECKING:
    from .facts import StatutesFacts

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Writer:
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

    def centered(self, text: str | Promise, *, bold: bool = False, size: int | None = None) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(2)
        run = paragraph.add_run(clean_text(text))
        run.bold = bold
        if size:
            run.font.size = Pt(size)

    def heading_title(self, text: str) -> None:
        paragraph = self.document.add_heading(clean_text(text), level=0)
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

    def para(self, text: str | Promise, *, bold: bool = False) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.add_run(clean_text(text)).bold = bold

    def bullet(self, text: str | Promise) -> None:
        paragraph = self.document.add_paragraph(style="List Bullet")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.add_run(clean_text(text))

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


def clean_text(text: str | Promise) -> str:
    # Control characters are not allowed in the XML of a DOCX file.
    return _CONTROL_CHARACTERS.sub("", str(text))
