"""HTML blocks for the structured parts of generated pages (tables, lists of links).

Generated pages are Markdown, but their tables, record cards and pagers are written here as
HTML blocks, which Python-Markdown passes through without parsing them again. Measured at
1,000 records: a record page converts in 14 ms as Markdown tables and lists, most of it
inline parsing of cells that hold no Markdown at all; written as HTML it is a third of that,
and a listing page of 50 cards goes from 35 ms to a few. The prose a record writes
(problem, solution ...) stays Markdown and is converted as before.

The output has the shape Python-Markdown gives the same table or list, so Material styles
it the same way (its table styles apply to `table:not([class])`) and the search index reads
it the same way. Every value goes through `h` (HTML-escaped): in an HTML block there is no
Markdown, so `escape_text` would show its backslashes. Nothing here imports mkdocs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

_SPECIAL = re.compile("[&<>\"']")


def h(text: object) -> str:
    """A value as HTML text (quotes too, so it is safe in attributes)."""
    value = "" if text is None else str(text)
    # Most values (names, dates, labels) have nothing to escape: 10,000 records call this a
    # million times.
    return html.escape(value, quote=True) if _SPECIAL.search(value) else value


def a(href: str, text_html: str, **attrs: str) -> str:
    """A link; `href` is escaped here, `text_html` is already HTML."""
    extra = "".join(f' {k.rstrip("_")}="{h(v)}"' for k, v in attrs.items())
    return f'<a href="{h(href)}"{extra}>{text_html}</a>'


def table(head: Sequence[str], rows: Iterable[Sequence[str]], right: Iterable[int] = ()) -> str:
    """A table as Python-Markdown writes one; `head` is text, the cells are already HTML.

    `right` lists the columns aligned right (numbers), like `--:` in a Markdown table.
    """
    aligned = set(right)
    style = [' style="text-align: right;"' if i in aligned else "" for i in range(len(head))]
    out = ["<table>", "<thead>", "<tr>"]
    out += [f"<th{style[i]}>{h(t)}</th>" for i, t in enumerate(head)]
    out += ["</tr>", "</thead>", "<tbody>"]
    for row in rows:
        out.append("<tr>")
        out += [f"<td{style[i]}>{cell}</td>" for i, cell in enumerate(row)]
        out.append("</tr>")
    out += ["</tbody>", "</table>", ""]
    return "\n".join(out)


def bullets(items: Iterable[str]) -> str:
    """A bulleted list of items that are already HTML; empty when there are none."""
    inner = [f"<li>{item}</li>" for item in items]
    return "\n".join(["<ul>", *inner, "</ul>", ""]) if inner else ""
