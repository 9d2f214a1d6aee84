"""The one strict YAML loader every data file, front matter and the translations lock go through."""

from __future__ import annotations

import resource

import pytest

from playbook.data.documents import MAX_BYTES, MAX_DEPTH, DataError, load_text

LABEL = "data/tables/x.yml"

#: (what a contributor wrote, the line the message must name, words the message must contain)
REFUSED = {
    "object tag": ("a: 1\nb: !!python/object/apply:os.system ['echo hacked']\n", 2, "tags"),
    "explicit str tag": ("a: !!str 1\n", 1, "tags"),
    "binary": ("label: !!binary aGVsbG8=\n", 1, "tags"),
    "set": ("rows: !!set {x, y}\n", 1, "tags"),
    "anchor and alias": ("a: &x [1]\nb: *x\n", 1, "anchors"),
    "duplicate key": ("title: A\nrows: []\ntitle: B\n", 3, "duplicate key 'title' (first on line 1)"),
    "yes/no": ("code: no\n", 1, "quotes ('no')"),
    "sexagesimal": ("time: 1:30\n", 1, "quotes ('1:30')"),
    "hex": ("amount: 0x1F\n", 1, "decimal"),
    "infinity": ("rate: .inf\n", 1, "finite"),
    "number key": ("1: one\n", 1, "not text"),
    "merge key": ("a:\n  <<: {b: 1}\n", 2, "merge keys"),
    "deep nesting": ("a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n", 1, "levels deep"),
    "control character": ("a: x\nb: \x07\n", 2, "control character"),
    "two documents": ("a: 1\n---\nb: 2\n", 2, "second document"),
    "syntax": ("a: 1\nb: c: d\n", 2, "invalid YAML"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_input_is_one_message_with_file_and_line(case: str) -> None:
    text, line, words = REFUSED[case]
    with pytest.raises(DataError) as caught:
        load_text(text, LABEL)
    message = str(caught.value)
    assert message.startswith(f"{LABEL}, line {line}: "), message
    assert words in message
    assert "\n" not in message and "Traceback" not in message


def test_json_types_pass_and_dates_stay_text() -> None:
    text = "a: 1\nb: -2.5\nc: true\nd: null\ne: [x, 'y']\nf: {g: h}\nupdated: 2026-11-24\nimpossible: 2026-13-45\n"
    assert load_text(text, LABEL) == {
        "a": 1, "b": -2.5, "c": True, "d": None, "e": ["x", "y"], "f": {"g": "h"},
        "updated": "2026-11-24", "impossible": "2026-13-45",
    }  # fmt: skip


def test_line_offset_counts_from_the_top_of_the_page() -> None:
    with pytest.raises(DataError, match=r"^docs/en/a.md, line 3: duplicate key"):
        load_text("title: A\ntitle: B\n", "docs/en/a.md", line_offset=1)


def test_alias_bomb_is_refused_before_it_expands() -> None:
    """Ten lines of nested aliases would take gigabytes once expanded; refused with a small footprint."""
    lines = ['a0: ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    bomb = "\n".join(lines).replace("a0:", "a0: &a0", 1)
    for i in range(1, 9):
        bomb = bomb.replace(f"a{i}: [", f"a{i}: &a{i} [", 1)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(DataError, match="anchors"):
        load_text(bomb, LABEL)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KB


def test_oversized_file_is_refused() -> None:
    with pytest.raises(DataError, match="limit is"):
        load_text("a: '" + "x" * MAX_BYTES + "'\n", LABEL)


def test_bytes_that_are_not_utf8_name_the_line(tmp_path) -> None:
    from playbook.data.documents import Document

    path = tmp_path / "x.yml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(DataError, match=r"^data/x.yml, line 2: byte 0xe9 is not UTF-8"):
        Document(path, "data/x.yml")


def test_every_data_file_names_the_schema_the_build_checks_it_against() -> None:
    """Editors (YAML language server) complete a file from the schema named on its first line."""
    from playbook.preflight import schema_of
    from playbook.project import CHECKOUT

    data = CHECKOUT / "data"
    for path in sorted(data.rglob("*.yml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        named = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert named == CHECKOUT / "schemas" / f"{schema_of(path.relative_to(data).as_posix())}.schema.json", path
        assert named.is_file(), named


def test_every_ui_string_a_template_prints_is_required_by_the_ui_schema() -> None:
    """A renamed ui.yml key fails the build (closed schema) instead of printing an empty label."""
    import json
    import re

    from playbook.project import CHECKOUT

    schema = json.loads((CHECKOUT / "schemas" / "ui.schema.json").read_text(encoding="utf-8"))
    required = set(schema["properties"]["strings"]["required"])
    assert schema["properties"]["strings"]["additionalProperties"] is False
    printed = set()
    for template in (CHECKOUT / "overrides").rglob("*.html"):
        printed |= set(re.findall(r"(?<![\w/.])ui\.([a-z_]+)\b", template.read_text(encoding="utf-8")))
    assert printed and printed <= required, sorted(printed - required)
