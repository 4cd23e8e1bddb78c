"""Names before the name check: normalised, in one alphabet, with no invisible or
bidirectional characters; look-alike letters fold to Latin in the name check's key."""

from __future__ import annotations

import pytest

from registry.forms import NamesForm, PartyForm
from registry.names import normalize

PERSON = {"kind": "natural", "roles": ["partner", "manager"], "first_name": "Kossi",
          "last_name": "Agbeko", "birth_date": "1985-03-14", "nationality": "Togolaise",
          "id_document_number": "TG-CNI-123456", "address": "Bè, Lomé", "shares": "10",
          "cash_contribution": "0", "in_kind_contribution": "0"}
INVISIBLES = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067",
              "\u2068", "\u2069", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f",
              "\ufeff", "\x00", "\x07", "\x1b", "\u2028"]
NAME_FIELDS = ("name_1", "name_2", "name_3", "acronym", "trade_name")


def names_form(**values) -> NamesForm:
    return NamesForm({"name_1": "Éléphant Bleu", **values})


@pytest.mark.parametrize("char", INVISIBLES)
@pytest.mark.parametrize("field", NAME_FIELDS)
def test_it_refuses_control_zero_width_and_bidi_characters_in_every_name(field, char):
    form = names_form(**{field: f"Éléphant{char} Rouge"})

    assert not form.is_valid()
    [error] = form.errors[field]
    assert "caractère invisible ou de contrôle" in error
    assert f"U+{ord(char):04X}" in error


@pytest.mark.parametrize("char", INVISIBLES)
@pytest.mark.parametrize("field", ("first_name", "last_name", "birth_place", "address"))
def test_it_refuses_them_in_person_fields_too(field, char):
    form = PartyForm({**PERSON, field: f"Ko{char}ssi"}, legal_form="SARL")

    assert not form.is_valid()
    assert "caractère invisible ou de contrôle" in form.errors[field][0]


@pytest.mark.parametrize("spoof", ["SОCIÉTÉ Bleue",  # Cyrillic О
                                   "Εlephant Bleu",  # Greek Ε
                                   "Éléphant Вleu"])  # Cyrillic В
def test_a_name_mixing_latin_with_look_alike_letters_is_refused_in_french(spoof):
    form = names_form(name_1=spoof)

    assert not form.is_valid()
    assert "lettres latines" in form.errors["name_1"][0]
    assert "U+0" in form.errors["name_1"][0]  # the code point shows which letter it is


def test_a_name_in_ewe_and_kabiye_letters_with_tones_is_accepted_as_typed():
    form = names_form(name_1="Ɖokui Ŋlɔla Ɛʋe Kɔ́kú", acronym="ƉŊƐ", trade_name="Ɩsɩ́ Ʊrʊ")

    assert form.is_valid(), form.errors
    assert form.section_data()["company_name"] == "Ɖokui Ŋlɔla Ɛʋe Kɔ́kú"


def test_company_names_are_nfkc_normalised_before_the_check():
    decomposed = "E\u0301le\u0301phant"  # É and é as letter + combining accent
    form = names_form(name_1=f"{decomposed} Ｂｌｅｕ", trade_name="Ofﬁce")

    assert form.is_valid(), form.errors
    assert form.section_data()["company_name"] == "Éléphant Bleu"
    assert form.section_data()["trade_name"] == "Office"


def test_emoji_are_refused_in_company_names():
    form = names_form(name_1="Éléphant Bleu 🐘", trade_name="Café ☕")

    assert not form.is_valid()
    assert "🐘" in form.errors["name_1"][0]
    assert "☕" in form.errors["trade_name"][0]


def test_person_names_are_nfc_and_in_one_alphabet():
    accepted = PartyForm({**PERSON, "first_name": "Kɔ\u0301ku\u0301", "last_name": "Иванов"},
                         legal_form="SARL")
    mixed = PartyForm({**PERSON, "last_name": "Agbеko"}, legal_form="SARL")  # Cyrillic е

    assert accepted.is_valid(), accepted.errors
    assert accepted.cleaned_data["first_name"] == "Kɔ́kú"
    assert not mixed.is_valid()
    assert "plusieurs alphabets" in mixed.errors["last_name"][0]


def test_a_word_mixing_alphabets_is_refused_in_an_address():
    form = PartyForm({**PERSON, "address": "Rue du Сommerce, Lomé"}, legal_form="SARL")

    assert not form.is_valid()
    assert "plusieurs alphabets" in form.errors["address"][0]


def test_an_id_number_the_screening_would_refuse_is_refused_at_once():
    form = PartyForm({**PERSON, "id_document_number": "TG/é"}, legal_form="SARL")

    assert not form.is_valid()
    assert "mal formé" in form.errors["id_document_number"][0]


@pytest.mark.parametrize(("spoof", "original"), [
    ("SОCIÉTÉ ЕLЕPHANT BLЕU", "Société Éléphant Bleu"),
    ("Ɛʋe Ɖokui", "Eve Dokui"),
    ("ΚΟΤΙ & Fils", "Koti et fils"),
    ("ＥＬＥＰＨＡＮＴ", "Elephant"),
])
def test_the_name_check_key_folds_look_alike_letters_to_latin(spoof, original):
    assert normalize(spoof) == normalize(original)
    assert normalize(spoof)
