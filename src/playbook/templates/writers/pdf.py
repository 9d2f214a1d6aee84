"""Write a :class:`~playbook.templates.view.WorksheetView` as a PDF (pure: never imports mkdocs).

Rendered by WeasyPrint from HTML and CSS: ``overrides/partials/worksheet-document.html`` around
the page's own preview partial (``worksheet-preview.html``), so the page and the PDF cannot
drift apart. WeasyPrint writes PDF/UA-1: a structure tree (H1, H2, P, Table, TR, TH, TD), the
document language, the title shown in the viewer's title bar (DisplayDocTitle); Pango breaks
lines (Japanese by UAX #14, which keeps closing punctuation and small kana off a line's start).
One font for every language: IPAexGothic (Debian ``fonts-ipaexfont-gothic``, IPA Font License,
which allows embedding); WeasyPrint embeds only the glyphs a file uses. Dates come from the view: reproducible.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from playbook.templates.view import WorksheetView, language_tag
from playbook.templates.writers import design

FONT_FAMILY = "IPAexGothic"
#: Where Debian's fonts-ipaexfont-gothic puts the font (installed by `make system-deps-build`).
FONT_CANDIDATES = (
    Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
    Path("/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf"),
)
FONT_SEARCH_ROOTS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))


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


def css_string(text: str) -> str:
    """A CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_content(label: str) -> str:
    """``Page {page} of {pages}`` as a CSS ``content`` value with the page counters."""
    out = []
    for index, piece in enumerate(re.split(r"\{(page|pages)\}", label)):
        if index % 2:
            out.append(f"counter({piece})")
        elif piece:
            out.append(css_string(piece))
    return " ".join(out)


@lru_cache(maxsize=4)
def _environment(partials: str) -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(partials), autoescape=True, undefined=StrictUndefined)


def to_html(view: WorksheetView, font: Path, overrides: Path, fill_scale: float = 1.0) -> str:
    """The print document: overrides/partials/worksheet-document.html around the page's preview partial."""
    template = _environment(str(overrides)).get_template("partials/worksheet-document.html")
    html = template.render(
        view=view,
        tag=language_tag(view.lang),
        date=view.date.strftime("%Y-%m-%dT%H:%M:%SZ"),
        generator="Upstream & Downstream Marketing Playbook",
        font_url=font.resolve().as_uri(),
        paper=view.paper,
        colors=design.css_variables(),
        page_content=page_content(view.labels["page"]),
        line=round(WRITING_LINE_PT * fill_scale, 1),
        fill=design.FILL_LINES,
    )
    return html


def to_pdf(view: WorksheetView, font: Path, overrides: Path) -> bytes:
    """Render the view as a tagged PDF/UA-1 with WeasyPrint, embedding a subset of ``font``."""
    # WeasyPrint takes ~0.3 s to import; a build whose downloads are all cached never needs it.
    from weasyprint import HTML

    stat = font.stat()
    cmap = _cmap(str(font), stat.st_size, stat.st_mtime_ns)

    def layout(scale: float) -> Any:
        html = printable(to_html(view, font, overrides, scale), cmap)
        return HTML(string=html, base_url=str(overrides)).render(pdf_variant="pdf/ua-1")

    document = layout(1.0)
    if not view.example:
        # A blank template whose last page would hold a row or two: a little less writing space
        # per row (never under three printed lines for text) so it ends a page earlier.
        for scale in FILL_SCALES:
            tighter = layout(scale)
            if len(tighter.pages) < len(document.pages):
                document = tighter
                break
    return document.write_pdf(pdf_variant="pdf/ua-1")


#: Writing-space factors tried when a blank template would end on a nearly empty page.
FILL_SCALES = (0.84,)
#: A handwritten line: 1.2 printed lines (9.5 pt text, line height 1.45), so even at the smallest
#: factor above three writing lines stay taller than three printed ones.
WRITING_LINE_PT = 9.5 * 1.45 * 1.2
