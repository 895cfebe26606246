"""Plain-text values placed inside Markdown, and what is left of the old prose pre-pass.

`escape_text` is for plain-text fields (title, names, decision numbers) placed inside
Markdown: no markup, no HTML, one line.

Record prose (the Markdown fields) is no longer cleaned here, on the source text: the site
converts it with `generator.markup.prose_markdown` and sanitises the HTML it produces
(`generator.markup.sanitize`). `safe_markdown` remains only for the documents (DOCX/PDF),
which pass record Markdown to pandoc and apply their own allow-list there; it no longer
changes the text beyond line endings. `link_is_safe` and `SAFE_SCHEMES` live in
`generator.markup` and are re-exported for older imports. Nothing here imports mkdocs.
"""

from __future__ import annotations

import re

from generator.markup import SAFE_SCHEMES, link_is_safe

__all__ = ["SAFE_SCHEMES", "escape_text", "link_is_safe", "safe_markdown"]


def safe_markdown(text: str | None) -> str:
    """Record Markdown with its line endings normalised (see the module docstring: the
    safety of prose is in `generator.markup`, on the converted output)."""
    if not text:
        return ""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]#!|~])")


_NEEDS_ESCAPE = re.compile(r"[&<>{\\`*_\[\]#!|~\s]")


def escape_text(text: str | None) -> str:
    """Plain text for use inside Markdown: no markup, no HTML, one line."""
    if not text:
        return ""
    text = str(text)
    # Most names and titles: nothing to escape, one space between words already.
    if (
        "  " not in text
        and text == text.strip()
        and not _NEEDS_ESCAPE.search(text.replace(" ", ""))
    ):
        return text
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("{", "&#123;")
    return _MD_SPECIAL.sub(r"\\\1", text)
