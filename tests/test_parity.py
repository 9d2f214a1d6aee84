"""The parity check sees what a translation lacks or adds, and the term base finds avoided variants.

Seeded copies start from a translation that is structurally the English page itself (so it is
complete by construction) and remove or add exactly one thing each; the expected detail is
written from that change, not from the checker's output.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from playbook.cli import check
from playbook.data.languages import load_languages
from playbook.project import CHECKOUT
from playbook.translations import parity, status, terms

PAGE = "downstream-marketing.md"
ENGLISH = (CHECKOUT / "docs" / "en" / PAGE).read_text(encoding="utf-8")


def drop_section(text: str, heading: str) -> str:
    """Remove a heading and everything up to the next heading of the same or a higher level."""
    level = len(heading.split()[0])
    lines, out, skipping = text.splitlines(keepends=True), [], False
    for line in lines:
        match = re.match(r"^(#{1,6}) ", line)
        if line.rstrip() == heading:
            skipping = True
            continue
        if skipping and match and len(match.group(1)) <= level:
            skipping = False
        if not skipping:
            out.append(line)
    return "".join(out)


SEEDED = {
    "missing section": (
        lambda t: drop_section(t, "## How the two definitions meet"),
        "## How the two definitions meet: missing",
    ),
    "extra admonition": (
        lambda t: t + '\n!!! warning "Local advice"\n    Something only this language says.\n',
        'warning "Local advice": extra (not in English)',
    ),
    "table short of a row": (
        lambda t: t.replace(
            "| Email marketing | tell existing customers about the release and keep them delighted |\n", ""
        ),
        "table 1: 2 rows, 2 columns, English has 3 rows, 2 columns",
    ),
    "list short of an item": (
        lambda t: t.replace("- **the price**: what it costs and how it fits the existing range;\n", ""),
        "list 1: 2 items, English has 3 items",
    ),
    "extra link": (
        lambda t: t + "\nSee also the [glossary](glossary.md).\n",
        "link to glossary.md: extra (not in English)",
    ),
    "missing tip": (
        lambda t: t.replace('!!! tip "Before you plan the campaign"', "Before you plan the campaign:"),
        'tip "Before you plan the campaign": missing',
    ),
}


def test_the_english_page_is_complete_against_itself() -> None:
    assert parity.page_problems(ENGLISH, ENGLISH) == []


@pytest.mark.parametrize("case", list(SEEDED))
def test_each_seeded_gap_is_named(case: str) -> None:
    change, expected = SEEDED[case]
    changed = change(ENGLISH)
    assert changed != ENGLISH
    assert expected in parity.page_problems(ENGLISH, changed)


def test_a_missing_marker_is_named() -> None:
    page = (CHECKOUT / "docs" / "en" / "comparison.md").read_text(encoding="utf-8")
    changed = page.replace("<!-- table:definitions -->\n", "")
    assert "marker <!-- table:definitions -->: missing" in parity.page_problems(page, changed)


def test_explicit_heading_ids_are_compared() -> None:
    source = "# T\n\n## Writing rules {#writing-rules}\n\nText.\n"
    assert parity.page_problems(source, "# T\n\n## Schreibregeln {#writing-rules}\n\nText.\n") == []
    problems = parity.page_problems(source, "# T\n\n## Schreibregeln\n\nText.\n")
    assert "## Writing rules: missing" in problems and "## Schreibregeln: extra (not in English)" in problems


def test_an_incomplete_translation_fails_playbook_check_naming_file_and_fix(
    project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = project_copy / "docs" / "de" / "comparison.md"
    text = target.read_text(encoding="utf-8")
    assert "<!-- table:definitions -->" in text
    target.write_text(text.replace("<!-- table:definitions -->\n", ""), encoding="utf-8")
    entries = {(e.target, e.state): e for e in status.status(project_copy).entries}
    entry = entries[("docs/de/comparison.md", "incomplete")]
    assert "marker <!-- table:definitions -->: missing" in entry.detail
    assert check.main(["--root", str(project_copy), "--no-build"]) == 1
    out = capsys.readouterr().out
    assert "docs/de/comparison.md: de translation of docs/en/comparison.md is incomplete" in out
    assert "fix: give docs/de/comparison.md every section" in out


def test_every_translation_in_the_tree_is_structurally_complete() -> None:
    incomplete = [f"{e.target}: {e.detail}" for e in status.status(CHECKOUT).entries if e.state == "incomplete"]
    assert incomplete == []


LANGUAGES = load_languages(CHECKOUT / "data")


@pytest.mark.parametrize("path", terms.term_files(CHECKOUT / "data"), ids=lambda p: p.stem)
def test_a_seeded_avoided_variant_is_reported_with_its_preferred_term(project_copy: Path, path: Path) -> None:
    base = terms.load_term_base(path, LANGUAGES)
    term = next(t for t in base.terms if t.avoid)
    page = project_copy / "docs" / base.language / "glossary.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    page.write_text("\n".join([*lines, "", f"Seeded: {term.avoid[0]}."]) + "\n", encoding="utf-8")
    found = terms.findings(project_copy, LANGUAGES)
    expected = f"docs/{base.language}/glossary.md, line {len(lines) + 2}: {term.avoid[0]!r}: write {term.preferred!r}"
    assert any(line.startswith(expected) for line in found), found


def test_japanese_numbers_touch_their_counters() -> None:
    base = terms.TermBase("ja", (), "年月日つ")
    found = [message for _, message in terms.scan("期間は 2026 年 11 月です。3 つの手順と2つの表。", base)]
    assert "'2026 年': no space between a number and its counter (write '2026年')" in found
    assert any("'3 つ'" in message for message in found) and not any("'2つ'" in message for message in found)


def test_the_term_base_reports_nothing_on_the_tree() -> None:
    assert terms.findings(CHECKOUT, LANGUAGES) == []


def test_pending_translations_are_listed_but_do_not_fail_the_check(
    project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pull request may change English first: missing and outdated translations are pending."""
    from playbook.cli import translations

    (project_copy / "docs" / "de" / "sources.md").unlink()
    english = project_copy / "docs" / "en" / "glossary.md"
    english.write_text(english.read_text(encoding="utf-8") + "\nOne more English sentence.\n", encoding="utf-8")
    for target, state in status_of(project_copy).items():
        if target in ("docs/de/sources.md", "docs/ja/glossary.md"):
            assert state in status.PENDING
    capsys.readouterr()
    code = check.main(["--root", str(project_copy), "--no-build"])
    out = capsys.readouterr().out
    pending = out.split("== pending translations:", 1)[1]
    assert "docs/de/sources.md" in pending and "docs/ja/glossary.md" in pending
    failing = [section for section in ("== translations", "== data", "== terms", "== config") if section in out]
    assert failing == [], out  # pending alone fails nothing (ruff's import order differs in a copy without src/)
    assert code in (0, 1)
    assert translations.main(["--root", str(project_copy), "status", "--strict"]) == 1


def status_of(root: Path) -> dict[str, str]:
    return {e.target: e.state for e in status.status(root).entries if e.kind == "page"}


def test_stamping_an_unchanged_translation_keeps_its_date(project_copy: Path) -> None:
    from playbook.cli import translations

    page = project_copy / "docs" / "de" / "glossary.md"
    before = page.read_bytes()
    assert status_of(project_copy)["docs/de/glossary.md"] in ("translated", "incomplete")
    assert translations.main(["--root", str(project_copy), "stamp", "docs/de/glossary.md", "--date", "2030-01-01"]) == 0
    assert page.read_bytes() == before
