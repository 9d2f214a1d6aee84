"""``mkdocs serve`` rebuilds after an edit to a page or a data file and serves the new text.

hooks/serve_reload.py moves MkDocs' file watches onto a faster poller; if it lost one, the edit
below would never show up. A real server in a copy of the project, read over HTTP.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playbook.project import copy_project


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(predicate, what: str, log: Path, timeout: float = 120) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"no {what} after {timeout}s; server log:\n{log.read_text()[-3000:]}")
        time.sleep(0.05)


def test_page_and_data_edits_show_up_on_the_served_site(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    port, log = _free_port(), tmp_path / "serve.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--strict", "-a", f"127.0.0.1:{port}"],
            cwd=project,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait(lambda: "Serving on" in log.read_text(), "'Serving on'", log, timeout=600)

        def page(path: str) -> str:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=30) as response:
                return response.read().decode("utf-8")

        def reloads() -> int:
            return log.read_text().count("Reloading browsers")

        glossary = project / "docs" / "de" / "glossary.md"
        before = reloads()
        glossary.write_text(glossary.read_text(encoding="utf-8") + "\n\nFrisch bearbeiteter Absatz.\n", "utf-8")
        _wait(lambda: reloads() > before, "rebuild after a page edit", log)
        assert "Frisch bearbeiteter Absatz." in page("de/glossary/")

        table = project / "data" / "tables" / "differences.yml"
        before = reloads()
        table.write_text(
            table.read_text(encoding="utf-8").replace(
                "How upstream and downstream", "How edited upstream and downstream"
            ),
            "utf-8",
        )
        _wait(lambda: reloads() > before, "rebuild after a data edit", log)
        assert "How edited upstream and" in page("comparison/")
    finally:
        server.terminate()
        server.wait(timeout=30)
