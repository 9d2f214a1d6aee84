"""Find and expand ``<!-- namespace:name argument -->`` markers in page Markdown (pure).

Markers are HTML comments on a line of their own, e.g. ``<!-- table:differences -->``. Each
namespace has a handler; an unknown namespace, a name its handler does not know, or a comment
that looks like a marker but is not one (``<!-- Table:x -->``, ``<!-- table: x -->``, indented,
inline) raises :class:`MarkerError` with a "did you mean" hint, so a typo fails the build instead
of leaving a hole in the page. Ordinary comments (``<!-- TODO: ... -->``) and markers inside code
are left alone.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

#: Every marker namespace and the forms it takes (for messages; the handlers live in the hooks).
NAMESPACES: dict[str, str] = {
    "table": "<!-- table:<id> -->",
    "ws": "<!-- ws:preview <id> [example] -->, <!-- ws:download <id> [blank|example] --> or <!-- ws:checklist <id> -->",
    "i18n": "<!-- i18n:status --> or <!-- i18n:terms -->",
    "calc": "<!-- calc:funnel --> or <!-- calc:steps -->",
}
MARKER = re.compile(r"^<!--[ \t]*([a-z0-9]+):([a-z0-9-]+)(?:[ \t]+([^\n>]*?))?[ \t]*-->[ \t]*$")
#: Any comment that starts like ``word:``: a marker, a near miss, or an ordinary note.
_LOOSE = re.compile(r"<!--[ \t]*([A-Za-z0-9_-]+)[ \t]*:([^\n]*?)-->")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")

#: A handler receives (name, argument) and returns the replacement (HTML or Markdown); it raises
#: KeyError with a message for a name or argument it does not know.
Handler = Callable[[str, str], str]


class MarkerError(Exception):
    """A marker names an unknown namespace or item, or a comment looks like a marker but is not one."""


@dataclass(frozen=True)
class Marker:
    """One marker: ``<!-- namespace:name argument -->`` on line ``line`` of the page file."""

    namespace: str
    name: str
    argument: str
    line: int
    start: int
    end: int


def mask_code(markdown: str, indented_blocks: bool = True) -> str:
    """The page with code (fenced blocks, code spans and, optionally, indented blocks) blanked out.

    Offsets and line breaks are kept, so a position in the result is the same position in the page.
    The term check keeps indented lines (tips and list continuations are text there).
    """
    out, fence = [], None
    for line in markdown.splitlines(keepends=True):
        opener = _FENCE.match(line)
        if fence is None and opener:
            fence = opener.group(1)[0] * len(opener.group(1))
            out.append(re.sub(r"[^\n]", " ", line))
        elif fence is not None:
            if line.strip().startswith(fence):
                fence = None
            out.append(re.sub(r"[^\n]", " ", line))
        elif indented_blocks and line.startswith(("    ", "\t")):  # indented code (1-3 spaces: a near miss)
            out.append(re.sub(r"[^\n]", " ", line))
        else:
            out.append(_CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line))
    return "".join(out)


def _close(word: str, known: list[str]) -> str | None:
    if word.lower() in known:
        return word.lower()
    match = difflib.get_close_matches(word.lower(), known, n=1, cutoff=0.6)
    return match[0] if match else None


def find(markdown: str, where: str, line_offset: int = 0) -> list[Marker]:
    """Every marker of a page, in order; raise one MarkerError listing every near miss."""
    found, problems = _scan(markdown, where, line_offset)
    if problems:
        raise MarkerError("\n".join(text for _, text in problems))
    return found


def _scan(markdown: str, where: str, line_offset: int) -> tuple[list[Marker], list[tuple[int, str]]]:
    """Markers and (line, message) near misses of a page.

    ``where`` names the page in messages; ``line_offset`` is the number of lines above
    ``markdown`` in the file (the front matter), so lines count from the top of the file.
    Markers inside code (fenced blocks, code spans) are examples and are skipped.
    """
    masked = mask_code(markdown)
    known = sorted(NAMESPACES)
    found: list[Marker] = []
    problems: list[tuple[int, str]] = []
    for loose in _LOOSE.finditer(masked):
        line_start = masked.rfind("\n", 0, loose.start()) + 1
        line_end = masked.find("\n", loose.end())
        line_end = len(masked) if line_end == -1 else line_end
        line_text = markdown[line_start:line_end]
        line = markdown.count("\n", 0, loose.start()) + 1 + line_offset
        strict = MARKER.match(line_text)
        raw_ns, rest = loose.group(1), loose.group(2).strip()
        if strict and loose.start() == line_start:
            namespace, name, argument = strict.group(1), strict.group(2), (strict.group(3) or "").strip()
            if namespace in NAMESPACES:
                found.append(Marker(namespace, name, argument, line, line_start, line_end))
                continue
        namespace = _close(raw_ns, known)
        if namespace is None:
            if strict and loose.start() == line_start:
                problems.append((line, f"{where}, line {line}: unknown marker namespace {raw_ns!r}; {_known()}"))
            continue  # an ordinary comment such as <!-- TODO: ... -->
        words = rest.split()
        suggestion = f"<!-- {namespace}:{' '.join([words[0].lower(), *words[1:]]) if words else '<id>'} -->"
        if namespace != raw_ns:
            why = f"unknown marker namespace {raw_ns!r}" if raw_ns.lower() != namespace else "markers are lower case"
        elif line_text[: loose.start() - line_start].strip() or markdown[loose.end() : line_end].strip():
            why = "a marker stands on a line of its own"
        elif loose.start() != line_start:
            why = "a marker starts at the beginning of its line (no indentation)"
        elif rest != loose.group(2) or loose.group(2)[:1].isspace():
            why = "no space after the colon"
        else:
            why = "this is not a marker"
        problems.append((line, f"{where}, line {line}: {why}; did you mean {suggestion}? {_known()}"))
    return found, problems


def _known() -> str:
    return "Markers: " + "; ".join(NAMESPACES.values())


def expand(markdown: str, handlers: Mapping[str, Handler], where: str, line_offset: int = 0) -> str:
    """Replace every marker whose namespace has a handler; the others are left for another hook.

    Every problem (near misses, unknown names) is collected into one MarkerError.
    """
    out, last = [], 0
    found, problems = _scan(markdown, where, line_offset)
    for marker in found:
        handler = handlers.get(marker.namespace)
        if handler is None:
            continue
        try:
            replacement = handler(marker.name, marker.argument)
        except KeyError as exc:
            problems.append(
                (marker.line, f"{where}, line {marker.line}: {marker.namespace}:{marker.name}: {exc.args[0]}")
            )
            continue
        out += [markdown[last : marker.start], replacement]
        last = marker.end
    if problems:
        raise MarkerError("\n".join(text for _, text in sorted(problems)))
    return "".join(out) + markdown[last:]


def check(markdown: str, validators: Mapping[str, Handler], where: str, line_offset: int = 0) -> list[str]:
    """Every marker problem of a page as messages, rendering nothing (the build's preflight)."""
    try:
        expand(markdown, validators, where, line_offset)
    except MarkerError as exc:
        return str(exc).splitlines()
    return []


def body_offset(source: str, markdown: str) -> int:
    """Lines above ``markdown`` (the page body MkDocs hands the hooks) in its file ``source``."""
    source = source.replace("\r\n", "\n")
    if markdown and source.endswith(markdown):
        return source[: len(source) - len(markdown)].count("\n")
    return 0


def suggest(name: str, known: list[str] | tuple[str, ...] | set[str] | dict[str, object]) -> str:
    """`` (did you mean 'x'?)`` for the closest known name, or nothing."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


HELD = re.compile(r"<!-- playbook-html ([0-9a-f]{24}) -->")


class HeldHTML:
    """Rendered HTML kept away from Python-Markdown between ``on_page_markdown`` and ``on_page_content``.

    Python-Markdown would parse a rendered table again (``md_in_html`` feeds every raw HTML block
    through an HTML parser), which cost more than rendering it; a one-line comment is passed
    through untouched, and :meth:`release` swaps the HTML back in, so the HTML is final as
    rendered (no ``markdown`` attribute is needed, and none is left in the page). Each hook that
    renders markers keeps one for its run; released HTML is forgotten, so it does not grow across
    ``mkdocs serve`` rebuilds.
    """

    def __init__(self) -> None:
        """Nothing held yet."""
        self._held: dict[str, str] = {}

    def hold(self, html: str) -> str:
        """Return a placeholder for rendered ``html`` to put in the Markdown instead of the HTML."""
        key = hashlib.sha256(html.encode("utf-8")).hexdigest()[:24]
        self._held[key] = html
        return f"\n\n<!-- playbook-html {key} -->\n\n"

    def release(self, html: str) -> str:
        """Put the held HTML back in place of its placeholders in a page's HTML."""
        keys = set(HELD.findall(html))
        if not keys:
            return html
        out = HELD.sub(lambda m: self._held.get(m.group(1), m.group(0)), html)
        for key in keys:
            self._held.pop(key, None)
        return out
