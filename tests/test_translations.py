"""Translation status: stamps, missing/outdated pages and data strings, and a fifth language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from playbook import markers
from playbook.cli import sync_config, translations
from playbook.markers import MarkerError
from playbook.project import build, default_language, languages
from playbook.translations import status as ts

DEFAULT = default_language()
OTHERS = [code for code in languages() if code != DEFAULT]
DATE = "2026-01-15"


def stamp_all(root: Path) -> None:
    assert translations.main(["--root", str(root), "stamp", "--all", "--date", DATE]) == 0


def states(root: Path, source: str) -> dict[str, str]:
    """State per language; a stamped page counts as translated here (structure is test_parity's)."""
    return {e.lang: "translated" if e.state == "incomplete" else e.state for e in ts.status(root).entries
            if e.source == source}  # fmt: skip


# -- pure functions --------------------------------------------------------------------------------


def test_stamp_keeps_other_front_matter_and_is_idempotent() -> None:
    page = "---\ndescription: Kurz.\nupdated: 2020-01-01\ntranslation:\n  source_hash: 'old'\nhide: [toc]\n---\n\n# T\n"
    once = ts.stamp_page(page, dt.date(2026, 1, 15), "abc123def456")
    assert ts.read_meta(once, "p") == {
        "description": "Kurz.",
        "hide": ["toc"],
        "updated": "2026-01-15",  # the strict loader keeps dates as text
        "translation": {"source_hash": "abc123def456"},
    }
    assert once.endswith("---\n\n# T\n")
    assert ts.stamp_page(once, dt.date(2026, 1, 15), "abc123def456") == once


def test_stamp_adds_front_matter_to_a_page_without_it() -> None:
    stamped = ts.stamp_page("# Title\n", dt.date(2026, 1, 15), None)
    assert stamped == "---\nupdated: 2026-01-15\n---\n\n# Title\n"


def test_source_hash_ignores_the_stamp_but_not_the_description() -> None:
    page = "---\ndescription: One.\n---\n# T\n"
    assert ts.source_hash(ts.stamp_page(page, dt.date(2026, 1, 1), None)) == ts.source_hash(page)
    assert ts.source_hash(page.replace("One.", "Two.")) != ts.source_hash(page)
    assert ts.source_hash(page + "More.\n") != ts.source_hash(page)


def test_data_texts_need_the_default_language() -> None:
    data = {"id": "x", "rows": [{"id": "a", "label": {"en": "A", "de": "A"}}], "other": {"de": "nur"}}
    assert list(ts.iter_texts(data, "en")) == [("rows[0].label", {"en": "A", "de": "A"})]


def test_expand_replaces_only_i18n_markers_and_rejects_unknown_names() -> None:
    page = "<!-- table:differences -->\n\n<!-- i18n:status -->\n"

    def render(name: str, _argument: str) -> str:
        if name != "status":
            raise KeyError("only status")
        return "TABLE"

    assert markers.expand(page, {"i18n": render}, "docs/en/x.md") == "<!-- table:differences -->\n\nTABLE\n"
    with pytest.raises(MarkerError, match=r"docs/en/x.md, line 2: i18n:stats: only status"):
        markers.expand("\n<!-- i18n:stats -->\n", {"i18n": render}, "docs/en/x.md")


# -- the workflow in a copy of the repository ------------------------------------------------------


def test_english_only_page_is_missing_in_every_other_language(project_copy: Path) -> None:
    (project_copy / "docs" / DEFAULT / "new-page.md").write_text("# New\n\nText.\n", encoding="utf-8")
    report = ts.status(project_copy)
    missing = {e.lang: e for e in report.entries if e.source == f"docs/{DEFAULT}/new-page.md"}
    assert {lang: e.state for lang, e in missing.items()} == dict.fromkeys(OTHERS, "missing")
    assert len(OTHERS) == 3
    assert all(f"docs/{lang}/new-page.md" in missing[lang].fix for lang in OTHERS)


def test_changed_source_is_outdated_until_stamped(project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stamp_all(project_copy)
    source = f"docs/{DEFAULT}/glossary.md"
    assert states(project_copy, source) == dict.fromkeys(OTHERS, "translated")

    english = project_copy / source
    english.write_text(english.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    assert states(project_copy, source) == dict.fromkeys(OTHERS, "outdated")

    lang = OTHERS[0]
    assert (
        translations.main(["--root", str(project_copy), "stamp", str(project_copy / "docs" / lang / "glossary.md")])
        == 0
    )
    assert states(project_copy, source) == {code: "translated" if code == lang else "outdated" for code in OTHERS}
    meta = ts.read_meta((project_copy / "docs" / lang / "glossary.md").read_text(encoding="utf-8"), "p")
    assert meta["translation"]["source_hash"] == ts.source_hash(english.read_text(encoding="utf-8"))

    capsys.readouterr()
    assert translations.main(["--root", str(project_copy), "status"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith(source))
    assert [s if s == "outdated" else "translated" for s in row.split()[1:]] == [
        "translated" if code == lang else "outdated" for code in OTHERS
    ]


def test_data_strings_missing_outdated_and_stamped(project_copy: Path) -> None:
    stamp_all(project_copy)
    ui = project_copy / "data" / "ui.yml"
    text = ui.read_text(encoding="utf-8")
    assert states(project_copy, "data/ui.yml") == dict.fromkeys(OTHERS, "translated")

    ui.write_text(text.replace("    en: Last updated\n", "    en: Last changed\n"), encoding="utf-8")
    assert states(project_copy, "data/ui.yml") == dict.fromkeys(OTHERS, "outdated")
    root = str(project_copy)
    assert translations.main(["--root", root, "stamp", "data/ui.yml", "--lang", OTHERS[0]]) == 0
    assert states(project_copy, "data/ui.yml")[OTHERS[0]] == "translated"

    ui.write_text(text.replace("    de: Zuletzt aktualisiert\n", ""), encoding="utf-8")
    entry = next(e for e in ts.status(project_copy).entries if e.source == "data/ui.yml" and e.lang == "de")
    assert (entry.state, entry.detail) == ("missing", "no de text for strings.last_updated")
    assert translations.main(["--root", root, "stamp", "data/ui.yml", "--lang", "de"]) == 2


def _add_language(value: object, code: str) -> object:
    """Give every localized text a ``code`` entry (the English text: a translator's first draft)."""
    if ts._is_text(value, DEFAULT):
        return {**value, code: value[DEFAULT]}  # type: ignore[index, dict-item]
    if isinstance(value, dict):
        return {k: _add_language(v, code) for k, v in value.items()}
    if isinstance(value, list):
        return [_add_language(v, code) for v in value]
    return value


def test_a_fifth_language_is_data_and_content_only(project_copy: Path) -> None:
    """Only data/, docs/fr/ and the generated block of mkdocs.yml change; the site builds."""
    lang_file = project_copy / "data" / "languages.yml"
    data = yaml.safe_load(lang_file.read_text(encoding="utf-8"))
    data["languages"].append(
        {
            "code": "fr",
            "name": "Français",
            "site_name": "Guide du marketing amont et aval",
            "site_description": "Un guide pratique du marketing amont et aval.",
            "nav_translations": {"Contributing": "Contribuer", "Templates": "Modèles"},
        }
    )
    lang_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert sync_config.main(["--root", str(project_copy)]) == 1  # rewrote the block
    for path in ts.data_files(project_copy):
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(_add_language(content, "fr"), allow_unicode=True), encoding="utf-8")
    (project_copy / "docs" / "fr").mkdir()
    (project_copy / "docs" / "fr" / "index.md").write_text(
        "---\ndescription: Le marketing amont et aval expliqué simplement.\n---\n\n# Accueil\n\n"
        "Ce guide explique le marketing amont et aval.\n",
        encoding="utf-8",
    )

    report = ts.status(project_copy)
    assert "fr" in report.languages
    fr_pages = {e.source: e.state for e in report.entries if e.lang == "fr" and e.kind == "page"}
    assert fr_pages[f"docs/{DEFAULT}/index.md"] == "outdated"  # translated, not stamped yet
    assert fr_pages[f"docs/{DEFAULT}/glossary.md"] == "missing"

    stamp_all(project_copy)  # dates every page: "Last updated" below
    result = build(project_copy)
    assert result.returncode == 0, result.output
    glossary = (result.site / "fr" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert "playbook-fallback" in glossary  # the English page, with the "not translated yet" notice
    assert "playbook-fallback" not in (result.site / "fr" / "index.html").read_text(encoding="utf-8")
    assert "Contribuer" in glossary  # nav_translations from data/languages.yml
    status_page = (result.site / "fr" / "contributing" / "translation-status" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "<code>fr</code>" in status_page

    # "Last updated" from the front matter; "edit this page" opens the page's own file.
    def updated(path: Path) -> str:
        return str(ts.read_meta(path.read_text(encoding="utf-8"), str(path))["updated"])

    german = (result.site / "de" / "glossary" / "index.html").read_text(encoding="utf-8")
    date = updated(project_copy / "docs" / "de" / "glossary.md")
    assert f'<time datetime="{date}">{date}</time>' in german and "Zuletzt aktualisiert" in german
    assert "/edit/main/docs/de/glossary.md" in german
    assert f'<time datetime="{updated(project_copy / "docs" / DEFAULT / "glossary.md")}">' in glossary
    # A fallback page: the button opens the new-file form for the translation to create.
    assert "/new/main/docs/fr?filename=glossary.md" in glossary


def test_outdated_data_strings_name_the_fields_that_changed(project_copy: Path) -> None:
    table = project_copy / "data" / "tables" / "differences.yml"
    data = yaml.safe_load(table.read_text(encoding="utf-8"))
    old_caption = data["caption"][DEFAULT]
    assert old_caption in table.read_text(encoding="utf-8")
    table.write_text(table.read_text(encoding="utf-8").replace(old_caption, old_caption + " (revised)", 1), "utf-8")
    entries = [e for e in ts.status(project_copy).entries if e.source == "data/tables/differences.yml"]
    assert {e.state for e in entries} == {"outdated"}
    assert all(e.detail.endswith("in: caption") for e in entries), [e.detail for e in entries]
