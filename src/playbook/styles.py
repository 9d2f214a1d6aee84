"""Material's stylesheet without the rules no page of the site can match (issue #10: first view, style work).

Material ships one stylesheet for every feature it has (blog, tags, tabs, annotations, Mermaid,
code annotations, twenty admonition types...). :func:`trim` keeps a rule when every class its
selector requires appears somewhere in the built site: as a word of any HTML page (class
attributes, inline scripts) or of any script the site serves (Material's bundle builds the
search results, the version selector, tooltips and dialogs from class names written in it).
A class built in a script from a prefix (``md-tag--${...}``) keeps every class with that prefix.

Conservative by construction: classes inside functional pseudo-classes (``:is()``, ``:not()``,
``:where()``, ``:has()``) and every rule without a class (elements, attributes, ``:root``,
``@font-face``, ``@keyframes``) are kept; only a selector that names a class the site never
contains is dropped, and a rule whose selectors are all dropped. Pure: text in, text out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import tinycss2
from tinycss2 import ast

#: Words in HTML and scripts: a class name is one word of these characters.
WORD = re.compile(r"[A-Za-z0-9_-]+")
#: A class name a script completes at run time: `md-tag--${name}`.
PREFIX = re.compile(r"([A-Za-z0-9_-]+)\$\{")
#: At-rules whose blocks hold rules (trimmed inside); every other at-rule is kept whole.
#: A custom property a rule reads.
VAR = re.compile(r"var\(\s*(--[A-Za-z0-9_-]+)")
NESTED = {"media", "supports", "layer", "container"}


#: A class attribute of an HTML start tag (double-, single- or unquoted value).
CLASS_ATTR = re.compile(r"""\sclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)
#: An inline script's text.
SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)


class Corpus:
    """The class names the site's pages carry, the words of its scripts, and the prefixes they complete."""

    def __init__(self, pages: Iterable[str], scripts: Iterable[str]) -> None:
        self.words: set[str] = set()
        self.prefixes: set[str] = set()
        texts = list(scripts)
        # Regular expressions, not an HTML parser (a third of the time of a warm build): they
        # also see class attributes inside comments and scripts, which only keeps more rules.
        for page in pages:
            for match in CLASS_ATTR.finditer(page):
                self.words.update("".join(match.groups(default="")).split())
            texts.extend(SCRIPT.findall(page))
        for text in texts:
            self.words.update(WORD.findall(text))
            self.prefixes.update(p for p in PREFIX.findall(text) if re.match(r"[A-Za-z]", p))

    def has(self, name: str) -> bool:
        """Whether class ``name`` can occur on the site."""
        return name in self.words or any(name.startswith(p) for p in self.prefixes)


def split_selectors(prelude: list[ast.Node]) -> list[list[ast.Node]]:
    """Split a selector list at its top-level commas."""
    out: list[list[ast.Node]] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            out.append([])
        else:
            out[-1].append(token)
    return out


def _required_classes(selector: list[ast.Node]) -> list[str]:
    """Classes a selector requires outside functional pseudo-classes (`.a` is a `.` then an ident)."""
    names = []
    for previous, token in zip([None, *selector], selector, strict=False):
        if token.type == "ident" and previous is not None and previous.type == "literal" and previous.value == ".":
            names.append(token.value)
    return names


def _trim_rules(rules: list[ast.Node], corpus: Corpus) -> list[ast.Node]:
    kept: list[ast.Node] = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s for s in split_selectors(rule.prelude) if all(corpus.has(c) for c in _required_classes(s))]
            if not selectors:
                continue
            prelude: list[ast.Node] = []
            for i, selector in enumerate(selectors):
                if i:
                    prelude.append(ast.LiteralToken(0, 0, ","))
                prelude.extend(selector)
            rule.prelude = prelude
            kept.append(rule)
        elif rule.type == "at-rule" and rule.lower_at_keyword in NESTED and rule.content is not None:
            inner = _trim_rules(tinycss2.parse_rule_list(rule.content), corpus)
            if not inner:
                continue
            rule.content = inner
            kept.append(rule)
        elif rule.type in ("at-rule", "qualified-rule"):
            kept.append(rule)
    return kept


def _qualified(rules: list[ast.Node]) -> Iterable[ast.QualifiedRule]:
    for rule in rules:
        if rule.type == "qualified-rule":
            yield rule
        elif rule.type == "at-rule" and rule.lower_at_keyword in NESTED and isinstance(rule.content, list):
            yield from _qualified(rule.content)


def _drop_unread_properties(rules: list[ast.Node], corpus: Corpus) -> None:
    """Remove custom properties (``--x: ...``) that no kept rule reads with ``var()`` and no script names."""
    read = set(VAR.findall(tinycss2.serialize(rules)))
    for rule in _qualified(rules):
        if not any(t.type == "ident" and t.value.startswith("--") for t in rule.content):
            continue
        declarations = tinycss2.parse_blocks_contents(rule.content)
        kept = [
            d
            for d in declarations
            if d.type != "declaration" or not d.name.startswith("--") or d.name in read or d.name in corpus.words
        ]
        if len(kept) != len(declarations):
            text = "".join(tinycss2.serialize([d]) for d in kept if d.type != "whitespace")
            rule.content = tinycss2.parse_component_value_list(text)


def trim(css: str, corpus: Corpus) -> str:
    """``css`` without the rules and selectors that need a class ``corpus`` never contains."""
    rules = _trim_rules(tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=True), corpus)
    _drop_unread_properties(rules, corpus)
    return tinycss2.serialize(rules)


#: Material's stylesheet inside a built site (its name carries Material's hash of the original).
MATERIAL_CSS = "assets/stylesheets/main.*.min.css"


def trim_site(site: Path) -> tuple[int, int]:
    """Trim Material's stylesheet of a built site in place (every language's pages and scripts read).

    Returns the sizes before and after. The stale source map beside it is removed. The same
    pages give the same bytes, so two builds stay identical.
    """
    sheets = sorted(site.glob(MATERIAL_CSS))
    if len(sheets) != 1:
        raise StylesError(f"{site}: expected one Material stylesheet ({MATERIAL_CSS}), found {len(sheets)}")
    sheet = sheets[0]
    files = sorted(p for p in site.rglob("*") if p.suffix in (".html", ".js", ".css") and p.is_file() and p != sheet)
    pages = [p.read_text(encoding="utf-8") for p in files if p.suffix == ".html"]
    others = [p.read_text(encoding="utf-8") for p in files if p.suffix != ".html"]
    css = sheet.read_text(encoding="utf-8")
    trimmed = trim(css, Corpus(pages, others))
    sheet.write_text(trimmed, encoding="utf-8")
    sheet.with_name(sheet.name + ".map").unlink(missing_ok=True)
    return len(css.encode()), len(trimmed.encode())


class StylesError(RuntimeError):
    """The built site does not have the stylesheet layout Material writes."""
