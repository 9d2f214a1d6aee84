"""Unit tests of the per-language search-index split (playbook.search)."""

from __future__ import annotations

import json

import pytest

from playbook import search as sii

CODES = ("en", "de", "ja", "id")
MATERIAL = {  # what Material's partials/languages/<code>.html give (with the en fallback)
    "en": {"search.config.lang": "en", "search.config.pipeline": "stopWordFilter", "search.config.separator": "[\\s]+"},
    "de": {"search.config.lang": "de", "search.config.pipeline": "stopWordFilter", "search.config.separator": "[\\s]+"},
    "ja": {"search.config.lang": "ja", "search.config.pipeline": "stemmer", "search.config.separator": "[\\s、]+"},
    "id": {"search.config.lang": "en", "search.config.pipeline": " ", "search.config.separator": "[\\s]+"},
}
TRANSLATORS = {code: MATERIAL[code].__getitem__ for code in CODES}


@pytest.mark.parametrize(
    ("location", "language"),
    [
        ("", "en"),
        ("#intro", "en"),
        ("glossary/", "en"),
        ("de/", "de"),
        ("de/glossary/#a", "de"),
        ("ja/x/", "ja"),
        ("fr/x/", "en"),
        ("debug/", "en"),
        ("en/x/", "en"),
    ],
)
def test_language_of(location: str, language: str) -> None:
    assert sii.language_of(location, CODES, "en") == language


def test_index_path() -> None:
    assert sii.index_path("en", "en") == "search/search_index.json"
    assert sii.index_path("de", "en") == "de/search/search_index.json"


def test_settings_use_material_defaults_per_language() -> None:
    assert sii.settings_for(TRANSLATORS["ja"]) == sii.SearchSettings(("ja",), "[\\s、]+", ("stemmer",))
    # lunr does not know Indonesian: English tokenizing, empty pipeline (no English stems).
    assert sii.settings_for(TRANSLATORS["id"]) == sii.SearchSettings(("en",), "[\\s]+", ())


def test_per_language_splits_and_keeps_fields() -> None:
    merged = {
        "config": {"lang": ["en", "de"], "fields": {"title": {"boost": 1000.0}}},
        "docs": [
            {"location": "", "title": "Home", "text": "a"},
            {"location": "de/", "title": "Start", "text": "b"},
            {"location": "ja/", "title": "ホーム", "text": "顧客"},
            {"location": "glossary/", "title": "G", "text": "c"},
        ],
    }
    out = sii.per_language(merged, CODES, "en", TRANSLATORS)
    assert sorted(out) == ["de/search/search_index.json", "ja/search/search_index.json", "search/search_index.json"]
    en = json.loads(out["search/search_index.json"])
    assert [d["location"] for d in en["docs"]] == ["", "glossary/"]
    assert en["config"] == {
        "lang": ["en"],
        "separator": "[\\s]+",
        "pipeline": ["stopWordFilter"],
        "fields": {"title": {"boost": 1000.0}},
    }
    ja = out["ja/search/search_index.json"]
    assert "顧客" in ja and json.loads(ja)["config"]["lang"] == ["ja"]
    # Splitting an already split index changes nothing (the hook runs once per language build).
    assert sii.per_language(json.loads(ja), CODES, "en", TRANSLATORS) == {"ja/search/search_index.json": ja}
