"""Pagefind per language (playbook.search): which files each run reads, and a real run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from playbook import search

CODES = ("en", "de", "ja")


def _page(path: Path, lang: str, text: str, body: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    marked = f"<main data-pagefind-body><h1>{text}</h1><p>{text}</p></main>" if body else f"<p>{text}</p>"
    path.write_text(
        f'<!doctype html><html lang="{lang}"><head><title>{text}</title></head>'
        f"<body><nav>Navigation words</nav>{marked}</body></html>",
        encoding="utf-8",
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    _page(root / "index.html", "en", "Campaign planning")
    _page(root / "comparison" / "index.html", "en", "Comparison of campaigns")
    _page(root / "404.html", "en", "Page not found", body=False)
    _page(root / "de" / "index.html", "de", "Kampagnenplanung")
    _page(root / "ja" / "index.html", "ja", "見込み客の購買プロセス")
    (root / "assets").mkdir()
    (root / "assets" / "x.html").write_text("<html lang='en'><body>asset</body></html>", encoding="utf-8")
    return root


def test_the_default_language_reads_only_its_own_folders(site: Path) -> None:
    runs = {run.language: run for run in search.runs(site, CODES, "en")}
    assert sorted(runs) == sorted(CODES)
    assert runs["en"].site == site and runs["en"].glob == "{*.html,comparison/**/*.html}"
    assert runs["de"].site == site / "de" and runs["de"].glob == "**/*.html"
    assert runs["ja"].output == site / "ja" / search.BUNDLE


def test_a_language_without_a_folder_gets_no_run(site: Path) -> None:
    assert [run.language for run in search.runs(site, ("en", "de", "id"), "en")] == ["en", "de"]


def test_real_pagefind_writes_one_single_language_bundle_per_language(site: Path) -> None:
    written = search.index_site(site, CODES, "en")
    assert written == [site / "pagefind", site / "de" / "pagefind", site / "ja" / "pagefind"]
    for bundle, lang, pages in (
        (site / "pagefind", "en", 2),
        (site / "de" / "pagefind", "de", 1),
        (site / "ja" / "pagefind", "ja", 1),
    ):
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        # One language per bundle, and only pages with data-pagefind-body (not the 404 page).
        assert list(entry["languages"]) == [lang]
        assert entry["languages"][lang]["page_count"] == pages
        assert (bundle / "pagefind.js").is_file()
        assert not any((bundle / name).exists() for name in search.UNUSED)


def test_pagefind_output_is_reproducible(site: Path, tmp_path: Path) -> None:
    search.index_site(site, CODES, "en")
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    search.index_site(site, CODES, "en")
    second = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert first == second


def test_a_failing_pagefind_names_the_language_and_the_folder(site: Path) -> None:
    with pytest.raises(search.SearchError, match=r"'en' pages in .*site \(exit 1\)"):
        search.index_site(site, CODES, "en", binary="/bin/false")


def test_runs_started_one_by_one_are_awaited_together(site: Path) -> None:
    indexer = search.Indexer()
    for code in ("ja", "de", "en"):  # as the language builds finish
        indexer.start(search.language_run(site, code, CODES, "en"))
    assert indexer.started == {"ja", "de", "en"}
    assert indexer.finish() == [site / "ja" / "pagefind", site / "de" / "pagefind", site / "pagefind"]
    assert indexer.started == set()
    assert all((site / home / "pagefind" / "pagefind.js").is_file() for home in ("", "de", "ja"))


def test_in_the_background_finish_returns_at_once_and_a_failure_is_reported(site: Path) -> None:
    reported: list[str] = []
    indexer = search.Indexer(binary="/bin/false", background=True)
    indexer.start(search.language_run(site, "de", CODES, "en"))
    assert indexer.finish(report=reported.append) == []  # under serve the reload does not wait
    indexer.join()
    assert len(reported) == 1 and "'de' pages in" in reported[0] and "(exit 1)" in reported[0]


def test_in_the_background_the_bundle_is_complete_after_join(site: Path) -> None:
    indexer = search.Indexer(background=True)
    indexer.start(search.language_run(site, "ja", CODES, "en"))
    indexer.finish(report=pytest.fail)
    indexer.join()
    entry = json.loads((site / "ja" / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["ja"]["page_count"] == 1
    assert not any((site / "ja" / "pagefind" / name).exists() for name in search.UNUSED)
