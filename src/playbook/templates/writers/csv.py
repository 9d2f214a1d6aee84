"""Write a :class:`~playbook.templates.view.WorksheetView` as long-format CSV (pure)."""

from __future__ import annotations

import csv
import io

from playbook.templates.view import WorksheetView, neutralise


def to_csv(view: WorksheetView) -> bytes:
    """Render the view as long-format CSV (section, row, field, value, notes); UTF-8 with BOM for Excel."""
    lab = view.labels
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    rows = [[lab["section"], lab["row"], lab["field"], lab["value"], lab["notes"]]]
    for section in view.sections:
        if section.is_table:
            for number, row in enumerate(section.rows, start=1):
                for header, cell in zip(section.headers, row, strict=True):
                    rows.append([section.title, str(number), header, cell.text, ""])
        else:
            rows += [[section.title, "", f.label, f.cell.text, f.notes] for f in section.fields]
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
