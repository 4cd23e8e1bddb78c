"""French first: catalogues complete and compiled, no untranslated text in templates,
French formats for amounts, dates and times."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.template import Context, Template
from django.template.base import Lexer, TokenType
from django.utils import timezone, translation

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("fr", "en")


def _catalogue(language: str):
    with open(ROOT / "locale" / language / "LC_MESSAGES" / "django.po", "rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    catalogue = _catalogue(language)
    untranslated = [m.id for m in catalogue if m.id and not all(
        m.string if isinstance(m.string, tuple) else (m.string,))]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert untranslated == [], f"untranslated in {language}: {untranslated[:5]}"
    assert fuzzy == [], f"fuzzy in {language}: {fuzzy[:5]}"


def test_the_french_catalogue_mirrors_the_french_sources():
    wrong = [m.id for m in _catalogue("fr") if m.id and (
        m.string != (tuple(m.id) if isinstance(m.id, (list, tuple)) else m.id))]
    assert wrong == []


def test_the_catalogues_compile(tmp_path):
    target = tmp_path / "locale"
    shutil.copytree(ROOT / "locale", target, ignore=shutil.ignore_patterns("*.mo", "*.py"))
    result = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "compile", "--domain", "django",
         "--directory", str(target), "--statistics"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for language in LANGUAGES:
        assert (target / language / "LC_MESSAGES" / "django.mo").stat().st_size > 1000


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_the_catalogues_hold_every_string_of_the_sources(tmp_path):
    """makemessages on a copy of the tree must find nothing new to translate."""
    copy = tmp_path / "tree"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".venv", ".git", "media", "var", "staticfiles", "*.mo", "__pycache__", "node_modules"))
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "-l", "en", "--ignore",
         "tests/*", "--ignore", ".venv/*", "--ignore", "var/*", "--no-obsolete"],
        cwd=copy, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for language in LANGUAGES:
        with open(copy / "locale" / language / "LC_MESSAGES" / "django.po", "rb") as handle:
            catalogue = read_po(handle)
        new = [m.id for m in catalogue if m.id and (m.fuzzy or not all(
            m.string if isinstance(m.string, tuple) else (m.string,)))]
        assert new == [], f"{language}: run 'make catalogues' and translate {new[:5]}"


# Words that are the same in every language and may stand outside translation tags.
UNTRANSLATED_OK = {"FCFA", "RCCM", "NIF", "CNSS", "PDF", "OHADA", "CFE", "SMS", "QR", "UTC"}
TEXT_ATTRIBUTES = re.compile(
    r'\b(?:alt|title|placeholder|aria-label|aria-description)="([^"{]*)"', re.I)


def _templates():
    folders = [ROOT / "templates", *ROOT.glob("*/templates")]
    for folder in folders:
        if ".venv" in folder.parts:
            continue
        yield from (p for p in folder.rglob("*") if p.suffix in {".html", ".txt"})


def _loose_text(source: str) -> list[str]:
    """Text outside {% translate %} / {% blocktranslate %} that a person would read."""
    kept = []
    depth = 0
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            if name in {"blocktranslate", "blocktrans", "comment"}:
                depth += 1
            elif name in {"endblocktranslate", "endblocktrans", "endcomment"}:
                depth -= 1
            kept.append("§")  # a tag or variable: no words of its own
        elif token.token_type == TokenType.VAR:
            kept.append("§")
        elif token.token_type == TokenType.TEXT and depth == 0:
            kept.append(token.contents)
    text = "".join(kept)
    found = [value for value in TEXT_ATTRIBUTES.findall(text) if re.search(r"[A-Za-zÀ-ÿ]",
                                                                         value)]
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    found += [word for word in re.findall(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]+", text)
              if word not in UNTRANSLATED_OK]
    return found


def test_templates_hold_no_text_outside_translation_tags():
    loose = {}
    for path in _templates():
        words = _loose_text(path.read_text(encoding="utf-8"))
        if words:
            loose[str(path.relative_to(ROOT))] = words[:8]
    assert loose == {}


def test_the_template_check_would_catch_loose_text():
    assert _loose_text("<p>Bonjour {{ name }}</p>") == ["Bonjour"]
    assert _loose_text('<img alt="Drapeau">') == ["Drapeau"]
    assert _loose_text("{% blocktranslate %}Bonjour{% endblocktranslate %} FCFA") == []


def test_amounts_read_the_french_way_and_the_english_way():
    template = Template("{% load money %}{{ amount|fcfa }}")
    with translation.override("fr"):
        assert template.render(Context({"amount": 1_000_000})) == "1\xa0000\xa0000\xa0FCFA"
    with translation.override("en"):
        assert template.render(Context({"amount": 1_000_000})) == "1,000,000\xa0FCFA"


def test_dates_read_the_french_way_in_lome_time():
    assert settings.TIME_ZONE == "Africa/Lome" and settings.USE_TZ
    moment = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)  # stored in UTC
    template = Template('{{ moment|date:"j F Y, H:i" }}')
    with translation.override("fr"), timezone.override("Africa/Lome"):
        assert template.render(Context({"moment": moment})) == "29 novembre 2026, 23:30"
    with translation.override("en"):
        assert template.render(Context({"moment": moment})) == "29 November 2026, 23:30"


def test_pages_render_in_english_when_chosen(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Set up your business online" in html
    assert "Créez votre entreprise en ligne" not in html
