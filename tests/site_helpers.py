"""Helpers shared by the tests: the project's languages, copying the project, a real build.

Kept out of conftest.py so that test modules can import them by name (``from site_helpers import
build``) even where a sub-folder has a conftest.py of its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
#: What a build needs; copied into each temporary project.
PROJECT_PARTS = ("mkdocs.yml", "docs", "data", "hooks", "overrides", "schemas")
MKDOCS = [sys.executable, "-m", "mkdocs"]


def languages() -> list[str]:
    """Language codes from data/languages.yml (the single source)."""
    data = yaml.safe_load((ROOT / "data" / "languages.yml").read_text(encoding="utf-8"))
    return [entry["code"] for entry in data["languages"]]


def default_language() -> str:
    """The default (source) language."""
    return yaml.safe_load((ROOT / "data" / "languages.yml").read_text(encoding="utf-8"))["default"]


def copy_project(dest: Path) -> Path:
    """Copy the buildable parts of the repository into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / part)
    return dest


@dataclass
class BuildResult:
    """The outcome of one ``mkdocs build``."""

    returncode: int
    output: str
    site: Path


def build(project: Path, *extra: str, env: dict[str, str] | None = None) -> BuildResult:
    """Run a strict build of ``project`` into ``project/site``; never raises on failure."""
    run_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1767225600", **(env or {})}
    proc = subprocess.run(
        [*MKDOCS, "build", "--strict", "--site-dir", str(project / "site"), *extra],
        cwd=project,
        env=run_env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return BuildResult(proc.returncode, proc.stdout + proc.stderr, project / "site")
