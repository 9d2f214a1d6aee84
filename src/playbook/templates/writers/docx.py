"""Write a :class:`~playbook.templates.view.WorksheetView` as a Word document (pure: never imports mkdocs).

Real headings (Heading 1 for the title, Heading 2 per section), real tables with a repeating
header row, the language in the default styles (``w:lang``) and the core properties, and
reproducible bytes: dates come from the view, the zip is normalised.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from playbook.templates.view import WorksheetView, language_tag
from playbook.templates.writers.ooxml import normalize_zip

if TYPE_CHECKING:
    from docx.document import Document

# python-docx is imported inside the functions: a build whose downloads are all cached never
# writes a DOCX and so never pays for the import.


def _set_default_language(document: Document, lang: str) -> None:
    """Declare the language in ``w:docDefaults`` so every style inherits it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    element = rpr.find(qn("w:lang"))
    if element is None:
        element = OxmlElement("w:lang")
        rpr.append(element)
    tag = language_tag(lang)
    element.set(qn("w:val"), tag)
    element.set(qn("w:eastAsia"), tag if lang in ("ja", "zh", "ko") else "ja-JP")
    element.set(qn("w:bidi"), "ar-SA")
    if lang == "ja":
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        fonts.set(qn("w:eastAsia"), "IPAexGothic")


def _table(document: Document, headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """Add a table whose first row is a header row repeated on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    header = table.rows[0]
    for cell, text in zip(header.cells, headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    trpr = header._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trpr.append(flag)
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text


def to_docx(view: WorksheetView) -> bytes:
    """Render the view as DOCX bytes."""
    from docx import Document
    from docx.shared import Pt

    document = Document()
    _set_default_language(document, view.lang)
    document.styles["Normal"].font.size = Pt(10)
    props = document.core_properties
    naive = view.date.replace(tzinfo=None)
    props.title, props.subject, props.language = view.title, view.subtitle or view.note, language_tag(view.lang)
    props.author = props.last_modified_by = ""
    props.created = props.modified = props.last_printed = naive
    props.revision = 1
    document.add_heading(view.title, level=1)
    if view.subtitle:
        document.add_paragraph().add_run(view.subtitle).bold = True
    document.add_paragraph(view.summary)
    document.add_paragraph().add_run(view.note).italic = True
    lab = view.labels
    for section in view.sections:
        document.add_heading(section.title, level=2)
        if section.intro:
            document.add_paragraph(section.intro)
        if section.is_table:
            _table(document, section.headers, [tuple(c.text for c in row) for row in section.rows])
        else:
            _table(
                document,
                (lab["field"], lab["value"], lab["notes"]),
                [(f.label, f.cell.text, f.notes) for f in section.fields],
            )
    document.add_paragraph(f"{lab['version_date']}: {view.date.date().isoformat()}")
    out = io.BytesIO()
    document.save(out)
    return normalize_zip(out.getvalue(), view.date)
