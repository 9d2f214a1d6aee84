"""MkDocs hook: the playbook's UI strings and a 404 page per language (``on_env`` and two template events).

``on_env`` runs once per language build, after static-i18n has set ``theme.language``:
- templates get ``ui``, ``ui_home`` and ``ui_languages`` (:func:`playbook.ui.template_globals`,
  from data/ui.yml), ``ui_top_level`` (:func:`playbook.ui.top_level_names`, for the 404 page) and
  ``ui_edition``, the version mike is building (None outside mike; the outdated banner, see
  :mod:`playbook.editions`);
- static-i18n rebuilds the site once per language into the same ``site_dir``, so every build
  would write the root ``404.html`` and the last language would win. ``on_post_template`` keeps
  the host's ``404.html`` (a loader, overrides/404.html) from the default language's build only,
  and writes each language's page, ``not-found.html`` (overrides/not-found.html), into that
  language's folder; returning no output means MkDocs writes nothing at the root for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.utils import normalize_url, write_file

from playbook import partials, ui
from playbook.data.documents import DataError
from playbook.data.languages import load_languages
from playbook.editions import current_edition

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

NOT_FOUND = "404.html"
#: The 404 page of one language (overrides/not-found.html), which the root 404.html shows.
PAGE = "not-found.html"


def on_config(config: MkDocsConfig) -> None:
    """Theme environments list templates without Material's hidden icon folder (see partials.ThemeLoader)."""
    partials.list_visible_only(config.theme)


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    """Expose ``ui``/``ui_languages``/``ui_top_level``; every language build renders both 404 templates."""
    data_dir = Path(config.config_file_path).parent / "data"
    try:
        languages = load_languages(data_dir)
        strings = ui.load_ui_strings(data_dir, languages)
    except DataError as exc:
        raise PluginError(f"Invalid data file:\n{exc}") from exc
    env.globals.update(ui.template_globals(strings, languages, config.theme["language"]))
    env.globals["ui_default"] = languages.default
    env.globals["ui_top_level"] = ui.top_level_names([f.dest_uri for f in files], languages.codes)
    env.globals["ui_edition"] = current_edition()
    env.bytecode_cache = partials.COMPILED  # compiled once per run, not once per language build
    config.theme.static_templates.update((NOT_FOUND, PAGE))
    return env


def _home(config: MkDocsConfig) -> str:
    """Return the language folder of this build ("" for the default language)."""
    try:
        return ui.home(config.theme["language"], load_languages(Path(config.config_file_path).parent / "data"))
    except DataError as exc:
        raise PluginError(f"Invalid data file:\n{exc}") from exc


def on_template_context(context: dict[str, Any], *, template_name: str, config: MkDocsConfig) -> dict[str, Any]:
    """not-found.html outside the default language lives one folder down: links start with "..".

    MkDocs renders a non-error template relative to the site root ("."); hooks/ui.py writes the
    other languages' copies to ``<code>/not-found.html``, so their links go one level up, and the
    page also works when opened at its own address.
    """
    if template_name == PAGE and _home(config):
        context["base_url"] = ".."
        context["extra_css"] = [normalize_url(str(path), None, "..") for path in config.extra_css]
        context["extra_javascript"] = [normalize_url(str(path), None, "..") for path in config.extra_javascript]
    return context


def on_post_template(output: str, *, template_name: str, config: MkDocsConfig) -> str | None:
    """404.html: the default language's build only; not-found.html: into each language's folder."""
    if template_name not in (NOT_FOUND, PAGE):
        return None
    home = _home(config)
    if not home:
        return output
    if template_name == PAGE:
        write_file(output.encode("utf-8"), str(Path(config.site_dir) / home / PAGE))
    return ""
