"""Company names compared the way the registry does: without case, accents, punctuation,
legal-form words or common stop words, so that "Société Éléphant Bleu SARL" and
"ELEPHANT-BLEU" are the same name.

Word order and digits are kept: "Bleu Éléphant" and "Groupe 2000" are names of their own.

Look-alike letters are folded before comparing: Cyrillic and Greek letters that look Latin
("SОCIÉTÉ" with a Cyrillic О) and the letters of Ewe and Kabiyè (ɖ ɛ ƒ ɣ ŋ ɔ ʋ ɩ ʊ) compare
as the Latin letter they resemble, so a spoofed or re-spelled name finds the one it copies.
The forms go further and refuse what should never be typed into the register: invisible
and bidirectional control characters, and names mixing alphabets (see registry.forms);
what this module offers them is the analysis: refused_characters, script_of, scripts_in.
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
# Letters that look Latin, and the Latin letter they are read as (applied before lower
# case, so capitals fold by their own look: Cyrillic В reads B, its small в is left alone).
HOMOGLYPHS = str.maketrans({
    # Cyrillic
    "А": "A", "В": "B", "Е": "E", "Ѕ": "S", "І": "I", "Ј": "J", "К": "K", "М": "M",
    "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X", "У": "Y", "Ү": "Y",
    "Ԛ": "Q", "Ԝ": "W", "Ѵ": "V", "Ӏ": "I",
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "ѕ": "s",
    "і": "i", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ү": "y", "ѵ": "v",
    "к": "k", "ӏ": "l",
    # Greek
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    "α": "a", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",
    "χ": "x",
    # Latin letters that read as plainer ones
    "ı": "i", "ɑ": "a", "ɡ": "g", "ʀ": "r", "ȷ": "j",
    # Ewe and Kabiyè letters, compared with the Latin letter they resemble
    "Ɖ": "D", "ɖ": "d", "Ɛ": "E", "ɛ": "e", "Ƒ": "F", "ƒ": "f", "Ɣ": "G", "ɣ": "g",
    "Ŋ": "N", "ŋ": "n", "Ɔ": "O", "ɔ": "o", "Ʋ": "V", "ʋ": "v", "Ɩ": "I", "ɩ": "i",
    "Ʊ": "U", "ʊ": "u",
})
# Never part of what a person means to type: controls, invisible format characters
# (zero-width spaces and joiners U+200B-U+200F, bidirectional embeddings and overrides
# U+202A-U+202E and isolates U+2066-U+2069, the byte order mark U+FEFF, soft hyphens),
# line and paragraph separators, private-use, unassigned and surrogate code points.
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# Letters that belong to no one alphabet (ʼ in NʼGuessan, º in 1º).
_NEUTRAL_LETTER_NAMES = ("MODIFIER LETTER", "FEMININE ORDINAL", "MASCULINE ORDINAL")


def refused_characters(text: str, *, line_breaks: bool = False) -> list[str]:
    """The characters of `text` no form accepts, each once, in order (line breaks are
    accepted where `line_breaks` is set: a textarea)."""
    allowed = "\n\r" if line_breaks else ""
    refused: list[str] = []
    for char in text:
        if (unicodedata.category(char) in REFUSED_CATEGORIES and char not in allowed
                and char not in refused):
            refused.append(char)
    return refused


def script_of(char: str) -> str | None:
    """The alphabet a letter belongs to ("LATIN", "CYRILLIC", "GREEK"...), from its Unicode
    name; None for what is not a letter or belongs to no alphabet in particular."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    if not name or name.startswith(_NEUTRAL_LETTER_NAMES):
        return None
    words = name.split()
    if words[0] in ("FULLWIDTH", "HALFWIDTH") and len(words) > 1:
        return words[1]
    return words[0]


def scripts_in(text: str) -> set[str]:
    """The alphabets the letters of `text` are written in."""
    return {script for script in map(script_of, text) if script is not None}


def normalize(name: str) -> str:
    """The comparable form of a company name: lower case ASCII words, significant only."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.translate(HOMOGLYPHS).lower().translate(LIGATURES)
    text = DOTTED_INITIALS.sub(lambda match: match.group().replace(".", ""), text)
    words = re.split(r"[^a-z0-9]+", text)  # "Ets.Kodjo" and "L'Étoile" split at the mark
    significant = (w for w in words if w and w not in LEGAL_FORM_WORDS and w not in STOP_WORDS)
    return " ".join(significant)[:MAX_LENGTH].rstrip()
