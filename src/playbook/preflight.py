"""Everything a build reads, checked at once before anything is written (pure: never imports mkdocs).

MkDocs empties ``site_dir`` after the first ``on_pre_build``, and mkdocs-static-i18n then builds
one language after another into it, so a problem found while rendering would leave an empty or
half-old site. :func:`check` reads every input of every language first:

- every file under ``data/``: each is a known kind with its schema (:data:`DATA_KINDS`), or
  reported as an unknown file; each is loaded by the build's own loader;
- every page's front matter (``schemas/front-matter.schema.json``), with lines counted from
  the top of the page;
- every marker of every page, with the ids and arguments the hooks would render;
- the ``nav_translations`` keys against the nav sections of ``mkdocs.yml``.

The result is every problem, one message each (``file, line N, field x: what to write``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from playbook import calculator, figures, markers, tables, ui
from playbook.data.documents import DataError, Document
from playbook.data.languages import Languages, load_languages, nav_translation_problems
from playbook.data.schemas import validate
from playbook.project import nav_sections
from playbook.templates import downloads, model
from playbook.translations import status

#: Every kind of file under data/ (path pattern relative to data/, schema name in schemas/).
DATA_KINDS: tuple[tuple[str, str], ...] = (
    ("languages.yml", "languages"),
    ("ui.yml", "ui"),
    ("translations.lock.yml", "translations-lock"),
    ("tables/*.yml", "table"),
    ("terms/*.yml", "terms"),
    ("worksheets/*.yml", "worksheet"),
    ("worksheets/common/labels.yml", "worksheet-labels"),
    ("worksheets/examples/*.yml", "worksheet-example"),
)


def schema_of(relative: str) -> str | None:
    """The schema of a file under data/ (``tables/x.yml`` -> ``table``), or None for an unknown file."""
    path = PurePosixPath(relative)
    for pattern, schema in DATA_KINDS:
        if len(path.parts) == len(PurePosixPath(pattern).parts) and path.match(pattern):
            return schema
    return None


def unknown_data_files(data_dir: Path) -> list[str]:
    """Files under data/ that no loader reads (a ``.yaml`` file, a sub-folder, a stray file)."""
    expected = ", ".join(f"data/{pattern}" for pattern, _ in DATA_KINDS)
    problems = []
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(data_dir).as_posix()
        if schema_of(relative) is None:
            hint = " (data files end in .yml)" if path.suffix == ".yaml" else ""
            problems.append(f"data/{relative}: not a data file the build reads{hint}; data files are {expected}")
    return problems


def _lines(exc: Exception) -> list[str]:
    return str(exc).splitlines()


def data_problems(data_dir: Path) -> tuple[list[str], dict[str, Any]]:
    """Problems of every data file, and what loaded (``languages``, ``tables``, ``catalog``)."""
    problems = unknown_data_files(data_dir)
    loaded: dict[str, Any] = {}
    try:
        loaded["languages"] = languages = load_languages(data_dir)
    except DataError as exc:
        return problems + _lines(exc), loaded  # every other file is checked against the languages
    steps: tuple[tuple[str, Callable[[Path, Languages], Any]], ...] = (
        ("ui", ui.load_ui_strings),
        ("tables", tables.load_tables),
        ("catalog", model.load_catalog),
    )
    for key, load in steps:
        try:
            loaded[key] = load(data_dir, languages)
        except DataError as exc:
            problems += _lines(exc)
    try:
        status.load_lock(data_dir.parent)
    except (DataError, status.TranslationError) as exc:
        problems += _lines(exc)
    return problems, loaded


def _validators(loaded: dict[str, Any]) -> dict[str, markers.Handler]:
    """Marker checks for the namespaces whose data loaded (the others are already reported)."""

    def accept(_name: str, _argument: str) -> str:
        return ""

    def calc(name: str, argument: str) -> str:
        calculator.check_marker(name, argument)
        return ""

    checks: dict[str, markers.Handler] = {
        "table": accept,
        "ws": accept,
        "fig": accept,
        "i18n": status.marker_check,
        "calc": calc,
    }
    if "tables" in loaded:
        checks["table"] = tables.marker_check(loaded["tables"])
    if "catalog" in loaded:
        catalog = loaded["catalog"]

        def ws(name: str, argument: str) -> str:
            downloads.parse_marker(name, argument, catalog)
            return ""

        checks["ws"] = ws
        checks["fig"] = figures.Figures(catalog, catalog.languages.default).handler()
    return checks


def page_problems(root: Path, loaded: dict[str, Any]) -> list[str]:
    """Front matter and markers of every page under docs/."""
    checks = _validators(loaded)
    problems: list[str] = []
    for path in sorted((root / "docs").rglob("*.md")):
        label = path.relative_to(root).as_posix()
        try:
            text = Document.decode_file(path, label)
        except DataError as exc:
            problems += _lines(exc)
            continue
        front, body = status.split_front_matter(text)
        offset = text.replace("\r\n", "\n").count("\n") - body.count("\n")
        if front:
            try:
                meta = Document.from_text(front, label, line_offset=1)
                if not isinstance(meta.data, dict):
                    problems.append(f"{label}, line 2: front matter is `key: value` lines between the --- lines")
                else:
                    validate(meta, "front-matter")
            except DataError as exc:
                problems += _lines(exc)
        problems += markers.check(body, checks, label, offset)
    return problems


def check(root: Path, nav: Iterable[Any] | None = None) -> list[str]:
    """Every problem of every input, one message each; empty when the build may start."""
    problems, loaded = data_problems(root / "data")
    problems += page_problems(root, loaded)
    if nav is not None and "languages" in loaded:
        problems += nav_translation_problems(root / "data", nav_sections(nav))
    return problems
