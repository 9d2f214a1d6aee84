"""Translation status of pages and data strings (pure: never imports mkdocs).

For every English source (``docs/en/**/*.md`` and every data file with English strings) and every
other language, :func:`status` says ``translated``, ``missing`` or ``outdated``. Nothing is guessed
from file times or git history, so the answer is the same on every clone:

* **Pages.** A translated page records the English source it was last brought up to date with::

      ---
      updated: 2026-01-15
      translation:
        source_hash: '3f9c0d1e2a4b'
      ---

  ``source_hash`` is :func:`source_hash` of the English file: the first 12 hex digits of the
  SHA-256 of its front matter (minus ``updated`` and ``translation``) and its body. A page is
  *outdated* when that hash differs from the English file's current one, or when it has no
  stamp at all; *missing* when ``docs/<lang>/<same path>`` does not exist.
* **Data files** (``data/**/*.yml`` except ``languages.yml`` and the lock file). Every text is a
  mapping keyed by language code. A language is *missing* in a file when any English text lacks
  it; *outdated* when the hash of all the file's English strings differs from the one recorded
  for that language in ``data/translations.lock.yml`` (or none is recorded).

``playbook translations stamp`` writes both kinds of stamp through :func:`stamp_page`
and :func:`dump_lock`; ``updated`` is the date shown as "Last updated" on the page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from playbook.data.cache import cache_folder, memoise_on_files
from playbook.data.documents import DataError, Document, parse_yaml
from playbook.data.languages import load_languages, untranslated_nav
from playbook.data.schemas import validate
from playbook.project import nav_sections, read_nav

#: Relative to the project root.
LOCK_FILE = "data/translations.lock.yml"
#: Front matter keys written by the stamp command; they are not part of the English source hash.
OWN_KEYS = ("updated", "translation")
STATES = ("translated", "incomplete", "missing", "outdated")
#: States that do not fail ``playbook check`` (a release requires none: ``status --strict``).
PENDING = ("missing", "outdated")
#: The page marker this module owns (see docs/en/contributing/conventions.md).
NAMESPACE = "i18n"

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*(?:\n|\Z)", re.S | re.M)
_OWN_KEY_LINE = re.compile(rf"^({'|'.join(OWN_KEYS)})\s*:")


class TranslationError(Exception):
    """A path or stamp request that cannot be handled; the message says what to do instead."""


@dataclass(frozen=True)
class Entry:
    """The status of one source in one language."""

    source: str  # "docs/en/index.md" or "data/ui.yml"
    lang: str
    state: str  # one of STATES
    target: str  # the file a translator edits: "docs/de/index.md" or "data/ui.yml"
    detail: str  # why it is missing or outdated ("" when translated)
    fix: str  # what to do ("" when translated)
    recorded: str | None = None  # the stamp found (page front matter or lock file), if any

    @property
    def kind(self) -> str:
        """``page`` or ``data``."""
        return "page" if self.source.startswith("docs/") else "data"


@dataclass(frozen=True)
class Report:
    """Every source × every translation language, in a stable order."""

    default: str
    languages: tuple[str, ...]  # translation languages (the default excluded), declaration order
    entries: tuple[Entry, ...]
    orphans: tuple[str, ...]  # translated pages without an English source

    def rows(self, kind: str) -> list[tuple[str, dict[str, Entry]]]:
        """``[(source, {lang: entry})]`` for ``page`` or ``data`` sources, in source order."""
        out: dict[str, dict[str, Entry]] = {}
        for entry in self.entries:
            if entry.kind == kind:
                out.setdefault(entry.source, {})[entry.lang] = entry
        return list(out.items())

    def problems(self) -> list[Entry]:
        """Entries that are incomplete, missing or outdated."""
        return [e for e in self.entries if e.state != "translated"]


# -- Front matter ----------------------------------------------------------------------------------


def split_front_matter(text: str) -> tuple[str, str]:
    """Split Markdown into (front matter without the ``---`` lines, body)."""
    text = text.replace("\r\n", "\n")
    match = _FRONT_MATTER.match(text)
    if not match:
        return "", text
    return match.group(1), text[match.end() :]


def read_meta(text: str, where: str) -> dict[str, Any]:
    """Parse a page's front matter (safe YAML); raise TranslationError naming the file."""
    front, _ = split_front_matter(text)
    try:
        meta = parse_yaml(front) if front.strip() else {}
    except yaml.YAMLError as exc:
        raise TranslationError(f"{where}: invalid front matter ({exc}); fix the YAML between the --- lines") from exc
    if not isinstance(meta, dict):
        raise TranslationError(f"{where}: front matter must be a mapping of `key: value` lines")
    return meta


def source_hash(text: str, where: str = "<page>") -> str:
    """Return the stamp of an English page: SHA-256 of front matter (minus our keys) and body, 12 hex."""
    meta = {k: v for k, v in read_meta(text, where).items() if k not in OWN_KEYS}
    _, body = split_front_matter(text)
    canonical = json.dumps(meta, sort_keys=True, ensure_ascii=False, default=str) + "\n" + body.strip() + "\n"
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def stamp_page(text: str, date: dt.date, source: str | None) -> str:
    """Return ``text`` with ``updated: date`` and, for a translation, ``translation.source_hash``.

    Only our two keys are rewritten, line by line, so the rest of the front matter keeps its
    formatting and comments.
    """
    front, body = split_front_matter(text)
    kept: list[str] = []
    skipping = False
    for line in front.splitlines():
        if _OWN_KEY_LINE.match(line):
            skipping = True
            continue
        if skipping and (line.startswith((" ", "\t")) or not line.strip()):
            continue
        skipping = False
        kept.append(line)
    kept.append(f"updated: {date.isoformat()}")
    if source is not None:
        kept += ["translation:", f"  source_hash: '{source}'"]  # quoted: 1e5… or 0… would not stay a string
    return "---\n" + "\n".join(kept) + "\n---\n" + (body if front else "\n" + body.lstrip("\n"))


def recorded_hash(meta: dict[str, Any]) -> str | None:
    """Return the ``translation.source_hash`` a page was stamped with, if any."""
    translation = meta.get("translation")
    if isinstance(translation, dict) and translation.get("source_hash"):
        return str(translation["source_hash"])
    return None


# -- Data strings ----------------------------------------------------------------------------------


def _is_text(value: Any, default: str) -> bool:
    """Whether ``value`` is a localized text: ``{en: "...", de: "..."}`` with the default language."""
    return (
        isinstance(value, dict)
        and default in value
        and all(isinstance(k, str) and re.fullmatch(r"[a-z]{2}", k) for k in value)
        and all(isinstance(v, str) for v in value.values())
    )


def iter_texts(value: Any, default: str, path: str = "") -> Iterator[tuple[str, dict[str, str]]]:
    """Yield ``(field path, text mapping)`` for every localized text, in document order."""
    if _is_text(value, default):
        yield path or "<root>", value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from iter_texts(child, default, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from iter_texts(child, default, f"{path}[{index}]")


def strings_hash(data: Any, default: str) -> str:
    """Hash a data file's English strings with their field paths (12 hex digits)."""
    pairs = [(path, text[default]) for path, text in iter_texts(data, default)]
    return hashlib.sha256(json.dumps(pairs, ensure_ascii=False).encode("utf-8")).hexdigest()[:12]


#: Key under a file in the lock that holds the English strings' field hashes at each recorded stamp.
SNAPSHOTS = "strings"


def field_hashes(data: Any, default: str) -> dict[str, str]:
    """``{field path: 8 hex digits}`` of every English string (what the lock keeps to name changes)."""
    return {
        path: hashlib.sha256(text[default].encode("utf-8")).hexdigest()[:8] for path, text in iter_texts(data, default)
    }


def changed_fields(before: dict[str, str], now: dict[str, str]) -> list[str]:
    """Field paths whose English text changed, appeared or disappeared, in document order."""
    changed = [path for path, digest in now.items() if before.get(path) != digest]
    return changed + [f"{path} (removed)" for path in before if path not in now]


def data_files(root: Path) -> list[Path]:
    """List the data files with translated strings: ``data/**/*.yml`` but the language list and lock."""
    skip = {root / "data" / "languages.yml", root / LOCK_FILE}
    return [p for p in sorted((root / "data").rglob("*.yml")) if p not in skip]


def load_lock(root: Path) -> dict[str, dict[str, str]]:
    """Read ``data/translations.lock.yml`` (``{file: {lang: hash}}``); empty when absent."""
    path = root / LOCK_FILE
    if not path.is_file():
        return {}
    try:
        doc = Document(path, LOCK_FILE)
        validate(doc, "translations-lock")
    except DataError as exc:
        raise TranslationError(f"{exc} (or restore the file from git and stamp again)") from exc
    return doc.data or {}


def dump_lock(lock: dict[str, dict[str, Any]]) -> str:
    """Render the lock file, sorted so that stamping is diff-friendly and deterministic."""
    lines = [
        "# yaml-language-server: $schema=../schemas/translations-lock.schema.json",
        "# Translation stamps of data files: for each file and language, the hash of the file's English",
        "# strings when that language was last brought up to date. Written by",
        "# `playbook translations stamp <file> --lang <code>`; do not edit by hand.",
    ]
    for name in sorted(lock):
        stamps = {lang: value for lang, value in lock[name].items() if lang != SNAPSHOTS}
        if not stamps:
            continue
        lines.append(f"{name}:")
        lines += [f"  {lang}: '{stamps[lang]}'" for lang in sorted(stamps)]
        snapshots = {h: f for h, f in (lock[name].get(SNAPSHOTS) or {}).items() if h in stamps.values()}
        if snapshots:
            lines.append(f"  {SNAPSHOTS}:")
            for digest in sorted(snapshots):
                lines.append(f"    '{digest}':")
                lines += [f"      {json.dumps(path)}: '{h}'" for path, h in snapshots[digest].items()]
    return "\n".join(lines) + "\n"


def load_yaml(path: Path, label: str) -> Any:
    """Read a data file (safe loader); raise TranslationError naming it."""
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TranslationError(f"{label}: invalid YAML ({exc})") from exc


# -- Status ----------------------------------------------------------------------------------------


def _page_entries(root: Path, default: str, languages: tuple[str, ...]) -> Iterator[Entry]:
    from playbook.translations import parity  # imports this module's split_front_matter

    docs = root / "docs"
    for src in sorted((docs / default).rglob("*.md")):
        rel = src.relative_to(docs / default).as_posix()
        source = f"docs/{default}/{rel}"
        current = source_hash(src.read_text(encoding="utf-8"), source)
        for lang in languages:
            target = f"docs/{lang}/{rel}"
            stamp_cmd = f"`playbook translations stamp {target}`"
            path = docs / lang / rel
            if not path.is_file():
                yield Entry(
                    source,
                    lang,
                    "missing",
                    target,
                    "no translation",
                    f"translate {source} into {target}, then run {stamp_cmd}",
                )
                continue
            text = path.read_text(encoding="utf-8")
            recorded = recorded_hash(read_meta(text, target))
            if recorded == current:
                gaps = parity.page_problems(src.read_text(encoding="utf-8"), text)
                if gaps:
                    yield Entry(
                        source, lang, "incomplete", target, "; ".join(gaps),
                        f"give {target} every section, table, list, tip, link and marker of {source} "
                        f"(no more), then run {stamp_cmd}",
                        recorded,
                    )  # fmt: skip
                else:
                    yield Entry(source, lang, "translated", target, "", "", recorded)
            elif recorded is None:
                yield Entry(
                    source,
                    lang,
                    "outdated",
                    target,
                    "no translation stamp in the front matter",
                    f"check {target} against {source}, then run {stamp_cmd}",
                )
            else:
                yield Entry(
                    source,
                    lang,
                    "outdated",
                    target,
                    f"{source} changed since the stamp {recorded} (now {current})",
                    f"bring {target} up to date with {source} (see its git log), then run {stamp_cmd}",
                    recorded,
                )


def _data_entries(root: Path, default: str, languages: tuple[str, ...]) -> Iterator[Entry]:
    lock = load_lock(root)
    for path in data_files(root):
        name = path.relative_to(root).as_posix()
        texts = list(iter_texts(load_yaml(path, name), default))
        if not texts:
            continue
        current = strings_hash(load_yaml(path, name), default)
        for lang in languages:
            stamp_cmd = f"`playbook translations stamp {name} --lang {lang}`"
            missing = [p for p, text in texts if not str(text.get(lang, "")).strip()]
            recorded = lock.get(name, {}).get(lang)
            before = (lock.get(name, {}).get(SNAPSHOTS) or {}).get(recorded)
            if missing:
                shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
                yield Entry(
                    name,
                    lang,
                    "missing",
                    name,
                    f"no {lang} text for {shown}",
                    f"add `{lang}:` text next to each `{default}:` text listed, then run {stamp_cmd}",
                    recorded,
                )
            elif recorded == current:
                yield Entry(name, lang, "translated", name, "", "", recorded)
            else:
                if recorded is None:
                    why = "no stamp in " + LOCK_FILE
                elif before is not None:
                    fields = changed_fields(before, field_hashes(load_yaml(path, name), default))
                    why = f"English text changed since {recorded} in: {', '.join(fields)}"
                else:
                    why = f"English strings changed since {recorded}"
                yield Entry(
                    name,
                    lang,
                    "outdated",
                    name,
                    why,
                    f"compare the `{lang}:` texts with the `{default}:` ones (see the file's git log), "
                    f"then run {stamp_cmd}",
                    recorded,
                )


def _nav_entries(root: Path, languages: tuple[str, ...]) -> Iterator[Entry]:
    """The nav section labels of mkdocs.yml per language (``nav_translations`` in data/languages.yml)."""
    name = "data/languages.yml"
    missing = untranslated_nav(root / "data", nav_sections(read_nav(root)))
    for lang in languages:
        if lang in missing:
            labels = ", ".join(map(repr, missing[lang]))
            fix = f"add {labels} under nav_translations of the {lang} entry (English label: translation)"
            yield Entry(name, lang, "missing", name, f"no nav_translations for {labels}", fix)
        else:
            yield Entry(name, lang, "translated", name, "", "")


def input_paths(root: Path) -> list[Path]:
    """Every file the status is computed from: the pages and the data files (lock file included)."""
    return [root / "mkdocs.yml", *sorted((root / "docs").rglob("*.md")), *sorted((root / "data").rglob("*.yml"))]


@memoise_on_files(input_paths, lambda root: cache_folder(root, "data"))
def status(root: Path) -> Report:
    """Compute the translation status of every page and data file under ``root``."""
    langs = load_languages(root / "data")
    others = tuple(code for code in langs.codes if code != langs.default)
    docs = root / "docs"
    english = {p.relative_to(docs / langs.default) for p in (docs / langs.default).rglob("*.md")}
    orphans = tuple(
        f"docs/{lang}/{p.relative_to(docs / lang).as_posix()}"
        for lang in others
        for p in sorted((docs / lang).rglob("*.md"))
        if p.relative_to(docs / lang) not in english
    )
    entries = (
        *_page_entries(root, langs.default, others),
        *_data_entries(root, langs.default, others),
        *_nav_entries(root, others),
    )
    return Report(langs.default, others, tuple(entries), orphans)


def format_table(report: Report) -> str:
    """Render a plain-text table: one row per source, one column per language, then the counts."""
    header = ["source", *report.languages]
    rows = [
        [source, *(by_lang[lang].state for lang in report.languages)]
        for kind in ("page", "data")
        for source, by_lang in report.rows(kind)
    ]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    counts = {lang: {s: 0 for s in STATES} for lang in report.languages}
    for entry in report.entries:
        counts[entry.lang][entry.state] += 1
    lines.append("")
    lines += [f"{lang}: " + ", ".join(f"{n} {s}" for s, n in counts[lang].items()) for lang in report.languages]
    return "\n".join(lines)


# -- Page marker -----------------------------------------------------------------------------------


def marker_check(name: str, argument: str) -> str:
    """Check an ``<!-- i18n:... -->`` marker (a KeyError says what to write)."""
    if name not in ("status", "terms") or argument:
        raise KeyError("the i18n markers are <!-- i18n:status --> and <!-- i18n:terms -->")
    return ""
