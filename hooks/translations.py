"""MkDocs hook: the translation status table on the contributing pages (``on_page_markdown``).

Marker (documented in docs/en/contributing/conventions.md):
    ``<!-- i18n:status -->``   every page and data file × every language: translated / incomplete /
        missing / outdated.
    ``<!-- i18n:terms -->``    the term base of every language (data/terms/<lang>.yml), one table each.

Ordering: mkdocs.yml lists this hook *before* hooks/markers.py; both handle ``on_page_markdown``
at the default priority, so MkDocs calls this one first and the ``i18n:`` markers are gone before
markers.py looks for markers. If the order is ever swapped, markers.py fails the build with
"unknown marker namespace 'i18n'" as soon as the marker pattern matches it, so the mistake cannot
go unnoticed.

The status comes from :mod:`playbook.translations.status` (the same code as ``playbook
translations status``), so the page is identical in every language build. Markup:
overrides/partials/translation-status.html; its words come from the page's own front matter
(``status_labels``), so each translation of the page carries its own labels.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from playbook import markers, partials
from playbook.data.documents import DataError
from playbook.data.languages import load_languages
from playbook.translations import status, terms

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

_held = markers.HeldHTML()


def on_startup(*, command: str, dirty: bool) -> None:
    """A new run holds nothing of an earlier one."""
    global _held  # noqa: PLW0603 - the one per-run object, replaced here only
    _held = markers.HeldHTML()


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Replace ``<!-- i18n:status -->`` with the rendered status table."""
    if f"{status.NAMESPACE}:" not in markdown:
        return None
    template = partials.get(config.theme, "translation-status.html")

    root = Path(config.config_file_path).parent

    def render(name: str, argument: str) -> str:
        status.marker_check(name, argument)
        if name == "terms":
            languages = load_languages(root / "data")
            names = {lang.code: lang.name for lang in languages.items}
            bases = [terms.load_term_base(path, languages) for path in terms.term_files(root / "data")]
            html = partials.get(config.theme, "term-base.html").render(
                bases=[(base, names[base.language]) for base in bases],
                labels=page.meta.get("term_labels") or {},
                page_lang=config.theme["language"],
            )
            return _held.hold(html)
        report = status.status(root)
        return _held.hold(template.render(report=report, labels=page.meta.get("status_labels") or {}))

    try:
        offset = markers.body_offset(page.file.content_string, markdown)
        return markers.expand(markdown, {status.NAMESPACE: render}, f"docs/{page.file.src_uri}", offset)
    except (markers.MarkerError, status.TranslationError, DataError) as exc:
        raise PluginError(str(exc)) from exc


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put the rendered status table in place of its placeholder."""
    return _held.release(html)
