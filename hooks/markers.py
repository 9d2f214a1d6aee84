"""MkDocs hook: expand every page marker (``on_startup``, ``on_page_markdown``, ``on_page_content``).

One handler per namespace (forms: docs/en/contributing/conventions.md): ``table:`` a data table,
``ws:`` a template's preview, checklist or download links, ``fig:`` a worked-example figure inside
a sentence, ``i18n:`` the translation status or the term base, ``calc:`` the funnel calculator or
its steps. One pass per page, so no hook has to run before another; each namespace's data loads
on first use (memoised on the input bytes). Everything is validated before the build starts
(hooks/preflight.py). Markup: ``overrides/partials/*.html``; rendered HTML is held back from
Python-Markdown by a :class:`playbook.markers.HeldHTML`, one per ``build``/``serve`` run.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from playbook import calculator, figures, markers, partials, tables, ui
from playbook.data.cache import project_cache
from playbook.data.documents import DataError
from playbook.data.languages import load_languages
from playbook.templates import downloads, model, view
from playbook.translations import status, terms

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
    """Replace every marker with its rendered HTML (held) or, for ``fig:``, the figure's text."""
    if "<!--" not in markdown:
        return None
    try:
        offset = markers.body_offset(page.file.content_string, markdown)
        return markers.expand(markdown, _handlers(page, config, files), f"docs/{page.file.src_uri}", offset)
    except (markers.MarkerError, DataError, status.TranslationError) as exc:
        raise PluginError(str(exc)) from exc


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put the rendered HTML in place of its placeholders."""
    return _held.release(html)


def _handlers(page: Page, config: MkDocsConfig, files: Files) -> Mapping[str, markers.Handler]:
    """One handler per marker namespace, for this page in this language's build."""
    root = Path(config.config_file_path).parent
    data_dir, lang, theme = root / "data", config.theme["language"], config.theme

    def render(template: str, **context: object) -> str:
        return _held.hold(partials.get(theme, template).render(**context))

    @functools.cache
    def catalog() -> model.Catalog:
        return model.load_catalog(data_dir, load_languages(data_dir))

    @functools.cache
    def views() -> Mapping[str, view.WorksheetView]:
        return view.views(catalog(), lang, view.build_date(os.environ), project_cache(data_dir))

    def table(name: str, argument: str) -> str:
        known = tables.load_tables(data_dir, load_languages(data_dir))
        tables.marker_check(known)(name, argument)
        return render("data-table.html", table=tables.localize(known[name], lang))

    def ws(name: str, argument: str) -> str:
        name, sheet_id, variants = downloads.parse_marker(name, argument, catalog())
        if name == "preview":
            return render("worksheet-preview.html", view=views()[downloads.stem(sheet_id, variants[0])])
        blank = views()[sheet_id]
        if name == "checklist":
            return render("worksheet-checklist.html", view=blank, section=view.checklist(blank))

        def href(uri: str) -> str | None:
            file = files.get_file_from_path(downloads.source_uri(uri))
            return None if file is None else file.url_relative_to(page.file)

        groups = downloads.link_groups(views(), sheet_id, variants, lang, catalog().languages.default, href)
        return render("worksheet-download.html", view=blank, groups=groups, label=blank.labels["download"])

    @functools.cache
    def figure() -> markers.Handler:
        return figures.Figures(catalog(), lang).handler()

    def fig(name: str, argument: str) -> str:
        return figure()(name, argument)

    def i18n(name: str, argument: str) -> str:
        status.marker_check(name, argument)
        if name == "terms":
            languages = load_languages(data_dir)
            names = {language.code: language.name for language in languages.items}
            bases = [terms.load_term_base(path, languages) for path in terms.term_files(data_dir)]
            named = [(base, names[base.language]) for base in bases]
            return render("term-base.html", bases=named, labels=page.meta.get("term_labels") or {}, page_lang=lang)
        labels = page.meta.get("status_labels") or {}
        return render("translation-status.html", report=status.status(root), labels=labels)

    def calc(name: str, argument: str) -> str:
        calculator.check_marker(name, argument)
        if name == "steps":
            return render("funnel-steps.html", steps=calculator.steps(catalog(), lang), lang=lang)
        strings = ui.load_ui_strings(data_dir, load_languages(data_dir))[lang]
        return render("funnel-calculator.html", funnel=calculator.funnel(catalog(), lang), ui=strings)

    return {"table": table, "ws": ws, "fig": fig, "i18n": i18n, "calc": calc}
