"""Write a :class:`~playbook.templates.view.WorksheetView` as an Excel workbook (pure: never imports mkdocs).

XlsxWriter, chosen by measuring against openpyxl: it stores the cached value of every formula
(openpyxl writes ``<v></v>``, so readers that do not recalculate showed empty targets), and it
wrote the same workbook 3.3x faster (3.7 ms against 12.1 ms).

One sheet, named in the data (``sheet_name``), five columns that fit one A4 (or Letter) page
wide (a field row uses three: label, value and notes across the last three; a table with fewer
than five columns lets its last column span the rest): the printed look of the DOCX and PDF.
Each sheet prints on at most two pages (a longer template gets more sheets, split at sections): a
section that does not fit on the page starts the next one, and one longer than a page breaks
between rows and repeats its header row on the next page (the sheet's print titles, so a sheet
continues one table at most; :func:`paginate`). The cells to fill in are tinted and unlocked,
the rest of the sheet is protected without a password (Review > Unprotect works without one);
rates accept 0-100 %, amounts 0 or more. Every derived figure is a formula with its cached value
(:func:`playbook.templates.formulas.excel`): calculated fields, a table's calculated columns (in
the blank rows too), sums over a table column, and text that states a computed figure
(``{monthly-lead-target}`` in the data). Row heights come from the wrapped text (Excel and
LibreOffice do not grow rows of a file they open). Number, money and date formats follow the
language's CLDR patterns, as the other files print them. A checklist section is its items
(across the first two columns) and a tick column of input cells, where the planner notes who
checked an item and when. Text whose first character could start a formula is stored as a text
cell with Excel's hidden quote prefix.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass

from babel import Locale
from babel.numbers import get_currency_symbol

from playbook.templates.formulas import Formula, excel
from playbook.templates.model import PLACEHOLDER, fill
from playbook.templates.view import Cell, FieldView, SectionView, WorksheetView, affixes, formula_like
from playbook.templates.writers import design
from playbook.templates.writers.ooxml import normalize_zip

# XlsxWriter is imported in to_xlsx: a build whose downloads are all cached never writes a workbook.

#: Column widths (in widths of "0" of the default font, Arial 10): label, value, and three
#: narrow columns that hold the notes together (or a wide table's figures). 85 units fit A4
#: portrait between the margins at 100 % in Excel (7 px a unit) and LibreOffice (5.6 pt a unit
#: with Liberation Sans), so "fit to one page wide" never has to shrink the text.
WIDTHS = (26.0, 29.0, 10.0, 10.0, 10.0)
LAST = len(WIDTHS) - 1
LETTERS = "ABCDE"
#: Points per wrapped line at the 10 pt body size, and the padding of a row.
LINE_PT, PAD_PT = 13.0, 4.0
#: Windows locale ids for the formats' [$-...] prefix: month names (and in LibreOffice the
#: separators) follow the file's language, not the reader's system.
LCID = {"en": "409", "de": "407", "ja": "411", "id": "421"}
PAPER_CODE = {"A4": 9, "Letter": 1}


def _quote(text: str) -> str:
    """A literal inside an Excel number format."""
    return '"' + text.replace('"', "") + '"' if text else ""


def _number_pattern(pattern: str, number: str) -> str:
    """Turn a CLDR pattern's literal text around ``#,##0`` into a quoted Excel format."""
    prefix, _, rest = pattern.partition("#")
    suffix = rest.lstrip("#,0.")
    return _quote(prefix) + number + _quote(suffix)


def _percent_pattern(pattern: str) -> str:
    """``#,##0\u00a0%`` -> ``0{decimals}"\u00a0"%``: the literal quoted, the % left to scale the value."""
    prefix, _, rest = pattern.partition("#")
    suffix = rest.lstrip("#,0.")
    return _quote(prefix.replace("%", "")) + "0{decimals}" + _quote(suffix.replace("%", "")) + "%"


def _date_format(lang: str) -> str:
    """The CLDR long date pattern as an Excel format (``d. MMMM y`` -> ``d. mmmm yyyy``)."""
    pattern = Locale.parse(lang).date_formats["long"].pattern
    out = []
    for token in re.findall(r"'[^']*'|y+|M+|d+|[^yMd']+", pattern):
        if token.startswith("'"):
            out.append(_quote(token.strip("'")))
        elif token[0] == "y":
            out.append("yyyy")
        elif token[0] == "M":
            out.append("m" * min(len(token), 4))
        elif token[0] == "d":
            out.append(token)
        else:
            out.append(token if token.isascii() and not token.strip(" ,.-/") else _quote(token))
    return "".join(out)


def number_formats(lang: str, currency: str) -> dict[str, str]:
    """Excel formats per kind that print like the other files (CLDR via Babel)."""
    locale = Locale.parse(lang)
    prefix = f"[$-{LCID[lang]}]" if lang in LCID else ""
    money = locale.currency_formats["standard"].pattern.split(";")[0]
    symbol = get_currency_symbol(currency, locale=lang)
    percent = locale.percent_formats[None].pattern.split(";")[0]
    return {
        "number": prefix + "#,##0",
        "formula": prefix + "#,##0",
        "currency": prefix + _number_pattern(money.replace("¤", symbol), "#,##0"),
        "percent": prefix + _percent_pattern(percent),
        "date": prefix + _date_format(lang),
    }


def percent_format(formats: dict[str, str], value: float | None) -> str:
    """The percent format with as many decimals as ``value`` needs (one for a blank cell)."""
    decimals = 1
    if value is not None:
        decimals = next(d for d in range(7) if round(value * 100, d) == round(value * 100, 6))
    return formats["percent"].replace("{decimals}", "." + "0" * decimals if decimals else "")


def _header_text(text: str) -> str:
    """Page header/footer text: ``&`` starts a control code there."""
    return text.replace("&", "&&")


def row_height(texts: list[tuple[str, float, bool]], lines: int = 1) -> float:
    """Points a row needs so every (text, column width, bold) fits, and at least ``lines`` lines."""
    needed = max([lines, *(design.wrapped_lines(text, width, bold) for text, width, bold in texts)])
    return needed * LINE_PT + PAD_PT


def placeholder_kinds(view: WorksheetView) -> dict[str, tuple[str, int]]:
    """Per numeric field: the kind its ``{field-id}`` prints as and the decimals of its value."""
    out = {}
    for section in view.sections:
        for field in section.fields:
            kind = field.formula.result if field.formula else field.kind
            value = field.cell.raw if isinstance(field.cell.raw, int | float) else 0
            scaled = value * 100 if kind == "percent" else value
            limit = 1 if field.formula and kind == "percent" else 3
            decimals = next(d for d in range(limit + 1) if d == limit or round(scaled, d) == round(scaled, limit))
            out[field.id] = (kind, decimals)
    return out


class _Null:
    """A worksheet that writes nothing: the measuring passes only collect row heights and cells."""

    def __getattr__(self, name: str) -> object:
        return lambda *args, **kwargs: None


class _Sheet:
    """One worksheet being laid out: formats, row heights and keep-with-next page breaks."""

    def __init__(self, book: object, view: WorksheetView, name: str, measure: bool) -> None:
        self.view, self.name = view, name
        self.sheet = _Null() if measure else book.add_worksheet(name)  # type: ignore[attr-defined]
        self.prefix = "'" + name.replace("'", "''") + "'!"
        self.refs: dict[str, str] = {}
        self.row = 0
        self.title_rows = 0
        self.heights: list[float] = []
        self.blocks: list[Block] = []
        self.inputs: list[tuple[int, int, str]] = []
        self.formats = number_formats(view.lang, view.currency)
        self.kinds = placeholder_kinds(view)
        font = {"font_name": design.LATIN_FONT, "font_size": 10, "valign": "top", "text_wrap": True}
        if view.lang == "ja":
            font["font_name"] = design.EAST_ASIAN_FONT
        self._book, self._font, self._cache = book, font, {}
        border = {"border": 1, "border_color": f"#{design.BORDER}"}
        self.styles = {
            "title": {"font_size": 16, "bold": True, "font_color": f"#{design.TEAL}"},
            "subtitle": {"bold": True},
            "plain": {},
            "note": {"italic": True, "font_color": f"#{design.GREY}"},
            "heading": {
                "font_size": 12,
                "bold": True,
                "font_color": f"#{design.TEAL}",
                "bottom": 2,
                "bottom_color": f"#{design.TEAL}",
            },
            "intro": {"font_color": f"#{design.GREY}"},
            "head": {"bold": True, "bg_color": f"#{design.HEAD_FILL}", **border},
            "label": {"bold": True, **border},
            "cell": {**border},
            "hint": {"font_color": f"#{design.GREY}", "font_size": 9, **border},
            "input": {"bg_color": f"#{design.INPUT_FILL}", "locked": False, **border},
            "formula": {"bold": True, "bg_color": f"#{design.FORMULA_FILL}", **border},
        }

    def style(self, name: str, kind: str = "", value: object = None, text: str = "") -> object:
        """An XlsxWriter format: the named style, the kind's number format, Excel's quote prefix."""
        number = self.formats.get(kind, "")
        if kind == "percent":
            number = percent_format(self.formats, value if isinstance(value, int | float) else None)
        quote = formula_like(text)
        key = (name, number, quote)
        if key not in self._cache:
            if isinstance(self.sheet, _Null):
                return None
            props = {**self._font, **self.styles[name]}
            if number:
                props["num_format"] = number
            if quote:
                props["quote_prefix"] = True
            self._cache[key] = self._book.add_format(props)  # type: ignore[attr-defined]
        return self._cache[key]

    def line(self, text: str, style: str, height_lines: int = 1) -> None:
        """A full-width line of text (title block, headings, intros)."""
        width = sum(WIDTHS)
        size = {"title": 1.6, "heading": 1.25}.get(style, 1.0)
        self.sheet.merge_range(self.row, 0, self.row, LAST, "", self.style(style, text=text))
        self.sheet.write_string(self.row, 0, text, self.style(style, text=text))
        bold = style in ("title", "subtitle", "heading")
        lines = max(height_lines, design.wrapped_lines(text, width / size, bold))
        self.set_height(lines * LINE_PT * size + PAD_PT + (3 if style == "heading" else 0))

    def set_height(self, points: float) -> None:
        """Give the current row its height and move to the next row."""
        self.sheet.set_row(self.row, round(points, 1))
        self.heights.append(points)
        self.row += 1


def _cell_value(cell: Cell) -> object:
    if cell.raw is None or cell.raw == "":
        return None
    if cell.kind in ("number", "percent", "currency", "formula"):
        return cell.raw
    if cell.kind == "date":
        return dt.date.fromisoformat(str(cell.raw))
    return cell.text


def _write_value(s: _Sheet, row: int, col: int, cell: Cell, style: str, refs: dict[str, str]) -> None:
    """Write a number, date or text cell; text stating computed figures becomes a string formula."""
    value = _cell_value(cell)
    if style == "input":
        s.inputs.append((row, col, cell.kind))
    if cell.source and PLACEHOLDER.search(cell.source):
        s.sheet.write_formula(row, col, _text_formula(cell.source, refs, s), s.style(style), cell.text)
    elif value is None:
        s.sheet.write_blank(row, col, None, s.style(style, cell.kind))
    elif isinstance(value, dt.date):
        s.sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), s.style(style, "date"))
    elif isinstance(value, int | float):
        s.sheet.write_number(row, col, value, s.style(style, cell.kind, value))
    else:
        s.sheet.write_string(row, col, str(value), s.style(style, text=str(value)))


def _write_formula(s: _Sheet, row: int, col: int, formula: Formula, refs: list[str], cell: Cell) -> None:
    """A calculated cell: the live formula, its cached value and its result kind's number format."""
    value = cell.raw if cell.raw is not None else ""
    shown = round(value, 3) if formula.result == "percent" and isinstance(value, float) else value
    style = s.style("formula", formula.display_kind, shown if shown != "" else None)
    s.sheet.write_formula(row, col, "=" + excel(formula, refs), style, value)


def _text_formula(source: str, refs: dict[str, str], s: _Sheet | None = None) -> str:
    """``="... ("&FIXED(B20,0)&" leads a month)"``: the figure follows the sheet.

    FIXED formats with the reader's own separators, as the number cells do; money keeps the
    language's currency symbol and rates are printed in percent.
    """
    parts = []
    kinds = s.kinds if s is not None else {}
    for index, piece in enumerate(PLACEHOLDER.split(source)):
        if index % 2:
            ref = refs.get(piece, "A1")
            kind, decimals = kinds.get(piece, ("number", 0))
            number = f"FIXED({ref},{decimals})"
            if kind == "percent":
                number = f"FIXED({ref}*100,{decimals})"
            if kind in ("currency", "percent") and s is not None:
                before, after = affixes(s.view.lang, kind, s.view.currency)
                number = "&".join(
                    p
                    for p in (
                        '"' + before.replace('"', '""') + '"' if before else "",
                        number,
                        '"' + after.replace('"', '""') + '"' if after else "",
                    )
                    if p
                )
            parts.append(f'IF({ref}="","",{number})')
        elif piece:
            parts.append('"' + piece.replace('"', '""') + '"')
    return "=" + "&".join(parts)


def _fields(s: _Sheet, section: SectionView, refs: dict[str, str]) -> None:
    blank = not s.view.example
    for field in section.fields:
        _field_row(s, field, refs, blank)


def _field_row(s: _Sheet, field: FieldView, refs: dict[str, str], blank: bool) -> None:
    row = s.row
    s.refs[field.id] = f"{s.prefix}$B${row + 1}"
    s.sheet.write_string(row, 0, field.label, s.style("label", text=field.label))
    if field.formula is not None:
        _write_formula(s, row, 1, field.formula, _args(field.formula, refs, {}), field.cell)
    else:
        _write_value(s, row, 1, field.cell, "input", refs)
    s.sheet.merge_range(row, 2, row, LAST, "", s.style("hint", text=field.notes))
    if field.notes:
        s.sheet.write_string(row, 2, field.notes, s.style("hint", text=field.notes))
    lines = design.fill_lines(field.kind, blank and field.formula is None)
    notes_width = sum(WIDTHS[2:])
    texts = [(field.label, WIDTHS[0], True), (field.cell.text, WIDTHS[1], field.formula is not None)]
    s.set_height(row_height([*texts, (field.notes, notes_width, False)], lines))


def _args(formula: Formula, refs: dict[str, str], row: dict[str, str]) -> list[str]:
    """Cell references of a formula's arguments: same-row cells first, then fields, or a column range."""
    return [row.get(arg) or refs.get(arg, "A1") for arg in formula.args]


def _table(s: _Sheet, section: SectionView, refs: dict[str, str]) -> None:
    widths = _table_widths(len(section.headers))
    blank = not s.view.example
    first = s.row
    for row_cells in section.rows:
        texts = []
        own = {cid: f"{LETTERS[c]}{s.row + 1}" for c, cid in enumerate(section.column_ids)}
        for col, (cell, width) in enumerate(zip(row_cells, widths, strict=True)):
            formula = section.formulas[col] if section.formulas else None
            style = "formula" if formula else "input"
            if width != WIDTHS[col]:  # the last column spans to the sheet's last column
                s.sheet.merge_range(s.row, col, s.row, LAST, "", s.style(style, cell.kind))
            if formula is not None:
                _write_formula(s, s.row, col, formula, _args(formula, refs, own), cell)
            else:
                _write_value(s, s.row, col, cell, "input", refs)
            texts.append((cell.text, width, formula is not None))
        widest = max(section.kinds, key=lambda k: design.fill_lines(k, True, table=True))
        s.set_height(row_height(texts, design.fill_lines(widest, blank, table=True)))
    for col, cid in enumerate(section.column_ids):
        letter = LETTERS[col]
        s.refs[f"{section.id}.{cid}"] = f"{s.prefix}${letter}${first + 1}:${letter}${max(s.row, first + 1)}"


def _checklist(s: _Sheet, section: SectionView) -> None:
    """Header and one row per item: the item across A:B, the tick cell (an input) across C:E."""
    lab = s.view.labels
    widths = (WIDTHS[0] + WIDTHS[1], sum(WIDTHS[2:]))
    s.sheet.merge_range(s.row, 0, s.row, 1, "", s.style("head"))
    s.sheet.merge_range(s.row, 2, s.row, LAST, "", s.style("head"))
    for col, text in ((0, lab["check"]), (2, lab["done"])):
        s.sheet.write_string(s.row, col, text, s.style("head", text=text))
    s.set_height(row_height([(lab["check"], widths[0], True), (lab["done"], widths[1], True)]))
    for task in section.tasks:
        s.sheet.merge_range(s.row, 0, s.row, 1, "", s.style("cell"))
        s.sheet.write_string(s.row, 0, task.text, s.style("cell", text=task.text))
        s.sheet.merge_range(s.row, 2, s.row, LAST, "", s.style("input"))
        s.inputs.append((s.row, 2, "text"))
        s.set_height(row_height([(task.text, widths[0], False)], 2))


def _table_widths(columns: int) -> tuple[float, ...]:
    """Widths of a table's columns: the first ones are the sheet's, the last spans the rest."""
    if not 1 <= columns <= len(WIDTHS):
        raise ValueError(f"the XLSX layout has room for 1 to {len(WIDTHS)} table columns, found {columns}")
    return (*WIDTHS[: columns - 1], sum(WIDTHS[columns - 1 :]))


def _header(s: _Sheet, headers: tuple[str, ...]) -> None:
    widths = _table_widths(len(headers))
    for col, (text, width) in enumerate(zip(headers, widths, strict=True)):
        if width != WIDTHS[col]:
            s.sheet.merge_range(s.row, col, s.row, LAST, "", s.style("head"))
        s.sheet.write_string(s.row, col, text, s.style("head", text=text))
    s.set_height(row_height([(h, w, True) for h, w in zip(headers, widths, strict=True)]))


def _page_rows(view: WorksheetView) -> float:
    """Points of rows one printed page holds (paper less margins, header and footer).

    Excel's page body is the paper less both margins (696 pt on A4); LibreOffice fits ~710 pt.
    This budget stays under both, so neither breaks a page before the breaks set here.
    """
    height_mm = design.PAPER_MM[view.paper][1] - 2 * design.MARGIN_MM - 2 * 8
    return height_mm / 25.4 * 72


#: Pages one sheet may print on; a longer template is split between sheets at section borders.
PAGES_PER_SHEET = 2
#: Table rows kept with their heading and header row, and kept together at a table's end.
KEEP_ROWS = 2


@dataclass(frozen=True)
class Block:
    """One section's rows as laid out: heights from the spacer row on; ``head``: its header row."""

    heights: tuple[float, ...]
    head: int


@dataclass(frozen=True)
class Pages:
    """Where a sheet's printed pages break (rows that start a page) and which row repeats."""

    breaks: tuple[int, ...]
    repeat: int | None
    count: int
    #: Sections that continue onto another page: a sheet can repeat the header of one only.
    split: frozenset[int]


def paginate(title: list[float], blocks: list[Block], page: float) -> Pages:
    """Page breaks for a sheet: the title rows, then ``blocks``, pages ``page`` points tall.

    A section that does not fit on the page starts a new one (its spacer row stays behind),
    unless it is longer than a page: then it starts where it is when its heading, header row
    and first :data:`KEEP_ROWS` rows fit, and breaks between rows, never leaving fewer than
    :data:`KEEP_ROWS` rows for the next page, which repeats the header row (the sheet's print
    titles). Calc and Excel never split a row.
    """
    breaks: list[int] = []
    repeat: int | None = None
    split: set[int] = set()
    used, row = sum(title), len(title)
    for number, block in enumerate(blocks):
        heights = block.heights
        if used + sum(heights) <= page:
            used += sum(heights)
            row += len(heights)
            continue
        keep = sum(heights[: block.head + 1 + KEEP_ROWS])
        first = 0
        if sum(heights[1:]) <= page or used + keep > page:
            breaks.append(row + 1)
            used, first = 0.0, 1
        last_break = None
        for index in range(first, len(heights)):
            if used + heights[index] > page and index > block.head + KEEP_ROWS:
                # Leave at least KEEP_ROWS rows for the next page (widow rows).
                cut = min(index, len(heights) - KEEP_ROWS)
                cut = max(cut, block.head + 1 + KEEP_ROWS)
                if cut == last_break:
                    cut = index
                breaks.append(row + cut)
                last_break = cut
                repeat = row + block.head
                split.add(number)
                used = heights[block.head] + sum(heights[cut : index + 1])
            else:
                used += heights[index]
        row += len(heights)
    return Pages(tuple(breaks), repeat, len(breaks) + 1, frozenset(split))


def sheet_names(view: WorksheetView, count: int) -> list[str]:
    """The data's short sheet name, numbered when the template needs more than one sheet."""
    if count == 1:
        return [view.sheet_name]
    return [f"{view.sheet_name} ({number})" for number in range(1, count + 1)]


def _render(
    book: object, view: WorksheetView, groups: list[list[int]], refs: dict[str, str], measure: bool
) -> list[_Sheet]:
    """Lay out (``measure``) or write the sheets; ``groups`` lists the section indexes of each sheet."""
    lab = view.labels
    names = sheet_names(view, len(groups))
    sheets = []
    for number, (indexes, name) in enumerate(zip(groups, names, strict=True)):
        s = _Sheet(book, view, name, measure)
        sheets.append(s)
        s.line(view.title, "title")
        if number == 0:
            if view.subtitle:
                s.line(view.subtitle, "subtitle")
            s.line(view.summary, "plain")
            s.line(view.note, "note")
            s.line(f"{lab['version_date']}: {view.edition_text}", "note")
        s.title_rows = s.row
        for index in indexes:
            section = view.sections[index]
            start = s.row
            s.set_height(LINE_PT)  # spacer
            s.line(section.title, "heading")
            if section.intro:
                s.line(section.intro, "intro")
            head = s.row - start
            if section.is_checklist:
                _checklist(s, section)
            else:
                _header(s, section.headers if section.is_table else (lab["field"], lab["value"], lab["notes"]))
                (_table if section.is_table else _fields)(s, section, refs)
            s.blocks.append(Block(tuple(s.heights[start:]), head))
        s.set_height(LINE_PT)  # below the last table, outside the print area
    return sheets


def _group(view: WorksheetView, first: _Sheet) -> list[list[int]]:
    """Sections per sheet, in order: as many as print on :data:`PAGES_PER_SHEET` pages.

    ``first`` is every section laid out on one sheet. A sheet takes the next section while its
    pages stay within the limit and at most one of its sections continues onto another page (a
    sheet repeats one header row); a section too long for that gets a sheet of its own.
    """
    page = _page_rows(view)
    titles = (first.heights[: first.title_rows], first.heights[:1])
    groups: list[list[int]] = [[]]
    for index in range(len(first.blocks)):
        trial = groups[-1] + [index]
        pages = paginate(titles[len(groups) > 1], [first.blocks[i] for i in trial], page)
        if groups[-1] and (pages.count > PAGES_PER_SHEET or len(pages.split) > 1):
            groups.append([index])
        else:
            groups[-1] = trial
    return groups


def to_xlsx(view: WorksheetView) -> bytes:
    """Render the view as XLSX bytes."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            # Column widths are counted in this font's digit width; Calibri is missing where
            # LibreOffice runs without Microsoft fonts, and its stand-in is 25 % wider.
            "default_format_properties": {"font_name": design.LATIN_FONT, "font_size": 10},
        },
    )
    naive = view.date.replace(tzinfo=None)
    book.set_properties(
        {"title": view.title, "subject": view.subtitle or view.note, "author": "", "created": naive, "comments": ""}
    )
    everything = [list(range(len(view.sections)))]
    groups = _group(view, _render(book, view, everything, {}, measure=True)[0])
    refs: dict[str, str] = {}
    for s in _render(book, view, groups, {}, measure=True):
        refs.update(s.refs)
    lab = view.labels
    for s in _render(book, view, groups, refs, measure=False):
        for col, width in enumerate(WIDTHS):
            s.sheet.set_column(col, col, width)
        sheet = s.sheet
        sheet.set_paper(PAPER_CODE[view.paper])
        sheet.set_portrait()
        sheet.fit_to_pages(1, 0)
        # Page breaks kept before sections; a table that continues on the next page repeats its
        # header row there (the print titles).
        pages = paginate(s.heights[: s.title_rows], s.blocks, _page_rows(view))
        sheet.print_area(0, 0, s.row - 2, LAST)
        if pages.repeat is not None:
            sheet.repeat_rows(pages.repeat)
        margin = design.MARGIN_MM / 25.4
        sheet.set_margins(left=margin, right=margin, top=margin + 0.3, bottom=margin + 0.3)
        page_label = fill(_header_text(lab["page"]), page="&P", pages="&N")
        sheet.set_header(
            f"&L&8 {_header_text(view.title)}&R&8 {_header_text(view.edition_text)}", {"margin": margin / 2}
        )
        sheet.set_footer(f"&L&8 {_header_text(s.name)}&R&8 {page_label}", {"margin": margin / 2})
        sheet.set_h_pagebreaks(list(pages.breaks))
        sheet.hide_gridlines(2)
        sheet.protect("", {"format_columns": True, "format_rows": True, "select_locked_cells": True})
        _validation(s)
    book.close()
    return normalize_zip(out.getvalue(), view.date)


def _validation(s: _Sheet) -> None:
    """Rates between 0 and 100 %, amounts and counts 0 or more, on every input cell of those kinds."""
    labels = s.view.labels
    rules = {
        "percent": {
            "validate": "decimal",
            "criteria": "between",
            "minimum": 0,
            "maximum": 1,
            "error_message": labels["rate_rule"],
        },
        "currency": {"validate": "decimal", "criteria": ">=", "value": 0, "error_message": labels["amount_rule"]},
        "number": {"validate": "decimal", "criteria": ">=", "value": 0, "error_message": labels["amount_rule"]},
        "date": {
            "validate": "date",
            "criteria": ">=",
            "value": dt.date(1900, 1, 1),
            "error_message": labels["date_rule"],
        },
    }
    for row, col, kind in s.inputs:
        if kind in rules:
            s.sheet.data_validation(row, col, row, col, rules[kind])
