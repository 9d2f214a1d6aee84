"""One document design for every download format: colours, fonts, paper and fill-in space (pure).

The DOCX, XLSX and PDF writers (and the PDF's stylesheet, through :func:`css_variables`) read
these values, so the three look like the same document: the site's teal for headings and table
heads, a warm tint for the cells a planner fills in, the same fonts and the same paper.
"""

from __future__ import annotations

import math
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


def wrapped_lines(text: str, width_units: float) -> int:
    """Lines ``text`` needs in a column ``width_units`` wide (conservative: word wrap wastes space)."""
    if not text:
        return 1
    usable = max(width_units - 1.5, 1.0)
    total = 0
    for paragraph in text.split("\n"):
        units = text_units(paragraph)
        # Word wrapping leaves part of each line empty; East Asian text wraps between characters.
        waste = 1.0 if all(unicodedata.east_asian_width(ch) in ("W", "F") for ch in paragraph[:3]) else 1.12
        total += max(1, math.ceil(units * waste / usable))
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
