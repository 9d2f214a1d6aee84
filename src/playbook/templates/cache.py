"""The download cache: the bytes of every download, kept per file so only what changed is written (pure).

A download depends on its own view (one template in one language: its data, the labels, the
language's paper, the edition) and on what every download shares: the build date, the font, the
PDF partials, the writer code and the writer libraries' versions (:func:`cache_key`).
:class:`DownloadCache` keeps the files of one shared key in memory and in
``<project>/.cache/downloads/<key>/<lang>/<stem>.<version>.<ext>``, where ``version`` is the
digest of that file's view (:func:`view_version`): a data edit to one template changes only that
template's versions, so a later build writes its files again and copies every other one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

#: The template code (model, view, writers): the bytes depend on it.
TEMPLATES_DIR = Path(__file__).resolve().parent


@dataclass
class DownloadCache:
    """Bytes of every download for one input version; anything else is dropped, so it never grows.

    With a ``directory`` the bytes are also kept on disk under ``<directory>/<key>/``, the way
    Material's social plugin keeps its cards in ``.cache/``: a later build with the same inputs
    (data, build date, font, writer code, library versions: see :func:`cache_key`) reads them
    instead of writing 120 office files again. Folders of other keys are removed on reset.
    """

    key: str = ""
    entries: dict[tuple[str, str, str, str], bytes] = field(default_factory=dict)
    directory: Path | None = None
    marks: set[str] = field(default_factory=set)
    #: The digest of each (language, stem)'s view (:func:`view_version`); set before files are asked for.
    versions: dict[tuple[str, str], str] = field(default_factory=dict)

    def reset(self, key: str) -> None:
        """Forget everything unless ``key`` (the inputs' digest) is unchanged."""
        if key != self.key:
            self.key, self.entries, self.marks = key, {}, set()
            if self.directory is not None and self.directory.is_dir():
                for stale in self.directory.iterdir():
                    if stale.name != key and stale.is_dir():
                        shutil.rmtree(stale, ignore_errors=True)

    def _entry(self, lang: str, stem: str, ext: str, version: str | None = None) -> tuple[str, str, str, str]:
        return (lang, stem, ext, self.versions.get((lang, stem), "") if version is None else version)

    def version(self, lang: str, stem: str) -> str:
        """The digest of the file's view in this build ("" when none is set)."""
        return self.versions.get((lang, stem), "")

    def has(self, lang: str, stem: str, ext: str) -> bool:
        """Whether the bytes are at hand (in memory or in the cache folder) without making them."""
        path = self.path(lang, stem, ext)
        return self._entry(lang, stem, ext) in self.entries or (path is not None and path.is_file())

    def put(self, lang: str, stem: str, ext: str, data: bytes, version: str | None = None) -> None:
        """Keep bytes made elsewhere (another process) as if :meth:`get` had made them.

        ``version``: the view digest they were made from, when the build's may have moved on since
        (under ``mkdocs serve``); bytes of a version that is no longer the build's are dropped.
        """
        if version is not None and version != self.version(lang, stem):
            return
        self.entries[self._entry(lang, stem, ext)] = self._store(lang, stem, ext, data)

    def previous(self, lang: str, stem: str, ext: str) -> bytes | None:
        """The bytes of an earlier version of the file still in the cache folder, if any."""
        path = self.path(lang, stem, ext)
        if path is None or not path.parent.is_dir():
            return None
        older = sorted(p for p in path.parent.glob(f"{stem}.*.{ext}") if p != path)
        return older[0].read_bytes() if older else None

    def get(self, lang: str, stem: str, ext: str, make: Callable[[], bytes]) -> bytes:
        """Return cached bytes, making them on first use."""
        entry = self._entry(lang, stem, ext)
        if entry not in self.entries:
            self.entries[entry] = self._load(lang, stem, ext) or self._store(lang, stem, ext, make())
        return self.entries[entry]

    def size(self, lang: str, stem: str, ext: str) -> int | None:
        """Bytes of a file at hand (None if it is not)."""
        entry = self.entries.get(self._entry(lang, stem, ext))
        if entry is not None:
            return len(entry)
        path = self.path(lang, stem, ext)
        return path.stat().st_size if path is not None and path.is_file() else None

    def mark(self, name: str) -> None:
        """Record that a check named ``name`` passed for this key (for this run only).

        A mark on disk for the next build saved 4% of a warm build's instructions (bench/caches.md),
        under the 5% a cache must save, so the check runs once per build run.
        """
        self.marks.add(name)

    def has_mark(self, name: str) -> bool:
        """Whether :meth:`mark` recorded ``name`` for this key in this run."""
        return name in self.marks

    def path(self, lang: str, stem: str, ext: str) -> Path | None:
        """Where the file is kept on disk (None without a cache folder)."""
        if self.directory is None or not self.key:
            return None
        version = self.versions.get((lang, stem))
        name = f"{stem}.{version}.{ext}" if version else f"{stem}.{ext}"
        return self.directory / self.key / lang / name

    def _load(self, lang: str, stem: str, ext: str) -> bytes | None:
        path = self.path(lang, stem, ext)
        return path.read_bytes() if path is not None and path.is_file() else None

    def _store(self, lang: str, stem: str, ext: str, data: bytes) -> bytes:
        path = self.path(lang, stem, ext)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(path.suffix + ".partial")
            partial.write_bytes(data)
            partial.replace(path)  # atomic: a killed build never leaves half a file behind
            for stale in path.parent.glob(f"{stem}.*.{ext}"):  # earlier versions of this file
                if stale != path:
                    stale.unlink(missing_ok=True)
        return data


#: Libraries whose output ends up in the downloads' bytes.
_WRITER_LIBRARIES = ("python-docx", "xlsxwriter", "weasyprint", "pydyf", "fonttools", "babel", "jinja2")


def view_version(view: object) -> str:
    """Digest of one download's view (its frozen dataclass, printed in full): equal views, equal files."""
    return hashlib.sha256(repr(view).encode()).hexdigest()[:16]


def cache_key(data_digest: str, date: dt.datetime, fonts: Iterable[Path], partials: Iterable[Path] = ()) -> str:
    """Digest of what every download shares: build date, fonts, partials, writer code and versions.

    ``data_digest`` is for callers that key on the data as a whole; the downloads pass ``""`` and
    key each file on its own view instead (:func:`view_version`).
    """
    digest = hashlib.sha256(f"{data_digest}\n{date.isoformat()}\n".encode())
    for partial in partials:
        digest.update(partial.name.encode() + (partial.read_bytes() if partial.is_file() else b"-"))
    for font in fonts:
        stat = font.stat()
        digest.update(_font_digest(str(font), stat.st_size, stat.st_mtime_ns).encode())
    digest.update(_writers_digest().encode())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def _writers_digest() -> str:
    """Hash of the writer code and library versions, once per process (the code it runs)."""
    digest = hashlib.sha256()
    for module in sorted(TEMPLATES_DIR.rglob("*.py")):
        digest.update(module.relative_to(TEMPLATES_DIR).as_posix().encode() + module.read_bytes())
    for name in _WRITER_LIBRARIES:
        digest.update(f"{name}=={metadata.version(name)}".encode())
    return digest.hexdigest()


@lru_cache(maxsize=8)
def _font_digest(font: str, _size: int, _mtime_ns: int) -> str:
    """Hash of the font's bytes (megabytes: hashed once per process; size and mtime in the key)."""
    return hashlib.sha256(Path(font).read_bytes()).hexdigest()
