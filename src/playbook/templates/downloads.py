"""Which downloads exist, where they live, and their bytes (pure: never imports mkdocs).

A download is ``<id>.<ext>`` (blank template) or ``<id>-example.<ext>`` (filled with the worked
example) for every template, format and language. The default language's files sit at the site
root (``downloads/...``) because static-i18n serves that language there; the others under
``<lang>/downloads/...``. :class:`~playbook.templates.cache.DownloadCache` keeps the bytes of one
input version so that a Markdown edit under ``mkdocs serve`` or a second build does not write
every file again; :class:`BackgroundWriter` writes a cold build's files in worker processes.
:class:`Session` holds both for one ``mkdocs build`` or ``mkdocs serve`` run (``hooks/downloads.py``
creates it in ``on_startup``).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import threading
import time
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from playbook.templates import view as views_
from playbook.templates.cache import DownloadCache, cache_key, view_version
from playbook.templates.model import Catalog
from playbook.templates.view import FORMATS, VARIANTS, WorksheetView
from playbook.templates.writers import csv, docx, markdown, pdf, xlsx

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

#: Marker names of the ``ws:`` namespace (documented in docs/en/contributing/conventions.md).
MARKER_NAMES = ("preview", "download", "checklist")

# The writers import python-docx, XlsxWriter and WeasyPrint only when a file is really written,
# so a build whose downloads all come from the cache never loads them.


@dataclass(frozen=True)
class Assets:
    """What the writers read besides the view: the PDF fonts and the overrides folder (its partials)."""

    font: pdf.Fonts
    overrides: Path


WRITERS: dict[str, Callable[[WorksheetView, Assets], bytes]] = {
    "docx": lambda view, _assets: docx.to_docx(view),
    "xlsx": lambda view, _assets: xlsx.to_xlsx(view),
    "pdf": lambda view, assets: pdf.to_pdf(view, assets.font, assets.overrides),
    "md": lambda view, _assets: markdown.to_markdown(view),
    "csv": lambda view, _assets: csv.to_csv(view),
}


def download_uri(lang: str, default: str, stem: str, ext: str) -> str:
    """Return the download's path below the site root, as static-i18n lays out each language."""
    prefix = "" if lang == default else f"{lang}/"
    return f"{prefix}downloads/{stem}.{ext}"


def parse_marker(name: str, argument: str, catalog: Catalog) -> tuple[str, str, tuple[str, ...]]:
    """Read ``ws:<name> <id> [blank|example ...]`` (default blank) into (name, id, variants); KeyError says why not.

    ``ws:download`` takes both variants (``blank example``: one table with a column each);
    ``ws:preview`` shows one; ``ws:checklist`` takes only the id of a template with a checklist
    section (its items are the same in both variants).
    """
    if name not in MARKER_NAMES:
        raise KeyError(f"unknown marker ws:{name}; known: {', '.join(f'ws:{n}' for n in MARKER_NAMES)}")
    words = argument.split()
    if not words or words[0] not in catalog.worksheets:
        raise KeyError(
            f"expected a template id after ws:{name}, found {argument!r}; "
            f"known: {', '.join(sorted(catalog.worksheets))}"
        )
    if name == "checklist":
        if len(words) > 1:
            raise KeyError(f"ws:checklist takes only a template id, found {argument!r}")
        if catalog.worksheets[words[0]].checklist_section is None:
            with_list = sorted(k for k, sheet in catalog.worksheets.items() if sheet.checklist_section)
            raise KeyError(
                f"the template {words[0]!r} has no checklist section; templates with one: "
                f"{', '.join(with_list) or 'none'}"
            )
        return name, words[0], ("blank",)
    variants = tuple(words[1:]) or ("blank",)
    most = 2 if name == "download" else 1
    if len(variants) > most or len(set(variants)) < len(variants) or not set(variants) <= set(VARIANTS):
        allowed = "'blank', 'example' or 'blank example'" if name == "download" else "nothing, 'blank' or 'example'"
        raise KeyError(f"after the id write {allowed}, found {' '.join(words[1:])!r}")
    return name, words[0], variants


def source_uri(uri: str) -> str:
    """Return the name a download is registered under in MkDocs' file list.

    MkDocs would render a generated ``.md`` file as a page; the Markdown downloads therefore get a
    non-Markdown source name and keep ``uri`` as their destination.
    """
    return f"{uri}.download" if uri.endswith(".md") else uri


def stem(sheet_id: str, variant: str) -> str:
    """Download name without extension: ``<id>`` or ``<id>-example``."""
    return f"{sheet_id}-example" if variant == "example" else sheet_id


def all_texts(catalog: Catalog, date: dt.datetime) -> list[str]:
    """Every string any download prints, in every language (for the font checks)."""
    return [
        text
        for lang in catalog.languages.codes
        for view in views_.views(catalog, lang, date).values()
        for text in views_.texts(view)
    ]


def versions(catalog: Catalog, date: dt.datetime) -> dict[tuple[str, str], str]:
    """The digest of every (language, stem)'s view: what decides whether its files are written again."""
    return {
        (lang, name): view_version(worksheet)
        for lang in catalog.languages.codes
        for name, worksheet in views_.views(catalog, lang, date).items()
    }


#: How much lower background work (under ``mkdocs serve``) runs than the page build (``nice``).
BACKGROUND_NICE = 10

#: Formats in the order parallel work starts them: the slowest first keeps the workers busy.
_BY_COST = ("pdf", "docx", "xlsx", "md", "csv")


def workers(environ: Mapping[str, str]) -> int:
    """Processes for writing downloads: ``PLAYBOOK_BUILD_WORKERS`` or every CPU this process may use."""
    value = environ.get("PLAYBOOK_BUILD_WORKERS", "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise ValueError(f"PLAYBOOK_BUILD_WORKERS={value!r}: expected a whole number of processes, 1 or more")
        return int(value)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class BackgroundWriter:
    """Writes missing downloads in worker processes while MkDocs builds the pages.

    A fresh clone, or any change to the data, writes all 120 files, mostly PDF layout. Each file
    depends only on its view and the font, so the first language build hands every language's
    missing files to worker processes (``spawn``: nothing of MkDocs' state is inherited) and goes
    on converting pages; each language build collects its own files in ``on_env``, just before
    MkDocs copies them into the site. The bytes are the same as when the build process writes
    them itself (one process, or nothing to do in parallel).

    In the background (``mkdocs serve``) nothing waits for the workers: each file goes into the
    cache when it is done, and ``on_written`` is called once the last one is (the session then
    asks the server for a rebuild, which finds every file in the cache).
    """

    def __init__(self) -> None:
        """No pool until there is work for one."""
        self.pool: ProcessPoolExecutor | None = None
        #: (lang, stem, ext) -> (the view digest it is written from, its future).
        self.pending: dict[tuple[str, str, str], tuple[str, Future[bytes]]] = {}
        #: Guards ``pending`` and the cache against the callbacks of background work.
        self.lock = threading.RLock()

    def start(
        self,
        catalog: Catalog,
        date: dt.datetime,
        font: Assets,
        cache: DownloadCache,
        processes: int,
        on_written: Callable[[], None] | None = None,
    ) -> int:
        """Hand every language's files the cache lacks to ``processes`` workers; return how many.

        With ``on_written`` the work is done in the background (see the class docstring) by
        workers running niced (:data:`BACKGROUND_NICE`): the page build keeps its CPU, and the
        workers take both once it is done (with one worker fewer, the 40 files of a template edit
        took 15 s instead of 11 s, and the page reloaded no sooner).
        """
        codes = sorted(catalog.languages.codes, key=lambda code: code != catalog.languages.default)
        with self.lock:
            missing = [
                (lang, name, ext)
                for lang in codes  # the default language is built first: its files are needed first
                for ext in _BY_COST
                for name in stems(catalog)
                if self.pending.get((lang, name, ext), (None,))[0] != cache.version(lang, name)
                and not cache.has(lang, name, ext)
            ]
            if not missing or cache.directory is None or not cache.key:
                return 0
            if on_written is None and (processes < 2 or len(missing) < 2):
                return 0
            todo = [(lang, name, ext, views_.views(catalog, lang, date)[name]) for lang, name, ext in missing]
            if self.pool is None:
                import multiprocessing  # only a cold build needs workers
                from concurrent.futures import ProcessPoolExecutor

                background = on_written is not None
                # ``spawn``: a worker inherits nothing of MkDocs' state; it imports this installed package.
                # In the background the workers run niced: the page build keeps its CPU.
                self.pool = ProcessPoolExecutor(
                    min(processes, len(todo)),
                    multiprocessing.get_context("spawn"),
                    initializer=os.nice if background else None,
                    initargs=(BACKGROUND_NICE,) if background else (),
                )
            for lang, stem, ext, view in todo:
                key, version = (lang, stem, ext), cache.version(lang, stem)
                if key in self.pending:
                    self.pending[key][1].cancel()  # an older version, not started yet
                future = self.pool.submit(_write, view, ext, font)
                self.pending[key] = (version, future)
                if on_written is not None:
                    future.add_done_callback(functools.partial(self._done, key, version, cache, on_written))
        return len(todo)

    def _done(
        self,
        key: tuple[str, str, str],
        version: str,
        cache: DownloadCache,
        on_written: Callable[[], None],
        future: Future[bytes],
    ) -> None:
        """A background file is done: keep its bytes (a failure shows in the rebuild that follows)."""
        with self.lock:
            if self.pending.get(key, ("", None))[1] is not future:
                return  # replaced by a newer version of the same file
            del self.pending[key]
            if not future.cancelled() and future.exception() is None:
                cache.put(*key, future.result(), version=version)
            last = not self.pending
        if last:
            on_written()

    def is_pending(self, lang: str, stem: str, ext: str) -> bool:
        """Whether a worker is (or will be) writing this file."""
        return (lang, stem, ext) in self.pending

    def finish(self, lang: str, cache: DownloadCache) -> None:
        """Wait for ``lang``'s files and put them in the cache; re-raises what a worker raised."""
        try:
            for entry in [e for e in self.pending if e[0] == lang]:
                version, future = self.pending.pop(entry)
                cache.put(*entry, future.result(), version=version)
        except BaseException:
            self.close(cancel=True)
            raise
        if not self.pending:
            self.close()

    def close(self, cancel: bool = False) -> None:
        """Stop the workers (``cancel``: drop what is still queued, after a failed build)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=cancel)
            self.pool = None
        if cancel:
            self.pending.clear()


def _write(view: WorksheetView, ext: str, font: Assets) -> bytes:
    """Write one download (in a worker process)."""
    return WRITERS[ext](view, font)


def plan_downloads(
    catalog: Catalog,
    lang: str,
    date: dt.datetime,
    font: Assets,
    cache: DownloadCache,
    writer: BackgroundWriter | None = None,
    background: bool = False,
) -> dict[str, bytes | Path]:
    """Every download for ``lang``: {path below the docs dir: its bytes, or its file in the cache}.

    Files already in the cache folder are returned as paths (MkDocs copies them; nothing is read
    here), and so are files ``writer`` is writing: :meth:`BackgroundWriter.finish` puts them there
    before MkDocs copies them. With ``background`` (``mkdocs serve``) nothing waits for a file
    being written: it stands in with its previous version's bytes (empty if there is none) until
    the rebuild that follows. The rest are written here, one by one.
    """
    default = catalog.languages.default
    out: dict[str, bytes | Path] = {}
    for name in stems(catalog):
        for ext in FORMATS:
            uri = download_uri(lang, default, name, ext)
            path = cache.path(lang, name, ext)
            pending = writer is not None and writer.is_pending(lang, name, ext)
            if pending and background:
                out[uri] = cache.previous(lang, name, ext) or b""
                continue
            if path is not None and (pending or path.is_file()):
                out[uri] = path
                continue

            def make(name: str = name, ext: str = ext) -> bytes:
                return WRITERS[ext](views_.views(catalog, lang, date)[name], font)

            out[uri] = cache.get(lang, name, ext, make)
    return out


def stems(catalog: Catalog) -> list[str]:
    """Every download's name without extension, in the order of :func:`playbook.templates.view.views`."""
    return [stem(sheet_id, variant) for sheet_id in sorted(catalog.worksheets) for variant in VARIANTS]


def link_groups(
    views: Mapping[str, WorksheetView],
    sheet_id: str,
    variants: tuple[str, ...],
    lang: str,
    default: str,
    href: Callable[[str], str | None],
) -> dict[str, object]:
    """The download table of ``ws:download``: a column per variant, a row per format.

    ``href`` turns a download's path below the site root into a link from the page (None when the
    file was not generated, which raises KeyError naming the hook to list in mkdocs.yml). Each link
    carries its path (``uri``) so :func:`fill_sizes` can add the file's size once it is written.
    """
    columns = [{"variant": v, "label": views[stem(sheet_id, v)].labels[v]} for v in variants]
    rows = []
    for ext in FORMATS:
        links = []
        for variant in variants:
            view = views[stem(sheet_id, variant)]
            uri = download_uri(lang, default, view.stem, ext)
            link = href(uri)
            if link is None:
                raise KeyError(f"{uri} was not generated; list hooks/downloads.py under hooks: in mkdocs.yml")
            links.append({"variant": variant, "href": link, "name": f"{view.stem}.{ext}", "uri": uri})
        rows.append({"ext": ext, "label": views[stem(sheet_id, variants[0])].labels[ext], "links": links})
    return {"columns": columns, "rows": rows}


#: The size slot the download partial leaves (filled in by :func:`fill_sizes` after the files exist).
SIZE_SLOT = re.compile(r'<span class="playbook-size" data-size-of="([^"<>]+)"></span>')


def file_size(size: int, lang: str) -> str:
    """A download's size as readers see it: ``38 KB`` / ``38 kB`` per CLDR (Babel), whole kilobytes."""
    from babel.units import format_unit

    return format_unit(max(1, round(size / 1000)), "digital-kilobyte", "short", locale=lang)


def fill_sizes(html: str, sizes: Mapping[str, int], lang: str, pending: Container[str] = ()) -> str:
    """Put each download's size into its slot; a slot for an unknown file raises KeyError.

    A file still being written (``pending``, under ``mkdocs serve``) gets no size yet.
    """

    def size(match: re.Match[str]) -> str:
        if match.group(1) in pending:
            return '<span class="playbook-size"></span>'
        return f'<span class="playbook-size">{escape(file_size(sizes[match.group(1)], lang))}</span>'

    return SIZE_SLOT.sub(size, html)


#: The partials the PDF is rendered from (their bytes are part of the cache key).
PDF_PARTIALS = ("worksheet-document.html", "worksheet-preview.html")

#: Mark of the cache key whose texts passed the PDF font check.
GLYPHS_CHECKED = "glyphs-checked"


@dataclass
class Session:
    """What the downloads keep between the events of one ``mkdocs build`` or ``mkdocs serve`` run.

    static-i18n builds every language in one run and ``serve`` rebuilds on every edit: the cache
    (reset by :meth:`configure` whenever an input changes) and the worker pool live across those
    builds and die with the run (:meth:`close`).
    """

    cache: DownloadCache = field(default_factory=DownloadCache)
    writer: BackgroundWriter = field(default_factory=BackgroundWriter)
    #: Processes that write missing downloads (``PLAYBOOK_BUILD_WORKERS``, default: every usable CPU).
    workers: int = 1
    #: The project's overrides folder: the PDF is rendered from its partials.
    overrides: Path = Path("overrides")
    #: ``mkdocs serve``: pages never wait for downloads (see :meth:`plan`).
    background: bool = False
    #: Under serve, the folder whose file :meth:`written` touches once background files are done;
    #: the server watches it (hooks/downloads.py ``on_serve``) and rebuilds.
    ready: Path | None = None
    #: Whether this build gave a file being written its stand-in bytes (reset in :meth:`configure`).
    stand_ins: bool = False
    #: The catalog (the same object while the data is unchanged) and date ``cache.versions`` are for.
    _versions_of: tuple[Catalog, dt.datetime] | None = None

    def configure(self, data_dir: Path, cache_dir: Path, environ: Mapping[str, str]) -> None:
        """Read the settings of this build; drop cached downloads if any input changed.

        Raises FontMissingError without the PDF font and ValueError for a bad worker count.
        """
        font = pdf.find_font()
        self.workers = workers(environ)
        self.overrides = data_dir.parent / "overrides"
        self.cache.directory = cache_dir
        self.ready = cache_dir.with_name(cache_dir.name + "-ready")
        self.stand_ins = False
        partials = [self.overrides / "partials" / name for name in PDF_PARTIALS]
        # Not the data: each file is keyed on its own view (see plan), so a data edit to one
        # template writes that template's files only.
        self.cache.reset(cache_key("", views_.build_date(environ), font.files, partials))

    def check_glyphs(self, catalog: Catalog, date: dt.datetime) -> None:
        """Check that the PDF font can show every text, once per input version (GlyphMissingError)."""
        if self.cache.has_mark(GLYPHS_CHECKED):
            return  # checked in an earlier language build of this run
        pdf.check_glyphs(all_texts(catalog, date), pdf.find_font())
        self.cache.mark(GLYPHS_CHECKED)

    def plan(self, catalog: Catalog, lang: str, date: dt.datetime) -> dict[str, bytes | Path]:
        """Start writing what the cache lacks and return ``lang``'s downloads (see :func:`plan_downloads`)."""
        try:
            with self.writer.lock:
                # Once per data version, not once per language build: the loaded catalog is shared.
                if self._versions_of is None or self._versions_of[0] is not catalog or self._versions_of[1] != date:
                    self.cache.versions, self._versions_of = versions(catalog, date), (catalog, date)
                font = Assets(pdf.find_font(), self.overrides)
                on_written = self.written if self.background else None
                self.writer.start(catalog, date, font, self.cache, self.workers, on_written)
                planned = plan_downloads(catalog, lang, date, font, self.cache, self.writer, self.background)
                self.stand_ins = self.stand_ins or (self.background and bool(self.writer.pending))
                return planned
        except pdf.GlyphMissingError:
            self.writer.close(cancel=True)
            raise

    def collect(self, lang: str) -> None:
        """Wait for ``lang``'s files from the workers and put them in the cache (not under serve)."""
        if not self.background:
            self.writer.finish(lang, self.cache)

    def watched(self) -> None:
        """The server watches :attr:`ready` now: if the files were done before, rebuild now."""
        with self.writer.lock:
            if self.stand_ins and not self.writer.pending:
                self.written()

    def written(self) -> None:
        """Background files are all done: touch the watched file, so the server rebuilds."""
        if self.ready is not None:
            self.ready.mkdir(parents=True, exist_ok=True)
            (self.ready / "written").write_text(f"{time.time_ns()}\n", encoding="utf-8")

    def sizes(self, lang: str, default: str, catalog: Catalog) -> dict[str, int]:
        """Bytes of each of ``lang``'s downloads, by path below the site root (after :meth:`collect`)."""
        out = {}
        with self.writer.lock:
            for name in stems(catalog):
                for ext in FORMATS:
                    size = self.cache.size(lang, name, ext)
                    if size is not None:
                        out[download_uri(lang, default, name, ext)] = size
        return out

    def pending(self, lang: str, default: str, catalog: Catalog) -> set[str]:
        """Paths of ``lang``'s downloads still being written in the background (under serve)."""
        with self.writer.lock:
            return {
                download_uri(lang, default, name, ext)
                for name in stems(catalog)
                for ext in FORMATS
                if self.background and self.writer.is_pending(lang, name, ext)
            }

    def fill_sizes(self, html: str, lang: str, catalog: Catalog) -> str:
        """:func:`fill_sizes` with ``lang``'s files: their sizes, and the files still being written."""
        default = catalog.languages.default
        return fill_sizes(html, self.sizes(lang, default, catalog), lang, self.pending(lang, default, catalog))

    def close(self) -> None:
        """Stop the workers (after a failed build, or at the end of the run)."""
        self.writer.close(cancel=True)
