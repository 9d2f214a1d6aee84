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


def _headers(worksheet: view_module.WorksheetView) -> list[tuple[str, ...]]:
    """The header labels of each section's table, in order (a field table's are Field, Value, Notes)."""
    labels = worksheet.labels
    return [
        s.headers if s.is_table else (labels["field"], labels["value"], labels["notes"]) for s in worksheet.sections
    ]


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
            assert sheet.print_area
            if sheet.print_title_rows:  # only a table that continues on the next page repeats a row
                first, last = sheet.print_title_rows.replace("$", "").split(":")
                assert first == last
                printed = tuple(c.value for c in sheet[int(first)] if c.value is not None)
                assert printed in _headers(worksheet), (path, printed)
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


@pytest.fixture(scope="module")
def printed(files: list[Path], tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Path]:
    """Every XLSX printed to PDF by LibreOffice headless."""
    out = tmp_path_factory.mktemp("printed")
    results = {}
    for lang in LANGS.codes:
        sources = [p for p in files if p.parent.name == lang]
        results.update(zip(sources, to_pdf(sources, out / lang, out / "profile"), strict=True))
    return results


def _long_tables(worksheet: view_module.WorksheetView) -> view_module.WorksheetView:
    """The view with its first table and its first field table each longer than a printed page."""
    sections = list(worksheet.sections)
    table = next(i for i, s in enumerate(sections) if s.is_table)
    fields = next(i for i, s in enumerate(sections) if not s.is_table)
    sections[table] = dataclasses.replace(sections[table], rows=sections[table].rows * 14)
    sections[fields] = dataclasses.replace(sections[fields], fields=sections[fields].fields * 7)
    return dataclasses.replace(worksheet, sections=tuple(sections))


def _sheet_pages(source: Path, result: Path) -> list[tuple[str, list[str]]]:
    """Each printed page as (sheet name from the footer, body lines between page header and footer)."""
    names = openpyxl.load_workbook(source, read_only=True).sheetnames
    pages = []
    for text in page_texts(result):
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        footer = [n for n in names if re.search(re.escape(n) + r"\s+\S+", lines[-1])]
        assert len(footer) == 1, (source, lines[-1])
        pages.append((footer[0], lines[1:-1]))
    return pages


def _continued_pages(
    worksheet: view_module.WorksheetView, pages: list[tuple[str, list[str]]]
) -> list[tuple[int, list[str]]]:
    """Pages that start inside a table: (section index, body lines), from what the page shows.

    A sheet's first page starts with the title block; any later page starts either with a
    section heading or inside the table of the last heading printed before it (a repeated
    title row at the top does not count as a start).
    """
    headings = [s.title for s in worksheet.sections]
    found, current, sheet = [], None, None
    for name, body in pages:
        first_page, sheet = name != sheet, name
        content = [line for line in body if line != worksheet.title]
        if not first_page and content and content[0] not in headings:
            assert current is not None, (name, body[:3])
            found.append((current, body))
        for line in body:
            if line in headings:
                current = headings.index(line)
    return found


def _assert_header_on_top(
    source: Path, worksheet: view_module.WorksheetView, pages: list[tuple[int, list[str]]]
) -> None:
    """Each page that starts inside a table shows that table's header labels in its first lines."""
    for section, body in pages:
        labels = _headers(worksheet)[section]
        top = " ".join(body[: max(len(label.split()) for label in labels) + 1]).split()
        assert body[0].split()[0] == labels[0].split()[0], (source, section, body[:3])
        for label in labels:
            assert all(word in top for word in label.split()), (source, label, body[:3])


@pytest.mark.office
def test_a_page_that_starts_inside_a_table_repeats_its_header_row(
    files: list[Path], printed: dict[Path, Path], tmp_path: Path
) -> None:
    for source, result in printed.items():
        worksheet = views(source.parent.name)[source.stem]
        pages = _sheet_pages(source, result)
        _assert_header_on_top(source, worksheet, _continued_pages(worksheet, pages))
        # Headings stay with their tables: no page ends with a section heading or its intro.
        stranded = {s.title for s in worksheet.sections} | {s.intro for s in worksheet.sections if s.intro}
        assert not [body[-1] for _, body in pages if body[-1] in stranded], source
    # Tables longer than a page, in every language: they must continue with their header row.
    for lang in LANGS.codes:  # one folder per language: the stems are the same
        long = []
        for stem in ("downstream-campaign-example", "sales-marketing-sla"):
            path = tmp_path / lang / f"{stem}.xlsx"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(xlsx.to_xlsx(_long_tables(views(lang)[stem])))
            long.append(path)
        results = to_pdf(long, tmp_path / lang / "pdf", tmp_path / "profile")
        for source, result in zip(long, results, strict=True):
            worksheet = _long_tables(views(lang)[source.stem])
            continued = _continued_pages(worksheet, _sheet_pages(source, result))
            lengthened = {
                next(i for i, s in enumerate(worksheet.sections) if s.is_table),
                next(i for i, s in enumerate(worksheet.sections) if not s.is_table),
            }
            # Both lengthened sections continue (a grown template may have another long one).
            assert lengthened <= {section for section, _ in continued}, (source, "both long tables continue")
            _assert_header_on_top(source, worksheet, continued)


@pytest.mark.office
def test_libreoffice_prints_each_sheet_on_at_most_two_pages_all_with_text(printed: dict[Path, Path]) -> None:
    for lang in LANGS.codes:
        for source, result in ((s, r) for s, r in printed.items() if s.parent.name == lang):
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
            drawn = re.sub(r"\s+", "", "".join(page_texts(result, "-raw")))
            for section in views(lang)[source.stem].sections:
                for f in section.fields:
                    if f.cell.text and f.kind in ("text", "long-text"):
                        assert re.sub(r"\s+", "", f.cell.text) in drawn, (source, f.cell.text)


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


def test_paginate_moves_a_section_that_fits_a_page_and_splits_only_a_longer_one() -> None:
    # Page 100 pt, a 10 pt title row. Block rows: spacer, heading, header (head=2), data rows.
    a = xlsx.Block((5, 10, 10, 20, 20), 2)  # rows 1-5: fits after the title (75 pt used)
    b = xlsx.Block((5, 10, 10, 20, 20, 20), 2)  # rows 6-11: 85 pt, moves whole: break before its heading (7)
    c = xlsx.Block((5, 10, 10, *[20] * 8), 2)  # rows 12-22: longer than a page
    pages = xlsx.paginate([10], [a, b, c], 100)
    # c's heading, header and two rows do not fit under b (80 + 65 > 100): break before its
    # heading (13); the page holds heading, header and four rows; row 19 starts the next page,
    # which repeats c's header row (14).
    assert pages == xlsx.Pages((7, 13, 19), 14, 4, frozenset({2}))


def test_paginate_leaves_two_rows_for_the_next_page() -> None:
    block = xlsx.Block((5, 10, 10, *[20] * 8), 2)  # rows 1-11, longer than a page
    # Page 1: title, spacer, heading, header and three rows (95 pt); page 2 repeats the header
    # (10) and has room for four rows, which would leave the last row alone on page 3: the
    # break moves up a row (before row 10) so page 3 holds two rows under the header.
    pages = xlsx.paginate([10], [block], 100)
    assert pages == xlsx.Pages((7, 10), 3, 3, frozenset({0}))


def test_row_heights_follow_word_wrapping_as_libreoffice_prints_it() -> None:
    from playbook.templates.writers import design

    # Line counts read off LibreOffice's print of these cells (Liberation Sans / Japanese gothic, 10 pt).
    # The last word moving to a third line was missed by dividing the text's width by the column's,
    # and the row clipped "Besprechung".
    assert design.wrapped_lines("Wöchentliches Dashboard, monatliche gemeinsame Besprechung", xlsx.WIDTHS[1]) == 3
    assert design.wrapped_lines("Angle of the promotional video", xlsx.WIDTHS[0], bold=True) == 2  # a bold label
    ja = "エンタープライズ担当のアカウントエグゼクティブとインサイドセールス（SDR）チーム"
    assert design.wrapped_lines(ja, xlsx.WIDTHS[1]) == 3
