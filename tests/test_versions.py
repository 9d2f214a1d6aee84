"""Versioned publishing with mike: two editions deployed into a throwaway git repository.

``published`` copies the project into ``tmp_path``, commits it, and runs the real release
commands (``mike deploy --update-aliases X.Y latest``, ``mike set-default latest``) for 1.0
and then 2.0, without network or push. The tests read the resulting ``gh-pages`` branch as a
host would serve it: ``versions.json``, the root redirect, every language in every edition,
the downloads of the old edition, and the language switcher inside ``/1.0/de/...``
(static-i18n issue #265, fixed by hooks/i18n_links.py). One more deploy with a broken link
must fail and leave ``gh-pages`` untouched. Three builds in all.
"""

from __future__ import annotations

import functools
import json
import os
import posixpath
import shutil
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import urlopen

import pytest
from lxml import html as lxml_html

from playbook.links import hreflang_alternates, site_relative
from playbook.project import CHECKOUT as ROOT
from playbook.project import copy_project, default_language, languages

OLD, NEW = "1.0", "2.0"
BRANCH = "gh-pages"
#: Marks the new edition's home page, so the tests can tell the editions apart.
NEW_EDITION_MARK = "playbook-edition-two"
#: A page only the old edition has (edition two drops it): its banner links latest's home.
RETIRED = "retired"
#: The site_url 1.0 is built with; the tests serve it from the root instead.
ELSEWHERE = "https://example.invalid/marketing-playbook/"


def _env() -> dict[str, str]:
    # mike runs `mkdocs` from PATH: put this interpreter's scripts (the venv) first.
    bin_dir = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "NO_MKDOCS_2_WARNING": "1",
        "SOURCE_DATE_EPOCH": "1767225600",
        "GIT_CONFIG_NOSYSTEM": "1",
    }


def _run(
    repo: Path, *args: str, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(args, cwd=repo, env={**_env(), **(env or {})}, capture_output=True, text=True, timeout=900)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")
    return proc


def _git(repo: Path, *args: str) -> str:
    return _run(repo, "git", *args).stdout.strip()


def _mike(
    repo: Path, *args: str, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    mike = shutil.which("mike", path=_env()["PATH"])
    assert mike, "mike is not installed next to this Python (make setup)"
    return _run(repo, mike, *args, check=check, env=env)


def _commit_all(repo: Path, message: str) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message)


#: What `make deploy-version VERSION=X ALIAS=latest` runs after its `setup` (without a push).
RELEASE_STEPS = ("deploy --update-aliases", "root-404", "set-default latest", "playbook editions")


def _release(repo: Path, version: str, env: dict[str, str] | None = None) -> None:
    """Run what the deploy workflow runs for a tag (`make deploy-version`, without --push)."""
    _mike(repo, "deploy", "--update-aliases", version, "latest", env=env)
    _run(repo, "make", "-s", "-f", str(ROOT / "Makefile"), "root-404", f"VERSION={version}")
    _mike(repo, "set-default", "latest")
    _run(repo, sys.executable, "-m", "playbook", "editions")


def _export(repo: Path, dest: Path) -> Path:
    """Extract the published branch (symlinked aliases included) as a static host sees it."""
    archive = subprocess.run(["git", "archive", "--format=tar", BRANCH], cwd=repo, capture_output=True, check=True)
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="tar")
    return dest


@dataclass
class Published:
    """The repository after two releases, and its gh-pages branch exported to a folder."""

    repo: Path
    root: Path
    old_tree: str  # `gh-pages:1.0` tree id right after 1.0 was released
    has_downloads: bool  # the worksheet hooks exist, so every language must have downloads


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    """Release 1.0, then 2.0, into a new git repository; export gh-pages."""
    repo = copy_project(tmp_path_factory.mktemp("versions") / "repo")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.name", "Playbook Tests")
    _git(repo, "config", "user.email", "tests@example.invalid")
    (repo / ".gitignore").write_text("site/\n__pycache__/\n", encoding="utf-8")
    config = repo / "mkdocs.yml"
    original_config = config.read_text(encoding="utf-8")
    config.write_text(original_config.replace("  - sources.md\n", f"  - sources.md\n  - {RETIRED}.md\n"), "utf-8")
    retired = repo / "docs" / default_language() / f"{RETIRED}.md"
    retired.write_text(f"---\ndescription: A page edition two drops.\n---\n\n# Retired\n\nOnly in {OLD}.\n", "utf-8")
    _commit_all(repo, "Edition one")
    # 1.0 is built for a host path other than the one the tests serve it from (as a project page,
    # a fork or a preview would be): its links must not depend on `site_url` (static-i18n #265).
    _release(repo, OLD, env={"SITE_URL": ELSEWHERE})
    old_tree = _git(repo, "rev-parse", f"{BRANCH}:{OLD}")

    index = repo / "docs" / default_language() / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + f'\n<span id="{NEW_EDITION_MARK}"></span>\n', "utf-8")
    config.write_text(original_config, "utf-8")
    retired.unlink()
    _commit_all(repo, "Edition two")
    _release(repo, NEW)
    root = _export(repo, tmp_path_factory.mktemp("pages") / "root")
    return Published(repo, root, old_tree, (ROOT / "hooks" / "worksheets.py").is_file())


def test_versions_json_lists_both_with_latest_on_the_newer(published: Published) -> None:
    versions = json.loads((published.root / "versions.json").read_text(encoding="utf-8"))
    assert [(v["version"], v["aliases"]) for v in versions] == [(NEW, ["latest"]), (OLD, [])]


def test_root_redirects_to_latest_which_is_the_newer_edition(published: Published) -> None:
    page = lxml_html.fromstring((published.root / "index.html").read_bytes())
    refresh = page.cssselect('meta[http-equiv="refresh"]')[0].get("content")
    assert refresh.split("url=", 1)[1] == "latest/"
    latest = published.root / "latest"
    assert latest.resolve() == (published.root / NEW).resolve()
    assert NEW_EDITION_MARK in (latest / "index.html").read_text(encoding="utf-8")
    assert NEW_EDITION_MARK not in (published.root / OLD / "index.html").read_text(encoding="utf-8")


def _language_folder(code: str) -> str:
    """Folder of a language inside an edition: the default language is the edition's root."""
    return "" if code == default_language() else code


@pytest.mark.parametrize("version", [OLD, NEW])
def test_every_edition_has_every_language(published: Published, version: str) -> None:
    edition = published.root / version
    for code in languages():
        home = edition / _language_folder(code)
        assert (home / "index.html").is_file(), f"{version} has no {code} home page"
        assert f'<html lang="{code}"' in (home / "index.html").read_text(encoding="utf-8")
        if published.has_downloads:
            downloads = home / "downloads"
            assert downloads.is_dir() and any(downloads.iterdir()), f"{version} has no {code} downloads"


def test_old_edition_is_untouched_by_the_new_release(published: Published) -> None:
    # mike only moved the `latest` alias: every byte of /1.0/ (pages and downloads) is as released.
    assert _git(published.repo, "rev-parse", f"{BRANCH}:{OLD}") == published.old_tree


def _switcher_targets(page: Path, url_path: str) -> dict[str, str]:
    """Language switcher links of ``page`` (served at ``url_path``), resolved to absolute paths."""
    tree = lxml_html.fromstring(page.read_bytes())
    return {
        a.get("hreflang"): posixpath.normpath(posixpath.join(url_path, a.get("href"))) + "/"
        for a in tree.cssselect("a.md-select__link[hreflang]")
    }


@pytest.mark.parametrize("folder", [OLD, "latest"])
def test_language_links_stay_inside_the_edition(published: Published, folder: str) -> None:
    edition = published.root / folder
    pages = [p for p in edition.rglob("index.html") if p.relative_to(edition).parts[0] not in ("assets", "search")]
    assert len(pages) > len(languages())
    for page in pages:
        rel = page.parent.relative_to(edition).as_posix()
        url_path = f"/{folder}/" + ("" if rel == "." else rel + "/")
        targets = _switcher_targets(page, url_path)
        assert sorted(targets) == sorted(languages()), url_path
        for code, target in targets.items():
            assert target.startswith(f"/{folder}/"), f"{url_path}: the {code} link leaves /{folder}/: {target}"
            assert (published.root / target.lstrip("/") / "index.html").is_file(), f"{url_path}: {target} is missing"
    # The language homes are the pages static-i18n leaves absolute (#265): check them by name.
    assert _switcher_targets(edition / "de" / "index.html", f"/{folder}/de/") == {
        code: f"/{folder}/" + ("" if code == default_language() else f"{code}/") for code in languages()
    } | {"de": f"/{folder}/de/"}


def test_pages_tell_material_which_versions_are_current(published: Published) -> None:
    page = lxml_html.fromstring((published.root / OLD / "de" / "index.html").read_bytes())
    config = json.loads(page.cssselect("script#__config")[0].text)
    assert config["version"]["provider"] == "mike"
    assert set(config["version"]["default"]) == {"latest", "dev"}
    banner_link = page.cssselect('[data-md-component="outdated"] a[href]')[0].get("href")
    # The banner leads to the latest edition in the reader's language.
    assert urljoin(f"/{OLD}/de/", banner_link) == "/latest/de/"


def test_failed_build_leaves_the_published_branch_untouched(published: Published) -> None:
    before = _git(published.repo, "rev-parse", BRANCH)
    page = published.repo / "docs" / default_language() / "glossary.md"
    original = page.read_text(encoding="utf-8")
    try:
        page.write_text(original + "\n[broken](no-such-page.md)\n", encoding="utf-8")
        result = _mike(published.repo, "deploy", "--update-aliases", "3.0", "latest", check=False)
    finally:
        page.write_text(original, encoding="utf-8")
    assert result.returncode != 0
    assert "no-such-page.md" in result.stdout + result.stderr
    assert _git(published.repo, "rev-parse", BRANCH) == before


# -- Served over HTTP, as a reader gets it ----------------------------------------------------


@pytest.fixture(scope="module")
def server(published: Published) -> Iterator[str]:
    """Serve the exported gh-pages branch on http://127.0.0.1:<free port>/."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
            """Keep test output quiet."""

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(published.root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = httpd.server_address[:2]
        yield f"http://{host}:{port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def test_old_edition_downloads_stay_downloadable(published: Published, server: str) -> None:
    edition = published.root / OLD
    folders = {code: edition / _language_folder(code) / "downloads" for code in languages()}
    files = sorted(p for folder in folders.values() if folder.is_dir() for p in folder.iterdir() if p.is_file())
    if published.has_downloads:
        assert {code for code, folder in folders.items() if folder.is_dir() and any(folder.iterdir())} == set(
            languages()
        )
    for path in files or [published.root / OLD / "de" / "index.html"]:
        rel = path.relative_to(published.root).as_posix()
        with urlopen(f"{server}/{rel}", timeout=10) as response:
            assert response.status == 200
            assert response.read() == path.read_bytes()


@pytest.mark.browser
def test_reader_switches_version_and_language_in_a_browser(browser, server: str) -> None:
    page = browser.new_page()
    page.route(lambda url: urlsplit(url).netloc != urlsplit(server).netloc, lambda route: route.abort())
    try:
        # The root redirects to the latest edition, which shows no "older edition" banner.
        page.goto(f"{server}/")
        page.wait_for_url(f"{server}/latest/")
        page.wait_for_selector(".md-version__current")
        assert page.locator('[data-md-component="outdated"]').is_hidden()

        # An old edition shows the banner; switching version keeps the page and the language.
        page.goto(f"{server}/{OLD}/de/comparison/")
        page.wait_for_selector('[data-md-component="outdated"]:not([hidden])')
        page.locator(".md-version").hover()
        page.locator(f'.md-version__link[href$="/{NEW}/"]').click()
        page.wait_for_url(f"{server}/{NEW}/de/comparison/")

        # Switching language on a language home page stays inside the edition.
        page.goto(f"{server}/{OLD}/de/")
        page.locator(".md-header__option .md-select").hover()
        page.locator('a.md-select__link[hreflang="ja"]').click()
        page.wait_for_url(f"{server}/{OLD}/ja/")
    finally:
        page.close()


def test_head_alternates_are_absolute_inside_the_edition(published: Published) -> None:
    # 1.0 was built for ELSEWHERE: mike adds the version to site_url, so every alternate (and
    # x-default, the default language's page) is an absolute URL inside /1.0/.
    page = lxml_html.fromstring((published.root / OLD / "de" / "comparison" / "index.html").read_bytes())
    links = {a.get("hreflang"): a.get("href") for a in page.xpath('//head/link[@rel="alternate"][@hreflang]')}
    folders = {code: _language_folder(code) for code in languages()}
    expected = {code: f"{ELSEWHERE}{OLD}/" + (f"{f}/" if f else "") + "comparison/" for code, f in folders.items()}
    expected["x-default"] = expected[default_language()]
    assert links == expected


def test_editions_stylesheet_marks_only_the_older_edition(published: Published) -> None:
    css = (published.root / "editions.css").read_text(encoding="utf-8")
    assert f'[data-playbook-edition="{OLD}"]' in css
    assert f'[data-playbook-edition="{NEW}"]' not in css
    # The page 2.0 dropped, in every language (fallback pages included), links latest's home.
    for code in languages():
        page = f"{_language_folder(code)}/{RETIRED}/".lstrip("/")
        assert f'[data-playbook-edition="{OLD}"][data-playbook-page="{page}"] .playbook-outdated__home' in css
    assert 'data-playbook-page="de/comparison/"' not in css


def _dom_content_loaded_state(page) -> None:  # noqa: ANN001 - a Playwright page
    """Record, when DOMContentLoaded fires, whether the banner is on screen and Material has touched it."""
    page.add_init_script("""document.addEventListener('DOMContentLoaded', () => {
        const el = document.querySelector('[data-md-component=outdated]');
        const box = el.getBoundingClientRect();
        window.__atDCL = {shown: getComputedStyle(el).display !== 'none' && box.height > 0,
                          links: [...el.querySelectorAll('a')].filter(a => a.offsetParent).map(a => a.href)};
    });""")


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_old_edition_banner_is_there_at_dom_content_loaded(browser, server: str, width: int) -> None:
    # The first page of a session: nothing is in sessionStorage, and versions.json is held back
    # until well after DOMContentLoaded, so only the deploy's editions.css can show the banner.
    ctx = browser.new_context(viewport={"width": width, "height": 800}, service_workers="block")
    problems: list[str] = []
    local = urlsplit(server).netloc

    def held(route) -> None:  # noqa: ANN001 - a Playwright route
        time.sleep(1.5)
        route.continue_()

    try:
        ctx.route(lambda url: urlsplit(url).netloc != local, lambda route: route.abort())
        ctx.route("**/versions.json", held)
        ctx.on(
            "request",
            lambda r: (
                problems.append(f"foreign {r.url}")
                if urlsplit(r.url).netloc != local and urlsplit(r.url).scheme not in ("data", "blob")
                else None
            ),
        )
        ctx.on("requestfailed", lambda r: problems.append(f"failed {r.url} {r.failure}"))
        ctx.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        cases = [
            (f"{OLD}/de/comparison/", True, ["/latest/de/comparison/"]),
            (f"{OLD}/{RETIRED}/", True, ["/latest/"]),
            (f"{OLD}/ja/{RETIRED}/", True, ["/latest/ja/"]),
            (f"{NEW}/de/comparison/", False, []),
            ("latest/", False, []),
        ]
        for path, shown, links in cases:
            page = ctx.new_page()  # a new page, a new session: nothing remembered
            page.on("pageerror", lambda e, path=path: problems.append(f"{path}: {e}"))
            page.on("console", lambda m, path=path: problems.append(f"{path}: {m.text}") if m.type == "error" else None)
            _dom_content_loaded_state(page)
            page.goto(f"{server}/{path}", wait_until="domcontentloaded")
            state = page.evaluate("window.__atDCL")
            assert state["shown"] is shown, f"{path} at DOMContentLoaded: {state}"
            assert [urlsplit(link).path for link in state["links"]] == links, path
            # Once versions.json has arrived, Material agrees.
            page.wait_for_selector(".md-version__current", timeout=15_000)
            assert page.locator("[data-md-component=outdated]").is_visible() is shown, path
            page.close()
    finally:
        ctx.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("link", "site_url", "expected"),
    [
        ("/de/", None, "de/"),
        ("/", None, "./"),
        ("/1.0/de/", "https://example.org/1.0", "de/"),
        ("/1.0/", "https://example.org/1.0/", "./"),
        ("/docs/1.0/ja/", "https://example.org/docs/1.0/", "ja/"),
        ("/elsewhere/de/", "https://example.org/docs/", "/elsewhere/de/"),
        ("de/glossary/", "https://example.org/", "de/glossary/"),
        ("https://example.org/de/", None, "https://example.org/de/"),
        ("//cdn.example.org/de/", None, "//cdn.example.org/de/"),
    ],
)
def test_site_relative(link: str, site_url: str | None, expected: str) -> None:
    assert site_relative(link, site_url) == expected


def test_hreflang_alternates_are_absolute_inside_the_edition_with_x_default() -> None:
    alternates = [{"lang": "en", "link": "comparison/"}, {"lang": "de", "link": "de/comparison/"}]
    # mike's site_url has the version appended without a slash ("https://x/docs/1.0").
    assert hreflang_alternates(alternates, "https://x.org/docs/1.0", "en") == [
        ("en", "https://x.org/docs/1.0/comparison/"),
        ("de", "https://x.org/docs/1.0/de/comparison/"),
        ("x-default", "https://x.org/docs/1.0/comparison/"),
    ]
    home = [{"lang": "en", "link": "./"}, {"lang": "ja", "link": "ja/"}]
    assert hreflang_alternates(home, "https://x.org/", "ja")[-1] == ("x-default", "https://x.org/ja/")
    assert hreflang_alternates(alternates, None, "en") == []  # no site_url: nothing absolute to give
