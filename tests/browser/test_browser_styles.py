"""Readers see the same pages with the trimmed Material stylesheet as with Material's own.

hooks/styles.py drops the rules of Material's stylesheet that no page or script of the site can
match (src/playbook/styles.py). Each case is rendered twice in chromium, once as built and once
with the request for that stylesheet answered by Material's original file, and the screenshots
must be the same pixels: at desktop and phone width, with the search results and the phone's
navigation drawer open (markup Material's script builds), and with the version selector.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import material
import pytest

from tests.browser.conftest import Site

pytestmark = pytest.mark.browser

ORIGINAL = next((Path(material.__file__).parent / "templates" / "assets" / "stylesheets").glob("main.*.min.css"))
PAGES = ["", "de/comparison/", "ja/templates/sales-marketing-sla/", "id/worked-example/", "contributing/architecture/"]


def _search(page) -> None:  # noqa: ANN001 - a Playwright page
    page.keyboard.press("s")  # Material's shortcut: opens the search box, at any width
    page.keyboard.insert_text("funnel")
    page.keyboard.press("End")  # Material searches on key events
    page.wait_for_selector(".md-search-result__item", timeout=15_000)


def _drawer(page) -> None:  # noqa: ANN001
    page.click("label.md-header__button[for=__drawer]")


def _version_menu(page) -> None:  # noqa: ANN001
    page.locator(".md-version").hover()


CASES: list[tuple[str, int, Callable | None]] = [
    *[(path, width, None) for path in PAGES for width in (1280, 390)],
    ("", 1280, _search),
    ("", 390, _search),
    ("de/", 390, _drawer),
    ("ja/", 1280, _version_menu),
]


def _shot(browser, site: Site, path: str, width: int, action: Callable | None, original: bool) -> bytes:  # noqa: ANN001
    ctx = browser.new_context(
        viewport={"width": width, "height": 900}, service_workers="block", reduced_motion="reduce"
    )
    try:
        if original:
            ctx.route(f"**/assets/stylesheets/{ORIGINAL.name}", lambda route: route.fulfill(path=str(ORIGINAL)))
        page = ctx.new_page()
        page.goto(site.url(path), wait_until="networkidle")
        page.wait_for_selector(".md-version__current")
        if action:
            action(page)
            page.wait_for_timeout(300)
        return page.screenshot(animations="disabled", caret="hide")
    finally:
        ctx.close()


@pytest.mark.parametrize(("path", "width", "action"), CASES, ids=lambda v: getattr(v, "__name__", str(v)))
def test_trimmed_stylesheet_looks_like_materials(
    browser,
    served_site: Site,
    path: str,
    width: int,
    action,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    trimmed = _shot(browser, served_site, path, width, action, original=False)
    full = _shot(browser, served_site, path, width, action, original=True)
    same = trimmed == full  # not inside the assert: pytest would diff the PNG bytes for minutes
    if not same:
        (tmp_path / "trimmed.png").write_bytes(trimmed)
        (tmp_path / "material.png").write_bytes(full)
    assert same, f"/{path} at {width}px{' after ' + action.__name__ if action else ''} looks different: {tmp_path}"
