"""Unit tests for page-marker expansion."""

from __future__ import annotations

import pytest

from playbook.markers import HeldHTML, MarkerError, expand


def handler(name: str, argument: str) -> str:
    if name != "known":
        raise KeyError(f"no item {name!r}")
    return f"[{name}|{argument}]"


def test_markers_on_their_own_line_are_expanded() -> None:
    text = "Intro\n\n<!-- table:known -->\n\n<!--   table:known  extra arg -->\nEnd"
    assert expand(text, {"table": handler}, "docs/en/x.md") == "Intro\n\n[known|]\n\n[known|extra arg]\nEnd"


def test_ordinary_comments_and_markers_in_code_are_left_alone() -> None:
    text = "<!-- just a note -->\n<!-- TODO: later -->\nSay `<!-- table:<id> -->` inline\n```\n<!-- table:x -->\n```\n"
    assert expand(text, {"table": handler}, "p.md") == text


#: What a contributor typed, and the hint the message must give.
NEAR_MISSES = {
    "<!-- Table:known -->": "markers are lower case; did you mean <!-- table:known -->?",
    "<!-- table: known -->": "no space after the colon; did you mean <!-- table:known -->?",
    "  <!-- table:known -->": "no indentation); did you mean <!-- table:known -->?",
    "See <!-- table:known --> here": "a marker stands on a line of its own; did you mean <!-- table:known -->?",
    "<!-- tabel:known -->": "unknown marker namespace 'tabel'; did you mean <!-- table:known -->?",
    "<!-- WS: preview known -->": "markers are lower case; did you mean <!-- ws:preview known -->?",
}


@pytest.mark.parametrize("typed", sorted(NEAR_MISSES))
def test_near_miss_is_an_error_with_a_did_you_mean_hint(typed: str) -> None:
    with pytest.raises(MarkerError) as caught:
        expand(f"---\n\n{typed}\n", {"table": handler, "ws": handler}, "docs/de/a.md", line_offset=4)
    message = str(caught.value)
    assert message.startswith("docs/de/a.md, line 7: ") and NEAR_MISSES[typed] in message
    for form in ("<!-- table:<id> -->", "<!-- ws:preview <id>", "<!-- i18n:status -->"):
        assert form in message  # every namespace is listed


def test_every_problem_of_a_page_is_in_one_message() -> None:
    with pytest.raises(MarkerError) as caught:
        expand("<!-- Table:known -->\n<!-- table:missing -->\n<!-- chart:x -->\n", {"table": handler}, "p.md")
    lines = str(caught.value).splitlines()
    assert [line.split(": ")[:2] for line in lines] == [
        ["p.md, line 1", "markers are lower case; did you mean <!-- table:known -->? Markers"],
        ["p.md, line 2", "table:missing"],
        ["p.md, line 3", "unknown marker namespace 'chart'; Markers"],
    ]


def test_unknown_namespace_names_page_and_line() -> None:
    with pytest.raises(
        MarkerError, match=r"docs/de/a\.md, line 3: unknown marker namespace 'chart'; Markers: <!-- table"
    ):
        expand("a\n\n<!-- chart:known -->\n", {"table": handler}, "docs/de/a.md")


def test_unknown_item_names_page_line_and_known_items() -> None:
    with pytest.raises(MarkerError, match=r"p\.md, line 1: table:missing: no item 'missing'"):
        expand("<!-- table:missing -->", {"table": handler}, "p.md")


def test_held_html_comes_back_unchanged_in_place_of_its_placeholder() -> None:
    table = '<div markdown="0"><table><caption>A &amp; B</caption><tr><td>x</td></tr></table></div>'
    held = HeldHTML()
    placeholder = held.hold(table)
    assert "<table" not in placeholder and placeholder.strip().startswith("<!--")
    # Python-Markdown passes a comment block through; the page HTML around it is kept as it is.
    page = f"<h1>Title</h1>\n{placeholder.strip()}\n<p>After</p>\n{placeholder.strip()}"
    assert held.release(page) == f"<h1>Title</h1>\n{table}\n<p>After</p>\n{table}"


def test_release_leaves_pages_without_placeholders_and_unknown_ones_alone() -> None:
    held = HeldHTML()
    assert held.release("<p>plain</p>") == "<p>plain</p>"
    unknown = "<!-- playbook-html " + "0" * 24 + " -->"
    assert held.release(unknown) == unknown


def test_placeholder_is_not_itself_a_marker() -> None:
    held = HeldHTML()
    placeholder = held.hold("<p>x</p>")
    assert expand(placeholder, {"playbook": handler}, "p.md") == placeholder
    held.release(placeholder)
