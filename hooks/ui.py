"""MkDocs hook: the playbook's own UI strings and the multilingual 404 page (``on_env``).

``on_env`` runs once per language build, after static-i18n has set ``theme.language``:
- templates get ``ui``, ``ui_home`` and ``ui_languages`` (:func:`playbook.ui.template_globals`,
  from data/ui.yml);
- static-i18n rebuilds the site once per language into the same ``site_dir``, so every build
  would overwrite the root ``404.html`` and the last language would win. Only the default
  language's build renders it; overrides/404.html then greets the reader in the language of
  the URL they asked for (a server shows one root 404 page for every path).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from playbook import ui
from playbook.data.documents import DataError
from playbook.data.languages import load_languages

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

NOT_FOUND = "404.html"


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    """Expose ``ui``/``ui_languages``; render 404.html in the default language's build only."""
    data_dir = Path(config.config_file_path).parent / "data"
    try:
        languages = load_languages(data_dir)
        strings = ui.load_ui_strings(data_dir, languages)
    except DataError as exc:
        raise PluginError(f"Invalid data file:\n{exc}") from exc
    lang = config.theme["language"]
    env.globals.update(ui.template_globals(strings, languages, lang))
    if lang == languages.default:
        config.theme.static_templates.add(NOT_FOUND)
    else:
        config.theme.static_templates.discard(NOT_FOUND)
    return env
