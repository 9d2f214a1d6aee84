"""MkDocs hook: expand the playbook's page markers (``on_page_markdown``, ``on_page_content``).

Markers (documented in docs/en/contributing/conventions.md):
    ``<!-- table:<id> -->``   a table from data/tables/<id>.yml in the page's language.
    ``<!-- ws:preview <id> [example] -->``   a template from data/worksheets/<id>.yml, blank or filled.
    ``<!-- ws:download <id> [blank|example] -->``   links to that template's downloads in the page's
        language (the files hooks/downloads.py generates).
    ``<!-- fig:<id> <field> -->``   inside a sentence: the worked example's value of that field,
        formatted for the page's language (playbook.figures), so no page types a computed figure.
    ``<!-- ws:checklist <id> -->``   that template's checklist section as a task list.

Every table, template and marker is validated before the build starts (hooks/preflight.py), so
a broken data file fails the build even if no page uses it. Markup lives in
``overrides/partials/*.html`` (:mod:`playbook.partials`); the rendered HTML is held back from
Python-Markdown by a :class:`playbook.markers.HeldHTML` made in ``on_startup``, one per
``mkdocs build`` / ``mkdocs serve`` run.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from playbook import figures, markers, partials, tables
from playbook.data.cache import project_cache
from playbook.data.documents import DataError
from playbook.data.languages import load_languages
from playbook.templates import downloads, model, view

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

_held = markers.HeldHTML()


def on_startup(*, command: str, dirty: bool) -> None:
    """A new run holds nothing of an earlier one."""
    global _held  # noqa: PLW0603 - the one per-run object, replaced here only
    _held = markers.HeldHTML()


def _data(config: MkDocsConfig) -> tuple[Path, dict[str, tables.Table]]:
    data_dir = Path(config.config_file_path).parent / "data"
    try:
        return data_dir, tables.load_tables(data_dir, load_languages(data_dir))
    except DataError as exc:
        raise PluginError(f"Invalid data file:\n{exc}") from exc


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Replace markers with rendered tables, template previews and download links."""
    if "<!--" not in markdown:
        return None
    data_dir, known = _data(config)
    lang, theme = config.theme["language"], config.theme

    check_table = tables.marker_check(known)

    def table(name: str, argument: str) -> str:
        check_table(name, argument)
        html = partials.get(theme, "data-table.html").render(table=tables.localize(known[name], lang))
        return _held.hold(html)

    handlers = {"table": table}
    if "<!-- ws:" in markdown or "<!-- fig:" in markdown:
        try:
            catalog = model.load_catalog(data_dir, load_languages(data_dir))
        except DataError as exc:
            raise PluginError(f"Invalid data file:\n{exc}") from exc
        views = view.views(catalog, lang, view.build_date(os.environ), project_cache(data_dir))

        def ws(name: str, argument: str) -> str:
            name, sheet_id, variants = downloads.parse_marker(name, argument, catalog)
            if name == "preview":
                preview = views[downloads.stem(sheet_id, variants[0])]
                return _held.hold(partials.get(theme, "worksheet-preview.html").render(view=preview))
            if name == "checklist":
                blank = views[sheet_id]
                html = partials.get(theme, "worksheet-checklist.html").render(view=blank, section=view.checklist(blank))
                return _held.hold(html)

            def href(uri: str) -> str | None:
                file = files.get_file_from_path(downloads.source_uri(uri))
                return None if file is None else file.url_relative_to(page.file)

            groups = downloads.link_groups(views, sheet_id, variants, lang, catalog.languages.default, href)
            template = partials.get(theme, "worksheet-download.html")
            return _held.hold(
                template.render(view=views[sheet_id], groups=groups, label=views[sheet_id].labels["download"])
            )

        handlers["ws"] = ws
        handlers["fig"] = figures.Figures(catalog, lang).handler()
    try:
        offset = markers.body_offset(page.file.content_string, markdown)
        return markers.expand(markdown, handlers, f"docs/{page.file.src_uri}", offset)
    except markers.MarkerError as exc:
        raise PluginError(str(exc)) from exc


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put the rendered HTML in place of its placeholders."""
    return _held.release(html)
