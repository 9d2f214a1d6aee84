"""axe-core on every page of every language, in every colour scheme the site offers.

axe-core is vendored (tests/vendor/axe-core, version in its README) and injected from disk, so
the check needs no network. Serious and critical violations fail; fix them in the theme config,
``overrides/`` or ``overrides/assets/stylesheets/extra.css``, never by disabling rules.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from playbook.project import languages
from tests.browser.conftest import Site

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
AXE_README = AXE.parent / "README.md"
FAILING = ("serious", "critical")
RUN = """async (options) => {
  const result = await axe.run(document, options);
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.failureSummary.split('\\n')[1]),
  }));
}"""


def test_vendored_axe_matches_its_readme() -> None:
    banner = AXE.read_text(encoding="utf-8")[:40]
    version = re.search(r"axe v(\d+\.\d+\.\d+)", banner)
    assert version, banner
    assert f"axe-core@{version.group(1)}" in AXE_README.read_text(encoding="utf-8")


def _violations(page, options: dict) -> list[str]:
    found = []
    for v in page.evaluate(RUN, options):
        if v["impact"] in FAILING:
            found.append(f"[{v['impact']}] {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]))
    return found


@pytest.mark.parametrize("code", languages())
def test_no_serious_axe_violations(browser, served_site: Site, code: str) -> None:
    ctx = browser.new_context(service_workers="block")
    problems = []
    try:
        page = ctx.new_page()
        for path in served_site.pages[code]:
            page.goto(served_site.url(path), wait_until="networkidle")
            page.add_script_tag(path=str(AXE))
            problems += [f"/{path} {p}" for p in _violations(page, {"resultTypes": ["violations"]})]
            # Every other colour scheme the palette toggle offers (none with a single palette):
            # only colours change, so contrast is the rule worth re-running.
            toggles = page.locator("form[data-md-component=palette] label")
            for _ in range(max(toggles.count() - 1, 0)):
                page.locator("form[data-md-component=palette] label:visible").first.click()
                scheme = page.get_attribute("body", "data-md-color-scheme")
                found = _violations(page, {"resultTypes": ["violations"], "runOnly": ["color-contrast"]})
                problems += [f"/{path} ({scheme}) {p}" for p in found]
    finally:
        ctx.close()
    assert served_site.pages[code], f"no pages for {code}"
    assert not problems, f"{len(problems)} serious/critical axe violations ({code}):\n" + "\n".join(problems)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_version_button_is_named_with_its_visible_text(browser, served_site: Site, width: int) -> None:
    """Axe's experimental label-content-name-mismatch, which Lighthouse runs (not in axe's defaults)."""
    ctx = browser.new_context(service_workers="block", viewport={"width": width, "height": 800})
    try:
        page = ctx.new_page()
        page.goto(served_site.url(""), wait_until="networkidle")
        page.wait_for_selector(".md-version__current[aria-label*=':']")
        page.add_script_tag(path=str(AXE))
        options = {"runOnly": ["label-content-name-mismatch"], "resultTypes": ["violations"]}
        found = [v["id"] + ": " + "; ".join(v["nodes"]) for v in page.evaluate(RUN, options)]
        name = page.get_attribute(".md-version__current", "aria-label")
    finally:
        ctx.close()
    assert not found, found
    assert name.endswith(": 1.0 latest"), name
