"""The built site as a reader meets it: every page in every language, marked up correctly.

All assertions read the one strict build made by the ``built_site`` fixture.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
import pytest
import yaml

from playbook.project import CHECKOUT as ROOT
from playbook.project import build, default_language, languages

LANGS = languages()
DEFAULT = default_language()
EN_PAGES = sorted(p.relative_to(ROOT / "docs" / DEFAULT).as_posix() for p in (ROOT / "docs" / DEFAULT).rglob("*.md"))
MATERIAL_LANGS = Path(yaml.__file__).parent.parent / "material" / "templates" / "partials" / "languages"


def page_url(lang: str, src: str) -> str:
    """Site-relative URL of a page (directory URLs; default language at the root)."""
    stem = src[: -len(".md")]
    path = "" if stem == "index" else (stem[: -len("index")] if stem.endswith("/index") else stem + "/")
    return ("" if lang == DEFAULT else f"{lang}/") + path


def html_of(site: Path, lang: str, src: str) -> lxml.html.HtmlElement:
    file = site / page_url(lang, src) / "index.html"
    assert file.is_file(), f"{src} in {lang}: no {file.relative_to(site)}"
    return lxml.html.fromstring(file.read_bytes())


def material_string(lang: str, key: str) -> str:
    """A UI string as Material's own language partial defines it."""
    text = (MATERIAL_LANGS / f"{lang}.html").read_text(encoding="utf-8")
    match = re.search(rf'"{re.escape(key)}": "([^"]*)"', text)
    assert match, f"{key} not in Material's {lang} partial"
    return match.group(1)


def test_core_pages_exist_in_english() -> None:
    expected = {
        "index.md",
        "upstream-marketing.md",
        "downstream-marketing.md",
        "comparison.md",
        "using-both.md",
        "examples.md",
        "worked-example.md",
        "glossary.md",
        "sources.md",
    }
    assert expected <= set(EN_PAGES)


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_is_written_in_every_language(lang: str) -> None:
    missing = [src for src in EN_PAGES if not (ROOT / "docs" / lang / src).is_file()]
    assert not missing, f"docs/{lang}/ lacks {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_pages_declare_language_and_link_all_translations(built_site: Path, lang: str) -> None:
    for src in EN_PAGES:
        page_path = page_url(lang, src)
        tree = html_of(built_site, lang, src)
        assert tree.get("lang") == lang, f"{page_path}: <html lang={tree.get('lang')!r}>"
        assert not tree.cssselect(".playbook-fallback"), f"{page_path} is an English fallback"
        alternates = {
            link.get("hreflang"): urljoin("/" + page_path, link.get("href"))
            for link in tree.xpath('//head/link[@rel="alternate"][@hreflang]')
        }
        assert set(alternates) == set(LANGS), f"{page_path}: hreflang {sorted(alternates)}"
        for other in LANGS:
            assert alternates[other] == "/" + page_url(other, src), f"{page_path}: hreflang={other}"


@pytest.mark.parametrize("lang", LANGS)
def test_navigation_and_interface_speak_the_page_language(built_site: Path, lang: str) -> None:
    tree = html_of(built_site, lang, "comparison.md")
    # Nav labels are the H1s of this language's pages.
    nav_labels = {a.text_content().strip() for a in tree.cssselect("nav.md-nav--primary a.md-nav__link")}
    for src in ("upstream-marketing.md", "downstream-marketing.md", "glossary.md"):
        h1 = html_of(built_site, lang, src).cssselect("article h1")[0].text_content().replace("¶", "").strip()
        assert h1 in nav_labels, f"{lang}: nav lacks {h1!r}"
    # Material's UI strings in this language.
    search = tree.cssselect("input.md-search__input")[0]
    assert search.get("placeholder") == material_string(lang, "search.placeholder")
    assert tree.cssselect(".md-skip")[0].text_content().strip() == material_string(lang, "action.skip")
    site_name = yaml.safe_load((ROOT / "data" / "languages.yml").read_text(encoding="utf-8"))
    expected_name = next(e["site_name"] for e in site_name["languages"] if e["code"] == lang)
    assert expected_name in tree.cssselect("title")[0].text_content()


def _table_rows(tree: lxml.html.HtmlElement) -> dict[str, int]:
    return {t.get("id"): len(t.cssselect("tbody tr")) for t in tree.cssselect("table[id^=table-]")}


def test_data_tables_have_the_same_rows_in_every_language(built_site: Path) -> None:
    tables = yaml.safe_load
    for src, ids in {
        "comparison.md": {"table-differences", "table-definitions"},
        "examples.md": {"table-upstream-examples", "table-downstream-examples"},
    }.items():
        counts = {lang: _table_rows(html_of(built_site, lang, src)) for lang in LANGS}
        for lang in LANGS:
            assert ids <= set(counts[lang]), f"{lang}/{src}: tables {sorted(counts[lang])}"
            for table_id in ids:
                data = tables((ROOT / "data" / "tables" / f"{table_id[6:]}.yml").read_text(encoding="utf-8"))
                assert counts[lang][table_id] == len(data["rows"]), f"{lang}/{src} {table_id}"
    headed = html_of(built_site, "ja", "comparison.md").cssselect("table#table-differences")[0]
    assert headed.cssselect("thead th[scope=col]") and headed.cssselect("tbody th[scope=row]")
    assert headed.cssselect("caption")[0].text_content().strip()


def test_broken_internal_link_fails_the_build_naming_the_page(project_copy: Path) -> None:
    page = project_copy / "docs" / "de" / "comparison.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[kaputt](gibt-es-nicht.md)\n", encoding="utf-8")
    result = build(project_copy)
    assert result.returncode != 0
    assert re.search(r"de/comparison\.md.*gibt-es-nicht\.md", result.output), result.output[-2000:]
    assert "Aborted" in result.output


def test_not_found_page_offers_every_language(built_site: Path) -> None:
    tree = lxml.html.fromstring((built_site / "404.html").read_bytes())
    assert tree.get("lang") == DEFAULT
    ui = yaml.safe_load((ROOT / "data" / "ui.yml").read_text(encoding="utf-8"))["strings"]
    sections = {s.get("lang"): s for s in tree.cssselect("section.playbook-404")}
    assert list(sections) == LANGS
    for lang, section in sections.items():
        assert section.cssselect("h1")[0].text_content() == ui["not_found_title"][lang]
        assert section.cssselect("a")[0].get("href") == "/" + page_url(lang, "index.md")
        # Only the default language shows before the script picks the URL's language.
        assert (section.get("hidden") is None) == (lang == DEFAULT)
    assert not any((built_site / lang / "404.html").exists() for lang in LANGS if lang != DEFAULT)
