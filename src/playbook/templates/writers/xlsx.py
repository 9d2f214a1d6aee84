"""Write a :class:`~playbook.templates.view.WorksheetView` as an Excel workbook (pure: never imports mkdocs).

Only the template's own formula fields become formulas (``=IF(...,ROUNDUP(a/b,0))``, live, so a
user can change the SLA's rates and targets); every other cell is data, numbers stay numbers and
text is neutralised against formula injection. Bytes are reproducible (fixed properties and zip).
"""

from __future__ import annotations

import datetime as dt
import io
import re

from playbook.templates.view import Cell, WorksheetView, language_tag, neutralise
from playbook.templates.writers.ooxml import normalize_zip

# openpyxl is imported in to_xlsx: a build whose downloads are all cached never writes a workbook.
HEADER_FILL = "DDEEEE"
NUMBER_FORMATS = {"percent": "0.0%", "number": "#,##0", "formula": "#,##0", "date": "yyyy-mm-dd"}


def _sheet_title(title: str) -> str:
    r"""Excel sheet names: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip() or "Sheet"


def _value(cell: Cell) -> object:
    """Return what goes into a data cell: a number, a date, or neutralised text."""
    if cell.raw is None or cell.raw == "":
        return None
    if cell.kind in ("number", "percent", "currency"):
        return cell.raw
    if cell.kind == "date":
        return dt.date.fromisoformat(str(cell.raw))
    return neutralise(cell.text)


def _formula(refs: list[str]) -> str:
    """ROUNDUP(a/b, 0), blank until both inputs are filled in."""
    a, b = refs
    return f'=IF(OR({a}="",{b}="",{b}=0),"",ROUNDUP(ROUND({a}/{b},6),0))'


def to_xlsx(view: WorksheetView) -> bytes:
    """Render the view as XLSX bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.xml.functions import tostring

    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(view.title)
    formats = {**NUMBER_FORMATS, "currency": f'#,##0 "{view.currency}"'}
    wrap = Alignment(wrap_text=True, vertical="top")
    lab = view.labels
    sheet.append([neutralise(view.title)])
    sheet["A1"].font = Font(size=16, bold=True)
    if view.subtitle:
        sheet.append([neutralise(view.subtitle)])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    sheet.append([neutralise(view.summary)])
    sheet.append([neutralise(view.note)])
    sheet.cell(sheet.max_row, 1).font = Font(italic=True)
    refs: dict[str, str] = {}
    for section in view.sections:
        sheet.append([])
        sheet.append([neutralise(section.title)])
        sheet.cell(sheet.max_row, 1).font = Font(size=13, bold=True)
        if section.intro:
            sheet.append([neutralise(section.intro)])
        headers = section.headers if section.is_table else (lab["field"], lab["value"], lab["notes"])
        sheet.append([neutralise(h) for h in headers])
        for column in range(1, len(headers) + 1):
            cell = sheet.cell(sheet.max_row, column)
            cell.font, cell.fill = Font(bold=True), header_fill
        if section.is_table:
            for row in section.rows:
                sheet.append([_value(c) for c in row])
                for column, value in enumerate(row, start=1):
                    target = sheet.cell(sheet.max_row, column)
                    target.alignment = wrap
                    if value.kind in formats:
                        target.number_format = formats[value.kind]
            continue
        for field in section.fields:
            row_number = sheet.max_row + 1
            refs[field.id] = f"B{row_number}"
            value = _formula([refs[a] for a in field.formula.args]) if field.formula else _value(field.cell)
            sheet.append([neutralise(field.label), value, neutralise(field.notes) if field.notes else None])
            for column in (1, 2, 3):
                sheet.cell(row_number, column).alignment = wrap
            if field.kind in formats:
                sheet.cell(row_number, 2).number_format = formats[field.kind]
            if field.formula:
                sheet.cell(row_number, 2).font = Font(bold=True)
    sheet.append([])
    sheet.append([neutralise(f"{lab['version_date']}: {view.date.date().isoformat()}")])
    for letter, width in zip("ABCDE", (34, 34, 40, 30, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    naive = view.date.replace(tzinfo=None)
    props = book.properties
    props.title, props.subject, props.language = view.title, view.subtitle or view.note, language_tag(view.lang)
    props.creator = props.lastModifiedBy = None
    props.created = props.modified = naive
    out = io.BytesIO()
    book.save(out)
    # openpyxl stamps "modified" with the current time while saving; put the build date back.
    props.modified = naive
    return normalize_zip(out.getvalue(), view.date, {"docProps/core.xml": tostring(props.to_tree())})
