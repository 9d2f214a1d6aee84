"""Structural parity of a translated page with its English source (pure: never imports mkdocs).

A translation carries every section, table, list, tip, link, image and marker of the English
page, no more and no less. :func:`outline` reads the parts of a page that a reader can count
(line by line, as Python-Markdown's block parser sees them; code blocks are skipped), and
:func:`compare` names what is missing or extra::

    ## How the two definitions meet: missing
    table 2: 5 rows, English has 6
    tip "Start small": missing

Only structure is compared, never wording: headings by level (and explicit ``{#id}``), admonitions
by kind, tables by rows and columns, lists by items, links and images by target, markers exactly.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from playbook import markers
from playbook.translations.status import split_front_matter

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]*\{[^}]*#([\w-]+)[^}]*\})?[ \t]*#*[ \t]*$")
_ADMONITION = re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?)[ \t]+([\w-]+)(?:[ \t]+\"([^\"]*)\")?")
_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d+[.)])[ \t]+")
_LINK = re.compile(r"(!?)\[(?:[^\]\[]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_ABBREVIATION = re.compile(r"^\*\[[^\]]+\]:")


@dataclass(frozen=True)
class Heading:
    """A heading: its level, text and explicit id (``{#id}``) if any."""

    level: int
    text: str
    anchor: str | None


@dataclass
class Outline:
    """What a reader can count on a page."""

    headings: list[Heading] = field(default_factory=list)
    admonitions: list[tuple[str, str]] = field(default_factory=list)  # (kind, title)
    tables: list[tuple[int, int]] = field(default_factory=list)  # (rows, columns)
    lists: list[int] = field(default_factory=list)  # items of each list, in order (nested lists too)
    links: Counter[str] = field(default_factory=Counter)
    images: Counter[str] = field(default_factory=Counter)
    markers: list[str] = field(default_factory=list)


def _cells(row: str) -> int:
    return len(row.strip().strip("|").split("|"))


def outline(text: str) -> Outline:
    """The countable structure of a page (front matter and code excluded)."""
    _, body = split_front_matter(text)
    out = Outline()
    out.markers = [f"<!-- {m.namespace}:{m.name}{' ' + m.argument if m.argument else ''} -->" for m in _markers(body)]
    lines = body.splitlines()
    fence: str | None = None
    table: list[str] = []
    open_lists: dict[int, int] = {}  # indent -> index into out.lists
    previous_blank = True

    def close_table() -> None:
        if table:
            out.tables.append((max(len(table) - 2, 0), _cells(table[0])))
            table.clear()

    for line in [*lines, ""]:
        opener = _FENCE.match(line)
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        if opener:
            fence = opener.group(1)[0] * len(opener.group(1))
            continue
        stripped = line.strip()
        if stripped.startswith("|"):
            table.append(stripped)
            continue
        close_table()
        if _ABBREVIATION.match(stripped):
            continue
        heading = _HEADING.match(line)
        item = _ITEM.match(line)
        if heading:
            out.headings.append(Heading(len(heading.group(1)), heading.group(2).strip(), heading.group(3)))
            open_lists.clear()
        elif (admonition := _ADMONITION.match(line)) is not None:
            out.admonitions.append((admonition.group(1), admonition.group(2) or ""))
            open_lists.clear()
        elif item:
            indent = len(item.group(1).expandtabs(4))
            for deeper in [i for i in open_lists if i > indent]:
                del open_lists[deeper]
            if indent not in open_lists:
                open_lists[indent] = len(out.lists)
                out.lists.append(0)
            out.lists[open_lists[indent]] += 1
        elif stripped and previous_blank and not line.startswith((" ", "\t")):
            open_lists.clear()  # a paragraph after a blank line ends every open list
        previous_blank = not stripped
        for bang, target in _LINK.findall(line):
            (out.images if bang else out.links)[target] += 1
    return out


def _markers(body: str) -> list[markers.Marker]:
    try:
        return markers.find(body, "<page>")
    except markers.MarkerError:
        return []  # near misses are the preflight's to report


def _name(heading: Heading) -> str:
    return f"{'#' * heading.level} {heading.text}"


def compare(source: Outline, translation: Outline) -> list[str]:
    """What the translation lacks or adds, one line each, named from the English page."""
    problems: list[str] = []
    src = [(h.level, h.anchor) for h in source.headings]
    dst = [(h.level, h.anchor) for h in translation.headings]
    for op, a1, a2, b1, b2 in SequenceMatcher(None, src, dst, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            problems += [f"{_name(h)}: missing" for h in source.headings[a1:a2]]
        if op in ("insert", "replace"):
            problems += [f"{_name(h)}: extra (not in English)" for h in translation.headings[b1:b2]]
    for h_src, h_dst in zip(source.headings, translation.headings, strict=False):
        if h_src.anchor and h_src.anchor != h_dst.anchor and (h_src.level, h_src.anchor) in dst:
            continue
    src_kinds = [kind for kind, _ in source.admonitions]
    dst_kinds = [kind for kind, _ in translation.admonitions]
    for op, a1, a2, b1, b2 in SequenceMatcher(None, src_kinds, dst_kinds, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            problems += [f'{kind} "{title}": missing' if title else f"{kind}: missing" for kind, title in
                         source.admonitions[a1:a2]]  # fmt: skip
        if op in ("insert", "replace"):
            problems += [f'{kind} "{title}": extra (not in English)' for kind, title in translation.admonitions[b1:b2]]
    problems += _counted("table", source.tables, translation.tables, lambda t: f"{t[0]} rows, {t[1]} columns")
    problems += _counted("list", source.lists, translation.lists, lambda n: f"{n} items")
    problems += _targets("link", source.links, translation.links)
    problems += _targets("image", source.images, translation.images)
    if source.markers != translation.markers:
        missing = [m for m in source.markers if m not in translation.markers]
        extra = [m for m in translation.markers if m not in source.markers]
        problems += [f"marker {m}: missing" for m in missing] + [f"marker {m}: extra (not in English)" for m in extra]
        if not missing and not extra:
            problems.append("markers: not in the English order " + ", ".join(source.markers))
    return problems


def _counted(what: str, source: list, translation: list, describe) -> list[str]:
    if len(source) != len(translation):
        return [f"{what}s: {len(translation)}, English has {len(source)}"]
    return [
        f"{what} {index}: {describe(dst)}, English has {describe(src)}"
        for index, (src, dst) in enumerate(zip(source, translation, strict=True), start=1)
        if src != dst
    ]


def _targets(what: str, source: Counter[str], translation: Counter[str]) -> list[str]:
    problems = [f"{what} to {target}: missing" for target in sorted(source - translation)]
    return problems + [f"{what} to {target}: extra (not in English)" for target in sorted(translation - source)]


def page_problems(source_text: str, translation_text: str) -> list[str]:
    """Structural differences between an English page and its translation (empty: complete)."""
    return compare(outline(source_text), outline(translation_text))
