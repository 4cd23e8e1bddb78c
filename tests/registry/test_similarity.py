"""The name check: similarity against the register and pending filings, reserved words, and
the engine's automatic step that runs it on submission."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry import checks, similarity
from registry import services as registry_services
from registry.models import Company
from registry.names import normalize
from registry.similarity import (
    NameStatus,
    check_name,
    deletion_keys,
    paired_words,
    similar_names,
    stored_distinctive,
    trigram_similarity,
    trigrams,
    typo_keys,
    word_keys,
)
from registry.tasks import refresh_name_vocabulary
from registry.vocabulary import refresh_vocabulary, register_word_counts
from tests.fees import submit_and_pay
from workflows.models import TaskState
from workflows.services import CheckFailed

from ..conftest import COMPANY_DATA, FOUNDER_DATA
from .procedure.helpers import case_of, claim_and_approve, task_of

on_postgresql = pytest.mark.skipif(
    "postgresql" not in connection.settings_dict["ENGINE"],
    reason="pg_trgm needs PostgreSQL (DATABASE_URL)",
)


@pytest.fixture
def register(make_user):
    """Put a company on the register under `name`."""
    counter = iter(range(1, 1000))

    def make(name: str, rccm_number: str) -> Company:
        owner = make_user(f"societe{next(counter)}@example.tg")
        application = registry_services.application_create(
            owner=owner, data=dict(COMPANY_DATA, company_name=name), founder=dict(FOUNDER_DATA)
        )
        return Company.objects.create(
            application=application, name=name, legal_form="SARL", rccm_number=rccm_number,
            capital=1_000_000, registered_office="3 avenue de la Libération, Lomé",
        )

    return make


@pytest.fixture
def file_and_submit(make_user):
    counter = iter(range(1, 1000))

    def make(name: str, *, submit: bool = True):
        owner = make_user(f"demandeur{next(counter)}@example.tg")
        draft = registry_services.application_create(
            owner=owner, data=dict(COMPANY_DATA, company_name=name), founder=dict(FOUNDER_DATA)
        )
        if not submit:
            return draft
        return submit_and_pay(application_id=draft.pk, user=owner)

    return make


@pytest.fixture
def elephant(register):
    return register("ELEPHANT-BLEU", "TG-LOM-2025-B-00042")


# --- the measure --------------------------------------------------------------------------


def test_trigrams_are_pg_trgm_ones():
    # show_trgm('cat') in PostgreSQL: {"  c"," ca","at ","cat"}
    assert trigrams("cat") == {"  c", " ca", "cat", "at "}
    assert trigrams("elephant bleu") >= {"  e", " el", "nt ", "  b", " bl", "eu "}


def test_similarity_is_shared_over_all_trigrams():
    # elephant (9 trigrams) bleu (5) against elephant bleue (9 + 6): 13 shared of 16
    assert trigram_similarity("elephant bleu", "elephant bleue") == pytest.approx(13 / 16)
    assert trigram_similarity("elephant bleu", "elephant bleu") == 1.0
    assert trigram_similarity("boulangerie golfe", "transports kara") == 0.0
    assert trigram_similarity("", "kara") == 0.0


# --- similar names ------------------------------------------------------------------------


def test_the_same_name_with_a_legal_form_and_accents_is_taken(elephant):
    result = check_name("Société Éléphant Bleu SARL")

    assert result.status == NameStatus.TAKEN
    assert result.message == (
        "Dénomination déjà immatriculée : « ELEPHANT-BLEU » (TG-LOM-2025-B-00042).")
    assert result.matches[0].reference == "TG-LOM-2025-B-00042"
    assert result.matches[0].score == pytest.approx(1.0)
    assert result.matches[0].source == "company"


def test_a_close_name_is_similar_and_names_the_company(elephant):
    result = check_name("Éléphant Bleue")

    assert result.status == NameStatus.SIMILAR
    [match] = result.matches
    assert (match.name, match.normalized, match.source, match.reference) == (
        "ELEPHANT-BLEU", "elephant bleu", "company", "TG-LOM-2025-B-00042")
    assert match.score == pytest.approx(13 / 16, abs=1e-6)
    assert result.message.startswith(
        "Dénomination proche de : « ELEPHANT-BLEU » (TG-LOM-2025-B-00042, 81 %).")


def test_the_same_words_in_another_order_are_similar_not_taken(elephant):
    result = check_name("Bleu Éléphant")

    assert result.status == NameStatus.SIMILAR
    assert result.matches[0].score == pytest.approx(1.0)


def test_deletion_keys_are_the_name_with_each_letter_left_out_and_the_name():
    assert deletion_keys("imam") == {"imam", "mam", "iam", "imm", "ima"}
    # One typo apart, a key in common: a letter left out, replaced, two swapped.
    assert deletion_keys("imam") & deletion_keys("iam")
    assert deletion_keys("sotraka") & deletion_keys("sotrama")
    assert deletion_keys("sotraka") & deletion_keys("sotarka")


@pytest.mark.parametrize("typed", ["SOTARKA", "Sotrka SARL", "STORAKA", "SOTAKA",
                                   "Sotraka Sociéété"])
def test_a_short_name_one_typo_away_is_found_though_its_trigrams_are_not_close(
    register, typed
):
    # A letter left out, or two neighbours swapped: a short name keeps too few of its
    # trigrams for the trigram search ("sotarka": 0.33), its deletion keys find it.
    register("SOTRAKA", "TG-LOM-2025-B-00077")
    assert trigram_similarity(normalize(typed), "sotraka") < 0.55

    result = check_name(typed)

    assert result.status == NameStatus.SIMILAR
    assert [match.reference for match in result.matches] == ["TG-LOM-2025-B-00077"]
    assert "« SOTRAKA » (TG-LOM-2025-B-00077" in result.message


def test_a_short_name_one_typo_away_is_shown_to_the_clerk(register, file_and_submit):
    register("SOTRAKA", "TG-LOM-2025-B-00077")

    with pytest.raises(CheckFailed) as failure:
        run_name_check(file_and_submit("SOTARKA SARL"))
    assert str(failure.value).startswith(
        "Dénomination proche de : « SOTRAKA » (TG-LOM-2025-B-00077, ")


def test_a_short_pending_filing_one_typo_away_is_found(file_and_submit):
    filing = file_and_submit("AGETOP")

    result = check_name("AGTEOP")

    assert result.status == NameStatus.SIMILAR
    assert [match.reference for match in result.matches] == [filing.reference]


@pytest.mark.parametrize("typed", ["SOTRAMA", "KOFITA", "SOT", "TRAKA"])
def test_a_different_short_name_is_not_flagged(register, typed):
    # "SOTRAMA", one letter replaced, is a name of its own as often as a typo: among a
    # million names most short ones have such a neighbour.
    register("SOTRAKA", "TG-LOM-2025-B-00077")

    result = check_name(typed)

    assert result.status == NameStatus.AVAILABLE
    assert result.matches == []


def test_names_sharing_only_generic_words_are_not_flagged_by_their_trigrams(
        register, monkeypatch):
    # Close by trigrams (their generic words), but each has a name of its own.
    register("Okpègi Fils Distribution", "TG-LOM-2025-B-00611")
    register("Kodjo Fils Distribution", "TG-LOM-2025-B-00612")
    assert trigram_similarity("ofakpegi fils distribution", "okpegi fils distribution") >= 0.75
    assert check_name("Ofakpègi Fils Distribution").status == NameStatus.SIMILAR  # rare yet

    monkeypatch.setattr(similarity, "GENERIC_WORD_NAMES", 2)  # "fils", "distribution": 2
    refresh_vocabulary()

    assert check_name("Ofakpègi Fils Distribution").status == NameStatus.AVAILABLE


def test_names_sharing_a_rare_word_stay_flagged_by_their_trigrams(register, monkeypatch):
    register("Éléphant Bleu Kpalimé Transit Logistique", "TG-LOM-2025-B-00613")
    register("Kodjo Kpalimé Transit Logistique", "TG-LOM-2025-B-00614")
    monkeypatch.setattr(similarity, "GENERIC_WORD_NAMES", 2)  # all but "Éléphant" generic
    refresh_vocabulary()
    assert trigram_similarity("elephant rouge kpalime transit logistique",
                              "elephant bleu kpalime transit logistique") >= 0.75

    result = check_name("Éléphant Rouge Kpalimé Transit Logistique")

    assert result.status == NameStatus.SIMILAR
    assert [match.reference for match in result.matches] == ["TG-LOM-2025-B-00613"]


@pytest.mark.parametrize(("typed", "registered"), [
    ("Gbeto Informatique Wawa", "Informatique Gbeto"),  # all its words, and one more
    ("Agro Business Kara", "Agrobusiness Kara"),  # own words alike: a word split
])
def test_names_close_by_trigrams_and_by_their_own_words_are_flagged(register, monkeypatch,
                                                                    typed, registered):
    register(registered, "TG-LOM-2025-B-00612")
    register("Wawa Kara Gbeto Informatique Agro", "TG-LOM-2025-B-00613")
    monkeypatch.setattr(similarity, "GENERIC_WORD_NAMES", 1)  # every word is generic
    refresh_vocabulary()
    assert trigram_similarity(normalize(typed), normalize(registered)) >= 0.75

    result = check_name(typed)

    assert result.status == NameStatus.SIMILAR
    assert [match.reference for match in result.matches] == ["TG-LOM-2025-B-00612"]


@pytest.mark.parametrize(("typed", "flagged"), [
    ("Donu Motos Ogou", False),  # a rare word of its own around a generic name
    ("Nouvelle Motos Ogou", True),  # a generic word added: it rides on the name
    ("Ogou Motos Bo", False),  # in any order (0.79)
])
def test_a_generic_name_inside_a_name_of_its_own_is_not_flagged(register, monkeypatch,
                                                                 typed, flagged):
    register("Motos Ogou", "TG-LOM-2025-B-00621")
    register("Nouvelle Ogou Motos Kara", "TG-LOM-2025-B-00622")  # 2 names hold each word
    register("Nouvelle Kara", "TG-LOM-2025-B-00623")
    monkeypatch.setattr(similarity, "GENERIC_WORD_NAMES", 2)
    refresh_vocabulary()

    result = check_name(typed)

    assert (result.status == NameStatus.SIMILAR) is flagged
    assert ("TG-LOM-2025-B-00621" in [match.reference for match in result.matches]) is flagged


def test_a_name_with_a_rare_word_inside_another_stays_flagged(register, monkeypatch):
    register("Motos Bodzi", "TG-LOM-2025-B-00621")
    register("Motos Kara", "TG-LOM-2025-B-00622")
    monkeypatch.setattr(similarity, "GENERIC_WORD_NAMES", 2)  # "Motos" only
    refresh_vocabulary()

    result = check_name("Donu Motos Bodzi")

    assert result.status == NameStatus.SIMILAR
    assert [match.reference for match in result.matches] == ["TG-LOM-2025-B-00621"]


def test_words_pair_the_same_before_one_typo_apart():
    # "kodji" is the registered name's own word, not "dodji" mistyped.
    assert paired_words("dodji kodji transport", "kodjo kodji transport") == (
        [("kodji", "kodji"), ("transport", "transport")], ["dodji"], ["kodjo"])
    assert paired_words("kodjo distribtuion", "distribution kodjo") == (
        [("kodjo", "kodjo"), ("distribtuion", "distribution")], [], [])


def test_a_typo_in_a_generic_word_is_as_generic_as_the_word(register, monkeypatch):
    register("Okpègi Transports Distribution Logistique", "TG-LOM-2025-B-00615")
    register("Kara Transports Distribution Logistique", "TG-LOM-2025-B-00616")
    monkeypatch.setattr(similarity, "GENERIC_WORD_NAMES", 2)
    refresh_vocabulary()
    typed = "Ofakpègi Transports Distributon Logistique"
    assert trigram_similarity(normalize(typed),
                              "okpegi transports distribution logistique") >= 0.75

    assert check_name(typed).status == NameStatus.AVAILABLE


def test_without_a_vocabulary_names_sharing_no_word_follow_the_threshold(register):
    # Never counted (a new register): the threshold alone decides, even under 0.5.
    register("Agrobusiness", "TG-LOM-2025-B-00617")
    assert 0.3 <= trigram_similarity("agro busi", "agrobusiness") < 0.5

    assert [match.reference for match in similar_names("Agro Busi", threshold=0.3)] == [
        "TG-LOM-2025-B-00617"]


def test_a_letter_replaced_is_a_typo_while_the_word_is_nobody_s(register):
    # One letter replaced in a short word: a typo, unless the register already uses the
    # word typed: then it is a name of its own ("Wodzi" is somebody's).
    register("Bodzi Taxi", "TG-LOM-2025-B-00601")
    assert check_name("Wodzi Taxi").status == NameStatus.SIMILAR

    register("Wodzi Couture", "TG-LOM-2025-B-00602")
    assert check_name("Wodzi Taxi").status == NameStatus.SIMILAR  # not counted yet
    refresh_vocabulary()

    result = check_name("Wodzi Taxi")
    assert result.status == NameStatus.AVAILABLE
    assert result.matches == []


def test_a_letter_left_out_stays_a_typo_though_the_word_is_somebody_s(register):
    register("Bodzi Taxi", "TG-LOM-2025-B-00601")
    register("Bodi Couture", "TG-LOM-2025-B-00602")
    refresh_vocabulary()

    result = check_name("Bodi Taxi")

    assert result.status == NameStatus.SIMILAR
    assert [match.reference for match in result.matches] == ["TG-LOM-2025-B-00601"]


def test_the_vocabulary_counts_the_names_holding_each_word(register, file_and_submit):
    register("Wodzi Couture Lomé", "TG-LOM-2025-B-00602")
    register("Lomé Couture Couture", "TG-LOM-2025-B-00603")  # twice in a name: once
    register("Kara Couture", "TG-LOM-2025-B-00604")
    file_and_submit("Wodzi Kara")  # a filing's name is not the register's yet
    words = {"wodzi", "couture", "lome", "kara", "wod", "outur", "bodzi"}
    assert register_word_counts(words) == dict.fromkeys(words, 0)  # never counted yet

    assert refresh_vocabulary() == 4

    assert register_word_counts(words) == {
        "wodzi": 1, "couture": 3, "lome": 2, "kara": 1, "wod": 0, "outur": 0, "bodzi": 0}


def test_the_vocabulary_is_counted_again_whole(register):
    register("Wodzi Couture", "TG-LOM-2025-B-00602")
    refresh_vocabulary()
    Company.objects.filter(rccm_number="TG-LOM-2025-B-00602").update(
        normalized_name="bodzi couture")

    refresh_name_vocabulary()  # the daily task, as the worker runs it

    assert register_word_counts({"wodzi", "bodzi"}) == {"wodzi": 0, "bodzi": 1}


# The trigram index is asked for names as close as the threshold (0.75) only; what is
# farther by trigrams but close by the rules is found by exact keys (migration 0015).


def test_typo_keys_are_the_name_with_each_word_in_turn_replaced_by_its_length():
    assert typo_keys("kaseso distribution") == {"*6 distribution", "kaseso *12"}
    assert typo_keys("yao link") == {"*3 link", "yao *4"}
    assert typo_keys("ab cd efgh") == {"ab cd *4"}  # words of two letters stay as they are
    assert typo_keys("sotraka") == set()  # one word: its deletion keys find it


def test_the_stored_distinctive_form_drops_the_common_words_as_written():
    assert stored_distinctive("groupe kuevi multimedia services") == "kuevi multimedia"
    assert stored_distinctive("groupe services togo") == "groupe services togo"
    assert stored_distinctive("groue kuevi") == "groue kuevi"  # typos: distinctive()'s


@pytest.mark.parametrize("typed", ["Kaseso Distribtuion", "Kaseso Distributon SARL",
                                   "KASESO DISTRIBUTIONS", "Kasesso Distribution"])
def test_a_name_one_typo_away_in_one_word_is_found_by_its_typo_keys(register, typed):
    register("Kaseso Distribution", "TG-LOM-2025-B-00501")

    result = check_name(typed)

    assert result.status == NameStatus.SIMILAR
    assert [match.reference for match in result.matches] == ["TG-LOM-2025-B-00501"]


def test_a_name_sharing_a_typo_key_but_not_one_typo_away_is_not_flagged(register):
    # "kaseso *12": the same key, but "Distributeur" is two letters from "Distribution".
    register("Kaseso Distribution", "TG-LOM-2025-B-00501")
    assert trigram_similarity("kaseso distributeur", "kaseso distribution") < 0.75

    assert check_name("Kaseso Distributeur").status == NameStatus.AVAILABLE


def test_a_name_the_same_but_for_a_common_word_is_found_by_its_distinctive_form(register):
    register("Multimédia Kuevi", "TG-LOM-2025-B-00502")
    assert trigram_similarity("multimedia group kuevi", "multimedia kuevi") < 0.75

    result = check_name("Multimédia Group Kuevi")

    assert result.status == NameStatus.SIMILAR
    [match] = result.matches
    assert (match.reference, match.score) == ("TG-LOM-2025-B-00502", pytest.approx(1.0))


def test_a_name_with_words_added_around_a_registered_one_is_found(elephant):
    assert trigram_similarity("banque elephant bleu lome", "elephant bleu") < 0.75

    result = check_name("Banque Éléphant Bleu Lomé")

    assert "Dénomination proche de : « ELEPHANT-BLEU » (TG-LOM-2025-B-00042" in result.message


@pytest.mark.parametrize(("typed", "registered"), [
    # A long one-word name: one typo leaves too few trigrams (0.62 to 0.70); word keys.
    ("Électrotechnique", "Électrotechnuque"),
    ("Électrotechnique SARL", "Eletcrotechnique"),
    ("Agroalimentaire", "Agroalimentaite"),
    # A common word beside a typo, or a near name: looked for on the distinctive form.
    ("Kaseso Distribtuion Togo", "Kaseso Distribution"),
    ("Cacao Export Services", "Cacao Exports"),
    ("Afrique Logistiques Services", "Afrique Logistique"),
    ("Groupe Électrotechnique", "Electrotechnuque Services"),
])
def test_a_name_close_on_its_distinctive_form_is_found(register, typed, registered):
    register(registered, "TG-LOM-2025-B-00503")

    result = check_name(typed)

    assert result.status == NameStatus.SIMILAR
    assert [match.reference for match in result.matches] == ["TG-LOM-2025-B-00503"]


def test_word_keys_are_the_deletion_keys_of_a_one_word_form_up_to_24_letters():
    assert word_keys("imam") == deletion_keys("imam")
    assert word_keys("kaseso distribution") == set()
    assert word_keys("ab") == set()
    assert len(word_keys("x" * 24)) == 2 and word_keys("x" * 25) == set()


def test_a_pending_filing_one_typo_away_in_one_word_is_found(file_and_submit):
    filing = file_and_submit("Kaseso Distribution")

    assert [match.reference for match in similar_names("Kaseso Distribtuion")] == [
        filing.reference]


def test_unrelated_names_are_not_similar(register):
    register("Transports Kara", "TG-LOM-2025-B-00007")

    assert similar_names("Boulangerie du Golfe") == []
    result = check_name("Boulangerie du Golfe")
    assert result.status == NameStatus.AVAILABLE
    assert result.message == "Dénomination disponible."


def test_matches_come_best_first_up_to_the_limit(register):
    register("Éléphant Bleu", "TG-LOM-2025-B-00001")
    register("Éléphant Bleu Marine", "TG-LOM-2025-B-00002")
    register("Éléphant", "TG-LOM-2025-B-00003")

    matches = similar_names("Elephant Bleus", threshold=0.5)
    # 13/16, then 9/15 (elephant alone), then 13/23 (marine adds 7 trigrams)
    assert [m.reference for m in matches] == [
        "TG-LOM-2025-B-00001", "TG-LOM-2025-B-00003", "TG-LOM-2025-B-00002"]
    assert matches[0].score > matches[1].score > matches[2].score
    assert len(similar_names("Elephant Bleus", limit=1, threshold=0.5)) == 1


def test_the_threshold_comes_from_the_setting(elephant, settings):
    settings.REGISTRY_NAME_SIMILARITY_THRESHOLD = 0.9

    assert check_name("Éléphant Blanc").status == NameStatus.AVAILABLE
    assert similar_names("Éléphant Blanc", threshold=0.5) != []


def test_a_name_without_distinctive_words_is_empty(db):
    result = check_name("Société SARL")

    assert result.status == NameStatus.EMPTY
    assert result.message == "La dénomination ne contient aucun mot distinctif."


# --- pending filings ----------------------------------------------------------------------


def test_a_name_asked_by_a_pending_filing_is_taken_for_a_new_one(submitted):
    result = check_name("ELEPHANT-BLEU")

    assert result.status == NameStatus.TAKEN
    assert result.message == (f"Dénomination déjà demandée par le dossier en cours "
                              f"{submitted.reference} : « Éléphant Bleu ».")
    assert (result.matches[0].source, result.matches[0].reference) == (
        "application", submitted.reference)


def test_only_filings_submitted_earlier_count_first_come_first_served(
    submitted, file_and_submit
):
    later = file_and_submit("Éléphant Bleu SARL")
    close_later = file_and_submit("Éléphant Bleue")

    assert check_name(later.company_name, exclude_application_id=later.pk).status == (
        NameStatus.TAKEN)
    mine = check_name(submitted.company_name, exclude_application_id=submitted.pk)
    assert mine.status == NameStatus.AVAILABLE
    assert close_later.reference not in mine.message


def test_a_close_pending_filing_is_similar(submitted):
    result = check_name("Éléphant Bleue")

    assert result.status == NameStatus.SIMILAR
    assert result.matches[0].reference == submitted.reference
    assert submitted.reference in result.message


def test_drafts_and_withdrawn_filings_hold_no_name(file_and_submit):
    file_and_submit("Éléphant Bleu", submit=False)
    withdrawn = file_and_submit("Éléphant Bleu")
    registry_services.application_withdraw(application_id=withdrawn.pk, user=withdrawn.owner)

    assert check_name("Éléphant Bleu").status == NameStatus.AVAILABLE


def test_an_approved_filing_with_its_company_is_listed_once_as_the_company(file_and_submit):
    filing = file_and_submit("Éléphant Bleu")
    Company.objects.create(application=filing, name=filing.company_name, legal_form="SARL",
                           rccm_number="TG-LOM-2026-B-00001", capital=1_000_000,
                           registered_office="Lomé")

    matches = similar_names("Éléphant Bleu")
    assert [(m.source, m.reference) for m in matches] == [("company", "TG-LOM-2026-B-00001")]


# --- reserved words -----------------------------------------------------------------------


def test_a_reserved_word_makes_the_name_reserved(db):
    result = check_name("Banque Populaire du Golfe")

    assert result.status == NameStatus.RESERVED
    assert result.reserved == ["Banque"]
    assert result.message == ("La dénomination contient un terme réservé, soumis à "
                              "autorisation : « Banque ».")


def test_a_reserved_and_close_name_says_both_the_reserved_word_first(elephant):
    result = check_name("Banque Éléphant Bleu")

    assert result.status == NameStatus.RESERVED
    assert result.message.startswith("La dénomination contient un terme réservé")
    assert "Dénomination proche de : « ELEPHANT-BLEU »" in result.message


# --- the engine's automatic step ----------------------------------------------------------


def run_name_check(application) -> str:
    return checks.name_check(case=SimpleNamespace(subject_id=application.pk), task=None)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Société Éléphant Bleu SARL",
         "Dénomination déjà immatriculée : « ELEPHANT-BLEU » (TG-LOM-2025-B-00042)."),
        ("Éléphant Bleue",
         "Dénomination proche de : « ELEPHANT-BLEU » (TG-LOM-2025-B-00042, 81 %). "
         "Un agent appréciera le risque de confusion."),
        ("Banque du Golfe",
         "La dénomination contient un terme réservé, soumis à autorisation : « Banque »."),
        ("SARL", "La dénomination ne contient aucun mot distinctif."),
    ],
)
def test_the_name_check_fails_with_what_the_clerk_must_weigh(
    elephant, file_and_submit, name, message
):
    filing = file_and_submit(name)

    with pytest.raises(CheckFailed) as failure:
        run_name_check(filing)
    assert str(failure.value) == message


def test_the_name_check_passes_an_available_name(elephant, file_and_submit):
    assert run_name_check(file_and_submit("Boulangerie du Golfe")) == "Dénomination disponible."


def test_a_similar_name_lands_in_the_intake_queue_after_the_automatic_step(
    elephant, file_and_submit, clerks
):
    filing = file_and_submit("Éléphant Bleue")
    case = case_of(filing)

    claim_and_approve(case, "intake", clerks["guichet"])

    name_check = task_of(case, "name_check")
    assert name_check.state == TaskState.FAILED
    assert name_check.error.startswith("Dénomination proche de : « ELEPHANT-BLEU »")


# --- PostgreSQL: pg_trgm and its index ----------------------------------------------------

PAIRS = [
    ("Société Éléphant Bleu SARL", "ELEPHANT-BLEU"),
    ("Éléphant Bleue", "Éléphant Bleu"),
    ("Boulangerie du Golfe", "Transports Kara"),
    ("Transports Kara Express", "Transport Kara"),
    ("Maison Kpalimé Café", "Kpalimé Café Maison"),
    ("Numérique Lomé Services 2000", "Numerique Lome Service"),
    ("Agro Plateaux", "Agro-Plateau Export"),
    ("Ets. Kodjo & Fils", "Kodjo"),
]


@on_postgresql
@pytest.mark.parametrize(("left", "right"), PAIRS)
def test_the_python_measure_agrees_with_pg_trgm(db, left, right):
    left, right = normalize(left), normalize(right)
    with connection.cursor() as cursor:
        cursor.execute("SELECT similarity(%s, %s), show_trgm(%s)", [left, right, left])
        score, grams = cursor.fetchone()

    assert trigram_similarity(left, right) == pytest.approx(score, abs=1e-6)
    assert trigrams(left) == set(grams)


def _way_queries(queries, matching) -> list[str]:
    """The queries of the check's ways (one statement: the threshold's setting, then each
    way on each table in a UNION ALL) whose SQL `matching` accepts, in their order."""
    parts = []
    for query in queries.captured_queries:
        setting, separator, union = query["sql"].partition("; ")
        if "pg_trgm.similarity_threshold" in setting and separator:
            parts += union.removeprefix("(").removesuffix(")").split(") UNION ALL (")
    return [part for part in parts if matching(part)]


def _plans_without_full_scans(searches: list[str], *, serving: str) -> list[str]:
    """EXPLAIN of each query, full scans forbidden: tiny test tables are cheapest to scan
    whole (the table, or its primary key), which would hide the index that serves the
    search condition. On a table of a few rows, any partial index on the pending states is
    also the cheapest way to the pending filings, whatever the condition: all but the one
    `serving` are dropped first, in the test's transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = "
                       "'registry_application' AND indexname LIKE 'registry_application_pending%%'")
        for (index_name,) in cursor.fetchall():
            if index_name != serving:
                cursor.execute(f"DROP INDEX {index_name}")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plans = []
        for sql in searches:
            cursor.execute(f"EXPLAIN {sql}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


@on_postgresql
def test_the_check_s_sql_compares_with_what_the_scope_holds(register, file_and_submit):
    """The ways' hand-written tables (one statement) select the rows _Scope.tables does:
    the register but the filing checked, the pending filings submitted before it, none in
    draft nor registered."""
    first = file_and_submit("Kaseso Distribution")
    registered = register("Kaseso Distribution Plus", "TG-LOM-2025-B-00501")
    file_and_submit("Kaseso Draft", submit=False)
    later = file_and_submit("Kaseso Transit")
    scopes = (similarity._Scope(), similarity._Scope.of(first.pk),
              similarity._Scope.of(registered.application_id), similarity._Scope.of(later.pk))
    for scope in scopes:
        for (sql, params, *_), (queryset, name_field, reference_field, source) in zip(
                similarity._way_tables(scope), scope.tables(), strict=True):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                selected = sorted(cursor.fetchall())
            expected = sorted((name, normalized, source, reference)
                              for name, normalized, reference in queryset.values_list(
                                  name_field, "normalized_name", reference_field))
            assert selected == expected
    assert [row[0] for row in expected] == ["Kaseso Distribution"]  # before `later`


@on_postgresql
def test_the_similarity_query_uses_the_trigram_indexes(elephant, submitted):
    with CaptureQueriesContext(connection) as queries:
        assert similar_names("Éléphant Bleue")
    searches = _way_queries(queries, lambda sql: re.search(
        r"registry_name_distinctive\(registry_\w+\.normalized_name\) % ", sql))
    assert len(searches) == 2  # the register, then the pending filings

    plans = _plans_without_full_scans(
        searches, serving="registry_application_pending_distinctive_trgm")

    assert "registry_company_distinctive_trgm" in plans[0]
    assert "registry_application_pending_distinctive_trgm" in plans[1]


@on_postgresql
@pytest.mark.parametrize("name", ["sotraka", "imam", "a b", "kpalime transit"])
def test_the_python_deletion_keys_agree_with_the_sql_function(db, name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT registry_name_deletion_keys(%s)", [name])
        [keys] = cursor.fetchone()

    assert set(keys) == deletion_keys(name)


@on_postgresql
def test_the_one_typo_query_uses_the_deletion_key_indexes(register, file_and_submit):
    register("SOTRAKA", "TG-LOM-2025-B-00077")
    file_and_submit("AGETOP")
    with CaptureQueriesContext(connection) as queries:
        assert similar_names("SOTARKA")
    searches = _way_queries(queries, lambda sql: "registry_name_deletion_keys" in sql)
    assert len(searches) == 2  # the register, then the pending filings

    plans = _plans_without_full_scans(
        searches, serving="registry_application_pending_name_deletion_keys")

    assert "registry_company_name_deletion_keys" in plans[0]
    assert "registry_application_pending_name_deletion_keys" in plans[1]


@on_postgresql
@pytest.mark.parametrize("name", ["kaseso distribution", "groupe kuevi multimedia services",
                                  "groupe services togo", "sotraka", "ab cd efgh", "a b",
                                  "electrotechnique", "ab", "groupe electrotechnique",
                                  "x" * 24, "x" * 25, ""])
def test_the_python_keys_and_distinctive_form_agree_with_the_sql_functions(db, name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT registry_name_typo_keys(%s), registry_name_word_keys(%s), "
                       "registry_name_distinctive(%s)", [name, name, name])
        typo, word, form = cursor.fetchone()

    assert set(typo) == typo_keys(name)
    assert set(word) == word_keys(name)
    assert form == stored_distinctive(name)


@on_postgresql
@pytest.mark.parametrize(("typed", "condition", "company_index", "filing_index"), [
    ("Kaseso Distribtuion", "registry_name_typo_keys(", "registry_company_distinctive_typo_keys",
     "registry_application_pending_distinctive_typo_keys"),
    ("Électrotechnuque", "registry_name_word_keys(", "registry_company_distinctive_word_keys",
     "registry_application_pending_distinctive_word_keys"),
    ("Kaseso Distribution Togo", ") = ANY(", "registry_company_distinctive",
     "registry_application_pending_distinctive"),
])
def test_the_key_queries_use_the_indexes_of_migration_0015(
    register, file_and_submit, typed, condition, company_index, filing_index
):
    register("Kaseso Distribution", "TG-LOM-2025-B-00501")
    file_and_submit("Électrotechnique")
    with CaptureQueriesContext(connection) as queries:
        similar_names(typed)
    searches = _way_queries(
        queries, lambda sql: condition in sql and "registry_name_distinctive" in sql)
    assert len(searches) == 2  # the register, then the pending filings

    plans = _plans_without_full_scans(searches, serving=filing_index)

    assert company_index in plans[0]
    assert filing_index in plans[1]


def test_the_migration_brings_stored_normalized_names_up_to_date(elephant, submitted):
    from importlib import import_module

    from django.apps import apps

    from registry.models import Application

    Company.objects.filter(pk=elephant.pk).update(normalized_name="elephant-bleu")
    Application.objects.filter(pk=submitted.pk).update(normalized_name="stale")

    import_module("registry.migrations.0002_name_trigram_indexes").renormalize_names(apps, None)

    elephant.refresh_from_db()
    submitted.refresh_from_db()
    assert elephant.normalized_name == submitted.normalized_name == "elephant bleu"
