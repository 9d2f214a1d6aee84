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

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from jinja2 import BytecodeCache

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
