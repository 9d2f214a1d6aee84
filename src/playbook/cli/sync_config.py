"""Generate the i18n block of mkdocs.yml from data/languages.yml (FastAPI-style "fix and exit 1").

    playbook sync-config          # rewrite the block if it is out of date; exit 1 if it was
    playbook sync-config --check  # only report; exit 1 if out of date

Languages are declared once, in data/languages.yml; mkdocs.yml repeats them only inside the
generated block between the BEGIN/END marker lines. Run it in CI and before committing.

MkDocs reads mkdocs.yml with PyYAML's full (unsafe) loader, so nothing from the data file may
reach it as YAML syntax: languages.yml is validated first (schema, duplicate codes, the default;
exit 2 with the file, line and field otherwise) and the block is written by PyYAML's safe
emitter, which quotes any value that could read as anything but the same plain string.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from playbook.data.documents import DataError, Document
from playbook.data.languages import load_languages
from playbook.project import find_root

BEGIN = "  # BEGIN generated i18n block"
END = "  # END generated i18n block"
HEADER = (
    f"{BEGIN}: edit data/languages.yml, then run `playbook sync-config`.\n"
    "  # reconfigure_search is false: hooks/search.py splits the index per language; static-i18n's\n"
    "  # de-duplication would drop fallback pages from the index of the language they are shown in.\n"
)


def read_languages(root: Path) -> dict[str, Any]:
    """``data/languages.yml`` as data, after every check the build makes (DataError if one fails)."""
    load_languages(root / "data")
    return Document(root / "data" / "languages.yml", "data/languages.yml").data


def plugin_config(languages: dict[str, Any]) -> dict[str, Any]:
    """The i18n plugin's settings for these languages."""
    entries = []
    for entry in languages["languages"]:
        item: dict[str, Any] = {"locale": entry["code"], "name": entry["name"]}
        if entry["code"] == languages["default"]:
            item["default"] = True
        item.update(build=True, site_name=entry["site_name"], site_description=entry["site_description"])
        if entry.get("nav_translations"):
            item["nav_translations"] = dict(entry["nav_translations"])
        entries.append(item)
    return {
        "docs_structure": "folder",
        "fallback_to_default": True,
        "reconfigure_material": True,
        "reconfigure_search": False,
        "languages": entries,
    }


def render_block(languages: dict[str, Any]) -> str:
    """The i18n plugin block for mkdocs.yml, written by the safe YAML emitter."""
    body = yaml.safe_dump(
        [{"i18n": plugin_config(languages)}], allow_unicode=True, sort_keys=False, width=1_000_000, indent=2
    )
    return HEADER + "".join(f"  {line}\n" for line in body.splitlines()) + END


def synced(config_text: str, languages: dict[str, Any]) -> str:
    """Return mkdocs.yml text with the generated block replaced."""
    start = config_text.index(BEGIN)
    end = config_text.index(END, start) + len(END)
    return config_text[:start] + render_block(languages) + config_text[end:]


def main(argv: list[str] | None = None) -> int:
    """Check or rewrite mkdocs.yml; return 1 when it was out of date, 2 when languages.yml is invalid."""
    parser = argparse.ArgumentParser(prog="playbook sync-config", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report only, do not rewrite")
    parser.add_argument("--root", type=Path, default=None, help="project folder (default: the one you are in)")
    args = parser.parse_args(argv)
    root = args.root or find_root()
    config_path = root / "mkdocs.yml"
    try:
        languages = read_languages(root)
    except DataError as exc:
        print(f"{exc}\nmkdocs.yml was not changed; fix data/languages.yml and run it again.", file=sys.stderr)
        return 2
    current = config_path.read_text(encoding="utf-8")
    wanted = synced(current, languages)
    if current == wanted:
        return 0
    if args.check:
        print(
            f"{config_path}: the i18n block is out of date with data/languages.yml; "
            "run `playbook sync-config` to regenerate it.",
            file=sys.stderr,
        )
    else:
        config_path.write_text(wanted, encoding="utf-8")
        print(f"{config_path}: regenerated the i18n block from data/languages.yml.", file=sys.stderr)
    return 1
