"""The upstream plan and the downstream campaign: every new field in every format, figures that add up.

Expected figures are recomputed here from the raw YAML (PyYAML, exact fractions), never taken from
the playbook's formula engine: the campaign's share of the SLA's yearly lead target, the pipeline
through the SLA's stage rates, the budget and its cost targets, the upstream plan's first-year
revenue. The built downloads (the session's ``built_site``) are then read with real readers in
every language, and LibreOffice recalculates the campaign workbook after an input changes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import subprocess
from fractions import Fraction
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml

from playbook.project import CHECKOUT as ROOT
from playbook.project import default_language, languages
from playbook.templates.view import format_value
from tests.office import soffice

LANGS = languages()
SHEETS = ("upstream-plan", "downstream-campaign")


def raw(name: str, example: bool = False) -> dict:
    folder = ROOT / "data" / "worksheets" / ("examples" if example else "")
    return yaml.safe_load((folder / f"{name}.yml").read_text(encoding="utf-8"))


def value(name: str, field: str) -> Fraction:
    """An example's input value; ``{from: other.field}`` is followed to the other example."""
    found = raw(name, example=True)["values"][field]
    if isinstance(found, dict) and "from" in found:
        other, _, other_field = found["from"].partition(".")
        return sla_figures()[other_field] if other == "sales-marketing-sla" else value(other, other_field)
    return Fraction(str(found))


def up(x: Fraction) -> int:
    return math.ceil(x)


def sla_figures() -> dict[str, Fraction]:
    """The SLA's funnel by hand, from its example's inputs."""
    v = {k: Fraction(str(x)) for k, x in raw("sales-marketing-sla", True)["values"].items() if _number(x)}
    out = dict(v)
    deals = up(v["revenue-goal"] * v["marketing-share"] / v["average-deal-value"])
    opportunities = up(deals / v["opportunity-to-close"])
    sqls = up(opportunities / v["sql-to-opportunity"])
    sals = up(sqls / v["sal-to-sql"])
    mqls = up(sals / v["mql-to-sal"])
    out["lead-target"] = Fraction(up(mqls / v["lead-to-mql"]))
    return out


def _number(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def campaign_figures() -> dict[str, Fraction]:
    """The campaign's computed figures by hand."""
    c = "downstream-campaign"
    rows = raw(c, example=True)["rows"]
    leads = Fraction(up(value(c, "sla-lead-target") * value(c, "campaign-lead-share")))
    rate = value(c, "lead-to-mql") * value(c, "mql-to-sal") * value(c, "sal-to-sql") * value(c, "sql-to-opportunity")
    opportunities = Fraction(up(leads * rate))
    deals = Fraction(up(opportunities * value(c, "opportunity-to-close")))
    total = sum(Fraction(str(r["budget"])) for r in rows["budget-split"])
    return {
        "campaign-lead-target": leads,
        "planned-leads": sum(Fraction(str(r["leads"])) for r in rows["lead-sources"]),
        "lead-to-opportunity-rate": rate,
        "expected-opportunities": opportunities,
        "expected-deals": deals,
        "total-budget": total,
        "target-cpl": total / leads,
        "target-cac": total / deals,
    }


def folder(site: Path, lang: str) -> Path:
    return site / "downloads" if lang == default_language() else site / lang / "downloads"


def words(text: str) -> str:
    return " ".join(text.split())


def squeeze(text: str) -> str:
    """Text without spaces, line breaks and hyphenation, and with the PDF's quote substitutes."""
    return re.sub(r"[\s\-\u00ad\u2010»«„“”‚‘'\"]", "", text)


def test_the_campaign_story_adds_up_from_the_data() -> None:
    """The reconciled example of issue #15, recomputed from the inputs alone."""
    f = campaign_figures()
    assert f["campaign-lead-target"] == 500 and f["planned-leads"] == f["campaign-lead-target"]
    assert (f["expected-opportunities"], f["expected-deals"]) == (48, 12)
    assert (f["total-budget"], f["target-cpl"], f["target-cac"]) == (69000, 138, 5750)
    assert value("downstream-campaign", "baseline-cpl") > f["target-cpl"]
    # Deals close within the two quarters the SLA's SQL stage allows after the campaign ends.
    closes = dt.date.fromisoformat(str(raw("downstream-campaign", True)["values"]["deals-close-by"]))
    last_channel_day = max(
        dt.date.fromisoformat(str(r["end"])) for r in raw("downstream-campaign", True)["rows"]["schedule"]
    )
    assert last_channel_day < closes <= last_channel_day + dt.timedelta(days=183)


def test_the_upstream_business_case_is_the_slas_revenue_goal() -> None:
    revenue = value("upstream-plan", "year-one-contracts") * value("upstream-plan", "list-price")
    assert revenue == sla_figures()["revenue-goal"]
    texts = raw("upstream-plan", example=True)["values"]["business-case"]
    for lang, text in texts.items():
        assert "{year-one-revenue}" in text and "{year-one-contracts}" in text, lang
        assert not re.search(r"1[.,\s]?440[.,\s]?000", text), f"{lang}: the revenue typed instead of computed"


def test_computed_figures_are_not_typed_into_the_campaign_texts() -> None:
    """A sentence states a computed figure through its placeholder, never as typed digits."""
    figures = {int(v) for v in campaign_figures().values() if v.denominator == 1 and v >= 10}
    example = raw("downstream-campaign", example=True)
    strings = [t for v in example["values"].values() if isinstance(v, dict) and "from" not in v for t in v.values()]
    strings += [
        t
        for rows in example["rows"].values()
        for r in rows
        for v in r.values()
        if isinstance(v, dict)
        for t in v.values()
    ]
    for text in strings:
        digits = {int(n.replace(",", "").replace(".", "")) for n in re.findall(r"\d[\d.,]*\d|\d", text)}
        assert not digits & figures, f"{text!r} types {digits & figures}"


def _labels(name: str, lang: str) -> list[str]:
    """Every section title, field label and column header of a template, as a reader sees them."""
    out = []
    for section in raw(name)["sections"]:
        out.append(section["title"][lang])
        out += [f["label"][lang] for f in section.get("fields", [])]
        out += [c["label"][lang] for c in section.get("table", {}).get("columns", [])]
    return [words(t) for t in out]


def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", SHEETS)
def test_every_section_field_and_column_is_in_every_format(built_site: Path, lang: str, name: str) -> None:
    base = folder(built_site, lang) / name
    labels = _labels(name, lang)
    md = re.sub(r"\\(.)", r"\1", base.with_suffix(".md").read_text(encoding="utf-8"))
    separator = ";" if lang in ("de", "id") else ","
    rows = list(csv.reader(io.StringIO(base.with_suffix(".csv").read_bytes().decode("utf-8-sig")), delimiter=separator))
    in_csv = {words(cell) for row in rows for cell in row[:3]}
    book = openpyxl.load_workbook(base.with_suffix(".xlsx"))
    in_xlsx = {words(str(c.value)) for s in book.worksheets for row in s.iter_rows() for c in row if c.value}
    in_docx = words(_docx_text(base.with_suffix(".docx")))
    pdf_text = squeeze(
        subprocess.run(
            ["pdftotext", str(base.with_suffix(".pdf")), "-"], capture_output=True, text=True, check=True
        ).stdout
    )
    for label in labels:
        assert label in words(md), ("md", label)
        assert label in in_csv, ("csv", label)
        assert label in in_xlsx, ("xlsx", label)
        assert label in in_docx, ("docx", label)
        assert squeeze(label) in pdf_text, ("pdf", label)


FIGURE_KINDS = {
    "campaign-lead-target": "formula",
    "planned-leads": "formula",
    "lead-to-opportunity-rate": "percent",
    "expected-opportunities": "formula",
    "expected-deals": "formula",
    "total-budget": "currency",
    "target-cpl": "currency",
    "target-cac": "currency",
}


@pytest.mark.parametrize("lang", LANGS)
def test_the_campaign_figures_are_printed_in_every_format(built_site: Path, lang: str) -> None:
    figures = campaign_figures()
    shown = {k: format_value(float(v), FIGURE_KINDS[k], lang, "USD") for k, v in figures.items()}
    base = folder(built_site, lang) / "downstream-campaign-example"
    md = base.with_suffix(".md").read_text(encoding="utf-8")
    docx_text = _docx_text(base.with_suffix(".docx"))
    pdf_text = squeeze(
        subprocess.run(
            ["pdftotext", str(base.with_suffix(".pdf")), "-"], capture_output=True, text=True, check=True
        ).stdout
    )
    for key, text in shown.items():
        assert text in md, ("md", key, text)
        assert text in docx_text, ("docx", key, text)
        assert squeeze(text) in pdf_text, ("pdf", key, text)
    # The goal sentence states three of them, filled in from the placeholders.
    goal = next(
        line for line in md.splitlines() if shown["expected-opportunities"] in line and shown["expected-deals"] in line
    )
    assert shown["campaign-lead-target"] in goal
    separator = ";" if lang in ("de", "id") else ","
    rows = list(csv.reader(io.StringIO(base.with_suffix(".csv").read_bytes().decode("utf-8-sig")), delimiter=separator))
    plain = {row[3] for row in rows}
    assert {"500", "48", "12", "69000", "138", "5750"} <= plain
    book = openpyxl.load_workbook(base.with_suffix(".xlsx"), data_only=True)
    cached = [
        c.value for s in book.worksheets for row in s.iter_rows() for c in row if isinstance(c.value, int | float)
    ]
    for key, figure in figures.items():
        assert any(c == pytest.approx(float(figure), rel=1e-9) for c in cached), ("xlsx", key)
    formulas = openpyxl.load_workbook(base.with_suffix(".xlsx"))
    live = [c for s in formulas.worksheets for row in s.iter_rows() for c in row if c.data_type == "f"]
    assert len(live) >= len(figures) + len(raw("downstream-campaign", True)["rows"]["budget-split"]), "live formulas"


@pytest.mark.office
def test_the_campaign_workbook_follows_a_changed_share_and_budget(built_site: Path, tmp_path: Path) -> None:
    """Readers change the campaign's share and one channel's budget; LibreOffice recalculates."""
    lang = "de"
    sheet = raw("downstream-campaign")
    label = {f["id"]: words(f["label"][lang]) for s in sheet["sections"] for f in s.get("fields", [])}
    book = openpyxl.load_workbook(folder(built_site, lang) / "downstream-campaign-example.xlsx")
    linkedin = raw("downstream-campaign", True)["rows"]["budget-split"][0]["channel"][lang]
    for ws in book.worksheets:
        ws.protection.sheet = False
        for row in ws.iter_rows(min_col=1, max_col=2):
            if row[0].value == label["campaign-lead-share"]:
                ws.cell(row[0].row, 2).value = 0.5
            if row[0].value == linkedin and isinstance(ws.cell(row[0].row, 2).value, int | float):
                ws.cell(row[0].row, 2).value = 46000
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    soffice(["--convert-to", "xlsx", "--outdir", str(tmp_path / "out"), str(edited)], tmp_path / "profile", recalc=True)
    result = openpyxl.load_workbook(tmp_path / "out" / "edited.xlsx", data_only=True)
    got = {row[0].value: row[1].value for ws in result.worksheets for row in ws.iter_rows(min_col=1, max_col=2)}
    f = campaign_figures()
    leads = up(value("downstream-campaign", "sla-lead-target") * Fraction(1, 2))
    opportunities = up(leads * f["lead-to-opportunity-rate"])
    deals = up(opportunities * value("downstream-campaign", "opportunity-to-close"))
    total = f["total-budget"] + 10000
    assert got[label["campaign-lead-target"]] == leads
    assert got[label["expected-opportunities"]] == opportunities
    assert got[label["expected-deals"]] == deals
    assert got[label["total-budget"]] == total
    assert got[label["target-cpl"]] == pytest.approx(float(total / leads))
    assert got[label["target-cac"]] == pytest.approx(float(total / deals))
    shares = [
        ws.cell(r, 3).value
        for ws in result.worksheets
        for r in range(1, ws.max_row + 1)
        if ws.cell(r, 1).value == linkedin
    ]
    assert any(isinstance(s, float) and s == pytest.approx(46000 / float(total)) for s in shares), shares
