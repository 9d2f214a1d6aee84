"""The one check to run before pushing: every problem at once, each with its file and its fix.

    playbook check            # or: make check
    playbook check --no-build # skip the site build (links), for a quick run

Checks, in order of the report:
  links         a strict ``mkdocs build`` into a temporary folder; every warning is reported
                with the page it names (broken links and anchors, nav entries, hook errors).
                When an input is broken, the build runs on a copy in which each broken file is
                its last committed version, so a broken data file does not hide a broken link.
  translations  missing or outdated pages and data strings (src/playbook/translations/status.py)
  data          the build's preflight (src/playbook/preflight.py): every data file, every page's
                front matter and every marker, each problem once
  terms         the term base (data/terms/<lang>.yml): avoided variants and spacing, per page and string
  figures       numbers typed in a page or data text that equal a computed template figure
                (src/playbook/figures.py): write <!-- fig:<template> <field> --> or {field} instead
  config        the generated i18n block of mkdocs.yml (src/playbook/cli/sync_config.py)
  formatting    ``ruff check`` and ``ruff format --check`` on hooks/, src/ and tests/

Missing and outdated translations are *pending*: listed, but they do not fail the check (a pull
request may change English first; ``playbook translations status --strict`` in the release deploy
requires none). An incomplete translation fails it like a broken link.

Exit status: 0 when nothing is wrong, 1 otherwise. Used by pre-commit and the pull request workflow.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from playbook import figures, preflight
from playbook.cli import sync_config
from playbook.data.documents import DataError
from playbook.data.languages import load_languages
from playbook.project import copy_project, find_root, read_nav
from playbook.translations import status as ts
from playbook.translations import terms


@dataclass(frozen=True)
class Problem:
    """One thing to fix."""

    check: str
    file: str
    message: str
    fix: str

    def __str__(self) -> str:
        """Render ``file: message`` and the fix on the next line."""
        return f"{self.file}: {self.message}\n    fix: {self.fix}"


# -- links (a real build) --------------------------------------------------------------------------

_LOG_LINE = re.compile(r"^(WARNING|ERROR)\s+-\s+(.*)$")
_DOC_FILE = re.compile(r"Doc file '([^']+)'")


def start_build(root: Path, site_dir: Path) -> subprocess.Popen[str]:
    """Start ``mkdocs build --strict`` of ``root`` into ``site_dir`` (runs while the other checks do)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def parse_build(output: str, returncode: int) -> list[Problem]:
    """Turn the build log into problems; a message that names a page points at that page."""
    problems: list[Problem] = []
    seen: set[str] = set()
    lines = output.splitlines()
    for index, line in enumerate(lines):
        match = _LOG_LINE.match(line.strip())
        if not match:
            continue
        level, message = match.groups()
        # A multi-line error (a hook's PluginError) continues on the following unprefixed lines.
        tail = []
        for follow in lines[index + 1 :]:
            if not follow.strip() or re.match(r"^(INFO|WARNING|ERROR|DEBUG)\b", follow.strip()):
                break
            tail.append(follow.strip())
        message = " ".join([message.strip(), *tail])
        if message.startswith("Aborted with") or message in seen:
            continue  # the strict-mode summary; and static-i18n builds each language, repeating warnings
        seen.add(message)
        if "in the inputs; nothing was written" in message:
            problems.append(Problem("links", "(inputs)", message, "reported under data"))
            continue
        doc = _DOC_FILE.search(message)
        if doc:
            file, fix = f"docs/{doc.group(1)}", "correct the link or anchor (paths are relative to this page's file)"
        elif "'nav'" in message or "nav" in message.split():
            file, fix = "mkdocs.yml", "make the nav entry point at an existing page, or add the page"
        else:
            file, fix = "(build)", "read the message; `make serve` shows the same error while you edit"
        problems.append(Problem("links", file, f"{level.lower()}: {message}", fix))
    if returncode != 0 and not problems:
        last = lines[-1] if lines else "no output"
        problems.append(
            Problem("links", "(build)", f"the build failed: {last}", "run `make build` to see the full log")
        )
    return problems


# -- translations, data, config, formatting --------------------------------------------------------


def _describe(entry: ts.Entry) -> str:
    if entry.kind == "page":
        return f"{entry.lang} translation of {entry.source} is {entry.state}: {entry.detail}"
    return f"{entry.lang} strings are {entry.state}: {entry.detail}"


def check_translations(root: Path) -> list[Problem]:
    """Missing and outdated translations, and translated pages without an English source."""
    report = ts.status(root)
    problems = [
        Problem("pending" if e.state in ts.PENDING else "translations", e.target, _describe(e), e.fix)
        for e in report.problems()
    ]
    problems += [
        Problem("translations", orphan, "no English source page", "delete it, or add the English page it translates")
        for orphan in report.orphans
    ]
    return problems


_WHERE = re.compile(r"^((?:data|docs)/[^,:]+)")


def input_problems(root: Path) -> list[str]:
    """The preflight's messages (what the build would stop on)."""
    return preflight.check(root, read_nav(root))


def check_data(root: Path, messages: list[str] | None = None) -> list[Problem]:
    """Every data file, front matter and marker, checked by the build's own preflight."""
    fix = "edit the field named in the message; the schema in schemas/ lists what is allowed"
    messages = input_problems(root) if messages is None else messages
    problems = []
    for line in messages:
        match = _WHERE.match(line)
        problems.append(Problem("data", match.group(1) if match else "(data)", line, fix))
    return problems


def _committed(root: Path, relative: str) -> bytes | None:
    """The committed (HEAD) version of a file, or None outside git or for a new file."""
    try:
        shown = subprocess.run(["git", "show", f"HEAD:{relative}"], cwd=root, capture_output=True, check=False)
    except OSError:
        return None
    return shown.stdout if shown.returncode == 0 else None


def link_check_copy(root: Path, dest: Path, broken: set[str]) -> list[str]:
    """Copy the project to ``dest`` with each broken input replaced by its committed version.

    Returns the files that could not be replaced (their pages' links are not checked).
    """
    copy_project(dest, root)
    if (root / ".cache").is_dir():  # the downloads already made for unchanged data
        shutil.copytree(root / ".cache", dest / ".cache")
    unchecked = []
    for relative in sorted(broken):
        committed = _committed(root, relative)
        if committed is not None:
            (dest / relative).write_bytes(committed)
        elif relative.startswith("data/") and preflight.schema_of(relative.removeprefix("data/")) is None:
            (dest / relative).unlink(missing_ok=True)  # a stray file no build reads
        else:
            unchecked.append(relative)
    return unchecked


def check_terms(root: Path) -> list[Problem]:
    """Avoided variants and spacing rules of each language's term base, on its pages and data strings."""
    try:
        languages = load_languages(root / "data")
    except DataError:
        return []  # reported under data
    problems = []
    for line in terms.findings(root, languages):
        match = _WHERE.match(line)
        file = match.group(1) if match else "(terms)"
        problems.append(Problem("terms", file, line.removeprefix(file).lstrip(", "), "use the preferred term; "
                                "the term base is data/terms/<lang>.yml"))  # fmt: skip
    return problems


def check_figures(root: Path) -> list[Problem]:
    """Numbers typed in pages or data texts that equal a figure the templates compute."""
    try:
        findings = figures.check(root)
    except DataError:
        return []  # reported under data
    problems = []
    for found in findings:
        file = found.where.split(",", 1)[0]
        message = f"{found.where.removeprefix(file).lstrip(', ')}: {found.typed!r} is "
        problems.append(Problem("figures", file, message + " or ".join(found.figures), found.fix))
    return problems


def check_config(root: Path) -> list[Problem]:
    """Check that the generated i18n block of mkdocs.yml matches data/languages.yml."""
    languages = sync_config.read_languages(root)  # a DataError is reported by run() under "config"
    current = (root / "mkdocs.yml").read_text(encoding="utf-8")
    if sync_config.synced(current, languages) == current:
        return []
    return [
        Problem(
            "config",
            "mkdocs.yml",
            "the generated i18n block is out of date with data/languages.yml",
            "run `playbook sync-config` (never edit the block by hand)",
        )
    ]


def check_formatting(root: Path) -> list[Problem]:
    """``ruff check`` and ``ruff format --check`` on the Python folders that exist."""
    folders = [name for name in ("hooks", "src", "tests") if (root / name).is_dir()]
    if not folders:
        return []
    ruff = [sys.executable, "-m", "ruff"]
    lint = subprocess.run(
        [*ruff, "check", "--output-format", "concise", "--no-fix", *folders],
        cwd=root, capture_output=True, text=True,
    )  # fmt: skip
    problems = []
    for line in lint.stdout.splitlines():
        match = re.match(r"^(.+?\.py):(\d+):\d+: (.*)$", line)
        if match:
            fix = "edit by hand, or run `ruff check --fix " + match.group(1) + "` where ruff marks it fixable"
            problems.append(Problem("formatting", match.group(1), f"line {match.group(2)}: {match.group(3)}", fix))
    fmt = subprocess.run(
        [*ruff, "format", "--check", "--output-format", "concise", *folders], cwd=root, capture_output=True, text=True
    )
    for line in fmt.stdout.splitlines():
        match = re.match(r"^(.+?\.py):\d+:\d+: unformatted", line) or re.match(r"^Would reformat: (.+)$", line)
        if match:
            fix = f"run `ruff format {match.group(1)}`"
            problems.append(Problem("formatting", match.group(1), "not formatted like `ruff format`", fix))
    if lint.returncode not in (0, 1) or fmt.returncode not in (0, 1):
        problems.append(
            Problem("formatting", "(ruff)", (lint.stderr + fmt.stderr).strip(), "install ruff: `make setup`")
        )
    return problems


# -- main ------------------------------------------------------------------------------------------


def run(root: Path, build: bool = True) -> list[Problem]:
    """Run every check on ``root`` and return all problems, build problems first, each once."""
    with tempfile.TemporaryDirectory(prefix="playbook-check-") as scratch:
        messages = input_problems(root)
        broken = {m.group(1) for line in messages if (m := _WHERE.match(line))}
        build_root, unchecked = root, []
        if build and broken:
            build_root = Path(scratch) / "project"
            unchecked = link_check_copy(root, build_root, broken)
        proc = start_build(build_root, Path(scratch) / "site") if build else None
        problems = check_data(root, messages)
        for check in (check_translations, check_terms, check_figures, check_config, check_formatting):
            try:
                problems += check(root)
            except (ts.TranslationError, DataError, OSError, ValueError) as exc:
                problems.append(
                    Problem(check.__name__.removeprefix("check_"), "(check)", str(exc), "fix the file named")
                )
        if proc is not None:
            output, _ = proc.communicate()
            found = parse_build(output, proc.returncode)
            if any(p.file == "(inputs)" for p in found):
                found = [
                    Problem(
                        "links", ", ".join(unchecked) or "(build)",
                        "links not checked: the build stops on the inputs listed under data",
                        "fix the problems listed under data, then run the check again",
                    )
                ]  # fmt: skip
            problems = [p for p in found if p.file != "(inputs)"] + problems
    return problems


def main(argv: list[str] | None = None) -> int:
    """Print every problem grouped by check; return 1 if there is any."""
    parser = argparse.ArgumentParser(prog="playbook check", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=None, help="project folder (default: the one you are in)")
    parser.add_argument("--no-build", action="store_true", help="skip the site build (no link check)")
    args = parser.parse_args(argv)
    found = run((args.root or find_root()).resolve(), build=not args.no_build)
    pending = [p for p in found if p.check == "pending"]
    problems = [p for p in found if p.check != "pending"]
    for check in ("links", "translations", "data", "terms", "config", "formatting"):
        group = [p for p in problems if p.check == check]
        if group:
            print(f"\n== {check}: {len(group)} problem{'s' if len(group) != 1 else ''}")
            print("\n".join(str(p) for p in group))
    if pending:
        print(f"\n== pending translations: {len(pending)} (they do not fail this check; a release needs none)")
        print("\n".join(str(p) for p in pending))
    if not problems:
        print("\nAll checks passed." if pending else "All checks passed.")
        return 0
    print(f"\n{len(problems)} problem{'s' if len(problems) != 1 else ''} found; fix them and run the check again.")
    return 1
