"""The CSV downloads opened by LibreOffice under each language's locale: numeric cells equal the data."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from playbook.templates.writers import csv as csv_writer
from tests.office import CATALOG, LANGS, soffice, views, write

#: Windows locale ids LibreOffice's CSV filter takes for the import language.
LCID = {"en": 1033, "de": 1031, "ja": 1041, "id": 1057}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write(tmp_path_factory.mktemp("csv"), "csv")


def test_plain_numbers() -> None:
    assert csv_writer.plain_number(1440000, ",") == "1440000"
    assert csv_writer.plain_number(2.5, ",") == "2,5"
    assert csv_writer.plain_number(0.1 + 0.2, ".") == "0.3"


@pytest.mark.office
def test_libreoffice_reads_numbers_as_the_data_under_each_locale(files: list[Path], tmp_path: Path) -> None:
    for lang in LANGS.codes:
        source = next(p for p in files if p.parent.name == lang and p.stem == "sales-marketing-sla-example")
        separator = 59 if views(lang)[source.stem].decimal_comma else 44
        out = tmp_path / lang
        soffice(
            [
                f"--infilter=CSV:{separator},34,76,1,,{LCID[lang]}",
                "--convert-to",
                "xlsx",
                "--outdir",
                str(out),
                str(source),
            ],
            tmp_path / "profile",
        )
        sheet = openpyxl.load_workbook(out / f"{source.stem}.xlsx").active
        got = {row[2].value: row[3].value for row in sheet.iter_rows(min_row=2)}
        sheet_def = CATALOG.worksheets["sales-marketing-sla"]
        for key, value in CATALOG.examples["sales-marketing-sla"].values.items():
            kind = sheet_def.field(key).kind
            if kind in ("currency", "number"):
                assert got[sheet_def.field(key).label[lang]] == value, (lang, key)
            elif kind == "percent":
                assert got[sheet_def.field(key).label[lang]] == pytest.approx(value * 100), (lang, key)
        # 1,440,000 x 50 % / 24,000 = 30 deals / 25 % / 60 % / 50 % / 80 % / 40 % = 1,250 leads (issue #15).
        assert got[sheet_def.field("lead-target").label[lang]] == 1250
        assert got[sheet_def.field("marketing-revenue").label[lang]] == 720000
