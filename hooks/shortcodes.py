"""MkDocs hook: expand the playbook's page markers (``on_page_markdown``).

Markers (documented in docs/en/contributing/conventions.md):
    ``<!-- table:<id> -->``   a table from data/tables/<id>.yml in the page's language.
    ``<!-- ws:preview <id> [example] -->``   a template from data/worksheets/<id>.yml, blank or filled.
    ``<!-- ws:download <id> [blank|example] -->``   links to that template's downloads in the page's
        language (the files hooks/worksheets.py generates).

The data is validated in ``on_pre_build`` so a broken data file fails the build even if no page
uses it. Markup lives in ``overrides/partials/*.html`` and is rendered through the theme's Jinja
environment; this module only adapts pure functions to MkDocs events.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import playbook_data
import playbook_markers
import table_data
import theme_partials
import worksheet_build
import worksheet_data
import worksheet_render
from mkdocs.exceptions import PluginError

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


def _data_dir(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).parent / "data"


def _tables(config: MkDocsConfig) -> dict[str, table_data.Table]:
    try:
        return table_data.load_tables(_data_dir(config), playbook_data.load_languages(_data_dir(config)))
    except playbook_data.DataError as exc:
        raise PluginError(f"Invalid data file:\n{exc}") from exc


def on_pre_build(*, config: MkDocsConfig) -> None:
    """Validate every data table before any page is rendered."""
    _tables(config)


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Replace markers with rendered tables in the page's language."""
    if "<!--" not in markdown:
        return None
    lang = config.theme["language"]
    template = theme_partials.get(config.theme, "data-table.html", config.config_file_path)
    tables = _tables(config)

    def table(name: str, _argument: str) -> str:
        if name not in tables:
            raise KeyError(f"no data/tables/{name}.yml; known tables: {', '.join(sorted(tables))}")
        return playbook_markers.hold(template.render(table=table_data.localize(tables[name], lang)))

    handlers = {"table": table}
    if "<!-- ws:" in markdown:
        handlers["ws"] = _worksheet_handler(page, config, files)
    try:
        return playbook_markers.expand(markdown, handlers, f"docs/{page.file.src_uri}")
    except playbook_markers.MarkerError as exc:
        raise PluginError(str(exc)) from exc


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put the rendered tables, previews and download links in place of their placeholders."""
    return playbook_markers.release(html)


def _worksheet_handler(page: Page, config: MkDocsConfig, files: Files) -> playbook_markers.Handler:
    """Build the ``ws:`` handler: previews and download links from the same views as the files."""
    try:
        catalog = worksheet_data.load_catalog(_data_dir(config), playbook_data.load_languages(_data_dir(config)))
    except playbook_data.DataError as exc:
        raise PluginError(f"Invalid data file:\n{exc}") from exc
    lang = config.theme["language"]
    date, store = worksheet_render.build_date(os.environ), playbook_data.project_cache(_data_dir(config))
    views = worksheet_render.views(catalog, lang, date, store)

    def ws(name: str, argument: str) -> str:
        name, sheet_id, variants = worksheet_build.parse_marker(name, argument, catalog)
        if name == "preview":
            view = views[worksheet_build.stem(sheet_id, variants[0])]
            preview = theme_partials.get(config.theme, "worksheet-preview.html", config.config_file_path)
            return playbook_markers.hold(preview.render(view=view))
        groups = []
        for variant in variants:
            view = views[worksheet_build.stem(sheet_id, variant)]
            links = []
            for ext in worksheet_render.FORMATS:
                uri = worksheet_build.download_uri(lang, catalog.languages.default, view.stem, ext)
                file = files.get_file_from_path(worksheet_build.source_uri(uri))
                if file is None:
                    raise KeyError(f"{uri} was not generated; list hooks/worksheets.py under hooks: in mkdocs.yml")
                links.append(
                    {
                        "ext": ext,
                        "label": view.labels[ext],
                        "href": file.url_relative_to(page.file),
                        "name": f"{view.stem}.{ext}",
                    }
                )
            groups.append({"label": view.labels[variant], "links": links})
        return playbook_markers.hold(
            theme_partials.get(config.theme, "worksheet-download.html", config.config_file_path).render(
                view=views[sheet_id], groups=groups, label=views[sheet_id].labels["download"]
            )
        )

    return ws
