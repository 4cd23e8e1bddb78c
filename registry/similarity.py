"""The company-name check: is a name free, too close to another, or reserved?

A name is compared, once normalised (registry.names), with the companies on the register
and the filings still pending (under review, sent back for correction, approved but not
yet registered). Closeness is pg_trgm's trigram similarity, taken on the distinctive words
(COMMON_WORDS such as "Groupe", "Services", "Togo" dropped: names alike only by those are
not similar). Besides, a name is close to another if it is the same but for a typo in one
of its words, or another's with words added around it (see _similar).

On PostgreSQL the database finds the candidates by exact keys and by the threshold itself,
on indexes only, whatever the size of the register (migration 0015, on the distinctive
form of the names, the one the check decides on):
- names at least as similar as the threshold, by the `%` operator and a GIN trigram index;
- names of the same distinctive form, or of a run of the wanted name's words (extended);
- names one typo away in one of their words, by their typo keys;
- one-word names one typo away, by their deletion keys; short names (KEYED_LENGTHS),
  which keep too few trigrams through a typo, also by those of their whole name
  (migration 0014).
Elsewhere (SQLite in the demo) the same measures are computed in Python over the names
that share a fragment with the one checked.

Closeness by trigrams gives way to the words themselves where they tell more: the
vocabulary (NameWord: how many registered names hold each word, counted nightly) says which
words are generic and which a name uses already (see _similar).

The same check serves the form (the result shows while the applicant types) and the
engine's automatic step (registry.checks.name_check), which checks again on submission.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Application, ApplicationState, Company
from .names import LEGAL_FORM_WORDS, normalize
from .reserved_words import reserved_words_in
from .vocabulary import register_word_counts

DEFAULT_SIMILARITY_THRESHOLD = 0.75
# A letter replaced is taken for a typo only in names this much less similar than the
# threshold, or closer: in a short name, one letter replaced makes another name as often
# as a typo ("Wato" and "Bato", "SOTRAKA" and "SOTRAMA").
REPLACED_LETTER_MARGIN = 0.2
# At most this many names one typo away (deletion keys, typo keys) are weighed, from each
# table and each kind of key.
ONE_TYPO_CANDIDATES = 20
# Filings that hold their name until decided, from their signature (waiting for the fee
# too: first signed, first served). The partial index on pending filings (migrations 0002
# and 0010) lists the same states: change both together.
PENDING_STATES = (ApplicationState.PENDING_PAYMENT, ApplicationState.IN_REVIEW,
                  ApplicationState.CORRECTION_REQUESTED, ApplicationState.APPROVED)
MATCHES_SHOWN = 5


class NameStatus(StrEnum):
    AVAILABLE = "available"
    SIMILAR = "similar"
    TAKEN = "taken"
    RESERVED = "reserved"
    EMPTY = "empty"


@dataclass(frozen=True)
class NameMatch:
    """A registered company or a pending filing whose name is close to the one checked."""

    name: str
    normalized: str
    score: float  # trigram similarity of the normalised names, 0 to 1
    source: str  # "company" or "application"
    reference: str  # the company's RCCM number, or the filing's reference


@dataclass(frozen=True)
class NameCheckResult:
    status: NameStatus
    matches: list[NameMatch]
    reserved: list[str]
    message: str
    normalized: str
    # Each close name in plain words, for the applicant's page: « ressemble à … ».
    resemblances: tuple[str, ...] = ()


def closeness(score: float) -> str:
    """A similarity score in plain words, in the active language."""
    if score >= 0.9:
        return _("presque identique")
    if score >= 0.75:
        return _("très proche")
    return _("proche")


def resemblance(match: NameMatch, *, public: bool = False) -> str:
    """What a close name is, in plain words: « ressemble à « ELEPHANT BLEU » (immatriculée,
    TG-LOM-2025-B-00042) : très proche ». With `public`, a pending filing's name stays
    private."""
    if match.source == "company":
        return (_("ressemble à « %(name)s » (immatriculée, %(reference)s) : %(closeness)s")
                % {"name": match.name, "reference": match.reference,
                   "closeness": closeness(match.score)})
    if public:
        return (_("ressemble à une dénomination demandée par un dossier en cours : "
                  "%(closeness)s") % {"closeness": closeness(match.score)})
    return (_("ressemble à « %(name)s » (demandée par le dossier en cours %(reference)s) : "
              "%(closeness)s") % {"name": match.name, "reference": match.reference,
                                  "closeness": closeness(match.score)})


@dataclass(frozen=True)
class _Scope:
    """What a check compares against: everything but the filing checked; if that filing
    was submitted, only filings submitted before it (first come, first served)."""

    application_id: int | None = None
    submitted_before: datetime | None = None

    @classmethod
    def of(cls, application_id: int | None) -> _Scope:
        if application_id is None:
            return cls()
        submitted_at = (Application.objects.filter(pk=application_id)
                        .values_list("submitted_at", flat=True).first())
        return cls(application_id, submitted_at)

    def companies(self) -> QuerySet:
        companies = Company.objects.all()
        if self.application_id is not None:
            companies = companies.exclude(application_id=self.application_id)
        return companies

    def pending_filings(self) -> QuerySet:
        # An approved filing whose company exists is compared as that company.
        filings = Application.objects.filter(state__in=PENDING_STATES, company__isnull=True)
        if self.application_id is not None:
            filings = filings.exclude(pk=self.application_id)
        if self.submitted_before is not None:
            filings = filings.filter(submitted_at__lt=self.submitted_before)
        return filings

    def tables(self) -> tuple[tuple[QuerySet, str, str, str], ...]:
        """What a check searches: the register's companies, then the pending filings, each
        with its name field, its reference field and what a match found there is."""
        return ((self.companies(), "name", "rccm_number", "company"),
                (self.pending_filings(), "company_name", "reference", "application"))


# --- trigram similarity, as pg_trgm defines it ---------------------------------------------


def trigrams(normalized: str) -> set[str]:
    """pg_trgm's show_trgm() for a normalised name: each word padded with two spaces in
    front and one after, cut into every run of three characters."""
    grams: set[str] = set()
    for word in normalized.split():
        padded = f"  {word} "
        grams.update(padded[index:index + 3] for index in range(len(padded) - 2))
    return grams


def trigram_similarity(left: str, right: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams of the two names."""
    left_grams, right_grams = trigrams(left), trigrams(right)
    if not left_grams or not right_grams:
        return 0.0
    shared = len(left_grams & right_grams)
    return shared / (len(left_grams) + len(right_grams) - shared)


# Words many names share and that tell no business from another ("Groupe", "Services",
# "Togo"); legal-form and stop words are already out of the normalised name
# (registry.names). A close name must still be close once these are dropped too.
COMMON_WORDS = frozenset({"group", "groupe", "groupes", "service", "services", "togo"})


def _one_edit_apart(word: str, other: str, *, replaced: bool = True) -> bool:
    """One letter replaced (unless `replaced` is false), added or left out, or two
    neighbours swapped."""
    if abs(len(word) - len(other)) > 1:
        return False
    if len(word) == len(other):
        differ = [index for index, (a, b) in enumerate(zip(word, other, strict=True))
                  if a != b]
        return (replaced and len(differ) == 1) or (
            len(differ) == 2 and differ[1] == differ[0] + 1
            and word[differ[0]] == other[differ[1]] and word[differ[1]] == other[differ[0]])
    short, long = sorted((word, other), key=len)
    return any(long[:index] + long[index + 1:] == short for index in range(len(long)))


# Legal-form words of four letters or more, whose typos ("SRAL", "Sociéété") normalize()
# cannot drop: they tell no business from another either.
_LEGAL_FORM_WORDS = frozenset(word for word in LEGAL_FORM_WORDS if len(word) >= 4)


@functools.lru_cache(maxsize=4096)
def _common(word: str) -> bool:
    """A common word, or a long one (5 letters or more) mistyped by one letter ("Groue",
    "Servces"), or a legal-form word mistyped ("SRAL"): a typo in "Groupe" does not make
    it distinctive."""
    return word in COMMON_WORDS or (len(word) >= 5 and any(
        len(common) >= 5 and _one_edit_apart(word, common) for common in COMMON_WORDS)) or (
        len(word) >= 4 and any(_one_edit_apart(word, form) for form in _LEGAL_FORM_WORDS))


# Asked of the wanted name for each candidate the check weighs (similarity, typo, extends).
@functools.lru_cache(maxsize=4096)
def distinctive(normalized: str) -> str:
    """A normalised name without its common words (COMMON_WORDS, typos included); the
    whole name when it is made of common words only."""
    kept = [word for word in normalized.split() if not _common(word)]
    return " ".join(kept) if kept else normalized


def stored_distinctive(normalized: str) -> str:
    """distinctive() with the common words as written only (no typos): what migration
    0015's SQL function registry_name_distinctive indexes."""
    kept = [word for word in normalized.split() if word not in COMMON_WORDS]
    return " ".join(kept) if kept else normalized


def _distinctive_query(wanted: str) -> set[str]:
    """The distinctive forms to look up for a wanted name: its own (with and without the
    typos of common words), for a name the same but for common words ("Multimédia Group
    Kuevi" and "Multimédia Kuevi"), and each run of two of its distinctive words or more,
    for an existing name it extends ("Banque Éléphant Bleu" and "Éléphant Bleu")."""
    words = distinctive(wanted).split()
    forms = _query_forms(wanted)
    forms.update(" ".join(words[start:end]) for start in range(len(words))
                 for end in range(start + 2, len(words) + 1))
    return forms


def distinctive_similarity(left: str, right: str) -> float:
    """Trigram similarity of the distinctive words of two normalised names."""
    return trigram_similarity(distinctive(left), distinctive(right))


# A word this long may carry a typo and still be the same word; shorter ones must match.
TYPO_WORD_LENGTH = 4


def same_words_but_a_typo(left: str, right: str, *, replaced: bool = True) -> bool:
    """The same distinctive words in the same order, each equal or, when long enough, one
    typo away (a letter replaced, added, left out, or two swapped): "Kpalime Transit" and
    "Kpalmie Transit". Trigrams lose up to three of a short word's grams to one typo; the
    words do not. Without `replaced`, a letter replaced is not taken for a typo."""
    left_words, right_words = distinctive(left).split(), distinctive(right).split()
    if len(left_words) != len(right_words) or left_words == right_words:
        return False
    return all(a == b or (max(len(a), len(b)) >= TYPO_WORD_LENGTH
                          and _one_edit_apart(a, b, replaced=replaced))
               for a, b in zip(left_words, right_words, strict=True))


# Two names close by their trigrams, each with distinctive words the other lacks, are close
# only if those words are too (their trigram similarity at least this), or if a word they
# share is rare on the register (fewer names than GENERIC_WORD_NAMES hold it): "Ofakpègi
# Fils Distribution" and "Okpègi Fils Distribution" share their generic words, not their
# names; "Éléphant Bleu Kpalimé" and "Éléphant Rouge Kpalimé" share "Éléphant".
OWN_WORDS_MIN_SIMILARITY = 0.5
# A word that this many registered names hold tells no business from another.
GENERIC_WORD_NAMES = 200


def paired_words(wanted: str, existing: str) -> tuple[list[tuple[str, str]], list[str],
                                                       list[str]]:
    """The distinctive words of two names paired: those they share, as (the wanted name's
    spelling, the existing name's), the same first, then one typo apart in words of
    TYPO_WORD_LENGTH letters or more; then those only the wanted name has, then those only
    the existing one has."""
    wanted_own, existing_own = distinctive(wanted).split(), []
    shared = []
    for word in distinctive(existing).split():
        if word in wanted_own:
            wanted_own.remove(word)
            shared.append((word, word))
        else:
            existing_own.append(word)
    for word in list(existing_own):
        typo = next((own for own in wanted_own if max(len(own), len(word)) >= TYPO_WORD_LENGTH
                     and _one_edit_apart(own, word)), None)
        if typo is not None:
            wanted_own.remove(typo)
            existing_own.remove(word)
            shared.append((typo, word))
    return shared, wanted_own, existing_own


def own_words_close(wanted_own: list[str], existing_own: list[str], *,
                    threshold: float) -> bool:
    """Whether the distinctive words each name has and the other lacks (paired_words) are
    close by their trigrams (OWN_WORDS_MIN_SIMILARITY, or the threshold if lower: two names
    sharing no word are their own words); true when one name has none of its own: its
    words are all in the other, in any order."""
    if not wanted_own or not existing_own:
        return True
    return (trigram_similarity(" ".join(wanted_own), " ".join(existing_own))
            >= min(OWN_WORDS_MIN_SIMILARITY, threshold))


def replaced_words(wanted: str, existing: str) -> set[str]:
    """The distinctive words of the wanted name with one letter replaced from the existing
    name's, word for word (names of as many distinctive words: those
    same_words_but_a_typo compares)."""
    left_words, right_words = distinctive(wanted).split(), distinctive(existing).split()
    if len(left_words) != len(right_words):
        return set()
    return {a for a, b in zip(left_words, right_words, strict=True)
            if len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1}


def extends(wanted: str, existing: str) -> bool:
    """The wanted name is an existing one (of two distinctive words or more) with words
    added around it: "Banque Éléphant Bleu" extends "Éléphant Bleu"."""
    inner, outer = distinctive(existing).split(), distinctive(wanted).split()
    if len(inner) < 2 or len(outer) <= len(inner):
        return False
    return any(outer[start:start + len(inner)] == inner
               for start in range(len(outer) - len(inner) + 1))


# Names this long (in characters, spaces included) are also found by their deletion keys:
# one typo costs a short name up to four of its few trigrams, which leaves it under any
# sensible trigram threshold ("bopl" and "boal": 0.25). Longer names keep enough. Migration
# 0014_name_deletion_keys indexes the same lengths: change both together.
KEYED_LENGTHS = range(3, 13)


def deletion_keys(normalized: str) -> set[str]:
    """The name with each of its characters left out in turn, and the name itself: two
    names one typo apart (a letter replaced, added, left out, or two neighbours swapped)
    share one of these keys. Migration 0014's SQL function registry_name_deletion_keys
    computes the same keys."""
    return {normalized[:index] + normalized[index + 1:]
            for index in range(len(normalized))} | {normalized}


def _keyed_query(wanted: str) -> set[str] | None:
    """The keys to look up for a wanted name, and for its distinctive words alone
    ("CAFPLSE Sociéété", its legal form mistyped, for "CAFPLSE"), when a keyed name
    (KEYED_LENGTHS) may be one typo away from either; None otherwise."""
    return _one_typo_keys({wanted, distinctive(wanted)}, KEYED_LENGTHS) or None


def _one_typo_keys(forms: set[str], lengths: range) -> set[str]:
    """The deletion keys of each form that a keyed one, of `lengths`, may be one typo
    (one letter more or fewer) away from."""
    return set().union(*(deletion_keys(form) for form in forms
                         if lengths.start - 1 <= len(form) <= lengths.stop))


# Words this long are keyed (typo_keys); the typo rule (same_words_but_a_typo) takes a
# typo in words of TYPO_WORD_LENGTH letters or more, that may have lost one.
TYPO_KEY_LENGTH = TYPO_WORD_LENGTH - 1


def typo_keys(form: str) -> set[str]:
    """A distinctive form of two words or more with each of its words (TYPO_KEY_LENGTH
    letters or more) in turn replaced by its length: "kaseso distribution" has "*6
    distribution" and "kaseso *12". Migration 0015's SQL function registry_name_typo_keys
    computes the same, and indexes it on the stored_distinctive() form."""
    words = form.split()
    if len(words) < 2:
        return set()
    return {_typo_key(words, index, len(word))
            for index, word in enumerate(words) if len(word) >= TYPO_KEY_LENGTH}


def _typo_key(words: list[str], index: int, length: int) -> str:
    """The words with the one at `index` replaced by a length: "kaseso *12"."""
    return " ".join([*words[:index], f"*{length}", *words[index + 1:]])


def _query_forms(wanted: str) -> set[str]:
    """The distinctive forms of a wanted name to look up: with its common words as written
    dropped (stored_distinctive, as the register's are), and with their typos and mistyped
    legal-form words dropped too (distinctive: "Kaseso Distribtuion ASRLU")."""
    return {stored_distinctive(wanted), distinctive(wanted)}


def _typo_query(wanted: str) -> set[str]:
    """The typo keys of the names whose distinctive form is one typo away from the wanted
    one's in one of its words: a word's length one more, the same or one fewer."""
    keys: set[str] = set()
    for form in _query_forms(wanted):
        words = form.split()
        if len(words) < 2:
            continue
        for index, word in enumerate(words):
            keys.update(_typo_key(words, index, length)
                        for length in (len(word) - 1, len(word), len(word) + 1)
                        if length >= TYPO_KEY_LENGTH)
    return keys


# One-word distinctive forms this long are keyed (word_keys); shorter whole names have the
# deletion keys of migration 0014.
WORD_KEY_LENGTHS = range(3, 25)


def word_keys(form: str) -> set[str]:
    """A distinctive form of one word (WORD_KEY_LENGTHS) with each of its letters left out
    in turn, and itself (deletion_keys); none for a form of several words. A long word one
    typo away from another keeps too few trigrams in common ("electrotechnique" and
    "electrotechnuque": 0.70). Migration 0015's SQL function registry_name_word_keys
    computes the same, and indexes it on the stored_distinctive() form."""
    if " " in form or len(form) not in WORD_KEY_LENGTHS:
        return set()
    return deletion_keys(form)


def _word_query(wanted: str) -> set[str]:
    """The keys of the one-word forms one typo away from the wanted name's."""
    return _one_typo_keys({form for form in _query_forms(wanted) if " " not in form},
                          WORD_KEY_LENGTHS)


def _replaced_letter_threshold(threshold: float) -> float:
    """The trigram similarity under which a letter replaced is not taken for a typo
    (REPLACED_LETTER_MARGIN)."""
    return max(0.3, threshold - REPLACED_LETTER_MARGIN)


def similarity_threshold() -> float:
    return float(getattr(settings, "REGISTRY_NAME_SIMILARITY_THRESHOLD",
                         DEFAULT_SIMILARITY_THRESHOLD))


def similar_names(
    name: str, *, limit: int = 5, threshold: float | None = None,
    exclude_application_id: int | None = None,
) -> list[NameMatch]:
    """Registered companies and pending filings whose names are at least `threshold`
    similar to `name` (setting REGISTRY_NAME_SIMILARITY_THRESHOLD), best first.

    `exclude_application_id` is the filing being checked: it is left out and, once it has
    been submitted, only filings submitted before it count.
    """
    wanted = normalize(name)
    if not wanted or limit <= 0:
        return []
    threshold = similarity_threshold() if threshold is None else threshold
    return _similar(wanted, limit=limit, threshold=threshold,
                    scope=_Scope.of(exclude_application_id))


def _similar(wanted: str, *, limit: int, threshold: float, scope: _Scope) -> list[NameMatch]:
    if connection.vendor == "postgresql":
        rows = _similar_rows_postgresql(wanted, limit=limit, threshold=threshold, scope=scope)
    else:
        rows = _similar_rows_python(wanted, threshold=threshold, scope=scope)
    replaced_letter = _replaced_letter_threshold(threshold)
    # A candidate is close if its distinctive words are, so that "Groupe Services Kara"
    # and "Groupe Services Lomé" are not confused by their shared common words (the score
    # shown is that of the distinctive words); or if it is the wanted name but for a typo;
    # or if the wanted name extends it. Close by trigrams is not enough when each name has
    # words of its own that are not alike (own_words_close) and the words they share are
    # generic (GENERIC_WORD_NAMES): the trigrams they share are then those of "Fils
    # Distribution".
    #
    # A letter replaced is a typo only in names whose distinctive words stay close by
    # their trigrams (the replaced-letter threshold); a letter left out or added or two
    # neighbours swapped always is ("MEBEJDI", "IAM" for "MEBEDJI", "IMAM"): among a
    # million names, most short ones have a neighbour one letter replaced ("COADIET",
    # "COADIOT"), a name of its own as often as a typo.
    #
    # A name made of generic words only ("Motos Ogou": an activity and a place), inside a
    # wanted name that adds a rare word of its own ("Donu Motos Ogou"), is not close for
    # that: generic words protect a name narrowly, the rare word makes the new one's. A
    # generic word added ("Nouvelle Motos Ogou") still rides on it.
    #
    # Nor is a letter replaced a typo when the wanted word is itself a word of the register
    # ("Wodzi Taxi" beside "Bodzi Taxi", when other names hold "Wodzi"): a typo makes a
    # word nobody uses, a name of its own uses one somebody does. The vocabulary is read
    # once a check, and only if a candidate needs it.
    counts: dict[str, int] = {}

    def names_holding(word: str) -> int:
        if word not in counts:  # with the wanted name's words, at the first need
            counts.update(register_word_counts({word, *distinctive(wanted).split()}
                                               - counts.keys()))
        return counts[word]

    def generic(pair: tuple[str, str]) -> bool:
        """A shared word is generic if the register's spelling or the wanted one is (a
        typo in "Distribution" is no rarer than the word)."""
        return max(map(names_holding, pair)) >= GENERIC_WORD_NAMES

    # Each candidate's words paired once, at the first rule that needs them.
    pairing = functools.cache(functools.partial(paired_words, wanted))

    def close_by_trigrams(normalized: str, score: float) -> bool:
        if score < threshold:
            return False
        shared, wanted_own, existing_own = pairing(normalized)
        return (own_words_close(wanted_own, existing_own, threshold=threshold)
                or not all(map(generic, shared)))

    def generic_name_in_a_name_of_its_own(normalized: str) -> bool:
        shared, wanted_own, existing_own = pairing(normalized)
        return (not existing_own and bool(wanted_own) and all(map(generic, shared))
                and not all(names_holding(word) >= GENERIC_WORD_NAMES for word in wanted_own))

    def a_typo(normalized: str, score: float) -> bool:
        if same_words_but_a_typo(wanted, normalized, replaced=False):
            return True
        return (score >= replaced_letter and same_words_but_a_typo(wanted, normalized)
                and not any(names_holding(word)
                            for word in sorted(replaced_words(wanted, normalized))))

    matches = []
    for row_name, normalized, source, reference in rows:
        score = distinctive_similarity(wanted, normalized)
        if (((close_by_trigrams(normalized, score) or extends(wanted, normalized))
                and not generic_name_in_a_name_of_its_own(normalized))
                or a_typo(normalized, score)):
            matches.append(NameMatch(name=row_name, normalized=normalized, score=score,
                                     source=source, reference=reference))
    # Best first; among equals the same name first, then the register before filings.
    matches.sort(key=lambda match: (-match.score, match.normalized != wanted,
                                    match.source != "company", match.name))
    return matches[:limit]


# The check's ways into the register, on PostgreSQL: each a condition on the indexes of
# migrations 0014 and 0015, in SQL (as those indexes are), on a table's name column ({name}).
# The expressions are the indexed ones, written as the migrations write them.
_FORM_SQL = "registry_name_distinctive({name})"
_WAY_CONDITIONS = {
    "trigram": f"{_FORM_SQL} %% %s",
    "form": f"{_FORM_SQL} = ANY(%s)",
    "typo": f"registry_name_typo_keys({_FORM_SQL}) && %s::text[]",
    "word": f"registry_name_word_keys({_FORM_SQL}) && %s::text[]",
    "deletion": (f"length({{name}}) >= {KEYED_LENGTHS.start} "
                 f"AND length({{name}}) <= {KEYED_LENGTHS.stop - 1} "
                 "AND registry_name_deletion_keys({name}) && %s::text[]"),
}


class _SqlTable(NamedTuple):
    """One of a scope's tables in SQL: the select and the conditions a way's own condition
    is added to, their parameters, the name column, and the order of first come."""

    select: str
    params: list
    name: str
    first_come: str


def _way_tables(scope: _Scope) -> list[_SqlTable]:
    """The scope's two tables in SQL (_Scope.tables, as the partial indexes of the pending
    filings state it): the register's companies, then the pending filings."""
    companies = ("SELECT registry_company.name, registry_company.normalized_name, "
                 "'company', registry_company.rccm_number FROM registry_company WHERE TRUE")
    company_params: list = []
    filings = ("SELECT registry_application.company_name, registry_application.normalized_name, "
               "'application', registry_application.reference FROM registry_application "
               f"WHERE registry_application.state IN ({', '.join(['%s'] * len(PENDING_STATES))}) "
               "AND NOT EXISTS (SELECT 1 FROM registry_company WHERE "
               "registry_company.application_id = registry_application.id)")
    filing_params: list = [str(state) for state in PENDING_STATES]
    if scope.application_id is not None:
        companies += " AND registry_company.application_id <> %s"
        company_params.append(scope.application_id)
        filings += " AND registry_application.id <> %s"
        filing_params.append(scope.application_id)
    if scope.submitted_before is not None:
        filings += " AND registry_application.submitted_at < %s"
        filing_params.append(scope.submitted_before)
    return [_SqlTable(companies, company_params, "registry_company.normalized_name",
                      "registry_company.registered_at, registry_company.id"),
            _SqlTable(filings, filing_params, "registry_application.normalized_name",
                      "registry_application.submitted_at, registry_application.id")]


def _similar_rows_postgresql(wanted: str, *, limit: int, threshold: float, scope: _Scope):
    """The candidates, each way on its own index of migrations 0014 and 0015 (see there),
    in one statement."""
    form = distinctive(wanted)
    # Each way on its own index (an OR of them would read them into one bitmap, and cut
    # the closest of one way by the count of another). The trigram search returns more
    # candidates than shown: the decision may drop the best-scored ones, and a real
    # conflict must not be left out by the cut.
    ways = [("trigram", form, max(limit * 10, 50)),
            ("form", sorted(_distinctive_query(wanted)), ONE_TYPO_CANDIDATES)]
    if typo := _typo_query(wanted):
        ways.append(("typo", sorted(typo), ONE_TYPO_CANDIDATES))
    if word := _word_query(wanted):
        ways.append(("word", sorted(word), ONE_TYPO_CANDIDATES))
    if (deletion := _keyed_query(wanted)) is not None:
        ways.append(("deletion", sorted(deletion), ONE_TYPO_CANDIDATES))

    # Hand-written: the ORM built and compiled these ten queries in about a third of the
    # check's time. Each way's query keeps its order (the closest first) and its count;
    # all go in one UNION ALL, one round trip.
    parts, params = [], []
    for table in _way_tables(scope):
        for way, value, count in ways:
            parts.append(f"({table.select} AND {_WAY_CONDITIONS[way].format(name=table.name)} "
                         f"ORDER BY similarity({_FORM_SQL.format(name=table.name)}, %s) DESC, "
                         f"{table.name} LIMIT {count:d})")
            params += [*table.params, value, form]
    # `%` (the operator the trigram index serves) compares with this setting, for this
    # transaction only: sent with the query in one string, both run in one transaction (an
    # implicit one, or the caller's), without a round trip for each of BEGIN, the setting
    # and COMMIT.
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true); "
                       + " UNION ALL ".join(parts), [str(threshold), *params])
        return _distinct(cursor.fetchall())


def _distinct(rows: list[tuple]) -> list[tuple]:
    """Each row once (a name several ways found), in the order found."""
    seen, kept = set(), []
    for row in rows:
        if (row[2], row[3]) not in seen:
            seen.add((row[2], row[3]))
            kept.append(row)
    return kept


def _similar_rows_python(wanted: str, *, threshold: float, scope: _Scope):
    """The same ways without pg_trgm, for the demo's SQLite: the candidates are the names
    that contain what a shared trigram implies ("abc", or "ab" for " ab" and "ab "), kept
    if one of the ways would find them. Names sharing only first letters ("  a") are left
    out: they score at most 1/4, under any sensible threshold, and share no word."""
    fragments = {gram.strip() for gram in trigrams(wanted) if len(gram.strip()) > 1}
    fragments.update(word for word in wanted.split() if len(word) == 1)
    sharing = Q()
    for fragment in fragments:
        sharing |= Q(normalized_name__contains=fragment)
    deletion = _keyed_query(wanted)
    if deletion is not None:
        sharing |= Q(normalized_name__in=deletion)  # "bopl" for "bpol": no fragment in common
    form = distinctive(wanted)
    forms, typo, word = _distinctive_query(wanted), _typo_query(wanted), _word_query(wanted)

    def found(normalized: str) -> bool:
        stored = stored_distinctive(normalized)
        return (trigram_similarity(form, stored) >= threshold or stored in forms
                or not typo.isdisjoint(typo_keys(stored))
                or not word.isdisjoint(word_keys(stored))
                or (deletion is not None and len(normalized) in KEYED_LENGTHS
                    and not deletion.isdisjoint(deletion_keys(normalized))))

    return [(row_name, normalized, source, reference)
            for queryset, name_field, reference_field, source in scope.tables()
            for row_name, normalized, reference in queryset.filter(sharing).values_list(
                name_field, "normalized_name", reference_field)
            if found(normalized)]


# --- the check ----------------------------------------------------------------------------


def check_name(name: str, *, exclude_application_id: int | None = None,
               public: bool = False, first_come: bool = True) -> NameCheckResult:
    """What the registry says of a proposed company name.

    The status is the gravest finding: empty (nothing distinctive left once normalised),
    taken (the same normalised name is registered, or asked by an earlier pending filing),
    reserved (it contains a reserved word), similar (close names exist; a clerk weighs the
    risk of confusion) or available. The message, in the active language, states every
    finding, the gravest first. `public` (the check shown to applicants as they type)
    keeps other applicants' pending filings private: their names and references are not
    shown, only that a filing already asks for the name or a close one (a close pending
    filing makes the name similar there too, as the engine's check will find). Each close
    name is also described in plain words (`resemblances`), with how close it is.
    `first_come` (a creation filing's check) compares with the filings submitted before
    the one excluded; without it (a company's change of name), with all in progress.
    """
    wanted = normalize(name)
    if not wanted:
        return NameCheckResult(NameStatus.EMPTY, [], [], _(
            "La dénomination ne contient aucun mot distinctif."), wanted)
    # A registered company taking a new name (first_come=False) leaves out only its own
    # entry: every filing in progress counts, whenever its creation filing was submitted.
    scope = (_Scope.of(exclude_application_id) if first_come
             else _Scope(exclude_application_id, None))
    same = _same_name(wanted, scope)
    reserved = reserved_words_in(name)
    matches = _similar(wanted, limit=MATCHES_SHOWN, threshold=similarity_threshold(), scope=scope)

    messages = []
    if same is not None and same.source == "company":
        messages.append(_("Dénomination déjà immatriculée : « %(name)s » (%(rccm)s).")
                        % {"name": same.name, "rccm": same.reference})
    elif same is not None and public:
        messages.append(_("Dénomination déjà demandée par un dossier en cours."))
    elif same is not None:
        messages.append(_("Dénomination déjà demandée par le dossier en cours %(ref)s : "
                          "« %(name)s ».") % {"ref": same.reference, "name": same.name})
    if reserved:
        messages.append(ngettext(
            "La dénomination contient un terme réservé, soumis à autorisation : %(words)s.",
            "La dénomination contient des termes réservés, soumis à autorisation : "
            "%(words)s.", len(reserved)) % {"words": ", ".join(f"« {w} »" for w in reserved)})
    if same is not None and same not in matches:
        matches = [same, *matches][:MATCHES_SHOWN]
    close = [match for match in matches if match.normalized != wanted]
    resemblances = tuple(resemblance(match, public=public) for match in close)
    if public:
        # Other applicants' filings: counted in the status and described without their
        # names (resemblances), never listed.
        matches = [match for match in matches if match.source == "company"]
    shown = [match for match in close if not public or match.source == "company"]
    if shown:
        listed = ", ".join(
            _("« %(name)s » (%(reference)s, %(percent)d %%)")
            % {"name": match.name, "reference": match.reference,
               "percent": round(match.score * 100)}
            for match in shown)
        messages.append(_("Dénomination proche de : %(matches)s. Un agent appréciera le "
                          "risque de confusion.") % {"matches": listed})
    elif close:
        messages.append(_("Dénomination proche d'une dénomination demandée par un dossier en "
                          "cours. Un agent appréciera le risque de confusion."))

    if same is not None:
        status = NameStatus.TAKEN
    elif reserved:
        status = NameStatus.RESERVED
    elif close:
        status = NameStatus.SIMILAR
    else:
        status = NameStatus.AVAILABLE
        messages.append(_("Dénomination disponible."))
    return NameCheckResult(status, matches, reserved, " ".join(messages), wanted,
                           resemblances)


def _same_name(wanted: str, scope: _Scope) -> NameMatch | None:
    """The registered company of the same normalised name (the first registered), or
    else the pending filing asking for it (the first submitted)."""
    if connection.vendor == "postgresql":
        # Both in one statement, as the check's other ways (_way_tables).
        tables = _way_tables(scope)
        parts = [f"({table.select} AND {table.name} = %s ORDER BY {table.first_come} LIMIT 1)"
                 for table in tables]
        params = [param for table in tables for param in (*table.params, wanted)]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            rows = sorted(cursor.fetchall(), key=lambda row: row[2] != "company")
    else:
        companies = (scope.companies().filter(normalized_name=wanted)
                     .order_by("registered_at", "pk").values_list("name", "rccm_number"))
        filings = (scope.pending_filings().filter(normalized_name=wanted)
                   .order_by("submitted_at", "pk").values_list("company_name", "reference"))
        rows = ([(row_name, wanted, "company", reference)
                 for row_name, reference in companies[:1]]
                or [(row_name, wanted, "application", reference)
                    for row_name, reference in filings[:1]])
    if not rows:
        return None
    row_name, _normalized, source, reference = rows[0]
    return NameMatch(row_name, wanted, 1.0, source, reference)
