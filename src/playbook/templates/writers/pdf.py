"""Write a :class:`~playbook.templates.view.WorksheetView` as a PDF (pure: never imports mkdocs).

One font for every language: IPAexGothic (Debian ``fonts-ipaexfont-gothic``, IPA Font License,
which allows embedding), embedded as a subset so a file stays small. Headings are tagged section
titles that also form the PDF outline; fields and rows are real tables. ``/Lang``, the creation
date and the file ID are fixed by the view, so the bytes are reproducible.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from playbook.templates.view import WorksheetView, language_tag

FONT_FAMILY = "IPAexGothic"
#: Where Debian's fonts-ipaexfont-gothic puts the font (installed by `make system-deps-build`).
FONT_CANDIDATES = (
    Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
    Path("/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf"),
)
FONT_SEARCH_ROOTS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
HEADER_FILL = (221, 238, 238)


#: Characters IPAexGothic lacks, replaced by the nearest glyph it has (German quotes become »...«,
#: which German typography also uses).
PAIRS = ((re.compile("\u201e(.*?)\u201c", re.S), "\u00bb\\1\u00ab"), (re.compile("\u201a(.*?)\u2018", re.S), "'\\1'"))
SINGLES = {"\u201e": "\u00bb", "\u201a": "'", "\u2265": ">=", "\u2264": "<=", "\u202f": "\u00a0"}


class FontMissingError(Exception):
    """The Japanese-capable font the PDFs embed is not installed."""


class GlyphMissingError(Exception):
    """A text uses a character the embedded font cannot show."""


def printable(text: str, cmap: dict[int, str]) -> str:
    """Swap characters the font lacks for close equivalents; raise if any other is missing."""
    for pattern, replacement in PAIRS:
        text = pattern.sub(replacement, text)
    text = "".join(SINGLES.get(ch, ch) for ch in text)
    missing = sorted({ch for ch in text if ord(ch) not in cmap and ch not in "\n\r\t"})
    if missing:
        raise GlyphMissingError(
            f"the PDF font has no glyph for {', '.join(repr(ch) for ch in missing)} in {text[:60]!r}; "
            "use another character in the data file"
        )
    return text


def find_font(candidates: Iterable[Path] = FONT_CANDIDATES, roots: Iterable[Path] = FONT_SEARCH_ROOTS) -> Path:
    """Locate ipaexg.ttf; raise FontMissingError saying how to install it."""
    for path in candidates:
        if path.is_file():
            return path
    for root in roots:
        if root.is_dir():
            found = sorted(root.rglob("ipaexg.ttf"))
            if found:
                return found[0]
    raise FontMissingError(
        "The PDF downloads need the IPAexGothic font (ipaexg.ttf), which was not found under "
        f"{', '.join(str(r) for r in roots)}. Install the Debian package fonts-ipaexfont-gothic "
        "(`make system-deps-build` does it) and build again."
    )


def check_glyphs(strings: Iterable[str], font: Path) -> None:
    """Raise GlyphMissingError if the font cannot show one of ``strings`` (cheap: reads the cmap only)."""
    stat = font.stat()
    cmap = _cmap(str(font), stat.st_size, stat.st_mtime_ns)
    for text in strings:
        printable(text, cmap)


@lru_cache(maxsize=4)
def _cmap(font: str, _size: int, _mtime_ns: int) -> dict[int, str]:
    """The font's character map; size and mtime in the key make a replaced font read again."""
    from fontTools import ttLib  # a build with every download and check cached never needs it

    return ttLib.TTFont(font, lazy=True).getBestCmap()


def subset_font(font: Path, texts: Iterable[str], dest: Path) -> Path:
    """Write ``font`` reduced to the characters of ``texts`` to ``dest`` (kept if already there).

    fpdf2 parses the whole font for every PDF; a font of the few hundred characters the downloads
    use halves the time to write them. ``printable`` swaps are applied first, so every PDF prints
    the same characters as with the full font. The subset is deterministic (same input, same bytes).
    """
    if dest.is_file():
        return dest
    from fontTools import subset, ttLib  # imported here: a build with every download cached never needs them

    stat = font.stat()
    full = _cmap(str(font), stat.st_size, stat.st_mtime_ns)
    chars = set(string.printable)
    for text in texts:
        chars.update(printable(text, full))
    options = subset.Options()
    options.recalc_timestamp = False
    options.name_IDs = ["*"]
    options.notdef_outline = True
    reduced = ttLib.TTFont(str(font), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(ch) for ch in chars if ord(ch) in full))
    subsetter.subset(reduced)
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_suffix(".partial")
    reduced.save(str(partial))
    partial.replace(dest)
    return dest


def to_pdf(view: WorksheetView, font: Path) -> bytes:
    """Render the view as PDF bytes, embedding a subset of ``font``."""
    # fpdf2 takes ~0.1 s to import; a build whose downloads are all cached never needs it.
    from fpdf import FPDF, FontFace, TextStyle
    from fpdf.enums import WrapMode

    wrap = WrapMode.CHAR if view.lang in ("ja", "zh", "ko") else WrapMode.WORD
    pdf = FPDF(format="A4")
    pdf.add_font(FONT_FAMILY, "", str(font))
    cmap = pdf.fonts[FONT_FAMILY.lower()].cmap

    def t(text: str) -> str:
        return printable(text, cmap)

    pdf.set_creation_date(view.date)
    pdf.set_lang(language_tag(view.lang))
    pdf.set_title(t(view.title))
    pdf.set_subject(t(view.subtitle or view.note))
    pdf.set_creator("Upstream & Downstream Marketing Playbook")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_section_title_styles(
        TextStyle(font_family=FONT_FAMILY, font_size_pt=18, color=(0, 105, 105), t_margin=0, b_margin=3),
        TextStyle(font_family=FONT_FAMILY, font_size_pt=13, color=(0, 105, 105), t_margin=5, b_margin=2),
    )
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, size=9.5)
    pdf.start_section(t(view.title), level=0)
    for text, grey in ((view.subtitle, False), (view.summary, False), (view.note, True)):
        if text:
            pdf.set_text_color(*((90, 90, 90) if grey else (0, 0, 0)))
            pdf.multi_cell(0, 5, t(text), align="L", wrapmode=wrap, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
    pdf.set_text_color(0, 0, 0)
    lab = view.labels
    heading = FontFace(emphasis="", fill_color=HEADER_FILL)
    for section in view.sections:
        pdf.start_section(t(section.title), level=1)
        if section.intro:
            pdf.multi_cell(0, 5, t(section.intro), align="L", wrapmode=wrap, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        if section.is_table:
            headers = section.headers
            rows = [tuple(c.text for c in row) for row in section.rows]
            widths: tuple[float, ...] | None = None
        else:
            headers = (lab["field"], lab["value"], lab["notes"])
            rows = [(f.label, f.cell.text, f.notes) for f in section.fields]
            widths = (30, 40, 30)
        # Blank templates leave room to write by hand.
        min_height = None if view.example else 9
        with pdf.table(
            col_widths=widths,
            headings_style=heading,
            text_align="LEFT",
            wrapmode=wrap,
            line_height=5,
            padding=1.2,
            min_row_height=min_height,
        ) as table:
            table.row([t(h) for h in headers])
            for values in rows:
                table.row([t(v) for v in values])
    pdf.ln(4)
    pdf.set_font_size(8)
    pdf.cell(0, 5, t(f"{lab['version_date']}: {view.date.date().isoformat()}"))
    return bytes(pdf.output())
