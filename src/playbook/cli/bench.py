"""Benchmark the site build and record the results in bench/results.md (not a timed test).

    playbook bench              # all measurements, rewrites bench/results.md
    playbook bench --quick      # 1 run per build, smaller growth series

Measures, each in a temporary copy of the project (the repository is never touched):

* full strict build, all languages, with the hooks (downloads included) vs the same build
  without them (``hooks:`` removed, ``<!-- ns:name -->`` markers stripped, templates given
  empty ``ui`` strings by a one-line stub): the hooks' overhead;
* ``mkdocs serve``: time from editing one page to the log's "Reloading browsers";
* build time with 1x, 10x, 100x synthetic pages per language (how cost grows);
* first-view transfer size per page and search-index size per language (playbook page-weight).

Goals (issue 5): hooks add at most 25%; a one-page rebuild under 2 s; growth linear in pages.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from playbook.cli import page_weight
from playbook.project import build_env, copy_project, default_language, find_root, languages
from playbook.templates import downloads

MARKER = re.compile(r"^<!--\s*[a-z]+:[a-z0-9-]+[^>]*-->[ \t]*$", re.MULTILINE)
ENV = build_env()
MKDOCS = [sys.executable, "-m", "mkdocs"]
PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "mike", "pymdown-extensions", "Markdown", "Jinja2")


def machine() -> list[str]:
    """Describe the machine and the package versions the numbers depend on."""
    mem = (
        next(
            (line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")),
            "?",
        )
        if Path("/proc/meminfo").exists()
        else "?"
    )
    mem_gib = f"{int(mem) / 1024 / 1024:.1f} GiB" if mem != "?" else "?"
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in PACKAGES)
    return [
        f"- CPUs (nproc): {os.cpu_count()}; memory: {mem_gib}; {platform.platform()}",
        f"- Python {platform.python_version()} ({platform.python_implementation()})",
        f"- {versions}",
    ]


def timed_build(project: Path, strict: bool = True, env: dict[str, str] | None = None) -> float:
    """Seconds for one ``mkdocs build`` of ``project``; raises with the log if it fails."""
    args = [*MKDOCS, "build", "--site-dir", str(project / "site"), *(["--strict"] if strict else [])]
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=project, env={**ENV, **(env or {})}, capture_output=True, text=True, timeout=3600)
    elapsed = time.perf_counter() - start
    if proc.returncode:
        raise RuntimeError(f"build of {project} failed:\n{proc.stdout}{proc.stderr}")
    return elapsed


def median_build(
    project: Path, runs: int, strict: bool = True, cold: bool = False, env: dict[str, str] | None = None
) -> float:
    """Median of ``runs`` builds; ``cold`` empties the build caches (``.cache/``) before each."""
    times = []
    for _ in range(runs):
        if cold:
            shutil.rmtree(project / ".cache", ignore_errors=True)
        times.append(timed_build(project, strict, env))
    return statistics.median(times)


def instructions(project: Path, strict: bool = True) -> int | None:
    """CPU instructions of one build, counted by valgrind (None without valgrind).

    Unlike seconds, the count does not move with the machine's load: the same build gives the
    same number, so the ratio of two counts shows the hooks' own work without the noise.
    """
    if shutil.which("valgrind") is None:
        return None
    out = project / "callgrind.out"
    args = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *MKDOCS, "build"]
    args += ["--site-dir", str(project / "site"), *(["--strict"] if strict else [])]
    proc = subprocess.run(args, cwd=project, env=ENV, capture_output=True, text=True, timeout=3600)
    if proc.returncode:
        raise RuntimeError(f"valgrind build of {project} failed:\n{proc.stdout}{proc.stderr}")
    summary = re.search(r"^summary: (\d+)$", out.read_text(), re.MULTILINE)
    out.unlink()
    return int(summary.group(1)) if summary else None


def interleaved(with_hooks: Path, bare: Path, pairs: int) -> tuple[list[float], list[float]]:
    """Seconds of warm builds with hooks and of builds without, alternating one of each.

    The machine's speed drifts by 10% and more over a minute here; alternating the two builds lets
    both series see the same drift, so their ratio is steadier than two separate series.
    """
    hooked, plain = [], []
    for _ in range(pairs):
        hooked.append(timed_build(with_hooks))
        plain.append(timed_build(bare, strict=False))
    return hooked, plain


#: The one hook the baseline keeps: templates read ``ui`` strings, so give them empty ones.
UI_STUB = """import collections


def on_env(env, *, config, files):
    env.globals["ui"] = collections.defaultdict(str)
    return env
"""


def without_hooks(project: Path) -> None:
    """Replace the ``hooks:`` list with an empty-``ui`` stub and strip markers from the pages."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    stub = "hooks:\n  - hooks/bench_ui_stub.py\n\n"
    config.write_text(re.sub(r"^hooks:\n(?:  .*\n|\n(?=  ))*", stub, text, flags=re.MULTILINE), encoding="utf-8")
    (project / "hooks" / "bench_ui_stub.py").write_text(UI_STUB, encoding="utf-8")
    for page in (project / "docs").rglob("*.md"):
        page.write_text(MARKER.sub("", page.read_text(encoding="utf-8")), encoding="utf-8")


def add_synthetic_pages(project: Path, per_language: int) -> None:
    """Add ``per_language`` generated pages to every language and list them in the nav."""
    body = "\n\n".join(
        f"## Section {s}\n\nUpstream and downstream marketing, section {s}: demand, campaigns, "
        f"customers, budgets and channels. " * 3
        for s in range(1, 6)
    )
    names = [f"synthetic/page-{i:04d}.md" for i in range(per_language)]
    for code in languages(project):
        folder = project / "docs" / code / "synthetic"
        folder.mkdir(parents=True, exist_ok=True)
        for i, name in enumerate(names):
            (project / "docs" / code / name).write_text(f"# Synthetic page {i} ({code})\n\n{body}\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    nav = "".join(f"      - {n}\n" for n in names)
    config.write_text(config.read_text(encoding="utf-8").rstrip("\n") + f"\n  - Synthetic:\n{nav}", encoding="utf-8")


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_rebuild(project: Path, page: str, edits: int) -> list[float]:
    """Seconds from editing ``page`` to "Reloading browsers" under ``mkdocs serve``, per edit."""
    path = project / "docs" / page

    def edit(n: int) -> None:
        path.write_text(path.read_text(encoding="utf-8") + f"\n\nEdit {n}.\n", encoding="utf-8")

    return [first for first, *_ in serve_edits(project, edit, edits)]


def serve_edits(project: Path, edit: Callable[[int], None], edits: int, reloads: int = 1) -> list[list[float]]:
    """Under ``mkdocs serve``: per edit (``edit(n)`` writes the n-th), seconds to each of the next ``reloads`` reloads.

    The clock starts before ``edit`` and reads at each "Reloading browsers" that follows (a
    template edit brings two: the page, then the downloads written in the background). Raises
    if the server logged a warning or an error.
    """
    log = project / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [*MKDOCS, "serve", "--strict", "-a", f"127.0.0.1:{free_port()}"],
            cwd=project,
            env=ENV,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for(log, "Serving on", 0, timeout=600)
        # The pages come first; the downloads follow and bring a rebuild of their own.
        _wait_for(log, "Reloading browsers", 0, timeout=600)
        times = []
        for n in range(edits):
            _wait_quiet(log)
            seen = log.read_text().count("Reloading browsers")
            start = time.perf_counter()
            edit(n)
            marks = []
            for reload in range(reloads):
                _wait_for(log, "Reloading browsers", seen + reload, timeout=600)
                marks.append(time.perf_counter() - start)
            times.append(marks)
        text = log.read_text()
        if "ERROR" in text or "WARNING" in text:
            raise RuntimeError(f"mkdocs serve reported a problem:\n{text[-3000:]}")
        return times
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _wait_quiet(log: Path, quiet: float = 1.0, timeout: float = 600) -> None:
    """Wait until every rebuild the server started has finished and nothing changed for ``quiet`` s.

    Writing a file can show up as two changes (truncated, then written) to a fast poller, and the
    second starts one more rebuild; timing the next edit against that one would be wrong.
    """
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        text = log.read_text()
        state = (text.count("Detected file changes"), text.count("Reloading browsers"))
        if state != last:
            last, since = state, time.monotonic()
        elif state[0] <= state[1] and time.monotonic() - since >= quiet:
            return
        time.sleep(0.05)
    raise TimeoutError(f"mkdocs serve did not settle in {timeout}s:\n{log.read_text()[-3000:]}")


def _wait_for(log: Path, text: str, seen: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while log.read_text().count(text) <= seen:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {text!r} in {log} after {timeout}s:\n{log.read_text()[-3000:]}")
        time.sleep(0.02)


#: The build caches a file deletion can switch off: (cache, build it serves, what to delete, env).
#: Each variant's build is preceded by a warm build, so only what it deletes is missing.
CACHE_VARIANTS = (
    ("download cache: the 120 files in `.cache/downloads/<key>/`", "warm", ".cache/downloads", {}),
    ("background writer processes (vs `PLAYBOOK_BUILD_WORKERS=1`)", "cold", ".cache", {"PLAYBOOK_BUILD_WORKERS": "1"}),
)


def cache_section(project: Path, rounds: int) -> list[str]:
    """Warm and cold builds with each cache and without it, interleaved; results.md's lines.

    A cache stays only if it saves at least 5% of the build it serves (bench/caches.md has
    every cache and the decisions, including those measured by a code change).
    """
    baselines = {"warm": (None, {}), "cold": (".cache", {})}
    runs: dict[str, list[float]] = {name: [] for name in [*baselines, *(v[0] for v in CACHE_VARIANTS)]}
    for _ in range(rounds):
        for name, (delete, env) in [*baselines.items(), *((v[0], (v[2], v[3])) for v in CACHE_VARIANTS)]:
            timed_build(project)  # warm state first
            for path in project.glob(delete) if delete else ():
                shutil.rmtree(path) if path.is_dir() else path.unlink()
            runs[name].append(timed_build(project, env=env))
    median = {name: statistics.median(times) for name, times in runs.items()}
    lines = [
        "## Caches: what each one saves",
        "",
        f'Median of {rounds} builds each, interleaved; "without" deletes the cache (or sets the',
        "environment) right before the build. Kept only when it saves at least 5% of the build it",
        "serves; the decisions for every cache are in `bench/caches.md`.",
        "",
        "| cache | build | with (s) | without (s) | saves |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, serves, _delete, _env in CACHE_VARIANTS:
        with_it, without = median[serves], median[name]
        lines.append(f"| {name} | {serves} | {with_it:.2f} | {without:.2f} | {1 - with_it / without:.0%} |")
    return [*lines, ""]


def count_pages(project: Path) -> int:
    """Markdown pages across all languages."""
    return sum(1 for _ in (project / "docs").rglob("*.md"))


def run(quick: bool, root: Path) -> str:
    """Run every measurement on copies of ``root`` and return results.md's text."""
    runs = 1 if quick else 3
    series = (1, 5, 50) if quick else (5, 50, 500)
    lines = [
        "# Build benchmark",
        "",
        "Recorded by `playbook bench`"
        + (" --quick" if quick else "")
        + f" (median of {runs} run{'s' if runs > 1 else ''} per build). Regenerate after changes that",
        "may affect build speed or page weight; numbers are for this machine only.",
        "",
        "## Machine",
        "",
        *machine(),
        "",
    ]
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        base = copy_project(Path(tmp) / "with-hooks", root)
        cold_serial = median_build(base, runs, cold=True, env={"PLAYBOOK_BUILD_WORKERS": "1"})
        cold = median_build(base, runs, cold=True)
        timed_build(base)  # leaves warm caches behind
        weights = page_weight.measure(base / "site")
        bare = copy_project(Path(tmp) / "without-hooks", root)
        without_hooks(bare)
        timed_build(bare, strict=False)  # same start for both: files read once, bytecode compiled
        warm_runs, bare_runs = interleaved(base, bare, 1 if quick else 9)
        warm, no_hooks = statistics.median(warm_runs), statistics.median(bare_runs)
        warm_min, no_hooks_min = min(warm_runs), min(bare_runs)
        counted = None if quick else (instructions(base), instructions(bare, strict=False))
        lines += [
            "## Hooks overhead (full build, all languages)",
            "",
            "Cold: no `.cache/`, so the data is checked and every one of the 120 template files is",
            "written (a CI run, a fresh clone; a data edit rewrites the files too). Warm: `.cache/` holds",
            "the checked data and the files of the same inputs from an earlier build (a contributor's",
            "next build; any data, code or library change makes it cold again). Warm and no-hooks",
            f"builds alternate ({1 if quick else 9} of each) so both see the same machine speed.",
            "",
            "Seconds are medians; for the alternating pair also the fastest run of each (the run least",
            "disturbed by other load on the machine).",
            "",
            "| build | seconds | overhead vs no hooks (goal: at most +25%) |",
            "| --- | --- | --- |",
            f"| without hooks, markers stripped (non-strict: pages link to downloads) "
            f"| {no_hooks:.2f} (fastest {no_hooks_min:.2f}) | |",
            f"| strict, with hooks, warm caches | {warm:.2f} (fastest {warm_min:.2f}) "
            f"| {warm / no_hooks - 1:+.0%} (fastest runs: {warm_min / no_hooks_min - 1:+.0%}) |",
            f"| strict, with hooks, cold, files written by {downloads.workers({})} processes (default) "
            f"| {cold:.2f} | {cold / no_hooks - 1:+.0%} |",
            f"| strict, with hooks, cold, one process (`PLAYBOOK_BUILD_WORKERS=1`) "
            f"| {cold_serial:.2f} | {cold_serial / no_hooks - 1:+.0%} |",
            "",
        ]
        if counted and None not in counted:
            hooked_ir, plain_ir = counted
            lines += [
                "CPU instructions of one warm build with hooks and one without (valgrind callgrind; the",
                "same build always counts the same, so this ratio has none of the timing noise): "
                f"{hooked_ir:,} vs {plain_ir:,}, **{hooked_ir / plain_ir - 1:+.1%}**.",
                "",
            ]
        lines += cache_section(base, 1 if quick else 5)

        serve = copy_project(Path(tmp) / "serve", root)
        default = default_language(root)
        edits = serve_rebuild(serve, f"{default}/glossary.md", 2 if quick else 4)
        lines += [
            "## One-page edit under `mkdocs serve`",
            "",
            f'Edit `docs/{default}/glossary.md`, time until the log says "Reloading browsers": the '
            "server noticing the edit (polled every 0.1 s, hooks/serve_reload.py), reloading the "
            "config and rebuilding every language (static-i18n rebuilds all of them on any change).",
            "",
            "| edit | seconds |",
            "| --- | --- |",
            *[f"| {i + 1} | {t:.2f} |" for i, t in enumerate(edits)],
            f"| median | {statistics.median(edits):.2f} (goal: under 2 s) |",
            "",
        ]

        lines += [
            "## Growth with synthetic pages",
            "",
            f"Synthetic pages added to every language ({len(languages(root))} languages), strict build with hooks "
            "(warm download cache, so the table shows the cost of pages).",
            "",
            "| synthetic pages per language | pages in all | seconds | ms per page |",
            "| --- | --- | --- | --- |",
        ]
        for n in series:
            grown = copy_project(Path(tmp) / f"grow-{n}", root)
            shutil.copytree(base / ".cache", grown / ".cache")  # same data: measure pages, not downloads
            add_synthetic_pages(grown, n)
            seconds = median_build(grown, 1 if n == series[-1] else runs)
            total = count_pages(grown)
            lines.append(f"| {n} | {total} | {seconds:.2f} | {1000 * seconds / total:.1f} |")
            shutil.rmtree(grown)
        lines.append("")

    codes = languages(root)
    pages = weights["pages"]
    lines += [
        "## First-view transfer per page (gzip -6)",
        "",
        "HTML + CSS + JS + fonts + search worker; limits in `bench/budget.json`.",
        "",
        "| language | pages | min bytes | median bytes | max bytes |",
        "| --- | --- | --- | --- | --- |",
    ]
    for code in codes:
        own = [s for p, s in pages.items() if page_weight_language(p, codes, default_language(root)) == code]
        if own:
            lines.append(f"| {code} | {len(own)} | {min(own)} | {int(statistics.median(own))} | {max(own)} |")
    lines += ["", "## Search index per language", "", "| index | raw bytes | gzip bytes |", "| --- | --- | --- |"]
    lines += [f"| {i} | {s['raw']} | {s['gzip']} |" for i, s in weights["search_indexes"].items()]
    lines += ["", "<details><summary>Every page</summary>", "", "| page | gzip bytes |", "| --- | --- |"]
    lines += [f"| /{p} | {s} |" for p, s in pages.items()]
    lines += ["", "</details>", ""]
    return "\n".join(lines)


def page_weight_language(page: str, codes: list[str], default: str) -> str:
    """Return the language of a site page path (the default language has no prefix)."""
    first = page.split("/", 1)[0]
    return first if first in codes and first != default else default


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write bench/results.md."""
    parser = argparse.ArgumentParser(prog="playbook bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run per build, small growth series")
    parser.add_argument("--root", type=Path, default=None, help="project folder (default: the one you are in)")
    args = parser.parse_args(argv)
    root = args.root or find_root()
    text = run(args.quick, root)
    (root / "bench" / "results.md").write_text(text, encoding="utf-8")
    print(text)
    return 0
