"""Write a :class:`~playbook.templates.view.WorksheetView` as a Word document (pure: never imports mkdocs).

The same document as the PDF (:mod:`playbook.templates.writers.design`): the language's paper
(``paper`` in data/languages.yml), the site's teal headings and table heads, tinted cells to fill
in with room to write (at least three lines for free text), and Word's own means to print well:
headings and intros kept with the first rows of their table, header rows repeated on every page,
rows that never split, cell margins. Checklist items get Word's own check box (a content control
that Word ticks on a click; other suites show the box) and room to note who checked them and when.
A real style set with fonts every office suite has (Arial;
Yu Gothic as the East Asian font of Japanese text) replaces python-docx's theme fonts; the core
properties carry title, subject and language, nothing of python-docx (no generator text, page
counts or thumbnail). Dates come from the view and the zip is normalised: reproducible bytes.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from playbook.templates.view import WorksheetView, language_tag
from playbook.templates.writers import design
from playbook.templates.writers.ooxml import normalize_zip

if TYPE_CHECKING:
    from docx.document import Document

# python-docx is imported inside the functions: a build whose downloads are all cached never
# writes a DOCX and so never pays for the import.

#: Column shares of a field table (label, value, notes) and of 2- and 3-column tables.
FIELD_SHARES = (0.30, 0.40, 0.30)
TABLE_SHARES = {
    1: (1.0,),
    2: (0.35, 0.65),
    3: (0.30, 0.40, 0.30),
    4: (0.26, 0.34, 0.20, 0.20),
    5: (0.24, 0.28, 0.16, 0.16, 0.16),
}
#: A checklist: the item (after its box), then room to note who checked it and when.
CHECKLIST_SHARES = (0.65, 0.35)
#: Word's check box content control shows these (MS Gothic is the font Word itself uses for them).
BOX_EMPTY, BOX_TICKED, BOX_FONT = "2610", "2612", "MS Gothic"
#: A line of writing at the 10 pt body size, in points.
LINE_PT = 14
APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>Upstream &amp; Downstream Marketing Playbook</Application><DocSecurity>0</DocSecurity>"
    b"</Properties>"
)


#: A hint's size in a table (9 pt, as half-points).
GREY_HALF_POINTS = 18


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _el(tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _fonts(rpr: Any, lang: str) -> None:
    """Explicit fonts (no theme font), with the East Asian font for Japanese."""
    from docx.oxml.ns import qn

    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    east = design.EAST_ASIAN_FONT if lang == "ja" else design.LATIN_FONT
    rpr.insert(
        0, _el("w:rFonts", ascii=design.LATIN_FONT, hAnsi=design.LATIN_FONT, cs=design.LATIN_FONT, eastAsia=east)
    )


def _styles(document: Document, lang: str) -> None:
    """The style set: language and fonts in the defaults, no theme fonts anywhere, teal headings."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    styles = document.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr, lang)
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    tag = language_tag(lang)
    rpr.append(_el("w:lang", val=tag, eastAsia=tag if lang in ("ja", "zh", "ko") else "ja-JP", bidi="ar-SA"))
    # Theme fonts (Calibri/Cambria) would override the fonts above in every style that names them.
    for fonts in styles.iter(qn("w:rFonts")):
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{attr}"), None)
    teal = RGBColor.from_string(design.TEAL)
    normal = document.styles["Normal"]
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.15
    for name, size, before, after in (("Title", 20, 0, 6), ("Heading 1", 20, 0, 6), ("Heading 2", 13, 14, 4)):
        style = document.styles[name]
        style.font.size, style.font.bold, style.font.color.rgb = Pt(size), True, teal
        style.font.name = design.LATIN_FONT
        _fonts(style.element.get_or_add_rPr(), lang)
        style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(before), Pt(after)
        style.paragraph_format.keep_with_next = True
    for name in ("Heading 1", "Heading 2"):
        ppr = document.styles[name].element.get_or_add_pPr()
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)


def _page(document: Document, paper: str) -> None:
    from docx.shared import Mm

    width, height = design.PAPER_MM[paper]
    section = document.sections[0]
    section.page_width, section.page_height = Mm(width), Mm(height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(design.MARGIN_MM))
    section.header_distance = section.footer_distance = Mm(8)


def _footer(document: Document, view: WorksheetView) -> None:
    """Title, edition and page number at the foot of every page."""
    from docx.shared import Pt, RGBColor

    paragraph = document.sections[0].footer.paragraphs[0]
    run = paragraph.add_run(f"{view.title} · {view.labels['version_date']}: {view.edition_text} · ")
    before, _, after = view.labels["page"].partition("{page}")
    paragraph.add_run(before)
    paragraph._p.append(_el("w:fldSimple", instr="PAGE"))
    tail = after.split("{pages}")
    paragraph.add_run(tail[0])
    if len(tail) > 1:
        paragraph._p.append(_el("w:fldSimple", instr="NUMPAGES"))
        paragraph.add_run(tail[1])
    del run
    style = document.styles["Footer"]
    style.font.size, style.font.color.rgb = Pt(8), RGBColor.from_string(design.GREY)


def _shade(tc: Any, fill: str) -> None:
    """Tint a table cell (``w:tc``): its properties hold only the width before this."""
    tc.get_or_add_tcPr().append(_el("w:shd", val="clear", color="auto", fill=fill))


def _table_properties(table: Any) -> None:
    """Borders in the design's colour and cell margins (text never touches a border)."""
    from docx.oxml.ns import qn

    tblpr = table._tbl.tblPr
    borders = _el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_el(f"w:{side}", val="single", sz="4", space="0", color=design.BORDER))
    margins = _el("w:tblCellMar")
    for side, twips in (("top", "60"), ("left", "100"), ("bottom", "60"), ("right", "100")):
        margins.append(_el(f"w:{side}", w=twips, type="dxa"))
    for old in tblpr.findall(qn("w:tblBorders")) + tblpr.findall(qn("w:tblCellMar")):
        tblpr.remove(old)
    tblpr.append(borders)
    tblpr.append(margins)


def _row_flags(row: Any, header: bool, min_lines: int) -> None:
    """CantSplit on every row; the header row repeats; blank rows leave room to write."""
    trpr = row._tr.get_or_add_trPr()
    trpr.append(_el("w:cantSplit"))
    if header:
        trpr.append(_el("w:tblHeader"))
    if min_lines > 1:
        trpr.append(_el("w:trHeight", val=str(min_lines * LINE_PT * 20), hRule="atLeast"))


def _write(tc: Any, text: str, bold: bool = False, grey: bool = False, keep: bool = False) -> None:
    """Fill a new table cell's one paragraph, its properties written as XML in schema order.

    python-docx's property setters (``paragraph_format``, ``run.bold``) look up each child's
    place among its possible siblings: half of a DOCX's time when they set every cell.
    """
    from docx.text.paragraph import Paragraph

    (p,) = tc.findall(_qn("w:p"))
    ppr = _el("w:pPr")
    ppr.append(_el("w:keepNext") if keep else _el("w:keepNext", val="0"))
    ppr.append(_el("w:spacing", after="0"))
    p.insert(0, ppr)
    if text:
        run = Paragraph(p, None).add_run(text)  # tabs and line breaks as Word writes them
        rpr = _el("w:rPr")
        rpr.append(_el("w:b") if bold else _el("w:b", val="0"))  # explicit: not the table style's
        if grey:
            rpr.append(_el("w:color", val=design.GREY))
            rpr.append(_el("w:sz", val=str(GREY_HALF_POINTS)))
        run._r.insert(0, rpr)


def _table(
    document: Document,
    headers: tuple[str, ...],
    rows: list[tuple[tuple[str, ...], tuple[str, ...], int]],
    shares: tuple[float, ...],
    width_mm: float,
) -> Any:
    """A table: header row, then (texts, each cell's role: label, input, formula or hint, lines to leave) per row."""
    from docx.shared import Mm

    table = document.add_table(rows=0, cols=len(headers))
    table.autofit = False
    _table_properties(table)
    widths = [Mm(width_mm * share) for share in shares]
    # The grid too: LibreOffice lays a fixed table out from its grid columns, not the cell widths.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    header = table.add_row()
    _row_flags(header, True, 1)
    # add_row gives each cell its grid column's width.
    for tc, text in zip(header._tr.tc_lst, headers, strict=True):
        _write(tc, text, bold=True, keep=True)
        _shade(tc, design.HEAD_FILL)
    for index, (texts, inputs, lines) in enumerate(rows):
        row = table.add_row()
        _row_flags(row, False, lines)
        for tc, text, role in zip(row._tr.tc_lst, texts, inputs, strict=True):
            # keep-with-next on the first row keeps it with the header row and the heading above.
            _write(tc, text, bold=role in ("label", "formula"), grey=role == "hint", keep=index < 1)
            if role in ("input", "formula"):
                _shade(tc, design.INPUT_FILL if role == "input" else design.FORMULA_FILL)
    return table


def _check_box() -> Any:
    """A check box content control (w14:checkbox), unticked, that Word toggles on a click."""
    from docx.oxml.ns import qn

    sdt = _el("w:sdt")
    props = sdt.makeelement(qn("w:sdtPr"), {})
    box = props.makeelement(qn("w14:checkbox"), {})
    box.append(box.makeelement(qn("w14:checked"), {qn("w14:val"): "0"}))
    box.append(box.makeelement(qn("w14:checkedState"), {qn("w14:val"): BOX_TICKED, qn("w14:font"): BOX_FONT}))
    box.append(box.makeelement(qn("w14:uncheckedState"), {qn("w14:val"): BOX_EMPTY, qn("w14:font"): BOX_FONT}))
    props.append(box)
    sdt.append(props)
    content = _el("w:sdtContent")
    run = _el("w:r")
    rpr = _el("w:rPr")
    rpr.append(_el("w:rFonts", ascii=BOX_FONT, hAnsi=BOX_FONT, eastAsia=BOX_FONT, cs=BOX_FONT))
    run.append(rpr)
    text = _el("w:t")
    text.text = chr(int(BOX_EMPTY, 16))
    run.append(text)
    content.append(run)
    sdt.append(content)
    return sdt


def _checklist(document: Document, view: WorksheetView, section: Any, width_mm: float) -> None:
    """The items with a check box each and a tinted cell to note who checked them and when."""
    from docx.shared import Pt

    headers = (view.labels["check"], view.labels["done"])
    rows = [((task.text, ""), ("task", "input"), 2) for task in section.tasks]
    table = _table(document, headers, rows, CHECKLIST_SHARES, width_mm)
    for row in table.rows[1:]:
        paragraph = row.cells[0].paragraphs[0]
        # A hanging indent: a second line of the item starts under its first word, not the box.
        paragraph.paragraph_format.left_indent = Pt(17)
        paragraph.paragraph_format.first_line_indent = Pt(-17)
        box = _check_box()
        paragraph._p.get_or_add_pPr().addnext(box)
        gap = _el("w:r")
        space = _el("w:t")
        space.text = "\u2002"  # an en space between the box and the item
        gap.append(space)
        box.addnext(gap)


Rows = list[tuple[tuple[str, ...], tuple[str, ...], int]]


def _rows_of_fields(view: WorksheetView, section: Any) -> Rows:
    out = []
    for f in section.fields:
        lines = design.fill_lines(f.kind, not view.example and f.formula is None)
        roles = ("label", "formula" if f.formula else "input", "hint")
        out.append(((f.label, f.cell.text, f.notes), roles, lines))
    return out


def _rows_of_table(view: WorksheetView, section: Any) -> Rows:
    widest = max(section.kinds, key=lambda k: design.fill_lines(k, True, table=True))
    lines = design.fill_lines(widest, not view.example, table=True)
    roles = tuple("formula" if f else "input" for f in section.formulas) or tuple("input" for _ in section.headers)
    return [(tuple(c.text for c in row), roles, lines) for row in section.rows]


def to_docx(view: WorksheetView) -> bytes:
    """Render the view as DOCX bytes."""
    from docx import Document
    from docx.shared import Pt, RGBColor

    document = Document()
    _styles(document, view.lang)
    _page(document, view.paper)
    props = document.core_properties
    naive = view.date.replace(tzinfo=None)
    props.title, props.subject, props.language = view.title, view.subtitle or view.note, language_tag(view.lang)
    props.author = props.last_modified_by = props.comments = props.keywords = props.category = ""
    props.created = props.modified = props.last_printed = naive
    props.revision = 1
    document.add_heading(view.title, level=1)
    if view.subtitle:
        document.add_paragraph().add_run(view.subtitle).bold = True
    document.add_paragraph(view.summary)
    note = document.add_paragraph().add_run(view.note)
    note.italic, note.font.color.rgb = True, RGBColor.from_string(design.GREY)
    edition = document.add_paragraph().add_run(f"{view.labels['version_date']}: {view.edition_text}")
    edition.font.size, edition.font.color.rgb = Pt(9), RGBColor.from_string(design.GREY)
    _footer(document, view)
    width = design.PAPER_MM[view.paper][0] - 2 * design.MARGIN_MM
    lab = view.labels
    for section in view.sections:
        document.add_heading(section.title, level=2)
        if section.intro:
            intro = document.add_paragraph(section.intro)
            intro.paragraph_format.keep_with_next = True
        if section.is_checklist:
            _checklist(document, view, section, width)
        elif section.is_table:
            shares = TABLE_SHARES[len(section.headers)]
            _table(document, section.headers, _rows_of_table(view, section), shares, width)
        else:
            headers = (lab["field"], lab["value"], lab["notes"])
            _table(document, headers, _rows_of_fields(view, section), FIELD_SHARES, width)
    out = io.BytesIO()
    document.save(out)
    return normalize_zip(
        out.getvalue(), view.date, _clean_parts(out.getvalue()), frozenset({"docProps/thumbnail.jpeg"})
    )


def _clean_parts(data: bytes) -> dict[str, bytes]:
    """No python-docx leftovers: a plain app.xml (no fake page count), no thumbnail relationship."""
    import re
    import zipfile

    package = zipfile.ZipFile(io.BytesIO(data))
    rels = package.read("_rels/.rels").decode()
    rels = re.sub(r'<Relationship [^>]*Target="docProps/thumbnail\.jpeg"/>', "", rels)
    return {"docProps/app.xml": APP_XML, "_rels/.rels": rels.encode()}
