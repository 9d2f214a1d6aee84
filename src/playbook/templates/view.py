"""Turn a template (and optionally its filled example) into one language's view (pure).

:func:`localize` produces a :class:`WorksheetView`: every label, hint and value already in the
requested language and formatted for it (numbers, rates, money and dates via Babel), with the
SLA's funnel math computed. The page previews (Jinja partials) and every download format read
this one view, so a page and a file never disagree. This module also holds what the
writers in :mod:`playbook.templates.writers` share: formula-injection neutralising and the build date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import babel
from babel import Locale
from babel.core import get_global
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent, get_decimal_symbol

from playbook.data.cache import MISSING, code_digest, read_pickle, write_pickle
from playbook.templates.model import (
    NUMERIC_KINDS,
    PLACEHOLDER,
    TEXT_KINDS,
    Catalog,
    Example,
    Formula,
    Value,
    Worksheet,
    fill,
)

#: Used when SOURCE_DATE_EPOCH is not set, so two builds on different days give the same bytes.
DEFAULT_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
#: First characters a spreadsheet may read as a formula or control sequence (OWASP CSV injection),
#: with their full-width forms: Japanese input methods type ＝ and Excel reads it as =.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
VARIANTS = ("blank", "example")
FORMATS = ("docx", "xlsx", "pdf", "md", "csv")


@dataclass(frozen=True)
class Cell:
    """One value: display text ('' when blank) and the raw value (number, ISO date or text)."""

    text: str
    raw: float | int | str | None
    kind: str
    #: For text naming computed fields (``{lead-target}``): the text before substitution, so the
    #: XLSX can print it as a live formula.
    source: str = ""


@dataclass(frozen=True)
class FieldView:
    """A labelled field in one language."""

    id: str
    label: str
    kind: str
    cell: Cell
    notes: str
    formula: Formula | None


@dataclass(frozen=True)
class TaskView:
    """One checklist item in one language."""

    id: str
    text: str


@dataclass(frozen=True)
class SectionView:
    """A section in one language: fields, a table with headers and rows, or a checklist."""

    id: str
    title: str
    intro: str
    fields: tuple[FieldView, ...]
    headers: tuple[str, ...]
    kinds: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    #: The items to tick off (a checklist section: no fields, headers or rows).
    tasks: tuple[TaskView, ...] = ()

    @property
    def is_table(self) -> bool:
        """True for a repeated-rows section."""
        return bool(self.headers)

    @property
    def is_checklist(self) -> bool:
        """True for a checklist section."""
        return bool(self.tasks)


@dataclass(frozen=True)
class WorksheetView:
    """Everything a renderer needs, in one language."""

    id: str
    lang: str
    title: str
    summary: str
    subtitle: str
    note: str
    example: bool
    currency: str
    date: dt.datetime
    sections: tuple[SectionView, ...]
    labels: Mapping[str, str]
    #: The template's edition (ISO date) and how the title block prints it in this language.
    edition: str = "2026-01-01"
    edition_text: str = ""
    sheet_name: str = ""
    #: Paper size of this language's downloads (data/languages.yml), "A4" or "Letter".
    paper: str = "A4"

    @property
    def decimal_comma(self) -> bool:
        """Whether this language's spreadsheets write 2,5 (and so separate CSV fields with ``;``)."""
        return get_decimal_symbol(self.lang) == ","

    @property
    def stem(self) -> str:
        """The download's file name without extension."""
        return f"{self.id}-example" if self.example else self.id


def build_date(environ: Mapping[str, str]) -> dt.datetime:
    """Return the documents' date: SOURCE_DATE_EPOCH when set (reproducible builds), else a fixed date."""
    value = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return DEFAULT_DATE
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except ValueError as exc:
        raise ValueError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, found {value!r}") from exc


def language_tag(lang: str) -> str:
    """Return a BCP 47 tag with region for file metadata (``de`` -> ``de-DE``), via CLDR likely subtags."""
    likely = Locale.parse(lang)
    full = Locale.parse(get_global("likely_subtags").get(lang, lang))
    return f"{likely.language}-{full.territory}" if full.territory else likely.language


def formula_like(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula: its first non-space character is a trigger."""
    return text.startswith(FORMULA_TRIGGERS) or text.lstrip(" \u3000\u00a0").startswith(FORMULA_TRIGGERS)


def neutralise(text: str) -> str:
    """Keep a CSV reader from running text as a formula: prefix ``'`` (the text stays readable)."""
    return "'" + text if formula_like(text) else text


def format_value(value: float | int | str | None, kind: str, lang: str, currency: str) -> str:
    """Format a raw value for display in ``lang``."""
    if value is None or value == "":
        return ""
    if kind == "percent":
        return format_percent(float(value), locale=lang, decimal_quantization=False)
    if kind == "currency":
        pattern = Locale.parse(lang).currency_formats["standard"].pattern.replace(".00", "")
        return format_currency(value, currency, format=pattern, locale=lang, currency_digits=False)
    if kind in ("number", "formula"):
        return format_decimal(value, locale=lang)
    if kind == "date":
        return format_date(dt.date.fromisoformat(str(value)), format="long", locale=lang)
    return str(value)


def evaluate(formula: Formula, values: Mapping[str, float | int | None]) -> int | None:
    """Compute a formula field; None while an input is blank or zero."""
    numerator, denominator = (values.get(arg) for arg in formula.args)
    if numerator is None or not denominator:
        return None
    return math.ceil(round(float(numerator) / float(denominator), 6))


def _raw(value: Value | None, kind: str, lang: str) -> float | int | str | None:
    """Pick the language of a text value; numbers and dates pass through."""
    if value is None:
        return None
    if isinstance(value, dict):
        return value[lang]
    return value


def localize(
    sheet: Worksheet, example: Example | None, catalog: Catalog, lang: str, date: dt.datetime
) -> WorksheetView:
    """Build one language's view of the blank template (``example=None``) or the filled one."""
    labels = {key: text[lang] for key, text in catalog.labels.items()}
    currency = (example or catalog.examples[sheet.id]).currency
    numbers: dict[str, float | int | None] = {}
    for field in (f for s in sheet.sections for f in s.fields if f.kind in NUMERIC_KINDS):
        if field.formula is not None:
            numbers[field.id] = evaluate(field.formula, numbers)
        elif example is not None:
            numbers[field.id] = example.values.get(field.id)  # type: ignore[assignment]
    shown = {key: format_value(value, sheet.field(key).kind, lang, currency) for key, value in numbers.items()}
    numbers = {}
    sections = []
    for section in sheet.sections:
        fields = []
        for field in section.fields:
            notes = field.hint[lang] if field.hint and example is None else ""
            if field.formula is not None:
                raw: float | int | str | None = evaluate(field.formula, numbers)
                a, b = (sheet.field(arg).label[lang] for arg in field.formula.args)
                notes = fill(labels["calculated"], a=a, b=b)
            else:
                raw = _raw(example.values.get(field.id) if example else None, field.kind, lang)
            if field.kind in ("number", "percent", "currency", "formula"):
                numbers[field.id] = raw  # type: ignore[assignment]
            if isinstance(raw, str) and field.kind in TEXT_KINDS and PLACEHOLDER.search(raw):
                text = PLACEHOLDER.sub(lambda m: shown.get(m.group(1), ""), raw)
                cell = Cell(text, text, field.kind, raw)
            else:
                cell = Cell(format_value(raw, field.kind, lang, currency), raw, field.kind)
            fields.append(FieldView(field.id, field.label[lang], field.kind, cell, notes, field.formula))
        headers: tuple[str, ...] = ()
        kinds: tuple[str, ...] = ()
        rows: tuple[tuple[Cell, ...], ...] = ()
        if section.table is not None:
            headers = tuple(c.label[lang] for c in section.table.columns)
            kinds = tuple(c.kind for c in section.table.columns)
            if example is None:
                rows = tuple(tuple(Cell("", None, k) for k in kinds) for _ in range(section.table.blank_rows))
            else:
                rows = tuple(
                    tuple(
                        Cell(
                            format_value(_raw(row[c.id], c.kind, lang), c.kind, lang, currency),
                            _raw(row[c.id], c.kind, lang),
                            c.kind,
                        )
                        for c in section.table.columns
                    )
                    for row in example.rows[section.id]
                )
        sections.append(
            SectionView(
                section.id,
                section.title[lang],
                section.intro[lang] if section.intro else "",
                tuple(fields),
                headers,
                kinds,
                rows,
                tuple(TaskView(item.id, item.text[lang]) for item in section.checklist),
            )
        )
    subtitle = example.title[lang] if example else ""
    note = labels["example_note"] if example else labels["blank_note"]
    return WorksheetView(
        sheet.id,
        lang,
        sheet.title[lang],
        sheet.summary[lang],
        subtitle,
        note,
        example is not None,
        currency,
        date,
        tuple(sections),
        labels,
        sheet.edition,
        format_date(dt.date.fromisoformat(sheet.edition), format="long", locale=lang),
        sheet.sheet_name.get(lang, sheet.title[lang][:31]),
        catalog.papers.get(lang, "A4"),
    )


#: Views of one catalog version (its digest), per language and date: every page with a ``ws:``
#: marker and every language build asks for the same ones.
_views: dict[tuple[str, str, dt.datetime], Mapping[str, WorksheetView]] = {}


def views(catalog: Catalog, lang: str, date: dt.datetime, store: Path | None = None) -> Mapping[str, WorksheetView]:
    """Every template in ``lang``, blank and filled, keyed by download stem (read-only).

    With ``store`` (a cache folder) the views are also pickled there, keyed on the catalog's
    digest, the date, the hooks' code and the Babel version, so the next build neither formats
    the values again nor loads Babel's locale data.
    """
    key = (catalog.digest, lang, date)
    if key not in _views:
        if any(k[0] != catalog.digest for k in _views):
            _views.clear()  # another data version: never keep more than one
        _views[key] = MappingProxyType(_stored_views(catalog, lang, date, store))
    return _views[key]


def _stored_views(catalog: Catalog, lang: str, date: dt.datetime, store: Path | None) -> dict[str, WorksheetView]:
    path = None
    if store is not None:
        stamp = f"{catalog.digest}\n{date.isoformat()}\n{code_digest()}\nbabel=={babel.__version__}"
        path = store / f"views-{lang}-{hashlib.sha256(stamp.encode()).hexdigest()[:24]}.pickle"
        stored = read_pickle(path)
        if stored is not MISSING:
            return stored
    out: dict[str, WorksheetView] = {}
    for sheet_id, sheet in sorted(catalog.worksheets.items()):
        for example in (None, catalog.examples[sheet_id]):
            view = localize(sheet, example, catalog, lang, date)
            out[view.stem] = view
    if path is not None:
        write_pickle(path, out, f"views-{lang}-*.pickle")
    return out


def texts(view: WorksheetView) -> list[str]:
    """Every string a download of ``view`` prints (used to check the PDF font covers them)."""
    out = [view.title, view.summary, view.subtitle, view.note, view.edition_text, view.sheet_name, " · "]
    out += view.labels.values()
    for section in view.sections:
        out += [section.title, section.intro, *section.headers]
        out += [text for f in section.fields for text in (f.label, f.cell.text, f.notes)]
        out += [cell.text for row in section.rows for cell in row]
        out += [task.text for task in section.tasks]
    return out


def checklist(view: WorksheetView) -> SectionView:
    """The view's checklist section; KeyError naming the template when it has none."""
    for section in view.sections:
        if section.is_checklist:
            return section
    raise KeyError(f"the template {view.id!r} has no checklist section (a section with 'checklist:' items)")
