"""MkDocs hook: keep the language switcher inside the current mike version (``on_page_context``).

mkdocs-static-i18n (``reconfigure_material``) fills Material's ``extra.alternate`` with
server-absolute links built from ``urlsplit(site_url).path`` + each language's ``link``
(``/de/``). It replaces them with the translated page's site-relative URL on most pages, but
not on the language home pages, which keep ``/de/``, ``/ja/``... (static-i18n issue #265).
Under mike every edition lives in a folder (``/1.0/``, ``/latest/``, ``/dev/``): mike's plugin
adds the version to ``site_url``, so the links become ``/1.0/de/``, which leaves the
``/latest/`` alias for ``/1.0/``, and which escapes the edition altogether when the site is
served under another path than ``site_url`` says (a project page, a PR preview, no
``site_url``). This hook turns every such link back into a site-relative path; Material's
``| url`` filter then renders it relative to the page (``../de/``), which stays inside
whatever folder the edition is served from.

Priority: static-i18n rewrites ``extra.alternate`` in its own ``on_page_context`` at priority
50 (and resets it from its copy at every page), so this hook runs after it, at -50. Static
templates get no page context: ``on_template_context`` does the same for the per-language 404
page (not-found.html), whose links are relative to wherever the host's 404.html shows it.

Each page also gets ``hreflang`` (:func:`playbook.links.hreflang_alternates`): absolute URLs of
the page in every language, from ``site_url``, and ``x-default``, for ``<link rel="alternate">``
in the head (overrides/main.html).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from playbook.data.documents import DataError
from playbook.data.languages import load_languages
from playbook.links import hreflang_alternates, site_relative

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page


def _relative(config: MkDocsConfig) -> list[dict[str, str]]:
    # static-i18n sets the per-page list as an *attribute* of `config.extra` (a UserDict), which
    # shadows the item of the same name; Jinja's `config.extra.alternate` reads the attribute
    # first, so read and replace it the same way. A new list: static-i18n restores its own copy
    # before the next page.
    alternates = getattr(config.extra, "alternate", None) or config.extra.get("alternate")
    if alternates:
        config.extra.alternate = [{**alt, "link": site_relative(alt["link"], config.site_url)} for alt in alternates]
    return list(getattr(config.extra, "alternate", None) or [])


@event_priority(-50)
def on_page_context(context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation) -> None:
    """Make every language-switcher link site-relative; give the head its hreflang alternates.

    ``hreflang``: ``(code, absolute URL)`` per language and ``x-default``, from ``site_url``
    (inside the edition under mike), printed by overrides/main.html.
    """
    try:
        default = load_languages(Path(config.config_file_path).parent / "data").default
    except DataError as exc:
        raise PluginError(f"Invalid data file:\n{exc}") from exc
    context["hreflang"] = hreflang_alternates(_relative(config), config.site_url, default)


def on_template_context(context: dict[str, Any], *, template_name: str, config: MkDocsConfig) -> None:
    """The same for the per-language 404 page (see the module docstring)."""
    if template_name == "not-found.html":
        _relative(config)
