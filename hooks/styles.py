"""MkDocs hook: Material's stylesheet trimmed to the rules the built site can use (``on_post_build``).

Runs once, in the outer build after every language is written (like hooks/search.py: static-i18n
builds the other languages inside the first build's ``on_post_build``), and after Pagefind (-110),
so every page and script of the edition is read. :func:`playbook.styles.trim_site` does the work;
the file keeps Material's name, so the pages need no change. Under ``mkdocs serve`` every rebuild
trims the fresh copy again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from playbook import styles

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


@event_priority(-120)
def on_post_build(*, config: MkDocsConfig) -> None:
    """Trim Material's stylesheet once every language is built (see the module docstring)."""
    if getattr(config.plugins.get("i18n"), "building", False):
        return  # an inner static-i18n build: the outer one trims once all languages are written
    try:
        styles.trim_site(Path(config.site_dir))
    except styles.StylesError as exc:
        raise PluginError(str(exc)) from exc
