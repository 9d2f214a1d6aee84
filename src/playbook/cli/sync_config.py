"""Generate the i18n block of mkdocs.yml from data/languages.yml (FastAPI-style "fix and exit 1").

    playbook sync-config          # rewrite the block if it is out of date; exit 1 if it was
    playbook sync-config --check  # only report; exit 1 if out of date

Languages are declared once, in data/languages.yml; mkdocs.yml repeats them only inside the
generated block between the BEGIN/END marker lines. Run it in CI and before committing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

from playbook.project import find_root

BEGIN = "  # BEGIN generated i18n block"
END = "  # END generated i18n block"


def _scalar(value: str) -> str:
    """A YAML scalar: plain when safe, else double-quoted (JSON strings are valid YAML)."""
    if value and yaml.safe_load(value) == value and not any(c in value for c in ":#&*!|>'\"%@`{}[],"):
        return value
    return json.dumps(value, ensure_ascii=False)


def render_block(languages: dict) -> str:
    """The i18n plugin block for mkdocs.yml."""
    lines = [
        f"{BEGIN}: edit data/languages.yml, then run `playbook sync-config`.",
        "  - i18n:",
        "      docs_structure: folder",
        "      fallback_to_default: true",
        "      reconfigure_material: true",
        # false: hooks/search.py splits the index per language; static-i18n's de-duplication
        # would drop fallback pages from the index of the language they are shown in.
        "      reconfigure_search: false",
        "      languages:",
    ]
    for entry in languages["languages"]:
        lines.append(f"        - locale: {entry['code']}")
        lines.append(f"          name: {_scalar(entry['name'])}")
        if entry["code"] == languages["default"]:
            lines.append("          default: true")
        lines.append("          build: true")
        lines.append(f"          site_name: {_scalar(entry['site_name'])}")
        lines.append(f"          site_description: {_scalar(entry['site_description'])}")
        if entry.get("nav_translations"):
            lines.append("          nav_translations:")
            for key, text in entry["nav_translations"].items():
                lines.append(f"            {_scalar(key)}: {_scalar(text)}")
    lines.append(END)
    return "\n".join(lines)


def synced(config_text: str, languages: dict) -> str:
    """Return mkdocs.yml text with the generated block replaced."""
    start = config_text.index(BEGIN)
    end = config_text.index(END, start) + len(END)
    return config_text[:start] + render_block(languages) + config_text[end:]


def main(argv: list[str] | None = None) -> int:
    """Check or rewrite mkdocs.yml; return 1 when it was out of date."""
    parser = argparse.ArgumentParser(prog="playbook sync-config", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report only, do not rewrite")
    parser.add_argument("--root", type=Path, default=None, help="project folder (default: the one you are in)")
    args = parser.parse_args(argv)
    root = args.root or find_root()
    config_path = root / "mkdocs.yml"
    languages = yaml.safe_load((root / "data" / "languages.yml").read_text(encoding="utf-8"))
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
