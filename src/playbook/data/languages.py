"""The site's languages, declared once in ``data/languages.yml`` (pure).

Everything else that lists languages (the i18n block of ``mkdocs.yml``, the per-language search
indexes, the translation checks, the downloads) reads them from here.
"""

from __future__ import annotations

import difflib
import importlib.util
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from playbook.data.cache import memoise_on_files, project_cache
from playbook.data.documents import DataError, Document
from playbook.data.schemas import validate


@dataclass(frozen=True)
class Language:
    """One site language, as declared in data/languages.yml."""

    code: str
    name: str
    site_name: str
    site_description: str


@dataclass(frozen=True)
class Languages:
    """The ordered language list; ``default`` is the source language for translations."""

    default: str
    items: tuple[Language, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        """Language codes in declaration order."""
        return tuple(lang.code for lang in self.items)


@memoise_on_files(lambda data_dir: [data_dir / "languages.yml"], project_cache)
def load_languages(data_dir: Path) -> Languages:
    """Read and validate ``data/languages.yml``."""
    doc = Document(data_dir / "languages.yml", "data/languages.yml")
    validate(doc, "languages")
    items = tuple(Language(e["code"], e["name"], e["site_name"], e["site_description"]) for e in doc.data["languages"])
    codes = [lang.code for lang in items]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        raise DataError(doc.error(("languages",), f"duplicate language code {', '.join(dupes)}"))
    problems = [doc.error(("languages", i, "code"), why) for i, code in enumerate(codes) if (why := unsupported(code))]
    if doc.data["default"] not in codes:
        problems.append(doc.error(("default",), f"{doc.data['default']!r} is not one of {', '.join(codes)}"))
    if problems:
        raise DataError("\n".join(problems))
    return Languages(doc.data["default"], items)


def nav_translation_problems(data_dir: Path, sections: Iterable[str]) -> list[str]:
    """``nav_translations`` keys that are not section labels of the nav (a typo never translates anything).

    ``sections`` are the English labels of the nav sections in mkdocs.yml (page titles come from
    each page's H1, so only sections need a translation). A section not translated yet is pending,
    not an error: :func:`untranslated_nav` lists it and the nav shows the English label.
    """
    doc = Document(data_dir / "languages.yml", "data/languages.yml")
    labels = sorted(set(sections))
    problems = []
    for index, entry in enumerate(doc.data["languages"]):
        for key in entry.get("nav_translations") or {} if entry["code"] != doc.data["default"] else {}:
            if key not in labels:
                close = difflib.get_close_matches(key, labels, n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                problems.append(
                    doc.error(
                        ("languages", index, "nav_translations", key),
                        f"{key!r} is not a nav section of mkdocs.yml{hint}; sections: {', '.join(labels)}",
                    )
                )
    return problems


def untranslated_nav(data_dir: Path, sections: Iterable[str]) -> dict[str, list[str]]:
    """Per language (not the default), the nav sections with no ``nav_translations`` entry yet."""
    doc = Document(data_dir / "languages.yml", "data/languages.yml")
    labels = sorted(set(sections))
    found = {}
    for entry in doc.data["languages"]:
        if entry["code"] != doc.data["default"]:
            given = entry.get("nav_translations") or {}
            if missing := [label for label in labels if label not in given]:
                found[entry["code"]] = missing
    return found


@cache
def unsupported(code: str) -> str | None:
    """Why a language code cannot be used (Babel formats numbers, Material translates its UI), or None."""
    import babel  # imported here: ~30 ms, and only when a language list is checked

    try:
        babel.Locale.parse(code)
    except (babel.UnknownLocaleError, ValueError):
        return f"Babel does not know the language {code!r}; use an ISO 639-1 code such as 'de'"
    spec = importlib.util.find_spec("material")
    folders = spec.submodule_search_locations if spec else None
    if folders and not (Path(folders[0]) / "templates" / "partials" / "languages" / f"{code}.html").is_file():
        return f"Material for MkDocs has no interface translation for {code!r}; choose a language it supports"
    return None
