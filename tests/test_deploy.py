"""`make root-404`: the deploy puts the released edition's 404.html at the root of gh-pages."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

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
