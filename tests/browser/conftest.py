"""Browser-test fixtures: the built site served on 127.0.0.1 the way mike deploys it, and chromium.

The session's ``built_site`` is served from a throwaway deployment root: ``/1.0/`` is the site and
``/versions.json`` lists that version, so Material shows its version selector exactly as on the
real host. Chromium is Debian's (``/usr/bin/chromium``, from ``make system-deps``); Playwright never
downloads a browser. Without chromium the tests skip locally and fail when ``CI`` is set.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from playbook.project import default_language, languages

VERSION = "1.0"
#: Content types a static host serves for the site's downloads (Python's table lacks the office ones).
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".csv": "text/csv",
    ".md": "text/markdown",
    ".json": "application/json",
    ".js": "text/javascript",
}


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **CONTENT_TYPES}

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer a missing page with the edition's 404.html, as a static host does."""
        not_found = Path(self.directory) / VERSION / "404.html"
        if code != 404 or not not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Keep test output quiet."""


@dataclass
class Site:
    """The served site: ``url(path)`` gives the address of a site-relative path."""

    root: str
    folder: Path
    pages: dict[str, list[str]] = field(default_factory=dict)

    def url(self, path: str = "") -> str:
        """Absolute URL of ``path`` (relative to the site folder)."""
        return f"{self.root}{path}"


def _language_of(rel: str, codes: list[str], default: str) -> str:
    first = rel.split("/", 1)[0]
    return first if first in codes and first != default else default


def page_paths(folder: Path) -> dict[str, list[str]]:
    """Every HTML page of the site by language, as URL paths relative to the site root."""
    codes, default = languages(), default_language()
    pages: dict[str, list[str]] = {code: [] for code in codes}
    for html in sorted(folder.rglob("*.html")):
        rel = html.relative_to(folder).as_posix()
        if rel.startswith(("assets/", "search/")):
            continue
        url = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        pages[_language_of(rel, codes, default)].append(url)
    return pages


@pytest.fixture(scope="session")
def served_site(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """``built_site`` at ``http://127.0.0.1:<free port>/1.0/``, with a mike ``versions.json``."""
    root = tmp_path_factory.mktemp("deploy")
    (root / VERSION).symlink_to(built_site, target_is_directory=True)
    versions = [{"version": VERSION, "title": VERSION, "aliases": ["latest"]}]
    (root / "versions.json").write_text(json.dumps(versions), encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield Site(f"http://{host}:{port}/{VERSION}/", built_site, page_paths(built_site))
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@dataclass
class Requests:
    """Every request a browser context made, and the ones that did not go to the test server."""

    all: list[str] = field(default_factory=list)

    def foreign(self, origin: str) -> list[str]:
        """Return requests to anywhere but ``origin`` (data: and blob: URLs never leave the page)."""
        local = urlsplit(origin).netloc
        return [u for u in self.all if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != local]


@pytest.fixture
def context(browser, served_site: Site) -> Iterator[tuple[object, Requests]]:
    """Give a fresh browser context that records every request and lets none leave 127.0.0.1."""
    ctx = browser.new_context(service_workers="block")
    requests = Requests()
    ctx.on("request", lambda request: requests.all.append(request.url))
    local = urlsplit(served_site.root).netloc
    # Offline by construction: a request elsewhere is aborted (and still recorded for the test).
    ctx.route(
        lambda url: urlsplit(url).netloc != local and not url.startswith(("data:", "blob:")),
        lambda route: route.abort(),
    )
    try:
        yield ctx, requests
    finally:
        ctx.close()
