"""The site's languages, declared once in ``data/languages.yml`` (pure).

Everything else that lists languages (the i18n block of ``mkdocs.yml``, the per-language search
indexes, the translation checks, the downloads) reads them from here.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    if doc.data["default"] not in codes:
        raise DataError(doc.error(("default",), f"{doc.data['default']!r} is not one of {', '.join(codes)}"))
    return Languages(doc.data["default"], items)
