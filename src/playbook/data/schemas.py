"""Check parsed data against ``schemas/*.schema.json`` and the language list (pure).

Each check returns or raises messages made by :meth:`Document.error`, so every problem names the
file, the line, the field and what is expected; :func:`load_each` collects the problems of many
files so that a contributor sees them all at once.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from playbook.data.documents import DataError, Document

if TYPE_CHECKING:
    import jsonschema

    from playbook.data.languages import Languages

T = TypeVar("T")

#: The project's ``schemas/`` folder (this file is ``<project>/src/playbook/data/schemas.py``).
SCHEMA_DIR = Path(__file__).resolve().parents[3] / "schemas"


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Read ``schemas/<name>.schema.json`` (shipped with the repo, so it is safe to cache)."""
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


def _describe(error: jsonschema.ValidationError) -> str:
    """Turn a jsonschema error into a sentence about what to write."""
    expected = error.schema.get("x-expected") if isinstance(error.schema, dict) else None
    found = f"{type(error.instance).__name__} {error.instance!r}"
    if error.validator == "required":
        missing = [p for p in error.validator_value if p not in (error.instance or {})]
        return f"missing required field {', '.join(repr(m) for m in missing)}"
    if error.validator == "type":
        if error.validator_value == "string" and isinstance(error.instance, (bool, int, float)):
            return f"expected text, found {found}; write it in quotes"
        if error.validator_value == "string" and isinstance(error.instance, (dict, list)):
            return f"expected text, found {found}; write one line of text (quote it if it contains ': ')"
        return f"expected {error.validator_value}, found {found}"
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed)) if isinstance(error.instance, dict) else []
        if allowed:
            named = ", ".join(repr(name) + _did_you_mean(name, allowed) for name in extra)
            return f"unknown field {named}; allowed fields: {', '.join(allowed)}"
        return error.message
    if error.validator in ("pattern", "not", "format") and expected:
        return f"{error.instance!r} is not {expected}"
    if error.validator == "pattern":
        return f"{error.instance!r} does not match the pattern {error.validator_value}"
    if error.validator in ("minItems", "maxItems") and expected:
        return f"{len(error.instance)} items; expected {expected}"
    if error.validator == "maxLength":
        return f"{len(error.instance)} characters; at most {error.validator_value} fit every download and page"
    if error.validator == "enum":
        return f"{error.instance!r} is not allowed; write one of {', '.join(map(repr, error.validator_value))}"
    return error.message


def _did_you_mean(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


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

    validator = jsonschema.Draft202012Validator(
        load_schema(schema_name), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(json.loads(canonical)), key=lambda e: [str(p) for p in e.absolute_path])
    wrong_type = {tuple(err.absolute_path) for err in errors if err.validator == "type"}
    out = []
    for err in errors:
        path = tuple(err.absolute_path)
        if path in wrong_type and err.validator != "type":
            continue  # a value of the wrong type: its other problems would only repeat it
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
            path = path + (extra[0],) if len(extra) == 1 else path  # point at the unknown key's line
        out.append((path, _describe(err)))
    return tuple(out)


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


class Untranslated(str):
    """A text shown in the source language because its translation does not exist yet.

    The partials mark it (``<span lang="en" class="playbook-untranslated">``, see
    ``overrides/partials/text.html``) and the page then shows the not-translated notice;
    ``playbook translations status`` reports the file as pending.
    """

    source_lang: str = ""

    def __new__(cls, text: str, source_lang: str = "") -> Untranslated:
        """``text`` in ``source_lang`` (the default language of data/languages.yml)."""
        made = super().__new__(cls, text)
        made.source_lang = source_lang
        return made


def check_texts(doc: Document, value: Any, parts: tuple[str | int, ...], languages: Languages) -> list[str]:
    """Find localized-text mappings under ``value`` with unknown languages or no default-language text.

    A text not yet translated into a language is pending, not an error: it is filled in, in
    place, with the default language's text as :class:`Untranslated`, so a new language can be
    previewed before every string exists (``playbook translations status`` lists what is missing).
    """
    problems: list[str] = []
    if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()) and _is_text(value):
        unknown = [k for k in value if k not in languages.codes]
        for code in unknown:
            problems.append(
                doc.error(
                    parts + (code,),
                    f"unknown language {code!r}; expected one of "
                    f"{', '.join(languages.codes)} (declared in data/languages.yml)",
                )
            )
        source = languages.default
        if not str(value.get(source, "")).strip():
            problems.append(
                doc.error(
                    parts,
                    f"no {source} text; every text needs its {source}: version, the source of the translations",
                )
            )
        else:
            for code in languages.codes:
                if not str(value.get(code, "")).strip():
                    value[code] = Untranslated(value[source], source)
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
