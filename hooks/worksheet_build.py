"""Which downloads exist, where they live, and their bytes (pure: never imports mkdocs).

A download is ``<id>.<ext>`` (blank template) or ``<id>-example.<ext>`` (filled with the worked
example) for every template, format and language. The default language's files sit at the site
root (``downloads/...``) because static-i18n serves that language there; the others under
``<lang>/downloads/...``. :class:`DownloadCache` keeps the bytes of one input version (in memory,
and on disk in ``.cache/downloads/``) so that a Markdown edit under ``mkdocs serve`` or a second
build does not write every file again; a data or code edit changes the key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import worksheet_docx
import worksheet_pdf
import worksheet_render
import worksheet_xlsx
from worksheet_data import Catalog
from worksheet_render import FORMATS, VARIANTS, WorksheetView

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

#: Marker names of the ``ws:`` namespace (documented in docs/en/contributing/conventions.md).
MARKER_NAMES = ("preview", "download")

# The writers import python-docx, openpyxl and fpdf2 (~0.2 s together) only when a file is really
# written, so a build whose downloads all come from the cache never loads them.
WRITERS: dict[str, Callable[[WorksheetView, Path], bytes]] = {
    "docx": lambda view, _font: worksheet_docx.to_docx(view),
    "xlsx": lambda view, _font: worksheet_xlsx.to_xlsx(view),
    "pdf": worksheet_pdf.to_pdf,
    "md": lambda view, _font: worksheet_render.to_markdown(view),
    "csv": lambda view, _font: worksheet_render.to_csv(view),
}


def download_uri(lang: str, default: str, stem: str, ext: str) -> str:
    """Return the download's path below the site root, as static-i18n lays out each language."""
    prefix = "" if lang == default else f"{lang}/"
    return f"{prefix}downloads/{stem}.{ext}"


@dataclass
class DownloadCache:
    """Bytes of every download for one input version; anything else is dropped, so it never grows.

    With a ``directory`` the bytes are also kept on disk under ``<directory>/<key>/``, the way
    Material's social plugin keeps its cards in ``.cache/``: a later build with the same inputs
    (data, build date, font, writer code, library versions: see :func:`cache_key`) reads them
    instead of writing 120 office files again. Folders of other keys are removed on reset.
    """

    key: str = ""
    entries: dict[tuple[str, str, str], bytes] = field(default_factory=dict)
    directory: Path | None = None
    marks: set[str] = field(default_factory=set)

    def reset(self, key: str) -> None:
        """Forget everything unless ``key`` (the inputs' digest) is unchanged."""
        if key != self.key:
            self.key, self.entries, self.marks = key, {}, set()
            if self.directory is not None and self.directory.is_dir():
                for stale in self.directory.iterdir():
                    if stale.name != key and stale.is_dir():
                        shutil.rmtree(stale, ignore_errors=True)

    def has(self, lang: str, stem: str, ext: str) -> bool:
        """Whether the bytes are at hand (in memory or in the cache folder) without making them."""
        path = self.path(lang, stem, ext)
        return (lang, stem, ext) in self.entries or (path is not None and path.is_file())

    def put(self, lang: str, stem: str, ext: str, data: bytes) -> None:
        """Keep bytes made elsewhere (another process) as if :meth:`get` had made them."""
        self.entries[(lang, stem, ext)] = self._store((lang, stem, ext), data)

    def get(self, lang: str, stem: str, ext: str, make: Callable[[], bytes]) -> bytes:
        """Return cached bytes, making them on first use."""
        entry = (lang, stem, ext)
        if entry not in self.entries:
            self.entries[entry] = self._load(entry) or self._store(entry, make())
        return self.entries[entry]

    def mark(self, name: str) -> None:
        """Record that a check named ``name`` passed for this key (in memory and on disk)."""
        self.marks.add(name)
        if self.directory is not None and self.key:
            path = self.directory / self.key / f"{name}.ok"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()

    def has_mark(self, name: str) -> bool:
        """Whether :meth:`mark` recorded ``name`` for this key, in this process or an earlier build."""
        if name not in self.marks and self.directory is not None and self.key:
            if (self.directory / self.key / f"{name}.ok").is_file():
                self.marks.add(name)
        return name in self.marks

    def path(self, lang: str, stem: str, ext: str) -> Path | None:
        """Where the file is kept on disk (None without a cache folder)."""
        if self.directory is None or not self.key:
            return None
        return self.directory / self.key / lang / f"{stem}.{ext}"

    def _load(self, entry: tuple[str, str, str]) -> bytes | None:
        path = self.path(*entry)
        return path.read_bytes() if path is not None and path.is_file() else None

    def _store(self, entry: tuple[str, str, str], data: bytes) -> bytes:
        path = self.path(*entry)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(path.suffix + ".partial")
            partial.write_bytes(data)
            partial.replace(path)  # atomic: a killed build never leaves half a file behind
        return data


#: Libraries whose output ends up in the downloads' bytes.
_WRITER_LIBRARIES = ("python-docx", "openpyxl", "fpdf2", "fonttools", "babel")


def cache_key(data_digest: str, date: dt.datetime, font: Path) -> str:
    """Digest of everything the bytes depend on: data, build date, font, writer code and versions."""
    digest = hashlib.sha256(f"{data_digest}\n{date.isoformat()}\n".encode())
    stat = font.stat()
    digest.update(_font_digest(str(font), stat.st_size, stat.st_mtime_ns).encode())
    digest.update(_writers_digest().encode())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def _writers_digest() -> str:
    """Hash of the writer code and library versions, once per process (the code it runs)."""
    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("worksheet_*.py")):
        digest.update(module.name.encode() + module.read_bytes())
    for name in _WRITER_LIBRARIES:
        digest.update(f"{name}=={metadata.version(name)}".encode())
    return digest.hexdigest()


@lru_cache(maxsize=4)
def _font_digest(font: str, _size: int, _mtime_ns: int) -> str:
    """Hash of the font's bytes (megabytes: hashed once per process; size and mtime in the key)."""
    return hashlib.sha256(Path(font).read_bytes()).hexdigest()


def parse_marker(name: str, argument: str, catalog: Catalog) -> tuple[str, str, tuple[str, ...]]:
    """Read ``ws:<name> <id> [blank|example]`` (default blank) into (name, id, variants); KeyError says why not."""
    if name not in MARKER_NAMES:
        raise KeyError(f"unknown marker ws:{name}; known: {', '.join(f'ws:{n}' for n in MARKER_NAMES)}")
    words = argument.split()
    if not words or words[0] not in catalog.worksheets:
        raise KeyError(
            f"expected a template id after ws:{name}, found {argument!r}; "
            f"known: {', '.join(sorted(catalog.worksheets))}"
        )
    if len(words) > 2 or (len(words) == 2 and words[1] not in VARIANTS):
        raise KeyError(f"after the id write nothing, 'blank' or 'example', found {' '.join(words[1:])!r}")
    if len(words) == 2:
        return name, words[0], (words[1],)
    return name, words[0], ("blank",)


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
        for view in worksheet_render.views(catalog, lang, date).values()
        for text in worksheet_render.texts(view)
    ]


def pdf_font(catalog: Catalog, date: dt.datetime, font: Path, cache: DownloadCache) -> Path:
    """The font the PDFs embed: a subset kept with the cached downloads, or ``font`` without a cache."""
    if cache.directory is None or not cache.key:
        return font
    subset = cache.directory / cache.key / "pdf-font.ttf"
    return subset if subset.is_file() else worksheet_pdf.subset_font(font, all_texts(catalog, date), subset)


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

    A fresh clone, or any change to the data, writes all 120 files: about three seconds of work
    on one core, mostly PDF layout. Each file depends only on its view and the font, so the first
    language build hands every language's missing files to worker processes (``spawn``: nothing of
    MkDocs' state is inherited) and goes on converting pages; each language build collects its own
    files in ``on_env``, just before MkDocs copies them into the site. The bytes are the same as
    when the build process writes them itself (one process, or nothing to do in parallel).
    """

    def __init__(self) -> None:
        """No pool until there is work for one."""
        self.pool: ProcessPoolExecutor | None = None
        self.pending: dict[tuple[str, str, str], Future[bytes]] = {}

    def start(self, catalog: Catalog, date: dt.datetime, font: Path, cache: DownloadCache, processes: int) -> int:
        """Hand every language's files the cache lacks to ``processes`` workers; return how many."""
        codes = sorted(catalog.languages.codes, key=lambda code: code != catalog.languages.default)
        missing = [
            (lang, name, ext)
            for lang in codes  # the default language is built first: its files are needed first
            for ext in _BY_COST
            for name in stems(catalog)
            if (lang, name, ext) not in self.pending and not cache.has(lang, name, ext)
        ]
        if processes < 2 or len(missing) < 2 or cache.directory is None or not cache.key:
            return 0
        todo = [(lang, name, ext, worksheet_render.views(catalog, lang, date)[name]) for lang, name, ext in missing]
        # A spawned worker starts with the parent's sys.path; MkDocs loads hooks by path and takes
        # their folder off sys.path again, so it is put back while the workers start.
        hooks_dir = str(Path(__file__).resolve().parent)
        added = hooks_dir not in sys.path
        if added:
            sys.path.insert(0, hooks_dir)
        try:
            if self.pool is None:
                import multiprocessing  # only a cold build needs workers
                from concurrent.futures import ProcessPoolExecutor

                self.pool = ProcessPoolExecutor(min(processes, len(todo)), multiprocessing.get_context("spawn"))
            for lang, stem, ext, view in todo:
                self.pending[(lang, stem, ext)] = self.pool.submit(_write, view, ext, font)
        finally:
            if added:
                sys.path.remove(hooks_dir)
        return len(todo)

    def is_pending(self, lang: str, stem: str, ext: str) -> bool:
        """Whether a worker is (or will be) writing this file."""
        return (lang, stem, ext) in self.pending

    def finish(self, lang: str, cache: DownloadCache) -> None:
        """Wait for ``lang``'s files and put them in the cache; re-raises what a worker raised."""
        try:
            for entry in [e for e in self.pending if e[0] == lang]:
                cache.put(*entry, self.pending.pop(entry).result())
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


def _write(view: WorksheetView, ext: str, font: Path) -> bytes:
    """Write one download (in a worker process)."""
    return WRITERS[ext](view, font)


def plan_downloads(
    catalog: Catalog,
    lang: str,
    date: dt.datetime,
    font: Path,
    cache: DownloadCache,
    writer: BackgroundWriter | None = None,
) -> dict[str, bytes | Path]:
    """Every download for ``lang``: {path below the docs dir: its bytes, or its file in the cache}.

    Files already in the cache folder are returned as paths (MkDocs copies them; nothing is read
    here), and so are files ``writer`` is writing: :meth:`BackgroundWriter.finish` puts them there
    before MkDocs copies them. The rest are written here, one by one.
    """
    default = catalog.languages.default
    out: dict[str, bytes | Path] = {}
    for name in stems(catalog):
        for ext in FORMATS:
            uri = download_uri(lang, default, name, ext)
            path = cache.path(lang, name, ext)
            if path is not None and ((writer is not None and writer.is_pending(lang, name, ext)) or path.is_file()):
                out[uri] = path
                continue

            def make(name: str = name, ext: str = ext) -> bytes:
                return WRITERS[ext](worksheet_render.views(catalog, lang, date)[name], font)

            out[uri] = cache.get(lang, name, ext, make)
    return out


def stems(catalog: Catalog) -> list[str]:
    """Every download's name without extension, in the order of :func:`worksheet_render.views`."""
    return [stem(sheet_id, variant) for sheet_id in sorted(catalog.worksheets) for variant in VARIANTS]
