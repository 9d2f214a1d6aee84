"""The PDF downloads (WeasyPrint) read back with pypdf and poppler: tags, language, title, kinsoku, size."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pypdf
import pytest
from fontTools.ttLib import TTFont

from playbook.templates.view import language_tag
from tests.office import LANGS, page_texts, render, views, write

#: Japanese line-start rules (JIS X 4051 basic kinsoku): closing punctuation, small kana, the
#: prolonged-sound mark and iteration marks never start a line; opening brackets never end one.
NO_LINE_START = set(
    "、。，．,.)）」』】〕〉》］｝’”・：；！？ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶゝゞヽヾ々%％"
)
NO_LINE_END = set("（「『【〔〈《［｛‘“")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write(tmp_path_factory.mktemp("pdf"), "pdf")


def _tags(node: object, counts: Counter[str], parents: tuple[str, ...] = ()) -> None:
    node = node.get_object()  # type: ignore[attr-defined]
    tag = str(node.get("/S", ""))
    if tag:
        counts[tag] += 1
        if tag in ("/TH", "/TD"):
            assert "/TR" in parents, parents
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict):
            _tags(kid, counts, (*parents, tag))


def test_structure_tree_language_and_title_bar(files: list[Path]) -> None:
    for path in files:
        worksheet = views(path.parent.name)[path.stem]
        reader = pypdf.PdfReader(path)
        root = reader.trailer["/Root"]
        assert root["/Lang"] == language_tag(worksheet.lang)
        assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 - a PDF boolean object
        assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712
        assert reader.metadata["/Title"] == worksheet.title
        assert reader.metadata["/CreationDate"] == "D:20260101000000Z"
        counts: Counter[str] = Counter()
        _tags(root["/StructTreeRoot"], counts)
        sections = len(worksheet.sections)
        assert counts["/H1"] == 1 and counts["/H2"] == sections, (path, counts)
        assert counts["/Table"] >= sections and counts["/P"] >= 3
        assert counts["/TH"] >= sections and counts["/TD"] >= sections and "/Figure" not in counts
        size = path.stat().st_size
        assert size <= 150_000, (path, size)
        fonts = {f["/BaseFont"] for page in reader.pages for f in page["/Resources"]["/Font"].values()}
        assert all(re.fullmatch(r"/[A-Z]{6}\+Playbook.*", name) for name in fonts), fonts  # subset fonts only


def test_every_page_has_text_headings_are_not_stranded_last_page_not_near_empty(
    files: list[Path], tmp_path: Path
) -> None:

    for path in files:
        worksheet = views(path.parent.name)[path.stem]
        headings = {s.title for s in worksheet.sections}
        pages = page_texts(path)
        for text in pages:
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            assert len(lines) >= 3, (path, "a page without content", lines)
            # The last line above the footer is never a section heading.
            assert lines[-2] not in headings, (path, lines[-2])
        # The last page is drawn on for at least a fifth of its height (footer left out).
        prefix = tmp_path / path.parent.name / path.stem
        prefix.parent.mkdir(exist_ok=True)
        image = render(path, prefix, 20, first=len(pages))[-1].convert("L")
        width, height = image.size
        body = [y for y in range(int(height * 0.9)) if any(image.getpixel((x, y)) < 200 for x in range(width))]
        assert body and (body[-1] - body[0]) / height >= 0.2, (path, "near-empty last page")


def test_japanese_lines_follow_kinsoku_and_numbers_stay_whole(files: list[Path]) -> None:
    checked = 0
    for path in (p for p in files if p.parent.name == "ja"):
        worksheet = views("ja")[path.stem]
        lines = [line for page in page_texts(path, "-raw") for line in page.splitlines() if line.strip()]
        for line in lines:
            checked += 1
            assert line.lstrip()[0] not in NO_LINE_START, (path, line)
            assert line.rstrip()[-1] not in NO_LINE_END, (path, line)
        numbers = {
            n
            for s in worksheet.sections
            for text in [*(f.cell.text for f in s.fields), *(c.text for r in s.rows for c in r)]
            for n in re.findall(r"\d[\d,.]*\d", text)
        }
        for number in numbers:
            assert any(number in line for line in lines), (path, number)
    assert checked > 500


@pytest.mark.parametrize("lang", LANGS.codes)
def test_pdf_is_rendered_from_the_preview_partial(lang: str, files: list[Path]) -> None:
    from playbook.templates.writers import pdf
    from tests.office import ROOT

    worksheet = views(lang)["sales-marketing-sla-example"]
    html = pdf.to_html(worksheet, pdf.find_font(), ROOT / "overrides")
    assert f'id="worksheet-{worksheet.stem}"' in html and 'class="playbook-worksheet' in html
    text = re.sub(
        r"\s+", "", "".join(page_texts(next(p for p in files if p.parent.name == lang and p.stem == worksheet.stem)))
    )
    for section in worksheet.sections:
        assert re.sub(r"\s+", "", section.title) in text


def test_a_heading_never_ends_a_page_wherever_the_page_break_falls(tmp_path: Path) -> None:
    """Push the content down a line at a time: in none of the layouts does a page end with a heading."""
    import dataclasses

    from playbook.templates.writers import pdf
    from tests.office import ROOT

    base = views("en")["downstream-campaign-example"]
    headings = {s.title for s in base.sections}
    for extra in range(14):
        worksheet = dataclasses.replace(base, summary=base.summary + " filler" * (16 * extra))
        path = tmp_path / f"shift-{extra}.pdf"
        path.write_bytes(pdf.to_pdf(worksheet, pdf.find_font(), ROOT / "overrides"))
        for text in page_texts(path)[:-1]:
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            assert lines[-2] not in headings, (extra, lines[-3:])


def _text_by_weight(path: Path) -> dict[bool, str]:
    """The PDF's text split by the weight of the embedded font program drawing it (bold: OS/2 weight 700+).

    Read from each embedded font file itself, not its name: a regular font named "...-Bold" is not bold.
    """
    weights: dict[str, int] = {}
    runs: dict[bool, list[str]] = {True: [], False: []}

    def visit(text: str, _cm: object, _tm: object, font: dict | None, _size: object) -> None:
        if not font or not text.strip():
            return
        name = str(font["/BaseFont"])
        if name not in weights:
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = (descriptor.get("/FontFile2") or descriptor.get("/FontFile3")).get_object().get_data()
            weights[name] = TTFont(io.BytesIO(program))["OS/2"].usWeightClass
        runs[weights[name] >= 700].append(text)

    for page in pypdf.PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    # Words hyphenated at a line end come back with the hyphen WeasyPrint drew.
    return {bold: re.sub(r"\s+|‐|-", "", "".join(texts)) for bold, texts in runs.items()}


def test_labels_heads_and_headings_are_set_in_their_faces_in_every_language(files: list[Path]) -> None:
    for path in files:
        worksheet = views(path.parent.name)[path.stem]
        text = _text_by_weight(path)
        labels = worksheet.labels
        bold = [labels["field"], labels["value"], labels["notes"]]
        # Japanese headings are set large in teal at regular weight: the bold face then holds only
        # the labels' glyphs, which keeps every ja PDF under 150 KB.
        headings = [worksheet.title, *(s.title for s in worksheet.sections)]
        bold += [] if path.parent.name == "ja" else headings
        for section in worksheet.sections:
            bold += [*section.headers, *(f.label for f in section.fields)]
        for label in bold:
            assert re.sub(r"\s+|-", "", label) in text[True], (path, label)
        if path.parent.name == "ja":
            for heading in headings:
                assert re.sub(r"\s+|-", "", heading) in text[False], (path, heading)
        # The running text stays regular.
        assert re.sub(r"\s+|-", "", worksheet.summary)[:40] in text[False], path
        assert re.sub(r"\s+|-", "", worksheet.summary)[:40] not in text[True], path
