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

Text = dict[str, str]
#: Kinds whose values are numbers (the rest are text).
NUMERIC_KINDS = frozenset({"number", "percent", "currency", "formula"})
TEXT_KINDS = frozenset({"text", "long-text"})
#: ``{field-id}`` inside an example's text: the formatted value of that (computed) field, a live
#: formula in the XLSX, so a sentence never states a figure the sheet no longer computes.
PLACEHOLDER = re.compile(r"\{([a-z0-9]+(?:-[a-z0-9]+)*)\}")
#: Paper sizes a language may print on (``paper`` in data/languages.yml).
PAPERS = ("A4", "Letter")
#: Operations a formula field may use; each is (numerator, denominator) rounded up.
FORMULA_OPS = ("divide-round-up",)


@dataclass(frozen=True)
class Formula:
    """A computed field: ``ceil(args[0] / args[1])``, live in the XLSX."""

    op: str
    args: tuple[str, str]


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
    numeric: set[str] = set()
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
        for f_index, field in enumerate(section["fields"]):
            f_where = where + ("fields", f_index)
            formula = field.get("formula")
            if (field["kind"] == "formula") != (formula is not None):
                problems.append(doc.error(f_where, "a field has 'formula' exactly when its kind is 'formula'"))
            for a_index, arg in enumerate((formula or {}).get("args", [])):
                if arg not in numeric:
                    problems.append(
                        doc.error(
                            f_where + ("formula", "args", a_index),
                            f"{arg!r} is not a number, percent, currency or formula field defined above this one",
                        )
                    )
            if field["kind"] in NUMERIC_KINDS:
                numeric.add(field["id"])
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
            columns = tuple(Column(c["id"], c["label"], c["kind"]) for c in s["table"]["columns"])
            table = Table(columns, s["table"]["blank_rows"])
        fields = tuple(
            Field(
                f["id"],
                f["label"],
                f["kind"],
                _text(f.get("hint")),
                Formula(f["formula"]["op"], tuple(f["formula"]["args"])) if "formula" in f else None,  # type: ignore[arg-type]
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
        else:
            problems += _check_value(doc, ("values", key), field.kind, values[key])
    numeric = [k for k, f in fields.items() if f.kind in NUMERIC_KINDS]
    for key, value in values.items():
        for lang, text in value.items() if isinstance(value, dict) else ():
            for ref in PLACEHOLDER.findall(str(text)):
                if ref not in numeric:
                    problems.append(
                        doc.error(
                            ("values", key, lang),
                            f"{{{ref}}} names no number or formula field of {sheet.id}; "
                            f"write one of {', '.join('{' + n + '}' for n in numeric)}",
                        )
                    )
    for key, table_rows in rows.items():
        table = tables.get(key)
        if table is None:
            problems.append(
                doc.error(
                    ("rows", key), f"{key!r} is not a table section of {sheet.id}; expected one of {', '.join(tables)}"
                )
            )
            continue
        for index, row in enumerate(table_rows):
            for column in table.columns:
                if column.id not in row:
                    problems.append(doc.error(("rows", key, index), f"missing cell for column {column.id!r}"))
                else:
                    problems += _check_value(doc, ("rows", key, index, column.id), column.kind, row[column.id])
            for extra in sorted(set(row) - {c.id for c in table.columns}):
                problems.append(
                    doc.error(
                        ("rows", key, index, extra),
                        f"unknown column {extra!r}; columns are {', '.join(c.id for c in table.columns)}",
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
    )


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
PLACEHOLDERS: dict[str, tuple[str, ...]] = {"calculated": ("a", "b"), "page": ("page", "pages")}
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
