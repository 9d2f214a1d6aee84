"""``playbook check`` reports every seeded problem at once, each with its file and fix."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from playbook.cli import check, translations
from playbook.project import CHECKOUT as ROOT
from playbook.project import default_language

DEFAULT = default_language()


def run_check(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    capsys.readouterr()
    code = check.main(["--root", str(root), *extra])
    return code, capsys.readouterr().out


def problem(output: str, file: str, *words: str) -> str:
    """Return the report entry for ``file`` containing ``words``, with its fix line."""
    for match in re.finditer(rf"^{re.escape(file)}: (.*)\n    fix: (.*)$", output, re.M):
        if all(w in match.group(0) for w in words):
            return match.group(0)
    raise AssertionError(f"no problem for {file} with {words} in:\n{output}")


def test_every_seeded_problem_is_reported_with_file_and_fix(
    project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy2(ROOT / "pyproject.toml", project_copy)  # the project's ruff settings
    assert translations.main(["--root", str(project_copy), "stamp", "--all", "--date", "2026-01-15"]) == 0
    docs = project_copy / "docs"
    # 1. a broken link
    glossary = docs / DEFAULT / "glossary.md"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\nSee [nowhere](no-such-page.md).\n", "utf-8")
    # 2. a missing translation
    (docs / "de" / "sources.md").unlink()
    # 3. an outdated translation (the English source changed after the stamp)
    comparison = docs / DEFAULT / "comparison.md"
    comparison.write_text(comparison.read_text(encoding="utf-8") + "\nA new closing remark.\n", "utf-8")
    # 4. config out of sync with data/languages.yml
    languages = project_copy / "data" / "languages.yml"
    languages.write_text(
        languages.read_text(encoding="utf-8").replace("Contributing: Mitwirken", "Contributing: Beitragen")
    )
    # 5. formatting
    (project_copy / "hooks" / "badly_formatted.py").write_text('"""Seeded."""\nx = {  "a":1 }\n', "utf-8")

    code, out = run_check(project_copy, capsys)
    assert code == 1
    assert "no-such-page.md" in problem(out, f"docs/{DEFAULT}/glossary.md", "no-such-page.md")
    assert "stamp docs/de/sources.md" in problem(out, "docs/de/sources.md", "missing")
    for lang in ("de", "ja", "id"):
        assert f"stamp docs/{lang}/comparison.md" in problem(out, f"docs/{lang}/comparison.md", "outdated")
    assert "playbook sync-config" in problem(out, "mkdocs.yml", "i18n block")
    assert "ruff format hooks/badly_formatted.py" in problem(out, "hooks/badly_formatted.py", "not formatted")
    assert re.search(r"^\d+ problems found", out, re.M)


def test_invalid_data_is_reported_with_line_and_field(project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = project_copy / "data" / "tables" / "differences.yml"
    table.write_text(table.read_text(encoding="utf-8").replace("id: differences", "id: Differences", 1), "utf-8")
    code, out = run_check(project_copy, capsys, "--no-build")
    assert code == 1
    entry = problem(out, "data/tables/differences.yml", "field id")
    assert "line" in entry and "schema" in entry


def test_a_broken_data_file_does_not_hide_a_broken_link(project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each problem once: the data problem under data, the link under links (checked on the committed data)."""
    import subprocess

    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=project_copy, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project_copy, check=True)
    subprocess.run([*git, "commit", "-qm", "good"], cwd=project_copy, check=True)
    ui = project_copy / "data" / "ui.yml"
    ui.write_text(ui.read_text(encoding="utf-8").replace("  last_updated:", "  last_updatd:"), "utf-8")
    glossary = project_copy / "docs" / DEFAULT / "glossary.md"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\nSee [nowhere](no-such-page.md).\n", "utf-8")
    code, out = run_check(project_copy, capsys)
    assert code == 1
    assert "did you mean 'last_updated'" in problem(out, "data/ui.yml", "last_updatd")
    assert "no-such-page.md" in problem(out, f"docs/{DEFAULT}/glossary.md", "no-such-page.md")
    problems = out.split("== pending translations", 1)[0]  # pending (outdated) strings name the key too
    reported = [line for line in problems.splitlines() if "last_updatd" in line or "no-such-page.md" in line]
    assert len(reported) == 2, reported
