"""The generated downloads in a real build: every file, read back with real readers, per language.

Uses the session's ``built_site`` (one strict build of the repository) and, for reproducibility,
one more build of a copy; LibreOffice converts every DOCX and XLSX (marked ``office``).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import docx
import markupsafe
import openpyxl
import pypdf
import pytest
from docx.oxml.ns import qn

from playbook.data import languages as data_languages
from playbook.project import build, copy_project, default_language, languages
from playbook.templates import model
from playbook.templates import view as view_module

ROOT = Path(__file__).resolve().parent.parent
LANGS = data_languages.load_languages(ROOT / "data")
CATALOG = model.load_catalog(ROOT / "data", LANGS)
STEMS = sorted(s for sheet in CATALOG.worksheets for s in (sheet, f"{sheet}-example"))
#: Example values that must appear in the filled SLA, per language (money, a rate, a computed target).
SLA_VALUES = {
    "en": ("$1,440,000", "2.5%", "1,250", "$720,000"),
    "de": ("1.440.000\xa0$", "2,5\xa0%", "1.250", "720.000\xa0$"),
    "ja": ("$1,440,000", "2.5%", "1,250", "$720,000"),
    "id": ("US$1.440.000", "2,5%", "1.250", "US$720.000"),
}
TAGS = {"en": "en-US", "de": "de-DE", "ja": "ja-JP", "id": "id-ID"}


def downloads_dir(site: Path, lang: str) -> Path:
    return site / "downloads" if lang == default_language() else site / lang / "downloads"


def title(stem: str, lang: str) -> str:
    return CATALOG.worksheets[stem.removesuffix("-example")].title[lang]


def label(key: str, lang: str) -> str:
    return CATALOG.labels[key][lang]


def test_every_language_has_every_download(built_site: Path) -> None:
    for lang in languages():
        names = sorted(p.name for p in downloads_dir(built_site, lang).iterdir())
        assert names == sorted(f"{s}.{e}" for s in STEMS for e in view_module.FORMATS), lang


@pytest.mark.parametrize("lang", languages())
def test_docx_declares_language_and_has_headings_tables_values(built_site: Path, lang: str) -> None:
    for stem in STEMS:
        document = docx.Document(str(downloads_dir(built_site, lang) / f"{stem}.docx"))
        defaults = document.styles.element.find(qn("w:docDefaults"))
        assert defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:val")) == TAGS[lang]
        headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
        assert headings[0] == title(stem, lang)
        assert len(headings) > 3 and document.tables
        assert document.tables[0].rows[0].cells[0].text in (label("field", lang), *_first_headers(stem, lang))
    example = docx.Document(str(downloads_dir(built_site, lang) / "sales-marketing-sla-example.docx"))
    cells = {c.text for t in example.tables for row in t.rows for c in row.cells}
    assert set(SLA_VALUES[lang]) <= cells


def _first_headers(stem: str, lang: str) -> tuple[str, ...]:
    section = CATALOG.worksheets[stem.removesuffix("-example")].sections[0]
    return tuple(c.label[lang] for c in section.table.columns) if section.table else ()


@pytest.mark.parametrize("lang", languages())
def test_xlsx_has_live_funnel_formulas_and_safe_text(built_site: Path, lang: str) -> None:
    for stem in STEMS:
        book = openpyxl.load_workbook(downloads_dir(built_site, lang) / f"{stem}.xlsx")
        cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
        assert cells[0].value == title(stem, lang)
        formulas = [c for c in cells if c.data_type == "f"]
        # Every calculated field, every row of a calculated table column (the blank rows too), and
        # in the example every text that states a computed figure ({monthly-lead-target}).
        sheet = CATALOG.worksheets[stem.removesuffix("-example")]
        example = CATALOG.examples[sheet.id] if stem.endswith("-example") else None
        rows = {s.id: len(example.rows[s.id]) if example else s.table.blank_rows for s in sheet.sections if s.table}
        expected = sum(1 for s in sheet.sections for f in s.fields if f.formula)
        expected += sum(rows[s.id] for s in sheet.sections if s.table for c in s.table.columns if c.formula)
        if example is not None:
            texts = [v for v in example.values.values() if isinstance(v, dict)]
            texts += [
                v for table in example.rows.values() for row in table for v in row.values() if isinstance(v, dict)
            ]
            expected += sum(1 for v in texts if model.PLACEHOLDER.search(str(v.get(lang, ""))))
        assert len(formulas) == expected, stem
        assert stem != "sales-marketing-sla-example" or expected > 12
        text = [c.value for c in cells if c.data_type == "s"]
        assert label("value", lang) in text
    book = openpyxl.load_workbook(downloads_dir(built_site, lang) / "sales-marketing-sla-example.xlsx")
    sheet = next(s for s in book.worksheets if any(c.value == 1440000 for row in s.iter_rows() for c in row))
    cells = {c.coordinate: c for row in sheet.iter_rows() for c in row}
    values = {c.value for c in cells.values()}
    assert {1440000, 0.5, 24000, 0.25, 0.6, 0.8, 0.4, 0.025, 12} <= values
    goal = next(c for c in cells.values() if c.value == 1440000)
    name = "'" + sheet.title + "'!"
    share, revenue, deal = (f"{name}$B${goal.row + n}" for n in (1, 2, 3))
    assert (
        cells[f"B{goal.row + 2}"].value == f'=IF(OR({name}$B${goal.row}="",{share}=""),"",{name}$B${goal.row}*{share})'
    )
    deals = cells[f"B{goal.row + 11}"].value
    assert deals == f'=IF(OR({revenue}="",{deal}="",{deal}=0),"",ROUNDUP(ROUND({revenue}/{deal},6),0))'


@pytest.mark.parametrize("lang", languages())
def test_pdf_language_text_outline_size(built_site: Path, lang: str) -> None:
    for stem in STEMS:
        path = downloads_dir(built_site, lang) / f"{stem}.pdf"
        assert path.stat().st_size < 150_000, f"{path} is {path.stat().st_size} bytes"
        reader = pypdf.PdfReader(path)
        assert reader.trailer["/Root"]["/Lang"] == TAGS[lang]
        assert reader.metadata["/CreationDate"] == "D:20260101000000Z"
        text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
        assert re.sub(r"\s+", "", title(stem, lang)) in text
        assert reader.outline[0]["/Title"] == title(stem, lang)
        fonts = {f["/BaseFont"] for page in reader.pages for f in page["/Resources"]["/Font"].values()}
        assert all(re.fullmatch(r"/[A-Z]{6}\+Playbook.*", name) for name in fonts), fonts  # subsets of the PDF's fonts
    example = pypdf.PdfReader(downloads_dir(built_site, lang) / "sales-marketing-sla-example.pdf")
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in example.pages))
    for value in SLA_VALUES[lang]:
        assert re.sub(r"\s+", "", value) in text


@pytest.mark.parametrize("lang", languages())
def test_markdown_and_csv(built_site: Path, lang: str) -> None:
    folder = downloads_dir(built_site, lang)
    markdown = (folder / "sales-marketing-sla-example.md").read_text(encoding="utf-8")
    assert markdown.startswith(f"# {title('sales-marketing-sla', lang)}\n")
    assert all(value in markdown for value in SLA_VALUES[lang])
    raw = (folder / "sales-marketing-sla-example.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    separator, decimal = (";", ",") if lang in ("de", "id") else (",", ".")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=separator))
    assert rows[0] == [label(k, lang) for k in ("section", "row", "field", "value", "unit", "notes")]
    values = {(row[3], row[4]) for row in rows}
    assert {("1440000", "USD"), ("24000", "USD"), (f"2{decimal}5", "%"), ("1250", ""), ("720000", "USD")} <= values
    # Text never starts like a formula; a negative figure (a tracking gap of -4) is a number.
    numbers = re.compile(r"-?[0-9]+(" + re.escape(decimal) + r"[0-9]+)?")
    cells = [cell for row in rows for cell in row if not numbers.fullmatch(cell)]
    assert not any(cell.startswith(view_module.FORMULA_TRIGGERS) for cell in cells)
    assert any(cell.startswith("-") for row in rows for cell in row[3:4])


@pytest.mark.parametrize("lang", languages())
def test_every_download_link_names_its_language_template_variant_and_file(built_site: Path, lang: str) -> None:
    from lxml import html as lxml_html

    base = built_site if lang == default_language() else built_site / lang
    pages = {f"templates/{sheet}/index.html": (sheet, ("blank", "example")) for sheet in CATALOG.worksheets}
    pages["worked-example/index.html"] = (None, ("example",))
    for rel, (only, variants) in pages.items():
        page = base / rel
        tree = lxml_html.fromstring(page.read_text(encoding="utf-8"))
        tables = tree.cssselect(".playbook-downloads table")
        assert tables, page
        seen = set()
        for table in tables:
            headers = [th.text_content() for th in table.cssselect("thead th")]
            assert headers[1:] == [label(v, lang) for v in variants], (page, headers)
            for row in table.cssselect("tbody tr"):
                for link in row.cssselect("a"):
                    href, name = link.get("href"), link.get("download")
                    target = Path(urljoin(page.as_uri(), href).removeprefix("file://"))
                    assert target.is_file() and target.parent == downloads_dir(built_site, lang), href
                    assert target.name == name == link.text_content(), (href, name)
                    variant, ext = link.get("data-variant"), link.get("data-format")
                    sheet = name.removesuffix(f".{ext}").removesuffix("-example")
                    assert only in (None, sheet) and sheet in CATALOG.worksheets, name
                    assert name == f"{sheet}{'-example' if variant == 'example' else ''}.{ext}", name
                    assert row.cssselect("th")[0].text_content() == label(ext, lang)
                    described = tree.get_element_by_id(link.get("aria-describedby")).text_content()
                    assert described == label(variant, lang)
                    size = link.getnext().text_content()
                    assert re.sub(r"\D", "", size) == str(max(1, round(target.stat().st_size / 1000))), size
                    seen.add((sheet, variant, ext))
        sheets = [only] if only else list(CATALOG.worksheets)
        assert seen == {(s, v, e) for s in sheets for v in variants for e in view_module.FORMATS}, page
    for sheet in CATALOG.worksheets:
        html = (base / "templates" / sheet / "index.html").read_text(encoding="utf-8")
        # The page previews the blank template (the filled example is in its downloads).
        assert str(markupsafe.escape(CATALOG.worksheets[sheet].title[lang])) in html


def test_second_build_gives_identical_downloads(built_site: Path, tmp_path: Path) -> None:
    """Reproducible: a second build from a fresh copy (cold cache) gives the same bytes, every file."""
    again = build(copy_project(tmp_path / "project"))
    assert again.returncode == 0, again.output
    for lang in languages():
        assert sorted(downloads_dir(built_site, lang).iterdir())
    first = {p.relative_to(built_site): p for p in built_site.rglob("*") if p.is_file()}
    second = {p.relative_to(again.site): p for p in again.site.rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    different = [str(rel) for rel, path in sorted(first.items()) if path.read_bytes() != second[rel].read_bytes()]
    assert not different, f"files differ between two builds: {different[:10]}"


@pytest.mark.office
def test_libreoffice_converts_every_docx_and_xlsx(built_site: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is missing; run `make system-deps`"
    for lang in languages():
        sources = [p for p in sorted(downloads_dir(built_site, lang).iterdir()) if p.suffix in (".docx", ".xlsx")]
        out = tmp_path / lang  # the same file names exist in every language
        proc = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out),
                *map(str, sources),
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr
        for path in sources:
            result = out / f"{path.stem}.pdf"
            assert result.is_file() and result.stat().st_size > 1000, (path, proc.stdout, proc.stderr)
