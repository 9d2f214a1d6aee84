"""Search per language with Pagefind, run over the built site (pure: never imports mkdocs).

Pagefind's extended build segments Japanese and stems German, Indonesian and English. It is
run once per language over that language's pages only, so every language gets a bundle of its
own (``pagefind/`` at the site root for the default language, ``de/pagefind/`` ...), and a reader
can never get results in another language: a bundle holds one language whatever Pagefind's
language detection does inside a web worker (where there is no ``<html lang>`` to read).

Only pages that mark their text with ``data-pagefind-body`` (``overrides/main.html`` does, the
404 page does not) are indexed. Pagefind's own UI files are deleted: the site keeps Material's
search box and results and talks to ``pagefind.js`` from ``overrides/partials/search-worker.html``.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

#: The bundle folder inside each language's home folder.
BUNDLE = "pagefind"
#: Inside the indexed text but not text: heading permalinks (the "¶") and the edit button.
EXCLUDE = (".headerlink", ".md-content__button")
#: Pagefind writes these user-interface files too; Material's search box replaces them.
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
)


class SearchError(RuntimeError):
    """Pagefind failed; the message says which language and what Pagefind printed."""


@dataclass(frozen=True)
class Run:
    """One Pagefind run: the folder it reads, which files, and where the bundle goes."""

    language: str
    site: Path
    glob: str
    output: Path

    def command(self, executable: str) -> list[str]:
        """The Pagefind command line for this run."""
        return [
            executable,
            "--site",
            str(self.site),
            "--glob",
            self.glob,
            "--output-path",
            str(self.output),
            "--exclude-selectors",
            ", ".join(EXCLUDE),
            "--quiet",
        ]


def home(code: str, default: str) -> str:
    """A language's home folder relative to the site root (``""`` for the default language)."""
    return "" if code == default else f"{code}/"


def runs(site: Path, codes: Iterable[str], default: str) -> list[Run]:
    """One run per language that has pages in ``site``.

    The default language lives at the site root next to the other languages' folders, so its
    glob names the root's own HTML files and folders and leaves out the other languages.
    """
    codes = tuple(codes)
    out: list[Run] = []
    for code in codes:
        folder = site / home(code, default)
        if not folder.is_dir():
            continue
        if code == default:
            skip = {c for c in codes if c != default} | {BUNDLE, "assets", "search", "downloads"}
            names = sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name not in skip)
            glob = "{" + ",".join(["*.html", *(f"{name}/**/*.html" for name in names)]) + "}"
        else:
            glob = "**/*.html"
        out.append(Run(code, folder, glob, folder / BUNDLE))
    return out


def executable() -> str:
    """Path of the Pagefind binary shipped in the ``pagefind_bin_extended`` wheel."""
    import pagefind_bin_extended  # the extended build: Japanese segmentation, more stemmers

    return str(pagefind_bin_extended.get_executable())


def index_site(site: Path, codes: Iterable[str], default: str, binary: str | None = None) -> list[Path]:
    """Write one Pagefind bundle per language into ``site``; return the bundle folders."""
    binary = binary or executable()
    written: list[Path] = []
    for run in runs(site, codes, default):
        shutil.rmtree(run.output, ignore_errors=True)
        done = subprocess.run(run.command(binary), capture_output=True, text=True, check=False)
        if done.returncode != 0 or not (run.output / "pagefind.js").is_file():
            raise SearchError(
                f"Pagefind could not index the {run.language!r} pages in {run.site} "
                f"(exit {done.returncode}):\n{done.stdout}{done.stderr}".rstrip()
            )
        for name in UNUSED:
            (run.output / name).unlink(missing_ok=True)
        written.append(run.output)
    return written
