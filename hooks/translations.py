"""MkDocs hook: the translation status table on the contributing pages (``on_page_markdown``).

Marker (documented in docs/en/contributing/conventions.md):
    ``<!-- i18n:status -->``   every page and data file × every language: translated / missing / outdated.

Ordering: mkdocs.yml lists this hook *before* hooks/shortcodes.py; both handle
``on_page_markdown`` at the default priority, so MkDocs calls this one first and the ``i18n:``
markers are gone before shortcodes.py looks for markers. Today ``playbook_markers.MARKER`` does
not even match ``i18n`` (its namespace pattern has no digits), but running first keeps this hook
correct if that pattern is widened, without a shared registry to patch in playbook_markers: the
two hooks stay independent. If the order is ever swapped and the pattern widened, shortcodes.py
fails the build with "unknown marker namespace 'i18n'", so the mistake cannot go unnoticed.

The status is computed from the files under the project root by the pure module
``translation_status`` (the same code as ``python -m scripts.translations status``), so the page
is identical in every language build. Markup: overrides/partials/translation-status.html; its
words come from the page's own front matter (``status_labels``), so each translation of the page
carries its own labels.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import playbook_data
import playbook_markers
import theme_partials
import translation_status
from mkdocs.exceptions import PluginError

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Replace ``<!-- i18n:status -->`` with the rendered status table."""
    if f"{translation_status.NAMESPACE}:" not in markdown:
        return None
    template = theme_partials.get(config.theme, "translation-status.html", config.config_file_path)

    def render(name: str, _argument: str) -> str:
        if name != "status":
            raise KeyError("unknown name; the only i18n marker is <!-- i18n:status -->")
        report = translation_status.status(Path(config.config_file_path).parent)
        return playbook_markers.hold(template.render(report=report, labels=page.meta.get("status_labels") or {}))

    try:
        return translation_status.expand(markdown, render, f"docs/{page.file.src_uri}")
    except (playbook_markers.MarkerError, translation_status.TranslationError, playbook_data.DataError) as exc:
        raise PluginError(str(exc)) from exc


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put the rendered status table in place of its placeholder."""
    return playbook_markers.release(html)
