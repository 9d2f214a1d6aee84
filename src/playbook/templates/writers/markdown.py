"""Write a :class:`~playbook.templates.view.WorksheetView` as a Markdown document (pure).

Every text from the data is escaped for Markdown: a value such as ``*x* [a](javascript:1) <b>``
prints literally in any renderer (no emphasis, no link, no HTML), and a ``|`` never splits a
table cell. Checklist sections are task lists (``- [ ] item``).
"""

from __future__ import annotations

import html
import re

from playbook.templates.view import WorksheetView

#: Characters with a meaning anywhere in CommonMark / GFM inline syntax (emphasis, code, links,
#: table cells, strikethrough), escaped with a backslash.
_INLINE = re.compile(r"([\\`*_\[\]|~])")
#: ``<`` that could open a tag and ``&`` that could start an entity become entities, which
#: Python-Markdown and CommonMark both print as the character; any other ``<`` or ``&`` (as in
#: "Sales & Marketing") stays as typed, so the file reads well as plain text.
_HTML = re.compile(r"<(?=[A-Za-z/!?])|&(?=#?[A-Za-z0-9]+;)")
#: What starts a block at a line's start: a heading, list item, quote or thematic break.
_LINE_START = re.compile(r"^(\s*)([#>+\-=])")
_ORDERED = re.compile(r"^(\s*\d+)([.)])")


def md_inline(text: str) -> str:
    """Escape ``text`` inside a line (a table cell): ``*x*`` stays stars, ``<b>`` stays text."""
    return _HTML.sub(lambda m: html.escape(m.group()), _INLINE.sub(r"\\\1", text.replace("\r", "")))


def md_text(text: str) -> str:
    """Escape a paragraph or heading text: inline syntax, and what would start a block at a line's start."""
    escaped = md_inline(text)
    lines = (_ORDERED.sub(r"\1\\\2", _LINE_START.sub(r"\1\\\2", line)) for line in escaped.split("\n"))
    return "\n".join(lines)


def _md_cell(text: str) -> str:
    """Text inside a table cell: escaped, line breaks as <br>."""
    return "<br>".join(md_inline(line) for line in text.split("\n")) or " "


def to_markdown(view: WorksheetView) -> bytes:
    """Render the view as a Markdown document (UTF-8, LF line endings)."""
    lab = view.labels
    lines = [f"# {md_text(view.title)}", ""]
    if view.subtitle:
        lines += [f"**{md_text(view.subtitle)}**", ""]
    lines += [md_text(view.summary), "", f"*{md_text(view.note)}*", ""]
    lines += [f"{md_text(lab['version_date'])}: {md_text(view.edition_text)}", ""]
    for section in view.sections:
        lines += [f"## {md_text(section.title)}", ""]
        if section.intro:
            lines += [md_text(section.intro), ""]
        if section.is_checklist:
            # A GitHub-style task list: every Markdown viewer that knows one shows boxes to tick.
            lines += [f"- [ ] {md_inline(' '.join(task.text.split()))}" for task in section.tasks]
        elif section.is_table:
            lines.append("| " + " | ".join(_md_cell(h) for h in section.headers) + " |")
            lines.append("|" + "---|" * len(section.headers))
            for row in section.rows:
                lines.append("| " + " | ".join(_md_cell(c.text) for c in row) + " |")
        else:
            lines.append(f"| {_md_cell(lab['field'])} | {_md_cell(lab['value'])} | {_md_cell(lab['notes'])} |")
            lines.append("|---|---|---|")
            for field in section.fields:
                lines.append(f"| {_md_cell(field.label)} | {_md_cell(field.cell.text)} | {_md_cell(field.notes)} |")
        lines.append("")
    return "\n".join(lines).encode("utf-8")
