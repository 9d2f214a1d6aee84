"""MkDocs hook: check every input before anything is written (``on_pre_build``).

MkDocs empties ``site_dir`` right after the first ``on_pre_build``; mkdocs-static-i18n then builds
each language in turn. :func:`playbook.preflight.check` reads every data file, every page's front
matter and every marker of every language first, so a bad input stops the build with every
problem listed and the previous ``site/`` untouched. Listed first under ``hooks:`` in mkdocs.yml.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from playbook import preflight

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


def on_pre_build(*, config: MkDocsConfig) -> None:
    """Run the preflight once per build: in the first language's build, not in static-i18n's others."""
    i18n = config.plugins.get("i18n")
    if getattr(i18n, "building", False):
        return
    problems = preflight.check(Path(config.config_file_path).parent, config.nav)
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        raise PluginError(f"{count} in the inputs; nothing was written:\n" + "\n".join(problems))
