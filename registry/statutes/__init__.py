"""Draft statutes (articles of association) of a SARL, SARLU, SAS or SASU, as a DOCX file.

The wording follows the OHADA Uniform Act on commercial companies and the GIE (revised on
30 January 2014). The text is always drawn in French, the language of the deed, whatever
the user's language; its sentences are translatable like every other string. What the
founders decide (names, capital, shares, officers) comes from StatutesFacts; the rules of
the legal form (members, officers, capital, longest duration, the forms that have a model)
come from registry.legal_forms, the same rules the filing is judged by; what the Act leaves
to the statutes is settled here with the usual clauses, and thresholds that States may
change (auditors, contributions in kind) are referred to the Act, not written down.

The deed states the form the filing chose; with a single partner, whatever the form, the
sole partner holds the powers of the partners' meeting and the wording says so.

- facts.py: what is printed; validation.py: whether it can be, and as which form;
- sarl.py, sas.py: the wording of each family; family.py: what differs between them;
- articles.py, closing.py: the articles both families share; phrases.py: shared phrases;
- writer.py: the DOCX layout; deed.py: the deed, title by title.
"""

from __future__ import annotations

from .deed import render_statutes
from .facts import StatutesFacts, StatutesOffice, StatutesOfficer, StatutesPartner
from .phrases import long_date
from .validation import FAMILIES, OFFICER_ROLES, statutes_form
from .writer import DOCX_CONTENT_TYPE

__all__ = [
    "DOCX_CONTENT_TYPE", "FAMILIES", "OFFICER_ROLES", "StatutesFacts", "StatutesOffice",
    "StatutesOfficer", "StatutesPartner", "long_date", "render_statutes", "statutes_form",
]
