"""Reference data: CITI Rév. 4 activities and Togo's regions and prefectures."""

from __future__ import annotations

import re

import pytest

from registry import reference
from registry.reference import (
    activity_divisions,
    activity_sections,
    division,
    fold,
    prefecture,
    prefectures,
    regions,
    search_activities,
)

# ISIC Rev. 4 division codes: 88 of them, with gaps (04, 34, 40, 44, 48, 54...).
ISIC_DIVISIONS = [
    "01", "02", "03", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15",
    "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29",
    "30", "31", "32", "33", "35", "36", "37", "38", "39", "41", "42", "43", "45", "46",
    "47", "49", "50", "51", "52", "53", "55", "56", "58", "59", "60", "61", "62", "63",
    "64", "65", "66", "68", "69", "70", "71", "72", "73", "74", "75", "77", "78", "79",
    "80", "81", "82", "84", "85", "86", "87", "88", "90", "91", "92", "93", "94", "95",
    "96", "97", "98", "99",
]
# Which section each range of divisions belongs to, per ISIC Rev. 4.
SECTION_OF = {
    "A": "01-03", "B": "05-09", "C": "10-33", "D": "35-35", "E": "36-39", "F": "41-43",
    "G": "45-47", "H": "49-53", "I": "55-56", "J": "58-63", "K": "64-66", "L": "68-68",
    "M": "69-75", "N": "77-82", "O": "84-84", "P": "85-85", "Q": "86-88", "R": "90-93",
    "S": "94-96", "T": "97-98", "U": "99-99",
}


def codes(results) -> list[str]:
    return [item.code for item in results]


# --- activities -------------------------------------------------------------------------


def test_there_are_21_sections_and_88_divisions():
    assert [s.code for s in activity_sections()] == list("ABCDEFGHIJKLMNOPQRSTU")
    assert codes(activity_divisions()) == ISIC_DIVISIONS
    assert sum(len(s.division_codes) for s in activity_sections()) == 88


@pytest.mark.parametrize(("section", "span"), SECTION_OF.items())
def test_each_division_sits_in_its_isic_section(section, span):
    low, high = span.split("-")
    expected = [code for code in ISIC_DIVISIONS if low <= code <= high]
    assert codes(activity_divisions(section)) == expected
    assert {d.section_code for d in activity_divisions(section)} == {section}


def test_labels_are_french_with_their_accents():
    assert division("75").label == "Activités vétérinaires"
    assert division("62").label == "Programmation informatique, conseil et activités connexes"
    assert division("10").label == "Fabrication de produits alimentaires"
    assert reference.activity_section("K").label == "Activités financières et d'assurances"
    for item in activity_divisions():
        assert item.label and item.label == " ".join(item.label.split())
        assert "Activites" not in item.label  # accents not lost


def test_an_unknown_division_is_a_key_error():
    with pytest.raises(KeyError):
        division("04")


@pytest.mark.parametrize("code", ["21", "49", "64", "65", "66", "75", "80", "85", "86", "92"])
def test_activities_needing_an_authorisation_are_flagged(code):
    assert division(code).regulated
    assert division(code).is_regulated(code)


@pytest.mark.parametrize("code", ["10", "41", "46", "56", "62", "96"])
def test_ordinary_activities_are_not_flagged(code):
    assert not division(code).regulated


def test_a_regulated_class_inside_an_open_division():
    retail = division("47")
    assert not retail.regulated
    assert retail.is_regulated("4772") and not retail.is_regulated("4711")


@pytest.mark.parametrize(
    ("query", "first", "also"),
    [
        ("boulangerie", "10", []),
        ("informatique", "62", ["26"]),
        ("transport", "49", ["50", "51"]),
        ("Activites veterinaires", "75", []),
        ("BOULANGERIE", "10", []),
        ("pâtisserie", "10", []),
        ("62", "62", []),
        ("zémidjan", "49", []),
        ("coiffure", "96", []),
        ("hotel", "55", []),
    ],
)
def test_search_finds_the_right_divisions_first(query, first, also):
    found = codes(search_activities(query))
    assert found[0] == first
    assert set(also) <= set(found)


def test_search_ignores_accents_and_case():
    found = search_activities("activites")
    assert found
    for item in found:
        assert "activit" in fold(item.label) or "activit" in fold(
            reference.activity_section(item.section_code).label
        )
    assert codes(search_activities("ACTIVITÉS")) == codes(found)


@pytest.mark.parametrize(("query", "first"), [("hôtels", "55"), ("boulangeries", "10"),
                                              ("transports", "49")])
def test_search_ignores_plural_endings(query, first):
    assert codes(search_activities(query))[0] == first


def test_search_respects_the_limit_and_finds_nothing_for_nonsense():
    assert len(search_activities("fabrication", limit=3)) == 3
    assert len(search_activities("fabrication")) == 10
    assert search_activities("xylophonie") == []
    assert search_activities("   ") == []
    assert search_activities("fabrication", limit=0) == []


def test_every_word_of_the_query_must_match():
    found = codes(search_activities("commerce détail"))
    assert found[0] == "47" and "45" in found and "10" not in found
    assert search_activities("boulangerie aérienne") == []


# --- regions and prefectures ------------------------------------------------------------


def test_there_are_five_regions_south_to_north():
    assert [r.name for r in regions()] == ["Maritime", "Plateaux", "Centrale", "Kara",
                                           "Savanes"]
    assert [r.iso_code for r in regions()] == ["TG-M", "TG-P", "TG-C", "TG-K", "TG-S"]


def test_maritime_contains_golfe_and_agoe_nyive_which_make_grand_lome():
    maritime = {p.name: p for p in prefectures("maritime")}
    assert {"Golfe", "Agoè-Nyivé", "Lacs", "Bas-Mono", "Vo", "Yoto", "Zio", "Avé"} == set(
        maritime)
    grand_lome = {p.name for p in prefectures() if p.grand_lome}
    assert grand_lome == {"Golfe", "Agoè-Nyivé"}


def test_every_prefecture_belongs_to_one_of_the_five_regions():
    region_codes = {r.code for r in regions()}
    every = prefectures()
    assert len(every) == 39
    assert len({p.code for p in every}) == 39
    assert all(p.region_code in region_codes for p in every)
    by_region = [p for r in regions() for p in prefectures(r.code)]
    assert sorted(p.code for p in by_region) == sorted(p.code for p in every)
    counts = {r.code: len(prefectures(r.code)) for r in regions()}
    assert counts == {"maritime": 8, "plateaux": 12, "centrale": 5, "kara": 7, "savanes": 7}


def test_a_prefecture_by_its_code():
    assert prefecture("golfe").region_code == "maritime"
    assert prefecture("tchaoudjo").name == "Tchaoudjo"
    assert prefecture("kozah").region_code == "kara"
    assert prefecture("tone").name == "Tône"
    with pytest.raises(KeyError):
        prefecture("lome")
    with pytest.raises(KeyError):
        prefectures("volta")


def test_codes_are_ascii_slugs():
    for item in [*regions(), *prefectures()]:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", item.code), item.code


def test_the_data_is_read_once():
    assert reference._isic() is reference._isic()
    assert reference._geography() is reference._geography()
