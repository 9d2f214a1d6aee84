"""The practitioner pages (measuring, budget, ownership, checklists) as a reader meets them.

Every assertion reads the one strict build made by the ``built_site`` fixture; expected values
come from the data files and the English Markdown source, never from the built pages themselves.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
import yaml

from playbook.project import CHECKOUT as ROOT
from playbook.project import default_language, languages

LANGS = languages()
DEFAULT = default_language()
TABLES = {
    "measuring.md": ["metrics"],
    "budget.md": ["budget-signals"],
    "ownership.md": ["ownership"],
    "examples.md": ["upstream-examples", "downstream-examples"],
}


def page(site: Path, lang: str, src: str) -> lxml.html.HtmlElement:
    """The built page of ``src`` in ``lang`` (directory URLs, default language at the root)."""
    folder = site / ("" if lang == DEFAULT else lang) / src[: -len(".md")]
    return lxml.html.fromstring((folder / "index.html").read_bytes())


def table_data(table_id: str) -> dict:
    return yaml.safe_load((ROOT / "data" / "tables" / f"{table_id}.yml").read_text(encoding="utf-8"))


def text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("src", "table_id"), [(s, t) for s, ids in TABLES.items() for t in ids])
def test_table_shows_every_row_and_column_in_the_page_language(
    built_site: Path, lang: str, src: str, table_id: str
) -> None:
    data = table_data(table_id)
    tables = page(built_site, lang, src).cssselect(f"table#table-{table_id}")
    assert len(tables) == 1, f"{lang}/{src}: table-{table_id} appears {len(tables)} times"
    table = tables[0]
    first = data["columns"][0]["id"]
    headers = [text(th) for th in table.cssselect("thead th[scope=col]")]
    assert headers == [" ".join(c["header"][lang].split()) for c in data["columns"]], f"{lang}/{src}"
    row_headers = [text(th) for th in table.cssselect("tbody th[scope=row]")]
    assert row_headers == [" ".join(r["cells"][first][lang].split()) for r in data["rows"]], f"{lang}/{src}"
    cells = [len(tr.cssselect("th, td")) for tr in table.cssselect("tbody tr")]
    assert cells == [len(data["columns"])] * len(data["rows"]), f"{lang}/{src}: cells per row {cells}"


def test_new_tables_have_the_same_rows_in_every_language(built_site: Path) -> None:
    for src, ids in TABLES.items():
        for table_id in ids:
            counts = {
                lang: len(page(built_site, lang, src).cssselect(f"table#table-{table_id} tbody tr")) for lang in LANGS
            }
            assert set(counts.values()) == {len(table_data(table_id)["rows"])}, f"{src} {table_id}: {counts}"


@pytest.mark.parametrize("table_id", ["upstream-examples", "downstream-examples"])
def test_fits_column_means_the_same_in_every_language(built_site: Path, table_id: str) -> None:
    """Each language labels a row B2B, B2C or both exactly as English does, with one word per value."""
    index = [c["id"] for c in table_data(table_id)["columns"]].index("fits")

    def fits(lang: str) -> list[str]:
        rows = page(built_site, lang, "examples.md").cssselect(f"table#table-{table_id} tbody tr")
        return [text(tr.cssselect("th, td")[index]) for tr in rows]

    english = fits(DEFAULT)
    assert set(english) <= {"B2B", "B2C", "Both"}, english
    for lang in LANGS:
        mapping: dict[str, set[str]] = {}
        for en, other in zip(english, fits(lang), strict=True):
            mapping.setdefault(en, set()).add(other)
        assert all(len(v) == 1 for v in mapping.values()), f"{lang}: {mapping}"
        assert len({next(iter(v)) for v in mapping.values()}) == len(mapping), f"{lang}: two values share a label"


@pytest.mark.parametrize("lang", LANGS)
def test_every_ownership_row_has_exactly_one_owner(built_site: Path, lang: str) -> None:
    """The page promises one owner per row; the owner's word is the one English marks "Owns"."""
    rows = [
        [text(td) for td in tr.cssselect("td")]
        for tr in page(built_site, DEFAULT, "ownership.md").cssselect("table#table-ownership tbody tr")
    ]
    owner_columns = [[i for i, cell in enumerate(row) if cell.startswith("Owns")] for row in rows]
    assert all(len(c) == 1 for c in owner_columns), owner_columns
    translated = [
        [text(td) for td in tr.cssselect("td")]
        for tr in page(built_site, lang, "ownership.md").cssselect("table#table-ownership tbody tr")
    ]
    words = {re.split(r"[:：]", row[c[0]])[0] for row, c in zip(translated, owner_columns, strict=True)}
    assert len(words) == 1, f"{lang}: the owner is called {sorted(words)}"
    word = words.pop()
    for row, c in zip(translated, owner_columns, strict=True):
        others = [cell for i, cell in enumerate(row) if i != c[0] and cell.startswith(word)]
        assert not others, f"{lang}: a second owner in {row}"


def test_checklists_have_the_data_number_of_tasks_in_every_language(built_site: Path) -> None:
    """The page's three task lists come from the templates' data: as many tasks as items there."""
    expected = []
    for sheet_id in ("upstream-plan", "downstream-campaign", "sales-marketing-sla"):
        data = yaml.safe_load((ROOT / "data" / "worksheets" / f"{sheet_id}.yml").read_text(encoding="utf-8"))
        expected += [len(s["checklist"]) for s in data["sections"] if "checklist" in s]
    assert len(expected) == 3 and all(expected), expected
    for lang in LANGS:
        tree = page(built_site, lang, "checklists.md")
        lists = tree.cssselect("article ul.task-list")
        counts = [len(ul.cssselect("li.task-list-item")) for ul in lists]
        assert counts == expected, f"{lang}: tasks per list {counts}, the data has {expected}"
        boxes = tree.cssselect("article li.task-list-item input[type=checkbox]")
        assert len(boxes) == sum(expected), f"{lang}: {len(boxes)} checkboxes"
        assert "[ ]" not in text(tree.cssselect("article")[0]), f"{lang}: a task rendered as text"


@pytest.mark.parametrize("lang", LANGS)
def test_using_both_answers_its_closing_question_with_the_ownership_page(built_site: Path, lang: str) -> None:
    article = page(built_site, lang, "using-both.md").cssselect("article")[0]
    last_heading = article.cssselect("h2")[-1]
    after = last_heading.itersiblings()
    links = [a.get("href") for element in after for a in element.iter("a")]
    assert "../ownership/" in links, f"{lang}: the last section links to {links}"
