"""MkDocs hook: Pagefind search per language, run over the built site (``on_post_build``).

static-i18n (priority -100) builds the other languages inside the first build's
``on_post_build``, into the same ``site_dir`` (its ``building`` flag is set meanwhile, and the
inner builds send ``on_post_build`` too). This hook runs after it (-110) in every language's
build: each starts Pagefind on its own pages at once (:class:`playbook.search.Indexer`, one
bundle per language), so Japanese, the slow one, is indexed while the next language builds. The
outer build, after the last language, waits for every run; under ``mkdocs serve`` it lets them
finish in the background (the browser reloads meanwhile; a failure is logged) and the next
rebuild waits for them before it empties the site folder. Under mike the same happens inside
each edition's build, so every edition searches its own pages.

No markers. Pagefind's output depends only on the pages, so two builds give the same files.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from playbook import search
from playbook.data.documents import DataError
from playbook.data.languages import load_languages

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

#: This run's Pagefind processes: one per ``mkdocs build`` / ``mkdocs serve`` run.
_indexer = search.Indexer()


def on_startup(*, command: str, dirty: bool) -> None:
    """A new run: a new indexer; under ``serve`` the reload does not wait for Pagefind."""
    global _indexer  # noqa: PLW0603 - the one per-run object, replaced here only
    _indexer = search.Indexer(background=command == "serve")


def on_pre_build(*, config: MkDocsConfig) -> None:
    """Let the previous rebuild's runs (under serve) finish before the site folder is emptied."""
    _indexer.join()


@event_priority(-110)
def on_post_build(*, config: MkDocsConfig) -> None:
    """Start this language's run; after the last language, wait for all (see the module docstring)."""
    try:
        languages = load_languages(Path(config.config_file_path).parent / "data")
    except DataError as exc:
        raise PluginError(f"Invalid data file:\n{exc}") from exc
    site, inner = Path(config.site_dir), getattr(config.plugins.get("i18n"), "building", False)
    # An inner build indexes its own language; the outer one (its config now set to the last
    # language built) the languages not yet started, the default one among them.
    for code in [config.theme["language"]] if inner else languages.codes:
        run = search.language_run(site, code, languages.codes, languages.default)
        if run is not None and code not in _indexer.started:
            _indexer.start(run)
    if inner:
        return  # the outer build waits once all languages are written
    try:
        _indexer.finish(report=logging.getLogger("mkdocs.hooks.search").error)
    except search.SearchError as exc:
        raise PluginError(str(exc)) from exc


def on_shutdown() -> None:
    """The run is over: wait for runs still going."""
    _indexer.join()
