"""Unit tests for playbook.templates.model: the real data loads; each kind of bad input gives one precise message.

Every bad-input message must name the file, the field path, the line and what is expected. One
real build proves that bad data stops ``mkdocs build`` before it touches the previous site.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from playbook.data import languages as data_languages
from playbook.data.documents import DataError
from playbook.project import build
from playbook.templates import model

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "worksheets"
LANGS = data_languages.load_languages(ROOT / "data")


def test_real_data_loads() -> None:
    catalog = model.load_catalog(ROOT / "data", LANGS)
    assert set(catalog.worksheets) == {"upstream-plan", "downstream-campaign", "sales-marketing-sla"}
    assert set(catalog.examples) == set(catalog.worksheets)
    sla = catalog.worksheets["sales-marketing-sla"]
    assert sla.field("lead-target").formula == model.Formula("divide-round-up", ("mqls-needed", "lead-to-mql"))


def test_valid_fixture_loads() -> None:
    sheet = model.load_worksheet(FIXTURES / "valid-sheet.yml", LANGS)
    assert [s.id for s in sheet.sections] == ["money", "rows"]
    assert sheet.sections[1].table is not None and sheet.sections[1].table.blank_rows == 2


@pytest.mark.parametrize(
    ("fixture", "line", "path", "expected"),
    [
        ("missing-field", 10, "sections[0].fields[0]", "missing required field 'kind'"),
        ("wrong-type", 10, "sections[0].table.blank_rows", "expected integer, found str 'four'"),
        (
            "unknown-language",
            17,
            "sections[0].fields[0].label.fr",
            "unknown language 'fr'; expected one of en, de, ja, id",
        ),
        (
            "missing-translation",
            13,
            "sections[0].fields[0].label",
            "missing translation for ja; add the text under ja:",
        ),
        ("duplicate-id", 16, "sections[1].fields[0].id", "duplicate id 'goal'"),
    ],
)
def test_bad_template_names_file_field_line_and_fix(fixture: str, line: int, path: str, expected: str) -> None:
    label = f"tests/fixtures/worksheets/{fixture}.yml"
    with pytest.raises(DataError) as info:
        model.load_worksheet(FIXTURES / f"{fixture}.yml", LANGS, label)
    message = str(info.value)
    assert len(message.splitlines()) == 1, message
    assert message.startswith(f"{label}, line {line}, field {path}: "), message
    assert expected in message


def test_invalid_yaml_names_file_and_line() -> None:
    label = "tests/fixtures/worksheets/invalid-yaml.yml"
    with pytest.raises(DataError) as info:
        model.load_worksheet(FIXTURES / "invalid-yaml.yml", LANGS, label)
    message = str(info.value)
    assert message.startswith(f"{label}, line 7: invalid YAML"), message
    assert "Check indentation" in message


def test_example_value_of_wrong_type(tmp_path: Path) -> None:
    path = tmp_path / "valid-sheet.yml"
    shutil.copy(FIXTURES / "example-wrong-type.yml", path)
    sheet = model.load_worksheet(FIXTURES / "valid-sheet.yml", LANGS)
    with pytest.raises(DataError) as info:
        model.load_example(path, {"valid-sheet": sheet}, LANGS, "examples/valid-sheet.yml")
    assert str(info.value).startswith("examples/valid-sheet.yml, line 6, field values.goal: expected a number")


def test_catalog_collects_problems_with_repository_paths(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    shutil.copy(FIXTURES / "missing-translation.yml", data / "worksheets" / "missing-translation.yml")
    with pytest.raises(DataError) as info:
        model.load_catalog(data, LANGS)
    assert "data/worksheets/missing-translation.yml, line 13, field sections[0].fields[0].label" in str(info.value)


def test_digest_follows_content(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    before = model.digest(data)
    assert model.digest(data) == before
    labels = data / "worksheets" / "common" / "labels.yml"
    labels.write_text(labels.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert model.digest(data) != before


def test_bad_data_fails_the_build_and_keeps_the_previous_site(project_copy: Path) -> None:
    target = project_copy / "data" / "worksheets" / "upstream-plan.yml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("  ja: アップストリーム計画ワークシート\n", "", 1), encoding="utf-8")
    previous = project_copy / "site" / "index.html"
    previous.parent.mkdir()
    previous.write_text("previous build", encoding="utf-8")
    result = build(project_copy)
    assert result.returncode != 0
    assert "data/worksheets/upstream-plan.yml, line 6, field title: missing translation for ja" in result.output
    assert previous.read_text(encoding="utf-8") == "previous build"
    assert sorted(p.name for p in result.site.iterdir()) == ["index.html"]


def test_catalog_is_loaded_again_after_any_data_edit(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    first = model.load_catalog(data, LANGS)
    assert model.load_catalog(data, LANGS) is first  # same bytes: the memoised result
    labels = data / "worksheets" / "common" / "labels.yml"
    labels.write_text(labels.read_text(encoding="utf-8").replace("en: ", "en: Edited ", 1), encoding="utf-8")
    second = model.load_catalog(data, LANGS)
    assert second is not first and second.digest != first.digest
    assert any(text["en"].startswith("Edited ") for text in second.labels.values())


def test_a_broken_file_fails_every_time_until_fixed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    sheet = data / "worksheets" / "upstream-plan.yml"
    good = sheet.read_text(encoding="utf-8")
    sheet.write_text(good.replace("id: upstream-plan", "id: Upstream Plan", 1), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(DataError, match=r"upstream-plan\.yml.*field id"):
            model.load_catalog(data, LANGS)
    sheet.write_text(good, encoding="utf-8")
    assert "upstream-plan" in model.load_catalog(data, LANGS).worksheets


def test_next_build_reads_the_checked_catalog_from_the_project_cache(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    first = model.load_catalog(data, LANGS)
    stored = list((tmp_path / ".cache" / "data").glob("playbook.templates.model.load_catalog-*.pickle"))
    assert len(stored) == 1
    model.load_catalog.cache_clear()  # as in a new `mkdocs build` process
    assert model.load_catalog(data, LANGS) == first

    stored[0].write_bytes(b"not a pickle")  # a damaged cache file is ignored and written again
    model.load_catalog.cache_clear()
    assert model.load_catalog(data, LANGS) == first
    assert stored[0].read_bytes() != b"not a pickle"

    sheet = data / "worksheets" / "upstream-plan.yml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("id: upstream-plan", "id: Upstream Plan", 1), "utf-8")
    model.load_catalog.cache_clear()
    with pytest.raises(DataError, match="upstream-plan"):  # edited data is checked, not read back
        model.load_catalog(data, LANGS)
