"""First-view transfer size of each page of a built site, gzip-compressed (stdlib only).

A page's first view is its HTML plus every stylesheet, script, icon and font it makes the browser
fetch before the reader can use it: ``<link rel="stylesheet">``, ``<script src>``, ``<link
rel="icon">`` and fonts named in those stylesheets. (mike's ``versions.json`` and the deploy's
``editions.css`` live beside the editions, not in a built site: bench/readers.py measures them in
a browser.) Search fetches nothing until the reader types a query (Pagefind, see
overrides/partials/search-worker.html); what the first query costs at least (each language's
``pagefind.js``, entry, metadata and WebAssembly) is reported separately per language.

    playbook page-weight site/            # print the table
    playbook page-weight site/ --write    # also record it in bench/budget.json

``bench/budget.json`` holds the limits (checked by tests/browser/test_page_weight.py) and the
last recorded sizes, so a change in weight shows up in review.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from playbook.project import find_root

#: The limits and the last recorded sizes, relative to the project folder.
BUDGET = Path("bench") / "budget.json"
#: What static hosts typically use (nginx/GitHub Pages gzip level 6).
GZIP_LEVEL = 6
FONT = re.compile(r"url\(\s*['\"]?([^'\")]+\.(?:woff2?|ttf|otf))", re.IGNORECASE)


def gzipped(data: bytes) -> int:
    """Size of ``data`` after gzip at the level static hosts use (mtime 0: deterministic)."""
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.css: list[str] = []
        self.js: list[str] = []
        self.icons: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        rel = (a.get("rel") or "").split()
        if tag == "link" and "stylesheet" in rel and a.get("href"):
            self.css.append(a["href"] or "")
        elif tag == "link" and "icon" in rel and a.get("href"):
            self.icons.append(a["href"] or "")
        elif tag == "script" and a.get("src"):
            self.js.append(a["src"] or "")


def page_files(site: Path, page: str) -> list[Path]:
    """List the files a page's first view fetches (HTML first), as paths inside ``site``."""
    html_path = site / (page + "index.html" if page.endswith("/") or not page else page)
    html = html_path.read_text(encoding="utf-8")
    parser = _Assets()
    parser.feed(html)
    base = "http://site/" + page

    def local(ref: str, against: str = base) -> Path | None:
        url = urlsplit(urljoin(against, ref))
        if url.netloc != "site":
            return None
        path = site / unquote(url.path).lstrip("/")
        return path if path.is_file() else None

    files = [html_path]
    for ref in [*parser.css, *parser.js, *parser.icons]:
        path = local(ref)
        if path and path not in files:
            files.append(path)
    for css in [f for f in files if f.suffix == ".css"]:
        css_url = "http://site/" + css.relative_to(site).as_posix()
        for font in FONT.findall(css.read_text(encoding="utf-8")):
            path = local(font, css_url)
            if path and path not in files:
                files.append(path)
    return files


def pages(site: Path) -> list[str]:
    """Every HTML page of the site as a URL path relative to its root."""
    out = []
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        if not rel.startswith(("assets/", "search/", "pagefind/")) and "/pagefind/" not in rel:
            out.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return out


def search_files(bundle: Path) -> list[Path]:
    """The files of a Pagefind bundle every first query fetches (index chunks and fragments come on top).

    That is pagefind.js, its entry and metadata, and the WebAssembly of the bundle's language
    (``wasm.unknown`` for a language Pagefind has no stemmer for, such as Japanese).
    """
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    wasm = [bundle / f"wasm.{lang['wasm'] or 'unknown'}.pagefind" for lang in entry["languages"].values()]
    return sorted({bundle / "pagefind.js", bundle / "pagefind-entry.json", *bundle.glob("*.pf_meta"), *wasm})


def measure(site: Path) -> dict[str, object]:
    """First-view gzip bytes per page (all, and the HTML alone) and each search bundle's first-query bytes."""
    per_page, html = {}, {}
    for p in pages(site):
        files = page_files(site, p)
        per_page[p] = sum(gzipped(f.read_bytes()) for f in files)
        html[p] = gzipped(files[0].read_bytes())
    indexes = {
        bundle.relative_to(site).as_posix() + "/": {
            "raw": sum(f.stat().st_size for f in search_files(bundle)),
            "gzip": sum(gzipped(f.read_bytes()) for f in search_files(bundle)),
        }
        for bundle in sorted(p.parent for p in site.rglob("pagefind-entry.json"))
    }
    return {"pages": per_page, "html": html, "search_indexes": indexes}


def main(argv: list[str] | None = None) -> int:
    """Print (and with --write, record) the first-view weights of a built site."""
    parser = argparse.ArgumentParser(prog="playbook page-weight", description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built site folder (mkdocs build --strict)")
    parser.add_argument("--write", action="store_true", help="record the sizes in bench/budget.json")
    parser.add_argument("--root", type=Path, default=None, help="project folder (default: the one you are in)")
    args = parser.parse_args(argv)
    result = measure(args.site)
    budget_file = (args.root or find_root()) / BUDGET
    budget = json.loads(budget_file.read_text(encoding="utf-8"))
    limits = budget["limits"]
    over = []
    for page, size in result["pages"].items():  # type: ignore[union-attr]
        html = result["html"][page]  # type: ignore[index]
        flags = []
        if size - html > limits["first_view_assets_gzip_bytes"]:
            flags.append(f"assets over {limits['first_view_assets_gzip_bytes']}")
        if html > limits["html_gzip_bytes"]:
            flags.append(f"HTML over {limits['html_gzip_bytes']}")
        over += flags
        print(f"{size:>8}  (HTML {html:>6}, rest {size - html:>6})  {page or '/'}  {' '.join(flags)}")
    for index, size in result["search_indexes"].items():  # type: ignore[union-attr]
        print(f"{size['gzip']:>8}  (raw {size['raw']})  {index}")
    if args.write:
        budget["measured"] = result
        budget_file.write_text(json.dumps(budget, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if over else 0
