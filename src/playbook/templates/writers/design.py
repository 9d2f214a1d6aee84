"""One document design for every download format: colours, fonts, paper and fill-in space (pure).

The DOCX, XLSX and PDF writers (and the PDF's stylesheet, through :func:`css_variables`) read
these values, so the three look like the same document: the site's teal for headings and table
heads, a warm tint for the cells a planner fills in, the same fonts and the same paper.
"""

from __future__ import annotations

import math
import re
import unicodedata

#: The site's primary colour (Material teal 800, see overrides/assets/stylesheets/extra.css).
TEAL = "00695C"
#: Table header rows (Material teal 50).
HEAD_FILL = "E0F2F1"
#: Cells to fill in (Material amber 50): visibly different from the printed text around them.
INPUT_FILL = "FFF8E1"
#: Computed cells (grey 100): not typed in.
FORMULA_FILL = "F5F5F5"
BORDER = "9EB9B6"
GREY = "595959"

#: Fonts present on Windows and macOS; LibreOffice maps Arial to the metric-compatible
#: Liberation Sans, which the PDF embeds (writers/pdf.py). Japanese text gets an East Asian font
#: of its own (Yu Gothic ships with Windows 8.1+ and macOS; LibreOffice falls back to an
#: installed Japanese gothic, BIZ UDGothic on a machine set up by the Makefile, the PDF's font).
LATIN_FONT = "Arial"
EAST_ASIAN_FONT = "Yu Gothic"

#: Paper sizes in millimetres (``paper`` in data/languages.yml).
PAPER_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
#: Page margins in millimetres (all formats).
MARGIN_MM = 18.0

#: Lines of writing space per blank field in the blank templates, by kind.
FILL_LINES = {"long-text": 4, "text": 3}
#: Lines of writing space per blank table row, by the widest kind in the row.
ROW_FILL_LINES = {"long-text": 3, "text": 2}


def fill_lines(kind: str, blank: bool, table: bool = False) -> int:
    """How many lines a blank cell of ``kind`` leaves for handwriting (1 when it holds a value)."""
    if not blank:
        return 1
    return (ROW_FILL_LINES if table else FILL_LINES).get(kind, 2 if table else 1)


def text_units(text: str) -> float:
    """Width of ``text`` in widths of the digit 0 at the body size: East Asian wide characters count ~2."""
    units = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            units += 1.9
        elif ch.isupper() or ch in "mwMW%@":
            units += 1.15
        elif ch in "iljtfI.,;:'!|() ":
            units += 0.5
        else:
            units += 0.9
    return units


#: Narrow (Latin) text is measured this much wider than :func:`text_units` says (its widths are
#: rounded); bold text (labels, table heads) by :data:`BOLD` more on top.
NARROW_SLACK = 1.03
BOLD = 1.1
_WORDS = re.compile(r"\s+|[^\s-]*-|[^\s-]+")


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def wrapped_lines(text: str, width_units: float, bold: bool = False) -> int:
    """Lines ``text`` needs in a column ``width_units`` wide, wrapped as an office suite does.

    Words go on a line while they fit and a line breaks at a space or after a hyphen; an East
    Asian wide character may start a line anywhere. A word wider than the column is broken.
    (Counting the text's width and dividing by the column's was wrong both ways: a long last
    word that moves to a new line was missed, and a row got 2 lines for text needing 3.)
    """
    if not text:
        return 1
    usable = max(width_units - 1.5, 1.0)
    factor = NARROW_SLACK * (BOLD if bold else 1.0)
    space = text_units(" ") * factor
    total = 0
    for paragraph in text.split("\n"):
        parts: list[str] = []
        for word in _WORDS.findall(paragraph):
            if word.isspace():
                parts.append(" ")
                continue
            run = ""
            for ch in word:
                if _wide(ch):
                    parts += [run, ch] if run else [ch]
                    run = ""
                else:
                    run += ch
            if run:
                parts.append(run)
        lines, used, gap = 1, 0.0, 0.0
        for part in parts:
            if part == " ":
                gap = space
                continue
            width = text_units(part) * (1.0 if _wide(part[0]) else factor)
            if used and used + gap + width > usable:
                lines, used = lines + 1, 0.0
            elif used:
                used += gap
            if width > usable:
                extra = math.ceil(width / usable) - 1
                lines, width = lines + extra, width - extra * usable
            used, gap = used + width, 0.0
        total += lines
    return total


def css_variables() -> dict[str, str]:
    """The design as CSS custom properties for the PDF stylesheet."""
    return {
        "--teal": f"#{TEAL}",
        "--head-fill": f"#{HEAD_FILL}",
        "--input-fill": f"#{INPUT_FILL}",
        "--formula-fill": f"#{FORMULA_FILL}",
        "--border": f"#{BORDER}",
        "--grey": f"#{GREY}",
    }
