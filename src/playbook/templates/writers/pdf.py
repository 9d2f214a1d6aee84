"""Write a :class:`~playbook.templates.view.WorksheetView` as a PDF (pure: never imports mkdocs).

Rendered by WeasyPrint from HTML and CSS: ``overrides/partials/worksheet-document.html`` around
the page's own preview partial (``worksheet-preview.html``), so the page and the PDF cannot
drift apart. WeasyPrint writes PDF/UA-1: a structure tree (H1, H2, P, Table, TR, TH, TD), the
document language, the title shown in the viewer's title bar (DisplayDocTitle); Pango breaks
lines (Japanese by UAX #14, which keeps closing punctuation and small kana off a line's start).
Fonts from Debian with real bold faces (:data:`FACES`): the DOCX's Arial as Liberation Sans, its
East Asian font as Noto Sans CJK JP; WeasyPrint embeds only the glyphs a file uses. Dates come
from the view: reproducible.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from playbook.templates.view import WorksheetView, language_tag
from playbook.templates.writers import design

#: The PDF's fonts, as the DOCX names them (design.LATIN_FONT, design.EAST_ASIAN_FONT) and as
#: LibreOffice shows the DOCX and XLSX here: Liberation Sans (Debian ``fonts-liberation2``, the
#: metric twin of Arial, SIL OFL) for Latin text in every language, Noto Sans CJK JP (Debian
#: ``fonts-noto-cjk``, SIL OFL; Japanese is face 0 of the collections) for what Liberation Sans
#: lacks: Japanese, as Word sets it with its East Asian font. Both have a real bold face, so field
#: labels and table heads print bold (IPAexGothic, used before, has none: WeasyPrint drew its
#: regular glyphs). WeasyPrint embeds only the glyphs a file uses.
LATIN, CJK = "Playbook", "Playbook CJK"
#: Line height of the printed text (the tighter second layout of a filled template uses less).
LEADING = 1.45
#: (CSS family, weight, style, file name, Debian package) of every face the stylesheet declares.
FACES = (
    (LATIN, "normal", "normal", "LiberationSans-Regular.ttf", "fonts-liberation2"),
    (LATIN, "bold", "normal", "LiberationSans-Bold.ttf", "fonts-liberation2"),
    (LATIN, "normal", "italic", "LiberationSans-Italic.ttf", "fonts-liberation2"),
    (CJK, "normal", "normal", "BIZUDGothic-Regular.ttf", "fonts-morisawa-bizud-gothic"),
    (CJK, "bold", "normal", "BIZUDGothic-Bold.ttf", "fonts-morisawa-bizud-gothic"),
)
#: Where Debian puts them (installed by `make system-deps-build`); searched below the roots otherwise.
FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/bizud-gothic"))
FONT_SEARCH_ROOTS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))


@dataclass(frozen=True)
class Face:
    """One font file the PDF stylesheet declares (``@font-face``)."""

    family: str
    weight: str
    style: str
    path: Path


@dataclass(frozen=True)
class Fonts:
    """The PDF's faces, found on this machine by :func:`find_font`."""

    faces: tuple[Face, ...]

    @property
    def files(self) -> tuple[Path, ...]:
        """Every font file (the download cache key hashes them)."""
        return tuple(face.path for face in self.faces)


#: Characters the fonts may lack, replaced by the nearest glyph they have (German quotes become
#: »...«, which German typography also uses), only when the character is missing.
PAIRS = (
    ("\u201e", re.compile("\u201e(.*?)\u201c", re.S), "\u00bb\\1\u00ab"),
    ("\u201a", re.compile("\u201a(.*?)\u2018", re.S), "'\\1'"),
)
SINGLES = {"\u201e": "\u00bb", "\u201a": "'", "\u2265": ">=", "\u2264": "<=", "\u202f": "\u00a0"}


class FontMissingError(Exception):
    """A font the PDFs embed is not installed."""


class GlyphMissingError(Exception):
    """A text uses a character the embedded fonts cannot show."""


def printable(text: str, cmap: Container[int]) -> str:
    """Swap characters the fonts lack for close equivalents; raise if any other is missing."""
    for char, pattern, replacement in PAIRS:
        if ord(char) not in cmap:
            text = pattern.sub(replacement, text)
    text = "".join(SINGLES[ch] if ch in SINGLES and ord(ch) not in cmap else ch for ch in text)
    missing = sorted({ch for ch in text if ord(ch) not in cmap and ch not in "\n\r\t"})
    if missing:
        raise GlyphMissingError(
            f"the PDF fonts have no glyph for {', '.join(repr(ch) for ch in missing)} in {text[:60]!r}; "
            "use another character in the data file"
        )
    return text


def find_font(dirs: Iterable[Path] = FONT_DIRS, roots: Iterable[Path] = FONT_SEARCH_ROOTS) -> Fonts:
    """Locate every face of :data:`FACES`; raise FontMissingError naming the packages to install."""
    dirs, roots = list(dirs), list(roots)
    faces, missing = [], []
    for family, weight, style, name, package in FACES:
        found = [d / name for d in dirs if (d / name).is_file()]
        found = found or [p for root in roots if root.is_dir() for p in sorted(root.rglob(name))]
        if found:
            faces.append(Face(family, weight, style, found[0]))
        else:
            missing.append((name, package))
    if missing:
        names = ", ".join(name for name, _ in missing)
        packages = " ".join(sorted({package for _, package in missing}))
        raise FontMissingError(
            f"The PDF downloads need the fonts {names}, which were not found under "
            f"{', '.join(str(r) for r in roots)}. Install the Debian packages {packages} "
            "(`make system-deps-build` does it) and build again."
        )
    return Fonts(tuple(faces))


def check_glyphs(strings: Iterable[str], fonts: Fonts) -> None:
    """Raise GlyphMissingError if no font can show one of ``strings`` (cheap: reads the cmaps only)."""
    cmap = _coverage(fonts)
    for text in strings:
        printable(text, cmap)


def _coverage(fonts: Fonts) -> frozenset[int]:
    """Every character some face of ``fonts`` has (the regular faces: bold covers the same)."""
    regular = [face.path for face in fonts.faces if face.weight == "normal" and face.style == "normal"]
    return _union(tuple((str(path), path.stat().st_size, path.stat().st_mtime_ns) for path in regular))


@lru_cache(maxsize=4)
def _union(files: tuple[tuple[str, int, int], ...]) -> frozenset[int]:
    return frozenset().union(*(_cmap(*file) for file in files))


@lru_cache(maxsize=8)
def _cmap(font: str, _size: int, _mtime_ns: int) -> frozenset[int]:
    """The characters of a font (face 0 of a collection); size and mtime in the key make a replaced font read again."""
    from fontTools import ttLib  # a build with every download and check cached never needs it

    return frozenset(ttLib.TTFont(font, lazy=True, fontNumber=0).getBestCmap())


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


def to_html(
    view: WorksheetView, fonts: Fonts, overrides: Path, fill_scale: float = 1.0, leading: float = LEADING
) -> str:
    """The print document: overrides/partials/worksheet-document.html around the page's preview partial."""
    template = _environment(str(overrides)).get_template("partials/worksheet-document.html")
    html = template.render(
        view=view,
        tag=language_tag(view.lang),
        date=view.date.strftime("%Y-%m-%dT%H:%M:%SZ"),
        generator="Upstream & Downstream Marketing Playbook",
        faces=[(f.family, f.weight, f.style, f.path.resolve().as_uri()) for f in fonts.faces],
        families=", ".join(css_string(family) for family in dict.fromkeys(f.family for f in fonts.faces)),
        paper=view.paper,
        colors=design.css_variables(),
        page_content=page_content(view.labels["page"]),
        line=round(WRITING_LINE_PT * fill_scale, 1),
        leading=leading,
        fill=design.FILL_LINES,
    )
    return html


def to_pdf(view: WorksheetView, fonts: Fonts, overrides: Path) -> bytes:
    """Render the view as a tagged PDF/UA-1 with WeasyPrint, embedding subsets of ``fonts``."""
    # WeasyPrint takes ~0.3 s to import; a build whose downloads are all cached never needs it.
    from weasyprint import HTML

    cmap = _coverage(fonts)
    font_config = _font_config(fonts)

    def layout(scale: float, leading: float = LEADING) -> Any:
        html = printable(to_html(view, fonts, overrides, scale, leading), cmap)
        return HTML(string=html, base_url=str(overrides)).render(font_config=font_config, pdf_variant="pdf/ua-1")

    document = layout(1.0)
    if last_page_fill(document) < RETRY_BELOW:
        # A template whose last page would hold a row or two: a little less writing space per row
        # (never under three printed lines for text; the checklist's tick rows in an example too)
        # so it ends a page earlier.
        for scale, leading in FILL_SCALES if not view.example else EXAMPLE_FILL_SCALES:
            tighter = layout(scale, leading)
            if len(tighter.pages) < len(document.pages):
                document = tighter
                break
    return document.write_pdf(pdf_variant="pdf/ua-1")


#: Writing-space factors tried when a template would end on a nearly empty page.
FILL_SCALES = ((0.84, LEADING),)
#: In a filled template only the checklist's tick rows have writing space (1.5 lines each), so
#: less of it alone never saved a page (measured on every filled template): each try also sets
#: the text a little closer (line height 1.38, then 1.3, instead of 1.45), which pulls a last
#: row or two back onto the page before. Each try is a layout (about half a second).
EXAMPLE_FILL_SCALES = ((0.67, 1.38), (0.67, 1.3))
#: Only a last page filled less than this is worth a second layout: 16 % less writing space
#: never saved a page whose content reached 0.43 of it (measured on every blank template), and
#: each layout costs about a second.
RETRY_BELOW = 1 / 3


def last_page_fill(document: Any) -> float:
    """How far down its page area the last page's content reaches (0-1), from WeasyPrint's boxes."""
    page = document.pages[-1]._page_box
    root = page.children[0]
    return (root.position_y + root.margin_height() - page.content_box_y()) / page.height


@lru_cache(maxsize=2)
def _font_config(fonts: Fonts) -> Any:
    """One WeasyPrint font configuration per process: each @font-face file is loaded once, not per PDF."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


#: A handwritten line: 1.2 printed lines (9.5 pt text, line height 1.45), so even at the smallest
#: factor above three writing lines stay taller than three printed ones.
WRITING_LINE_PT = 9.5 * 1.45 * 1.2
