"""The DOCX downloads read back with python-docx, and printed by LibreOffice."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from playbook.templates.view import language_tag
from playbook.templates.writers import design
from tests.office import CATALOG, LANGS, page_texts, to_pdf, views, write


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write(tmp_path_factory.mktemp("docx"), "docx")


def test_page_styles_fonts_and_properties(files: list[Path]) -> None:
    for path in files:
        lang = path.parent.name
        worksheet = views(lang)[path.stem]
        document = docx.Document(str(path))
        width, height = design.PAPER_MM[CATALOG.papers[lang]]
        section = document.sections[0]
        assert abs(section.page_width - Mm(width)) < Mm(0.5) and abs(section.page_height - Mm(height)) < Mm(0.5)
        styles = document.styles.element
        assert not [f for f in styles.iter(qn("w:rFonts")) if any("Theme" in k or "theme" in k for k in f.attrib)]
        fonts = styles.find(qn("w:docDefaults")).find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
        assert fonts.get(qn("w:ascii")) == "Arial"
        assert fonts.get(qn("w:eastAsia")) == ("Yu Gothic" if lang == "ja" else "Arial")
        assert document.styles["Heading 2"].paragraph_format.keep_with_next
        props = document.core_properties
        assert props.title == worksheet.title and props.language == language_tag(lang)
        assert "python-docx" not in f"{props.author}{props.comments}{props.last_modified_by}"
        package = zipfile.ZipFile(path)
        assert "docProps/thumbnail.jpeg" not in package.namelist()
        app = package.read("docProps/app.xml").decode()
        assert "<Pages>" not in app and "Microsoft" not in app
        assert b"thumbnail" not in package.read("_rels/.rels")


def test_tables_keep_with_headings_rows_never_split_header_repeats_room_to_write(files: list[Path]) -> None:
    for path in files:
        worksheet = views(path.parent.name)[path.stem]
        document = docx.Document(str(path))
        assert len(document.tables) == len(worksheet.sections)
        for table, section in zip(document.tables, worksheet.sections, strict=True):
            rows = table.rows
            assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
            assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows)
            assert table._tbl.tblPr.find(qn("w:tblCellMar")) is not None
            # The heading keeps with the header row, which keeps with the first row, which keeps
            # with the second: a heading always starts a page with two rows of its table.
            assert all(c.paragraphs[0].paragraph_format.keep_with_next for r in rows[:2] for c in r.cells)
            assert not any(c.paragraphs[0].paragraph_format.keep_with_next for r in rows[3:] for c in r.cells)
            if not worksheet.example:
                for row, field in zip(rows[1:], section.fields, strict=False):
                    if field.kind in ("text", "long-text"):
                        height = row._tr.trPr.find(qn("w:trHeight"))
                        assert height is not None and int(height.get(qn("w:val"))) >= 3 * 14 * 20, field.id
        headings = [p for p in document.paragraphs if p.style.name == "Heading 2"]
        assert len(headings) == len(worksheet.sections)


@pytest.mark.office
def test_libreoffice_prints_every_docx_with_text_on_every_page(files: list[Path], tmp_path: Path) -> None:
    for lang in LANGS.codes:
        sources = [p for p in files if p.parent.name == lang]
        for source, result in zip(sources, to_pdf(sources, tmp_path / lang, tmp_path / "profile"), strict=True):
            worksheet = views(lang)[source.stem]
            pages = page_texts(result)
            for text in pages:
                lines = [line for line in text.splitlines() if line.strip()]
                assert len(lines) >= 3, (source, "a page without content", lines)
                # A heading never ends a page: its table follows it.
                assert lines[-2].strip() not in {s.title for s in worksheet.sections}, (source, lines[-2])
