"""The page's texts are data: one locale file per language with the same keys, a template for
every error code the API can send, and every key the page asks for present."""

import json
import re
from pathlib import Path

import pytest

from app.errors import CODES
from tests.server import ROOT

LOCALES = ROOT / "static" / "locales"
LANGUAGES = ("en", "ko")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# The catalog's English descriptions come from the server; only other languages carry them.
ONE_LANGUAGE = {"descriptions", "language"}


def locale(lang: str) -> dict:
    return json.loads((LOCALES / f"{lang}.json").read_text(encoding="utf-8"))


def test_every_language_has_the_same_keys() -> None:
    en, ko = locale("en"), locale("ko")
    assert set(en) - ONE_LANGUAGE == set(ko) - ONE_LANGUAGE
    for section in set(en) - ONE_LANGUAGE:
        assert set(en[section]) == set(ko[section]), f"{section}: {set(en[section]) ^ set(ko[section])}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_error_code_has_a_template_with_its_params(lang: str) -> None:
    templates = locale(lang)["errors"]
    missing = set(CODES) - set(templates)
    assert not missing, f"codes without a {lang} template: {sorted(missing)}"
    for code, english in CODES.items():
        assert set(PLACEHOLDER.findall(templates[code])) == set(PLACEHOLDER.findall(english)), code


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_the_page_asks_for_exists(lang: str) -> None:
    strings = locale(lang)["strings"]
    asked: set[str] = set()
    for path in [*(ROOT / "templates").glob("*.html")]:
        text = path.read_text(encoding="utf-8")
        asked |= set(re.findall(r'data-i18n="([^"]+)"', text))
        for pairs in re.findall(r'data-i18n-attr="([^"]+)"', text):
            asked |= {pair.split(":", 1)[1] for pair in pairs.split(";")}
    for path in (ROOT / "static" / "js").rglob("*.js"):
        asked |= set(re.findall(r'\bt\("([\w.]+)"', path.read_text(encoding="utf-8")))
    missing = sorted(asked - set(strings))
    assert not missing, f"{lang} lacks {missing}"


def test_no_strings_left_in_the_code() -> None:
    """The old dictionaries (i18n.js's literals, classroom-strings.js's side effect) are gone."""
    for path in (ROOT / "static" / "js").glob("*.js"):
        text = path.read_text(encoding="utf-8")
        assert "addStrings(" not in text, path
    assert len(Path(ROOT / "static" / "js" / "i18n.js").read_text().splitlines()) < 150
