"""The formula engine (playbook.templates.formulas): every op in Python, in every format, live in the XLSX.

Expected figures come from exact fraction arithmetic written out here, not from the engine; the
LibreOffice test changes inputs in the written workbook, lets LibreOffice recalculate and compares
its results with the engine's figures for the same inputs.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import math
import shutil
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from playbook.data import languages as data_languages
from playbook.data.documents import DataError
from playbook.templates import formulas, model, view
from playbook.templates.writers import csv as csv_writer
from playbook.templates.writers import docx as docx_writer
from playbook.templates.writers import markdown
from playbook.templates.writers import xlsx as xlsx_writer
from tests.office import soffice

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "formulas"
LANGS = data_languages.load_languages(ROOT / "data")
REAL = model.load_catalog(ROOT / "data", LANGS)
DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def catalog(folder: Path = FIXTURES) -> model.Catalog:
    sheet = model.load_worksheet(folder / "every-op.yml", LANGS, "every-op.yml")
    example = model.load_example(
        folder / "examples" / "every-op.yml", {sheet.id: sheet}, LANGS, "examples/every-op.yml"
    )
    return dataclasses.replace(REAL, worksheets={sheet.id: sheet}, examples={sheet.id: example}, digest="test")


CATALOG = catalog()


def localized(lang: str = "en", example: bool = True) -> view.WorksheetView:
    sheet = CATALOG.worksheets["every-op"]
    return view.localize(sheet, CATALOG.examples["every-op"] if example else None, CATALOG, lang, DATE)


def expected(values: dict[str, float], amounts: list[float]) -> dict[str, Fraction | int]:
    """The figures by hand, in exact fractions; round-up ops with math.ceil on the exact value."""
    v = {k: Fraction(str(x)) for k, x in values.items()}
    out: dict[str, Fraction | int] = {}
    out["part"] = v["goal"] * v["share"]
    out["deals"] = math.ceil(out["part"] / v["deal"])
    out["per-month"] = Fraction(out["deals"]) / v["months"]
    out["combined"] = v["rate-a"] * v["rate-b"] * v["share"]
    out["expected"] = math.ceil(out["deals"] * out["combined"])
    out["spare"] = out["deals"] - out["expected"]
    out["total"] = sum(Fraction(str(a)) for a in amounts)
    out["per-deal"] = out["total"] / out["deals"]
    return out


EXAMPLE_INPUTS = {"goal": 1241000, "share": 0.3, "deal": 3600, "months": 12, "rate-a": 0.4, "rate-b": 0.8}
EXAMPLE_AMOUNTS = [36000, 6000, 12500]


def field(v: view.WorksheetView, fid: str) -> view.FieldView:
    return next(f for s in v.sections for f in s.fields if f.id == fid)


def test_every_op_computes_the_hand_worked_figures() -> None:
    want = expected(EXAMPLE_INPUTS, EXAMPLE_AMOUNTS)
    got = model.example_results(CATALOG.worksheets["every-op"], CATALOG.examples["every-op"])
    for key, value in want.items():
        assert got.fields[key] == pytest.approx(float(value), rel=1e-9), key
    # Rounding up is not rounding: 372,300 / 3,600 = 103.42 needs 104 deals, not 103.
    assert got.fields["deals"] == 104 and round(372300 / 3600) == 103
    # 104 x 0.096 = 9.984 -> 10; the float product 0.4*0.8*0.3 carries noise the engine tidies away.
    assert got.fields["expected"] == 10 and got.fields["combined"] == 0.096
    rows = got.rows["items"]
    for row, amount in zip(rows, EXAMPLE_AMOUNTS, strict=True):
        assert row["item-share"] == pytest.approx(float(Fraction(amount) / want["total"]), rel=1e-9)
        assert row["over"] == pytest.approx(float(amount - want["per-deal"]), rel=1e-9)


@pytest.mark.parametrize(
    ("op", "args", "exact"),
    [
        ("multiply-round-up", (100, 1.1), Fraction(110)),  # 110.00000000000001 as floats
        ("multiply-round-up", (1250, 0.4), Fraction(1250) * Fraction("0.4")),
        ("multiply-round-up", (1251, 0.4), Fraction(1251) * Fraction("0.4")),  # 500.4 -> 501
        ("divide-round-up", (1250, 12), Fraction(1250, 12)),  # 104.17 -> 105, rounding gives 104
        ("divide-round-up", (0.3, 0.1), Fraction(3)),  # 2.9999999999999996 as floats
    ],
)
def test_rounding_up_follows_the_exact_value(op: str, args: tuple[float, float], exact: Fraction) -> None:
    values = {"a": args[0], "b": args[1]}
    assert formulas.evaluate(formulas.Formula(op, ("a", "b")), values) == math.ceil(exact)


def test_a_chain_of_rates_rounds_up_like_the_exact_product() -> None:
    # 500 x (0.4 x 0.8 x 0.5 x 0.6) is 48.00000000000001 in floats; exactly 48.
    rates = {"r1": 0.4, "r2": 0.8, "r3": 0.5, "r4": 0.6, "leads": 500}
    chain = formulas.Formula("multiply", ("r1", "r2", "r3", "r4"), "percent")
    rates["rate"] = formulas.evaluate(chain, rates)
    got = formulas.evaluate(formulas.Formula("multiply-round-up", ("leads", "rate")), rates)
    assert got == math.ceil(Fraction(500) * Fraction("0.4") * Fraction("0.8") * Fraction("0.5") * Fraction("0.6")) == 48
    raw = formulas.evaluate(formulas.Formula("multiply-round-up", ("leads", "r1", "r2", "r3", "r4")), rates)
    assert raw == 48


def test_blank_inputs_and_zero_divisors_give_blank_results() -> None:
    f = formulas.Formula
    assert formulas.evaluate(f("divide", ("a", "b")), {"a": 1, "b": 0}) is None
    assert formulas.evaluate(f("divide-round-up", ("a", "b")), {"a": 1, "b": None}) is None
    assert formulas.evaluate(f("multiply", ("a", "b", "c")), {"a": 1, "b": 2}) is None
    assert formulas.evaluate(f("subtract", ("a", "b")), {"a": None, "b": 2}) is None
    assert formulas.evaluate(f("sum", ("t.c",)), {"t.c": []}) is None
    assert formulas.evaluate(f("subtract", ("a", "b")), {"a": 5, "b": 7}) == -2
    blank = localized(example=False)
    assert all(f.cell.text == "" for s in blank.sections for f in s.fields if f.formula)


@pytest.mark.parametrize(
    ("lang", "part", "combined", "per_deal", "share"),
    [
        ("en", "$372,300", "9.6%", "$524", "66.1%"),
        ("de", "372.300\xa0$", "9,6\xa0%", "524\xa0$", "66,1\xa0%"),
        ("ja", "$372,300", "9.6%", "$524", "66.1%"),
        ("id", "US$372.300", "9,6%", "US$524", "66,1%"),
    ],
)
def test_results_print_as_their_result_kind(lang: str, part: str, combined: str, per_deal: str, share: str) -> None:
    v = localized(lang)
    assert field(v, "part").cell.text == part
    assert field(v, "combined").cell.text == combined
    assert field(v, "per-deal").cell.text == per_deal
    items = next(s for s in v.sections if s.id == "items")
    assert items.rows[0][2].text == share
    sentence = field(v, "sentence").cell.text
    assert sentence.startswith("104") and part in sentence and combined in sentence


def test_notes_explain_each_computation() -> None:
    v = localized("en")
    assert field(v, "part").notes == "Calculated: Goal × Share"
    assert field(v, "deals").notes == "Calculated: Part ÷ Deal, rounded up"
    assert field(v, "per-month").notes == "Calculated: Deals ÷ Months"
    assert field(v, "combined").notes == "Calculated: Rate A × Rate B × Share"
    assert field(v, "expected").notes == "Calculated: Deals × Combined rate, rounded up"
    assert field(v, "spare").notes == "Calculated: Deals − Expected"
    assert field(v, "total").notes == "Calculated: sum of the Amount column in Items"
    assert field(localized("ja"), "total").notes == "自動計算：「項目」の「金額」列の合計"


def test_every_format_prints_the_figures() -> None:
    for lang in LANGS.codes:
        v = localized(lang)
        md = markdown.to_markdown(v).decode()
        rows = list(
            csv.reader(io.StringIO(csv_writer.to_csv(v).decode("utf-8-sig")), delimiter=";" if v.decimal_comma else ",")
        )
        units = {row[2]: (row[3], row[4]) for row in rows}
        assert units[field(v, "total").label] == ("54500", "USD")
        assert units[field(v, "combined").label] == (("9,6" if v.decimal_comma else "9.6"), "%")
        assert units[field(v, "deals").label] == ("104", "")
        import docx

        document = docx.Document(io.BytesIO(docx_writer.to_docx(v)))
        printed = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
        for fid in ("part", "deals", "combined", "total", "per-deal", "spare"):
            text = field(v, fid).cell.text
            assert text and f"| {text} |" in md and text in printed, (lang, fid)
        items = next(s for s in v.sections if s.id == "items")
        assert all(row[2].text in printed and row[3].text in md for row in items.rows)


def _cells(data: bytes) -> dict[str, openpyxl.cell.Cell]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {c.coordinate: c for sheet in book.worksheets for row in sheet.iter_rows() for c in row}


def test_xlsx_formulas_are_live_with_cached_values() -> None:
    v = localized("en")
    book = openpyxl.load_workbook(io.BytesIO(xlsx_writer.to_xlsx(v)))
    sheet = book.active
    by_label = {row[0].value: row for row in sheet.iter_rows()}
    deals = by_label["Deals"][1].value
    assert "ROUNDUP(ROUND(" in deals and "/" in deals
    assert "SUM(" in by_label["Total"][1].value and "COUNT(" in by_label["Total"][1].value
    assert "*" in by_label["Combined rate"][1].value and "ROUNDUP" not in by_label["Combined rate"][1].value
    assert by_label["Sentence"][1].data_type == "f"
    ads = by_label["Ads"]
    assert ads[2].data_type == "f" and ads[3].data_type == "f" and ads[1].data_type == "n"
    # The blank template's table rows carry the calculated column's formula too.
    blank = openpyxl.load_workbook(io.BytesIO(xlsx_writer.to_xlsx(localized("en", example=False)))).active
    assert sum(1 for row in blank.iter_rows() for c in row if c.data_type == "f") == 8 + 2 * 2
    cached = openpyxl.load_workbook(io.BytesIO(xlsx_writer.to_xlsx(v)), data_only=True).active
    values = {row[0].value: row[1].value for row in cached.iter_rows()}
    assert values["Deals"] == 104 and values["Total"] == 54500 and values["Combined rate"] == 0.096


CHANGED = {"goal": 2_000_000, "share": 0.45, "deal": 7_000, "months": 9, "rate-a": 0.35, "rate-b": 0.7}
CHANGED_AMOUNTS = [20_000, 9_999, 31_250]


@pytest.mark.office
@pytest.mark.parametrize("lang", ["en", "de"])
def test_libreoffice_recalculates_every_op_like_python(tmp_path: Path, lang: str) -> None:
    v = localized(lang)
    book = openpyxl.load_workbook(io.BytesIO(xlsx_writer.to_xlsx(v)))
    sheet = book.active
    sheet.protection.sheet = False
    labels = {CATALOG.worksheets["every-op"].field(k).label[lang]: k for k in CHANGED}
    items = next(s for s in v.sections if s.id == "items")
    amounts = iter(CHANGED_AMOUNTS)
    item_names = {row[0].text for row in items.rows}
    for row in sheet.iter_rows(min_col=1, max_col=2):
        if row[0].value in labels:
            sheet.cell(row[0].row, 2).value = CHANGED[labels[row[0].value]]
        elif row[0].value in item_names:
            sheet.cell(row[0].row, 2).value = next(amounts)
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    soffice(["--convert-to", "xlsx", "--outdir", str(tmp_path / "out"), str(edited)], tmp_path / "profile", recalc=True)
    result = openpyxl.load_workbook(tmp_path / "out" / "edited.xlsx", data_only=True).active
    got = {row[0].value: [c.value for c in row[1:4]] for row in result.iter_rows()}
    want = expected(CHANGED, CHANGED_AMOUNTS)
    for key, value in want.items():
        label = CATALOG.worksheets["every-op"].field(key).label[lang]
        assert got[label][0] == pytest.approx(float(value), rel=1e-9), (lang, key)
    # The same inputs through the engine give the same figures (Python = LibreOffice).
    example = CATALOG.examples["every-op"]
    rows = tuple({**r, "amount": a} for r, a in zip(example.rows["items"], CHANGED_AMOUNTS, strict=True))
    engine = model.example_results(
        CATALOG.worksheets["every-op"],
        dataclasses.replace(example, values={**example.values, **CHANGED}, rows={"items": rows}),
    )
    for key in want:
        label = CATALOG.worksheets["every-op"].field(key).label[lang]
        assert got[label][0] == pytest.approx(engine.fields[key], rel=1e-9), (lang, key)
    for row, name in zip(engine.rows["items"], [r[0].text for r in items.rows], strict=True):
        assert got[name][1] == pytest.approx(row["item-share"], rel=1e-9)
        assert got[name][2] == pytest.approx(row["over"], rel=1e-9)
    sentence = got[CATALOG.worksheets["every-op"].field("sentence").label[lang]][0]
    assert sentence.startswith(f"{engine.fields['deals']} "), sentence
    assert "%" in sentence and "$" in sentence


def _broken(tmp_path: Path, old: str, new: str) -> str:
    folder = tmp_path / "fx"
    shutil.copytree(FIXTURES, folder)
    path = folder / "every-op.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as info:
        model.load_worksheet(path, LANGS, "every-op.yml")
    return str(info.value)


@pytest.mark.parametrize(
    ("old", "new", "line", "where", "message"),
    [
        (
            "{op: subtract, args: [deals, expected]}",
            "{op: minus, args: [deals, expected]}",
            52,
            "sections[0].fields[11].formula.op",
            "'minus' is not allowed; write one of 'divide-round-up', 'divide', 'multiply'",
        ),
        (
            "{op: subtract, args: [deals, expected]}",
            "{op: subtract, args: [deals, expected, spare]}",
            52,
            "sections[0].fields[11].formula.args",
            "subtract takes exactly 2 arguments, found 3",
        ),
        (
            "{op: multiply, args: [goal, share], result: currency}",
            "{op: multiply, args: [goal], result: currency}",
            20,
            "sections[0].fields[2].formula.args",
            "multiply takes at least 2 arguments, found 1",
        ),
        (
            "{op: divide, args: [deals, months]}",
            "{op: divide, args: [deals, sentence]}",
            34,
            "sections[0].fields[6].formula.args[1]",
            "'sentence' is a long-text field; a formula argument must be one of the number, percent, currency",
        ),
        (
            "{op: divide, args: [deals, months]}",
            "{op: divide, args: [deals, mnths]}",
            34,
            "sections[0].fields[6].formula.args[1]",
            "'mnths' is no field of this template",
        ),
        (
            "{op: divide-round-up, args: [part, deal]}",
            "{op: divide-round-up, args: [part, spare]}",
            27,
            "sections[0].fields[4].formula.args",
            "formula cycle: deals -> spare -> deals",
        ),
        (
            "{op: sum, args: [items.amount], result: currency}",
            "{op: sum, args: [items.item], result: currency}",
            56,
            "sections[0].fields[12].formula.args[0]",
            "'items.item' is not a numeric column of a table section; sum takes one <section>.<column>, e.g. items.amo",
        ),
        (
            "{op: divide, args: [amount, total], result: percent}",
            "{op: divide, args: [item, total], result: percent}",
            78,
            "sections[1].table.columns[2].formula.args[0]",
            "column 'item' is text, not a number, percent or currency",
        ),
        (
            "{op: divide, args: [amount, total], result: percent}",
            "{op: divide, args: [amount, total], result: share}",
            78,
            "sections[1].table.columns[2].formula.result",
            "'share' is not allowed; write one of 'number', 'currency', 'percent'",
        ),
    ],
)
def test_bad_formulas_name_file_line_field_and_what_is_expected(
    tmp_path: Path, old: str, new: str, line: int, where: str, message: str
) -> None:
    text = _broken(tmp_path, old, new)
    assert len(text.splitlines()) == 1, text
    assert text.startswith(f"every-op.yml, line {line}, field {where}: "), text
    assert message in text, text


def test_an_example_takes_a_figure_from_another_templates_example(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    shutil.copy(FIXTURES / "every-op.yml", data / "worksheets" / "every-op.yml")
    example = (FIXTURES / "examples" / "every-op.yml").read_text(encoding="utf-8")
    example = example.replace("  months: 12\n", "  months: {from: sales-marketing-sla.period-months}\n")
    example = example.replace("  deal: 3600\n", "  deal: {from: sales-marketing-sla.average-deal-value}\n")
    (data / "worksheets" / "examples" / "every-op.yml").write_text(example, encoding="utf-8")
    loaded = model.load_catalog(data, LANGS)
    sla = loaded.examples["sales-marketing-sla"].values
    got = loaded.examples["every-op"]
    assert got.values["months"] == sla["period-months"] and got.values["deal"] == sla["average-deal-value"]
    assert got.sources == {
        "months": ("sales-marketing-sla", "period-months"),
        "deal": ("sales-marketing-sla", "average-deal-value"),
    }
    v = view.localize(loaded.worksheets["every-op"], got, loaded, "en", DATE)
    months = loaded.worksheets["sales-marketing-sla"].field("period-months").label["en"]
    assert field(v, "months").notes == f"Taken from the Sales & Marketing SLA: {months}"
    assert field(v, "months").cell.raw == sla["period-months"]
    # A computed field of the other template is computed there first.
    target = tmp_path / "data" / "worksheets" / "examples" / "every-op.yml"
    target.write_text(
        example.replace("  goal: 1241000\n", "  goal: {from: sales-marketing-sla.deals-needed}\n"), encoding="utf-8"
    )
    again = model.load_catalog(data, LANGS)
    sla_results = model.example_results(again.worksheets["sales-marketing-sla"], again.examples["sales-marketing-sla"])
    assert again.examples["every-op"].values["goal"] == sla_results.fields["deals-needed"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{from: sales-marketing-sla.nothing}", "'nothing' is no number or formula field of sales-marketing-sla"),
        ("{from: no-such.lead-target}", "no template 'no-such'; known templates:"),
        ("{from: lead-target}", "'lead-target' is not <template>.<field>, e.g. sales-marketing-sla.lead-target"),
    ],
)
def test_bad_source_names_file_line_and_field(tmp_path: Path, value: str, message: str) -> None:
    path = tmp_path / "every-op.yml"
    path.write_text(
        (FIXTURES / "examples" / "every-op.yml")
        .read_text(encoding="utf-8")
        .replace("  months: 12\n", f"  months: {value}\n"),
        encoding="utf-8",
    )
    sheet = model.load_worksheet(FIXTURES / "every-op.yml", LANGS)
    with pytest.raises(DataError) as info:
        model.load_example(path, {**REAL.worksheets, "every-op": sheet}, LANGS, "examples/every-op.yml")
    text = str(info.value)
    assert text.startswith("examples/every-op.yml, line 10, field values.months"), text
    assert message in text


def test_calculated_cells_are_left_out_of_examples(tmp_path: Path) -> None:
    path = tmp_path / "every-op.yml"
    text = (FIXTURES / "examples" / "every-op.yml").read_text(encoding="utf-8")
    path.write_text(text.replace("      amount: 36000\n", "      amount: 36000\n      over: 5\n"), encoding="utf-8")
    sheet = model.load_worksheet(FIXTURES / "every-op.yml", LANGS)
    with pytest.raises(DataError, match=r"field rows\.items\[0\]\.over: column 'over' is calculated; leave it out"):
        model.load_example(path, {"every-op": sheet}, LANGS, "examples/every-op.yml")


def test_placeholders_in_table_rows_are_checked_and_filled(tmp_path: Path) -> None:
    path = tmp_path / "every-op.yml"
    text = (FIXTURES / "examples" / "every-op.yml").read_text(encoding="utf-8")
    path.write_text(text.replace("{en: Ads,", "{en: 'Ads for {nothing}',"), encoding="utf-8")
    sheet = model.load_worksheet(FIXTURES / "every-op.yml", LANGS)
    with pytest.raises(
        DataError, match=r"field rows\.items\[0\]\.item\.en: \{nothing\} names no number or formula field"
    ):
        model.load_example(path, {"every-op": sheet}, LANGS, "examples/every-op.yml")
    path.write_text(text.replace("{en: Ads,", "{en: 'Ads ({deals} deals)',"), encoding="utf-8")
    example = model.load_example(path, {"every-op": sheet}, LANGS, "examples/every-op.yml")
    local = dataclasses.replace(CATALOG, examples={"every-op": example})
    v = view.localize(sheet, example, local, "en", DATE)
    items = next(s for s in v.sections if s.id == "items")
    assert items.rows[0][0].text == "Ads (104 deals)" and items.rows[0][0].source == "Ads ({deals} deals)"
    cells = [c for c in _cells(xlsx_writer.to_xlsx(v)).values() if c.data_type == "f" and "Ads (" in str(c.value)]
    assert len(cells) == 1 and "FIXED(" in cells[0].value
