"""Derived config stays in step with data/languages.yml."""

from __future__ import annotations

from pathlib import Path

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
