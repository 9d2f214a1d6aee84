"""What a reader sees in chromium: search per language, calculator, banner, 404, phone tables, clean loads.

Search that understands each language, the funnel calculator, the outdated-edition banner,
localized 404 pages, tables at phone width, and pages that load without errors.

All tests use the session's strict build served under a mike-like ``/1.0/`` (conftest.py).
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml

from playbook.calculator import as_typed
from playbook.data.languages import load_languages
from playbook.project import CHECKOUT as ROOT
from playbook.project import default_language, languages
from playbook.templates import model
from playbook.templates.view import evaluate, format_result
from tests.browser.conftest import Site, _Handler

pytestmark = pytest.mark.browser

#: (language, query, the page that must come first). Each query is a form the page's text does
#: not always have as such: plural/inflected (en, id), a German compound, Japanese without spaces.
FIRST = [
    ("en", "campaigns", "templates/downstream-campaign/"),
    ("de", "Kampagnen", "de/templates/downstream-campaign/"),
    ("de", "Kundensegmente", "de/templates/upstream-plan/"),
    ("id", "kampanyenya", "id/templates/downstream-campaign/"),
    ("ja", "営業チーム", "ja/templates/sales-marketing-sla/"),
    ("ja", "ダウンストリーム・マーケティング", "ja/downstream-marketing/"),
]
#: (language, query, a literal form): stemming or segmentation finds more pages than the literal.
WIDER = [("en", "campaigns"), ("id", "kampanyenya"), ("de", "Kampagnen")]
#: Japanese words the old index could not find although the pages contain them.
JAPANESE = ["見込み客", "購買プロセス", "営業チーム"]


def prefix(code: str) -> str:
    return "" if code == default_language() else f"{code}/"


def site_path(site: Site, url: str) -> str:
    return unquote(urlsplit(url).path)[len(urlsplit(site.root).path) :]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("script", "style") and self.skip > 0

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def article_text(site: Site, path: str) -> str:
    html = (site.folder / path / "index.html").read_text(encoding="utf-8")
    body = html.split("<article", 1)[1].split("</article>", 1)[0]
    parser = _Text()
    parser.feed(body)
    return " ".join(parser.parts)


def search(page, query: str) -> list[str]:
    """Open search with Material's `/` shortcut, enter ``query``, return the result page URLs."""
    page.keyboard.press("/")
    page.keyboard.insert_text(query)
    page.keyboard.press("End")  # Material reads the query on keyup
    page.wait_for_selector(".md-search-result__item > a", timeout=15_000)
    # Material renders ten results and the next ten as the reader scrolls the list: scroll to the end.
    count = -1
    for _ in range(20):
        links = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.href)")
        if len(links) == count:
            break
        count = len(links)
        page.eval_on_selector(".md-search__scrollwrap", "el => el.scrollTo(0, el.scrollHeight)")
        page.wait_for_timeout(300)
    return links


@pytest.mark.parametrize(("code", "query", "first"), FIRST)
def test_search_puts_the_expected_page_first_and_stays_in_the_language(
    context, served_site: Site, code: str, query: str, first: str
) -> None:
    ctx, _ = context
    page = ctx.new_page()
    page.goto(served_site.url(prefix(code) + "glossary/"))
    pages = [site_path(served_site, h).split("?")[0] for h in search(page, query)]
    assert pages[0] == first, f"{code} {query!r}: {pages[:3]}"
    others = [
        p
        for p in pages
        if not p.startswith(prefix(code)) or any(p.startswith(f"{c}/") for c in languages() if c != code)
    ]
    assert not others, f"{code} {query!r}: results in other languages {others}"


@pytest.mark.parametrize(("code", "query"), WIDER)
def test_search_finds_more_pages_than_carry_the_literal_form(context, served_site: Site, code: str, query: str) -> None:
    literal = [
        p
        for p in served_site.pages[code]
        if p.endswith("/") or p == prefix(code)
        if re.search(rf"(?<!\w){query}(?!\w)", article_text(served_site, p), re.IGNORECASE)
    ]
    ctx, _ = context
    page = ctx.new_page()
    page.goto(served_site.url(prefix(code)))
    found = {site_path(served_site, h).split("?")[0] for h in search(page, query)}
    assert set(literal) <= found, f"{query!r}: pages with the word itself missing: {set(literal) - found}"
    assert len(found) > len(literal), f"{query!r}: {len(found)} results, {len(literal)} with the literal form"


@pytest.mark.parametrize("query", JAPANESE)
def test_japanese_words_are_found_on_every_page_that_has_them(context, served_site: Site, query: str) -> None:
    having = {p for p in served_site.pages["ja"] if p.endswith("/") and query in article_text(served_site, p)}
    assert having, f"no Japanese page contains {query!r}"
    ctx, _ = context
    page = ctx.new_page()
    page.goto(served_site.url("ja/"))
    found = {site_path(served_site, h).split("?")[0] for h in search(page, query)}
    assert having <= found, f"{query!r}: not found on {sorted(having - found)}"


def test_nothing_search_related_loads_before_the_reader_searches(context, served_site: Site) -> None:
    ctx, requests = context
    page = ctx.new_page()
    for code in languages():
        page.goto(served_site.url(prefix(code) + "comparison/"), wait_until="networkidle")
        page.keyboard.press("/")  # opening the search box alone fetches nothing either
        page.wait_for_timeout(300)
    fetched = [u for u in requests.all if re.search(r"pagefind|search", urlsplit(u).path)]
    assert fetched == [], fetched
    page.goto(served_site.url("id/comparison/"))
    search(page, "kampanye")
    assert any("/pagefind/" in u for u in requests.all)


def test_search_by_keyboard_opens_the_result_with_the_words_marked(context, served_site: Site) -> None:
    ctx, _ = context
    page = ctx.new_page()
    page.goto(served_site.url("de/glossary/"))
    page.keyboard.press("s")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.insert_text("Kampagnen")
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item > a")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.href")
    assert site_path(served_site, focused).startswith("de/templates/downstream-campaign/")
    assert page.locator(".md-search-result mark").count() > 0  # highlighted in the results
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert parse_qs(urlsplit(page.url).query)["h"] == ["Kampagnen"]
    page.wait_for_selector("article mark", timeout=10_000)
    marked = page.eval_on_selector_all("article mark", "els => els.map(e => e.textContent)")
    assert any(m.lower().startswith("kampagne") for m in marked), marked


# -- Funnel calculator ------------------------------------------------------------------------

CALCULATOR_PAGES = ["templates/sales-marketing-sla/", "worked-example/"]
CASES = [
    {
        "revenue-goal": "2000000",
        "marketing-share": "45",
        "average-deal-value": "35000",
        "opportunity-to-close": "22.5",
        "sql-to-opportunity": "55",
        "sal-to-sql": "45",
        "mql-to-sal": "70",
        "lead-to-mql": "33",
        "visitor-to-lead": "1.7",
        "period-months": "9",
    },
    {
        "revenue-goal": "500000",
        "marketing-share": "100",
        "average-deal-value": "12500",
        "opportunity-to-close": "40",
        "sql-to-opportunity": "60",
        "sal-to-sql": "50",
        "mql-to-sal": "80",
        "lead-to-mql": "25",
        "visitor-to-lead": "4",
        "period-months": "6",
    },
]


@functools.cache
def _funnel_fields() -> tuple[list[tuple[str, str]], list[tuple[str, object]]]:
    data = ROOT / "data"
    sheet = model.load_catalog(data, load_languages(data)).worksheets["sales-marketing-sla"]
    fields = next(s for s in sheet.sections if s.id == "funnel").fields
    numeric = [(f.id, f.kind) for f in fields if f.formula is None and f.kind in ("number", "percent", "currency")]
    return numeric, [(f.id, f.formula) for f in fields if f.formula]


def expected(case: dict[str, str]) -> dict[str, int | float | None]:
    """The targets Python computes (playbook.templates.view.evaluate) from the typed figures."""
    inputs, formulas = _funnel_fields()
    numbers: dict[str, float | int | None] = {
        fid: float(case[fid]) / 100 if kind == "percent" else float(case[fid]) for fid, kind in inputs
    }
    out: dict[str, int | float | None] = {}
    for fid, formula in formulas:
        numbers[fid] = out[fid] = evaluate(formula, numbers)
    return out


def expected_texts(case: dict[str, str], lang: str) -> dict[str, str]:
    """The targets as the build prints them in ``lang`` (Babel), which the script must match."""
    formulas = dict(_funnel_fields()[1])
    return {fid: format_result(value, formulas[fid], lang, "USD") for fid, value in expected(case).items()}


def shown(page) -> dict[str, str]:
    return dict(
        page.eval_on_selector_all("#funnel-calculator output", "els => els.map(e => [e.dataset.id, e.textContent])")
    )


@pytest.mark.parametrize("code", languages())
def test_calculator_recomputes_as_the_reader_types(context, served_site: Site, code: str) -> None:
    ctx, _ = context
    page = ctx.new_page()
    page.goto(served_site.url(prefix(code) + CALCULATOR_PAGES[languages().index(code) % 2]))
    for case in CASES:
        for fid, value in case.items():
            page.fill(f"#calc-{fid}", value)
        assert shown(page) == expected_texts(case, code), f"{code}: {case}"
        query = parse_qs(urlsplit(page.url).query)
        assert {k: v[0] for k, v in query.items() if k in case} == case


def test_calculator_address_round_trips_and_works_by_keyboard(context, served_site: Site) -> None:
    ctx, _ = context
    page = ctx.new_page()
    case = CASES[0]
    query = "&".join(f"{k}={v}" for k, v in case.items())
    page.goto(served_site.url(f"de/templates/sales-marketing-sla/?{query}"))
    values = {fid: page.input_value(f"#calc-{fid}") for fid in case}
    assert values == case
    assert shown(page)["lead-target"] == expected_texts(case, "de")["lead-target"]
    assert shown(page)["marketing-revenue"] == expected_texts(case, "de")["marketing-revenue"]
    # Keyboard: focus the first field, replace its value, Tab to the next one.
    page.focus("#calc-revenue-goal")
    page.keyboard.press("Control+A")
    page.keyboard.type("3000000")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "calc-marketing-share"
    want = expected_texts({**case, "revenue-goal": "3000000"}, "de")
    assert shown(page)["deals-needed"] == want["deals-needed"] != expected_texts(case, "de")["deals-needed"]
    labels = page.eval_on_selector_all("#funnel-calculator input", "els => els.map(e => e.labels.length)")
    assert labels and all(n == 1 for n in labels)


def test_calculator_without_javascript_shows_the_worked_example(browser, served_site: Site) -> None:
    ctx = browser.new_context(java_script_enabled=False, service_workers="block")
    try:
        page = ctx.new_page()
        page.goto(served_site.url("ja/worked-example/"))
        data = ROOT / "data" / "worksheets" / "examples" / "sales-marketing-sla.yml"
        values = yaml.safe_load(data.read_text(encoding="utf-8"))["values"]
        inputs, _ = _funnel_fields()
        case = {fid: repr(as_typed(float(values[fid]), kind)).removesuffix(".0") for fid, kind in inputs}
        assert shown(page) == expected_texts(case, "ja")
        assert shown(page)["lead-target"] == "1,250" and shown(page)["marketing-revenue"] == "$720,000"
    finally:
        ctx.close()


# -- Editions, 404 ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_editions(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``/1.0/`` (older) and ``/2.0/`` = ``/latest/``, as mike publishes them; yields the root URL."""
    root = tmp_path_factory.mktemp("editions")
    for name in ("1.0", "2.0", "latest"):
        (root / name).symlink_to(built_site, target_is_directory=True)
    versions = [
        {"version": "2.0", "title": "2.0", "aliases": ["latest"]},
        {"version": "1.0", "title": "1.0", "aliases": []},
    ]
    (root / "versions.json").write_text(json.dumps(versions), encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_outdated_banner_links_the_same_page_in_latest_without_errors(browser, two_editions: str) -> None:
    # A build outside mike links no editions.css (tests/test_versions.py tests the deployed
    # editions, whose banner is there from the first paint): Material's script shows it once
    # versions.json has arrived, without an error.
    ctx = browser.new_context(service_workers="block")
    errors: list[str] = []
    try:
        page = ctx.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(two_editions + "1.0/de/comparison/")
        banner = page.locator("[data-md-component=outdated]")
        banner.wait_for(state="visible", timeout=10_000)
        link = banner.locator("a:visible").evaluate("a => a.href")
        assert urlsplit(link).path == "/latest/de/comparison/"
        page.goto(two_editions + "2.0/de/glossary/")
        page.wait_for_timeout(500)
        assert page.locator("[data-md-component=outdated]").is_hidden()
    finally:
        ctx.close()
    assert errors == [], errors


@pytest.mark.parametrize("code", languages())
def test_mistyped_address_shows_the_404_of_its_language_everywhere(browser, served_site: Site, code: str) -> None:
    strings = yaml.safe_load((ROOT / "data" / "ui.yml").read_text(encoding="utf-8"))
    ctx = browser.new_context(service_workers="block")
    bad: list[str] = []
    try:
        page = ctx.new_page()
        page.on("response", lambda r: bad.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.goto(served_site.url(prefix(code) + "templates/no-such-template/"))
        page.locator("section.playbook-404").wait_for()
        assert page.evaluate("document.documentElement.lang") == code
        title = strings["strings"]["not_found_title"][code]
        assert page.title().startswith(title)
        assert page.locator("article h1").inner_text() == title
        nav = page.eval_on_selector_all("nav.md-nav--primary a.md-nav__link[href]", "els => els.map(e => e.href)")
        assert nav and all(site_path(served_site, h).startswith(prefix(code)) for h in nav if "/1.0/" in h)
        page.wait_for_load_state("networkidle")
    finally:
        ctx.close()
    assert bad == [f"404 {served_site.url(prefix(code) + 'templates/no-such-template/')}"], bad


# -- Phone width, clean loads -----------------------------------------------------------------


@pytest.mark.parametrize("code", languages())
def test_tables_fit_a_phone_screen(browser, served_site: Site, code: str) -> None:
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="block")
    too_wide = []
    try:
        page = ctx.new_page()
        for path in served_site.pages[code]:
            page.goto(served_site.url(path))
            widths = page.eval_on_selector_all(
                "article table",
                "els => els.map(t => [t.id || t.className, Math.ceil(t.getBoundingClientRect().right)])",
            )
            too_wide += [f"/{path} {name}: right edge {right}px" for name, right in widths if right > 390]
    finally:
        ctx.close()
    assert not too_wide, "\n".join(too_wide)


@pytest.mark.parametrize("code", languages())
def test_every_page_loads_without_errors_or_failed_requests(browser, served_site: Site, code: str) -> None:
    ctx = browser.new_context(service_workers="block")
    problems: list[str] = []
    current = {"path": ""}
    try:
        page = ctx.new_page()
        page.on("pageerror", lambda e: problems.append(f"/{current['path']}: {e}"))
        page.on(
            "console",
            lambda m: (
                problems.append(f"/{current['path']}: console {m.text}")
                if m.type == "error" and "status of 404" not in m.text
                else None
            ),
        )
        # ERR_ABORTED: a request the next navigation cancelled (e.g. the search worker's Blob).
        page.on(
            "requestfailed",
            lambda r: (
                problems.append(f"/{current['path']}: failed {r.url} {r.failure}")
                if "ERR_ABORTED" not in (r.failure or "")
                else None
            ),
        )
        page.on(
            "response",
            lambda r: problems.append(f"/{current['path']}: {r.status} {r.url}") if r.status >= 400 else None,
        )
        for path in served_site.pages[code]:
            current["path"] = path
            page.goto(served_site.url(path), wait_until="networkidle")
    finally:
        ctx.close()
    assert served_site.pages[code]
    assert not problems, "\n".join(problems)
