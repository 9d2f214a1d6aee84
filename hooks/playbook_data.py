"""Load and validate the playbook's YAML data files (pure: never imports mkdocs).

Every data file is checked against a JSON Schema in ``schemas/`` and against the language
list in ``data/languages.yml``. Problems are raised as one :class:`DataError` that names the
file, the field path, the line where YAML knows it, and what is expected instead, so that
contributors can fix a file without reading Python.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import pickle
import sys
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml

if TYPE_CHECKING:
    import jsonschema

T = TypeVar("T")

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


class DataError(Exception):
    """A data file is invalid; the message says where and what to write instead."""


@dataclass(frozen=True)
class Language:
    """One site language, as declared in data/languages.yml."""

    code: str
    name: str
    site_name: str
    site_description: str


@dataclass(frozen=True)
class Languages:
    """The ordered language list; ``default`` is the source language for translations."""

    default: str
    items: tuple[Language, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        """Language codes in declaration order."""
        return tuple(lang.code for lang in self.items)


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


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Read ``schemas/<name>.schema.json`` (shipped with the repo, so it is safe to cache)."""
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


def _describe(error: jsonschema.ValidationError) -> str:
    """Turn a jsonschema error into a sentence about what to write."""
    if error.validator == "required":
        missing = [p for p in error.validator_value if p not in (error.instance or {})]
        return f"missing required field {', '.join(repr(m) for m in missing)}"
    if error.validator == "type":
        return f"expected {error.validator_value}, found {type(error.instance).__name__} {error.instance!r}"
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return f"{error.message}; allowed fields: {', '.join(allowed)}"
    if error.validator == "pattern":
        return f"{error.instance!r} does not match {error.validator_value} (lower-case kebab-case id expected)"
    return error.message


def validate(doc: Document, schema_name: str) -> None:
    """Validate ``doc`` against a schema; raise one DataError listing every problem."""
    canonical = json.dumps(doc.data, sort_keys=True, ensure_ascii=False, default=str)
    problems = [doc.error(parts, message) for parts, message in _schema_errors(schema_name, canonical)]
    if problems:
        raise DataError("\n".join(problems))


@lru_cache(maxsize=256)
def _schema_errors(schema_name: str, canonical: str) -> tuple[tuple[tuple[str | int, ...], str], ...]:
    """Schema problems of one JSON document, memoised: every language build checks the same data."""
    import jsonschema  # ~25 ms: only when data is checked, not when it comes from the cache

    validator = jsonschema.Draft202012Validator(load_schema(schema_name))
    errors = sorted(validator.iter_errors(json.loads(canonical)), key=lambda e: [str(p) for p in e.absolute_path])
    return tuple((tuple(err.absolute_path), _describe(err)) for err in errors)


def files_digest(paths: Iterable[Path], root: Path) -> str:
    """Hash the names (relative to ``root``) and bytes of ``paths``; a missing file hashes as missing."""
    h = hashlib.sha256()
    for path in paths:
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(path.read_bytes() if path.is_file() else b"<missing>")
        h.update(b"\0")
    return h.hexdigest()


def code_digest() -> str:
    """Hash of what a loaded result depends on besides the data: this code, the schemas, the libraries."""
    global _CODE_DIGEST  # noqa: PLW0603 - computed once per process
    if _CODE_DIGEST is None:
        h = hashlib.sha256(f"{sys.version}\n".encode())
        for path in sorted([*Path(__file__).parent.glob("*.py"), *SCHEMA_DIR.glob("*.json")]):
            h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        for name in ("PyYAML", "jsonschema"):
            h.update(f"{name}=={metadata.version(name)}\n".encode())
        _CODE_DIGEST = h.hexdigest()
    return _CODE_DIGEST


_CODE_DIGEST: str | None = None


def memoise_on_files(
    inputs: Callable[[Path], Iterable[Path]], disk: Callable[[Path], Path] | None = None, size: int = 8
) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Memoise ``load(data_dir, *args)`` on the bytes of the files ``inputs(data_dir)`` lists.

    static-i18n builds the site once per language and ``mkdocs serve`` rebuilds it on every edit;
    each build asks for the same tables and templates many times. Reading and hashing a few small
    files is far cheaper than parsing and validating them, and any edit changes the key, so a
    result is never stale. Failures are not memoised: a broken file fails every build until it is
    fixed. Results are shared, so they must be immutable (frozen dataclasses, tuples).

    With ``disk`` (``data_dir`` -> a folder, e.g. ``<project>/.cache/data``) a result is also
    pickled there, keyed on the same bytes plus this code, the schemas and the library versions,
    so the next build of unchanged data skips parsing and validation too. Only the newest result
    of each loader is kept; an unreadable file there is ignored and written again.
    """

    def decorate(load: Callable[..., T]) -> Callable[..., T]:
        results: OrderedDict[tuple[Hashable, ...], T] = OrderedDict()
        name = f"{load.__module__}.{load.__qualname__}"

        def from_disk(data_dir: Path, args: tuple[Hashable, ...], digest: str) -> T:
            if disk is None:
                return load(data_dir, *args)
            key = hashlib.sha256(f"{name}\n{args!r}\n{digest}\n{code_digest()}".encode()).hexdigest()[:32]
            path = disk(data_dir) / f"{name}-{key}.pickle"
            result = read_pickle(path)
            if result is MISSING:
                result = load(data_dir, *args)
                write_pickle(path, result, f"{name}-*.pickle")
            return result

        @functools.wraps(load)
        def memoised(data_dir: Path, *args: Hashable) -> T:
            digest = files_digest(inputs(data_dir), data_dir)
            key = (str(data_dir), args, digest)
            if key in results:
                results.move_to_end(key)
                return results[key]
            result = from_disk(data_dir, args, digest)
            results[key] = result
            while len(results) > size:
                results.popitem(last=False)
            return result

        memoised.cache_clear = results.clear  # type: ignore[attr-defined]
        return memoised

    return decorate


#: What :func:`read_pickle` returns when there is nothing usable.
MISSING: Any = object()


def read_pickle(path: Path) -> Any:
    """A value pickled by :func:`write_pickle`, or ``MISSING`` if the file is absent or unreadable."""
    try:
        return pickle.loads(path.read_bytes())  # noqa: S301 - the project's own cache folder
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError):
        return MISSING


def write_pickle(path: Path, value: Any, stale: str) -> None:
    """Pickle ``value`` to ``path`` atomically, first removing older files matching ``stale``.

    Errors are ignored: a read-only checkout still builds, only without the cache.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(stale):
            old.unlink(missing_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(path)
    except OSError:
        pass


def cache_folder(project: Path | str, part: str) -> Path:
    """``<project>/.cache/<part>``: the build caches (git-ignored; ``data``, ``downloads``, ``jinja``).

    ``project`` is the project folder or its ``mkdocs.yml`` (``config.config_file_path``).
    """
    root = Path(project)
    return (root.parent if root.is_file() else root) / ".cache" / part


def project_cache(data_dir: Path) -> Path:
    """``<project>/.cache/data`` for a project's ``data/`` folder."""
    return cache_folder(data_dir.parent, "data")


def load_each(paths: Iterable[Path], load: Callable[[Path], T]) -> tuple[list[T], list[str]]:
    """Load every file, collecting each file's DataError instead of stopping at the first."""
    loaded: list[T] = []
    problems: list[str] = []
    for path in paths:
        try:
            loaded.append(load(path))
        except DataError as exc:
            problems.append(str(exc))
    return loaded, problems


def load_entity(path: Path, schema_name: str, label: str | None = None) -> tuple[Document, list[str]]:
    """Parse and schema-check a file whose ``id`` must equal its file name.

    Returns the document and the problems found so far, so the caller can add its own checks
    and report everything at once.
    """
    doc = Document(path, label)
    validate(doc, schema_name)
    problems = []
    if doc.data["id"] != path.stem:
        problems.append(doc.error(("id",), f"id {doc.data['id']!r} must equal the file name {path.stem!r}"))
    return doc, problems


def duplicate_ids(
    doc: Document, items: list[dict[str, Any]], path: tuple[str | int, ...], seen: set[str] | None = None
) -> list[str]:
    """Report ``id`` values used twice in a list (share ``seen`` when ids must be unique across lists)."""
    seen = set() if seen is None else seen
    problems = []
    for index, item in enumerate(items):
        if item["id"] in seen:
            problems.append(doc.error(path + (index, "id"), f"duplicate id {item['id']!r}; ids must be unique"))
        seen.add(item["id"])
    return problems


def check_texts(doc: Document, value: Any, parts: tuple[str | int, ...], languages: Languages) -> list[str]:
    """Find localized-text mappings under ``value`` with unknown or missing languages."""
    problems: list[str] = []
    if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()) and _is_text(value):
        unknown = [k for k in value if k not in languages.codes]
        missing = [c for c in languages.codes if c not in value or not str(value[c]).strip()]
        for code in unknown:
            problems.append(
                doc.error(
                    parts + (code,),
                    f"unknown language {code!r}; expected one of "
                    f"{', '.join(languages.codes)} (declared in data/languages.yml)",
                )
            )
        if missing:
            problems.append(
                doc.error(
                    parts,
                    f"missing translation for {', '.join(missing)}; "
                    f"add the text under {', '.join(m + ':' for m in missing)}",
                )
            )
    elif isinstance(value, dict):
        for key, child in value.items():
            problems += check_texts(doc, child, parts + (key,), languages)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            problems += check_texts(doc, child, parts + (index,), languages)
    return problems


def _is_text(value: dict[str, Any]) -> bool:
    """A localized text is a mapping whose keys all look like language codes."""
    return all(isinstance(k, str) and len(k) == 2 and k.isalpha() and k.islower() for k in value)


@memoise_on_files(lambda data_dir: [data_dir / "languages.yml"], project_cache)
def load_languages(data_dir: Path) -> Languages:
    """Read and validate ``data/languages.yml``."""
    doc = Document(data_dir / "languages.yml", "data/languages.yml")
    validate(doc, "languages")
    items = tuple(Language(e["code"], e["name"], e["site_name"], e["site_description"]) for e in doc.data["languages"])
    codes = [lang.code for lang in items]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        raise DataError(doc.error(("languages",), f"duplicate language code {', '.join(dupes)}"))
    if doc.data["default"] not in codes:
        raise DataError(doc.error(("default",), f"{doc.data['default']!r} is not one of {', '.join(codes)}"))
    return Languages(doc.data["default"], items)


@memoise_on_files(lambda data_dir: [data_dir / "languages.yml", data_dir / "ui.yml"], project_cache)
def load_ui_strings(data_dir: Path, languages: Languages) -> dict[str, dict[str, str]]:
    """Read ``data/ui.yml``; return ``{language: {key: text}}`` for every language."""
    doc = Document(data_dir / "ui.yml", "data/ui.yml")
    validate(doc, "ui")
    problems = check_texts(doc, doc.data["strings"], ("strings",), languages)
    if problems:
        raise DataError("\n".join(problems))
    return {code: {key: text[code] for key, text in doc.data["strings"].items()} for code in languages.codes}
