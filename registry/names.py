"""Company names compared the way the registry does: without case, accents, punctuation,
legal-form words or common stop words, so that "Société Éléphant Bleu SARL" and
"ELEPHANT-BLEU" are the same name.
"""

from __future__ import annotations

import re
import unicodedata

LEGAL_FORM_WORDS = {
    "sarl", "sarlu", "sa", "sas", "sasu", "snc", "scs", "gie", "ei", "eurl", "suarl",
    "societe", "societes", "entreprise", "etablissement", "etablissements", "ets",
    "groupement", "anonyme", "responsabilite", "limitee", "unipersonnelle", "simplifiee",
    "actions", "commandite", "simple", "collectif", "nom", "interet", "economique",
    "individuelle", "par",
}
STOP_WORDS = {"le", "la", "les", "l", "de", "des", "du", "d", "et", "en", "a", "au", "aux",
              "the", "and", "of", "&"}


def normalize(name: str) -> str:
    """The comparable form of a company name: lower case ASCII words, significant only."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    text = text.replace(".", "")  # S.A.R.L. -> sarl
    words = re.split(r"[^a-z0-9]+", text)
    return " ".join(w for w in words if w and w not in LEGAL_FORM_WORDS and w not in STOP_WORDS)
