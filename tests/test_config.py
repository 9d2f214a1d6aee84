"""Derived config stays in step with data/languages.yml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from playbook.cli import sync_config


def test_repository_config_is_in_sync() -> None:
    assert sync_config.main(["--check"]) == 0


def test_new_language_regenerates_block_and_reports_it(project_copy: Path) -> None:
    languages = project_copy / "data" / "languages.yml"
    data = yaml.safe_load(languages.read_text(encoding="utf-8"))
    data["languages"].append(
        {
            "code": "fr",
            "name": "Français",
            "site_name": "Guide : amont & aval",
            "site_description": "Un guide pratique.",
        }
    )
    languages.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert sync_config.main(["--check", "--root", str(project_copy)]) == 1
    assert sync_config.main(["--root", str(project_copy)]) == 1
    assert sync_config.main(["--check", "--root", str(project_copy)]) == 0
    config_text = (project_copy / "mkdocs.yml").read_text(encoding="utf-8")
    block = config_text[config_text.index("  - i18n:") : config_text.index("  # END")]
    plugin = yaml.safe_load(block.replace("  - i18n:", "i18n:", 1).replace("\n  ", "\n"))
    fr = plugin["i18n"]["languages"][-1]
    assert fr == {
        "locale": "fr",
        "name": "Français",
        "build": True,
        "site_name": "Guide : amont & aval",
        "site_description": "Un guide pratique.",
    }


def _load_like_mkdocs(config_file: Path) -> dict:
    """Read mkdocs.yml with MkDocs' own loader (PyYAML's full loader plus !ENV and !relative)."""
    from mkdocs.utils.yaml import get_yaml_loader

    with config_file.open(encoding="utf-8") as stream:
        return yaml.load(stream, Loader=get_yaml_loader())  # noqa: S506 - exactly what MkDocs does


def test_a_language_code_carrying_yaml_syntax_is_refused_and_mkdocs_yml_is_untouched(
    project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    languages = project_copy / "data" / "languages.yml"
    data = yaml.safe_load(languages.read_text(encoding="utf-8"))
    data["languages"][1]["code"] = "de\n        - !!python/object/apply:os.system ['touch PWNED']"
    languages.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = (project_copy / "mkdocs.yml").read_bytes()
    assert sync_config.main(["--root", str(project_copy)]) == 2
    err = capsys.readouterr().err
    assert "data/languages.yml" in err and "languages[1].code" in err and "Traceback" not in err
    assert (project_copy / "mkdocs.yml").read_bytes() == before
    assert not (project_copy / "PWNED").exists()


HOSTILE = [
    "- !!python/object/apply:builtins.len [[1]]",
    "key: value # not a comment",
    "&anchor *alias {flow: map} [flow, list] 'single' | % @",
    "yes",
    "2026-12-01",
    "  leading and trailing spaces  ",
]
#: Material prints these fields into pages unescaped, so markup, quotes and line breaks are refused.
REFUSED = [
    'Quote" and\n!!python/name:builtins.len\nend',
    "<script>alert(1)</script>",
    "`tick` &lt;b&gt;",
]


def _type_into_german_names(project_copy: Path, payload: str) -> None:
    """Put ``payload`` into the German language name, site description and a nav label."""
    languages = project_copy / "data" / "languages.yml"
    data = yaml.safe_load(languages.read_text(encoding="utf-8"))
    data["languages"][1]["name"] = payload
    data["languages"][1]["site_description"] = payload
    data["languages"][1]["nav_translations"] = {"Templates": payload}
    languages.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("payload", REFUSED)
def test_markup_in_printed_names_is_refused_naming_each_field(
    project_copy: Path, payload: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _type_into_german_names(project_copy, payload)
    before = (project_copy / "mkdocs.yml").read_bytes()
    assert sync_config.main(["--root", str(project_copy)]) == 2
    err = capsys.readouterr().err
    for field in ("languages[1].name", "languages[1].site_description", "languages[1].nav_translations.Templates"):
        assert f"field {field}: " in err and "plain text without" in err
    assert (project_copy / "mkdocs.yml").read_bytes() == before


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_reaches_mkdocs_yml_as_the_same_plain_string(project_copy: Path, payload: str) -> None:
    _type_into_german_names(project_copy, payload)
    assert sync_config.main(["--root", str(project_copy)]) == 1
    config = _load_like_mkdocs(project_copy / "mkdocs.yml")
    (i18n,) = [p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p]
    de = i18n["languages"][1]
    assert de["name"] == payload and de["site_description"] == payload
    assert de["nav_translations"] == {"Templates": payload}
    assert sync_config.main(["--check", "--root", str(project_copy)]) == 0
