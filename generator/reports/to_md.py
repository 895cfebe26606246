"""Markdown writer: the report as a readable page (also used by the site's statistics pages)."""

from __future__ import annotations

from dataclasses import replace

from generator.render.markdown_safe import escape_text
from generator.reports.bundle import ReportBundle
from generator.reports.document import Heading, Para, ReportDocument, TableBlock, format_cell
from generator.reports.tables import Table
from generator.text.vn import format_date_long


def _escape(text: str) -> str:
    # Titles and names come from records sent by pull request: shown as text, never markup.
    return escape_text(text)


def table_markdown(table: Table, links: dict[str, str] | None = None) -> str:
    """A Markdown (GFM) table of the printed columns; numbers right-aligned.

    `links` maps a row's `id` cell (an initiative, agency or field id) to a URL; the id itself,
    or the name next to it when the id is a machine key not shown, becomes the link.
    """
    shown = [i for i, c in enumerate(table.columns) if not c.machine]
    id_index = next((i for i, c in enumerate(table.columns) if c.key == "id"), None)
    head = "| " + " | ".join(_escape(table.columns[i].label) for i in shown) + " |"
    rule = (
        "| "
        + " | ".join("---:" if table.columns[i].kind in ("int", "float") else "---" for i in shown)
        + " |"
    )
    lines = [head, rule]
    for row in table.rows:
        target = None
        if links and id_index is not None and isinstance(row[id_index], str):
            url = links.get(row[id_index])  # type: ignore[arg-type]
            if url:
                link_at = id_index if id_index in shown else shown[0]
                target = (link_at, url)
        cells = []
        for i in shown:
            text = _escape(format_cell(row[i], table.columns[i].kind))
            if target and target[0] == i and text:
                text = f"[{text}]({target[1]})"
            cells.append(text)
        lines.append("| " + " | ".join(cells) + " |")
    if not table.rows:
        lines.append("| " + " | ".join(["Không có"] + [""] * (len(shown) - 1)) + " |")
    return "\n".join(lines)


def document_markdown(
    doc: ReportDocument,
    heading_offset: int = 1,
    links: dict[str, str] | None = None,
    include_annex: bool = True,
    max_rows: int | None = None,
) -> str:
    """The document's blocks as Markdown; headings start at level 1 + `heading_offset`.

    `max_rows` caps each table (web pages must not grow with the registry); the cut is said
    in a note under the table, and the full table stays in the JSON, XLSX, CSV and DOCX.
    """
    parts: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            parts.append("#" * (block.level + heading_offset) + " " + _escape(block.text))
        elif isinstance(block, Para):
            parts.append(_escape(block.text))
        elif isinstance(block, TableBlock):
            table = block.table
            total = len(table.rows)
            if max_rows is not None and total > max_rows:
                table = replace(table, rows=table.rows[:max_rows])
            parts.append(table_markdown(table, links))
            if block.table.note:
                parts.append(f"*{_escape(block.table.note)}*")
            if table is not block.table:
                parts.append(
                    f"*Trang web hiển thị {max_rows} trên {total} dòng; bảng đầy đủ có trong tệp "
                    "JSON và báo cáo XLSX, DOCX (lệnh `sangkien report`).*"
                )
    if include_annex and doc.annex is not None:
        parts.append("#" * (1 + heading_offset) + " " + _escape(doc.annex.title))
        parts.append(table_markdown(doc.annex, links))
    return "\n\n".join(parts) + "\n"


def write_md(bundle: ReportBundle) -> bytes:
    """The whole report as a Markdown file."""
    doc = bundle.document
    head = (
        f"# {doc.title[0] + doc.title[1:].lower()}: {doc.subtitle[0].lower() + doc.subtitle[1:]}\n\n"
        f"**{_escape(doc.issuer)}** — {_escape(doc.scope_name)}\n\n"
        f"*{format_date_long(doc.date, place=doc.province)}*\n\n"
    )
    return (head + document_markdown(doc)).encode("utf-8")
