"""Shared fixtures: a copy of the project in a temporary folder and ONE real strict build of it.

``built_site`` builds the whole site (all languages, all hooks) once per test session with
``mkdocs build --strict`` in a subprocess, exactly as a contributor would, and every test that
inspects output reads from it. Tests that need a deliberately broken site use ``project_copy``
and change the copy, never the repository.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from playbook.project import build, copy_project


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A fresh, writable copy of the project for tests that break something on purpose."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built once, strictly, from a copy of the repository; returns the site folder."""
    project = copy_project(tmp_path_factory.mktemp("build") / "project")
    result = build(project)
    assert result.returncode == 0, f"strict build failed:\n{result.output}"
    return result.site


#: Debian's chromium (installed by `make system-deps`); Playwright never downloads a browser here.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's chromium through Playwright; skips (fails under CI) when it is not installed."""
    if not CHROMIUM.is_file():
        message = f"chromium not found at {CHROMIUM}; install it with `make system-deps` (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()
