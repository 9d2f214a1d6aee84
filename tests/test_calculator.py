"""The funnel calculator (playbook.calculator): its fields, example results and marker."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
import yaml

from playbook import calculator, markers
from playbook.data.languages import load_languages
from playbook.project import CHECKOUT as ROOT
from playbook.templates import model

DATA = ROOT / "data"


@pytest.fixture(scope="module")
def catalog() -> model.Catalog:
    return model.load_catalog(DATA, load_languages(DATA))


def _example() -> dict:
    return yaml.safe_load((DATA / "worksheets" / "examples" / "sales-marketing-sla.yml").read_text(encoding="utf-8"))


def test_inputs_and_outputs_are_the_sla_funnel_fields_in_order(catalog: model.Catalog) -> None:
    sheet = yaml.safe_load((DATA / "worksheets" / "sales-marketing-sla.yml").read_text(encoding="utf-8"))
    fields = next(s for s in sheet["sections"] if s["id"] == "funnel")["fields"]
    numeric = [f for f in fields if f["kind"] in ("number", "percent", "currency")]
    funnel = calculator.funnel(catalog, "de")
    assert [i.id for i in funnel.inputs] == [f["id"] for f in numeric]
    assert [o.id for o in funnel.outputs] == [f["id"] for f in fields if f["kind"] == "formula"]
    assert [i.label for i in funnel.inputs] == [f["label"]["de"] for f in numeric]


def test_example_results_follow_the_xlsx_rounding(catalog: model.Catalog) -> None:
    values = {k: Fraction(str(v)) for k, v in _example()["values"].items() if isinstance(v, (int, float))}
    expected: dict[str, Fraction | int] = {"marketing-revenue": values["revenue-goal"] * values["marketing-share"]}
    chain = [
        ("deals-needed", "marketing-revenue", "average-deal-value"),
        ("opportunities-needed", "deals-needed", "opportunity-to-close"),
        ("sqls-needed", "opportunities-needed", "sql-to-opportunity"),
        ("sals-needed", "sqls-needed", "sal-to-sql"),
        ("mqls-needed", "sals-needed", "mql-to-sal"),
        ("lead-target", "mqls-needed", "lead-to-mql"),
        ("visitor-target", "lead-target", "visitor-to-lead"),
        ("monthly-lead-target", "lead-target", "period-months"),
        ("monthly-mql-target", "mqls-needed", "period-months"),
    ]
    for out, a, b in chain:  # exact arithmetic, then ROUNDUP
        numerator = values[a] if a in values else expected[a]
        expected[out] = math.ceil(numerator / values[b])
    funnel = calculator.funnel(catalog, "en")
    assert {o.id: o.value for o in funnel.outputs} == expected
    texts = {o.id: o.text for o in funnel.outputs}
    assert texts["visitor-target"] == f"{expected['visitor-target']:,}"
    assert texts["marketing-revenue"] == f"${int(expected['marketing-revenue']):,}"
    outputs = {o.id: o for o in calculator.funnel(catalog, "de").outputs}
    assert (outputs["marketing-revenue"].op, outputs["marketing-revenue"].result) == ("multiply", "currency")
    assert (outputs["marketing-revenue"].before, outputs["marketing-revenue"].after) == ("", "\xa0$")


def test_rates_are_typed_as_percent(catalog: model.Catalog) -> None:
    inputs = {i.id: i for i in calculator.funnel(catalog, "ja").inputs}
    assert inputs["visitor-to-lead"].text == "2.5" and inputs["visitor-to-lead"].unit == "%"
    assert inputs["revenue-goal"].text == str(_example()["values"]["revenue-goal"])
    assert inputs["revenue-goal"].unit == _example()["currency"]


def test_marker_is_expanded_and_others_are_left_alone() -> None:
    text = "a\n<!-- calc:funnel -->\n<!-- ws:preview upstream-plan -->\n"
    out = markers.expand(text, {"calc": lambda name, arg: f"[{name}]"}, "docs/x.md")
    assert out == "a\n[funnel]\n<!-- ws:preview upstream-plan -->\n"


def test_unknown_calculator_names_page_and_line() -> None:
    def render(name: str, argument: str) -> str:
        calculator.check_marker(name, argument)
        return ""

    with pytest.raises(markers.MarkerError, match=r"docs/x\.md, line 3: calc:funel: unknown calculator"):
        markers.expand("a\n\n<!-- calc:funel -->\n", {"calc": render}, "docs/x.md")


def test_steps_write_out_the_funnel_with_the_example_figures(catalog: model.Catalog) -> None:
    values = {k: Fraction(str(v)) for k, v in _example()["values"].items() if isinstance(v, (int, float))}
    steps = {s.id: s for s in calculator.steps(catalog, "en")}
    outputs = {o.id: o for o in calculator.funnel(catalog, "en").outputs}
    assert list(steps) == list(outputs)
    assert all(steps[k].result == outputs[k].text for k in steps)
    revenue = values["revenue-goal"] * values["marketing-share"]
    assert (
        steps["marketing-revenue"].expression
        == f"${int(values['revenue-goal']):,} × {int(values['marketing-share'] * 100)}%"
    )
    assert steps["deals-needed"].expression == f"${int(revenue):,} ÷ ${int(values['average-deal-value']):,}"
    # Rounding up shows the unrounded quotient: leads a year / months, to two decimals.
    leads = int(steps["lead-target"].result.replace(",", ""))
    assert steps["monthly-lead-target"].exact == f"{float(leads / values['period-months']):.2f}"
    assert steps["monthly-lead-target"].result == str(math.ceil(Fraction(leads) / values["period-months"]))
    assert steps["lead-target"].exact == ""  # 500 / 40 % is exactly 1,250: nothing to round
    ja = {s.id: s for s in calculator.steps(catalog, "ja")}
    assert ja["lead-target"].label == catalog.worksheets["sales-marketing-sla"].field("lead-target").label["ja"]


def test_steps_marker_is_known() -> None:
    calculator.check_marker("steps", "")
    with pytest.raises(KeyError, match="calc:steps"):
        calculator.check_marker("step", "")
