"""Issue #13's benchmark: the cold build of all 120 downloads and a one-template data edit under serve.

    .venv/bin/python bench/downloads.py [--runs 3] [--edits 4]

Each in a temporary copy of the project (the repository is never touched); prints the lines of
the issue #13 section of bench/results.md (paste them there, with the date):

* the writers alone, one process: seconds per format for all 120 files (where the time goes);
* a strict cold build (``.cache/`` deleted first: every download written, the data checked), with
  the default worker processes and with one;
* ``mkdocs serve``: seconds from changing a label of one template in all four languages
  (``data/worksheets/sales-marketing-sla.yml``: its page in every language and its 40 files
  change) to the log's first "Reloading browsers" (the page shows the edit; the pages never
  wait for downloads under serve) and to the next (the rebuilt files are in the site).

Goals (issue #13): the cold build at most 10 s; the one-template edit visible within 3 s.
The load average is printed before and after: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playbook.cli import bench
from playbook.cli.bench import timed_build
from playbook.data.languages import load_languages
from playbook.project import copy_project, find_root
from playbook.templates import downloads, model, view
from playbook.templates.writers import pdf

TEMPLATE = Path("data/worksheets/sales-marketing-sla.yml")
#: The label the serve benchmark edits: shown on the template page and in all 40 of its files.
LABEL = re.compile(r"label: \{en: Marketing team, de: Marketingteam, ja: マーケティングチーム, id: Tim pemasaran\}")
LABEL_EDITED = (
    "label: {{en: Marketing team {n}, de: Marketingteam {n}, ja: マーケティングチーム{n}, id: Tim pemasaran {n}}}"
)


def load() -> str:
    """The load average over 1, 5 and 15 minutes."""
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def cold_builds(project: Path, runs: int, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Median wall seconds and median CPU seconds (user + system, every process) of cold builds.

    The CPU seconds move little with the machine's load: on an idle 2-CPU machine a build takes
    at least half of them, however its work is split.
    """
    walls, cpus = [], []
    for _ in range(runs):
        shutil.rmtree(project / ".cache", ignore_errors=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        walls.append(timed_build(project, env=env))
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def writers(root: Path) -> dict[str, float]:
    """CPU seconds per format to write every language's files in this process (imports excluded)."""
    data = root / "data"
    catalog = model.load_catalog(data, load_languages(data))
    date = view.build_date({"SOURCE_DATE_EPOCH": "1767225600"})
    assets = downloads.Assets(pdf.find_font(), root / "overrides")
    views = [v for lang in catalog.languages.codes for _, v in view.views(catalog, lang, date).items()]
    seconds = {}
    for ext, writer in downloads.WRITERS.items():
        writer(views[0], assets)  # imports and font loading out of the figure
        start = time.process_time()
        for worksheet in views:
            writer(worksheet, assets)
        seconds[ext] = time.process_time() - start
    return seconds


def serve_edits(project: Path, edits: int) -> list[tuple[float, float]]:
    """Per edit of a label of the SLA (in all four languages): seconds to the page, seconds to the files.

    The first "Reloading browsers" after the edit is the page showing the new label (under serve
    the pages do not wait for downloads); the next one is the rebuild that puts the 40 rewritten
    files (8 of each format) into the site, once they are written in the background.
    """
    path = project / TEMPLATE
    original = path.read_text(encoding="utf-8")

    def edit(n: int) -> None:
        text = LABEL.sub(lambda _: LABEL_EDITED.format(n=n + 1), original, count=1)
        if text == original:
            raise RuntimeError(f"{TEMPLATE}: the Marketing team label is not where this benchmark edits it")
        path.write_text(text, encoding="utf-8")

    return [(page, files) for page, files in bench.serve_edits(project, edit, edits, reloads=2)]


def main(argv: list[str] | None = None) -> int:
    """Run the measurements and print the lines for bench/results.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--edits", type=int, default=4)
    args = parser.parse_args(argv)
    root = find_root(Path.cwd())
    lines = [f"- load average (1/5/15 min) at the start: {load()}"]
    per_format = writers(root)
    total = sum(per_format.values())
    lines.append(
        "- writers alone, one process, all 120 files (CPU seconds): "
        + ", ".join(f"{ext} {s:.2f} s" for ext, s in per_format.items())
        + f"; total {total:.2f} s"
    )
    with tempfile.TemporaryDirectory(prefix="bench13-") as tmp:
        base = copy_project(Path(tmp) / "build", root)
        cold, cold_cpu = cold_builds(base, args.runs)
        serial, serial_cpu = cold_builds(base, args.runs, env={"PLAYBOOK_BUILD_WORKERS": "1"})
        lines.append(
            f"- strict cold build (median of {args.runs}): {cold:.2f} s ({cold_cpu:.2f} s CPU) with "
            f"{downloads.workers({})} writer processes, {serial:.2f} s ({serial_cpu:.2f} s CPU) with one"
        )
        serve = copy_project(Path(tmp) / "serve", root)
        edits = serve_edits(serve, args.edits)
        pages, files = [p for p, _ in edits], [f for _, f in edits]
        lines.append(
            "- one-template edit under `mkdocs serve` (a label of the SLA in 4 languages; 40 files): page reloaded "
            + ", ".join(f"{s:.2f}" for s in pages)
            + f" s, median {statistics.median(pages):.2f} s; files in place "
            + ", ".join(f"{s:.2f}" for s in files)
            + f" s, median {statistics.median(files):.2f} s"
        )
    lines.append(f"- load average at the end: {load()}")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
