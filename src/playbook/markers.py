"""Find and expand ``<!-- namespace:name argument -->`` markers in page Markdown (pure).

Markers are HTML comments on a line of their own, e.g. ``<!-- table:differences -->``. Each
namespace has a handler; an unknown namespace, or a name its handler does not know, raises
:class:`MarkerError` so a typo fails the build instead of leaving a hole in the page (as
Material's own shortcodes hook does). Comments that don't match the marker shape are left alone.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping

MARKER = re.compile(r"^<!--\s*([a-z]+):([a-z0-9-]+)(?:\s+([^>]*?))?\s*-->[ \t]*$", re.MULTILINE)

#: A handler receives (name, argument) and returns the replacement (HTML or Markdown).
Handler = Callable[[str, str], str]


class MarkerError(Exception):
    """A marker names an unknown namespace or item."""


def expand(markdown: str, handlers: Mapping[str, Handler], where: str) -> str:
    """Replace every marker in ``markdown``; ``where`` (the page path) goes into errors."""

    def replace(match: re.Match[str]) -> str:
        namespace, name, argument = match.group(1), match.group(2), match.group(3) or ""
        line = markdown.count("\n", 0, match.start()) + 1
        handler = handlers.get(namespace)
        if handler is None:
            known = ", ".join(f"{n}:" for n in sorted(handlers))
            raise MarkerError(f"{where}, line {line}: unknown marker namespace {namespace!r}; known: {known}")
        try:
            return handler(name, argument.strip())
        except KeyError as exc:
            raise MarkerError(f"{where}, line {line}: {namespace}:{name}: {exc.args[0]}") from exc

    return MARKER.sub(replace, markdown)


HELD = re.compile(r"<!-- playbook-html ([0-9a-f]{24}) -->")


class HeldHTML:
    """Rendered HTML kept away from Python-Markdown between ``on_page_markdown`` and ``on_page_content``.

    Python-Markdown would parse a rendered table again (``md_in_html`` feeds every raw HTML block
    through an HTML parser), which cost more than rendering it; a one-line comment is passed
    through untouched, and :meth:`release` swaps the HTML back in. The HTML is final either way:
    the partials mark their blocks ``markdown="0"``. Each hook that renders markers keeps one for
    its run; released HTML is forgotten, so it does not grow across ``mkdocs serve`` rebuilds.
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
