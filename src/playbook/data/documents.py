"""Parse a YAML data file and point at its fields (pure: never imports mkdocs).

:class:`Document` keeps the text of a file beside its parsed data so that a problem can be
reported as ``file, line N, field a.b: what to write instead``; :class:`DataError` carries such
messages to the build, the CLI and the tests.
"""

from __future__ import annotations

import copy
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml


class DataError(Exception):
    """A data file is invalid; the message says where and what to write instead."""


def field_path(parts: tuple[str | int, ...] | list[str | int]) -> str:
    """Render a JSON path as ``rows[2].cells.aspect`` (``<root>`` for the document)."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<root>"


def _line_of(node: yaml.Node | None, parts: tuple[str | int, ...]) -> int | None:
    """Return the 1-based line of the YAML node at ``parts`` (or its nearest parent)."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in parts:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if part < len(node.value) else None
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


# libyaml's C loader when PyYAML was built with it (the pinned wheels are): 10x faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """Parse YAML text safely and fast; the caller gets its own copy of the data."""
    return copy.deepcopy(_parse(text))


@lru_cache(maxsize=128)
def _parse(text: str) -> Any:
    """Parse YAML text, memoised on the text itself.

    static-i18n rebuilds the site once per language and every build reads the same files; keying
    on the text means an edited file is always parsed again.
    """
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader (CSafeLoader or SafeLoader)


class Document:
    """A parsed YAML file that remembers where each field came from."""

    def __init__(self, path: Path, label: str | None = None) -> None:
        """Parse ``path``; ``label`` is the name used in messages (default: the path)."""
        self.path = path
        self.label = label or str(path)
        try:
            self.text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise DataError(f"{self.label}: cannot read the file ({exc.strerror}).") from exc
        try:
            self.data = parse_yaml(self.text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f", line {mark.line + 1}" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc)
            raise DataError(
                f"{self.label}{where}: invalid YAML ({problem}). "
                "Check indentation and quote text that contains ': ' or starts with a special character."
            ) from exc

    @cached_property
    def node(self) -> yaml.Node | None:
        """The YAML node tree, composed only when a message needs line numbers."""
        return yaml.compose(self.text, Loader=_Loader)

    def error(self, parts: tuple[str | int, ...], message: str) -> str:
        """Format one problem as ``file, line N, field a.b: message``."""
        line = _line_of(self.node, parts)
        where = f", line {line}" if line else ""
        return f"{self.label}{where}, field {field_path(parts)}: {message}"
