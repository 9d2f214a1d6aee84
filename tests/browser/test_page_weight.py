"""The first-view transfer budget (bench/budget.json) holds for every page of the built site.

Not a browser test: sizes come from the built files, gzip-compressed as a static host sends
them (see src/playbook/cli/page_weight.py for what counts as a page's first view).
"""

from __future__ import annotations

import json
from pathlib import Path

from playbook.cli import page_weight


def test_every_page_fits_the_first_view_budget(built_site: Path) -> None:
    limits = json.loads(page_weight.BUDGET.read_text(encoding="utf-8"))["limits"]
    measured = page_weight.measure(built_site)
    assert len(measured["pages"]) > 4, "no pages measured"
    assets = {p: s - measured["html"][p] for p, s in measured["pages"].items()}
    over = {p: s for p, s in assets.items() if s > limits["first_view_assets_gzip_bytes"]}
    assert not over, f"first views over {limits['first_view_assets_gzip_bytes']} gzip bytes besides the HTML: {over}"
    big = {p: s for p, s in measured["html"].items() if s > limits["html_gzip_bytes"]}
    assert not big, f"pages whose HTML is over {limits['html_gzip_bytes']} gzip bytes: {big}"


def test_first_view_counts_html_css_and_js_but_no_search(built_site: Path) -> None:
    files = page_weight.page_files(built_site, "de/")
    suffixes = [f.suffix for f in files]
    assert files[0] == built_site / "de" / "index.html"
    assert ".css" in suffixes and ".js" in suffixes
    # The browser fetches the icon too: the site's small SVG, not Material's 1.9 KB PNG.
    assert built_site / "assets" / "images" / "favicon.svg" in files
    assert not any(f.suffix == ".png" for f in files)
    assert not any("pagefind" in f.as_posix() or "search" in f.name for f in files)
    bundles = page_weight.measure(built_site)["search_indexes"]
    assert sorted(bundles) == ["de/pagefind/", "id/pagefind/", "ja/pagefind/", "pagefind/"]
    assert all(size["gzip"] > 10_000 for size in bundles.values())  # pagefind.js and its WebAssembly
