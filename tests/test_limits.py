"""A value the schema accepts never breaks a download: the longest allowed texts lay out in every format.

The worksheet schemas cap each text at ``maxLength`` characters. This fills every text value of
the SLA example (and every template label) with an unbroken run of that length, in Japanese and
in German, writes every format, and checks each file opens; one character more is refused with a
message naming the field.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml
from pypdf import PdfReader

from playbook.data.documents import DataError
from playbook.data.languages import load_languages
from playbook.project import CHECKOUT
from playbook.templates import downloads, model
from playbook.templates import view as view_module
from playbook.templates.writers import pdf as pdf_writer

DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
LIMIT = json.loads((CHECKOUT / "schemas" / "worksheet-example.schema.json").read_text())["$defs"]["text"][
    "additionalProperties"
]["maxLength"]
RUNS = {"ja": "長" * LIMIT, "de": "Vertriebsübergabeprotokoll" * (LIMIT // 26) + "x" * (LIMIT % 26)}


def _fill(value: object, lang: str, text: str) -> object:
    if isinstance(value, dict) and lang in value and all(len(k) == 2 for k in value):
        return {**value, lang: text}
    if isinstance(value, dict):
        return {k: _fill(v, lang, text) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, lang, text) for v in value]
    return value


def _count_texts(data: Path, lang: str) -> int:
    """How many texts of the SLA example the test filled (every text with a ``lang`` version)."""
    content = yaml.safe_load((data / "worksheets" / "examples" / "sales-marketing-sla.yml").read_text("utf-8"))

    def count(value: object) -> int:
        if isinstance(value, dict) and lang in value and all(len(k) == 2 for k in value):
            return 1
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        return sum(count(child) for child in children)

    return count(content["values"]) + count(content["rows"])


def _data_with(tmp_path: Path, lang: str, text: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(CHECKOUT / "data", data)
    example = data / "worksheets" / "examples" / "sales-marketing-sla.yml"
    content = yaml.safe_load(example.read_text(encoding="utf-8"))
    content["values"] = _fill(content["values"], lang, text)
    content["rows"] = _fill(content["rows"], lang, text)
    example.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return data


@pytest.mark.parametrize("lang", sorted(RUNS))
def test_the_longest_allowed_texts_lay_out_in_every_format(tmp_path: Path, lang: str) -> None:
    assert len(RUNS[lang]) == LIMIT
    data = _data_with(tmp_path, lang, RUNS[lang])
    catalog = model.load_catalog(data, load_languages(data))
    example = view_module.views(catalog, lang, DATE)["sales-marketing-sla-example"]
    assets = downloads.Assets(pdf_writer.find_font(), CHECKOUT / "overrides")
    files = {ext: downloads.WRITERS[ext](example, assets) for ext in view_module.FORMATS}
    assert RUNS[lang][:50] in files["md"].decode("utf-8") and RUNS[lang][:50] in files["csv"].decode("utf-8-sig")
    assert any(RUNS[lang] in p.text for p in docx.Document(io.BytesIO(files["docx"])).paragraphs) or any(
        RUNS[lang] in c.text for t in docx.Document(io.BytesIO(files["docx"])).tables for r in t.rows for c in r.cells
    )
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    assert any(cell == RUNS[lang] for ws in book for row in ws.iter_rows(values_only=True) for cell in row)
    pdf = PdfReader(io.BytesIO(files["pdf"]))
    # Each 600-character text adds at most one page: none overflows into a page of its own and more.
    assert 1 <= len(pdf.pages) <= _count_texts(data, lang)
    width = float(pdf.pages[0].mediabox.width)
    assert RUNS[lang][:20] in "".join(page.extract_text() for page in pdf.pages).replace("\n", "")
    assert width > 500  # A4 portrait, nothing widened the page


def test_one_character_more_is_refused_naming_the_field(tmp_path: Path) -> None:
    data = _data_with(tmp_path, "de", "x" * (LIMIT + 1))
    with pytest.raises(DataError) as caught:
        model.load_catalog(data, load_languages(data))
    message = str(caught.value)
    assert "data/worksheets/examples/sales-marketing-sla.yml, line " in message
    assert f"{LIMIT + 1} characters; at most {LIMIT}" in message and ".de:" in message


@pytest.mark.parametrize(
    "typed",
    ["Berechnet: {a} ÷ {b} {", "Berechnet: {a}", "Berechnet: {a.__class__} ÷ {b}", "Berechnet: {a} ÷ {b} ÷ {b}"],
)
def test_a_label_placeholder_typo_is_one_message_not_a_traceback(tmp_path: Path, typed: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(CHECKOUT / "data", data)
    labels = data / "worksheets" / "common" / "labels.yml"
    text = labels.read_text(encoding="utf-8")
    assert '    de: "Berechnet: {a} ÷ {b}, aufgerundet"\n' in text
    labels.write_text(
        text.replace('"Berechnet: {a} ÷ {b}, aufgerundet"', json.dumps(typed, ensure_ascii=False)), "utf-8"
    )
    with pytest.raises(DataError, match=r"labels.yml, line \d+, field strings.calculated.de: write \{a\} and \{b\}"):
        model.load_catalog(data, load_languages(data))


def test_placeholders_are_filled_without_str_format() -> None:
    assert model.fill("{a} ÷ {b} {c} {{", a="1", b="2") == "1 ÷ 2 {c} {{"
