"""The XLSX downloads read back with openpyxl, and printed and recalculated by LibreOffice."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from playbook.templates import view as view_module
from playbook.templates.writers import xlsx
from tests.office import CATALOG, LANGS, page_texts, soffice, to_pdf, views, write


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write(tmp_path_factory.mktemp("xlsx"), "xlsx")


def _inputs(worksheet: view_module.WorksheetView) -> dict[str, view_module.FieldView]:
    return {f.label: f for s in worksheet.sections for f in s.fields}


def test_print_setup_and_sheet_names_come_from_the_data(files: list[Path]) -> None:
    for path in files:
        lang, stem = path.parent.name, path.stem
        worksheet = views(lang)[stem]
        book = openpyxl.load_workbook(path)
        names = book.sheetnames
        base = CATALOG.worksheets[worksheet.id].sheet_name[lang]
        assert names == [base] or names == [f"{base} ({n})" for n in range(1, len(names) + 1)], names
        for sheet in book.worksheets:
            setup = sheet.page_setup
            assert setup.paperSize == (9 if CATALOG.papers[lang] == "A4" else 1), path
            assert setup.orientation == "portrait" and sheet.sheet_properties.pageSetUpPr.fitToPage
            assert setup.fitToWidth in (1, None) and setup.fitToHeight == 0
            assert sheet.print_area and sheet.print_title_rows == "$1:$1"
            assert sheet.page_margins.left > 0.5 and sheet.page_margins.top > 0.5
            assert worksheet.title.replace("&", "&&") in sheet.oddHeader.left.text
            assert "&P" in sheet.oddFooter.right.text and "&N" in sheet.oddFooter.right.text
            assert sheet.protection.sheet and not sheet.protection.password


def test_input_cells_are_tinted_unlocked_and_validated_the_rest_locked(files: list[Path]) -> None:
    for path in files:
        worksheet = views(path.parent.name)[path.stem]
        fields = _inputs(worksheet)
        book = openpyxl.load_workbook(path)
        seen = 0
        for sheet in book.worksheets:
            rules = {str(r.sqref): r for r in sheet.data_validations.dataValidation}
            for row in sheet.iter_rows(min_col=1, max_col=1):
                label = row[0].value
                if label not in fields or sheet.cell(row[0].row, 3).value == worksheet.labels["notes"]:
                    continue
                field, value = fields[label], sheet.cell(row[0].row, 2)
                seen += 1
                assert row[0].protection.locked and sheet.cell(row[0].row, 3).protection.locked
                if field.formula:
                    assert value.protection.locked and value.data_type == "f"
                    continue
                assert not value.protection.locked, (path, label)
                assert value.fill.fgColor.rgb.endswith("FFF8E1")
                rule = rules.get(value.coordinate)
                if field.kind == "percent":
                    assert (
                        rule and rule.type == "decimal" and rule.operator in (None, "between")
                    )  # between is the default
                    assert (rule.formula1, rule.formula2) == ("0", "1")
                elif field.kind in ("currency", "number"):
                    assert rule and rule.operator == "greaterThanOrEqual" and rule.formula1 == "0"
        assert seen == len(fields), path


def test_every_formula_has_its_cached_value_and_derived_figures_are_formulas(files: list[Path]) -> None:
    for path in files:
        worksheet = views(path.parent.name)[path.stem]
        package = zipfile.ZipFile(path)
        sheets = [n for n in package.namelist() if n.startswith("xl/worksheets/sheet")]
        cells = [c for n in sheets for c in re.findall(r"<c [^>]*>.*?</c>", package.read(n).decode())]
        formulas = [c for c in cells if "<f>" in c]
        derived = [f for s in worksheet.sections for f in s.fields if f.formula or f.cell.source]
        cells_derived = [
            cell
            for s in worksheet.sections
            for row in s.rows
            for cell, formula in zip(row, s.formulas or (None,) * len(row), strict=True)
            if formula or cell.source
        ]
        assert len(formulas) == len(derived) + len(cells_derived), path
        if worksheet.example:
            assert all(re.search(r"<v>[^<]+</v>", c) for c in formulas), path
        cached = {
            c.value
            for sheet in openpyxl.load_workbook(path, data_only=True).worksheets
            for row in sheet.iter_rows()
            for c in row
        }
        for field in derived:
            expected = field.cell.raw if field.formula else field.cell.text
            if expected is not None:
                assert expected in cached, (path, field.id, expected)
        for cell in cells_derived:
            expected = cell.text if cell.source else cell.raw
            if expected is not None:
                assert expected in cached, (path, expected)


def test_formats_follow_the_language_as_the_other_files_print() -> None:
    # Expected strings from Babel (the view), formats from CLDR patterns: $ before, € after, etc.
    assert xlsx.number_formats("en", "USD")["currency"] == '[$-409]"$"#,##0'
    assert xlsx.number_formats("de", "USD")["currency"] == '[$-407]#,##0"\xa0$"'
    assert xlsx.number_formats("id", "USD")["currency"] == '[$-421]"US$"#,##0'
    assert xlsx.number_formats("de", "USD")["date"] == "[$-407]d. mmmm yyyy"
    assert xlsx.number_formats("ja", "USD")["date"] == '[$-411]yyyy"年"m"月"d"日"'
    formats = xlsx.number_formats("de", "USD")
    assert xlsx.percent_format(formats, 0.25) == '[$-407]0"\xa0"%'
    assert xlsx.percent_format(formats, 0.025) == '[$-407]0.0"\xa0"%'


def test_text_that_looks_like_a_formula_is_a_text_cell_without_apostrophe() -> None:
    worksheet = views("en")["upstream-plan-example"]
    hostile = ['=HYPERLINK("http://x")', " +1", "-2", "@SUM(A1)", "＝1+1", "\u3000＠x"]
    section = worksheet.sections[0]
    fields = tuple(
        dataclasses.replace(f, cell=view_module.Cell(text, text, "text"))
        for f, text in zip(section.fields, hostile, strict=False)
    )
    sections = (dataclasses.replace(section, fields=fields), *worksheet.sections[1:])
    data = xlsx.to_xlsx(dataclasses.replace(worksheet, sections=sections))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    for text in hostile[: len(fields)]:
        assert cells[text].data_type == "s", text
        assert cells[text].quotePrefix, text
    assert not any(c.data_type == "f" for c in cells.values())


@pytest.mark.office
def test_libreoffice_prints_each_sheet_on_at_most_two_pages_all_with_text(files: list[Path], tmp_path: Path) -> None:
    for lang in LANGS.codes:
        sources = [p for p in files if p.parent.name == lang]
        for source, result in zip(sources, to_pdf(sources, tmp_path / lang, tmp_path / "profile"), strict=True):
            names = openpyxl.load_workbook(source, read_only=True).sheetnames
            pages = page_texts(result)
            per_sheet = {name: 0 for name in names}
            for text in pages:
                footer = [n for n in names if re.search(re.escape(n) + r"\s+\S+", text.strip().splitlines()[-1])]
                assert len(footer) == 1, (source, text[-200:])
                per_sheet[footer[0]] += 1
                body = [line for line in text.strip().splitlines()[1:-1] if line.strip()]
                assert len(body) >= 3, (source, "a page with no text", text)
            assert all(1 <= n <= 2 for n in per_sheet.values()), (source, per_sheet)
            # Nothing is cut off: every word of the example's values is on the printed pages.
            printed = re.sub(r"\s+", "", "".join(page_texts(result, "-raw")))
            for section in views(lang)[source.stem].sections:
                for f in section.fields:
                    if f.cell.text and f.kind in ("text", "long-text"):
                        assert re.sub(r"\s+", "", f.cell.text) in printed, (source, f.cell.text)


@pytest.mark.office
def test_derived_figures_follow_changed_inputs_after_libreoffice_recalculates(
    files: list[Path], tmp_path: Path
) -> None:
    changed = {
        "revenue-goal": 2_100_000,
        "marketing-share": 0.6,
        "average-deal-value": 30_000,
        "lead-to-mql": 0.35,
        "visitor-to-lead": 0.04,
        "period-months": 9,
        "sales-reps": 4,
    }
    for lang in LANGS.codes:
        source = next(p for p in files if p.parent.name == lang and p.stem == "sales-marketing-sla-example")
        worksheet = views(lang)[source.stem]
        sheet_def = CATALOG.worksheets[worksheet.id]
        labels = {sheet_def.field(k).label[lang]: k for k in changed}
        book = openpyxl.load_workbook(source)
        for sheet in book.worksheets:
            sheet.protection.sheet = False
            for row in sheet.iter_rows(min_col=1, max_col=1):
                if row[0].value in labels:
                    sheet.cell(row[0].row, 2).value = changed[labels[row[0].value]]
        edited = tmp_path / lang / "edited.xlsx"
        edited.parent.mkdir(parents=True)
        book.save(edited)
        out = tmp_path / lang / "recalculated"
        soffice(["--convert-to", "xlsx", "--outdir", str(out), str(edited)], tmp_path / "profile", recalc=True)
        result = openpyxl.load_workbook(out / "edited.xlsx", data_only=True)
        # The figures the Python code computes for the same inputs (independent of the sheet).
        values = {**CATALOG.examples[worksheet.id].values, **changed}
        numbers: dict[str, float | int | None] = {}
        for field in (f for s in sheet_def.sections for f in s.fields if f.kind != "text"):
            if field.formula:
                numbers[field.id] = view_module.evaluate(field.formula, numbers)
            elif isinstance(values.get(field.id), int | float):
                numbers[field.id] = values[field.id]
        got = {}
        for sheet in result.worksheets:
            for row in sheet.iter_rows(min_col=1, max_col=2):
                got[row[0].value] = row[1].value
        for field in (f for s in sheet_def.sections for f in s.fields if f.formula):
            assert got[field.label[lang]] == pytest.approx(numbers[field.id], rel=1e-9), (lang, field.id)
        # Inputs that change the funnel: the new figures differ from the example's.
        before = {f.id: f.cell.raw for s in views(lang)[source.stem].sections for f in s.fields}
        assert numbers["monthly-lead-target"] != before["monthly-lead-target"]
        assert numbers["sales-capacity"] != before["sales-capacity"]
        sentence = next(v for v in got.values() if isinstance(v, str) and str(numbers["monthly-lead-target"]) in v)
        assert sentence, (lang, "the sentence naming the monthly lead target did not follow")
        # The tracking table's gaps follow the new monthly targets.
        rows = CATALOG.examples[worksheet.id].rows["tracking"]
        months = {r["month"][lang]: r for r in rows}
        for sheet in result.worksheets:
            for row in sheet.iter_rows(min_col=1, max_col=5):
                if row[0].value in months:
                    given = months[row[0].value]
                    assert row[3].value == given["leads"] - numbers["monthly-lead-target"], (lang, row[0].value)
                    assert row[4].value == given["mqls"] - numbers["monthly-mql-target"], (lang, row[0].value)
