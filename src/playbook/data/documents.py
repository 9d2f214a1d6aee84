"""Parse a YAML data file and point at its fields (pure: never imports mkdocs).

:class:`Document` keeps the text of a file beside its parsed data so that a problem can be
reported as ``file, line N, field a.b: what to write instead``; :class:`DataError` carries such
messages to the build, the CLI and the tests.
"""

from __future__ import annotations

import copy
import re
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


# libyaml's C parser when PyYAML was built with it (the pinned wheels are): 10x faster.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Limits on what a contributor's file may ask of the build (the largest data file is ~15 KB).
MAX_BYTES = 256 * 1024
MAX_DEPTH = 24

_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$")
_BOOL = {"true": True, "false": False}


class StrictYAMLError(yaml.MarkedYAMLError):
    """YAML that parses but is not plain JSON-typed data (an alias, a tag, a duplicate key ...)."""

    def __init__(self, problem: str, mark: yaml.Mark | None) -> None:
        super().__init__(problem=problem, problem_mark=mark)


def _quote_hint(node: yaml.ScalarNode, reading: str) -> str:
    return f"{node.value!r} would be read as {reading}; write it in quotes ('{node.value}') if it is text"


class StrictLoader(_Base):  # type: ignore[misc,valid-type]
    """JSON types only: text, finite numbers, true/false, null, lists and mappings with text keys.

    YAML 1.1 reads ``no`` as false, ``1:30`` as 90, ``0x1F`` as 31 and ``2026-01-01`` as a date;
    here a date is text and the other readings are refused, so nothing a contributor typed is
    silently reinterpreted. Aliases, anchors and tags are refused before construction
    (:func:`_check_events`), so ten lines of nested aliases cannot expand into gigabytes.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:
        """Build a mapping with text keys, each at most once."""
        mapping: dict[str, Any] = {}
        first: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise StrictYAMLError("merge keys (<<) are not allowed; write every key out", key_node.start_mark)
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                raise StrictYAMLError(
                    f"the key {key_node.value!r} is not text; write it in quotes ('{key_node.value}')",
                    key_node.start_mark,
                )
            if key in mapping:
                raise StrictYAMLError(
                    f"duplicate key {key!r} (first on line {first[key]}); write each key once",
                    key_node.start_mark,
                )
            first[key] = key_node.start_mark.line + 1
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_strict_int(self, node: yaml.ScalarNode) -> int:
        """Decimal integers only (no 0x1F, 0o17, 1_000 or 1:30)."""
        if not _INT.match(node.value):
            raise StrictYAMLError(_quote_hint(node, "a number") + ", or write a plain decimal number", node.start_mark)
        return int(node.value)

    def construct_strict_float(self, node: yaml.ScalarNode) -> float:
        """Finite decimal numbers only (no .inf, .nan or 1_000.5)."""
        if not _FLOAT.match(node.value):
            raise StrictYAMLError(_quote_hint(node, "a number") + ", or write a finite decimal number", node.start_mark)
        return float(node.value)

    def construct_strict_bool(self, node: yaml.ScalarNode) -> bool:
        """``true`` and ``false`` only (YAML 1.1 also reads yes/no/on/off)."""
        value = _BOOL.get(node.value.lower())
        if value is None:
            raise StrictYAMLError(_quote_hint(node, "true/false") + ", or write true or false", node.start_mark)
        return value

    def construct_text(self, node: yaml.ScalarNode) -> str:
        """A date or time stays the text it was written as."""
        return self.construct_scalar(node)


StrictLoader.add_constructor("tag:yaml.org,2002:int", StrictLoader.construct_strict_int)
StrictLoader.add_constructor("tag:yaml.org,2002:float", StrictLoader.construct_strict_float)
StrictLoader.add_constructor("tag:yaml.org,2002:bool", StrictLoader.construct_strict_bool)
StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", StrictLoader.construct_text)
for _tag in ("binary", "set", "omap", "pairs", "value"):
    StrictLoader.yaml_constructors.pop(f"tag:yaml.org,2002:{_tag}", None)


def _check_events(text: str) -> None:
    """Refuse aliases, anchors, tags and deep nesting while only events exist (nothing expanded yet)."""
    depth = 0
    for event in yaml.parse(text, Loader=_Base):
        if isinstance(event, yaml.AliasEvent):
            raise StrictYAMLError(
                f"aliases (*{event.anchor}) are not allowed; write the value out in full", event.start_mark
            )
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            raise StrictYAMLError(
                f"anchors (&{event.anchor}) are not allowed; write each value out in full", event.start_mark
            )
        tag = getattr(event, "tag", None)
        if tag is not None and isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            raise StrictYAMLError(
                f"tags ({tag}) are not allowed; write plain text, a number, true/false or null", event.start_mark
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise StrictYAMLError(f"nested more than {MAX_DEPTH} levels deep; flatten the data", event.start_mark)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def parse_yaml(text: str) -> Any:
    """Parse YAML text strictly (see :class:`StrictLoader`); the caller gets its own copy of the data."""
    return copy.deepcopy(_parse(text))


@lru_cache(maxsize=128)
def _parse(text: str) -> Any:
    """Parse YAML text, memoised on the text itself.

    static-i18n rebuilds the site once per language and every build reads the same files; keying
    on the text means an edited file is always parsed again.
    """
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise StrictYAMLError(f"the file is {size // 1024} KB; the limit is {MAX_BYTES // 1024} KB, split it", None)
    _check_events(text)
    return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - a safe loader (SafeConstructor, JSON types)


def decode(raw: bytes, label: str) -> str:
    """UTF-8 text of a file, or a DataError naming the line of the first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DataError(
            f"{label}, line {line}: byte 0x{raw[exc.start]:02x} is not UTF-8 text; save the file as UTF-8"
        ) from exc


def yaml_problem(exc: yaml.YAMLError, label: str, text: str = "", line_offset: int = 0) -> str:
    """One line about a YAML error: ``file, line N: what is wrong and what to write instead``."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f", line {mark.line + 1 + line_offset}" if mark else ""
    if isinstance(exc, StrictYAMLError):
        return f"{label}{where}: {exc.problem}"
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1 + line_offset
        return f"{label}, line {line}: the control character {exc.character:#04x} is not allowed in YAML; remove it"
    problem = getattr(exc, "problem", None) or str(exc)
    if "another document" in problem:
        return f"{label}{where}: a second document ('---'); a file holds one document, remove the line"
    return (
        f"{label}{where}: invalid YAML ({problem}). "
        "Check indentation and quote text that contains ': ' or starts with a special character."
    )


def load_text(text: str, label: str, line_offset: int = 0) -> Any:
    """Strictly parse YAML ``text``; a problem is one DataError naming ``label`` and the line."""
    try:
        return parse_yaml(text)
    except yaml.YAMLError as exc:
        raise DataError(yaml_problem(exc, label, text, line_offset)) from exc
    except RecursionError as exc:  # pragma: no cover - _check_events limits nesting first
        raise DataError(f"{label}: nested too deeply; flatten the data") from exc


class Document:
    """A parsed YAML file that remembers where each field came from."""

    def __init__(self, path: Path, label: str | None = None) -> None:
        """Parse ``path``; ``label`` is the name used in messages (default: the path)."""
        self.path = path
        self.label = label or str(path)
        self.line_offset = 0
        self.text = self.decode_file(path, self.label)
        self.data = load_text(self.text, self.label)

    @staticmethod
    def decode_file(path: Path, label: str) -> str:
        """The UTF-8 text of a file, or a DataError naming it (and the line of a bad byte)."""
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise DataError(f"{label}: cannot read the file ({exc.strerror}).") from exc
        return decode(raw, label)

    @classmethod
    def from_text(cls, text: str, label: str, line_offset: int = 0) -> Document:
        """Parse YAML that sits ``line_offset`` lines into a file (a page's front matter)."""
        doc = cls.__new__(cls)
        doc.path, doc.label, doc.line_offset, doc.text = Path(label), label, line_offset, text
        doc.data = load_text(text, label, line_offset)
        return doc

    @cached_property
    def node(self) -> yaml.Node | None:
        """The YAML node tree, composed only when a message needs line numbers."""
        return yaml.compose(self.text, Loader=_Base)

    def error(self, parts: tuple[str | int, ...], message: str) -> str:
        """Format one problem as ``file, line N, field a.b: message``."""
        line = _line_of(self.node, parts)
        where = f", line {line + self.line_offset}" if line else ""
        return f"{self.label}{where}, field {field_path(parts)}: {message}"
