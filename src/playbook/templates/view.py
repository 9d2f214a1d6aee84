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
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import babel
from babel import Locale
from babel.core import get_global
from babel.dates import format_date
from babel.numbers import (
    format_currency,
    format_decimal,
    format_percent,
    get_currency_symbol,
    get_decimal_symbol,
)

from playbook.data.cache import MISSING, code_digest, read_pickle, write_pickle
from playbook.templates.formulas import Formula, evaluate
from playbook.templates.model import (
    PLACEHOLDER,
    TEXT_KINDS,
    Catalog,
    Example,
    Value,
    Worksheet,
    example_results,
    fill,
)

__all__ = ["Cell", "FieldView", "SectionView", "WorksheetView", "evaluate", "format_value", "localize", "views"]

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
    #: Per table column: its id and, for a calculated column, its formula (live in the XLSX).
    column_ids: tuple[str, ...] = ()
    formulas: tuple[Formula | None, ...] = ()
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
    if kind == "computed-percent":  # a calculated rate: at most one decimal (52.2 %, 9.6 %)
        return format_percent(round(float(value), 3), locale=lang, decimal_quantization=False)
    if kind == "currency":
        pattern = Locale.parse(lang).currency_formats["standard"].pattern.replace(".00", "")
        return format_currency(value, currency, format=pattern, locale=lang, currency_digits=False)
    if kind in ("number", "formula"):
        return format_decimal(value, locale=lang)
    if kind == "date":
        return format_date(dt.date.fromisoformat(str(value)), format="long", locale=lang)
    return value if isinstance(value, str) else str(value)  # a str subclass (Untranslated) keeps its mark


def affixes(lang: str, kind: str, currency: str) -> tuple[str, str]:
    """The text before and after the digits of a currency or percent figure in ``lang`` (CLDR)."""
    locale = Locale.parse(lang)
    if kind == "currency":
        pattern = locale.currency_formats["standard"].pattern.split(";")[0]
        pattern = pattern.replace("¤", get_currency_symbol(currency, locale=lang))
    elif kind == "percent":
        pattern = locale.percent_formats[None].pattern.split(";")[0]
    else:
        return "", ""
    prefix, _, rest = pattern.partition("#")
    return prefix, rest.lstrip("#,0.")


def format_result(value: float | int | str | None, formula: Formula, lang: str, currency: str) -> str:
    """Format a calculated figure as its formula's result kind."""
    kind = "computed-percent" if formula.result == "percent" else formula.display_kind
    return format_value(value, kind, lang, currency)


#: The label explaining each operation (``{a}`` and ``{b}``: the labels of what it uses).
NOTE_LABELS = {
    "divide-round-up": "calculated",
    "divide": "calc_divide",
    "multiply": "calc_multiply",
    "multiply-round-up": "calc_multiply_round_up",
    "subtract": "calc_subtract",
    "sum": "calc_sum",
}


def explain(
    formula: Formula,
    sheet: Worksheet,
    labels: Mapping[str, str],
    lang: str,
    row: Mapping[str, str] = MappingProxyType({}),
) -> str:
    """The note that says how a figure is calculated, in ``lang`` (``row``: column labels of its table)."""
    if formula.op == "sum":
        table, column = formula.column  # type: ignore[misc]
        section = next(s for s in sheet.sections if s.id == table)
        label = next(c.label[lang] for c in section.table.columns if c.id == column)  # type: ignore[union-attr]
        return fill(labels["calc_sum"], a=label, b=section.title[lang])
    names = [row[arg] if arg in row else sheet.field(arg).label[lang] for arg in formula.args]
    return fill(labels[NOTE_LABELS[formula.op]], a=" × ".join(names[:-1]), b=names[-1])


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
    results = example_results(sheet, example)
    numbers = results.fields
    kinds = {f.id: f for s in sheet.sections for f in s.fields}
    shown = {
        key: format_result(value, kinds[key].formula, lang, currency)  # type: ignore[arg-type]
        if kinds[key].formula
        else format_value(value, kinds[key].kind, lang, currency)
        for key, value in numbers.items()
    }
    sources = example.sources if example else {}

    def text_cell(raw: float | int | str | None, kind: str) -> Cell:
        if isinstance(raw, str) and kind in TEXT_KINDS and PLACEHOLDER.search(raw):
            text = PLACEHOLDER.sub(lambda m: shown.get(m.group(1), ""), raw)
            return Cell(text, text, kind, raw)
        return Cell(format_value(raw, kind, lang, currency), raw, kind)

    sections = []
    for section in sheet.sections:
        fields = []
        for field in section.fields:
            notes = field.hint[lang] if field.hint and example is None else ""
            if field.formula is not None:
                raw: float | int | str | None = numbers.get(field.id)
                notes = explain(field.formula, sheet, labels, lang)
                cell = Cell(format_result(raw, field.formula, lang, currency), raw, field.formula.display_kind)
            else:
                raw = (
                    numbers[field.id]
                    if field.id in numbers
                    else _raw(example.values.get(field.id) if example else None, field.kind, lang)
                )
                if field.id in sources:
                    other, source = sources[field.id]
                    other_sheet = catalog.worksheets[other]
                    notes = fill(
                        labels["from_template"], a=other_sheet.title[lang], b=other_sheet.field(source).label[lang]
                    )
                cell = text_cell(raw, field.kind)
            fields.append(FieldView(field.id, field.label[lang], field.kind, cell, notes, field.formula))
        headers: tuple[str, ...] = ()
        kinds_: tuple[str, ...] = ()
        rows: tuple[tuple[Cell, ...], ...] = ()
        column_ids: tuple[str, ...] = ()
        column_formulas: tuple[Formula | None, ...] = ()
        if section.table is not None:
            columns = section.table.columns
            headers = tuple(c.label[lang] for c in columns)
            kinds_ = tuple(c.formula.display_kind if c.formula else c.kind for c in columns)
            column_ids = tuple(c.id for c in columns)
            column_formulas = tuple(c.formula for c in columns)
            if example is None:
                rows = tuple(tuple(Cell("", None, k) for k in kinds_) for _ in range(section.table.blank_rows))
            else:
                rows = tuple(
                    tuple(
                        Cell(
                            format_result(row.get(c.id), c.formula, lang, currency),
                            row.get(c.id),
                            c.formula.display_kind,
                        )
                        if c.formula
                        else text_cell(_raw(row[c.id], c.kind, lang), c.kind)
                        for c in columns
                    )
                    for row in results.rows[section.id]
                )
        sections.append(
            SectionView(
                section.id,
                section.title[lang],
                section.intro[lang] if section.intro else "",
                tuple(fields),
                headers,
                kinds_,
                rows,
                column_ids,
                column_formulas,
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
