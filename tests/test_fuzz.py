"""Property-based fuzzing (Hypothesis) of the strict YAML loader and the marker parser.

Whatever a stranger writes (random YAML-ish text, random Markdown with comment-shaped lines,
random bytes) ends in a value or in one DataError / MarkerError: never another exception, never
unbounded time or memory. Example counts are fixed (``FUZZ_EXAMPLES``) so a run is reproducible
in length; Hypothesis' database is off so CI and a laptop run the same derandomized examples.
"""

from __future__ import annotations

import resource
import string
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playbook.data.documents import DataError, Document, load_text
from playbook.markers import NAMESPACES, MarkerError, find

FUZZ_EXAMPLES = 400
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=2000,  # ms per example: far above the ~1 ms a file takes
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

#: Pieces of YAML syntax, so random text often parses and reaches the constructors.
YAML_TOKENS = [
    "a", "b", "key", ": ", ":", "- ", "\n", "\n  ", "  ", "[", "]", "{", "}", ", ", "&x ", "*x", "!!str ", "!!binary ",
    "!!python/object:os.system ", "! ", "<<: ", "? ", "|\n  ", ">\n  ", "'", '"', "#", "---\n", "...\n", "%YAML 1.1\n",
    "yes", "no", "on", "1:30", "0x1F", "0o7", "1_000", ".inf", ".nan", "-.inf", "~", "null", "true", "2026-13-45",
    "2026-01-01", "12:30:00", "3.5", "-7", "1e3", "\t", "\x00", "\x07", "\ufeff", "é", "日本", "\u2028", "\\",
]  # fmt: skip


SCALARS = [t.strip() for t in YAML_TOKENS if t.strip()] + ["x", "'quoted'", '"dq"', "[a, 1]", "{k: v}"]


@st.composite
def yaml_like(draw: st.DrawFn) -> str:
    """Either token soup or block-structured lines (``key: scalar`` / ``- scalar`` at some indent)."""
    if draw(st.booleans()):
        return "".join(draw(st.lists(st.sampled_from(YAML_TOKENS) | st.text(max_size=4), max_size=40)))
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        indent = "  " * draw(st.integers(0, 3))
        value = draw(st.sampled_from(SCALARS))
        key = draw(st.sampled_from(["a", "b", "id", "1", "no", "<<", "? x", "'k'"]))
        lines.append(f"{indent}- {value}" if draw(st.booleans()) else f"{indent}{key}: {value}")
    return "\n".join(lines) + "\n"


def _bounded(check) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    check()
    assert time.perf_counter() - started < 2
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # KB


JSON_TYPES = (str, int, float, bool, type(None), list, dict)


def _json_typed(value: object) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_typed(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_json_typed(v) for v in value)
    return isinstance(value, JSON_TYPES)


@FUZZ
@given(yaml_like())
def test_random_yaml_gives_json_typed_data_or_one_data_error(text: str) -> None:
    def check() -> None:
        try:
            value = load_text(text, "data/fuzz.yml")
        except DataError as exc:
            assert str(exc).startswith("data/fuzz.yml")
        else:
            assert _json_typed(value), value

    _bounded(check)


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes_give_data_or_one_data_error(tmp_path_factory: pytest.TempPathFactory, raw: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "x.yml"
    path.write_bytes(raw)
    try:
        Document(path, "data/x.yml")
    except DataError as exc:
        assert str(exc).startswith("data/x.yml")


MARKDOWN_TOKENS = [
    "<!--", "-->", " ", "  ", "\n", "\n\n", "    ", "\t", "`", "```\n", "~~~\n", ":", "-", "x", "Table", "table",
    "tabel",
    "ws", "WS", "i18n", "preview", "download", "example", "blank", "differences", "upstream-plan", "status", "TODO",
    "<", ">", "#", "é", "日本",
]  # fmt: skip
KNOWN = {
    "table": lambda name, arg: "" if name == "differences" and not arg else (_ for _ in ()).throw(KeyError("no")),
    "ws": lambda name, arg: "",
    "i18n": lambda name, arg: "",
}


@FUZZ
@given(st.lists(st.sampled_from(MARKDOWN_TOKENS) | st.text(max_size=3), max_size=60).map("".join))
def test_random_markdown_gives_markers_or_one_marker_error(markdown: str) -> None:
    def check() -> None:
        try:
            found = find(markdown, "docs/en/fuzz.md", 3)
        except MarkerError as exc:
            assert all(line.startswith("docs/en/fuzz.md, line ") for line in str(exc).splitlines())
        else:
            for marker in found:
                assert marker.namespace in NAMESPACES and marker.line >= 4
                assert markdown[marker.start : marker.end].lstrip().startswith("<!--")

    _bounded(check)


@FUZZ
@given(
    st.sampled_from(sorted(NAMESPACES)),
    st.text(alphabet=string.ascii_lowercase + string.digits + "-", min_size=1, max_size=12),
)
def test_every_well_formed_marker_is_found_on_its_line(namespace: str, name: str) -> None:
    markdown = f"# Title\n\nText.\n\n<!-- {namespace}:{name} -->\n\nMore.\n"
    (marker,) = find(markdown, "p.md")
    assert (marker.namespace, marker.name, marker.line) == (namespace, name, 5)
