"""``mkdocs serve`` rebuilds after an edit to a page or a data file and serves the new text.

hooks/serve_reload.py moves MkDocs' file watches onto a faster poller; if it lost one, the edit
below would never show up. A template edit reloads the page before its downloads are written
(hooks/downloads.py): they follow, with a rebuild of their own. A real server in a copy of the
project, read over HTTP.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playbook.data.languages import load_languages
from playbook.project import copy_project
from playbook.templates import downloads, model, view
from playbook.templates.writers import pdf

SIZE = re.compile(r'<span class="playbook-size"(?: data-size-of="[^"]*")?>([^<]*)</span>')


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
        # The first pages come without waiting for the 120 downloads, which bring a rebuild.
        _wait(lambda: "Reloading browsers" in log.read_text(), "rebuild with the downloads", log, timeout=600)
        time.sleep(1)  # a poller may see the ready file change twice: let a second rebuild start
        _wait(
            lambda: log.read_text().count("Building documentation") == log.read_text().count("Reloading browsers") + 1,
            "quiet",
            log,
        )

        def fetch(path: str) -> bytes:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=30) as response:
                return response.read()

        def page(path: str) -> str:
            return fetch(path).decode("utf-8")

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

        # A template edit: the page shows it on the first reload, its downloads follow.
        sheet = project / "data" / "worksheets" / "sales-marketing-sla.yml"
        before = reloads()
        text = sheet.read_text(encoding="utf-8")
        sheet.write_text(text.replace("de: Marketingteam,", "de: Marketingteam (bearbeitet),", 1), "utf-8")
        _wait(lambda: reloads() > before, "rebuild after a template edit", log)
        assert "Marketingteam (bearbeitet)" in page("de/templates/sales-marketing-sla/")
        catalog = model.load_catalog(project / "data", load_languages(project / "data"))
        edited = view.views(catalog, "de", view.build_date({}))["sales-marketing-sla"]
        expected = downloads.WRITERS["csv"](edited, downloads.Assets(pdf.find_font(), project / "overrides"))
        assert "Marketingteam (bearbeitet)" in expected.decode("utf-8-sig")
        _wait(lambda: fetch("de/downloads/sales-marketing-sla.csv") == expected, "the edited CSV", log)
        # ... and the rebuild that brings them gives the page their sizes again.
        listed = downloads.file_size(len(expected), "de")
        _wait(lambda: listed in SIZE.findall(page("de/templates/sales-marketing-sla/")), "the CSV's size", log)
        assert "" not in SIZE.findall(page("de/templates/sales-marketing-sla/"))
    finally:
        server.terminate()
        server.wait(timeout=30)
