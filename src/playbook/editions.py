"""The editions stylesheet at the root of gh-pages: which editions are older, from the first paint.

An edition's files never change after mike deployed them, but whether it is *older* is known only
when a newer one is deployed. Material learns it from ``versions.json`` after the page has loaded
(its banner then pushes the page down, and not at all where scripts fail). Every deploy therefore
rewrites ``editions.css`` at the root of gh-pages, next to ``versions.json``; the pages of every
edition mike builds link it (overrides/main.html, ``ui_edition``), and it

- shows the banner of each older edition: ``[data-md-component=outdated]`` holding
  ``[data-playbook-edition="1.0"]``;
- where the latest edition lacks the page, hides the banner's link to the same page in latest
  and shows the one to latest's home page (``data-playbook-page`` is the page's path in its edition).

"Older" is Material's rule (its version selector decides the same from ``versions.json``): an
edition none of whose names (version and aliases) matches a pattern of ``extra.version.default``
(case-insensitively). ``latest`` is the alias the banner links to.

    playbook editions                 # rewrite gh-pages:editions.css (one commit, only if it changed)
    playbook editions --print         # print it instead (src/playbook/cli/editions.py)
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

#: The environment variable mike sets while it builds an edition: its version.
EDITION_VARIABLE = "MIKE_DOCS_VERSION"
#: The stylesheet's path at the root of the published branch.
STYLESHEET = "editions.css"
#: The alias the banner links to (overrides/main.html).
LATEST = "latest"


class EditionsError(RuntimeError):
    """The published branch or the config is not what the deploy expects; the message says what."""


@dataclass(frozen=True)
class Edition:
    """One entry of mike's versions.json."""

    version: str
    aliases: tuple[str, ...]


def current_edition() -> str | None:
    """The edition mike is building (``MIKE_DOCS_VERSION``), or None outside mike."""
    return os.environ.get(EDITION_VARIABLE) or None


def is_older(edition: Edition, defaults: Iterable[str]) -> bool:
    """Material's rule: older unless a default pattern matches the version or an alias."""
    names = [*edition.aliases, edition.version]
    return not any(re.search(pattern, name, re.IGNORECASE) for pattern in defaults for name in names)


def _attr(value: str) -> str:
    """A CSS string for an attribute selector (quotes and backslashes escaped)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def stylesheet(editions: list[Edition], defaults: Iterable[str], pages: Mapping[str, Iterable[str]]) -> str:
    """The editions stylesheet for mike's ``editions`` and each edition's ``pages`` (paths as page.url).

    ``pages`` maps a version to the page paths it has ("" for the home page, "de/comparison/").
    """
    defaults = list(defaults)
    latest = next((e.version for e in editions if LATEST in e.aliases), None)
    in_latest = set(pages.get(latest, ())) if latest else set()
    lines = ["/* playbook editions: which editions are older (src/playbook/editions.py) */"]
    for edition in editions:
        if not is_older(edition, defaults):
            continue
        mark = f"[data-playbook-edition={_attr(edition.version)}]"
        lines.append(f"[data-md-component=outdated]:has({mark}){{display:block}}")
        missing = sorted(p for p in pages.get(edition.version, ()) if latest and p not in in_latest)
        for page in missing:
            scope = f"{mark}[data-playbook-page={_attr(page)}]"
            lines.append(f"{scope} .playbook-outdated__page{{display:none}}")
            lines.append(f"{scope} .playbook-outdated__home{{display:inline}}")
    return "\n".join(lines) + "\n"


# -- The published branch -------------------------------------------------------------------


def _git(repo: Path, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=repo, input=stdin, capture_output=True, text=True)
    if result.returncode != 0:
        raise EditionsError(f"git {' '.join(args)} failed in {repo}:\n{result.stderr.strip()}")
    return result.stdout


def read_editions(repo: Path, branch: str) -> list[Edition]:
    """Read the editions from mike's versions.json on ``branch``."""
    try:
        raw = json.loads(_git(repo, "show", f"{branch}:versions.json"))
        return [Edition(str(v["version"]), tuple(str(a) for a in v.get("aliases", []))) for v in raw]
    except EditionsError as exc:
        raise EditionsError(f"{branch} has no versions.json (deploy an edition with mike first)\n{exc}") from exc
    except (ValueError, TypeError, KeyError) as exc:
        raise EditionsError(f"{branch}:versions.json: expected mike's list of {{version, aliases}}: {exc}") from exc


def page_paths(files: Iterable[str]) -> list[str]:
    """Page paths (as MkDocs' page.url) from an edition's file names: every ``index.html``."""
    out = []
    for name in files:
        if name == "index.html":
            out.append("")
        elif name.endswith("/index.html"):
            out.append(name[: -len("index.html")])
    return out


def read_pages(repo: Path, branch: str, version: str) -> list[str]:
    """The page paths of one edition on ``branch``."""
    names = _git(repo, "ls-tree", "-r", "--name-only", f"{branch}:{version}").splitlines()
    return page_paths(names)


def read_defaults(config: Path) -> list[str]:
    """``extra.version.default`` of mkdocs.yml (Material's default: ``latest``); tags are not run."""

    class Lenient(yaml.SafeLoader):
        pass

    Lenient.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=Lenient)  # noqa: S506 - SafeLoader subclass
    except (OSError, yaml.YAMLError) as exc:
        raise EditionsError(f"{config}: cannot read extra.version.default: {exc}") from exc
    value = ((data or {}).get("extra") or {}).get("version", {}).get("default", LATEST)
    return [str(v) for v in (value if isinstance(value, list) else [value])]


def write(repo: Path, branch: str, text: str) -> str | None:
    """Commit ``text`` as ``branch:editions.css`` (git plumbing, no checkout); the commit, or None if unchanged."""
    blob = _git(repo, "hash-object", "-w", "--stdin", stdin=text).strip()
    with tempfile.TemporaryDirectory(prefix="playbook-editions-") as scratch:
        env_index = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
        for args in (("read-tree", branch), ("update-index", "--add", "--cacheinfo", f"100644,{blob},{STYLESHEET}")):
            _git_env(repo, env_index, *args)
        tree = _git_env(repo, env_index, "write-tree").strip()
    if tree == _git(repo, "rev-parse", f"{branch}^{{tree}}").strip():
        return None
    commit = _git(repo, "commit-tree", tree, "-p", branch, "-m", f"{STYLESHEET}: which editions are older").strip()
    _git(repo, "update-ref", f"refs/heads/{branch}", commit)
    return commit


def _git_env(repo: Path, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, env={**os.environ, **env}, capture_output=True, text=True)
    if result.returncode != 0:
        raise EditionsError(f"git {' '.join(args)} failed in {repo}:\n{result.stderr.strip()}")
    return result.stdout


def build(repo: Path, branch: str, config: Path) -> str:
    """The stylesheet for what ``branch`` publishes now."""
    editions = read_editions(repo, branch)
    pages = {e.version: read_pages(repo, branch, e.version) for e in editions}
    return stylesheet(editions, read_defaults(config), pages)
