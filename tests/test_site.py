"""The built site as a reader meets it: every page in every language, marked up correctly.

All assertions read the one strict build made by the ``built_site`` fixture.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import lxml.etree
import lxml.html
import pytest
import yaml

from playbook.project import CHECKOUT as ROOT
from playbook.project import build, copy_project, default_language, languages

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


SITE_URL = "https://playbook.example.org/"  # mkdocs.yml's default (no SITE_URL in the test build)
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


@pytest.mark.parametrize("lang", LANGS)
def test_pages_declare_language_and_absolute_head_alternates(built_site: Path, lang: str) -> None:
    for src in EN_PAGES:
        page_path = page_url(lang, src)
        tree = html_of(built_site, lang, src)
        assert tree.get("lang") == lang, f"{page_path}: <html lang={tree.get('lang')!r}>"
        assert not tree.cssselect(".playbook-fallback"), f"{page_path} is an English fallback"
        # The same alternates as sitemap.xml: every language, absolute from site_url, x-default.
        links = {a.get("hreflang"): a.get("href") for a in tree.xpath('//head/link[@rel="alternate"]')}
        expected = {other: SITE_URL + page_url(other, src) for other in LANGS}
        expected["x-default"] = SITE_URL + page_url(DEFAULT, src)
        assert links == expected, f"{page_path}: {links}"


def test_sitemap_links_every_translation_absolutely_with_x_default(built_site: Path) -> None:
    tree = lxml.etree.parse(str(built_site / "sitemap.xml"))
    urls = {u.findtext("s:loc", namespaces=SITEMAP_NS): u for u in tree.findall("s:url", SITEMAP_NS)}
    for lang in LANGS:
        for src in EN_PAGES:
            loc = SITE_URL + page_url(lang, src)
            assert loc in urls, f"sitemap lacks {loc}"
            links = {x.get("hreflang"): x.get("href") for x in urls[loc].findall("x:link", SITEMAP_NS)}
            expected = {other: SITE_URL + page_url(other, src) for other in LANGS}
            expected["x-default"] = SITE_URL + page_url(DEFAULT, src)
            assert links == expected, f"{loc}: {links}"


@pytest.mark.parametrize("lang", LANGS)
def test_meta_description_is_the_whole_front_matter_value(built_site: Path, lang: str) -> None:
    for src in ("index.md", "comparison.md"):
        text = (ROOT / "docs" / lang / src).read_text(encoding="utf-8")
        wanted = yaml.safe_load(text.split("---", 2)[1])["description"]
        metas = html_of(built_site, lang, src).xpath('//head/meta[@name="description"]')
        assert [m.get("content") for m in metas] == [wanted], f"{lang}/{src}"


def test_home_pages_have_a_real_title_and_cards_to_the_three_tasks(built_site: Path) -> None:
    for lang in LANGS:
        tree = html_of(built_site, lang, "index.md")
        h1 = tree.cssselect("article h1")[0].text_content().replace("¶", "").strip()
        assert h1 not in ("Home", "Startseite", "ホーム", "Beranda") and len(h1) > 20, f"{lang}: {h1!r}"
        cards = tree.cssselect("article .grid.cards > ul > li")
        targets = [{a.get("href") for a in card.cssselect("a")} for card in cards]
        assert len(cards) == 3, f"{lang}: {len(cards)} cards"
        assert any("upstream-marketing/" in t for t in targets[0]), targets
        assert any("comparison/" in t for t in targets[1]) and any("templates/" in t for t in targets[2])


def test_no_markdown_attribute_is_left_in_our_partials(built_site: Path) -> None:
    pages = ("comparison/index.html", "de/contributing/translation-status/index.html",
             "ja/templates/upstream-plan/index.html", "id/contributing/translating/index.html")  # fmt: skip
    for path in pages:
        tree = lxml.html.fromstring((built_site / path).read_bytes())
        ours = tree.cssselect(".playbook-table, .playbook-worksheet, .playbook-downloads, .playbook-term-base")
        assert ours and not [el for el in ours if el.get("markdown") is not None], path


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


def test_not_found_loader_offers_every_language_and_loads_nothing(built_site: Path) -> None:
    tree = lxml.html.fromstring((built_site / "404.html").read_bytes())
    assert tree.get("lang") == DEFAULT
    ui = yaml.safe_load((ROOT / "data" / "ui.yml").read_text(encoding="utf-8"))["strings"]
    sections = {s.get("lang"): s for s in tree.cssselect("section")}
    assert list(sections) == LANGS
    for lang, section in sections.items():
        assert section.cssselect("h1")[0].text_content() == ui["not_found_title"][lang]
        assert section.cssselect("a")[0].get("href") == "/" + page_url(lang, "index.md")
    # No stylesheet or script file of its own: it shows the page of the URL's language.
    assert not tree.xpath("//link[@rel='stylesheet'] | //script[@src]")


@pytest.mark.parametrize("lang", LANGS)
def test_not_found_page_of_each_language_is_fully_localized(built_site: Path, lang: str) -> None:
    folder = "" if lang == DEFAULT else f"{lang}/"
    tree = lxml.html.fromstring((built_site / folder / "not-found.html").read_bytes())
    ui = yaml.safe_load((ROOT / "data" / "ui.yml").read_text(encoding="utf-8"))["strings"]
    assert tree.get("lang") == lang
    assert tree.cssselect("title")[0].text_content().startswith(ui["not_found_title"][lang] + " - ")
    assert tree.cssselect("article h1")[0].text_content() == ui["not_found_title"][lang]
    assert tree.cssselect("input.md-search__input")[0].get("placeholder") == material_string(lang, "search.placeholder")
    assert ui["made_with"][lang] in tree.cssselect(".md-copyright")[0].text_content()


PAYLOAD = '<b data-x="1">"Q&A" \'s</b>'
#: Site names and page titles are printed raw by Material, so their schemas refuse markup and quotes
#: (tests/test_inputs.py); what they allow (an ampersand, an apostrophe) must still come out as text.
PLAIN = "Q&A 's guide"


@pytest.fixture(scope="module")
def altered_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build of a copy with a markup payload in data and front matter, and one page untranslated."""
    project_copy = copy_project(tmp_path_factory.mktemp("altered") / "project")
    ui_file = project_copy / "data" / "ui.yml"
    ui = yaml.safe_load(ui_file.read_text(encoding="utf-8"))
    for key in ("site_short", "made_with", "not_found_title", "calc_title"):
        ui["strings"][key][DEFAULT] = PAYLOAD
    ui_file.write_text(yaml.safe_dump(ui, allow_unicode=True), encoding="utf-8")
    languages_file = project_copy / "data" / "languages.yml"
    langs = yaml.safe_load(languages_file.read_text(encoding="utf-8"))
    next(e for e in langs["languages"] if e["code"] == DEFAULT)["site_name"] = PLAIN
    languages_file.write_text(yaml.safe_dump(langs, allow_unicode=True), encoding="utf-8")
    sync = subprocess.run([sys.executable, "-m", "playbook", "sync-config"], cwd=project_copy, capture_output=True)
    assert b"Traceback" not in sync.stderr, sync.stderr
    page = project_copy / "docs" / DEFAULT / "glossary.md"
    body = page.read_text(encoding="utf-8").split("---", 2)[2]
    page.write_text(f"---\ntitle: {json.dumps(PLAIN)}\ndescription: {json.dumps(PAYLOAD)}\n---{body}", encoding="utf-8")
    (project_copy / "docs" / "de" / "sources.md").unlink()  # de/sources/ becomes an English fallback
    result = build(project_copy)
    assert result.returncode == 0, result.output[-3000:]
    return result.site


def test_data_and_front_matter_are_text_in_every_template(altered_site: Path) -> None:
    """A markup payload in a UI string, a site name and front matter comes out as text."""
    site = altered_site
    tree = lxml.html.fromstring((site / "glossary" / "index.html").read_bytes())
    assert tree.cssselect("title")[0].text_content() == f"{PLAIN} - {PLAIN}"
    assert tree.xpath('//head/meta[@name="description"]/@content') == [PAYLOAD]
    header = tree.cssselect("header.md-header")[0]
    assert PLAIN in header.cssselect(".playbook-title--full")[0].text_content()
    assert PAYLOAD in header.cssselect(".playbook-title--short")[0].text_content()
    assert PLAIN in header.cssselect("[data-md-component=header-topic]")[0].text_content()
    assert PAYLOAD in tree.cssselect(".md-copyright")[0].text_content()
    for html in (
        tree,
        lxml.html.fromstring((site / "not-found.html").read_bytes()),
        lxml.html.fromstring((site / "404.html").read_bytes()),
        lxml.html.fromstring((site / "templates" / "sales-marketing-sla" / "index.html").read_bytes()),
    ):
        for part in ("head", "header", ".md-copyright", ".playbook-calculator", ".playbook-404", "section"):
            for el in html.cssselect(part):
                assert not el.cssselect("b[data-x]"), f"markup from data rendered as HTML in {part}"


#: Nu checker messages that come from Material's own templates (base.html's checkbox toggles
#: with autocomplete, nav.html's `tabindex=""` labels and its label for the absent `__toc`
#: toggle on pages without a table of contents), not from this project's.
MATERIAL_NU = (
    "Attribute “autocomplete” is only allowed when the input type is",
    "Bad value “” for attribute “tabindex” on element “label”",
    "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
)


@pytest.mark.skipif(not os.environ.get("VNU_JAR"), reason="set VNU_JAR to a vnu.jar (npm vnu-jar) and have java")
def test_nu_checker_finds_nothing_from_our_templates_or_content(built_site: Path) -> None:
    pages = [built_site / page_url(lang, src) / "index.html" for lang in LANGS for src in EN_PAGES]
    pages += [built_site / "404.html", *(built_site / p for p in ("not-found.html", "de/not-found.html"))]
    result = subprocess.run(
        ["java", "-jar", os.environ["VNU_JAR"], "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    ours = [
        f"{m['url'].rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if not m["message"].startswith(MATERIAL_NU)
    ]
    assert not ours, "\n".join(ours[:40])


def test_fallback_page_links_the_guide_and_edits_the_translation_to_create(altered_site: Path) -> None:
    tree = lxml.html.fromstring((altered_site / "de" / "sources" / "index.html").read_bytes())
    ui = yaml.safe_load((ROOT / "data" / "ui.yml").read_text(encoding="utf-8"))["strings"]
    notice = tree.cssselect(".playbook-fallback")[0]
    assert notice.cssselect(".admonition-title")[0].text_content() == ui["fallback_title"]["de"]
    link = notice.cssselect("a")[0]
    assert link.text_content() == ui["fallback_link"]["de"]
    assert urljoin("/de/sources/", link.get("href")) == "/de/contributing/translating/"
    edit = tree.cssselect("a.md-content__button[rel=edit]")[0].get("href")
    assert edit == "https://github.com/example/marketing-playbook/new/main/docs/de?filename=sources.md"
    translated = lxml.html.fromstring((altered_site / "de" / "glossary" / "index.html").read_bytes())
    own = translated.cssselect("a.md-content__button[rel=edit]")[0].get("href")
    assert own.endswith("/edit/main/docs/de/glossary.md")


@pytest.mark.parametrize("lang", LANGS)
def test_language_menu_marks_the_current_language(built_site: Path, lang: str) -> None:
    links = html_of(built_site, lang, "comparison.md").cssselect(".md-header .md-select__link")
    current = [a.get("hreflang") for a in links if a.get("aria-current") == "true"]
    assert current == [lang]
    assert all(a.get("lang") == a.get("hreflang") for a in links)
