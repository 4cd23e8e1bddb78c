"""The public register's search: by name (tolerant of accents, case and typos), by RCCM
number or NIF (exact), narrowed by filters, newest first without words, in keyset pages
that neither repeat nor skip a company, in a constant number of queries."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registry.models import Company
from registry.public import selectors
from registry.public.selectors import Cursor, RegisterFilters, search_register

from . import BASE_TIME, make_company

pytestmark = pytest.mark.django_db

SEARCH_URL = "/registre/"


def names(response) -> list[str]:
    return [company.name for company in response.context["companies"]]


def search(client, **params):
    response = client.get(SEARCH_URL, params)
    assert response.status_code == 200
    return response


@pytest.fixture
def register():
    """A few companies with distinct facts."""
    return {
        "elephant": make_company("Éléphant Bleu", legal_form="SARL", region="maritime",
                                 city="Lomé", activity_code="4690", nif="1000123456"),
        "baobab": make_company("Baobab Transports", legal_form="SA", region="kara",
                               city="Kara", activity_code="4923", nif="1000654321"),
        "soleil": make_company("Soleil Levant", legal_form="SARL", region="plateaux",
                               city="Atakpamé", activity_code="0111", status="dissolved"),
        "savanes": make_company("Coton des Savanes", legal_form="SAS", region="savanes",
                                city="Dapaong", activity_code="0116"),
    }


def test_the_url_is_the_public_register(client):
    assert reverse("public:search") == SEARCH_URL
    assert reverse("public:company", args=["TG-LOM-2026-B-00001"]) == (
        "/registre/TG-LOM-2026-B-00001/")


def test_without_words_the_newest_registrations_come_first(client, register):
    response = search(client)

    assert names(response) == ["Coton des Savanes", "Soleil Levant", "Baobab Transports",
                               "Éléphant Bleu"]
    assert response.context["mode"] == selectors.SearchMode.NEWEST


def test_a_row_shows_the_public_facts_and_links_to_the_company_page(client, register):
    text = search(client, q="Éléphant Bleu").content.decode()

    assert "Éléphant Bleu" in text
    assert "SARL" in text and "Lomé" in text and register["elephant"].rccm_number in text
    assert "1 juin 2026" in text and "en activité" in text
    assert f'href="/registre/{register["elephant"].rccm_number}/"' in text


def test_the_exact_name_is_found_first(client, register):
    make_company("Éléphant Bleu Logistique")

    assert names(search(client, q="Éléphant Bleu"))[:2] == ["Éléphant Bleu",
                                                            "Éléphant Bleu Logistique"]


@pytest.mark.parametrize("typed", ["elephant bleu", "ELEPHANT BLEU", "Elephant-Bleu SARL",
                                   "Eléfant Bleu", "elephant bleus", "elephant"])
def test_a_name_is_found_without_accents_case_legal_form_or_with_a_typo(client, register,
                                                                        typed):
    assert names(search(client, q=typed))[0] == "Éléphant Bleu"


def test_unrelated_names_are_left_out(client, register):
    assert "Éléphant Bleu" not in names(search(client, q="Baobab"))
    assert names(search(client, q="Zzyzx Quartz")) == []


def test_a_short_word_finds_its_typos_not_every_name_starting_alike(client, db):
    make_company("Fope Services")
    make_company("Folly Transport")  # "  f", " fo": 2 of the 5 trigrams of "fope"

    assert names(search(client, q="Fope")) == ["Fope Services"]
    assert names(search(client, q="Fopa")) == ["Fope Services"]  # a typo: 3 of 5


def test_the_word_threshold_asks_three_trigrams_of_a_short_word():
    assert selectors._word_threshold("fope") == pytest.approx(0.6)  # 3 of 5
    assert selectors._word_threshold("kpa") == pytest.approx(0.75)  # 3 of 4
    assert selectors._word_threshold("commerce") == selectors.NAME_SEARCH_THRESHOLD
    assert selectors._word_threshold("kara negoce") == selectors.NAME_SEARCH_THRESHOLD


def test_only_legal_form_words_find_nothing_rather_than_everything(client, register):
    response = search(client, q="SARL")

    assert names(response) == []
    assert "Aucune entreprise immatriculée ne correspond" in response.content.decode()


@pytest.mark.parametrize("typed", ["TG-LOM-2026-B-{n}", "tg-lom-2026-b-{n}",
                                   " TG LOM 2026 B {n} "])
def test_an_rccm_number_finds_its_company_exactly(client, register, typed):
    number = register["baobab"].rccm_number.rsplit("-", 1)[1]
    response = search(client, q=typed.format(n=number))

    assert names(response) == ["Baobab Transports"]
    assert response.context["mode"] == selectors.SearchMode.IDENTIFIER


def test_an_unknown_rccm_number_finds_nothing(client, register):
    assert names(search(client, q="TG-LOM-2026-B-99999")) == []


@pytest.mark.parametrize("typed", ["1000654321", "1000 654 321", " 1000654321 "])
def test_a_nif_finds_its_company_exactly(client, register, typed):
    assert names(search(client, q=typed)) == ["Baobab Transports"]


def test_a_name_with_digits_is_still_searched_by_name(client, register):
    make_company("Groupe 2000 Négoce")

    assert names(search(client, q="2000 negoce")) == ["Groupe 2000 Négoce"]


@pytest.mark.parametrize(("params", "expected"), [
    ({"forme": "SARL"}, ["Soleil Levant", "Éléphant Bleu"]),
    ({"region": "kara"}, ["Baobab Transports"]),
    ({"activite": "01"}, ["Coton des Savanes", "Soleil Levant"]),
    ({"activite": "49"}, ["Baobab Transports"]),
    ({"situation": "dissolved"}, ["Soleil Levant"]),
    ({"region": "maritime", "forme": "SA"}, []),
    ({"forme": "SARL", "q": "soleil"}, ["Soleil Levant"]),
])
def test_each_filter_narrows_the_register(client, register, params, expected):
    assert names(search(client, **params)) == expected


def test_the_registration_dates_filter_whole_days(client):
    day = timezone.make_aware(datetime(2026, 3, 10, 23, 30))
    make_company("Avant", registered_at=day - timedelta(days=1))
    make_company("Pendant", registered_at=day)
    make_company("Après", registered_at=day + timedelta(days=1))

    assert names(search(client, du="2026-03-10", au="2026-03-10")) == ["Pendant"]
    assert names(search(client, du="2026-03-10")) == ["Après", "Pendant"]
    assert names(search(client, au="2026-03-10")) == ["Pendant", "Avant"]


def test_a_wrong_filter_is_shown_in_french_and_the_others_still_apply(client, register):
    response = search(client, du="2026-12-31", au="2026-01-01", region="kara")

    assert "La date de fin précède la date de début." in response.content.decode()
    assert names(response) == ["Baobab Transports"]
    assert names(search(client, forme="XYZ")) == names(search(client))


def test_the_search_page_works_without_javascript_and_on_a_phone(client, register):
    text = search(client).content.decode()

    assert '<form method="get" action="/registre/" role="search">' in text
    assert 'class="stack"' in text and 'data-label="Numéro RCCM"' in text
    assert "<script>" not in text and "style=" not in text


# --- keyset pages ---------------------------------------------------------------------


def _walk(client, params: dict) -> list[str]:
    """Every page, following the "next page" links."""
    seen: list[str] = []
    query = dict(params)
    for _page in range(100):
        response = search(client, **query)
        seen += names(response)
        if not response.context["next_query"]:
            return seen
        query = {key: values[-1] for key, values in
                 parse_qs(urlparse("?" + response.context["next_query"]).query).items()}
    raise AssertionError("the pages never end")


def test_pages_of_the_newest_neither_repeat_nor_skip_on_equal_dates():
    same_time = BASE_TIME + timedelta(days=30)
    for number in range(7):
        make_company(f"Même Heure {number}", registered_at=same_time)
    for number in range(6):
        make_company(f"Autre Heure {number}", registered_at=same_time - timedelta(hours=number))

    seen = _walk_selector(RegisterFilters())

    assert len(seen) == 13 and len(set(seen)) == 13
    newest = list(Company.objects.order_by("-registered_at", "-pk").values_list("pk", flat=True))
    assert seen == newest


def _walk_selector(filters: RegisterFilters, size: int = 4) -> list[int]:
    seen: list[int] = []
    after = None
    while True:
        page = search_register(filters, after=after, size=size)
        seen += [company.pk for company in page.companies]
        if page.next_cursor is None:
            return seen
        after = Cursor.decode(page.next_cursor.encode())


def test_the_next_page_link_carries_the_criteria(client):
    for number in range(selectors.SEARCH_PAGE_SIZE + 3):
        make_company(f"Kara Négoce {number}", region="kara")

    seen = _walk(client, {"region": "kara"})

    assert len(seen) == selectors.SEARCH_PAGE_SIZE + 3 == len(set(seen))


def test_pages_of_a_name_search_neither_repeat_nor_skip_on_equal_relevance():
    ids = {make_company(f"Lomé Négoce {number}").pk for number in range(9)}
    ids |= {make_company("Lomé Négoce").pk for _ in range(3)}  # same name, same relevance
    make_company("Kara Transit")

    seen = _walk_selector(RegisterFilters(query="lome negoce"), size=4)

    assert len(seen) == len(set(seen)) == 12 and set(seen) == ids


def test_a_forged_cursor_gives_the_first_page(client, register):
    assert names(search(client, apres="d9999999999999999999999.1x")) == names(search(client))
    assert Cursor.decode("nonsense") is None


# --- cost -----------------------------------------------------------------------------


def _queries(client, params: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        search(client, **params)
    return len(captured)


@pytest.mark.parametrize("params", [{}, {"q": "Kara Négoce"}, {"q": "kara negoce 7"},
                                    {"q": "TG-LOM-2026-B-00001"}, {"region": "kara",
                                                                   "forme": "SARL"}])
def test_the_number_of_queries_does_not_grow_with_the_register(client, params):
    for number in range(5):
        make_company(f"Kara Négoce {number}", region="kara")
    few = _queries(client, params)
    for number in range(5, 50):
        make_company(f"Kara Négoce {number}", region="kara")

    assert _queries(client, params) == few <= 4


def test_no_query_counts_the_register(client, register):
    with CaptureQueriesContext(connection) as captured:
        search(client)
        search(client, q="elephant")

    statements = " ".join(query["sql"].upper() for query in captured)
    assert "COUNT(" not in statements and "OFFSET" not in statements


def test_the_filters_show_what_was_chosen(client, register):
    text = search(client, region="kara", activite="49", du="2026-01-02").content.decode()

    assert '<option value="kara" selected>Kara</option>' in text
    assert '<option value="49" selected>' in text
    assert 'name="du" id="id_du" value="2026-01-02"' in text
    assert '<option value="" selected>Toutes les formes</option>' in text


def test_a_cursor_keeps_the_registration_time_to_the_microsecond():
    moment = timezone.make_aware(datetime(2026, 11, 30, 16, 12, 59, 999_999))

    decoded = Cursor.decode(Cursor(company_id=7, registered_at=moment).encode())

    assert decoded == Cursor(company_id=7, registered_at=moment)
    assert Cursor.decode("d" + "9" * 20 + ".1") is None


def test_a_date_at_the_end_of_the_calendar_is_refused_in_french_not_a_server_error(client, db):
    response = client.get(reverse("public:search"), {"au": "9999-12-31", "du": "0001-01-01"})
    assert response.status_code == 200
    assert "Saisissez une date entre 1900 et 2100." in response.content.decode()


# --- one common word (PostgreSQL: migration 0012's index) -------------------------------

on_postgresql = pytest.mark.skipif(
    "postgresql" not in connection.settings_dict["ENGINE"],
    reason="pg_trgm needs PostgreSQL (DATABASE_URL)",
)


def _ranked(word: str) -> list[int]:
    """Every company a search by `word` finds, in its order, computed over the whole
    register: relevance (word similarity, then whole-name similarity), the names with the
    word itself before the others, then id."""
    relevance = ("(word_similarity(%(w)s, normalized_name) * 1000)::integer * 1001"
                 " + (similarity(normalized_name, %(w)s) * 1000)::integer")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM (SELECT id, {relevance} AS relevance, (' ' || normalized_name"
            f" || ' ') LIKE %(like)s AS has_word FROM registry_company"
            f" WHERE word_similarity(%(w)s, normalized_name) >= %(threshold)s) AS found"
            f" ORDER BY CASE WHEN relevance < 1001000 OR has_word THEN relevance"
            f" ELSE 1000999 END DESC, id",
            {"w": word, "like": f"% {word} %", "threshold": selectors.NAME_SEARCH_THRESHOLD})
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def common_word():
    """"Commerce" in 40 names of every length, many alike (same relevance), a mistyped
    one, one that has its trigrams across two words, and names without it."""
    firsts = ["Kofi", "Ama", "Dzidzo", "Kodjovi", "Afiwa", "Sena", "Elom", "Yawovi"]
    for number in range(40):
        place = ["", "", "Lomé", "Kara", "Afrique de l'Ouest"][number % 5]
        make_company(f"{firsts[number % 8]} Commerce {place}".strip())
    make_company("Kodjo Comerce")  # a typo in the name: found, after the names with the word
    make_company("Ecommerce Commo")  # word similarity 1 without the word itself
    for number in range(5):
        make_company(f"Lomé Transport {number}")


@on_postgresql
@pytest.mark.parametrize("size", [4, 7, 25])
def test_pages_of_a_common_word_follow_the_ranking_without_repeat_or_gap(common_word, size):
    seen = _walk_selector(RegisterFilters(query="Commerce"), size=size)

    assert seen == _ranked("commerce")
    assert len(seen) == 42 == len(set(seen))
    by_id = Company.objects.in_bulk(seen)
    assert [by_id[pk].name for pk in seen[:2]] == ["Ama Commerce", "Ama Commerce"]  # shortest
    assert [by_id[pk].name for pk in seen[-2:]] == ["Ecommerce Commo", "Kodjo Comerce"]


@on_postgresql
def test_a_common_word_mistyped_still_finds_its_names(common_word):
    seen = _walk_selector(RegisterFilters(query="comerce"), size=10)

    assert seen == _ranked("comerce") and len(seen) == 42
    assert Company.objects.get(pk=seen[0]).name == "Kodjo Comerce"


@on_postgresql
def test_a_common_word_filtered_keeps_the_filter(common_word):
    make_company("Kara Commerce", region="kara")

    page = search_register(RegisterFilters(query="commerce", region="kara"))

    assert [company.name for company in page.companies] == ["Kara Commerce"]


@on_postgresql
def test_a_common_word_reads_its_first_page_from_the_word_index(common_word):
    with CaptureQueriesContext(connection) as captured:
        page = search_register(RegisterFilters(query="commerce"), size=5)
    assert len(page.companies) == 5 and len(captured) == 1
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + captured[0]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "registry_company_name_word_keys" in plan
