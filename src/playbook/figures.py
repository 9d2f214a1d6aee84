"""No number typed twice: figures computed from the templates, and a check for typed copies (pure).

The worked example's targets (deals, leads, the monthly lead target, the campaign's cost per
lead ...) are formula fields of the templates in ``data/worksheets/``, computed from the example's
inputs. A sentence that states one takes it from the data instead of repeating it:

* on a page, ``<!-- fig:<template id> <field id> -->`` inside the sentence, replaced at build time
  by the figure formatted for the page's language (hooks/markers.py);
* in a data text, ``{field-id}`` (:data:`playbook.templates.model.PLACEHOLDER`), filled in every
  format and a live formula in the XLSX.

:func:`check` finds the copies that slipped through: a number written in a page or a data text
that equals a computed figure, and a table caption that counts its own rows ("Six ways ...").
Figures below :data:`MIN_FIGURE` and figures that also occur as an
input (12 months, 50 %) are not checked, because ordinary numbers ("30 days", "two quarters") share
them; every other computed figure is distinctive enough that a typed copy is a stale copy waiting
to happen.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playbook import markers
from playbook.data.documents import DataError, Document
from playbook.data.languages import load_languages
from playbook.templates import model, view

NAMESPACE = "fig"
#: Computed figures smaller than this are not looked for in typed text (see the module docstring).
MIN_FIGURE = 100
#: A whole number, with the thousands separators of our languages (1,250 / 1.250 / 1 250 with a
#: no-break space); a Japanese counter may follow it (1,250件), a letter may not (A4, 2x).
_NUMBER = re.compile(r"(?<![\d.,A-Za-z])(?:\d{1,3}(?:([,.\u00a0\u202f])\d{3})(?:\1\d{3})*|\d+)(?![\d]|[.,]\d|[A-Za-z])")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?^---[ \t]*\n", re.S | re.M)


@dataclass(frozen=True)
class Finding:
    """A typed number that equals a computed figure."""

    where: str  # "docs/en/worked-example.md, line 12" or "data/...yml, line 9, field values.x.en"
    typed: str
    figures: tuple[str, ...]  # "the computed figure sales-marketing-sla lead-target"
    fix: str

    def __str__(self) -> str:
        """One line: where, what, which figure."""
        names = " or ".join(self.figures)
        return f"{self.where}: {self.typed!r} is {names}; {self.fix}"


def example_fields(catalog: model.Catalog, sheet_id: str, lang: str) -> dict[str, view.Cell]:
    """Every field of a template's filled example in ``lang``: its cell (formatted text and raw value)."""
    sheet = catalog.worksheets[sheet_id]
    shown = view.localize(sheet, catalog.examples[sheet_id], catalog, lang, dt.datetime(2026, 1, 1))
    return {field.id: field.cell for section in shown.sections for field in section.fields}


class Figures:
    """The worked example's figures of every template in one language, formatted for it."""

    def __init__(self, catalog: model.Catalog, lang: str) -> None:
        """Figures of ``catalog`` in ``lang`` (each template is localized once, on first use)."""
        self.catalog, self.lang = catalog, lang
        self._cells: dict[str, dict[str, view.Cell]] = {}

    def __call__(self, sheet_id: str, field_id: str) -> str:
        """A field's value, formatted; a KeyError says which templates and fields exist."""
        sheets = self.catalog.worksheets
        if sheet_id not in sheets:
            known = ", ".join(sorted(sheets))
            raise KeyError(f"no template {sheet_id!r}{markers.suggest(sheet_id, sheets)}; templates: {known}")
        numeric = sorted(f.id for s in sheets[sheet_id].sections for f in s.fields if f.kind in model.NUMERIC_KINDS)
        if field_id not in numeric:
            choices = f"with one of: {', '.join(numeric)}" if numeric else "only for a template with number fields"
            raise KeyError(
                f"{sheet_id} has no number field {field_id!r}{markers.suggest(field_id, numeric)}; "
                f"write <!-- fig:{sheet_id} <field id> --> {choices}"
            )
        if sheet_id not in self._cells:
            self._cells[sheet_id] = example_fields(self.catalog, sheet_id, self.lang)
        return self._cells[sheet_id][field_id].text

    def handler(self) -> markers.Handler:
        """The ``fig`` marker handler: ``<!-- fig:<template> <field> -->`` becomes the figure."""

        def fig(name: str, argument: str) -> str:
            if not argument or " " in argument:
                raise KeyError(f"write <!-- fig:{name} <field id> --> (the template id, a space, one field id)")
            return self(name, argument)

        return fig


def computed(catalog: model.Catalog) -> dict[int, tuple[str, ...]]:
    """Each checked figure (integer value) with the fields that compute it, across all templates."""
    found: dict[int, list[str]] = {}
    inputs: set[float] = set()
    for sheet_id, sheet in sorted(catalog.worksheets.items()):
        cells = example_fields(catalog, sheet_id, catalog.languages.default)
        for field in (f for s in sheet.sections for f in s.fields if f.kind in model.NUMERIC_KINDS):
            value = cells[field.id].raw
            if not isinstance(value, int | float) or isinstance(value, bool):
                continue
            if field.formula is None:
                if field.id not in catalog.examples[sheet_id].sources:  # typed, not taken from another template
                    inputs.add(round(float(value) * 100, 6) if field.kind == "percent" else float(value))
            elif float(value).is_integer() and value >= MIN_FIGURE:
                found.setdefault(int(value), []).append(f"{sheet_id} {field.id}")
    return {value: tuple(names) for value, names in found.items() if float(value) not in inputs}


def numbers(text: str) -> Iterator[tuple[int, str, int]]:
    """``(offset, as typed, value)`` of every whole number in ``text`` (full-width digits too)."""
    normal = unicodedata.normalize("NFKC", text)
    if len(normal) != len(text):  # NFKC changed the length (rare ligatures): scan it as it is
        normal = text
    for match in _NUMBER.finditer(normal):
        typed = match.group(0)
        yield match.start(), text[match.start() : match.end()], int(re.sub(r"\D", "", typed))


def _names(fields: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"the computed figure {name}" for name in fields)


def _page_findings(root: Path, figures: dict[int, tuple[str, ...]]) -> Iterator[Finding]:
    for path in sorted((root / "docs").rglob("*.md")):
        label = path.relative_to(root).as_posix()
        source = path.read_text(encoding="utf-8")
        front = _FRONT_MATTER.match(source)
        body = source[front.end() :] if front else ""
        offset = source[: len(source) - len(body)].count("\n") if front else 0
        masked = markers.mask_code(body if front else source)
        masked = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), masked)
        for start, typed, value in numbers(masked):
            if value in figures:
                line = masked.count("\n", 0, start) + 1 + offset
                sheet, field = figures[value][0].split()
                fix = f"write <!-- fig:{sheet} {field} --> instead, so the page follows the data"
                yield Finding(f"{label}, line {line}", typed, _names(figures[value]), fix)


def _texts(value: Any, parts: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, dict):
        for key, child in value.items():
            if isinstance(child, str):
                yield (*parts, key), child
            else:
                yield from _texts(child, (*parts, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            if isinstance(child, str):
                yield (*parts, index), child
            else:
                yield from _texts(child, (*parts, index))


def _data_findings(root: Path, figures: dict[int, tuple[str, ...]]) -> Iterator[Finding]:
    for path in sorted((root / "data").rglob("*.yml")):
        label = path.relative_to(root).as_posix()
        if label in ("data/languages.yml", "data/translations.lock.yml"):
            continue
        try:
            doc = Document(path, label)
        except DataError:
            continue  # reported by the data check
        for parts, text in _texts(doc.data, ()):
            for _, typed, value in numbers(model.PLACEHOLDER.sub(" ", text)):
                if value in figures:
                    field = figures[value][0].split()[1]
                    fix = f"write {{{field}}} in a text of that template (or rephrase without the figure)"
                    yield Finding(doc.error(parts, "").rsplit(": ", 1)[0], typed, _names(figures[value]), fix)


#: Counts written as words (2 to 12), per language: a caption that counts its own rows.
COUNT_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"),
    "de": ("zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf"),
    "id": ("dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sebelas", "dua belas"),
    "ja": ("二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"),
}


def counts(text: str, lang: str) -> Iterator[tuple[str, int]]:
    """``(as typed, value)`` of every count in ``text``: whole numbers and the words of :data:`COUNT_WORDS`."""
    for _, typed, value in numbers(text):
        yield typed, value
    words = COUNT_WORDS.get(lang, ())
    for value, word in sorted(enumerate(words, start=2), key=lambda item: -len(item[1])):
        edge = "" if lang == "ja" else r"\b"
        for match in re.finditer(rf"{edge}{re.escape(word)}{edge}", text, re.I):
            yield match.group(0), value


def _caption_findings(root: Path) -> Iterator[Finding]:
    """A table caption that states its own number of rows goes stale with the next row."""
    for path in sorted((root / "data" / "tables").glob("*.yml")):
        label = path.relative_to(root).as_posix()
        try:
            doc = Document(path, label)
        except DataError:
            continue
        rows = len(doc.data.get("rows") or []) if isinstance(doc.data, dict) else 0
        caption = doc.data.get("caption") if isinstance(doc.data, dict) else None
        for lang, text in (caption or {}).items() if isinstance(caption, dict) else ():
            for typed, value in counts(str(text), lang):
                if value == rows:
                    where = doc.error(("caption", lang), "").rsplit(": ", 1)[0]
                    fix = "say what the table shows without counting its rows (the count changes with the data)"
                    yield Finding(where, typed, (f"the number of rows of {path.stem}",), fix)


def check(root: Path) -> list[Finding]:
    """Every typed copy of a computed figure in the pages and data texts of the project at ``root``."""
    data = root / "data"
    catalog = model.load_catalog(data, load_languages(data))
    figures = computed(catalog)
    return [*_page_findings(root, figures), *_data_findings(root, figures), *_caption_findings(root)]
