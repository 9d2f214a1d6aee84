"""MkDocs hook: expand the playbook's page markers (``on_page_markdown``).

Markers (documented in docs/en/contributing/conventions.md):
    ``<!-- table:<id> -->``   a table from data/tables/<id>.yml in the page's language.

The data is validated in ``on_pre_build`` so a broken data file fails the build even if no page
uses it. Markup lives in ``overrides/partials/*.html`` and is rendered through the theme's Jinja
environment; this module only adapts pure functions to MkDocs events.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

import playbook_data
import playbook_markers
import table_data

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
    template = config.theme.get_env().get_template("partials/data-table.html")
    tables = _tables(config)

    def table(name: str, _argument: str) -> str:
        if name not in tables:
            raise KeyError(f"no data/tables/{name}.yml; known tables: {', '.join(sorted(tables))}")
        return template.render(table=table_data.localize(tables[name], lang))

    try:
        return playbook_markers.expand(markdown, {"table": table}, f"docs/{page.file.src_uri}")
    except playbook_markers.MarkerError as exc:
        raise PluginError(str(exc)) from exc
