"""The company-name check: is a name free, too close to another, or reserved?

A name is compared, once normalised (registry.names), with the companies on the register
and the filings still pending (under review, sent back for correction, approved but not
yet registered). The rule, as a clerk reads it:

- the same normalised name is taken;
- otherwise names are compared on their distinctive words: without the common words
  (COMMON_WORDS: "Groupe", "Services", "International", "Togo") and the activity words
  (ACTIVITY_WORDS: "Transports", "Boulangerie"), a typo in those included; a name without
  any is compared on its words but the common ones ("Transports"), a name of common words
  only on the whole name;
- a name is close when its distinctive words are close by trigram similarity (pg_trgm's, at
  the threshold REGISTRY_NAME_SIMILARITY_THRESHOLD; the percentage shown), or are the same
  but for a typo, or are another's with words added ("Banque Éléphant Bleu");
- unless their activity words differ (none in common, or one name without any):
  "Boulangerie Agbeko" and "Transports Agbeko", or "MAQKL" and "MAQKL Formation", are told
  apart by their activities; not names of the same distinctive words, two or more
  ("Éléphant Bleu" and "Éléphant Bleu Transports").

So "Groupe Services Kara" and "Groupe Services Lomé", or "Transports Agbeko Lomé" and
"Transports Mensah Lomé", which share only such words, are not close; "Multimédia Kuevi"
and "Groupe Kuevi Multimédia", which differ only by them, are.

On PostgreSQL the candidates are found by the database on the distinctive words (migration
0015_name_distinctive_words: the SQL function registry_name_distinctive, which is
stored_distinctive below, and GIN indexes on it): by pg_trgm's `%` operator; short ones
(up to 10 characters), whose few trigrams one typo leaves too far apart and whose common
trigrams would bring thousands of names to read, by their deletion keys instead (migration
0014's function: the same words one typo away, or in another order). Elsewhere (SQLite in
the demo) the same measure is computed in Python over the names that share a fragment with
the distinctive words checked.

The same check serves the form (the result shows while the applicant types) and the
engine's automatic step (registry.checks.name_check), which checks again on submission.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

import yaml
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet, Value
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Application, ApplicationState, Company
from .names import LEGAL_FORM_WORDS, normalize

DEFAULT_SIMILARITY_THRESHOLD = 0.75
# The trigram index is asked for names this much less similar than the threshold: the
# decision (distinctive words, typos) is taken on the candidates it returns.
RETRIEVAL_MARGIN = 0.2
# At most this many names one typo away (deletion keys) are weighed, from each table.
ONE_TYPO_CANDIDATES = 50
# Migration 0015's SQL function: stored_distinctive() in the database.
DISTINCTIVE_FUNCTION = "registry_name_distinctive"
DEFAULT_RESERVED_WORDS_FILE = Path(__file__).resolve().parent / "data" / "reserved_words.yaml"
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


def _words(text: str) -> frozenset[str]:
    """The words of a list written as names are normalised (lower case, no accents)."""
    return frozenset(text.split())


# Words many names share and that tell no business from another: legal-form typos aside,
# generic words ("Groupe", "Services", "International") and the country ("Togo"). Dropped
# before names are compared.
COMMON_WORDS = _words("""
group groupe groupes service services togo togolais togolaise africa afrik afrique
africaine african international internationale global globale general generale company
compagnie cie corporation holding business trading solution solutions fils freres soeurs
associes partenaires plus
""")
# What a business does, the way names say it ("Transports", "Boulangerie"): part of a name,
# not what tells it from another, compared apart: two names alike on their distinctive
# words but each with an activity word, none in common, are told apart by their activities.
ACTIVITY_WORDS = _words("""
transport transports transit transitaire boulangerie patisserie alimentation quincaillerie
couture coiffure menuiserie plomberie electricite informatique numerique imprimerie
librairie pharmacopee agro agrobusiness agricole agriculture elevage peche import export
commerce commercial negoce distribution logistique consignation batiment btp construction
constructions travaux immobilier immobiliere hotellerie hotel restauration restaurant
maquis traiteur voyage voyages tourisme communication medias media evenementiel securite
gardiennage nettoyage energie solaire mines carrieres textile textiles pagnes cosmetiques
beaute sante clinique optique formation consulting conseil conseils etudes architecture
ingenierie topographie garage mecanique pieces auto automobile motos taxi location
materiaux ciment fer bois cacao cafe coton soja karite anacarde huilerie rizerie meunerie
boissons eaux glaces volailles porcherie pisciculture maraichage telecoms multimedia photo
video musique mode chaussures bijouterie horlogerie papeterie fournitures bureautique froid
climatisation forage hydraulique assainissement industrie industries
""")



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
# What a listed word is; a word of TYPO_LISTED_LENGTH letters or more one typo away from a
# listed one is taken for it ("Groue", "Trasnports", "Kpalimée").
COMMON, ACTIVITY = "common", "activity"
TYPO_LISTED_LENGTH = 5
_LISTED = {**{word: ACTIVITY for word in ACTIVITY_WORDS},
           **{word: COMMON for word in COMMON_WORDS}}


def _typo_index() -> dict[str, list[tuple[str, str]]]:
    """The listed words by their deletion keys: a word one typo from a listed one shares a
    key with it (deletion_keys)."""
    index: dict[str, list[tuple[str, str]]] = {}
    listed = [(word, kind) for word, kind in _LISTED.items() if len(word) >= TYPO_LISTED_LENGTH]
    listed += [(form, COMMON) for form in _LEGAL_FORM_WORDS]
    for word, kind in listed:
        for key in deletion_keys(word):
            index.setdefault(key, []).append((word, kind))
    return index


@functools.lru_cache(maxsize=65536)
def word_kind(word: str) -> str | None:
    """COMMON (a common or legal-form word), ACTIVITY, or None for a distinctive word. A
    typo does not make a listed word distinctive: a word one typo from a listed one (of
    TYPO_LISTED_LENGTH letters or more; four for legal forms, "SRAL") is taken for it."""
    kind = _LISTED.get(word)
    if kind is not None or len(word) < 4:
        return kind
    kinds = {listed_kind for key in deletion_keys(word) for listed, listed_kind
             in _TYPO_INDEX.get(key, ())
             if (len(word) >= TYPO_LISTED_LENGTH or listed in _LEGAL_FORM_WORDS)
             and _one_edit_apart(word, listed)}
    for kind in (COMMON, ACTIVITY):
        if kind in kinds:
            return kind
    return None


def _common(word: str) -> bool:
    return word_kind(word) == COMMON


def distinctive(normalized: str) -> str:
    """What two names are compared on: the distinctive words of a normalised name (without
    its common and activity words, typos included); for a name without any, its words but
    the common ones ("transports"); for a name of common words only, the whole name
    ("togo services group")."""
    words = normalized.split()
    kinds = [word_kind(word) for word in words]
    kept = [word for word, kind in zip(words, kinds, strict=True) if kind is None]
    if not kept:
        kept = [word for word, kind in zip(words, kinds, strict=True) if kind != COMMON]
    return " ".join(kept) if kept else normalized


def stored_distinctive(normalized: str) -> str:
    """distinctive() with the listed words as written only (no typos): what migration
    0015's SQL function registry_name_distinctive indexes, and the search compares."""
    words = normalized.split()
    kept = [word for word in words if word not in _LISTED]
    if not kept:
        kept = [word for word in words if _LISTED.get(word) != COMMON]
    return " ".join(kept) if kept else normalized


def activities(normalized: str) -> list[str]:
    """The activity words of a name that has distinctive words too (none otherwise: the
    activity is then what it is compared on)."""
    kinds = [(word, word_kind(word)) for word in normalized.split()]
    if all(kind is not None for _, kind in kinds):
        return []
    return [word for word, kind in kinds if kind == ACTIVITY]


def told_apart_by_activity(left: str, right: str) -> bool:
    """The names say different activities, or one says an activity and the other none: no
    activity word of one is (up to a typo) a word of the other ("Boulangerie Agbeko" and
    "Transports Agbeko", "MAQKL Formation" and "MAQKL"). A name that says none is not told
    apart so from one of the same distinctive words, two or more ("Éléphant Bleu" and
    "Éléphant Bleu Transports")."""
    left_activities, right_activities = activities(left), activities(right)
    if not left_activities and not right_activities:
        return False
    left_words, right_words = left.split(), right.split()
    if any(a == b or _one_edit_apart(a, b)
           for own, other in ((left_activities, right_words), (right_activities, left_words))
           for a in own for b in other):
        return False
    if left_activities and right_activities:
        return True
    left_core, right_core = distinctive(left).split(), distinctive(right).split()
    return not (len(left_core) >= 2 and sorted(left_core) == sorted(right_core))


def distinctive_similarity(left: str, right: str) -> float:
    """Trigram similarity of the distinctive words of two normalised names."""
    return trigram_similarity(distinctive(left), distinctive(right))


# A word this long may carry a typo and still be the same word; shorter ones must match.
TYPO_WORD_LENGTH = 4


# A letter replaced is a typo in a word this long, or a listed one ("Fins" for "Fils"),
# beside a distinctive word that matches ("Kade Kotah" for "Kade Kozah"); in a word one
# letter longer beside any word that matches ("Notena Clinique" for "Notepa Clinique"); or
# in a word whose trigrams stay close (long words). Not otherwise: among a million names,
# most short words have a neighbour one letter replaced, a name of its own as often as a
# typo ("SOTRAKA" and "SOTRAMA", "Wodzi Taxi" and "Bodzi Taxi").
TYPO_REPLACED_LENGTH = 5
TYPO_REPLACED_SIMILARITY = 0.55


def _words_but_a_typo(left_words: list[str], right_words: list[str],
                      anchors: set[str]) -> bool:
    if len(left_words) != len(right_words) or left_words == right_words:
        return False
    pairs = list(zip(left_words, right_words, strict=True))
    anchored = any(a == b and a in anchors for a, b in pairs)
    beside = any(a == b for a, b in pairs)
    return all(a == b or (max(len(a), len(b)) >= TYPO_WORD_LENGTH and _one_edit_apart(
                   a, b, replaced=(anchored and (min(len(a), len(b)) >= TYPO_REPLACED_LENGTH
                                                 or b in _LISTED or a in _LISTED))
                   or (beside and min(len(a), len(b)) >= TYPO_REPLACED_LENGTH + 1)
                   or trigram_similarity(a, b) >= TYPO_REPLACED_SIMILARITY))
               for a, b in pairs)


def same_words_but_a_typo(left: str, right: str) -> bool:
    """The same words in the same order, the distinctive ones or all, each equal or, when
    long enough, one typo away (a letter added, left out, two swapped, or replaced: see
    TYPO_REPLACED_LENGTH): "Kpalime Transit" and "Kpalmie Transit", "Tchesiso Fins Vidéo"
    and "Tchesiso Fils Vidéo". Trigrams lose up to three of a short word's grams to one
    typo; the words do not."""
    left_core, right_core = distinctive(left).split(), distinctive(right).split()
    anchors = set(left_core)
    if _words_but_a_typo(left_core, right_core, anchors):
        return True
    left_words, right_words = left.split(), right.split()
    return len(left_words) >= 2 and _words_but_a_typo(left_words, right_words, anchors)


def extends(wanted: str, existing: str) -> bool:
    """The wanted name is an existing one (of two distinctive words or more) with words
    added around it: "Banque Éléphant Bleu" extends "Éléphant Bleu"."""
    inner, outer = distinctive(existing).split(), distinctive(wanted).split()
    if len(inner) < 2 or len(outer) <= len(inner):
        return False
    return any(outer[start:start + len(inner)] == inner
               for start in range(len(outer) - len(inner) + 1))


# Distinctive words this long (in characters, spaces included) are also found by their
# deletion keys: one typo costs a short word up to four of its few trigrams, which leaves it
# under any sensible trigram threshold ("bopl" and "boal": 0.25). Longer ones keep enough.
# Migrations 0014_name_deletion_keys and 0015_name_distinctive_words index the same
# lengths: change them together.
KEYED_LENGTHS = range(3, 13)


def deletion_keys(normalized: str) -> set[str]:
    """The name with each of its characters left out in turn, and the name itself: two
    names one typo apart (a letter replaced, added, left out, or two neighbours swapped)
    share one of these keys. Migration 0014's SQL function registry_name_deletion_keys
    computes the same keys."""
    return {normalized[:index] + normalized[index + 1:]
            for index in range(len(normalized))} | {normalized}


_TYPO_INDEX = _typo_index()


def _keyed_query(key: str) -> set[str] | None:
    """The deletion keys to look up for the distinctive words compared (`key`), when a
    keyed one (KEYED_LENGTHS) may be one typo away, and the same words in another order
    ("kara agbeko" for "agbeko kara"); None otherwise."""
    if KEYED_LENGTHS.start - 1 <= len(key) <= KEYED_LENGTHS.stop:
        words = key.split()
        orders = ({" ".join(order) for order in itertools.permutations(words)}
                  if len(words) <= 3 else set())
        return deletion_keys(key) | orders
    return None


def _trigram_search_needed(key: str) -> bool:
    """Whether the trigram index is searched for `key`: not for words short enough that
    the names one letter longer are keyed too (KEYED_LENGTHS), whose few and common
    trigrams match thousands of names in the index, to be read and discarded; the same
    words, in any order, or one typo away, are what is close to them, and their deletion
    keys find those."""
    return _keyed_query(key) is None or len(key) >= KEYED_LENGTHS.stop - 2


def _retrieval_threshold(threshold: float) -> float:
    """What the trigram index is asked for: lower than the decision's threshold, so that a
    name one typo away from a short one is still among the candidates."""
    return max(0.3, threshold - RETRIEVAL_MARGIN)


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
    retrieve = _retrieval_threshold(threshold)
    # The candidates are found on their distinctive words (stored_distinctive: what the
    # indexes of migration 0015 hold), so that the words many names share ("Transports",
    # "Groupe", "Lomé") neither bring thousands of names to weigh nor make names close.
    key = distinctive(wanted)
    if connection.vendor == "postgresql":
        rows = _similar_rows_postgresql(key, wanted, limit=limit, threshold=retrieve,
                                        scope=scope)
    else:
        rows = _similar_rows_python(key, threshold=retrieve, scope=scope)
    # A candidate is close when its distinctive words are (the score shown is theirs), or
    # it is the wanted name with words added, or the same words but a typo; and not when
    # both names say an activity and they are different ones ("Boulangerie Agbeko" and
    # "Transports Agbeko" are told apart by their activities).
    #
    # A letter left out or added or two neighbours swapped is a typo ("MEBEJDI", "IAM" for
    # "MEBEDJI", "IMAM"); a letter replaced, in long words only (TYPO_REPLACED_LENGTH).
    matches, alike = [], {}
    for row_name, normalized, _found_score, source, reference in rows:
        score = distinctive_similarity(wanted, normalized)
        if ((score >= threshold or extends(wanted, normalized)
                or same_words_but_a_typo(wanted, normalized))
                and not told_apart_by_activity(wanted, normalized)):
            matches.append(NameMatch(name=row_name, normalized=normalized, score=score,
                                     source=source, reference=reference))
            alike[normalized] = trigram_similarity(wanted, normalized)
    # Best first; among equals the same name first, then the names alike as a whole (their
    # activity words too), then the register before filings.
    matches.sort(key=lambda match: (-match.score, match.normalized != wanted,
                                    -alike[match.normalized], match.source != "company",
                                    match.name))
    return matches[:limit]


def _similar_rows_postgresql(key: str, wanted: str, *, limit: int, threshold: float,
                             scope: _Scope):
    from django.contrib.postgres.fields import ArrayField
    from django.contrib.postgres.lookups import TrigramSimilar
    from django.contrib.postgres.search import TrigramSimilarity
    from django.db.models import Func, TextField
    from django.db.models.functions import Length

    def stored(queryset: QuerySet) -> QuerySet:
        # Migration 0015's expression, as its indexes write it.
        return queryset.alias(core=Func(F("normalized_name"), function=DISTINCTIVE_FUNCTION,
                                        output_field=TextField()))

    def ranked(queryset: QuerySet, name_field: str, reference_field: str, source: str,
               count: int):
        # The names alike as a whole first ("Transports Agbeko" before "Boulangerie
        # Agbeko" for "Transports Agbeko"; "Dikupe Textiles" before "Diku" for "Dikue
        # Textiles"), by the whole names' similarity (cheaper than the distinctive words'
        # function, weighed in Python on the rows kept).
        rows = (queryset.annotate(whole=TrigramSimilarity("normalized_name", wanted))
                .order_by("-whole", "normalized_name")
                .values_list(name_field, "normalized_name", "whole", reference_field))
        return [(row_name, normalized, score, source, reference)
                for row_name, normalized, score, reference in rows[:count]]

    def close(queryset: QuerySet, name_field: str, reference_field: str, source: str):
        # More candidates than shown: the decision (activities, typos) may drop the
        # best-scored ones, and a real conflict must not be left out by the cut.
        return ranked(stored(queryset).filter(TrigramSimilar(F("core"), Value(key))),
                      name_field, reference_field, source, max(limit * 10, 50))

    keys = _keyed_query(key)

    def one_typo(queryset: QuerySet, name_field: str, reference_field: str, source: str):
        """The names whose short distinctive words share a deletion key with the wanted
        one's (migration 0015's indexes), those the trigrams miss."""
        queryset = (stored(queryset).alias(
                        core_length=Length("core"),
                        core_keys=Func(F("core"), function="registry_name_deletion_keys",
                                       output_field=ArrayField(TextField())))
                    .filter(core_length__range=(KEYED_LENGTHS.start, KEYED_LENGTHS.stop - 1),
                            core_keys__overlap=sorted(keys)))
        return ranked(queryset, name_field, reference_field, source, ONE_TYPO_CANDIDATES)

    # `%` (the operator the GIN index serves) compares with this setting, for this
    # transaction only.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
                       [str(threshold)])
        rows = []
        if _trigram_search_needed(key):
            rows += (close(scope.companies(), "name", "rccm_number", "company")
                     + close(scope.pending_filings(), "company_name", "reference",
                             "application"))
        if keys is not None:
            rows += (one_typo(scope.companies(), "name", "rccm_number", "company")
                     + one_typo(scope.pending_filings(), "company_name", "reference",
                                "application"))
    return _distinct(rows)


def _distinct(rows: list[tuple]) -> list[tuple]:
    """Each row once (a name both searches found), in the order found."""
    seen, kept = set(), []
    for row in rows:
        if (row[3], row[4]) not in seen:
            seen.add((row[3], row[4]))
            kept.append(row)
    return kept


def _similar_rows_python(key: str, *, threshold: float, scope: _Scope):
    """The same measure without pg_trgm, for the demo's SQLite: the candidates are the
    names that contain what a shared trigram of the distinctive words implies ("abc", or
    "ab" for " ab" and "ab "), scored here on their stored distinctive words. Names sharing
    only first letters ("  a") are left out: they score at most 1/4, under any sensible
    threshold."""
    fragments = {gram.strip() for gram in trigrams(key) if len(gram.strip()) > 1}
    fragments.update(word for word in key.split() if len(word) == 1)
    sharing = Q()
    for fragment in fragments:
        sharing |= Q(normalized_name__contains=fragment)
    keys = _keyed_query(key)
    by_trigrams = _trigram_search_needed(key)
    sources = (
        ("company", scope.companies().values_list("name", "normalized_name", "rccm_number")),
        ("application", scope.pending_filings()
         .values_list("company_name", "normalized_name", "reference")),
    )
    rows = []
    for source, candidates in sources:
        candidates = candidates.filter(sharing | _one_typo_fragments(key)
                                       if keys is not None else sharing)
        for row_name, normalized, reference in candidates:
            core = stored_distinctive(normalized)
            score = trigram_similarity(key, core)
            if (by_trigrams and score >= threshold) or (
                    keys is not None and len(core) in KEYED_LENGTHS
                                      and not keys.isdisjoint(deletion_keys(core))):
                rows.append((row_name, normalized, score, source, reference))
    return rows


def _one_typo_fragments(key: str) -> Q:
    """What a name one typo from `key` contains: the typo leaves either its first or its
    last (length - 1) // 2 characters as they are ("bpol" for "bopl": "b" or "l"), here
    each as its longest word piece."""
    half = max(1, (len(key) - 1) // 2)
    fragments = {max(part.split(), key=len, default="") for part in (key[:half], key[-half:])}
    return Q(*[Q(normalized_name__contains=fragment) for fragment in fragments if fragment],
             _connector=Q.OR)


# --- reserved words -----------------------------------------------------------------------


@dataclass(frozen=True)
class _ReservedEntry:
    label: str
    words: tuple[str, ...]
    prefix: bool  # the last word may have any ending
    leading: bool  # only as the name's first word

    def found_in(self, words: list[str]) -> bool:
        size = len(self.words)
        starts = range(1) if self.leading else range(len(words) - size + 1)
        return any(self._matches(words[start:start + size]) for start in starts)

    def _matches(self, window: list[str]) -> bool:
        if len(window) != len(self.words):
            return False
        *exact, last = self.words
        return window[:-1] == exact and (
            window[-1].startswith(last) if self.prefix else window[-1] == last)


@functools.cache
def _reserved_entries(path: str) -> tuple[_ReservedEntry, ...]:
    with open(path, encoding="utf-8") as source:
        data = yaml.safe_load(source) or {}
    entries = []
    for item in data.get("reserved", []):
        spec = item if isinstance(item, dict) else {"word": item}
        text = str(spec["word"]).strip()
        words = tuple(normalize(text.rstrip("*")).split())
        if words:
            entries.append(_ReservedEntry(label=text.rstrip("*"), words=words,
                                          prefix=text.endswith("*"),
                                          leading=bool(spec.get("leading", False))))
    return tuple(entries)


def _reserved_entries_in_use() -> tuple[_ReservedEntry, ...]:
    path = getattr(settings, "REGISTRY_RESERVED_WORDS_FILE", DEFAULT_RESERVED_WORDS_FILE)
    return _reserved_entries(str(path))


def reserved_words_in(name: str) -> list[str]:
    """The reserved words (setting REGISTRY_RESERVED_WORDS_FILE) the name contains, as the
    list spells them: « Banque », « National »."""
    words = normalize(name).split()
    return [entry.label for entry in _reserved_entries_in_use() if entry.found_in(words)]


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
    company = (scope.companies().filter(normalized_name=wanted).only("name", "rccm_number")
               .order_by("registered_at", "pk").first())
    filing = None
    if company is None:
        filing = (scope.pending_filings().filter(normalized_name=wanted)
                  .only("reference", "company_name").order_by("submitted_at", "pk").first())
    reserved = reserved_words_in(name)
    matches = _similar(wanted, limit=MATCHES_SHOWN, threshold=similarity_threshold(), scope=scope)

    messages = []
    if company is not None:
        messages.append(_("Dénomination déjà immatriculée : « %(name)s » (%(rccm)s).")
                        % {"name": company.name, "rccm": company.rccm_number})
    elif filing is not None and public:
        messages.append(_("Dénomination déjà demandée par un dossier en cours."))
    elif filing is not None:
        messages.append(_("Dénomination déjà demandée par le dossier en cours %(ref)s : "
                          "« %(name)s ».") % {"ref": filing.reference,
                                             "name": filing.company_name})
    if reserved:
        messages.append(ngettext(
            "La dénomination contient un terme réservé, soumis à autorisation : %(words)s.",
            "La dénomination contient des termes réservés, soumis à autorisation : "
            "%(words)s.", len(reserved)) % {"words": ", ".join(f"« {w} »" for w in reserved)})
    same = _same_name_match(company, filing, wanted)
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

    if company is not None or filing is not None:
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


def _same_name_match(company: Company | None, filing: Application | None,
                     wanted: str) -> NameMatch | None:
    if company is not None:
        return NameMatch(company.name, wanted, 1.0, "company", company.rccm_number)
    if filing is not None:
        return NameMatch(filing.company_name, wanted, 1.0, "application", filing.reference)
    return None
