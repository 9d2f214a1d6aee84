"""Unit tests for the data-table loader: valid files load, broken ones name file, field and fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from playbook import tables
from playbook.data import languages as data_languages
from playbook.data.documents import DataError
from playbook.data.schemas import Untranslated

ROOT = Path(__file__).resolve().parent.parent
LANGS = data_languages.load_languages(ROOT / "data")

VALID = """\
id: sample
caption: {en: Caption, de: Beschriftung, ja: 表題, id: Keterangan}
columns:
  - id: aspect
    header: {en: Aspect, de: Aspekt, ja: 観点, id: Aspek}
  - id: upstream
    header: {en: Upstream, de: Upstream, ja: 上流, id: Hulu}
rows:
  - id: timing
    cells:
      aspect: {en: Timing, de: Zeitpunkt, ja: 時期, id: Waktu}
      upstream: {en: "<b>Early</b>", de: Früh, ja: 早期, id: Awal}
"""


def write(tmp_path: Path, text: str, name: str = "sample.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_table_loads_and_localizes(tmp_path: Path) -> None:
    table = tables.load_table(write(tmp_path, VALID), LANGS)
    ja = tables.localize(table, "ja")
    assert ja.caption == "表題"
    assert ja.headers == ("観点", "上流")
    assert ja.rows == (("時期", "早期"),)
    # Text is kept exactly as typed (escaping is the template's job).
    assert tables.localize(table, "en").rows[0][1] == "<b>Early</b>"


def test_a_text_not_yet_translated_shows_the_english_text_marked_as_english(tmp_path: Path) -> None:
    """A missing translation is pending, not an error: the English text stands in, marked as such."""
    table = tables.load_table(write(tmp_path, VALID.replace("de: Früh, ", "", 1)), LANGS)
    de = tables.localize(table, "de")
    assert de.rows == (("Zeitpunkt", "<b>Early</b>"),)
    assert isinstance(de.rows[0][1], Untranslated) and de.rows[0][1].source_lang == "en"
    assert not isinstance(de.rows[0][0], Untranslated)
    assert not isinstance(tables.localize(table, "en").rows[0][1], Untranslated)
    assert tables.localize(table, "ja").rows[0][1] == "早期"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            '      upstream: {en: "<b>Early</b>", de: Früh, ja: 早期, id: Awal}\n',
            "",
            "missing cell for column upstream",
        ),
        ('en: "<b>Early</b>", ', "", "no en text"),
        ("id: Awal}", "id: Awal, fr: Tôt}", "unknown language 'fr'"),
        ("  - id: timing", "  - id: Timing Row", "is not a lower-case kebab-case id"),
        ("caption: {en: Caption", "caption: {en: 42", "expected text, found int 42; write it in quotes"),
        ("id: sample\n", "id: other\n", "must equal the file name"),
        (VALID[VALID.index("rows:") :], "rows: 5\n", "expected array, found int 5"),
    ],
)
def test_broken_table_names_field_and_fix(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in VALID
    path = write(tmp_path, VALID.replace(old, new, 1))
    with pytest.raises(DataError) as info:
        tables.load_table(path, LANGS, "data/tables/sample.yml")
    message = str(info.value)
    assert message.startswith("data/tables/sample.yml, line ")
    assert "field " in message
    assert expected in message


def test_duplicate_row_id_is_reported_with_line(tmp_path: Path) -> None:
    row = VALID[VALID.index("  - id: timing") :]
    path = write(tmp_path, VALID + row)
    with pytest.raises(DataError, match=r"line 13, field rows\[1\]\.id: duplicate id 'timing'"):
        tables.load_table(path, LANGS)


def test_invalid_yaml_names_line(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("rows:\n", "rows:\n  - id: [unclosed\n"))
    with pytest.raises(DataError, match=r"sample.yml, line \d+: invalid YAML"):
        tables.load_table(path, LANGS)


def test_repository_tables_are_valid_and_complete() -> None:
    loaded = tables.load_tables(ROOT / "data", LANGS)
    assert {"differences", "definitions", "upstream-examples", "downstream-examples"} <= set(loaded)
    assert [row_id for row_id, _ in loaded["differences"].rows] == [
        "timing",
        "stance",
        "focus",
        "cost",
        "horizon",
        "measurability",
    ]
    assert len(loaded["upstream-examples"].rows) == 7
    assert len(loaded["downstream-examples"].rows) == 7
