"""Load the partials hooks render (``overrides/partials/*.html``) from one Jinja environment.

``config.theme.get_env()`` makes a new environment on every call, and a new environment compiles
every template again: asking for one per page cost about 10 ms a page. MkDocs only creates its
own environment for a build after the pages' Markdown is converted (``on_env`` comes after
``on_page_markdown``), so hooks cannot borrow it. The partials hooks render take everything they
show as arguments and use no build globals, so one environment per theme folder list serves every
build of the process (static-i18n's one per language, ``mkdocs serve``'s one per edit). Jinja
checks each template's file time on load, so an edited partial is compiled again.
"""

from __future__ import annotations

import functools
import os
import sysconfig
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from jinja2 import BytecodeCache, FileSystemLoader

if TYPE_CHECKING:
    from jinja2 import Environment, Template
    from jinja2.bccache import Bucket


class Theme(Protocol):
    """What this module needs of a theme (MkDocs' ``config.theme``), without importing MkDocs."""

    @property
    def dirs(self) -> Sequence[str]:
        """Template folders in lookup order (custom_dir first)."""
        ...

    def get_env(self) -> Environment:
        """A new Jinja environment over those folders."""
        ...


_envs: dict[tuple[str, ...], Environment] = {}


def folders(theme: Theme) -> tuple[str, ...]:
    """The theme's template folders in lookup order, each once.

    static-i18n (1.3.1) inserts its sitemap folder again for every language it builds, so the
    raw list grows during one run without changing which file any name resolves to.
    """
    return tuple(dict.fromkeys(theme.dirs))


def get(theme: Theme, name: str) -> Template:
    """Return ``partials/<name>`` of ``theme`` (custom_dir first, as MkDocs looks it up)."""
    key = folders(theme)
    if key not in _envs:
        _envs.clear()  # another theme setup (a test's temporary project): keep only one
        _envs[key] = theme.get_env()
    return _envs[key].get_template(f"partials/{name}")


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates kept in memory, shared by every environment of this process.

    MkDocs makes a new environment for each build, so static-i18n's four language builds (and
    every rebuild under ``mkdocs serve``) would compile Material's templates again: about a
    fifth of a warm build. Set as an environment's ``bytecode_cache`` (hooks/ui.py), this keeps
    each template's code under Jinja's key (its name and file). Jinja stores the source's
    checksum with the code and compiles again when they differ, so an edited template is never
    served stale.
    """

    def __init__(self) -> None:
        """Nothing compiled yet."""
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        """Give Jinja the code kept for this template, if any (Jinja checks its checksum)."""
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep the code Jinja has just compiled."""
        self.code[bucket.key] = bucket.bytecode_to_string()


#: The one cache of the process (templates of a test's temporary project have other keys).
COMPILED = CompiledTemplates()


class ThemeLoader(FileSystemLoader):
    """A theme's template folders, listed without hidden paths; an installed folder is walked once.

    MkDocs lists every file of the theme to copy its assets (``Files.add_files_from_theme``) and
    then drops each hidden path (``.*``, ``*/.*``). Material keeps 14,000 icons in ``.icons/``, so
    listing and filtering them was a fifth of a rebuild under ``mkdocs serve``, four times per
    build. This loader leaves hidden files and folders out of the listing (the same result after
    MkDocs' filter); loading a template by name, hidden or not, is unchanged. The folders of
    installed packages (Material's, static-i18n's) cannot change during a run and are walked once
    per process; the project's ``custom_dir`` is walked every time, so a new override shows up.
    """

    def list_templates(self) -> list[str]:
        """Every visible file below the search path, as a template name."""
        found: set[str] = set()
        for folder in self.searchpath:
            walk = _installed_files if _is_installed(folder) else _visible_files
            found.update(walk(folder, self.followlinks))
        return sorted(found)


def _is_installed(folder: str) -> bool:
    installed = {os.path.realpath(sysconfig.get_paths()[key]) for key in ("purelib", "platlib")}
    real = os.path.realpath(folder)
    return any(real == root or real.startswith(root + os.sep) for root in installed)


def _visible_files(folder: str, followlinks: bool = False) -> frozenset[str]:
    found = set()
    for path, dirs, files in os.walk(folder, followlinks=followlinks):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        relative = os.path.relpath(path, folder).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        found.update(prefix + name for name in files if not name.startswith("."))
    return frozenset(found)


_installed_files = functools.lru_cache(maxsize=16)(_visible_files)


def list_visible_only(theme: Theme) -> None:
    """Make ``theme.get_env()`` return environments that load through a :class:`ThemeLoader` (once)."""
    original: Callable[[], Environment] = theme.get_env
    if getattr(original, "lists_visible_only", False):
        return  # static-i18n's later language builds send on_config again with the same theme

    def get_env() -> Environment:
        env = original()
        env.loader = ThemeLoader(env.loader.searchpath)  # type: ignore[union-attr]
        return env

    get_env.lists_visible_only = True  # type: ignore[attr-defined]
    theme.get_env = get_env  # type: ignore[method-assign]
