"""Material's stylesheet trimmed to what the site uses (src/playbook/styles.py, hooks/styles.py).

The rules: a rule stays when every class its selector needs (outside functional pseudo-classes)
is in the site's pages or scripts; unread custom properties go. The browser test in
tests/browser/test_browser_styles.py checks that readers see exactly what the full stylesheet shows.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import tinycss2

from playbook import styles
from playbook.styles import Corpus, trim


def corpus(classes: str = "", script: str = "") -> Corpus:
    return Corpus([f'<p class="{classes}"></p>'], [script])


def selectors(css: str) -> list[str]:
    """Every kept selector, one per complex selector, in order (inside at-rules too)."""
    out: list[str] = []

    def walk(rules: list) -> None:
        for rule in rules:
            if rule.type == "qualified-rule":
                out.extend(tinycss2.serialize(s).strip() for s in styles.split_selectors(rule.prelude))
            elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in styles.NESTED:
                walk(tinycss2.parse_rule_list(rule.content, skip_whitespace=True))

    walk(tinycss2.parse_stylesheet(css, skip_whitespace=True))
    return out


def test_rules_whose_classes_the_site_has_stay_the_others_go() -> None:
    css = ".a{color:red}.b{color:blue}.a .b{margin:0}.a,.c{padding:0}p{x:1}"
    assert selectors(trim(css, corpus("a"))) == [".a", ".a", "p"]
    assert trim(css, corpus("a")) == ".a{color:red}.a{padding:0}p{x:1}"


def test_classes_in_scripts_and_prefixes_scripts_complete_count() -> None:
    css = ".md-tag--x{a:1}.md-dialog--active{a:2}.md-other{a:3}"
    kept = trim(css, corpus(script='el.classList.add("md-dialog--active"); c = `md-tag--${name}`'))
    assert selectors(kept) == [".md-tag--x", ".md-dialog--active"]


def test_every_way_a_page_writes_a_class_attribute_counts() -> None:
    page = (
        "<div class='single one'><span CLASS = unquoted></span>"
        '<p\n  class="multi\n line" id="x"></p><!-- <i class="commented"> -->'
        '<script>document.body.className = "scripted"</script>'
        '<p data-class="not-a-class">class="in-text"</p></div>'
    )
    site = Corpus([page], [])
    for name in ("single", "one", "unquoted", "multi", "line", "commented", "scripted"):
        assert site.has(name), name
    assert not site.has("not-a-class") and not site.has("in-text")


def test_functional_pseudo_classes_keep_their_rule() -> None:
    css = ".a :is(.missing,.b){x:1}.a:not(.missing){x:2}.missing:hover{x:3}[data-x] .a{x:4}"
    assert selectors(trim(css, corpus("a"))) == [".a :is(.missing,.b)", ".a:not(.missing)", "[data-x] .a"]


def test_media_blocks_are_trimmed_inside_and_dropped_when_empty() -> None:
    css = "@media screen{.a{x:1}.b{x:2}}@media print{.b{x:3}}@font-face{font-family:f}@keyframes k{0%{x:0}}"
    assert trim(css, corpus("a")) == "@media screen{.a{x:1}}@font-face{font-family:f}@keyframes k{0%{x:0}}"


def test_unread_custom_properties_go_read_ones_stay() -> None:
    css = ":root{--used:1;--unused:2;--scripted:3;color:red}.a{x:var(--used)}.b{y:var(--unused)}"
    kept = trim(css, corpus("a", script='s.getPropertyValue("--scripted")'))
    assert kept == ":root{--used:1;--scripted:3;color:red;}.a{x:var(--used)}"


def test_the_built_site_keeps_a_smaller_material_stylesheet(built_site: Path) -> None:
    import material

    original = (Path(material.__file__).parent / "templates" / "assets" / "stylesheets").glob("main.*.min.css")
    original = next(iter(original))
    built = built_site / "assets" / "stylesheets" / original.name
    before = len(gzip.compress(original.read_bytes(), 6))
    after = len(gzip.compress(built.read_bytes(), 6))
    assert after < before - 4000, (before, after)
    assert not built.with_name(built.name + ".map").exists()  # the source map no longer matches
    # What every page needs is there: the header, the navigation, the typeset content.
    kept = set(selectors(built.read_text(encoding="utf-8")))
    assert {".md-header", ".md-nav__link", ".md-typeset table:not([class])"} <= kept
    # And what no page or script uses is gone: blog posts, the cookie consent form, keyboard keys.
    assert not any(re.search(r"\.md-post\b|\.md-consent\b|\.key-", s) for s in kept)
