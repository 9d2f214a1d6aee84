"""What a reader's first view costs, and Lighthouse on four pages (issue #10); recorded in bench/results.md.

    MIKE_DOCS_VERSION=1.0 .venv/bin/mkdocs build --strict -d /tmp/site   # as `mike deploy 1.0` builds it
    npm install --prefix /tmp/lh lighthouse@12.2.3          # once; Node from Debian
    .venv/bin/python bench/readers.py /tmp/site --lighthouse /tmp/lh/node_modules/lighthouse/cli/index.js

The site is served from 127.0.0.1 with gzip (level 6, what static hosts send) under ``/1.0/``
with a mike ``versions.json`` and the deploy's ``editions.css`` (src/playbook/editions.py) at the
root, as published. Transfer sizes are what Debian's chromium reports
(``encodedBodySize``, the compressed body) for everything fetched until the network is idle,
without any interaction. Lighthouse runs its default mobile profile with the same chromium.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import json
import os
import subprocess
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

COMPRESS = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".md", ".csv")
PAGES = ["", "comparison/", "templates/sales-marketing-sla/", "worked-example/"]
LANGUAGES = ["en", "de", "ja", "id"]
LIGHTHOUSE_PAGES = [
    ("en", ""),
    ("de", "comparison/"),
    ("ja", "templates/sales-marketing-sla/"),
    ("id", "worked-example/"),
]
RESULTS = Path(__file__).resolve().parent / "results.md"
#: This script owns results.md from this heading to the end (`playbook bench` writes the rest),
#: except the notes after KEEP, which it carries over unchanged (before/after records, by hand).
HEADING = "## Readers' first view and Lighthouse"
KEEP = "<!-- bench/readers.py keeps what follows: notes and earlier measurements -->"


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the client accepts it; index.html for folders."""

    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".json": "application/json",
        ".pagefind": "application/octet-stream",
        ".pf_meta": "application/octet-stream",
        ".pf_index": "application/octet-stream",
        ".pf_fragment": "application/octet-stream",
    }

    def send_head(self):  # noqa: ANN201 - stdlib signature
        """Serve the file gzip-compressed when the request accepts it."""
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or path.suffix not in COMPRESS or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet."""


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    """Serve ``site`` as ``/1.0/`` next to a mike versions.json; return the server and the edition URL."""
    root = Path(tempfile.mkdtemp(prefix="readers-"))
    (root / "1.0").symlink_to(site.resolve(), target_is_directory=True)
    (root / "versions.json").write_text(json.dumps([{"version": "1.0", "title": "1.0", "aliases": ["latest"]}]))
    from playbook import editions

    defaults = editions.read_defaults(Path(__file__).resolve().parent.parent / "mkdocs.yml")
    pages = editions.page_paths(p.relative_to(site).as_posix() for p in site.rglob("index.html"))
    css = editions.stylesheet([editions.Edition("1.0", ("latest",))], defaults, {"1.0": pages})
    (root / "editions.css").write_text(css, encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/1.0/"


def first_views(base: str) -> list[dict[str, object]]:
    """Gzip bytes of each page's HTML and of everything else it fetches before any interaction."""
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        for lang in LANGUAGES:
            for page_path in PAGES:
                ctx = browser.new_context()
                page = ctx.new_page()
                url = base + ("" if lang == "en" else f"{lang}/") + page_path
                page.goto(url, wait_until="networkidle")
                page.wait_for_timeout(300)
                data = page.evaluate("""() => {
                    const nav = performance.getEntriesByType('navigation')[0];
                    const res = performance.getEntriesByType('resource');
                    return {html: nav.encodedBodySize, others: res.map(r => [r.name, r.encodedBodySize])};
                }""")
                others = sum(size for _, size in data["others"])
                names = [name.rsplit("/", 1)[-1] for name, _ in data["others"]]
                rows.append(
                    {
                        "lang": lang,
                        "page": page_path or "(home)",
                        "html": data["html"],
                        "others": others,
                        "files": names,
                    }
                )
                ctx.close()
        browser.close()
    return rows


def lighthouse(cli: str, base: str, out: Path, runs: int) -> list[dict[str, object]]:
    """Lighthouse's category scores (mobile), the median of ``runs`` runs, and failed binary audits per page."""
    rows = []
    for lang, page_path in LIGHTHOUSE_PAGES:
        url = base + ("" if lang == "en" else f"{lang}/") + page_path
        results = [_lighthouse_once(cli, url, out / f"lighthouse-{lang}-{i}.json") for i in range(runs)]
        performance = sorted(r["performance"] for r in results)
        median = dict(results[[r["performance"] for r in results].index(performance[len(performance) // 2])])
        median["runs"] = performance
        rows.append({"lang": lang, "page": page_path or "(home)", **median})
    return rows


def _lighthouse_once(cli: str, url: str, report: Path) -> dict[str, object]:
    """One Lighthouse run: category scores and the binary audits that failed."""
    subprocess.run(
        [
            "node",
            cli,
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            "--chrome-path=/usr/bin/chromium",
            "--chrome-flags=--headless=new --no-sandbox",
            "--only-categories=performance,accessibility,best-practices,seo",
        ],
        check=True,
        timeout=300,
    )
    result = json.loads(report.read_text(encoding="utf-8"))
    scores = {k: round(v["score"] * 100) for k, v in result["categories"].items()}
    failed = sorted(
        a["id"]
        for a in result["audits"].values()
        if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") in ("binary",)
    )
    return {**scores, "failed": failed}


def search_cost(site: Path) -> dict[str, dict[str, int]]:
    """What each language's first query fetches at least (see playbook.cli.page_weight)."""
    from playbook.cli import page_weight

    return page_weight.measure(site)["search_indexes"]  # type: ignore[return-value]


def main() -> int:
    """Measure and record in bench/results.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--lighthouse", help="path of lighthouse's cli/index.js (npm lighthouse@12.2.3)")
    parser.add_argument("--runs", type=int, default=5, help="Lighthouse runs per page (the median is recorded)")
    args = parser.parse_args()
    server, base = serve(args.site)
    try:
        views = first_views(base)
        load = os.getloadavg()[0]
        scores = lighthouse(args.lighthouse, base, Path(tempfile.mkdtemp()), args.runs) if args.lighthouse else []
    finally:
        server.shutdown()
    lines = [
        HEADING,
        "",
        "Recorded by `bench/readers.py` (see its docstring); gzip bytes "
        "as chromium received them, before any interaction. Goals (issue #10): at most 60 KB besides the "
        "page's own HTML, and no page's HTML above 15 KB.",
        "",
        "| language | page | HTML | everything else | files besides the HTML |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [f"| {r['lang']} | {r['page']} | {r['html']} | {r['others']} | {', '.join(r['files'])} |" for r in views]
    if scores:
        lines += [
            "",
            f"Lighthouse 12.2.3, default mobile profile, Debian's chromium, served with gzip; median of {args.runs} "
            f"runs (every performance score in brackets). The machine is shared: load average {load:.1f} on "
            f"{os.cpu_count()} CPUs when the runs started; Lighthouse's simulated slow phone moves with it.",
            "",
            "| language | page | performance [runs] | accessibility | best practices | SEO | failed binary audits |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {r['lang']} | {r['page']} | {r['performance']} {r['runs']} | {r['accessibility']} | "
            f"{r['best-practices']} | {r['seo']} | {', '.join(r['failed']) or '–'} |"
            for r in scores
        ]
    lines += [
        "",
        "What changed to get there (issue #10): search fetches nothing before the first query "
        "(Pagefind behind a Blob worker, instead of lunr's index and worker on every view: 39-50 KB less); "
        "no Material palette stylesheet or palette script (colours in extra.css); Material's stylesheet "
        "without the rules no page or script uses (hooks/styles.py: 22.8 KB -> 16.9 KB gzip); a 0.2 KB SVG "
        "favicon instead of Material's 1.9 KB PNG; the header script names the version button from "
        "textContent (innerText forced a layout) and keeps the head's hreflang alternates out of Material's "
        "sitemap lookup (no failed request); the older editions' banner comes from the deploy's editions.css "
        "(about 0.15 KB); meta tags escaped.",
        "",
        "The first query of a language then costs "
        + ", ".join(f"{b} {s['gzip']} B" for b, s in search_cost(args.site).items())
        + " (pagefind.js, entry, metadata and WebAssembly; gzip), plus the index chunks and result fragments.",
    ]
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.is_file() else ""
    kept, _, section = text.partition(HEADING)
    notes = section.partition(KEEP)[2] if KEEP in section else ""
    lines += ["", KEEP + notes.rstrip("\n")]
    kept = kept.rstrip("\n")
    RESULTS.write_text((kept + "\n\n" if kept else "") + "\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
