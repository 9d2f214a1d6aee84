"""Content checks on the Markdown sources: real translations, our own words."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from playbook.project import CHECKOUT as ROOT
from playbook.project import default_language, languages

DEFAULT = default_language()
TRANSLATIONS = [lang for lang in languages() if lang != DEFAULT]
EN_PAGES = sorted(p.relative_to(ROOT / "docs" / DEFAULT) for p in (ROOT / "docs" / DEFAULT).rglob("*.md"))


def prose(path: Path) -> str:
    """Page text without front matter, markers, link targets and code."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    text = re.sub(r"<!--.*?-->|```.*?```|`[^`]*`|\]\([^)]*\)", " ", text, flags=re.S)
    return text


def shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    words = re.findall(r"[^\W_]+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@pytest.mark.parametrize("lang", TRANSLATIONS)
@pytest.mark.parametrize("src", EN_PAGES, ids=str)
def test_translation_is_not_a_copy_of_english(lang: str, src: Path) -> None:
    translated = ROOT / "docs" / lang / src
    if not translated.is_file():
        pytest.fail(f"docs/{lang}/{src} is missing")
    english, other = prose(ROOT / "docs" / DEFAULT / src), prose(translated)
    assert other.strip() != english.strip()
    ours = shingles(other)
    shared = ours & shingles(english)
    # Names, titles and terms are shared; whole phrases should not be.
    assert len(shared) <= 0.15 * max(len(ours), 1), f"docs/{lang}/{src} repeats English: {sorted(shared)[:5]}"
    if lang == "ja":
        kana = len(re.findall(r"[\u3040-\u30ff]", other))
        assert kana > 0.2 * len(re.sub(r"\s", "", other)), f"docs/ja/{src} is not mostly Japanese"


@pytest.mark.parametrize("lang", TRANSLATIONS)
@pytest.mark.parametrize("src", EN_PAGES, ids=str)
def test_translation_keeps_the_page_structure(lang: str, src: Path) -> None:
    """The same data markers (tables, downloads) appear in every language's page."""
    marker = re.compile(r"^<!--\s*[a-z]+:[a-z0-9-]+.*?-->", re.M)
    english = marker.findall((ROOT / "docs" / DEFAULT / src).read_text(encoding="utf-8"))
    other = marker.findall((ROOT / "docs" / lang / src).read_text(encoding="utf-8"))
    assert [m.split()[1] for m in other] == [m.split()[1] for m in english], f"docs/{lang}/{src}"


def _verbatim_tool() -> Path | None:
    configured = os.environ.get("VERBATIM_CHECK")
    candidates = [Path(configured)] if configured else []
    candidates.append(ROOT.parent / "shared" / "tools" / "verbatim_check.py")
    return next((c for c in candidates if c.is_file()), None)


def test_no_sentence_is_copied_from_the_source_articles() -> None:
    tool = _verbatim_tool()
    if tool is None:
        pytest.skip("verbatim_check.py not found (set VERBATIM_CHECK=/path/to/verbatim_check.py)")
    proc = subprocess.run([sys.executable, str(tool), str(ROOT)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
