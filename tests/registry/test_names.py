"""Company names: their comparable form, and the reserved words they may contain."""

from __future__ import annotations

import pytest

from registry.names import MAX_LENGTH, normalize
from registry.reserved_words import reserved_words_in


@pytest.mark.parametrize(
    ("name", "normalized"),
    [
        ("Société Éléphant Bleu SARL", "elephant bleu"),
        ("ELEPHANT-BLEU", "elephant bleu"),
        ("ÉLÉPHANT BLEU S.A.R.L.", "elephant bleu"),
        ("Éléphant Bleu S.A", "elephant bleu"),
        ("Société à responsabilité limitée Agro Plateaux", "agro plateaux"),
        ("SARLU Couture Élégance", "couture elegance"),
        ("L'Étoile du Matin", "etoile matin"),
        ("L’Étoile du Matin", "etoile matin"),  # typographic apostrophe
        ("Ets. Kodjo & Fils", "kodjo fils"),
        ("Ets.Kodjo et Fils", "kodjo fils"),
        ("Sté Agbeko Transports", "agbeko transports"),
        ("J.B. Services", "jb services"),
        ("Groupe 2000 SAS", "groupe 2000"),
        ("Cœur de Lomé", "coeur lome"),
        ("GIE des Maraîchers d'Agoè", "maraichers agoe"),
        ("  Transports   Kara\tExpress ", "transports kara express"),
        ("Boulangerie du Golfe", "boulangerie golfe"),
        ("Société Anonyme", ""),
        ("S.A.R.L.", ""),
    ],
)
def test_a_name_is_compared_in_its_normalized_form(name, normalized):
    assert normalize(name) == normalized


def test_word_order_and_digits_make_names_different():
    assert normalize("Bleu Éléphant") != normalize("Éléphant Bleu")
    assert normalize("Groupe 2000") != normalize("Groupe 3000")


def test_the_normalized_form_fits_the_column_even_when_ligatures_lengthen_it():
    assert len(normalize("Œ" * 200)) == MAX_LENGTH


# --- reserved words -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reserved"),
    [
        ("Banque Populaire du Golfe", ["Banque"]),
        ("Compagnie Nationale des Transports", ["National"]),
        ("Assurances Mutuelles de Lomé", ["Assurance"]),
        ("République Services", ["République"]),
        ("Conseil UEMOA Export SARL", ["UEMOA"]),
        ("Ministère du Commerce Privé", ["Ministère"]),
        ("Secours Croix-Rouge Kara", ["Croix-Rouge"]),
        ("Togolaise des Eaux", ["Togolais"]),
        ("Société Togo Services", ["Togo"]),  # first word once the legal form is dropped
        ("Banque Nationale de l'État", ["État", "National", "Banque"]),
    ],
)
def test_reserved_words_are_found_whatever_the_case_accents_or_ending(name, reserved):
    assert reserved_words_in(name) == reserved


@pytest.mark.parametrize(
    "name",
    ["Boulangerie du Golfe", "Transports Lomé Togo", "Agro Togolaise Export",
     "Étatique Conseil", "Bancassur Kara"],
)
def test_names_without_reserved_words_pass(name):
    assert reserved_words_in(name) == []


def test_the_reserved_list_comes_from_the_setting_file(settings, tmp_path):
    reserved = tmp_path / "reserved.yaml"
    reserved.write_text("reserved:\n  - Lagune*\n  - {word: Golfe, leading: true}\n",
                        encoding="utf-8")
    settings.REGISTRY_RESERVED_WORDS_FILE = reserved

    assert reserved_words_in("Lagunes Vertes") == ["Lagune"]
    assert reserved_words_in("Golfe Transports") == ["Golfe"]
    assert reserved_words_in("Boulangerie du Golfe") == []
    assert reserved_words_in("Banque du Golfe") == []
