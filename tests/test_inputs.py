"""Every class of bad input: one clear message, a failed build, and the previous site/ untouched.

A contributor's change goes through ``playbook build`` (``make build``): the preflight hook checks
every input before MkDocs empties the output folder, and the build writes into a staging folder
that replaces ``site/`` only after a clean strict build. Each case here breaks one input of a
project whose ``site/`` holds a good build, and checks what the contributor sees.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from playbook.project import build_env, copy_project


def tree_digest(folder: Path) -> str:
    """SHA-256 over every file's path and bytes under ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def project(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy whose site/ is a good build (the session's) and whose download cache is warm."""
    root = copy_project(tmp_path_factory.mktemp("inputs") / "project")
    shutil.copytree(built_site, root / "site")
    cache = built_site.parent / ".cache"
    if cache.is_dir():
        shutil.copytree(cache, root / ".cache")
    return root


def replace(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return change


def write(relative: str, content: bytes) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(content)

    return change


def _bomb() -> bytes:
    """Ten lines of nested aliases: 9**10 strings once expanded."""
    lines, previous = ["a: &a [x, x, x, x, x, x, x, x, x]"], "a"
    for i in range(9):
        lines.append(f"b{i}: &b{i} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = f"b{i}"
    return ("\n".join(lines) + "\n").encode()


BOMB = _bomb()

#: input class -> (the change, what the message must say: file, line, field and words)
CASES: dict[str, tuple[Callable[[Path], None], tuple[str, ...]]] = {
    "ui.yml key renamed": (
        replace("data/ui.yml", "  last_updated:", "  last_update:"),
        ("data/ui.yml, line ", "field strings.last_update: unknown field", "did you mean 'last_updated'"),
    ),
    "ui.yml invalid YAML": (
        replace("data/ui.yml", "    en: Last updated", "    en: Last: updated"),
        ("data/ui.yml, line ", "invalid YAML"),
    ),
    "translations lock broken": (
        write("data/translations.lock.yml", b"data/tables/definitions.yml:\n  de: 42\n"),
        ("data/translations.lock.yml, line 2, field data/tables/definitions.yml.de: expected text",),
    ),
    "stray .yaml data file": (
        write("data/tables/extra.yaml", b"id: extra\n"),
        ("data/tables/extra.yaml: not a data file the build reads (data files end in .yml)",),
    ),
    "data file in a sub-folder": (
        write("data/tables/old/differences.yml", b"id: differences\n"),
        ("data/tables/old/differences.yml: not a data file the build reads",),
    ),
    "table with bad YAML": (
        write("data/tables/broken.yml", b"id: broken\ncaption: {en: [unclosed\n"),
        ("data/tables/broken.yml, line ", "invalid YAML"),
    ),
    "duplicate key": (
        replace("data/tables/differences.yml", "\nid: differences\n", "\nid: differences\nid: differences\n"),
        ("data/tables/differences.yml, line ", "duplicate key 'id'"),
    ),
    "alias bomb": (
        write("data/tables/bomb.yml", BOMB),
        ("data/tables/bomb.yml, line 1: anchors (&a) are not allowed",),
    ),
    "python object tag": (
        replace("data/ui.yml", "    en: Last updated", "    en: !!python/object/apply:os.system ['touch PWNED']"),
        ("data/ui.yml, line ", "tags (tag:yaml.org,2002:python/object/apply:os.system) are not allowed"),
    ),
    "marker typo in a translation": (
        replace("docs/de/comparison.md", "<!-- table:differences -->", "<!-- Table: differences -->"),
        ("docs/de/comparison.md, line ", "did you mean <!-- table:differences -->?", "<!-- i18n:status -->"),
    ),
    "unknown table": (
        replace("docs/ja/comparison.md", "<!-- table:differences -->", "<!-- table:diferences -->"),
        ("docs/ja/comparison.md, line ", "no data/tables/diferences.yml (did you mean 'differences'?)"),
    ),
    "front matter title is a mapping": (
        replace("docs/id/index.md", "---\n", "---\ntitle: {a: b}\n"),
        ("docs/id/index.md, line 2, field title: expected text, found dict",),
    ),
    "impossible date": (
        replace("docs/de/index.md", "updated: 2026-", "updated: 2026-13-45\nx_updated: 2026-"),
        ("docs/de/index.md, line ", "field updated: '2026-13-45' is not a date written YYYY-MM-DD"),
    ),
    "unknown front matter key": (
        replace("docs/en/comparison.md", "\nupdated:", "\nupdatd: 2026-01-01\nupdated:"),
        ("docs/en/comparison.md, line ", "unknown field 'updatd' (did you mean 'updated'?)"),
    ),
    "byte that is not UTF-8": (
        lambda root: (root / "docs/de/glossary.md").write_bytes(
            (root / "docs/de/glossary.md").read_bytes().replace(b"\n\n", b"\n\xff\n", 1)
        ),
        ("docs/de/glossary.md, line ", "byte 0xff is not UTF-8"),
    ),
    "language Babel does not know": (
        replace("data/languages.yml", "  - code: id\n", "  - code: xx\n"),
        ("data/languages.yml, line ", "field languages[3].code: Babel does not know the language 'xx'"),
    ),
    "markup in a site name": (
        replace("data/languages.yml", "site_name: Panduan", "site_name: <img src=x onerror=alert(1)> Panduan"),
        ("data/languages.yml, line ", "field languages[3].site_name:", "is not plain text without < >"),
    ),
    "nav translation key typo": (
        replace("data/languages.yml", "      Templates: Vorlagen", "      Templats: Vorlagen"),
        ("data/languages.yml, line ", "'Templats' is not a nav section of mkdocs.yml (did you mean 'Templates'?)"),
    ),
    "broken link": (
        replace("docs/de/comparison.md", "\n## ", "\n[kaputt](does-not-exist.md)\n\n## "),
        ("does-not-exist.md",),
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_one_message_and_leaves_the_previous_site(project: Path, case: str) -> None:
    change, expected = CASES[case]
    before_site = tree_digest(project / "site")
    saved = {p: p.read_bytes() for p in (project / "docs").rglob("*.md")}
    saved |= {p: p.read_bytes() for p in (project / "data").rglob("*") if p.is_file()}
    try:
        change(project)
        ran = subprocess.run(
            [sys.executable, "-m", "playbook", "build", "--root", str(project)],
            capture_output=True, text=True, env=build_env(), timeout=600,
        )  # fmt: skip
    finally:
        for path in {p for p in (project / "data").rglob("*") if p.is_file()} - set(saved):
            path.unlink()
        for path, content in saved.items():
            path.write_bytes(content)
    output = ran.stdout + ran.stderr
    assert ran.returncode != 0, output
    assert "Traceback" not in output
    for words in expected:
        assert words in output, f"{words!r} not in:\n{output}"
    assert (project / "site" / "index.html").is_file() and tree_digest(project / "site") == before_site
    assert not (project / "PWNED").exists()


@pytest.mark.parametrize("case", ["ui.yml key renamed", "marker typo in a translation", "impossible date"])
def test_plain_mkdocs_build_stops_before_it_empties_site(project: Path, case: str) -> None:
    """The preflight runs in the first on_pre_build, before MkDocs cleans site_dir: even without staging."""
    change, expected = CASES[case]
    before_site = tree_digest(project / "site")
    saved = {p: p.read_bytes() for p in [*(project / "docs").rglob("*.md"), *(project / "data").rglob("*.yml")]}
    try:
        change(project)
        ran = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(project / "site")],
            cwd=project, capture_output=True, text=True, env=build_env(), timeout=600,
        )  # fmt: skip
    finally:
        for path, content in saved.items():
            path.write_bytes(content)
    assert ran.returncode != 0 and "Traceback" not in ran.stderr
    assert "nothing was written" in ran.stderr and all(words in ran.stderr for words in expected)
    assert (project / "site" / "index.html").is_file() and tree_digest(project / "site") == before_site
