"""MkDocs hook: Material's stylesheet trimmed to the rules the built site can use (``on_post_build``).

Runs once, in the outer build after every language is written (like hooks/search.py: static-i18n
builds the other languages inside the first build's ``on_post_build``), and after Pagefind (-110),
so every page and script of the edition is read. :func:`playbook.styles.trim_site` does the work;
the file keeps Material's name, so the pages need no change. Not under ``mkdocs serve``: the
preview keeps Material's whole stylesheet (the same look: trimming only drops rules no page can
match), so a reload need not wait for Pagefind, which indexes in the background there and
whose scripts the trimming reads.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from playbook import styles

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


#: Whether this run trims (``mkdocs build``, mike) or not (``mkdocs serve``); set in on_startup.
_trim = True


def on_startup(*, command: str, dirty: bool) -> None:
    """Trim in every run but ``mkdocs serve`` (see the module docstring)."""
    global _trim  # noqa: PLW0603 - the one per-run setting, set here only
    _trim = command != "serve"


@event_priority(-120)
def on_post_build(*, config: MkDocsConfig) -> None:
    """Trim Material's stylesheet once every language is built (see the module docstring)."""
    if not _trim or getattr(config.plugins.get("i18n"), "building", False):
        return  # serve, or an inner static-i18n build: the outer one trims once all languages are written
    try:
        styles.trim_site(Path(config.site_dir))
    except styles.StylesError as exc:
        raise PluginError(str(exc)) from exc
