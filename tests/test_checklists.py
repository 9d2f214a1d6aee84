"""The three checklists: typed once in the templates' data, the same items on the page and in every download.

Expected items come from the raw YAML files (read here with PyYAML, not through the playbook's
model), so a writer or the view dropping, reordering or rewording an item fails; the page's task
list markup is compared with what pymdownx.tasklist itself makes of ``- [ ] item``.
"""

from __future__ import annotations

import copy
import csv
import io
import re
import subprocess
from pathlib import Path

import docx
import lxml.html
import markdown
import openpyxl
import pytest
import yaml
from docx.oxml.ns import qn

from playbook.data.documents import DataError
from playbook.data.languages import load_languages
from playbook.project import CHECKOUT as ROOT
from playbook.project import default_language, languages
from playbook.templates import downloads, model

LANGS = languages()
#: The page heading each checklist follows, by template (English; the other languages keep the order).
PAGE_ORDER = ["upstream-plan", "downstream-campaign", "sales-marketing-sla"]
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"


def raw(sheet_id: str) -> dict:
    return yaml.safe_load((ROOT / "data" / "worksheets" / f"{sheet_id}.yml").read_text(encoding="utf-8"))


def checklist_section(sheet_id: str) -> dict:
    sections = [s for s in raw(sheet_id)["sections"] if "checklist" in s]
    assert len(sections) == 1, f"{sheet_id}: {len(sections)} checklist sections"
    return sections[0]


def items(sheet_id: str, lang: str) -> list[str]:
    return [" ".join(item["text"][lang].split()) for item in checklist_section(sheet_id)["checklist"]]


def words(text: str) -> str:
    return " ".join(text.split())


def folder(site: Path, lang: str) -> Path:
    return site / "downloads" if lang == default_language() else site / lang / "downloads"


def test_the_sla_review_is_the_last_section_of_the_sla() -> None:
    assert "checklist" in raw("sales-marketing-sla")["sections"][-1]
    assert [len(items(s, "en")) for s in PAGE_ORDER] == [8, 9, 8]


@pytest.mark.parametrize("lang", LANGS)
def test_page_lists_the_data_items_as_task_lists_under_their_headings(built_site: Path, lang: str) -> None:
    folder_ = built_site / ("" if lang == default_language() else lang) / "checklists"
    article = lxml.html.fromstring((folder_ / "index.html").read_bytes()).cssselect("article")[0]
    lists = article.cssselect("ul.task-list")
    assert [ul.get("data-checklist") for ul in lists] == PAGE_ORDER
    headings = [words(h.text_content()).rstrip("¶").strip() for h in article.cssselect("h2")]
    for ul, sheet_id, heading in zip(lists, PAGE_ORDER, headings, strict=True):
        assert words(checklist_section(sheet_id)["title"][lang]) == heading
        # The list follows its own heading: the nearest h2 before it.
        before = [el for el in ul.itersiblings(preceding=True) if el.tag == "h2"]
        assert words(before[0].text_content()).rstrip("¶").strip() == heading
        texts = [words(li.text_content()) for li in ul.cssselect("li.task-list-item")]
        assert texts == items(sheet_id, lang)
        assert len(ul.cssselect("li.task-list-item input[type=checkbox][disabled]")) == len(texts)


def test_page_markup_is_what_the_tasklist_extension_makes_of_a_typed_list(built_site: Path) -> None:
    typed = markdown.markdown(
        "- [ ] one\n- [ ] two\n",
        extensions=["pymdownx.tasklist"],
        extension_configs={"pymdownx.tasklist": {"custom_checkbox": True}},
    )
    expected = lxml.html.fragment_fromstring(typed)
    page = lxml.html.fromstring((built_site / "checklists" / "index.html").read_bytes())
    ours = page.cssselect("ul.task-list")[0]

    def shape(element: lxml.html.HtmlElement) -> list[tuple[str, str, str]]:
        return [(el.tag, el.get("class") or "", el.get("type") or "") for el in element.iter()]

    assert set(ours.get("class").split()) == set(expected.get("class").split())
    assert shape(ours.cssselect("li")[0]) == shape(expected.cssselect("li")[0])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("sheet_id", PAGE_ORDER)
@pytest.mark.parametrize("variant", ["", "-example"])
def test_every_download_carries_the_same_items(built_site: Path, lang: str, sheet_id: str, variant: str) -> None:
    expected = items(sheet_id, lang)
    title = words(checklist_section(sheet_id)["title"][lang])
    base = folder(built_site, lang) / f"{sheet_id}{variant}"

    md = base.with_suffix(".md").read_text(encoding="utf-8")
    tasks = [re.sub(r"\\(.)", r"\1", line[6:]) for line in md.splitlines() if line.startswith("- [ ] ")]
    assert tasks == expected, "md"
    assert f"## {title}" in md

    separator = ";" if lang in ("de", "id") else ","
    rows = list(csv.reader(io.StringIO(base.with_suffix(".csv").read_bytes().decode("utf-8-sig")), delimiter=separator))
    listed = [row for row in rows if row[0] == title]
    assert [row[2] for row in listed] == expected, "csv"
    assert [row[1] for row in listed] == [str(n) for n in range(1, len(expected) + 1)]
    assert all(row[3] == "" for row in listed)

    document = docx.Document(str(base.with_suffix(".docx")))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == model_label("check", lang))
    assert [words(row.cells[0].text) for row in table.rows[1:]] == expected, "docx"
    assert table.rows[0].cells[1].text == model_label("done", lang)
    for row in table.rows[1:]:
        boxes = row.cells[0]._tc.findall(f".//{qn('w:sdt')}//{W14}checkbox")
        assert len(boxes) == 1, "one Word check box per item"
        assert boxes[0].find(f"{W14}checked").get(f"{W14}val") == "0"
        assert row.cells[1].text == ""
        height = row._tr.trPr.find(qn("w:trHeight"))
        assert height is not None and int(height.get(qn("w:val"))) >= 2 * 14 * 20, "room for two lines"

    book = openpyxl.load_workbook(base.with_suffix(".xlsx"))
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_col=1, max_col=3):
            a, _, c = row
            if isinstance(a.value, str) and words(a.value) in expected:
                found.append(words(a.value))
                assert c.value is None and c.protection.locked is False, f"{c.coordinate}: an input cell to tick"
                assert c.fill.fgColor.rgb.endswith("FFF8E1")
    assert found == expected, "xlsx"

    pdf_text = subprocess.run(
        ["pdftotext", str(base.with_suffix(".pdf")), "-"], capture_output=True, text=True, check=True
    ).stdout
    squeeze = lambda s: re.sub(r"[\s\-\u00ad\u2010»«„“”‚‘']", "", s)  # noqa: E731 - line breaks and hyphenation
    assert all(squeeze(item) in squeeze(pdf_text) for item in expected), "pdf"


def model_label(key: str, lang: str) -> str:
    return yaml.safe_load((ROOT / "data" / "worksheets" / "common" / "labels.yml").read_text(encoding="utf-8"))[
        "strings"
    ][key][lang]


def _write(project: Path, sheet_id: str, change) -> Path:  # type: ignore[no-untyped-def]
    path = project / "data" / "worksheets" / f"{sheet_id}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_second_checklist_section_is_refused_with_file_and_line(project_copy: Path) -> None:
    def twice(data: dict) -> None:
        extra = dict(checklist_section("upstream-plan"), id="again")
        data["sections"].append(extra)

    path = _write(project_copy, "upstream-plan", twice)
    with pytest.raises(DataError, match=r"upstream-plan\.yml, line \d+.*at most one checklist section"):
        model.load_worksheet(path, load_languages(project_copy / "data"), "data/worksheets/upstream-plan.yml")


def test_a_section_with_a_checklist_and_fields_is_refused(project_copy: Path) -> None:
    def both(data: dict) -> None:
        data["sections"][-1]["fields"] = copy.deepcopy(data["sections"][0]["fields"])

    path = _write(project_copy, "upstream-plan", both)
    with pytest.raises(DataError, match="exactly one of 'fields', 'table' or 'checklist'"):
        model.load_worksheet(path, load_languages(project_copy / "data"), "data/worksheets/upstream-plan.yml")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda item: item.update(id="Segment named"), "'Segment named' is not a lower-case kebab-case id"),
        (lambda item: item["text"].pop("en"), r"checklist\[1\]\.text: no en text"),
    ],
)
def test_an_item_without_english_text_or_with_a_bad_id_is_refused(project_copy: Path, change, expected: str) -> None:  # type: ignore[no-untyped-def]
    path = _write(project_copy, "upstream-plan", lambda data: change(data["sections"][-1]["checklist"][1]))
    with pytest.raises(DataError, match=expected):
        model.load_worksheet(path, load_languages(project_copy / "data"), "data/worksheets/upstream-plan.yml")


def test_checklist_marker_names_a_template_with_a_checklist() -> None:
    catalog = model.load_catalog(ROOT / "data", load_languages(ROOT / "data"))
    assert downloads.parse_marker("checklist", "upstream-plan", catalog) == ("checklist", "upstream-plan", ("blank",))
    with pytest.raises(KeyError, match="takes only a template id"):
        downloads.parse_marker("checklist", "upstream-plan example", catalog)
    with pytest.raises(KeyError, match="expected a template id"):
        downloads.parse_marker("checklist", "upstream", catalog)


def test_preflight_names_the_page_line_and_the_templates_that_have_a_checklist(project_copy: Path) -> None:
    from playbook import preflight

    _write(project_copy, "downstream-campaign", lambda data: data["sections"].pop())
    problems = preflight.check(project_copy)
    line = next(
        n
        for n, text in enumerate((project_copy / "docs/de/checklists.md").read_text().splitlines(), 1)
        if "ws:checklist downstream-campaign" in text
    )
    expected = (
        f"docs/de/checklists.md, line {line}: ws:checklist: the template 'downstream-campaign' has no checklist "
        "section; templates with one: sales-marketing-sla, upstream-plan"
    )
    assert expected in problems, problems
