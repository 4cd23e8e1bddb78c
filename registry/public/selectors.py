"""The public register's reads: the one place that decides what anyone may see of a company.

Public facts are the register's entry as OHADA publishes it (Acte uniforme relatif au droit
commercial général, RCCM): name, legal form, RCCM number, date of registration, seat (city
and region), main activity, situation, tax identifier (NIF), and the names of the persons
who manage the company. Nothing else of a person is ever read here: no birth date or place,
address, identity document, nationality, shares, contact details; partners, shareholders
and beneficial owners are not public at all.

Every read is bounded: search pages use keyset pagination over indexed orderings
(migration 0009_public_search_indexes), never OFFSET and never a COUNT over the register.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import connections, transaction
from django.db.models import (
    BooleanField,
    F,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Least
from django.http import Http404
from django.utils import timezone

from ..legal_forms import Role
from ..models import MANAGING_ROLES, Company, CompanyChange, Party, PublicEvent
from ..names import MAX_LENGTH as NAME_MAX_LENGTH
from ..names import normalize
from ..register import latest_change
from ..similarity import trigrams

# What a search row and a company page read: public columns only (never the filing, the
# capital, the address of the seat, the CNSS employer number or the certificate).
ROW_FIELDS = ("id", "name", "legal_form", "rccm_number", "registered_at", "city", "status")
PUBLIC_COMPANY_FIELDS = (*ROW_FIELDS, "region", "activity_code", "nif", "application_id")
SEARCH_PAGE_SIZE = 25
# A name is found when each word searched is close to a part of it (pg_trgm word
# similarity, 0 to 1): low enough for a typo in a word ("Elefant" for "Éléphant", 0.42),
# high enough to leave unrelated names out. Every word must be found: the index then
# intersects the words' candidates before any name is compared (a name's common words,
# "Négoce", "Lomé", no longer make thousands of candidates to rank).
NAME_SEARCH_THRESHOLD = 0.4
# A one-word search must share this many of its trigrams with a word of the name, at
# least: a short word ("Fope": 5 trigrams) would otherwise be found in every name with a
# word starting the same way ("  f", " fo": 0.4), tens of thousands to rank at a million
# companies, none of them a typo of it. One letter replaced at the end of a short word
# still shares three ("fopa"); inside a word of four letters or fewer it shares two and
# is not found ("fape"). For words of five letters or more nothing changes (0.4 of their
# 6 trigrams or more already asks three).
SHORT_WORD_SHARED_TRIGRAMS = 3
# Words of a search beyond these are not required (they still rank the names found).
NAME_SEARCH_MAX_WORDS = 6
# The words of a name, each keyed with the name's count of distinct trigrams
# ("informatique:21"): the expression migration 0012's index is built on, written the same
# (change both together). A one-word search reads the names that contain the word itself
# straight from it, closest first (_exact_word_rows).
WORD_KEYS = (r"string_to_array(regexp_replace(normalized_name, '([a-z0-9]+)', "
             r"'\1:' || array_length(show_trgm(normalized_name), 1)::text, 'g'), ' ')")
# Most distinct trigrams a normalised name can have: one per letter and one more per word.
_MAX_NAME_TRIGRAMS = NAME_MAX_LENGTH + 1
# A one-word search longer than this is ranked by the trigram index alone: up to it, a
# name without the word itself has a word similarity below 0.9995 (shared trigrams over
# fewer than 2,000), so it never ranks among the names that contain it.
_EXACT_WORD_MAX_LENGTH = 100
# A company's public history is short; the bound only keeps a page's size predictable.
EVENTS_SHOWN = 100
# Similarities kept to 3 decimals, as an integer a cursor holds exactly.
_RELEVANCE_SCALE = 1000
# The relevance of a name with the word searched in it (word similarity 1), before its
# whole-name similarity is added: every name found otherwise ranks below it.
_EXACT_WORD = _RELEVANCE_SCALE * (_RELEVANCE_SCALE + 1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
# What reads as an RCCM number (registry.identifiers.format_rccm: TG-LOM-2026-B-00042):
# one that is not on the register finds nothing, rather than names that look like it.
RCCM_NUMBER = re.compile(r"[A-Z]{2}-[A-Z]{2,6}-\d{4}-[A-Z]-\d{1,10}")


class SearchMode:
    NEWEST = "newest"  # no words: newest registrations first
    IDENTIFIER = "identifier"  # an RCCM number or a NIF, matched exactly
    NAME = "name"  # words of a name, closest first


@dataclass(frozen=True)
class RegisterFilters:
    """What a visitor narrows the register to; empty values do not filter."""

    query: str = ""
    legal_form: str = ""
    region: str = ""
    activity: str = ""  # an ISIC division, two digits
    registered_from: date | None = None
    registered_to: date | None = None
    status: str = ""


@dataclass(frozen=True)
class Cursor:
    """The last company a page showed; the next page starts strictly after it.

    Newest-first pages hold its registration time, name searches its relevance."""

    company_id: int
    registered_at: datetime | None = None
    relevance: int | None = None

    def encode(self) -> str:
        if self.relevance is not None:
            return f"r{self.relevance}.{self.company_id}"
        moment = self.registered_at or _EPOCH
        # Whole microseconds, exactly (a float timestamp may round one away, and a page
        # ending on a tie would then repeat or skip a company).
        return f"d{(moment - _EPOCH) // _MICROSECOND}.{self.company_id}"

    @classmethod
    def decode(cls, value: str) -> Cursor | None:
        """The cursor of a "next page" link; None for anything else (first page)."""
        match = re.fullmatch(r"([dr])(-?\d{1,20})\.(\d{1,19})", value or "")
        if match is None:
            return None
        kind, number, company_id = match.group(1), int(match.group(2)), int(match.group(3))
        if kind == "r":
            return cls(company_id=company_id, relevance=number)
        try:
            moment = _EPOCH + number * _MICROSECOND
        except OverflowError:
            return None
        return cls(company_id=company_id, registered_at=moment)


@dataclass(frozen=True)
class SearchPage:
    companies: list[Company]
    next_cursor: Cursor | None
    mode: str


@dataclass(frozen=True)
class PublicManager:
    """A manager as the register publishes them: a name and the managing roles, nothing
    else."""

    name: str
    roles: tuple[str, ...]


def public_companies() -> QuerySet[Company]:
    """Every company on the register, with its public columns only."""
    return Company.objects.only(*PUBLIC_COMPANY_FIELDS)


def public_company(rccm_number: str) -> Company:
    """The company with this RCCM number (public columns only); Http404 if there is none."""
    company = (public_companies().filter(rccm_number=rccm_form(rccm_number))
               .annotate(managers_change=Subquery(
                   CompanyChange.objects.filter(company=OuterRef("pk"), field="managers")
                   .order_by("-effective_at", "-pk").values("new_value")[:1],
                   output_field=JSONField())).first())
    if company is None:
        raise Http404
    return company


def public_managers(company: Company) -> list[PublicManager]:
    """The persons who manage the company (gérant, président, directeur général,
    administrateur, the trader of an EI), by name only, with their managing roles only
    (being also a partner is not public)."""
    if hasattr(company, "managers_change"):  # read with the company (public_company)
        changed = company.managers_change
    else:
        latest = latest_change(company, "managers")
        changed = latest.new_value if latest is not None else None
    if changed is not None:  # an inscription replaced the managers filed at creation
        return [PublicManager(name=manager["name"],
                              roles=tuple(str(Role(role).label) for role in manager["roles"]
                                          if role in MANAGING_ROLES))
                for manager in changed if manager.get("name")]
    parties = (Party.objects.filter(application_id=company.application_id)
               .only("kind", "roles", "first_name", "last_name", "legal_name")
               .order_by("pk"))
    managers = []
    for party in parties:
        roles = [role for role in party.roles if role in MANAGING_ROLES]
        if roles and party.full_name:
            managers.append(PublicManager(
                name=party.full_name, roles=tuple(str(Role(role).label) for role in roles)))
    return managers


def public_events(company: Company) -> list[PublicEvent]:
    """The company's public history, newest first."""
    return list(PublicEvent.objects.filter(company=company)
                .only("kind", "occurred_at", "summary")
                .order_by("-occurred_at", "-pk")[:EVENTS_SHOWN])


# --- search -------------------------------------------------------------------------------


def rccm_form(text: str) -> str:
    """An RCCM number as stored, from what a person typed: "tg lom 2026 b 42" keeps its
    parts, joined by hyphens, in capitals."""
    return "-".join(re.split(r"[\s\-_/.]+", text.strip())).upper()


def nif_form(text: str) -> str:
    """A NIF as stored: no spaces, capitals."""
    return "".join(text.split()).upper()


def _filtered(companies: QuerySet[Company], filters: RegisterFilters) -> QuerySet[Company]:
    if filters.legal_form:
        companies = companies.filter(legal_form=filters.legal_form)
    if filters.region:
        companies = companies.filter(region=filters.region)
    if filters.status:
        companies = companies.filter(status=filters.status)
    if filters.activity:
        # A division's codes are "46" to "4699": a range the index serves (digits sort
        # the same in every collation), where LIKE '46%' would need its own index.
        companies = companies.filter(activity_code__gte=filters.activity)
        if filters.activity != "99":
            companies = companies.filter(activity_code__lt=f"{int(filters.activity) + 1:02d}")
    if filters.registered_from:
        companies = companies.filter(registered_at__gte=_day_start(filters.registered_from))
    if filters.registered_to:
        companies = companies.filter(
            registered_at__lt=_day_start(filters.registered_to + timedelta(days=1)))
    return companies


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def search_register(filters: RegisterFilters, *, after: Cursor | None = None,
                    size: int = SEARCH_PAGE_SIZE) -> SearchPage:
    """One page of the register.

    Words that read as an RCCM number or a NIF find that company exactly (capitals and
    spaces do not matter); other words search names, tolerant of case, accents, legal-form
    words and typos (registry.names.normalize, trigram word similarity), closest first.
    Without words, the newest registrations first. The filters apply in every case.
    """
    companies = _filtered(public_companies().only(*ROW_FIELDS), filters)
    query = " ".join(filters.query.split())
    if query and any(char.isdigit() for char in query):
        found = list(companies.filter(Q(rccm_number=rccm_form(query)) | Q(nif=nif_form(query)))
                     .order_by("-registered_at", "-pk")[:size])
        if found or RCCM_NUMBER.fullmatch(rccm_form(query)):
            return SearchPage(found, None, SearchMode.IDENTIFIER)
    wanted = normalize(query)
    if wanted:
        return _name_page(companies, wanted, after=after, size=size)
    if query:  # only legal-form or stop words: nothing distinctive to search by
        return SearchPage([], None, SearchMode.NAME)
    return _newest_page(companies, after=after, size=size)


def _newest_page(companies: QuerySet[Company], *, after: Cursor | None,
                 size: int) -> SearchPage:
    if after is not None and after.registered_at is not None:
        # registered_at <= t is the index's range; the OR only trims the ties at t.
        companies = companies.filter(
            Q(registered_at__lt=after.registered_at) | Q(pk__lt=after.company_id),
            registered_at__lte=after.registered_at)
    found = list(companies.order_by("-registered_at", "-pk")[:size + 1])
    next_cursor = None
    if len(found) > size:
        found = found[:size]
        next_cursor = Cursor(company_id=found[-1].pk, registered_at=found[-1].registered_at)
    return SearchPage(found, next_cursor, SearchMode.NEWEST)


def _name_page(companies: QuerySet[Company], wanted: str, *, after: Cursor | None,
               size: int) -> SearchPage:
    if connections[companies.db].vendor == "postgresql":
        found = _name_rows_postgresql(companies, wanted, after=after, size=size)
    else:
        found = _name_rows_python(companies, wanted, after=after, size=size)
    next_cursor = None
    if len(found) > size:
        found = found[:size]
        next_cursor = Cursor(company_id=found[-1].pk, relevance=found[-1].relevance)
    return SearchPage(found, next_cursor, SearchMode.NAME)


def _required_words(wanted: str) -> list[str]:
    """The words a name must each contain, closely: the search's first distinct ones."""
    return list(dict.fromkeys(wanted.split()))[:NAME_SEARCH_MAX_WORDS]


def _word_threshold(wanted: str) -> float:
    """The word similarity a name must reach for each word searched: NAME_SEARCH_THRESHOLD,
    and for a one-word search at least SHORT_WORD_SHARED_TRIGRAMS of its trigrams."""
    if " " in wanted:
        return NAME_SEARCH_THRESHOLD
    return max(NAME_SEARCH_THRESHOLD,
               min(1.0, SHORT_WORD_SHARED_TRIGRAMS / len(trigrams(wanted))))


def _relevance(word_score: float, whole_score: float) -> int:
    """How close a name is, as one integer: the words searched found in the name first
    (word similarity), then the whole name alike (similarity), so that the name itself
    comes before longer names that contain it."""
    return (round(word_score * _RELEVANCE_SCALE) * (_RELEVANCE_SCALE + 1)
            + round(whole_score * _RELEVANCE_SCALE))


def _name_rows_postgresql(companies: QuerySet[Company], wanted: str, *,
                          after: Cursor | None, size: int) -> list[Company]:
    from django.contrib.postgres.lookups import TrigramWordSimilar

    if after is not None and after.relevance is None:  # not a name search's cursor
        after = None
    one_word = " " not in wanted and len(wanted) <= _EXACT_WORD_MAX_LENGTH
    # The connection the search reads on (the replica inside workflows.replica's helper):
    # the threshold below is set in its transaction, for its queries.
    alias = companies.db
    companies = companies.using(alias)
    connection = connections[alias]
    nested = connection.in_atomic_block
    with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
        found: list[Company] = []
        if one_word and (after is None or after.relevance >= _EXACT_WORD):
            # The names with the word itself first, straight from migration 0012's index.
            found = _exact_word_rows(companies, wanted, after=after, size=size)
            if len(found) > size:
                return found
            after = None  # they are all shown: the other names follow, from their first
        # `%>` compares with this setting, for this transaction only.
        cursor.execute("SELECT current_setting('pg_trgm.word_similarity_threshold', true), "
                       "set_config('pg_trgm.word_similarity_threshold', %s, true)",
                       [str(_word_threshold(wanted))])
        previous = cursor.fetchone()[0]
        # `%>` is the operator the GIN trigram index (migration 0002) serves, one per word.
        for word in _required_words(wanted):
            companies = companies.filter(TrigramWordSimilar(F("normalized_name"), Value(word)))
        if one_word:
            # The names with the word itself are all read above (their relevance is
            # _EXACT_WORD or more): the others follow them, even one whose trigrams hold
            # the word across two of its words (word similarity 1 as well).
            rows = companies.exclude(_contains_word(wanted)).annotate(
                relevance=Least(_relevance_sql(wanted), Value(_EXACT_WORD - 1)))
        else:
            rows = companies.annotate(relevance=_relevance_sql(wanted))
        if after is not None:
            rows = rows.filter(Q(relevance__lt=after.relevance)
                               | Q(relevance=after.relevance, pk__gt=after.company_id))
        found += rows.order_by(F("relevance").desc(), "pk")[:size + 1 - len(found)]
        if nested and previous is not None:  # the enclosing transaction goes on: as it was
            cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                           [previous])
    return found


def _relevance_sql(wanted: str):
    """_relevance, computed by pg_trgm."""
    from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity

    scale = _RELEVANCE_SCALE
    return (Cast(TrigramWordSimilarity(wanted, "normalized_name") * scale, IntegerField())
            * (scale + 1)
            + Cast(TrigramSimilarity("normalized_name", wanted) * scale, IntegerField()))


def _contains_word(word: str) -> RawSQL:
    """The name has this word (a normalised name's words are [a-z0-9]+, one space apart)."""
    return RawSQL("(' ' || normalized_name || ' ') LIKE %s", (f"% {word} %",),
                  output_field=BooleanField())


def _exact_word_rows(companies: QuerySet[Company], word: str, *, after: Cursor | None,
                     size: int) -> list[Company]:
    """The names that contain `word` itself, closest first (size + 1 at most).

    Their word similarity is 1 and their similarity is the word's trigrams over the name's
    distinct trigrams, a count the index keys the word with ("informatique:21"): the
    counts are read in turn, from the word's own count up, those that round to one
    relevance together (in id order then), until the page is full. Each is one entry of
    the index, so a word common to thousands of names reads only the few hundred rows
    that rank first, and a rare one a few hundred empty entries."""
    scale = _RELEVANCE_SCALE
    page = companies.filter(RawSQL(f"{WORD_KEYS} && counts.keys", (),
                                   output_field=BooleanField()))
    if after is not None:
        page = page.filter(RawSQL("(counts.relevance < %s OR registry_company.id > %s)",
                                  (after.relevance, after.company_id),
                                  output_field=BooleanField()))
    page_sql, page_params = (page.annotate(relevance=_relevance_sql(word)).order_by()
                             .query.sql_with_params())
    # The relevance of a name with the word and t distinct trigrams, as _relevance_sql
    # computes it (similarity() divides in real). `id + 0`: the planner, which cannot
    # estimate `&&` on a parameter, would otherwise walk the primary key for the order.
    counts = ("SELECT t, %s + ((array_length(show_trgm(%s::text), 1)::real / t::real)"
              " * %s::double precision)::integer AS relevance "
              "FROM generate_series(array_length(show_trgm(%s::text), 1), %s) AS t")
    counts_params: list = [_EXACT_WORD, word, scale, word, _MAX_NAME_TRIGRAMS]
    bound = ""
    if after is not None:
        bound = "HAVING relevance <= %s "
        counts_params.append(after.relevance)
    # LATERAL: the counts, closest first, each read once the previous ones are exhausted;
    # the LIMIT stops there once the page is full.
    sql = (f"SELECT page.* FROM (SELECT relevance, array_agg(%s || ':' || t) AS keys "
           f"FROM ({counts}) AS by_count GROUP BY relevance {bound}"
           f"ORDER BY relevance DESC) AS counts "
           f"CROSS JOIN LATERAL ({page_sql} ORDER BY registry_company.id + 0 LIMIT %s) AS page "
           f"LIMIT %s")
    params = [word, *counts_params, *page_params, size + 1, size + 1]
    return list(Company.objects.db_manager(companies.db).raw(sql, params))


def word_similarity(wanted: str, normalized: str) -> float:
    """pg_trgm's word_similarity(): the best similarity between the trigrams of `wanted`
    and those of any run of consecutive trigrams of `normalized`."""
    wanted_grams = trigrams(wanted)
    if not wanted_grams:
        return 0.0
    ordered = [gram for word in normalized.split()
               for gram in (f"  {word} "[index:index + 3] for index in range(len(word) + 1))]
    best = 0.0
    for start, gram in enumerate(ordered):
        if gram not in wanted_grams:
            continue  # a best run starts and ends on a shared trigram
        extent: set[str] = set()
        for end in range(start, len(ordered)):
            extent.add(ordered[end])
            if ordered[end] in wanted_grams:
                shared = len(extent & wanted_grams)
                best = max(best, shared / (len(wanted_grams) + len(extent) - shared))
    return best


def _name_rows_python(companies: QuerySet[Company], wanted: str, *, after: Cursor | None,
                      size: int) -> list[Company]:
    """The same measure without pg_trgm, for the demo's SQLite: the candidates are the
    names sharing a fragment of two letters or more with the words searched, scored here."""
    from ..similarity import trigram_similarity

    fragments = {gram.strip() for gram in trigrams(wanted) if len(gram.strip()) > 1}
    fragments.update(word for word in wanted.split() if len(word) == 1)
    sharing = Q()
    for fragment in fragments:
        sharing |= Q(normalized_name__contains=fragment)
    scored = []
    threshold = _word_threshold(wanted)
    for company in companies.only(*ROW_FIELDS, "normalized_name").filter(sharing):
        if any(word_similarity(word, company.normalized_name) < threshold
               for word in _required_words(wanted)):
            continue
        word_score = word_similarity(wanted, company.normalized_name)
        company.relevance = _relevance(word_score,
                                       trigram_similarity(wanted, company.normalized_name))
        if after is not None and after.relevance is not None and not (
                company.relevance < after.relevance
                or (company.relevance == after.relevance and company.pk > after.company_id)):
            continue
        scored.append(company)
    scored.sort(key=lambda company: (-company.relevance, company.pk))
    return scored[:size + 1]
