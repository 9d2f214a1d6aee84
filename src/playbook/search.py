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

import functools
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

#: How much lower Pagefind runs under ``mkdocs serve`` than the page build (``nice``).
BACKGROUND_NICE = 10
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
    """One run per language that has pages in ``site``."""
    codes = tuple(codes)
    return [run for code in codes if (run := language_run(site, code, codes, default)) is not None]


def language_run(site: Path, code: str, codes: Iterable[str], default: str) -> Run | None:
    """The run of one language, or None when ``site`` has no folder for it.

    The default language lives at the site root next to the other languages' folders, so its
    glob names the root's own HTML files and folders and leaves out the other languages.
    """
    folder = site / home(code, default)
    if not folder.is_dir():
        return None
    if code == default:
        skip = {c for c in codes if c != default} | {BUNDLE, "assets", "search", "downloads"}
        names = sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name not in skip)
        glob = "{" + ",".join(["*.html", *(f"{name}/**/*.html" for name in names)]) + "}"
    else:
        glob = "**/*.html"
    return Run(code, folder, glob, folder / BUNDLE)


def executable() -> str:
    """Path of the Pagefind binary shipped in the ``pagefind_bin_extended`` wheel."""
    import pagefind_bin_extended  # the extended build: Japanese segmentation, more stemmers

    return str(pagefind_bin_extended.get_executable())


def index_site(site: Path, codes: Iterable[str], default: str, binary: str | None = None) -> list[Path]:
    """Write one Pagefind bundle per language into ``site`` (all at once); return the bundle folders."""
    indexer = Indexer(binary)
    for run in runs(site, codes, default):
        indexer.start(run)
    return indexer.finish()


class Indexer:
    """Pagefind runs started one by one, as each language's pages are written, and awaited together.

    Pagefind needs about two seconds for Japanese (loading its dictionary), a tenth of that for
    the others: started as soon as a language is built, it runs while the next languages build.
    """

    def __init__(self, binary: str | None = None, background: bool = False) -> None:
        """No run yet; ``binary`` defaults to the extended Pagefind of the installed wheel.

        ``background`` (``mkdocs serve``): :meth:`finish` returns at once and a thread waits for
        the runs (:meth:`join` waits for that thread).
        """
        self.binary = binary
        self.background = background
        self.running: list[tuple[Run, subprocess.Popen[str]]] = []
        self._waiting: threading.Thread | None = None

    def start(self, run: Run) -> None:
        """Start Pagefind for ``run`` (its old bundle is removed first)."""
        self.binary = self.binary or executable()
        shutil.rmtree(run.output, ignore_errors=True)
        process = subprocess.Popen(
            run.command(self.binary),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            # In the background (serve) Pagefind runs niced: the page build keeps its CPU.
            preexec_fn=functools.partial(os.nice, BACKGROUND_NICE) if self.background else None,  # noqa: PLW1509
        )
        self.running.append((run, process))

    @property
    def started(self) -> set[str]:
        """Languages whose run is going (not yet awaited by :meth:`finish`)."""
        return {run.language for run, _ in self.running}

    def finish(self, report: Callable[[str], object] | None = None) -> list[Path]:
        """Wait for every run; return the bundles, or raise SearchError for the first that failed.

        In the background, return no bundles at once; a thread waits and hands a failure's
        message to ``report``.
        """
        running, self.running = self.running, []
        if self.background:
            self.join()
            self._waiting = threading.Thread(target=self._wait, args=(running, report), daemon=True)
            self._waiting.start()
            return []
        return self._wait(running)

    def join(self) -> None:
        """Wait for the runs handed to the background, if any."""
        if self._waiting is not None:
            self._waiting.join()
            self._waiting = None

    @staticmethod
    def _wait(
        running: list[tuple[Run, subprocess.Popen[str]]], report: Callable[[str], object] | None = None
    ) -> list[Path]:
        failed = []
        for run, process in running:
            output, _ = process.communicate()
            if process.returncode != 0 or not (run.output / "pagefind.js").is_file():
                failed.append(
                    f"Pagefind could not index the {run.language!r} pages in {run.site} "
                    f"(exit {process.returncode}):\n{output}".rstrip()
                )
            for name in UNUSED:
                (run.output / name).unlink(missing_ok=True)
        if failed and report is not None:
            report(failed[0])
        elif failed:
            raise SearchError(failed[0])
        return [run.output for run, _ in running]
