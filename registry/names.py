"""Company names compared the way the registry does: without case, accents, punctuation,
legal-form words or common stop words, so that "Société Éléphant Bleu SARL" and
"ELEPHANT-BLEU" are the same name.

Word order and digits are kept: "Bleu Éléphant" and "Groupe 2000" are names of their own.
"""

from __future__ import annotations

import re
import unicodedata

# Words that say what kind of entity it is, not which one (OHADA forms, their spelled-out
# wording and usual abbreviations: "Ets." for établissements, "Sté" for société).
LEGAL_FORM_WORDS = {
    "sarl", "sarlu", "sa", "sas", "sasu", "snc", "scs", "gie", "ei", "eurl", "suarl",
    "societe", "societes", "ste", "entreprise", "etablissement", "etablissements", "ets",
    "groupement", "anonyme", "responsabilite", "limitee", "unipersonnelle", "simplifiee",
    "actions", "commandite", "simple", "collectif", "nom", "interet", "economique",
    "individuelle", "par",
}
STOP_WORDS = {"le", "la", "les", "l", "de", "des", "du", "d", "et", "en", "a", "au", "aux",
              "the", "and", "of", "&"}
# Letters NFKD does not take apart.
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l"})
# Dotted initials, "S.A.R.L." or "S.A": the dots go, the letters stay together.
DOTTED_INITIALS = re.compile(r"\b[a-z](?:\.[a-z])+\b\.?")
# Same length as the models' normalized_name columns.
MAX_LENGTH = 200


def normalize(name: str) -> str:
    """The comparable form of a company name: lower case ASCII words, significant only."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.lower().translate(LIGATURES)
    text = DOTTED_INITIALS.sub(lambda match: match.group().replace(".", ""), text)
    words = re.split(r"[^a-z0-9]+", text)  # "Ets.Kodjo" and "L'Étoile" split at the mark
    significant = (w for w in words if w and w not in LEGAL_FORM_WORDS and w not in STOP_WORDS)
    return " ".join(significant)[:MAX_LENGTH].rstrip()
