"""MkDocs hook: give templates the playbook's own UI strings as ``ui`` (``on_env``).

``on_env`` runs once per language build (after static-i18n has set ``theme.language``), so the
strings always match the page being rendered. They come from data/ui.yml; a missing translation
fails the build with the file and field.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

import playbook_data

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    """Expose ``ui`` (this language's strings) to every template."""
    data_dir = Path(config.config_file_path).parent / "data"
    try:
        languages = playbook_data.load_languages(data_dir)
        env.globals["ui"] = playbook_data.load_ui_strings(data_dir, languages, config.theme["language"])
    except playbook_data.DataError as exc:
        raise PluginError(f"Invalid data file:\n{exc}") from exc
    return env
