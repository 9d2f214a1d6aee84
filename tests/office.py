"""Helpers of the office tests (tests/test_office_*.py).

Downloads written from the real data, LibreOffice headless with a private profile, PDF text per page.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from playbook.data.languages import load_languages
from playbook.templates import model, view
from playbook.templates.downloads import WRITERS, Assets
from playbook.templates.writers import pdf

ROOT = Path(__file__).resolve().parent.parent
LANGS = load_languages(ROOT / "data")
CATALOG = model.load_catalog(ROOT / "data", LANGS)
DATE = view.build_date({"SOURCE_DATE_EPOCH": "1767225600"})
#: LibreOffice's profile setting that recalculates every formula of an OOXML file on load.
RECALC_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def views(lang: str) -> dict[str, view.WorksheetView]:
    return dict(view.views(CATALOG, lang, DATE))


def write(folder: Path, ext: str) -> list[Path]:
    """Write every language's ``ext`` downloads into ``folder/<lang>/``."""
    assets = Assets(pdf.find_font(), ROOT / "overrides")
    out = []
    for lang in LANGS.codes:
        for stem, worksheet in views(lang).items():
            path = folder / lang / f"{stem}.{ext}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(WRITERS[ext](worksheet, assets))
            out.append(path)
    return out


def soffice(args: list[str], profile: Path, recalc: bool = False) -> subprocess.CompletedProcess[str]:
    """Run LibreOffice headless with a private profile (``recalc``: recalculate OOXML formulas on load)."""
    binary = shutil.which("soffice")
    if binary is None:
        pytest.fail("LibreOffice is missing; run `make system-deps`")
    if recalc:
        (profile / "user").mkdir(parents=True, exist_ok=True)
        (profile / "user" / "registrymodifications.xcu").write_text(RECALC_XCU, encoding="utf-8")
    proc = subprocess.run(
        [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", *args],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc


def to_pdf(sources: list[Path], out: Path, profile: Path) -> list[Path]:
    """Convert office files to PDF (one folder per call: the same stem exists in several formats)."""
    soffice(["--convert-to", "pdf", "--outdir", str(out), *map(str, sources)], profile)
    results = [out / f"{p.stem}.pdf" for p in sources]
    assert all(p.is_file() for p in results), [p for p in results if not p.is_file()]
    return results


def page_texts(pdf_file: Path, mode: str = "-layout") -> list[str]:
    """The text of each page: as laid out (``-layout``) or in drawing order (``-raw``: a cell's text stays together)."""
    text = subprocess.run(["pdftotext", mode, str(pdf_file), "-"], capture_output=True, text=True, check=True)
    return text.stdout.split("\f")[:-1]


def render(pdf_file: Path, prefix: Path, dpi: int, first: int = 1) -> list[object]:
    """Pages from ``first`` on as PIL images (pdftoppm)."""
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(first), "-png", str(pdf_file), str(prefix)], check=True)
    return [Image.open(p) for p in sorted(prefix.parent.glob(f"{prefix.name}-*.png"))]
