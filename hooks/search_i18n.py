"""MkDocs hook: one search index per language (``on_env``, ``on_post_build``).

Material's search plugin writes every page it sees into ``search/search_index.json``, and
static-i18n (``reconfigure_search: false``) finally rewrites that file with all languages merged.
This hook splits the index by language after that, so each language gets its own file with
lunr settings for that language (see ``search_i18n_index``), and tells templates where the
page's language index is (``search_index``; ``None`` for the default language, whose index
stays where Material looks). ``overrides/main.html`` points the page's search at it.

No markers. Output depends only on the written index, so repeated runs give the same files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import playbook_data
import search_i18n_index
import theme_partials
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


def _languages(config: MkDocsConfig) -> playbook_data.Languages:
    try:
        return playbook_data.load_languages(Path(config.config_file_path).parent / "data")
    except playbook_data.DataError as exc:
        raise PluginError(f"Invalid data file:\n{exc}") from exc


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    """Expose ``search_index``: this language's index path from the site root, or None if default."""
    path = search_i18n_index.index_path(config.theme["language"], _languages(config).default)
    env.globals["search_index"] = None if path == search_i18n_index.ROOT_INDEX else path
    return env


#: Material's search strings per language, keyed on the language and the theme's language files.
_strings: dict[str, dict[str, str]] = {}


def _material_strings(code: str, config: MkDocsConfig) -> dict[str, str]:
    """Material's per-language search settings, read the way its search plugin reads them.

    Rendering Material's language partial takes ~10 ms per language; the answer only changes with
    the theme's language files, whose paths and times are the key. Kept in memory for the run and
    in ``.cache/data/material-search.pickle`` for the next build.
    """
    names = ("partials/language.html", f"partials/languages/{code}.html", "partials/languages/en.html")
    stamp = [
        [str(path), path.stat().st_mtime_ns]
        for folder in theme_partials.folders(config.theme)
        for path in (Path(folder) / name for name in names)
        if path.is_file()
    ]
    key = json.dumps([code, stamp])
    stored = playbook_data.cache_folder(config.config_file_path, "data") / "material-search.pickle"
    if key not in _strings:
        found = playbook_data.read_pickle(stored)
        _strings.update(found if isinstance(found, dict) else {})
    if key not in _strings:
        template = theme_partials.get(config.theme, "language.html", config.config_file_path)
        t = template.make_module({"config": {"theme": {"language": code}}}).t
        _strings[key] = {name: t(name) for name in search_i18n_index.MATERIAL_KEYS}
        playbook_data.write_pickle(stored, _strings, "material-search.pickle")
    return _strings[key]


# After static-i18n (-100): in its outer build it builds the other languages and then merges all
# entries into the root index; splitting must see that final file. Inner builds split their own.
@event_priority(-110)
def on_post_build(*, config: MkDocsConfig) -> None:
    """Rewrite the root index as one index per language."""
    site = Path(config.site_dir)
    root = site / search_i18n_index.ROOT_INDEX
    if not root.is_file():
        return
    languages = _languages(config)
    translators = {code: _material_strings(code, config).__getitem__ for code in languages.codes}
    merged = json.loads(root.read_text(encoding="utf-8"))
    for path, text in search_i18n_index.per_language(merged, languages.codes, languages.default, translators).items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text, encoding="utf-8")
