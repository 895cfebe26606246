"""Bounds on what Python-Markdown is given, so that building costs time linear in the input.

Python-Markdown is not linear on every input (measured with `benchmarks/adversarial_bench.py`,
figures in `benchmarks/README.md`):

* every `[` starts a scan for its `]` and then for the `)` of a link target, to the end of
  the text being processed when there is none: 20,000 `[` took minutes;
* headings, horizontal rules, definitions (`: ...`), abbreviations (`*[..]: ...`) and
  admonitions (`!!! ...`) are split off their block one at a time, each split copying the
  rest of the block: thousands of them in one block are quadratic;
* nested lists, quotes and admonitions are parsed by recursion: a few hundred levels end in
  `RecursionError`, which stops the build.

A block here is the text between two blank lines: Python-Markdown never lets a paragraph, a
list item's text or a table cell cross a blank line, so the scans above stay inside one.
With at most `MAX_BRACKETS` `[` and `MAX_SPLIT_LINES` such lines per block, the work is at
most a constant times the block's length, and the whole field stays linear.

The rules over-approximate (a `[` inside inline code still counts): they must never miss a
slow input, and real prose is far below them. Each check is one pass over the text.
`markdown_excess` is shared by `validate` (SK430-SK433, located at the field) and by the
renderer's guard (`generator.render.prose`), which shows a field over the limits as plain
text instead of handing it to Python-Markdown, so that even an unvalidated build cannot hang.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from generator.diagnostics import Diagnostic
from generator.load.yamlstrict import LoadedDoc
from generator.validate.schema import dotted, load_schema

# The mark of a Markdown field in the schemas (a standard JSON Schema annotation).
MARKDOWN_MEDIA_TYPE = "text/markdown"
# The longest Markdown field the renderer converts; the schema's `maxLength` of every
# Markdown field is at most this (a test checks it), so only an unvalidated record meets it.
HARD_MAX_CHARS = 20_000
# Levels of lists, quotes, definitions and admonitions inside each other.
MAX_NESTING = 8
# `[` in one block (link, image, footnote and reference openers all start with one).
MAX_BRACKETS = 100
# Headings, rules, definitions, abbreviations and admonition openers in one block.
MAX_SPLIT_LINES = 100
# Abbreviation definitions in one field: each one is tried at every word of the field.
MAX_ABBREVIATIONS = 100

# A block opener that nests what follows it, counted in a run anywhere in a line
# (`- - - - x` is four lists inside each other, `>>>` three quotes).
_MARKER_RUN = re.compile(r"(?:>[ \t]*|(?:[-*+:]|\d{1,9}[.)])[ \t]+)+")
_MARKER = re.compile(r">|[-*+:]|\d{1,9}[.)]")
# A line whose indentation nests it inside the block opener it starts with.
_OPENER = re.compile(r"[ \t]*(?:(?:[-*+:]|\d{1,9}[.)])(?:[ \t]|$)|>|!!!|\?\?\?|\[\^)")
# A line Python-Markdown splits off its block on its own: an ATX heading, a setext
# underline or a rule, a definition, an abbreviation, an admonition opener.
_SPLIT_LINE = re.compile(
    r"[ ]{0,3}(?:#|:[ \t]|\*\[|!!!|\?\?\?|=+[ \t]*$|-+[ \t]*$|(?:[-*_][ \t]*){3,}$)"
)
_ABBREVIATION = re.compile(r"[ ]{0,3}\*\[")


@dataclass(frozen=True)
class Excess:
    """One limit a Markdown field goes over: which (`code`), where (1-based line of the
    field), how much (`found`) against `limit`."""

    code: str
    line: int
    found: int
    limit: int


def _lines(text: str) -> list[str]:
    # Python-Markdown reads CR and CRLF as line breaks, and only those.
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _depth(line: str) -> int:
    """How many block levels a line opens: its markers in a row, plus one level per four
    columns of indentation when it starts a nested block."""
    runs = 0
    if ">" in line or " " in line or "\t" in line:
        for m in _MARKER_RUN.finditer(line):
            runs = max(runs, len(_MARKER.findall(m.group(0))))
    indent = 0
    if line[:1] in (" ", "\t") and _OPENER.match(line):
        stripped = line.lstrip(" \t")
        indent = len(line[: len(line) - len(stripped)].expandtabs(4)) // 4
    return indent + runs


def markdown_excess(text: str) -> list[Excess]:
    """The limits `text` (a Markdown field as written) goes over, at most one per kind (the
    first place it happens); empty when Python-Markdown can convert it in linear time."""
    found: dict[str, Excess] = {}
    abbreviations = 0
    block_start = 1
    brackets = 0
    splits = 0
    for number, line in enumerate(_lines(text), 1):
        if not line.strip(" \t"):
            block_start, brackets, splits = number + 1, 0, 0
            continue
        if "SK430" not in found:
            depth = _depth(line)
            if depth > MAX_NESTING:
                found["SK430"] = Excess("SK430", number, depth, MAX_NESTING)
        brackets += line.count("[")
        if brackets > MAX_BRACKETS and "SK431" not in found:
            found["SK431"] = Excess("SK431", block_start, brackets, MAX_BRACKETS)
        if _SPLIT_LINE.match(line):
            splits += 1
            if splits > MAX_SPLIT_LINES and "SK432" not in found:
                found["SK432"] = Excess("SK432", block_start, splits, MAX_SPLIT_LINES)
            if _ABBREVIATION.match(line):
                abbreviations += 1
                if abbreviations > MAX_ABBREVIATIONS and "SK433" not in found:
                    found["SK433"] = Excess("SK433", number, abbreviations, MAX_ABBREVIATIONS)
    # Counts grow after the first excess: report the block's whole count.
    out = []
    for code, ex in sorted(found.items()):
        if code == "SK431":
            ex = Excess(code, ex.line, _block_count(text, ex.line, _count_brackets), ex.limit)
        elif code == "SK432":
            ex = Excess(code, ex.line, _block_count(text, ex.line, _count_splits), ex.limit)
        out.append(ex)
    return out


def _count_brackets(line: str) -> int:
    return line.count("[")


def _count_splits(line: str) -> int:
    return 1 if _SPLIT_LINE.match(line) else 0


def _block_count(text: str, start: int, count: Any) -> int:
    total = 0
    for line in _lines(text)[start - 1 :]:
        if not line.strip(" \t"):
            break
        total += count(line)
    return total


def too_costly(text: str) -> bool:
    """Whether the renderer must not hand `text` to Python-Markdown (the guard)."""
    return len(text) > HARD_MAX_CHARS or bool(markdown_excess(text))


# ---- where the Markdown fields are ---------------------------------------------------------
@cache
def markdown_paths(kind: str, schema_dir: str | None = None) -> tuple[tuple[str, ...], ...]:
    """Paths of the Markdown fields of a schema (`*` for any list item), from the
    `contentMediaType: text/markdown` mark: the schema says which fields are Markdown."""
    out: list[tuple[str, ...]] = []

    def walk(node: Any, path: tuple[str, ...]) -> None:
        if not isinstance(node, dict):
            return
        if node.get("contentMediaType") == MARKDOWN_MEDIA_TYPE:
            out.append(path)
        for name, sub in (node.get("properties") or {}).items():
            walk(sub, (*path, name))
        if isinstance(node.get("items"), dict):
            walk(node["items"], (*path, "*"))

    walk(load_schema(kind, schema_dir), ())
    return tuple(out)


def _values(
    data: Any, path: tuple[str, ...], at: tuple[Any, ...]
) -> Iterator[tuple[tuple[Any, ...], str]]:
    if not path:
        if isinstance(data, str):
            yield at, data
        return
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from _values(item, rest, (*at, i))
    elif isinstance(data, dict) and head in data:
        yield from _values(data[head], rest, (*at, head))


def prose_limit_rules(doc: LoadedDoc, kind: str, schema_dir: str | None) -> list[Diagnostic]:
    """SK430-SK433 for every Markdown field of a loaded file, at the field's place.

    A field longer than `HARD_MAX_CHARS` is left to the schema's `maxLength` (one problem,
    one message).
    """
    out: list[Diagnostic] = []
    for spec in markdown_paths(kind, schema_dir):
        for where, text in _values(doc.data, spec, ()):
            if len(text) > HARD_MAX_CHARS:
                continue
            for ex in markdown_excess(text):
                line, col = doc.pos(where)
                out.append(
                    Diagnostic(
                        ex.code,
                        doc.path,
                        line,
                        col,
                        {
                            "field": dotted(where),
                            "line": ex.line,
                            "found": ex.found,
                            "limit": ex.limit,
                        },
                    )
                )
    return out
