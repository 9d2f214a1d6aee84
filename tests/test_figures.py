"""No number typed twice: computed figures come from the data, and typed copies are found.

The expected figures are computed here from the YAML with exact fractions (not with the
package's float arithmetic), then formatted by Babel for each language.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from babel.numbers import format_decimal

from playbook import figures, preflight
from playbook.cli import check
from playbook.data.languages import load_languages
from playbook.project import build
from playbook.templates import model

ROOT = Path(__file__).resolve().parent.parent
SLA = "sales-marketing-sla"


def _load(sheet_id: str) -> tuple[dict, dict]:
    sheet = yaml.safe_load((ROOT / "data" / "worksheets" / f"{sheet_id}.yml").read_text("utf-8"))
    example = yaml.safe_load((ROOT / "data" / "worksheets" / "examples" / f"{sheet_id}.yml").read_text("utf-8"))
    return sheet, example


def _apply(op: str, xs: list[Fraction]) -> Fraction:
    product = math.prod(xs, start=Fraction(1))
    if op == "divide-round-up":
        return Fraction(math.ceil(xs[0] / xs[1]))
    if op == "divide":
        return xs[0] / xs[1]
    if op == "multiply":
        return product
    if op == "multiply-round-up":
        return Fraction(math.ceil(product))
    assert op == "subtract", op
    return xs[0] - xs[1]


def expected_values(sheet_id: str) -> dict[str, Fraction]:
    """Every number field of a template's example (inputs and formulas), evaluated exactly from the YAML."""
    sheet, example = _load(sheet_id)
    values: dict[str, Fraction] = {}
    for key, value in example["values"].items():
        if isinstance(value, dict) and "from" in value:
            other, field = value["from"].split(".")
            values[key] = expected_values(other)[field]
        elif isinstance(value, int | float) and not isinstance(value, bool):
            values[key] = Fraction(str(value))
    rows = {
        section: [{k: Fraction(str(v)) for k, v in row.items() if isinstance(v, int | float)} for row in table]
        for section, table in example.get("rows", {}).items()
    }
    pending = [f for s in sheet["sections"] for f in s.get("fields", []) if f.get("formula")]
    while pending:
        progress = False
        for field in list(pending):
            op, args = field["formula"]["op"], field["formula"]["args"]
            if op == "sum":
                section, column = args[0].split(".")
                got = [row[column] for row in rows[section] if column in row]
                values[field["id"]] = sum(got, Fraction(0))
            elif all(arg in values for arg in args):
                values[field["id"]] = _apply(op, [values[arg] for arg in args])
            else:
                continue
            pending.remove(field)
            progress = True
        assert progress, f"cannot evaluate {[f['id'] for f in pending]}"
    return values


def expected_figures(sheet_id: str) -> dict[str, int]:
    """Every whole-number formula field of a template's example."""
    sheet, _ = _load(sheet_id)
    values = expected_values(sheet_id)
    formulas = [f["id"] for s in sheet["sections"] for f in s.get("fields", []) if f.get("formula")]
    return {f: int(values[f]) for f in formulas if values[f].denominator == 1}


def catalog() -> model.Catalog:
    return model.load_catalog(ROOT / "data", load_languages(ROOT / "data"))


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("1,250 leads a year", [("1,250", 1250)]),
        ("1.250 Leads pro Jahr", [("1.250", 1250)]),
        ("年間1,250件のリード", [("1,250", 1250)]),
        ("１２５０件", [("１２５０", 1250)]),
        ("USD 24,000 a year, 2.5 % and 0,6 %", [("24,000", 24000)]),
        ("A4 paper, 3x faster", []),
    ],
)
def test_numbers_are_read_as_each_language_writes_them(text: str, found: list[tuple[str, int]]) -> None:
    assert [(typed, value) for _, typed, value in figures.numbers(text)] == found


@pytest.mark.parametrize("lang", ["en", "de", "ja", "id"])
def test_a_figure_is_the_computed_value_in_the_language_s_format(lang: str) -> None:
    wanted = expected_figures(SLA)["lead-target"]
    assert figures.Figures(catalog(), lang)(SLA, "lead-target") == format_decimal(wanted, locale=lang)


def test_checked_figures_are_the_computed_ones_from_a_hundred_up() -> None:
    """Every computed figure of 100 or more is checked, unless some example types it as an input."""
    typed: set[Fraction] = set()
    for path in (ROOT / "data" / "worksheets" / "examples").glob("*.yml"):
        for value in yaml.safe_load(path.read_text("utf-8"))["values"].values():
            if isinstance(value, int | float) and not isinstance(value, bool):
                typed.add(Fraction(str(value)) * (100 if value < 1 else 1))  # a rate is typed as percent
    found = figures.computed(catalog())
    for sheet in ("sales-marketing-sla", "downstream-campaign", "upstream-plan"):
        for field, value in expected_figures(sheet).items():
            if value >= figures.MIN_FIGURE and value not in typed:
                assert f"{sheet} {field}" in found.get(value, ()), (sheet, field, value)
            else:
                assert all(f"{sheet} {field}" not in names for names in found.values()), (sheet, field, value)


def test_the_fig_marker_is_replaced_inline_in_every_language(project_copy: Path) -> None:
    wanted = expected_figures(SLA)["lead-target"]
    for lang in ("en", "de"):
        page = project_copy / "docs" / lang / "glossary.md"
        page.write_text(
            page.read_text("utf-8") + f"\nThe target: <!-- fig:{SLA} lead-target --> leads.\n", encoding="utf-8"
        )
    result = build(project_copy)
    assert result.returncode == 0, result.output
    for lang, prefix in (("en", ""), ("de", "de/")):
        html = (result.site / prefix / "glossary" / "index.html").read_text("utf-8")
        assert f"<p>The target: {format_decimal(wanted, locale=lang)} leads.</p>" in html


def test_a_mistyped_fig_marker_is_named_with_the_fields_that_exist(project_copy: Path) -> None:
    page = project_copy / "docs" / "en" / "glossary.md"
    page.write_text(page.read_text("utf-8") + f"\nSo <!-- fig:{SLA} lead-targt --> it is.\n", encoding="utf-8")
    problems = preflight.check(project_copy)
    line = len(page.read_text("utf-8").splitlines())
    assert any(
        p.startswith(f"docs/en/glossary.md, line {line}: fig:{SLA}:") and "did you mean 'lead-target'?" in p
        for p in problems
    ), problems


def test_typed_copies_are_reported_with_file_line_and_fix(project_copy: Path) -> None:
    lead_target = expected_figures(SLA)["lead-target"]
    typed_en = format_decimal(lead_target, locale="en")
    typed_de = format_decimal(lead_target, locale="de")
    page = project_copy / "docs" / "de" / "glossary.md"
    lines = page.read_text("utf-8").splitlines()
    page.write_text("\n".join([*lines, "", f"Das sind {typed_de} Leads im Jahr.", ""]), encoding="utf-8")
    example = project_copy / "data" / "worksheets" / "examples" / f"{SLA}.yml"
    text = example.read_text("utf-8")
    assert "\n  marketing-team:\n    en: " in text
    example.write_text(
        text.replace("\n  marketing-team:\n    en: ", f"\n  marketing-team:\n    en: {typed_en} leads, ", 1),
        encoding="utf-8",
    )
    problems = check.check_figures(project_copy)
    by_file = {p.file: p for p in problems}
    assert set(by_file) == {"docs/de/glossary.md", f"data/worksheets/examples/{SLA}.yml"}, problems
    on_page = by_file["docs/de/glossary.md"]
    assert on_page.message.startswith(f"line {len(lines) + 2}: '{typed_de}' is the computed figure {SLA} lead-target")
    assert on_page.fix.startswith(f"write <!-- fig:{SLA} lead-target -->")
    in_data = by_file[f"data/worksheets/examples/{SLA}.yml"]
    pattern = rf"line \d+, field values\.marketing-team\.en: '{typed_en}' is the computed figure"
    assert re.match(pattern, in_data.message), in_data.message
    assert in_data.fix.startswith("write {lead-target}")


@pytest.mark.parametrize(
    ("lang", "caption"),
    [("en", "Six ways they differ"), ("de", "Sechs Unterschiede"), ("ja", "6つの違い"), ("id", "Enam perbedaan")],
)
def test_a_caption_that_counts_its_own_rows_is_reported(project_copy: Path, lang: str, caption: str) -> None:
    table = project_copy / "data" / "tables" / "differences.yml"
    data = yaml.safe_load(table.read_text("utf-8"))
    assert len(data["rows"]) == 6  # the seeded captions say six
    text = table.read_text("utf-8")
    old = f"\n  {lang}: {data['caption'][lang]}\n"
    assert old in text
    table.write_text(text.replace(old, f"\n  {lang}: {caption}\n", 1), encoding="utf-8")
    found = [f for f in figures.check(project_copy) if f.where.startswith("data/tables/differences.yml")]
    assert [(f.where.split(", field ")[1], f.figures) for f in found] == [
        (f"caption.{lang}", ("the number of rows of differences",))
    ]


@pytest.mark.parametrize("lang", ["en", "de", "ja", "id"])
def test_the_worked_example_states_the_figures_the_data_computes(built_site: Path, lang: str) -> None:
    """Every figure the page names (its fig markers), recomputed from the data, is on the built page."""
    source = (ROOT / "docs" / lang / "worked-example.md").read_text("utf-8")
    named = re.findall(r"<!-- fig:([a-z0-9-]+) ([a-z0-9-]+) -->", source)
    assert len(named) >= 8, "the worked example takes its figures from the data"
    page = (built_site / ("" if lang == "en" else f"{lang}/") / "worked-example" / "index.html").read_text("utf-8")
    for sheet, field in named:
        value = expected_values(sheet)[field]
        shown = value * 100 if value < 1 else value  # a rate: 0.4 is shown as 40 %
        assert shown.denominator == 1, (sheet, field, value)
        assert format_decimal(int(shown), locale=lang) in page, (sheet, field, value)


def test_the_real_tree_types_no_computed_figure() -> None:
    assert [str(f) for f in figures.check(ROOT)] == []
