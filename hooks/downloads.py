"""MkDocs hook: add the template downloads to every language's site (``on_startup`` … ``on_shutdown``).

For each template in data/worksheets/, each format (DOCX, XLSX, PDF, Markdown, CSV) and each
variant (blank, filled with the worked example) it adds ``downloads/<id>[-example].<ext>`` in the
language being built, as in-memory ``File.generated`` files (never written into docs/).
:mod:`playbook.templates.downloads` does the work; its :class:`Session` (the download cache and
the worker pool) is created in ``on_startup`` and closed in ``on_shutdown``, so it lives for one
``mkdocs build`` or ``mkdocs serve`` run; ``on_post_page`` writes the files' sizes into the
download tables. Under ``serve`` the reload never waits for downloads being written: they
follow, and a rebuild (``on_serve`` watches the session's ready folder) puts them in the site.
See hooks/README.md for the events.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from playbook.data.cache import cache_folder
from playbook.data.documents import DataError
from playbook.data.languages import load_languages
from playbook.templates import downloads, model, view
from playbook.templates.writers import pdf

if TYPE_CHECKING:
    from collections.abc import Callable

    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

#: This run's downloads (cache and workers): one per ``mkdocs build`` / ``mkdocs serve``.
_session = downloads.Session()


def _data_dir(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).parent / "data"


def _catalog(config: MkDocsConfig) -> model.Catalog:
    try:
        return model.load_catalog(_data_dir(config), load_languages(_data_dir(config)))
    except DataError as exc:
        raise PluginError(f"Invalid data file:\n{exc}") from exc


def on_startup(*, command: str, dirty: bool) -> None:
    """A new run: a new session; under ``serve`` the pages never wait for the downloads."""
    global _session  # noqa: PLW0603 - the one per-run object, replaced here only
    _session = downloads.Session(background=command == "serve")


def on_serve(server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., None]) -> LiveReloadServer:
    """Rebuild once the files written in the background are done (the session touches this folder)."""
    if _session.ready is not None:
        _session.ready.mkdir(parents=True, exist_ok=True)
        server.watch(str(_session.ready))
        _session.watched()
    return server


def on_shutdown() -> None:
    """The run is over: stop the workers."""
    _session.close()


def on_config(config: MkDocsConfig) -> None:
    """Read this build's settings; drop cached downloads if any input changed (once per language)."""
    try:
        _session.configure(_data_dir(config), cache_folder(config.config_file_path, "downloads"), os.environ)
    except (pdf.FontMissingError, ValueError) as exc:
        raise PluginError(str(exc)) from exc


def on_pre_build(*, config: MkDocsConfig) -> None:
    """Validate the data before MkDocs empties the site folder, so bad data leaves it untouched."""
    try:
        _session.check_glyphs(_catalog(config), view.build_date(os.environ))
    except pdf.GlyphMissingError as exc:
        raise PluginError(f"Invalid data file: the PDF downloads cannot show it: {exc}") from exc


# After static-i18n (-100): it rebuilds the file list per language and only handles files on disk.
@event_priority(-110)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Add this language's downloads (static-i18n has set theme.language by now)."""
    try:
        planned = _session.plan(_catalog(config), config.theme["language"], view.build_date(os.environ))
    except pdf.GlyphMissingError as exc:
        raise PluginError(f"Cannot write a PDF download: {exc}") from exc
    for uri, source in planned.items():
        src_uri = downloads.source_uri(uri)
        if isinstance(source, Path):  # in the cache folder, or by on_env (written by a worker)
            file = File.generated(config, src_uri, abs_src_path=str(source))
        else:
            file = File.generated(config, src_uri, content=source)
        file.dest_uri = uri  # the same as the source name, except for Markdown downloads
        files.append(file)
    return files


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    """Collect this language's files from the workers; MkDocs copies them right after this event."""
    try:
        _session.collect(config.theme["language"])
    except pdf.GlyphMissingError as exc:
        raise PluginError(f"Cannot write a PDF download: {exc}") from exc
    return env


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str | None:
    """Fill in the download tables' file sizes: written by now (collected in on_env), or pending under serve."""
    if downloads.SIZE_SLOT.search(output) is None:
        return None
    return _session.fill_sizes(output, config.theme["language"], _catalog(config))


def on_build_error(*, error: Exception) -> None:
    """Stop the workers of a failed build."""
    _session.close()
