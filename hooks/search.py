"""MkDocs hook: Pagefind search per language, run over the built site (``on_post_build``).

static-i18n (priority -100) builds the other languages inside the first build's
``on_post_build``, into the same ``site_dir`` (its ``building`` flag is set meanwhile, and the
inner builds send ``on_post_build`` too). This hook runs after it (-110) and only in that outer
build, when every language's pages are written, and hands them to
:func:`playbook.search.index_site` (one Pagefind bundle per language). Under mike the same
happens inside each edition's build, so every edition searches its own pages.

No markers. Pagefind's output depends only on the pages, so two builds give the same files.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from playbook import search
from playbook.data.documents import DataError
from playbook.data.languages import load_languages

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


@event_priority(-110)
def on_post_build(*, config: MkDocsConfig) -> None:
    """Index every language once, after the last language build (see the module docstring)."""
    if getattr(config.plugins.get("i18n"), "building", False):
        return  # an inner static-i18n build: the outer one indexes all languages afterwards
    try:
        languages = load_languages(Path(config.config_file_path).parent / "data")
    except DataError as exc:
        raise PluginError(f"Invalid data file:\n{exc}") from exc
    try:
        search.index_site(Path(config.site_dir), languages.codes, languages.default)
    except search.SearchError as exc:
        raise PluginError(str(exc)) from exc
