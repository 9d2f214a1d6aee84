"""Text is text: a markup payload typed into any string source reaches readers escaped, or is refused.

One build of a project copy carries the payload in every source a contributor can type into: a UI
string (data/ui.yml), a page's front matter description, a table cell, a template's text. Sources
that Material prints unescaped (site and language names, nav labels, front matter titles) refuse
markup in their schema (tests/test_config.py, tests/test_inputs.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from playbook.project import build, copy_project

PAYLOAD = "<img src=x onerror=alert(1)> \"quoted\" & 'single'"
RAW = "<img src=x onerror=alert(1)>"


def _set_text(path: Path, field_path: list, lang: str, value: str) -> None:
    """Replace one language's text at ``field_path`` keeping the rest of the file (YAML round trip)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    node = data
    for part in field_path:
        node = node[part]
    node[lang] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_no_payload_reaches_any_page_raw(site: Path) -> None:
    raw = [p.relative_to(site).as_posix() for p in site.rglob("*.html") if RAW in p.read_text(encoding="utf-8")]
    assert raw == []


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("escaping") / "project")
    for key in ("last_updated", "not_found_title", "fallback_title"):
        _set_text(root / "data" / "ui.yml", ["strings", key], "de", f"{key} {PAYLOAD}")
    _set_text(root / "data" / "tables" / "differences.yml", ["caption"], "de", f"caption {PAYLOAD}")
    sheet = root / "data" / "worksheets" / "upstream-plan.yml"
    _set_text(sheet, ["title"], "de", f"sheet {PAYLOAD}")
    page = root / "docs" / "de" / "comparison.md"
    page.write_text(
        re.sub(r"^description: .*$", f"description: 'description {PAYLOAD.replace(chr(39), chr(39) * 2)}'",
               page.read_text(encoding="utf-8"), count=1, flags=re.M),
        encoding="utf-8",
    )  # fmt: skip
    result = build(root)
    assert result.returncode == 0, result.output
    return result.site


@pytest.mark.parametrize(
    ("page", "source"),
    [
        ("de/comparison/index.html", "caption"),  # table text
        ("de/comparison/index.html", "description"),  # front matter, in <meta> and the search snippet
        ("de/comparison/index.html", "last_updated"),  # ui.yml, in the page footer line
        ("de/templates/upstream-plan/index.html", "sheet"),  # template text in the preview
        ("404.html", "not_found_title"),  # ui.yml, on the 404 page
    ],
)
def test_payload_is_escaped_where_it_is_printed(site: Path, page: str, source: str) -> None:
    html = (site / page).read_text(encoding="utf-8")
    assert f"{source} {RAW}" not in html, f"{source}: raw markup in {page}"
    escaped = [m for m in re.finditer(re.escape(source) + r" &lt;img src=x onerror=alert\(1\)&gt;", html)]
    assert escaped, f"{source}: the text is not on {page}"
    for match in escaped:
        tail = html[match.end() : match.end() + 60]
        assert tail.startswith((" &#34;quoted&#34;", " &quot;quoted&quot;")), f"{source}: quotes not escaped: {tail!r}"
