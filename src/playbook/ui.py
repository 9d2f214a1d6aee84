"""The playbook's own interface strings, ``data/ui.yml``, in every language (pure).

The 404 page, the "last updated" line and the fallback notice read them through the ``ui`` and
``ui_languages`` template globals that ``hooks/ui.py`` sets from :func:`template_globals`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playbook.data.cache import memoise_on_files, project_cache
from playbook.data.documents import DataError, Document
from playbook.data.languages import Languages
from playbook.data.schemas import check_texts, validate


@memoise_on_files(lambda data_dir: [data_dir / "languages.yml", data_dir / "ui.yml"], project_cache)
def load_ui_strings(data_dir: Path, languages: Languages) -> dict[str, dict[str, str]]:
    """Read ``data/ui.yml``; return ``{language: {key: text}}`` for every language."""
    doc = Document(data_dir / "ui.yml", "data/ui.yml")
    validate(doc, "ui")
    problems = check_texts(doc, doc.data["strings"], ("strings",), languages)
    if problems:
        raise DataError("\n".join(problems))
    return {code: {key: text[code] for key, text in doc.data["strings"].items()} for code in languages.codes}


def home(code: str, languages: Languages) -> str:
    """A language's home folder relative to the site root: ``""`` for the default, else ``"de/"``."""
    return "" if code == languages.default else f"{code}/"


def template_globals(strings: dict[str, dict[str, str]], languages: Languages, lang: str) -> dict[str, Any]:
    """``ui`` (this language's strings), ``ui_home`` and ``ui_languages`` (every language, for the 404 page)."""
    return {
        "ui": strings[lang],
        "ui_home": home(lang, languages),
        "ui_languages": [{"code": code, "home": home(code, languages), **strings[code]} for code in languages.codes],
    }


def top_level_names(dest_uris: list[str], codes: tuple[str, ...]) -> list[str]:
    """Names directly under an edition's root: language folders and what each language holds there.

    The 404 page finds the edition's root in a mistyped URL by the first of these names in it
    (``/1.0/de/no-such-page`` -> ``/1.0/``), wherever the edition is served from.
    """
    names = set(codes) | {"404.html"}
    for uri in dest_uris:
        first, _, rest = uri.partition("/")
        if first in codes and rest:
            first = rest.partition("/")[0]
        names.add(first)
    return sorted(names)
