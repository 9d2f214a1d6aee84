"""MkDocs hook: add the template downloads to every language's site (``on_config`` … ``on_env``).

For each template in data/worksheets/, each format (DOCX, XLSX, PDF, Markdown, CSV) and each
variant (blank, filled with the worked example) it adds ``downloads/<id>[-example].<ext>`` in the
language being built, as in-memory ``File.generated`` files (never written into docs/). The pure
modules ``worksheet_*`` do the work; see hooks/README.md for the events and the cache.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import playbook_data
import worksheet_build
import worksheet_data
import worksheet_pdf
import worksheet_render
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

#: The downloads of one input version in `<project>/.cache/downloads/<key>/` (git-ignored), so a
#: Markdown edit under `mkdocs serve` or the next build regenerates nothing; MkDocs copies them
#: from there. Reset in on_config whenever the data, build date, font or writer code change.
_cache = worksheet_build.DownloadCache()
#: Writes the missing downloads of a cold build in worker processes (see worksheet_build).
_writer = worksheet_build.BackgroundWriter()
#: Processes that write missing downloads (PLAYBOOK_BUILD_WORKERS, default: every usable CPU).
_workers = 1
#: Mark of the cache key whose texts passed the PDF font check.
GLYPHS_CHECKED = "glyphs-checked"


def _data_dir(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).parent / "data"


def on_config(config: MkDocsConfig) -> None:
    """Drop cached downloads if any input changed (runs once per build and language)."""
    try:
        font = worksheet_pdf.find_font()
    except worksheet_pdf.FontMissingError as exc:
        raise PluginError(str(exc)) from exc
    date = worksheet_render.build_date(os.environ)
    global _workers  # noqa: PLW0603 - read once per build, like the cache key
    try:
        _workers = worksheet_build.workers(os.environ)
    except ValueError as exc:
        raise PluginError(str(exc)) from exc
    _cache.directory = playbook_data.cache_folder(config.config_file_path, "downloads")
    _cache.reset(worksheet_build.cache_key(worksheet_data.digest(_data_dir(config)), date, font))


def on_pre_build(*, config: MkDocsConfig) -> None:
    """Validate the data before MkDocs empties the site folder, so bad data leaves it untouched."""
    catalog, date = _catalog(config), worksheet_render.build_date(os.environ)
    # The same data, date, font and code passed already: in an earlier language build of this
    # process, or in an earlier build that left its mark in the download cache.
    if _cache.has_mark(GLYPHS_CHECKED):
        return
    try:
        worksheet_pdf.check_glyphs(worksheet_build.all_texts(catalog, date), worksheet_pdf.find_font())
    except worksheet_pdf.GlyphMissingError as exc:
        raise PluginError(f"Invalid data file: the PDF downloads cannot show it: {exc}") from exc
    _cache.mark(GLYPHS_CHECKED)


def _catalog(config: MkDocsConfig) -> worksheet_data.Catalog:
    try:
        return worksheet_data.load_catalog(_data_dir(config), playbook_data.load_languages(_data_dir(config)))
    except playbook_data.DataError as exc:
        raise PluginError(f"Invalid data file:\n{exc}") from exc


# After static-i18n (-100): it rebuilds the file list per language and only handles files on disk.
@event_priority(-110)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Add this language's downloads (static-i18n has set theme.language by now)."""
    catalog, lang = _catalog(config), config.theme["language"]
    date, font = worksheet_render.build_date(os.environ), worksheet_pdf.find_font()
    try:
        font = worksheet_build.pdf_font(catalog, date, font, _cache)
        _writer.start(catalog, date, font, _cache, _workers)
        downloads = worksheet_build.plan_downloads(catalog, lang, date, font, _cache, _writer)
    except worksheet_pdf.GlyphMissingError as exc:
        _writer.close(cancel=True)
        raise PluginError(f"Cannot write a PDF download: {exc}") from exc
    for uri, source in downloads.items():
        src_uri = worksheet_build.source_uri(uri)
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
        _writer.finish(config.theme["language"], _cache)
    except worksheet_pdf.GlyphMissingError as exc:
        raise PluginError(f"Cannot write a PDF download: {exc}") from exc
    return env


def on_build_error(*, error: Exception) -> None:
    """Stop the workers of a failed build."""
    _writer.close(cancel=True)
