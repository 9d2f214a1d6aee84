"""The deploy's own steps on gh-pages: the root 404.html (`make root-404`) and editions.css (`playbook editions`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from playbook.editions import Edition, is_older, page_paths, stylesheet
from playbook.project import CHECKOUT as ROOT


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def pages_repo(tmp_path: Path) -> Path:
    """A repository whose gh-pages holds two editions, as mike leaves it."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "gh-pages")
    _git(repo, "config", "user.name", "Playbook Tests")
    _git(repo, "config", "user.email", "tests@example.invalid")
    for version in ("1.0", "2.0"):
        (repo / version).mkdir()
        (repo / version / "404.html").write_text(f"<p>404 of {version}</p>", encoding="utf-8")
        (repo / version / "index.html").write_text(version, encoding="utf-8")
    (repo / "versions.json").write_text("[]", encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "mike")
    _git(repo, "checkout", "-q", "--detach")  # the deploy never has gh-pages checked out
    return repo


def _root_404(repo: Path, version: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "-s", "-f", str(ROOT / "Makefile"), "root-404", f"VERSION={version}"],
        cwd=repo,
        capture_output=True,
        text=True,
    )


def test_root_404_is_the_released_editions(pages_repo: Path) -> None:
    before = _git(pages_repo, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert _root_404(pages_repo, "2.0").returncode == 0
    assert _git(pages_repo, "show", "gh-pages:404.html") == "<p>404 of 2.0</p>"
    after = _git(pages_repo, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert sorted(after) == sorted([*before, "404.html"])  # nothing else changed
    # Again for the same edition: no new commit.
    head = _git(pages_repo, "rev-parse", "gh-pages")
    assert _root_404(pages_repo, "2.0").returncode == 0
    assert _git(pages_repo, "rev-parse", "gh-pages") == head


def test_unknown_edition_is_a_clear_error(pages_repo: Path) -> None:
    result = _root_404(pages_repo, "9.9")
    assert result.returncode != 0
    assert "gh-pages has no 9.9/404.html" in result.stderr


# -- editions.css: which editions are older (src/playbook/editions.py) ------------------------

DEFAULTS = ["latest", "dev"]  # mkdocs.yml's extra.version.default


@pytest.mark.parametrize(
    ("edition", "older"),
    [
        (Edition("2.0", ("latest",)), False),
        (Edition("dev", ()), False),
        (Edition("1.0", ()), True),
        (Edition("1.1", ("stable",)), True),
        (Edition("3.0", ("Latest",)), False),  # Material tests the patterns case-insensitively
        (Edition("0.9-devel", ()), False),  # and as patterns: "dev" matches inside a name
    ],
)
def test_older_is_materials_rule(edition: Edition, older: bool) -> None:
    assert is_older(edition, DEFAULTS) is older


def test_stylesheet_shows_older_banners_and_swaps_links_for_pages_latest_lacks() -> None:
    editions = [Edition("2.0", ("latest",)), Edition("dev", ()), Edition("1.0", ()), Edition("0.9", ())]
    pages = {"2.0": ["", "de/"], "1.0": ["", "de/", "de/old/"], "0.9": ["", 'x"y/']}
    css = stylesheet(editions, DEFAULTS, pages)
    rules = [line for line in css.splitlines() if not line.startswith("/*")]
    assert rules == [
        '[data-md-component=outdated]:has([data-playbook-edition="1.0"]){display:block}',
        '[data-playbook-edition="1.0"][data-playbook-page="de/old/"] .playbook-outdated__page{display:none}',
        '[data-playbook-edition="1.0"][data-playbook-page="de/old/"] .playbook-outdated__home{display:inline}',
        '[data-md-component=outdated]:has([data-playbook-edition="0.9"]){display:block}',
        '[data-playbook-edition="0.9"][data-playbook-page="x\\"y/"] .playbook-outdated__page{display:none}',
        '[data-playbook-edition="0.9"][data-playbook-page="x\\"y/"] .playbook-outdated__home{display:inline}',
    ]


def test_page_paths_are_the_index_pages() -> None:
    names = ["index.html", "de/index.html", "de/comparison/index.html", "404.html", "assets/x.js", "de/not-found.html"]
    assert page_paths(names) == ["", "de/", "de/comparison/"]


def _editions(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "playbook", "editions", "--config", str(ROOT / "mkdocs.yml"), *args],
        cwd=repo,
        capture_output=True,
        text=True,
    )


def test_editions_command_commits_the_stylesheet_once(pages_repo: Path) -> None:
    versions = [
        {"version": "2.0", "title": "2.0", "aliases": ["latest"]},
        {"version": "1.0", "title": "1.0", "aliases": []},
    ]
    _git(pages_repo, "checkout", "-q", "gh-pages")
    (pages_repo / "versions.json").write_text(json.dumps(versions), encoding="utf-8")
    (pages_repo / "1.0" / "old").mkdir()
    (pages_repo / "1.0" / "old" / "index.html").write_text("old", encoding="utf-8")
    _git(pages_repo, "add", "-A")
    _git(pages_repo, "commit", "-q", "-m", "mike: 2.0")
    _git(pages_repo, "checkout", "-q", "--detach")
    before = _git(pages_repo, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    result = _editions(pages_repo)
    assert result.returncode == 0, result.stderr
    css = _git(pages_repo, "show", "gh-pages:editions.css")
    assert '[data-md-component=outdated]:has([data-playbook-edition="1.0"])' in css
    assert '[data-playbook-edition="1.0"][data-playbook-page="old/"] .playbook-outdated__home' in css
    assert "2.0" not in css.split("*/", 1)[1]
    assert sorted(_git(pages_repo, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()) == sorted(
        [*before, "editions.css"]
    )
    head = _git(pages_repo, "rev-parse", "gh-pages")
    assert _editions(pages_repo).returncode == 0
    assert _git(pages_repo, "rev-parse", "gh-pages") == head  # unchanged: no new commit


def test_editions_command_names_a_missing_versions_json(tmp_path: Path) -> None:
    repo = tmp_path / "empty"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "gh-pages")
    _git(repo, "config", "user.name", "Playbook Tests")
    _git(repo, "config", "user.email", "tests@example.invalid")
    (repo / "index.html").write_text("x", encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "x")
    result = _editions(repo)
    assert result.returncode == 1
    assert "gh-pages has no versions.json" in result.stderr


def _dry_run(*args: str) -> str:
    return subprocess.run(
        ["make", "-n", "-s", "-f", str(ROOT / "Makefile"), "deploy-version", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_deploy_version_runs_the_release_steps_in_order() -> None:
    # What tests/test_versions.py runs against a real mike deployment is what the Makefile runs.
    from tests.test_versions import RELEASE_STEPS

    dry = _dry_run("VERSION=2.0", "ALIAS=latest")
    positions = [dry.find(step) for step in RELEASE_STEPS]
    assert -1 not in positions, dry
    assert positions == sorted(positions), dry
    assert "git push" not in dry and "mike deploy --push" not in dry  # no PUSH: nothing leaves the machine
    # With PUSH, one push at the very end, after editions.css is committed.
    pushed = _dry_run("VERSION=2.0", "ALIAS=latest", "PUSH=--push").rstrip().splitlines()
    assert pushed[-1] == "git push origin gh-pages"
    assert "playbook editions" in pushed[-2]
