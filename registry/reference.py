"""Reference data for the filing: activities (CITI Rév. 4) and Togo's regions and prefectures.

The data lives in registry/data/*.yaml and is read once per process.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"

# Words that carry no meaning in a search ("boulangerie de quartier" = "boulangerie quartier").
SEARCH_STOP_WORDS = frozenset(
    {"a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "par",
     "pour", "sur", "un", "une"}
)
# How much a match counts, by where it is found.
LABEL_WEIGHT, KEYWORD_WEIGHT, SECTION_WEIGHT = 3.0, 2.0, 1.0


@dataclass(frozen=True)
class Section:
    code: str  # "A" to "U"
    label: str
    division_codes: tuple[str, ...]


@dataclass(frozen=True)
class Division:
    code: str  # two digits, "01" to "99"
    label: str
    section_code: str
    regulated: bool  # the whole division needs a prior authorisation
    regulated_classes: tuple[str, ...]  # 4-digit classes that do, when the division does not
    keywords: tuple[str, ...]

    def is_regulated(self, activity_code: str) -> bool:
        """Whether an activity code (division or class within it) needs an authorisation."""
        return self.regulated or any(
            activity_code.startswith(code) for code in self.regulated_classes
        )


@dataclass(frozen=True)
class Region:
    code: str  # ASCII slug, "maritime"
    iso_code: str  # ISO 3166-2, "TG-M"
    name: str
    prefecture_codes: tuple[str, ...]


@dataclass(frozen=True)
class Prefecture:
    code: str  # ASCII slug, "agoe-nyive"
    name: str
    region_code: str
    grand_lome: bool


def fold(text: str) -> str:
    """Lower case, no accents, words separated by single spaces: the form searches compare."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    return " ".join(re.split(r"[^a-z0-9]+", text)).strip()


def _stem(word: str) -> str:
    # Singular and plural match: "transports" finds "transport", "activites" "activite".
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def _words(text: str) -> list[str]:
    return [_stem(word) for word in fold(text).split() if word not in SEARCH_STOP_WORDS]


# --- activities -------------------------------------------------------------------------


@cache
def _isic() -> tuple[dict[str, Section], dict[str, Division]]:
    raw = yaml.safe_load((DATA_DIR / "isic4_fr.yaml").read_text(encoding="utf-8"))
    sections: dict[str, Section] = {}
    divisions: dict[str, Division] = {}
    for section_data in raw["sections"]:
        codes = []
        for item in section_data["divisions"]:
            code = str(item["code"])
            if not re.fullmatch(r"\d\d", code) or code in divisions:
                raise ValueError(f"isic4_fr.yaml: bad or repeated division code {code!r}")
            divisions[code] = Division(
                code=code,
                label=" ".join(item["label"].split()),
                section_code=section_data["code"],
                regulated=bool(item.get("regulated", False)),
                regulated_classes=tuple(str(c) for c in item.get("regulated_classes", ())),
                keywords=tuple(item.get("keywords") or ()),
            )
            codes.append(code)
        sections[section_data["code"]] = Section(
            code=section_data["code"],
            label=" ".join(section_data["label"].split()),
            division_codes=tuple(codes),
        )
    return sections, divisions


def activity_sections() -> list[Section]:
    """The 21 sections, A to U."""
    return list(_isic()[0].values())


def activity_divisions(section_code: str | None = None) -> list[Division]:
    """The 88 divisions in code order, or those of one section."""
    sections, divisions = _isic()
    if section_code is None:
        return list(divisions.values())
    return [divisions[code] for code in sections[section_code].division_codes]


def activity_section(code: str) -> Section:
    """One section by its letter; KeyError if there is none."""
    return _isic()[0][code]


def division(code: str) -> Division:
    """One division by its two-digit code; KeyError if there is none."""
    return _isic()[1][code]


def division_for(activity_code: str) -> Division | None:
    """The division an activity code (2 to 4 digits, a division or a class) falls in."""
    code = (activity_code or "").strip()
    if not re.fullmatch(r"\d{2,4}", code):
        return None
    return _isic()[1].get(code[:2])


@dataclass(frozen=True)
class _SearchEntry:
    division: Division
    label_words: tuple[str, ...]
    keyword_words: tuple[str, ...]
    section_words: tuple[str, ...]


@cache
def _search_index() -> tuple[_SearchEntry, ...]:
    sections, divisions = _isic()
    return tuple(
        _SearchEntry(
            division=item,
            label_words=tuple(_words(item.label)),
            keyword_words=tuple(w for keyword in item.keywords for w in _words(keyword)),
            section_words=tuple(_words(sections[item.section_code].label)),
        )
        for item in divisions.values()
    )


def _match(token: str, words: tuple[str, ...]) -> float:
    """How well one query word matches a list of words: whole word, start of word, inside."""
    best = 0.0
    for position, word in enumerate(words):
        if word == token:
            quality = 1.0
        elif len(token) >= 3 and word.startswith(token):
            quality = 0.7
        elif len(token) >= 4 and token in word:
            quality = 0.4
        else:
            continue
        # Earlier words say more about the division: "Transports terrestres" before
        # "Fabrication d'autres matériels de transport".
        best = max(best, quality + 0.5 / (1 + position))
    return best


def search_activities(query: str, limit: int = 10) -> list[Division]:
    """Divisions whose code, title or keywords match every word of the query, best first.

    Case, accents and plural endings are ignored; a number matches division codes.
    """
    tokens = _words(query) or [_stem(w) for w in fold(query).split()]
    if not tokens or limit <= 0:
        return []
    scored: list[tuple[float, str, Division]] = []
    for entry in _search_index():
        score = 0.0
        for token in tokens:
            if token.isdigit():
                code = entry.division.code
                points = 10.0 if code == token[:2] else 5.0 if code.startswith(token) else 0.0
            else:
                points = max(
                    LABEL_WEIGHT * _match(token, entry.label_words),
                    KEYWORD_WEIGHT * _match(token, entry.keyword_words),
                    SECTION_WEIGHT * _match(token, entry.section_words),
                )
            if not points:
                break
            score += points
        else:
            scored.append((score, entry.division.code, entry.division))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [item for _, _, item in scored[:limit]]


# --- regions and prefectures ------------------------------------------------------------


@cache
def _geography() -> tuple[dict[str, Region], dict[str, Prefecture]]:
    raw = yaml.safe_load((DATA_DIR / "togo_regions.yaml").read_text(encoding="utf-8"))
    regions: dict[str, Region] = {}
    prefectures_by_code: dict[str, Prefecture] = {}
    for region_data in raw["regions"]:
        codes = []
        for item in region_data["prefectures"]:
            if item["code"] in prefectures_by_code:
                raise ValueError(f"togo_regions.yaml: repeated prefecture {item['code']!r}")
            prefectures_by_code[item["code"]] = Prefecture(
                code=item["code"],
                name=item["name"],
                region_code=region_data["code"],
                grand_lome=bool(item.get("grand_lome", False)),
            )
            codes.append(item["code"])
        regions[region_data["code"]] = Region(
            code=region_data["code"],
            iso_code=region_data["iso_code"],
            name=region_data["name"],
            prefecture_codes=tuple(codes),
        )
    return regions, prefectures_by_code


def regions() -> list[Region]:
    """The five regions, south to north."""
    return list(_geography()[0].values())


def region(code: str) -> Region:
    """One region by its code ("maritime"); KeyError if there is none."""
    return _geography()[0][code]


def prefectures(region_code: str | None = None) -> list[Prefecture]:
    """All prefectures, or those of one region (KeyError for an unknown region)."""
    all_regions, by_code = _geography()
    if region_code is None:
        return list(by_code.values())
    return [by_code[code] for code in all_regions[region_code].prefecture_codes]


def prefecture(code: str) -> Prefecture:
    """One prefecture by its code ("golfe"); KeyError if there is none."""
    return _geography()[1][code]
