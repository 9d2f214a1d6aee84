"""Render the downloads as a reader sees them: every format and language to PNG (``make previews``).

Writes each template's downloads (blank and example, every language) into ``<out>/files/``,
converts the DOCX and XLSX to PDF with LibreOffice headless (a private profile, so parallel runs
never share one), and renders pages with ``pdftoppm`` into ``<out>/<lang>/<stem>.<ext>-<page>.png``.
Also used by the office tests (:func:`convert`). Needs LibreOffice and poppler-utils
(``make system-deps``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from playbook.data.languages import load_languages
from playbook.templates import model, view
from playbook.templates.downloads import WRITERS, Assets
from playbook.templates.writers import pdf

OFFICE = (".docx", ".xlsx")


def convert(sources: Iterable[Path], out: Path, profile: Path) -> list[Path]:
    """Convert DOCX/XLSX files to PDF with LibreOffice headless; return the PDFs (same stems)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is missing; run `make system-deps`")
    sources = list(sources)
    out.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, sources),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    results = [out / f"{path.stem}.pdf" for path in sources]
    missing = [p.name for p in results if not p.is_file()]
    if proc.returncode or missing:
        raise RuntimeError(f"LibreOffice failed ({proc.returncode}) for {missing}: {proc.stderr[-2000:]}")
    return results


def render(pdf_file: Path, prefix: Path, dpi: int = 60, pages: int | None = None) -> list[Path]:
    """Render a PDF's pages to PNG with pdftoppm; return the images in page order."""
    args = ["pdftoppm", "-r", str(dpi), "-png"]
    if pages:
        args += ["-l", str(pages)]
    subprocess.run([*args, str(pdf_file), str(prefix)], check=True, timeout=300)
    return sorted(prefix.parent.glob(f"{prefix.name}-*.png"))


def write_all(
    project: Path, out: Path, langs: Iterable[str] | None = None, formats: Iterable[str] | None = None
) -> list[Path]:
    """Write every download of every language into ``out/<lang>/``; return the files."""
    data = project / "data"
    catalog = model.load_catalog(data, load_languages(data))
    date = view.build_date({})
    font = Assets(pdf.find_font(), project / "overrides")
    written = []
    for lang in langs or catalog.languages.codes:
        for stem, worksheet in view.views(catalog, lang, date).items():
            for ext, writer in sorted(WRITERS.items()):
                if formats and ext not in formats:
                    continue
                path = out / lang / f"{stem}.{ext}"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(writer(worksheet, font))
                written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m playbook.templates.previews [--out build/previews] [--lang de ...]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=Path(__file__).resolve().parents[3])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--lang", action="append")
    parser.add_argument("--dpi", type=int, default=60)
    parser.add_argument("--format", action="append", help="docx, xlsx, pdf (default: all)")
    args = parser.parse_args(argv)
    out = (args.out or args.project / "build" / "previews").resolve()
    shutil.rmtree(out, ignore_errors=True)
    files = write_all(args.project, out / "files", args.lang, args.format)
    with tempfile.TemporaryDirectory(prefix="lo-previews-") as profile:
        for lang_dir in sorted({f.parent for f in files}):
            office = [f for f in files if f.parent == lang_dir and f.suffix in OFFICE]
            # The same stem exists as .docx and .xlsx: convert each format into its own folder.
            pdfs = [p for p in files if p.parent == lang_dir and p.suffix == ".pdf"]
            for suffix in OFFICE:
                if not any(f.suffix == suffix for f in office):
                    continue
                converted = convert([f for f in office if f.suffix == suffix], lang_dir / suffix[1:], Path(profile))
                pdfs += converted
            for pdf_file in pdfs:
                ext = pdf_file.parent.name if pdf_file.parent != lang_dir else "pdf"
                target = out / lang_dir.name / f"{pdf_file.stem}.{ext}"
                target.parent.mkdir(parents=True, exist_ok=True)
                render(pdf_file, target, args.dpi)
    print(f"previews in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
