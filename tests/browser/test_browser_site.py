"""What a reader sees in chromium: language switching, search per language, downloads, privacy.

All tests use the session's one strict build (``built_site``) served on 127.0.0.1 under a mike-like
``/1.0/`` (see conftest.py). Search is Material's search box answered by each language's own
Pagefind bundle (hooks/search.py); tests/browser/test_browser_reader.py searches inflected,
compound and segmented words.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from playbook.project import CHECKOUT as ROOT
from playbook.project import default_language, languages
from tests.browser.conftest import CONTENT_TYPES, Site

pytestmark = pytest.mark.browser

#: One query per language and why it is a good probe.
SEARCHES = {
    # "funnel" is in the German pages too: they must not show up on the English site.
    "en": "funnel",
    # Base form; must find pages that only have inflected forms ("Kunden", "Kundensegment").
    "de": "Kunde",
    # Two kanji ("customer"): needs the Japanese segmenter; English pages must not show up.
    "ja": "顧客",
    # Pagefind stems Indonesian: the base form finds "pemasarannya" too.
    "id": "pemasaran",
}
#: First bytes of each download type, so a right Content-Type is not just a right file name.
MAGIC = {".pdf": b"%PDF-", ".docx": b"PK", ".xlsx": b"PK", ".pptx": b"PK", ".odt": b"PK", ".ods": b"PK"}


def prefix(code: str) -> str:
    """URL prefix of a language's pages inside the site."""
    return "" if code == default_language() else f"{code}/"


def site_path(site: Site, url: str) -> str:
    """Return a served URL as a path relative to the site root (``de/glossary/``)."""
    return unquote(urlsplit(url).path)[len(urlsplit(site.root).path) :]


def language_of_path(path: str) -> str:
    """Return the language a site path belongs to."""
    first = path.split("/", 1)[0]
    return first if first in languages() and first != default_language() else default_language()


def counterpart(path: str, code: str) -> str:
    """Return the same page in language ``code``."""
    own = language_of_path(path)
    return prefix(code) + path[len(prefix(own)) :]


def content_pages(site: Site, code: str) -> list[str]:
    """List a language's pages without error pages (those have no counterpart to switch to)."""
    return [p for p in site.pages[code] if not p.endswith(("404.html", "not-found.html"))]


def test_language_selector_keeps_the_page(context, served_site: Site) -> None:
    ctx, _ = context
    page = ctx.new_page()
    for code in languages():
        for path in content_pages(served_site, code):
            page.goto(served_site.url(path))
            links = page.eval_on_selector_all(
                ".md-header .md-select__link[hreflang]", "els => els.map(e => [e.hreflang, e.href])"
            )
            assert {lang for lang, _ in links} == set(languages()), f"{path}: language links {links}"
            for lang, href in links:
                assert site_path(served_site, href) == counterpart(path, lang), f"{path} -> {lang}: {href}"


@pytest.mark.parametrize("code", languages())
def test_missing_page_answers_in_the_language_of_its_url(context, served_site: Site, code: str) -> None:
    ctx, _ = context
    page = ctx.new_page()
    folder = "" if code == default_language() else f"{code}/"
    response = page.goto(served_site.url(f"{folder}no-such-page/"))
    assert response is not None and response.status == 404
    shown = page.locator("section.playbook-404")
    shown.wait_for()
    assert shown.get_attribute("lang") == code
    assert page.evaluate("document.documentElement.lang") == code
    assert site_path(served_site, shown.locator("a").evaluate("a => a.href")) == folder


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches ``selector``; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{page.url}: {selector} is not reachable with the Tab key")


@pytest.mark.parametrize("target", languages())
def test_language_switch_by_keyboard(context, served_site: Site, target: str) -> None:
    ctx, _ = context
    page = ctx.new_page()
    source = next(c for c in languages() if c != target)
    path = content_pages(served_site, source)[1]
    page.goto(served_site.url(path))
    _tab_to(page, ".md-header .md-select button")
    _tab_to(page, f".md-header .md-select__link[hreflang='{target}']", limit=len(languages()) + 1)
    assert page.locator(f".md-header .md-select__link[hreflang='{target}']").is_visible()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert site_path(served_site, page.url) == counterpart(path, target)


def test_version_selector_by_keyboard(context, served_site: Site) -> None:
    ctx, _ = context
    page = ctx.new_page()
    page.goto(served_site.url(prefix(languages()[-1])))
    page.wait_for_selector(".md-version__current")
    _tab_to(page, ".md-version__current")
    _tab_to(page, ".md-version__link", limit=3)
    assert page.locator(".md-version__link").first.is_visible()


def _words(html: str) -> str:
    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return " ".join(parser.parts)


@pytest.mark.parametrize("code", languages())
def test_search_finds_own_language_only(context, served_site: Site, code: str) -> None:
    query = SEARCHES.get(code)
    if query is None:
        pytest.fail(f"add a search probe for {code!r} to SEARCHES")
    ctx, requests = context
    page = ctx.new_page()
    page.goto(served_site.url(prefix(code)))
    page.click("input.md-search__input")
    page.keyboard.insert_text(query)
    page.keyboard.press("End")  # Material reads the query on keyup
    page.wait_for_selector(".md-search-result__item > a", timeout=15_000)
    hrefs = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.href)")
    found = {site_path(served_site, h).split("?")[0].split("#")[0] for h in hrefs}
    assert found, f"{code}: no results for {query!r}"
    wrong = sorted(p for p in found if language_of_path(p) != code)
    assert not wrong, f"{code}: {query!r} found pages of other languages: {wrong}"
    bundles = {site_path(served_site, u).split("pagefind/")[0] for u in requests.all if "/pagefind/" in u}
    assert bundles == {prefix(code)}, f"{code}: search files from {bundles}"
    if code == "de":
        # Inflected forms: some result page never has the bare query word, only longer forms.
        bare = re.compile(rf"\b{query}\b", re.IGNORECASE)
        texts = {p: _words((served_site.folder / p / "index.html").read_text(encoding="utf-8")) for p in found}
        assert any(not bare.search(t) and re.search(rf"\b{query}\w+", t, re.IGNORECASE) for t in texts.values()), (
            f"no result for {query!r} relies on an inflected form; pick another probe word"
        )


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def download_links(site: Site) -> dict[str, str]:
    """Every link to ``<lang>/downloads/`` on any page: {absolute URL: page it is on}."""
    links: dict[str, str] = {}
    for code in languages():
        for path in site.pages[code]:
            parser = _Links()
            file = site.folder / (path + "index.html" if path.endswith("/") or not path else path)
            parser.feed(file.read_text(encoding="utf-8"))
            for href in parser.hrefs:
                url = urljoin(site.url(path), href).split("#")[0]
                if "/downloads/" in urlsplit(url).path:
                    links.setdefault(url, path)
    return links


def test_download_links_answer_with_their_type(context, served_site: Site) -> None:
    links = download_links(served_site)
    if not links:
        if (ROOT / "hooks" / "worksheets.py").is_file():
            pytest.fail("hooks/downloads.py exists but no page links to a <lang>/downloads/ file")
        pytest.skip("no download links yet (hooks/downloads.py does not exist)")
    ctx, _ = context
    problems = []
    for url, page in sorted(links.items()):
        response = ctx.request.get(url)
        suffix = Path(urlsplit(url).path).suffix.lower()
        wanted = CONTENT_TYPES.get(suffix)
        got = response.headers.get("content-type", "").split(";")[0]
        if response.status != 200:
            problems.append(f"{page}: {url} answered {response.status}")
        elif wanted is None or got != wanted:
            problems.append(f"{page}: {url} is {got!r}, expected {wanted!r}")
        elif suffix in MAGIC and not response.body().startswith(MAGIC[suffix]):
            problems.append(f"{page}: {url} is not a {suffix} file")
    assert not problems, "\n".join(problems)


def test_no_request_leaves_localhost(context, served_site: Site) -> None:
    ctx, requests = context
    page = ctx.new_page()
    for code in languages():
        for path in served_site.pages[code]:
            page.goto(served_site.url(path), wait_until="networkidle")
        page.click("input.md-search__input")
        page.keyboard.insert_text(SEARCHES.get(code, "a"))
        page.keyboard.press("End")
        page.wait_for_selector(".md-search-result__item", timeout=15_000)
    assert len(requests.all) > sum(len(p) for p in served_site.pages.values())
    assert requests.foreign(served_site.root) == []


def test_head_alternates_stay_and_material_fetches_no_sitemap_for_them(context, served_site: Site) -> None:
    # Material looks for a sitemap.xml beside every <link rel=alternate> at DOMContentLoaded
    # (none exists beside a page: a failed request per language); header.js keeps the head's
    # alternates out of that lookup, and they are back once the page has loaded.
    ctx, requests = context
    page = ctx.new_page()
    for path in ("", "de/comparison/", "ja/templates/sales-marketing-sla/"):
        page.goto(served_site.url(path), wait_until="networkidle")
        links = page.eval_on_selector_all(
            "head link[rel=alternate][hreflang]", "els => els.map(e => [e.getAttribute('rel'), e.hreflang])"
        )
        assert links == [["alternate", code] for code in [*languages(), "x-default"]], (path, links)
    assert [url for url in requests.all if "sitemap" in url] == []
