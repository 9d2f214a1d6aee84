"""Comparison and example tables from ``data/tables/*.yml`` (pure: never imports mkdocs).

A table file holds its caption, column headers and cells in every language, so each language's
page shows the same rows. :func:`load_tables` validates every file; :func:`localize` picks one
language for rendering.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playbook import markers
from playbook.data.cache import memoise_on_files, project_cache
from playbook.data.documents import DataError
from playbook.data.languages import Languages
from playbook.data.schemas import check_texts, duplicate_ids, load_each, load_entity

Text = dict[str, str]


@dataclass(frozen=True)
class Table:
    """A validated table with text in every language."""

    id: str
    caption: Text
    columns: tuple[tuple[str, Text], ...]
    rows: tuple[tuple[str, tuple[Text, ...]], ...]


@dataclass(frozen=True)
class LocalizedTable:
    """One language's view of a table, ready for the Jinja partial."""

    id: str
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def load_table(path: Path, languages: Languages, label: str | None = None) -> Table:
    """Load one table file; raise DataError naming the file, field and fix."""
    doc, problems = load_entity(path, "table", label)
    data = doc.data
    problems += duplicate_ids(doc, data["columns"], ("columns",)) + duplicate_ids(doc, data["rows"], ("rows",))
    column_ids = [c["id"] for c in data["columns"]]
    for index, row in enumerate(data["rows"]):
        missing = [c for c in column_ids if c not in row["cells"]]
        extra = [c for c in row["cells"] if c not in column_ids]
        if missing:
            problems.append(doc.error(("rows", index, "cells"), f"missing cell for column {', '.join(missing)}"))
        if extra:
            problems.append(
                doc.error(
                    ("rows", index, "cells", extra[0]),
                    f"unknown column {', '.join(extra)}; columns are {', '.join(column_ids)}",
                )
            )
    problems += check_texts(doc, data, (), languages)
    if problems:
        raise DataError("\n".join(problems))
    return Table(
        id=data["id"],
        caption=data["caption"],
        columns=tuple((c["id"], c["header"]) for c in data["columns"]),
        rows=tuple((r["id"], tuple(r["cells"][c] for c in column_ids)) for r in data["rows"]),
    )


def input_paths(data_dir: Path) -> list[Path]:
    """Every file the tables depend on, in a stable order."""
    return [data_dir / "languages.yml", *sorted((data_dir / "tables").glob("*.yml"))]


@memoise_on_files(input_paths, project_cache)
def load_tables(data_dir: Path, languages: Languages) -> dict[str, Table]:
    """Load and validate every ``data/tables/*.yml``; collect all problems into one error."""
    loaded, problems = load_each(
        sorted((data_dir / "tables").glob("*.yml")),
        lambda path: load_table(path, languages, f"data/tables/{path.name}"),
    )
    tables = {table.id: table for table in loaded}
    if problems:
        raise DataError("\n".join(problems))
    return tables


def localize(table: Table, lang: str) -> LocalizedTable:
    """Pick one language's text (validation guarantees every language is present)."""
    return LocalizedTable(
        id=table.id,
        caption=table.caption[lang],
        headers=tuple(header[lang] for _, header in table.columns),
        rows=tuple(tuple(cell[lang] for cell in cells) for _, cells in table.rows),
    )


def marker_check(known: dict[str, Table]) -> Callable[[str, str], str]:
    """Check a ``<!-- table:<id> -->`` marker's id and argument (a KeyError says what to write)."""

    def check(name: str, argument: str) -> str:
        if name not in known:
            raise KeyError(
                f"no data/tables/{name}.yml{markers.suggest(name, known)}; known tables: {', '.join(sorted(known))}"
            )
        if argument:
            raise KeyError(
                f"a table marker takes nothing after the id, found {argument!r}; write <!-- table:{name} -->"
            )
        return ""

    return check
