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
    over = {p: s for p, s in measured["pages"].items() if s > limits["first_view_gzip_bytes"]}
    assert not over, f"pages over {limits['first_view_gzip_bytes']} gzip bytes: {over}"
    big = {i: s["gzip"] for i, s in measured["search_indexes"].items() if s["gzip"] > limits["search_index_gzip_bytes"]}
    assert not big, f"search indexes over {limits['search_index_gzip_bytes']} gzip bytes: {big}"


def test_first_view_counts_html_css_js_and_the_search_worker(built_site: Path) -> None:
    files = page_weight.page_files(built_site, "de/")
    suffixes = [f.suffix for f in files]
    assert files[0] == built_site / "de" / "index.html"
    assert ".css" in suffixes and ".js" in suffixes
    assert any("workers" in f.as_posix() for f in files)
