"""Load and validate the downloadable templates' data (pure: never imports mkdocs).

Three kinds of file live under ``data/worksheets/``:

* ``<id>.yml``: one template (worksheet or SLA): title, summary and sections; a section holds
  labelled fields, a table with columns, or a checklist (items to tick off, the same in the
  blank and the filled template; at most one per template, shown on a page by
  ``<!-- ws:checklist <id> -->``). Checked against ``schemas/worksheet.schema.json``.
* ``examples/<id>.yml``: the same template filled in with the playbook's worked example
  (``schemas/worksheet-example.schema.json``).
* ``common/labels.yml``: the words the downloads and previews need around the data
  ("Field", "Value", "Download" ...) (``schemas/worksheet-labels.schema.json``).

Every text is keyed by language code. Problems are collected into one
:class:`~playbook.data.documents.DataError` naming the file, the field path, the line and the fix.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playbook.data.cache import files_digest, memoise_on_files, project_cache
from playbook.data.documents import DataError, Document
from playbook.data.languages import Languages
from playbook.data.schemas import check_texts, duplicate_ids, load_each, load_entity, validate
from playbook.templates import formulas
from playbook.templates.formulas import Formula

Text = dict[str, str]
#: Kinds whose values are numbers (the rest are text).
NUMERIC_KINDS = frozenset({"number", "percent", "currency", "formula"})
TEXT_KINDS = frozenset({"text", "long-text"})
#: ``{field-id}`` inside an example's text: the formatted value of that (computed) field, a live
#: formula in the XLSX, so a sentence never states a figure the sheet no longer computes.
PLACEHOLDER = re.compile(r"\{([a-z0-9]+(?:-[a-z0-9]+)*)\}")
#: Paper sizes a language may print on (``paper`` in data/languages.yml).
PAPERS = ("A4", "Letter")
#: Operations a formula field or column may use (:mod:`playbook.templates.formulas`).
FORMULA_OPS = formulas.OPS
#: An example value taken from another template's filled example: ``{from: <template>.<field>}``.
SOURCE = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)\.([a-z0-9]+(?:-[a-z0-9]+)*)$")


@dataclass(frozen=True)
class Field:
    """One labelled entry of a template section."""

    id: str
    label: Text
    kind: str
    hint: Text | None = None
    formula: Formula | None = None


@dataclass(frozen=True)
class Column:
    """One column of a table section."""

    id: str
    label: Text
    kind: str
    formula: Formula | None = None


@dataclass(frozen=True)
class Table:
    """A repeated-rows section (e.g. channels with purpose and budget)."""

    columns: tuple[Column, ...]
    blank_rows: int


@dataclass(frozen=True)
class ChecklistItem:
    """One thing to tick off: a statement that is true once it is done."""

    id: str
    text: Text


@dataclass(frozen=True)
class Section:
    """A titled part of a template: fields, a table or a checklist."""

    id: str
    title: Text
    intro: Text | None
    fields: tuple[Field, ...]
    table: Table | None
    checklist: tuple[ChecklistItem, ...] = ()


@dataclass(frozen=True)
class Worksheet:
    """A validated template in every language."""

    id: str
    title: Text
    summary: Text
    sections: tuple[Section, ...]
    #: The XLSX sheet tab per language (at most 31 characters, chosen in the data).
    sheet_name: Text = dataclasses.field(default_factory=dict)
    #: The template's edition date (ISO), printed in every download's title block.
    edition: str = "2026-01-01"

    def field(self, field_id: str) -> Field:
        """Return the field with this id (KeyError if none)."""
        for section in self.sections:
            for field in section.fields:
                if field.id == field_id:
                    return field
        raise KeyError(field_id)

    @property
    def checklist_section(self) -> Section | None:
        """The template's checklist section (at most one), or None."""
        return next((s for s in self.sections if s.checklist), None)


#: A value in an example: localized text, a number, or an ISO date string.
Value = Text | float | int | str


@dataclass(frozen=True)
class Example:
    """A template filled in with the worked example."""

    worksheet: str
    title: Text
    currency: str
    values: dict[str, Value]
    rows: dict[str, tuple[dict[str, Value], ...]]
    #: Inputs taken from another template's example (field id -> (template id, field id)); their
    #: numbers are already in ``values``.
    sources: dict[str, tuple[str, str]] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Catalog:
    """Everything the downloads and previews are made from, plus a digest of the inputs."""

    languages: Languages
    worksheets: dict[str, Worksheet]
    examples: dict[str, Example]
    labels: dict[str, Text]
    digest: str
    #: Paper size per language code (``paper`` in data/languages.yml).
    papers: dict[str, str] = dataclasses.field(default_factory=dict)


def _check_sections(doc: Document) -> list[str]:
    """Cross-field rules the JSON Schema cannot express."""
    problems: list[str] = []
    sections = doc.data["sections"]
    problems += duplicate_ids(doc, sections, ("sections",), set())
    field_ids: set[str] = set()
    checklists = 0
    for s_index, section in enumerate(sections):
        where = ("sections", s_index)
        if sum(key in section for key in ("fields", "table", "checklist")) != 1:
            problems.append(doc.error(where, "a section needs exactly one of 'fields', 'table' or 'checklist'"))
            continue
        if "checklist" in section:
            checklists += 1
            problems += duplicate_ids(doc, section["checklist"], where + ("checklist",), set())
            if checklists > 1:
                problems.append(
                    doc.error(
                        where + ("checklist",),
                        "a template has at most one checklist section (<!-- ws:checklist <id> --> shows it); "
                        "merge the items into the first one",
                    )
                )
            continue
        if "table" in section:
            problems += duplicate_ids(doc, section["table"]["columns"], where + ("table", "columns"), set())
            continue
        problems += duplicate_ids(doc, section["fields"], where + ("fields",), field_ids)
    if not problems:
        problems += formulas.check(sections, doc.error)
    return problems


def _text(value: Any) -> Text | None:
    return dict(value) if value is not None else None


def load_worksheet(path: Path, languages: Languages, label: str | None = None) -> Worksheet:
    """Load one template file; raise DataError naming the file, field and fix."""
    doc, problems = load_entity(path, "worksheet", label)
    data = doc.data
    problems += _check_sections(doc)
    problems += check_texts(doc, data, (), languages)
    try:
        dt.date.fromisoformat(data["edition"])
    except ValueError:
        problems.append(
            doc.error(("edition",), f"expected a real date written as YYYY-MM-DD, found {data['edition']!r}")
        )
    if problems:
        raise DataError("\n".join(problems))
    sections = []
    for s in data["sections"]:
        table = None
        if "table" in s:
            columns = tuple(
                Column(c["id"], c["label"], c["kind"], formulas.parse(c["formula"]) if "formula" in c else None)
                for c in s["table"]["columns"]
            )
            table = Table(columns, s["table"]["blank_rows"])
        fields = tuple(
            Field(
                f["id"],
                f["label"],
                f["kind"],
                _text(f.get("hint")),
                formulas.parse(f["formula"]) if "formula" in f else None,
            )
            for f in s.get("fields", [])
        )
        checklist = tuple(ChecklistItem(item["id"], item["text"]) for item in s.get("checklist", []))
        sections.append(Section(s["id"], s["title"], _text(s.get("intro")), fields, table, checklist))
    return Worksheet(
        data["id"], data["title"], data["summary"], tuple(sections), dict(data["sheet_name"]), data["edition"]
    )


def _check_value(doc: Document, where: tuple[str | int, ...], kind: str, value: Any) -> list[str]:
    """Check one example value against the kind its field or column declares."""
    if kind in NUMERIC_KINDS - {"formula"}:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return [doc.error(where, f"expected a number for a {kind} field (e.g. 0.25 for 25 %), found {value!r}")]
        if kind == "percent" and not 0 <= value <= 1:
            return [doc.error(where, f"expected a rate between 0 and 1 (0.25 means 25 %), found {value!r}")]
    elif kind == "date":
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            return [doc.error(where, f"expected a date written as YYYY-MM-DD, found {value!r}")]
    elif not isinstance(value, dict):
        return [doc.error(where, f"expected text per language (en: ..., de: ...), found {value!r}")]
    return []


def _dates_as_text(value: Any) -> Any:
    """YAML reads an unquoted 2026-02-27 as a date; treat it like the quoted text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _dates_as_text(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(child) for child in value]
    return value


def load_example(
    path: Path, worksheets: dict[str, Worksheet], languages: Languages, label: str | None = None
) -> Example:
    """Load one filled example and check it against its template."""
    doc = Document(path, label)
    doc.data = _dates_as_text(doc.data)
    validate(doc, "worksheet-example")
    data = doc.data
    if data["worksheet"] != path.stem:
        raise DataError(doc.error(("worksheet",), f"{data['worksheet']!r} must equal the file name {path.stem!r}"))
    sheet = worksheets.get(data["worksheet"])
    if sheet is None:
        raise DataError(
            doc.error(
                ("worksheet",),
                f"no template data/worksheets/{data['worksheet']}.yml; "
                f"known templates: {', '.join(sorted(worksheets))}",
            )
        )
    problems: list[str] = []
    values, rows = data.get("values", {}), data.get("rows", {})
    fields = {f.id: f for s in sheet.sections for f in s.fields}
    tables = {s.id: s.table for s in sheet.sections if s.table is not None}
    inputs = ", ".join(k for k, f in fields.items() if f.kind != "formula")
    sources: dict[str, tuple[str, str]] = {}
    for key in values:
        if key not in fields or fields[key].kind == "formula":
            problems.append(
                doc.error(("values", key), f"{key!r} is not an input field of {sheet.id}; expected one of {inputs}")
            )
    for key, field in fields.items():
        if field.kind == "formula":
            continue
        if key not in values:
            problems.append(doc.error(("values",), f"missing value for field {key!r}"))
        elif isinstance(values[key], dict) and "from" in values[key]:
            source = _source(doc, ("values", key, "from"), field.kind, values[key], worksheets)
            if isinstance(source, str):
                problems.append(source)
            else:
                sources[key] = source
        else:
            problems += _check_value(doc, ("values", key), field.kind, values[key])
    numeric = [k for k, f in fields.items() if f.kind in NUMERIC_KINDS]
    for key, value in values.items():
        problems += _check_placeholders(doc, ("values", key), value, numeric, sheet.id)
    for key, table_rows in rows.items():
        table = tables.get(key)
        if table is None:
            problems.append(
                doc.error(
                    ("rows", key), f"{key!r} is not a table section of {sheet.id}; expected one of {', '.join(tables)}"
                )
            )
            continue
        typed = [c for c in table.columns if c.formula is None]
        for index, row in enumerate(table_rows):
            for column in typed:
                if column.id not in row:
                    problems.append(doc.error(("rows", key, index), f"missing cell for column {column.id!r}"))
                else:
                    problems += _check_value(doc, ("rows", key, index, column.id), column.kind, row[column.id])
                    problems += _check_placeholders(
                        doc, ("rows", key, index, column.id), row[column.id], numeric, sheet.id
                    )
            for extra in sorted(set(row) - {c.id for c in typed}):
                computed = extra in {c.id for c in table.columns}
                problems.append(
                    doc.error(
                        ("rows", key, index, extra),
                        f"column {extra!r} is calculated; leave it out of the example"
                        if computed
                        else f"unknown column {extra!r}; columns are {', '.join(c.id for c in typed)}",
                    )
                )
    for key in tables:
        if key not in rows:
            problems.append(doc.error(("rows",), f"missing rows for table section {key!r}"))
    problems += check_texts(doc, data, (), languages)
    if problems:
        raise DataError("\n".join(problems))
    return Example(
        data["worksheet"],
        data["title"],
        data["currency"],
        dict(values),
        {key: tuple(dict(r) for r in table_rows) for key, table_rows in rows.items()},
        sources,
    )


def _check_placeholders(
    doc: Document, where: tuple[str | int, ...], value: Any, numeric: list[str], sheet_id: str
) -> list[str]:
    """``{field-id}`` in a text value must name a number, percent, currency or formula field."""
    problems = []
    for lang, text in value.items() if isinstance(value, dict) and "from" not in value else ():
        for ref in PLACEHOLDER.findall(str(text)):
            if ref not in numeric:
                problems.append(
                    doc.error(
                        (*where, lang),
                        f"{{{ref}}} names no number or formula field of {sheet_id}; "
                        f"write one of {', '.join('{' + n + '}' for n in numeric)}",
                    )
                )
    return problems


def _source(
    doc: Document, where: tuple[str | int, ...], kind: str, value: dict[str, Any], worksheets: dict[str, Worksheet]
) -> tuple[str, str] | str:
    """Check ``{from: <template>.<field>}``: (template, field), or the problem."""
    text = value["from"]
    match = SOURCE.match(text) if isinstance(text, str) and len(value) == 1 else None
    if match is None:
        return doc.error(
            where,
            f"expected {{from: <template>.<field>}}, e.g. {{from: sales-marketing-sla.lead-target}}, found {value!r}",
        )
    sheet_id, field_id = match.groups()
    if kind not in NUMERIC_KINDS:
        return doc.error(
            where,
            f"only number, percent and currency fields can take a figure from another template; this one is {kind}",
        )
    other = worksheets.get(sheet_id)
    if other is None:
        return doc.error(where, f"no template {sheet_id!r}; known templates: {', '.join(sorted(worksheets))}")
    numeric = [f.id for s in other.sections for f in s.fields if f.kind in NUMERIC_KINDS]
    if field_id not in numeric:
        return doc.error(
            where, f"{field_id!r} is no number or formula field of {sheet_id}; write one of {', '.join(numeric)}"
        )
    return sheet_id, field_id


def example_results(sheet: Worksheet, example: Example | None) -> formulas.Results:
    """Every figure of the template filled with ``example`` (blank inputs when None)."""
    if example is None:
        return formulas.compute(sheet.sections, {}, {})
    return formulas.compute(sheet.sections, example.values, example.rows)


def resolve_sources(
    worksheets: dict[str, Worksheet], examples: dict[str, Example]
) -> tuple[dict[str, Example], list[str]]:
    """Put the figures named by ``{from: ...}`` into the examples' values (in dependency order)."""
    done: dict[str, Example] = {}
    problems: list[str] = []

    def resolve(key: str, stack: tuple[str, ...]) -> Example | None:
        if key in done:
            return done[key]
        if key in stack:
            problems.append(
                f"data/worksheets/examples/{key}.yml: figures taken from each other in a circle: "
                f"{' -> '.join((*stack, key))}"
            )
            return None
        example = examples[key]
        values = dict(example.values)
        for field_id, (sheet_id, source_id) in example.sources.items():
            other = resolve(sheet_id, (*stack, key)) if sheet_id in examples else None
            if other is None:
                return None
            values[field_id] = example_results(worksheets[sheet_id], other).fields.get(source_id)  # type: ignore[assignment]
        done[key] = dataclasses.replace(example, values=values)
        return done[key]

    for key in examples:
        resolve(key, ())
    return done, problems


def load_labels(path: Path, languages: Languages, label: str | None = None) -> dict[str, Text]:
    """Load the words around the data (column headers, download labels)."""
    doc = Document(path, label)
    validate(doc, "worksheet-labels")
    problems = check_texts(doc, doc.data["strings"], ("strings",), languages)
    for key, allowed in PLACEHOLDERS.items():
        for lang, text in (doc.data["strings"].get(key) or {}).items():
            used = set(_PLACEHOLDER.findall(text))
            stray = _PLACEHOLDER.sub("", text)
            counts = [len(re.findall(r"\{" + name + r"\}", text)) for name in allowed]
            if used != set(allowed) or counts != [1] * len(allowed) or "{" in stray or "}" in stray:
                want = " and ".join("{" + name + "}" for name in allowed)
                problems.append(
                    doc.error(("strings", key, lang), f"write {want} once each and no other braces, found {text!r}")
                )
    if problems:
        raise DataError("\n".join(problems))
    return dict(doc.data["strings"])


#: Labels that hold placeholders, and the names each must use (filled by :func:`fill`, never by
#: ``str.format``, so a brace typed into a label cannot reach Python's format machinery).
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "calculated": ("a", "b"),
    "calc_divide": ("a", "b"),
    "calc_multiply": ("a", "b"),
    "calc_multiply_round_up": ("a", "b"),
    "calc_subtract": ("a", "b"),
    "calc_sum": ("a", "b"),
    "from_template": ("a", "b"),
    "page": ("page", "pages"),
}
_PLACEHOLDER = re.compile(r"\{([a-z]+)\}")


def fill(template: str, **values: str) -> str:
    """Put ``values`` in place of their ``{name}`` placeholders; everything else stays as written."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def input_paths(data_dir: Path) -> list[Path]:
    """Every file the downloads depend on, in a stable order."""
    folder = data_dir / "worksheets"
    return [
        data_dir / "languages.yml",
        *sorted(folder.glob("*.yml")),
        *sorted((folder / "examples").glob("*.yml")),
        folder / "common" / "labels.yml",
    ]


def digest(data_dir: Path) -> str:
    """Hash every input file's bytes: equal digests give equal downloads."""
    return files_digest(input_paths(data_dir), data_dir)


@memoise_on_files(input_paths, project_cache)
def load_catalog(data_dir: Path, languages: Languages) -> Catalog:
    """Load and validate every template, example and label; one DataError lists all problems."""
    folder = data_dir / "worksheets"
    sheets, problems = load_each(
        sorted(folder.glob("*.yml")),
        lambda path: load_worksheet(path, languages, f"data/worksheets/{path.name}"),
    )
    worksheets = {sheet.id: sheet for sheet in sheets}
    loaded, example_problems = load_each(
        sorted((folder / "examples").glob("*.yml")),
        lambda path: load_example(path, worksheets, languages, f"data/worksheets/examples/{path.name}"),
    )
    problems += example_problems
    examples = {example.worksheet: example for example in loaded}
    if not problems:
        examples, cycle = resolve_sources(worksheets, examples)
        problems += cycle
    labels: dict[str, Text] = {}
    try:
        labels = load_labels(folder / "common" / "labels.yml", languages, "data/worksheets/common/labels.yml")
    except DataError as exc:
        problems.append(str(exc))
    if not problems:
        problems += [
            f"data/worksheets/examples/{key}.yml: missing; every template needs its filled example"
            for key in worksheets
            if key not in examples
        ]
    papers = load_papers(data_dir)
    if problems:
        raise DataError("\n".join(problems))
    return Catalog(languages, worksheets, examples, labels, digest(data_dir), papers)


def load_papers(data_dir: Path) -> dict[str, str]:
    """Paper size per language from ``data/languages.yml`` (its schema requires ``paper``: A4 or Letter)."""
    doc = Document(data_dir / "languages.yml", "data/languages.yml")
    return {entry["code"]: entry.get("paper", "A4") for entry in doc.data["languages"]}
