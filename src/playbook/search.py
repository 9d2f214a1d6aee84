"""Split Material's search index into one index per language (pure: never imports mkdocs).

static-i18n builds every language under one site root, so Material's search plugin ends up with
one index of all languages at ``search/search_index.json``, analysed with one lunr setup. Readers
want their own language only, tokenized for that language. This module:

* groups the index's documents by language, from the URL prefix static-i18n gives each language
  (``de/...``; the default language has none), see :func:`split`;
* picks lunr settings per language: Material's own defaults for that language (its
  ``partials/languages/<code>.html``), e.g. the TinySegmenter for ``ja``, and English tokenizing
  with an empty pipeline for ``id``, which lunr does not know (no English stop words or stems);
* names where each language's index lives, see :func:`index_path`.

Why no stemmer for German (or English): Material's worker appends ``*`` to every query term,
and lunr skips the query pipeline for wildcard terms, so a query is never stemmed. A stemmed
index ("kund") would then miss the plain query "Kunden*". Unstemmed terms plus that trailing
wildcard find inflected forms from the base form instead: "Kunde" finds "Kunden", "Kundensegment".
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playbook import partials
from playbook.data.cache import cache_folder, read_pickle, write_pickle

#: Where the site root's (default language's) index lives; Material's search fetches it from there.
ROOT_INDEX = "search/search_index.json"


@dataclass(frozen=True)
class SearchSettings:
    """The lunr settings Material's search worker reads from an index's ``config``."""

    lang: tuple[str, ...]
    separator: str
    pipeline: tuple[str, ...]


#: The Material UI strings :func:`settings_for` reads.
MATERIAL_KEYS = ("search.config.lang", "search.config.separator", "search.config.pipeline")


def settings_for(translate: Callable[[str], str]) -> SearchSettings:
    """Return a language's settings; ``translate`` looks up Material's UI strings for that language."""
    pipeline = tuple(p for p in re.split(r"\s*,\s*", translate("search.config.pipeline").strip()) if p)
    return SearchSettings(
        # Material falls back to English ("en") for languages lunr does not know (e.g. "id").
        lang=(translate("search.config.lang"),),
        separator=translate("search.config.separator"),
        pipeline=pipeline,
    )


def index_path(code: str, default: str) -> str:
    """Site-relative path of language ``code``'s index (static-i18n puts it under ``<code>/``)."""
    return ROOT_INDEX if code == default else f"{code}/{ROOT_INDEX}"


def language_of(location: str, codes: Iterable[str], default: str) -> str:
    """Return the language of an index entry from its site-relative ``location`` (``de/page/#anchor``)."""
    first = location.split("/", 1)[0] if "/" in location else ""
    return first if first in codes and first != default else default


def split(docs: Iterable[Mapping[str, Any]], codes: Iterable[str], default: str) -> dict[str, list[dict[str, Any]]]:
    """Group index entries by language, keeping their order; every language in ``codes`` gets a list."""
    codes = tuple(codes)
    groups: dict[str, list[dict[str, Any]]] = {code: [] for code in codes}
    for doc in docs:
        groups[language_of(str(doc["location"]), codes, default)].append(dict(doc))
    return groups


def language_index(docs: list[dict[str, Any]], settings: SearchSettings, fields: Mapping[str, Any]) -> dict[str, Any]:
    """One language's index, in the shape Material's search plugin writes (``config`` + ``docs``)."""
    config = {
        "lang": list(settings.lang),
        "separator": settings.separator,
        "pipeline": list(settings.pipeline),
        "fields": dict(fields),
    }
    return {"config": config, "docs": docs}


def dumps(index: Mapping[str, Any]) -> str:
    """Serialize like Material does (compact; non-ASCII kept, so Japanese stays small)."""
    return json.dumps(index, separators=(",", ":"), ensure_ascii=False)


def per_language(
    merged: Mapping[str, Any], codes: Iterable[str], default: str, translators: Mapping[str, Callable[[str], str]]
) -> dict[str, str]:
    """Split a merged index into ``{site-relative path: JSON}``, one per language with entries."""
    fields = merged.get("config", {}).get("fields", {})
    out: dict[str, str] = {}
    for code, docs in split(merged.get("docs", []), codes, default).items():
        if docs:
            settings = settings_for(translators[code])
            out[index_path(code, default)] = dumps(language_index(docs, settings, fields))
    return out


#: Material's search strings per language, keyed on the language and the theme's language files.
_strings: dict[str, dict[str, str]] = {}


def material_strings(code: str, theme: partials.Theme, config_file: str) -> dict[str, str]:
    """Material's per-language search settings, read the way its search plugin reads them.

    Rendering Material's language partial takes ~10 ms per language; the answer only changes with
    the theme's language files, whose paths and times are the key. Kept in memory for the run and
    in ``.cache/data/material-search.pickle`` for the next build.
    """
    names = ("partials/language.html", f"partials/languages/{code}.html", "partials/languages/en.html")
    stamp = [
        [str(path), path.stat().st_mtime_ns]
        for folder in partials.folders(theme)
        for path in (Path(folder) / name for name in names)
        if path.is_file()
    ]
    key = json.dumps([code, stamp])
    stored = cache_folder(config_file, "data") / "material-search.pickle"
    if key not in _strings:
        found = read_pickle(stored)
        _strings.update(found if isinstance(found, dict) else {})
    if key not in _strings:
        template = partials.get(theme, "language.html")
        t = template.make_module({"config": {"theme": {"language": code}}}).t
        _strings[key] = {name: t(name) for name in MATERIAL_KEYS}
        write_pickle(stored, _strings, "material-search.pickle")
    return _strings[key]
