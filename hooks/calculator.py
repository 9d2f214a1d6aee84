"""MkDocs hook: the live funnel calculator (``on_startup``, ``on_page_markdown``, ``on_page_content``).

Marker:
    ``<!-- calc:funnel -->``   the funnel calculator of the Sales & Marketing SLA (playbook.calculator).
    ``<!-- calc:steps -->``    the same arithmetic step by step with the worked example's figures.

Ordering: mkdocs.yml lists this hook *before* hooks/markers.py (both handle ``on_page_markdown``
at the default priority), so the ``calc:`` marker is gone before markers.py, which rejects
namespaces it does not know, looks for markers. The rendered HTML is held away from
Python-Markdown (``markers.HeldHTML``, one per run) and put back in ``on_page_content``.
Markup and script: overrides/partials/funnel-calculator.html.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from playbook import calculator, markers, partials, ui
from playbook.data.documents import DataError
from playbook.data.languages import load_languages
from playbook.templates import model

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

_held = markers.HeldHTML()


def on_startup(*, command: str, dirty: bool) -> None:
    """A new run holds nothing of an earlier one."""
    global _held  # noqa: PLW0603 - the one per-run object, replaced here only
    _held = markers.HeldHTML()


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Replace ``<!-- calc:funnel -->`` with the rendered calculator, ``<!-- calc:steps -->`` with the steps."""
    if f"<!-- {calculator.NAMESPACE}:" not in markdown:
        return None
    data_dir = Path(config.config_file_path).parent / "data"
    lang = config.theme["language"]

    def render(name: str, argument: str) -> str:
        calculator.check_marker(name, argument)
        languages = load_languages(data_dir)
        catalog = model.load_catalog(data_dir, languages)
        if name == "steps":
            steps = calculator.steps(catalog, lang)
            return _held.hold(partials.get(config.theme, "funnel-steps.html").render(steps=steps, lang=lang))
        funnel = calculator.funnel(catalog, lang)
        strings = ui.load_ui_strings(data_dir, languages)[lang]
        return _held.hold(partials.get(config.theme, "funnel-calculator.html").render(funnel=funnel, ui=strings))

    try:
        offset = markers.body_offset(page.file.content_string, markdown)
        return markers.expand(markdown, {calculator.NAMESPACE: render}, f"docs/{page.file.src_uri}", offset)
    except (markers.MarkerError, DataError) as exc:
        raise PluginError(str(exc)) from exc


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put the rendered calculator in place of its placeholder."""
    return _held.release(html)
