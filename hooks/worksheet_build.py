"""Which downloads exist, where they live, and their bytes (pure: never imports mkdocs).

A download is ``<id>.<ext>`` (blank template) or ``<id>-example.<ext>`` (filled with the worked
example) for every template, format and language. The default language's files sit at the site
root (``downloads/...``) because static-i18n serves that language there; the others under
``<lang>/downloads/...``. :class:`DownloadCache` keeps the bytes of one data version so that a
Markdown edit under ``mkdocs serve`` does not rebuild every file; a data edit clears it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import worksheet_docx
import worksheet_pdf
import worksheet_render
import worksheet_xlsx
from worksheet_data import Catalog
from worksheet_render import FORMATS, VARIANTS, WorksheetView

#: Marker names of the ``ws:`` namespace (documented in docs/en/contributing/conventions.md).
MARKER_NAMES = ("preview", "download")

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
    """Bytes of every download for one input version; anything else is dropped, so it never grows."""

    key: str = ""
    entries: dict[tuple[str, str, str], bytes] = field(default_factory=dict)

    def reset(self, key: str) -> None:
        """Forget everything unless ``key`` (the inputs' digest) is unchanged."""
        if key != self.key:
            self.key, self.entries = key, {}

    def get(self, lang: str, stem: str, ext: str, make: Callable[[], bytes]) -> bytes:
        """Return cached bytes, making them on first use."""
        entry = (lang, stem, ext)
        if entry not in self.entries:
            self.entries[entry] = make()
        return self.entries[entry]


def cache_key(data_digest: str, date: dt.datetime, font: Path) -> str:
    """Everything the bytes depend on besides the code: data, build date, font file."""
    stat = font.stat()
    return f"{data_digest}:{date.isoformat()}:{font}:{stat.st_size}:{stat.st_mtime_ns}"


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


def render_downloads(
    catalog: Catalog, lang: str, date: dt.datetime, font: Path, cache: DownloadCache | None = None
) -> dict[str, bytes]:
    """Every download for ``lang``: {path below the docs dir: bytes}."""
    default = catalog.languages.default
    out: dict[str, bytes] = {}
    for stem, view in worksheet_render.views(catalog, lang, date).items():
        for ext in FORMATS:

            def make(view: WorksheetView = view, ext: str = ext) -> bytes:
                return WRITERS[ext](view, font)

            data = cache.get(lang, stem, ext, make) if cache is not None else make()
            out[download_uri(lang, default, stem, ext)] = data
    return out
