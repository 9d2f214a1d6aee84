"""Write a :class:`~playbook.templates.view.WorksheetView` as long-format CSV (pure).

A double click opens it in the reader's spreadsheet: UTF-8 with a BOM, and the list separator
and decimal mark of the language's usual spreadsheet locale (``;`` and ``,`` where the decimal
mark is a comma, as in German and Indonesian; ``,`` and ``.`` otherwise; from CLDR via Babel).
Numbers are plain numbers (no thousands separators, rates in percent points) with their unit
(currency code or %) in a column of their own; dates are ISO dates, which every locale reads.
Text that a spreadsheet could run as a formula gets a leading apostrophe. A checklist item is a
row whose field is the item and whose value is left empty, to tick.
"""

from __future__ import annotations

import csv
import io

from playbook.templates.view import Cell, WorksheetView, neutralise


def plain_number(value: float | int, decimal: str) -> str:
    """``1440000`` / ``2,5``: no grouping, the locale's decimal mark, no float noise."""
    text = f"{round(float(value), 9):.9f}".rstrip("0").rstrip(".")
    return text.replace(".", decimal)


def csv_value(cell: Cell, view: WorksheetView) -> tuple[str, str]:
    """The (value, unit) columns of one cell."""
    if cell.raw is None or cell.raw == "":
        return "", ""
    decimal = "," if view.decimal_comma else "."
    if cell.kind == "percent":
        return plain_number(float(cell.raw) * 100, decimal), "%"
    if cell.kind == "currency":
        return plain_number(cell.raw, decimal), view.currency  # type: ignore[arg-type]
    if cell.kind in ("number", "formula"):
        return plain_number(cell.raw, decimal), ""  # type: ignore[arg-type]
    if cell.kind == "date":
        return str(cell.raw), ""
    return neutralise(cell.text), ""


def to_csv(view: WorksheetView) -> bytes:
    """Render the view as long-format CSV (section, row, field, value, unit, notes)."""
    lab = view.labels
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if view.decimal_comma else ",", lineterminator="\r\n")
    writer.writerow([neutralise(lab[k]) for k in ("section", "row", "field", "value", "unit", "notes")])
    for section in view.sections:
        title = neutralise(section.title)
        if section.is_checklist:
            # One row per item; its value column is the tick (empty until someone checks it).
            for number, task in enumerate(section.tasks, start=1):
                writer.writerow([title, str(number), neutralise(task.text), "", "", ""])
        elif section.is_table:
            for number, row in enumerate(section.rows, start=1):
                for header, cell in zip(section.headers, row, strict=True):
                    writer.writerow([title, str(number), neutralise(header), *csv_value(cell, view), ""])
        else:
            for f in section.fields:
                writer.writerow([title, "", neutralise(f.label), *csv_value(f.cell, view), neutralise(f.notes)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
