"""A new language can be previewed before all of its data strings exist.

The copy declares French in data/languages.yml and translates one page, nothing else: no data
string, no nav label. The strict build must still succeed; where a French text is missing the
English one stands in, marked as English, under a notice in the page's chrome; the translation
status lists every missing string as pending (a release, ``--strict``, refuses it).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from playbook.cli import sync_config, translations
from playbook.project import build, copy_project

FRENCH = """\
  - code: fr
    name: Français
    paper: A4
    site_name: Guide du marketing amont et aval
    site_description: Un guide pratique du marketing amont et aval, avec des modèles de planification.
"""


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy with French declared and only two pages "translated" (copied and stamped)."""
    project = copy_project(tmp_path_factory.mktemp("french") / "project")
    languages = project / "data" / "languages.yml"
    languages.write_text(languages.read_text(encoding="utf-8") + FRENCH, encoding="utf-8")
    assert sync_config.main(["--root", str(project)]) in (0, 1)  # 1: "regenerated, run again"
    # A stranger's English text stands in for French: still escaped.
    ownership = project / "data" / "tables" / "ownership.yml"
    text = ownership.read_text(encoding="utf-8")
    ownership.write_text(text.replace("\ncaption:\n  en: ", "\ncaption:\n  en: <i>Raw</i> ", 1), encoding="utf-8")
    (project / "docs" / "fr").mkdir()
    for page in ("comparison.md", "ownership.md", "templates/upstream-plan.md"):
        english = (project / "docs" / "en" / page).read_text(encoding="utf-8")
        (project / "docs" / "fr" / page).parent.mkdir(parents=True, exist_ok=True)
        (project / "docs" / "fr" / page).write_text(english, encoding="utf-8")
        assert translations.main(["--root", str(project), "stamp", f"docs/fr/{page}"]) == 0
    return project


@pytest.fixture(scope="module")
def french_site(french: Path) -> Path:
    result = build(french)
    assert result.returncode == 0, result.output
    assert "WARNING" not in result.output
    return result.site


class Untranslated(HTMLParser):
    """Collects the text of elements marked ``class="playbook-untranslated"`` with their lang."""

    def __init__(self) -> None:
        super().__init__()
        self.marked: list[tuple[str, str]] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a marked element."""
        found = dict(attrs)
        if "playbook-untranslated" in (found.get("class") or "").split():
            self._open = found.get("lang") or ""
            self.marked.append((self._open, ""))

    def handle_endtag(self, tag: str) -> None:
        """Close it (marked elements are spans)."""
        if tag == "span":
            self._open = None

    def handle_data(self, data: str) -> None:
        """Collect the marked text."""
        if self._open is not None:
            lang, text = self.marked[-1]
            self.marked[-1] = (lang, text + data)


def marked(html: str) -> list[tuple[str, str]]:
    parser = Untranslated()
    parser.feed(html)
    return parser.marked


def test_the_new_language_builds_strictly_with_pages_and_downloads(french_site: Path) -> None:
    assert re.search(r'<html lang="fr"', (french_site / "fr" / "comparison" / "index.html").read_text("utf-8"))
    downloads = sorted(p.name for p in (french_site / "fr" / "downloads").iterdir())
    assert "sales-marketing-sla.xlsx" in downloads and "upstream-plan-example.pdf" in downloads


def test_missing_data_texts_show_in_english_marked_and_under_a_notice(french_site: Path) -> None:
    html = (french_site / "fr" / "comparison" / "index.html").read_text("utf-8")
    table = Path(__file__).resolve().parent.parent / "data" / "tables" / "differences.yml"
    caption = re.search(r"^caption:\n  en: (.+)$", table.read_text("utf-8"), re.M)
    assert caption, "differences.yml starts with its English caption"
    found = marked(html)
    assert ("en", caption.group(1).strip().strip('"')) in found
    assert all(lang == "en" for lang, _ in found)
    notice = re.search(r'<div class="admonition note playbook-fallback">(.*?)</div>', html, re.S)
    assert notice, "the page says that some texts are not translated yet"
    assert "not translated yet" in notice.group(1)
    assert re.search(r'href="[^"]*contributing/translating/"', notice.group(1))


def test_a_template_preview_marks_its_english_texts(french_site: Path) -> None:
    html = (french_site / "fr" / "templates" / "upstream-plan" / "index.html").read_text("utf-8")
    sheet = Path(__file__).resolve().parent.parent / "data" / "worksheets" / "upstream-plan.yml"
    title = re.search(r"^title:\n  en: (.+)$", sheet.read_text("utf-8"), re.M)
    assert title, "upstream-plan.yml starts with its English title"
    assert ("en", title.group(1).strip()) in marked(html)
    assert "playbook-fallback" in html  # the notice


def test_an_english_stand_in_is_escaped_like_any_text(french_site: Path) -> None:
    html = (french_site / "fr" / "ownership" / "index.html").read_text("utf-8")
    assert "<i>Raw</i>" not in html
    assert ("en", "<i>Raw</i> Who owns what, from the upstream plan to the review") in marked(html)


def test_a_fully_translated_page_has_no_notice(french_site: Path) -> None:
    html = (french_site / "de" / "comparison" / "index.html").read_text("utf-8")
    assert marked(html) == []
    assert "playbook-fallback" not in html


def test_every_missing_string_is_pending_and_a_release_refuses_it(
    french: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert translations.main(["--root", str(french), "status", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^data/tables/differences\.yml: missing: no fr text for caption", out, re.M)
    assert re.search(r"^data/ui\.yml: missing: no fr text for", out, re.M)
    assert "data/languages.yml: missing: no nav_translations for 'Contributing', 'Templates'" in out
    assert "docs/fr/comparison.md" not in out  # translated and stamped: not pending
    assert translations.main(["--root", str(french), "status", "--lang", "fr", "--strict"]) != 0
