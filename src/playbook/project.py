"""The project folder: where it is, what a build needs, and a strict build in a subprocess (pure).

The command line, the benchmark and the tests all copy or build the project the same way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from playbook.data.documents import Document

#: What a build needs; copied into a temporary project by the benchmark and the tests.
PROJECT_PARTS = ("mkdocs.yml", "docs", "data", "hooks", "overrides", "schemas")
#: The checkout this package is installed from (editable): ``<project>/src/playbook/project.py``.
CHECKOUT = Path(__file__).resolve().parents[2]
#: Fixed build date for reproducible downloads (2026-01-01), as the tests and the benchmark build.
SOURCE_DATE_EPOCH = "1767225600"


def find_root(start: Path | None = None) -> Path:
    """The project folder: the nearest one at or above ``start`` (default: the current folder).

    A project folder has ``mkdocs.yml`` and ``data/languages.yml``; outside any, the checkout this
    package is installed from.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "data" / "languages.yml").is_file():
            return folder
    return CHECKOUT


def copy_project(dest: Path, root: Path = CHECKOUT) -> Path:
    """Copy the buildable parts of ``root`` into ``dest``; return ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = root / part
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


def build_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a reproducible build: Material's MkDocs 2.0 notice off, a fixed date."""
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, **(extra or {})}


def build(project: Path, *extra: str, env: dict[str, str] | None = None) -> BuildResult:
    """Run a strict build of ``project`` into ``project/site``; never raises on failure."""
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(project / "site"), *extra],
        cwd=project,
        env=build_env(env),
        capture_output=True,
        text=True,
        timeout=900,
    )
    return BuildResult(proc.returncode, proc.stdout + proc.stderr, project / "site")


def languages(root: Path = CHECKOUT) -> list[str]:
    """Language codes from ``data/languages.yml`` (the single source), in declaration order."""
    return [entry["code"] for entry in _languages_file(root)["languages"]]


def default_language(root: Path = CHECKOUT) -> str:
    """The default (source) language."""
    return _languages_file(root)["default"]


def _languages_file(root: Path) -> dict:
    return Document(root / "data" / "languages.yml", "data/languages.yml").data


def read_nav(root: Path) -> list[object] | None:
    """The nav of ``mkdocs.yml``, read without running any of its tags (they become None)."""

    class Lenient(yaml.SafeLoader):
        pass

    Lenient.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Lenient)  # noqa: S506
    except (OSError, yaml.YAMLError):
        return None
    return config.get("nav") if isinstance(config, dict) else None


def nav_sections(nav: object) -> list[str]:
    """The labels of the nav's sections (entries that hold a list of entries), depth first."""
    labels: list[str] = []
    for entry in nav if isinstance(nav, list) else []:
        if isinstance(entry, dict):
            for label, value in entry.items():
                if isinstance(value, list):
                    labels += [str(label), *nav_sections(value)]
    return labels
