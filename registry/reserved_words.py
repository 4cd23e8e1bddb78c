"""Reserved words in company names: terms a name may hold only with an authorisation
(« Banque », « National »), listed in a YAML file (setting REGISTRY_RESERVED_WORDS_FILE).
The name check (registry.similarity.check_name) reports them."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings

from .names import normalize

DEFAULT_RESERVED_WORDS_FILE = Path(__file__).resolve().parent / "data" / "reserved_words.yaml"


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
