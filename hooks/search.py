"""MkDocs hook: one search index per language (``on_env``, ``on_post_build``).

Material's search plugin writes every page it sees into ``search/search_index.json``, and
static-i18n (``reconfigure_search: false``) finally rewrites that file with all languages merged.
This hook splits the index by language after that (:mod:`playbook.search`), and tells templates
where the page's language index is (``search_index``; ``None`` for the default language, whose
index stays where Material looks). ``overrides/main.html`` points the page's search at it.

No markers. Output depends only on the written index, so repeated runs give the same files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from playbook import search
from playbook.data.documents import DataError
from playbook.data.languages import Languages, load_languages

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


def _languages(config: MkDocsConfig) -> Languages:
    try:
        return load_languages(Path(config.config_file_path).parent / "data")
    except DataError as exc:
        raise PluginError(f"Invalid data file:\n{exc}") from exc


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    """Expose ``search_index``: this language's index path from the site root, or None if default."""
    path = search.index_path(config.theme["language"], _languages(config).default)
    env.globals["search_index"] = None if path == search.ROOT_INDEX else path
    return env


# After static-i18n (-100): in its outer build it builds the other languages and then merges all
# entries into the root index; splitting must see that final file. Inner builds split their own.
@event_priority(-110)
def on_post_build(*, config: MkDocsConfig) -> None:
    """Rewrite the root index as one index per language."""
    site = Path(config.site_dir)
    root = site / search.ROOT_INDEX
    if not root.is_file():
        return
    languages = _languages(config)
    translators = {
        code: search.material_strings(code, config.theme, config.config_file_path).__getitem__
        for code in languages.codes
    }
    merged = json.loads(root.read_text(encoding="utf-8"))
    for path, text in search.per_language(merged, languages.codes, languages.default, translators).items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text, encoding="utf-8")
