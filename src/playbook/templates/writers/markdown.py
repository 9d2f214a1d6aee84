"""Write a :class:`~playbook.templates.view.WorksheetView` as a Markdown document (pure)."""

from __future__ import annotations

from playbook.templates.view import WorksheetView


def _md_cell(text: str) -> str:
    """Make text safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>") or " "


def to_markdown(view: WorksheetView) -> bytes:
    """Render the view as a Markdown document (UTF-8, LF line endings)."""
    lab = view.labels
    lines = [f"# {view.title}", ""]
    if view.subtitle:
        lines += [f"**{view.subtitle}**", ""]
    lines += [view.summary, "", f"*{view.note}*", ""]
    for section in view.sections:
        lines += [f"## {section.title}", ""]
        if section.intro:
            lines += [section.intro, ""]
        if section.is_table:
            lines.append("| " + " | ".join(_md_cell(h) for h in section.headers) + " |")
            lines.append("|" + "---|" * len(section.headers))
            for row in section.rows:
                lines.append("| " + " | ".join(_md_cell(c.text) for c in row) + " |")
        else:
            lines.append(f"| {lab['field']} | {lab['value']} | {lab['notes']} |")
            lines.append("|---|---|---|")
            for field in section.fields:
                lines.append(f"| {_md_cell(field.label)} | {_md_cell(field.cell.text)} | {_md_cell(field.notes)} |")
        lines.append("")
    lines += ["---", "", f"{lab['version_date']}: {view.date.date().isoformat()}", ""]
    return "\n".join(lines).encode("utf-8")
