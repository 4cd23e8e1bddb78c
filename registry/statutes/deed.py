"""The deed, title by title: the common articles with the family's own in between."""

from __future__ import annotations

from django.utils.translation import override

from . import articles, closing
from .facts import StatutesFacts
from .validation import statutes_form
from .writer import Writer


def render_statutes(facts: StatutesFacts) -> bytes:
    """The statutes as a DOCX file, always in French. ValueError, with a message in the
    user's language (French by default), when the facts are incomplete or do not add up
    under the rules of the legal form, or the form has no model of statutes."""
    form = statutes_form(facts)  # errors in the user's language; the deed in French
    with override("fr"):
        writer = Writer(facts)
        articles.preamble(writer, facts, form)
        articles.general(writer, facts, form)
        articles.capital(writer, facts, form)
        form.family.write_management(writer, facts, form)
        articles.decisions(writer, facts, form)
        closing.accounts(writer, facts, form)
        closing.dissolution(writer, facts, form)
        closing.final(writer, facts, form)
        closing.signatures(writer, facts, form)
        return writer.save()
