"""The term base: one term per concept in each language (``data/terms/<lang>.yml``; pure).

Each file lists, per concept, the preferred term and the variants to avoid, and for Japanese
which characters touch a number without a space (``3つ``, ``2026年11月30日``). :func:`findings`
scans that language's pages (``docs/<lang>/``, code and link targets excluded) and its data
strings, and names file, line, the variant and the preferred term for each hit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from playbook import markers
from playbook.data.documents import DataError, Document
from playbook.data.languages import Languages
from playbook.data.schemas import validate

TERMS_DIR = "terms"
_SPACE = "[ \u00a0\u3000]"
_URL = re.compile(r"\]\([^)\n]*\)|<https?://[^>\n]*>|https?://\S+")


@dataclass(frozen=True)
class Term:
    """One concept: the term to write and the variants to avoid."""

    concept: str
    preferred: str
    avoid: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class TermBase:
    """One language's term base."""

    language: str
    terms: tuple[Term, ...]
    digit_chars: str  # characters that stand next to a number without a space ("" = no rule)


def term_files(data_dir: Path) -> list[Path]:
    """The term base files, ``data/terms/<lang>.yml``."""
    folder = data_dir / TERMS_DIR
    return sorted(folder.glob("*.yml")) if folder.is_dir() else []


def load_term_base(path: Path, languages: Languages) -> TermBase:
    """Read and validate one term base file (its ``language`` must be its file name and a site language)."""
    label = f"data/{TERMS_DIR}/{path.name}"
    doc = Document(path, label)
    validate(doc, "terms")
    problems = []
    if doc.data["language"] != path.stem:
        problems.append(doc.error(("language",), f"{doc.data['language']!r} must equal the file name {path.stem!r}"))
    if path.stem not in languages.codes:
        problems.append(doc.error(("language",), f"{path.stem!r} is not a language of data/languages.yml"))
    seen: dict[str, int] = {}
    for index, entry in enumerate(doc.data["terms"]):
        for variant in entry.get("avoid", []):
            if variant == entry["preferred"]:
                problems.append(doc.error(("terms", index, "avoid"), f"{variant!r} is also the preferred term"))
        if entry["concept"] in seen:
            problems.append(doc.error(("terms", index, "concept"), f"concept {entry['concept']!r} listed twice"))
        seen[entry["concept"]] = index
    if problems:
        raise DataError("\n".join(problems))
    terms = tuple(
        Term(e["concept"], e["preferred"], tuple(e.get("avoid", [])), e.get("note", "")) for e in doc.data["terms"]
    )
    return TermBase(path.stem, terms, doc.data.get("typography", {}).get("no_space_between_digits_and", ""))


def _pattern(variant: str) -> re.Pattern[str]:
    """Latin-letter variants match as whole words, case-insensitively; others (kana, kanji) anywhere."""
    escaped = re.escape(variant)
    if re.fullmatch(r"[\w .&'/-]+", variant, re.ASCII):
        return re.compile(rf"(?<![\w-]){escaped}(?![\w-])", re.IGNORECASE)
    return re.compile(escaped)


def scan(text: str, base: TermBase) -> Iterator[tuple[int, str]]:
    """``(offset, message)`` for every avoided variant and spacing problem in ``text``."""
    for term in base.terms:
        preferred = [m.span() for m in _pattern(term.preferred).finditer(text)]
        for variant in term.avoid:
            for match in _pattern(variant).finditer(text):
                if any(start <= match.start() and match.end() <= end for start, end in preferred):
                    continue  # the variant is part of the preferred term itself
                yield match.start(), f"{match.group(0)!r}: write {term.preferred!r} ({term.concept})"
    if base.digit_chars:
        chars = re.escape(base.digit_chars)
        spaced = rf"[0-9０-９]+{_SPACE}+[{chars}]|[{chars}]{_SPACE}+[0-9０-９]+"
        for match in re.finditer(spaced, text):
            shown = match.group(0)
            joined = re.sub(f"{_SPACE}+", "", shown)
            yield match.start(), f"{shown!r}: no space between a number and its counter (write {joined!r})"


def _page_text(text: str) -> str:
    """The page with code (markers.mask_code) and link targets blanked out (offsets kept)."""
    masked = markers.mask_code(text, indented_blocks=False)
    return _URL.sub(lambda m: " " * len(m.group(0)), masked)


def page_findings(root: Path, base: TermBase) -> list[str]:
    """Every hit on the language's pages, as ``docs/<lang>/x.md, line N: message``."""
    found = []
    for path in sorted((root / "docs" / base.language).rglob("*.md")):
        label = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        masked = _page_text(text)
        for offset, message in sorted(scan(masked, base)):
            found.append(f"{label}, line {text.count(chr(10), 0, offset) + 1}: {message}")
    return found


def data_findings(data_dir: Path, base: TermBase, files: list[Path]) -> list[str]:
    """Every hit in the language's data strings, as ``data/x.yml, line N, field a.b.de: message``."""
    found = []
    for path in files:
        doc = Document(path, path.relative_to(data_dir.parent).as_posix())
        for parts, text in _texts(doc.data, base.language, ()):
            for _, message in sorted(scan(text, base)):
                found.append(doc.error(parts, message))
    return found


def _texts(value: object, lang: str, parts: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, dict) and value and all(re.fullmatch(r"[a-z]{2}", str(k)) for k in value):
        if isinstance(value.get(lang), str):  # a text per language (a field named ``id`` is not Indonesian)
            yield parts + (lang,), value[lang]
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _texts(child, lang, parts + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _texts(child, lang, parts + (index,))


def findings(root: Path, languages: Languages) -> list[str]:
    """Every term-base finding of every language that has a term base."""
    data_dir = root / "data"
    files = [
        p
        for p in sorted(data_dir.rglob("*.yml"))
        if p.parent.name != TERMS_DIR and p.name not in ("languages.yml", "translations.lock.yml")
    ]
    found = []
    for path in term_files(data_dir):
        base = load_term_base(path, languages)
        found += page_findings(root, base) + data_findings(data_dir, base, files)
    return found
