"""Untrusted Markdown: records arrive by pull request, so their text must not become markup.

`safe_markdown` is a pre-pass over a record's Markdown field, run before Python-Markdown sees
it, so that the result is safe whatever extensions the site enables:

* raw HTML is escaped (`<script>` shows as text), outside code spans and fences, where
  Markdown already shows it literally;
* links and images whose target is not http(s), mailto, tel or a relative path
  (`javascript:`, `data:`, `vbscript:` ...) keep their text and lose their target;
* attribute lists (`{: onclick=...}`) and snippet includes (`--8<--`) are neutralised,
  because the site enables `attr_list` and a record must not add attributes or read files.

`escape_text` is for plain-text fields (title, names, decision numbers) placed inside
Markdown. Neither function imports mkdocs.
"""

from __future__ import annotations

import html
import re
import unicodedata

# Schemes a record may link to; anything else with a scheme is dropped.
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# Python-Markdown only takes fences that start at column 0; anything else is prose here too.
_FENCE = re.compile(r"^(`{3,}|~{3,})")
# [text](target "title") and ![alt](target); the target may be wrapped in <...>.
_INLINE_LINK = re.compile(
    r"(!?)\[((?:[^\[\]\\]|\\.)*)\]\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)((?:\s+(?:\"[^\"]*\"|'[^']*'))?)\s*\)"
)
_REF_DEF = re.compile(r"^([ \t]{0,3}\[[^\]]+\]:[ \t]*)(<[^>\n]*>|\S+)(.*)$")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def link_is_safe(target: str) -> bool:
    """True for http(s)/mailto/tel URLs and scheme-less (relative or #fragment) targets.

    Browsers ignore whitespace and control characters inside a scheme and decode entities
    in attributes, so `java&#115;cript:` or `java\\tscript:` are normalised before the test.
    """
    t = target.strip()
    if t.startswith("<") and t.endswith(">"):
        t = t[1:-1]
    t = html.unescape(t)
    t = unicodedata.normalize("NFKC", t)
    t = _CONTROL.sub("", t)
    m = _SCHEME.match(t)
    if not m:
        # A colon before any slash would still be read as a scheme by some browsers.
        head = t.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
        return ":" not in head
    return m.group(1).lower() in SAFE_SCHEMES


def _escape_html(text: str) -> str:
    # `&` is left alone: an entity can only produce text, never a tag, once `<` is escaped.
    text = text.replace("<", "&lt;")
    # attr_list: "{: .class onclick=...}" after a block or inline element.
    text = text.replace("{", "&#123;")
    # pymdownx.snippets include marker.
    return text.replace("--8<--", "-&#45;8&lt;--")


def _clean_links(text: str) -> str:
    def inline(m: re.Match[str]) -> str:
        bang, label, target = m.group(1), m.group(2), m.group(3)
        if link_is_safe(target):
            return m.group(0)
        # Keep what the reader sees (an image keeps its alt text), without the target.
        del bang
        return label

    text = _INLINE_LINK.sub(inline, text)

    def refdef(m: re.Match[str]) -> str:
        return m.group(0) if link_is_safe(m.group(2)) else m.group(1) + "#" + m.group(3)

    return "\n".join(_REF_DEF.sub(refdef, line) for line in text.split("\n"))


def _prose(text: str) -> str:
    """Escape text outside fenced code blocks.

    Inline code spans are escaped too: deciding exactly where Python-Markdown sees a code
    span (backslashes, list items, blank lines) is error-prone, and a wrong guess would let
    HTML through. The cost is that a `<` inside inline code shows as "&lt;".
    """
    return _escape_html(_clean_links(text))


def safe_markdown(text: str | None) -> str:
    """Return `text` (untrusted Markdown) with raw HTML escaped and unsafe links dropped."""
    if not text:
        return ""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    prose: list[str] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        close = None
        if m:
            marker = m.group(1)
            for j in range(i + 1, len(lines)):
                c = _FENCE.match(lines[j])
                if (
                    c
                    and c.group(1)[0] == marker[0]
                    and len(c.group(1)) >= len(marker)
                    and not lines[j][c.end() :].strip()
                ):
                    close = j
                    break
        if m is None or close is None:
            # Not a fence, or a fence never closed (which Markdown reads as prose).
            prose.append(lines[i])
            i += 1
            continue
        if prose:
            out.append(_prose("\n".join(prose)))
            prose = []
        # The info string could carry attributes (`{ .x onclick=... }`): keep letters only.
        info = re.sub(r"[^A-Za-z0-9_+\-. ]", "", lines[i][m.end() :])
        out.append(m.group(1) + info)
        out.extend(lines[i + 1 : close + 1])
        i = close + 1
    if prose:
        out.append(_prose("\n".join(prose)))
    return "\n".join(out).strip("\n")


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
