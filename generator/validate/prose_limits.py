"""Bounds on what Python-Markdown is given, so that building costs time linear in the input.

Python-Markdown is not linear on every input (measured with `benchmarks/adversarial_bench.py`,
figures in `benchmarks/README.md`):

* every `[` starts a scan for its `]`, and every `](` a scan for the `)` of the link target,
  to the end of the text being processed when there is none: 20,000 `[` took minutes;
* headings, horizontal rules, definitions (`: ...`), abbreviations (`*[..]: ...`) and
  admonitions (`!!! ...`) are split off their block one at a time, each split copying the
  rest of the block: thousands of them in one block are quadratic;
* nested lists, quotes and admonitions are parsed by recursion: a few hundred levels end in
  `RecursionError`, which stops the build.

A block here is the text between two blank lines: Python-Markdown never lets a paragraph, a
list item's text or a table cell cross a blank line, so the scans above stay inside one.

* SK431 bounds the scans: the characters read after each `[` up to its `]` (or to the end of
  its block when it has none), and after each `](` up to its `)`, add up to at most
  `SCAN_PER_CHAR` per character of the field. Brackets are matched as Python-Markdown matches
  them; a block holding a backtick counts every `[` as unclosed, since a code span may hide
  the `]`.
* SK432 bounds the lines split off one at a time: their count times the block's length.
* SK430 bounds nesting, SK433 the abbreviation definitions, SK434 the `[` open at once and
  SK435 runs of backticks (pandoc, which makes the DOCX and PDF documents, is exponential or
  quadratic in those).

The rules over-approximate: they must never miss a slow input, and real prose stays far below
them. Each check is linear, and a field that cheap counts already clear (nearly all) is not
looked at further. `markdown_excess` is shared by `validate` (SK430-SK433, located at the
field) and by the renderer's guard (`generator.render.prose`), which shows a field over the
limits as plain text instead of handing it to Python-Markdown, so that even an unvalidated
build cannot hang.
"""

from __future__ import annotations

import bisect
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
# The longest Markdown field: the schema's `maxLength` of every Markdown field is at most
# this (a test checks it); the renderer's guard refuses what is much longer.
HARD_MAX_CHARS = 20_000
# Levels of lists, quotes, definitions and admonitions inside each other.
MAX_NESTING = 8
# Characters scanned for brackets, per character of the field (plus `SCAN_FLOOR`): real
# prose with links needs well under 1.
SCAN_PER_CHAR = 10
SCAN_FLOOR = 1_000
# Split-off lines times their block's length, per character of the field (plus the floor):
# a split costs about a fifth of a bracket scan per character.
SPLIT_PER_CHAR = 50
SPLIT_FLOOR = 20_000
# `[` open at once in one block (nested, or never closed): pandoc's Markdown reader, which
# makes the DOCX and PDF documents, takes time exponential in them (10 took minutes).
MAX_OPEN_BRACKETS = 2
# Backticks in a row: pandoc's reader is quadratic in one run (5,000 took 2.6 s, 10,000 over
# 30 s); fences use 3 or 4.
MAX_BACKTICK_RUN = 16
_LONG_BACKTICKS = re.compile("`{" + str(MAX_BACKTICK_RUN + 1) + ",}")
# Abbreviation definitions in one field: each one is tried at every word of the field.
MAX_ABBREVIATIONS = 100

# A block opener that nests what follows it, counted in a run anywhere in a line
# (`- - - - x` is four lists inside each other, `>>>` three quotes).
_MARKER_RUN = re.compile(r"(?:>[ \t]*|(?:[-*+:]|\d{1,9}[.)])[ \t]+)+")
_MARKER = re.compile(r">|[-*+:]|\d{1,9}[.)]")
# Whether any line may nest deeper than MAX_NESTING: an indented line, or that many markers
# in a row (the per-line count runs only then).
_INDENT_HINT = re.compile(r"^(?: {4}|[ \t]*\t)", re.M)
_RUN_HINT = re.compile(r"(?:>[ \t]*|(?:[-*+:]|\d{1,9}[.)])[ \t]+){" + str(MAX_NESTING + 1) + "}")
# A line whose indentation nests it inside the block opener it starts with.
_OPENER = re.compile(r"[ \t]*(?:(?:[-*+:]|\d{1,9}[.)])(?:[ \t]|$)|>|!!!|\?\?\?|\[\^)")
# A line Python-Markdown splits off its block on its own: an ATX heading, a setext
# underline or a rule, a definition, an abbreviation, an admonition opener.
_SPLIT_LINE = re.compile(
    r"^[ ]{0,3}(?:#|:[ \t]|\*\[|!!!|\?\?\?|=+[ \t]*$|-+[ \t]*$|(?:[-*_][ \t]*){3,}$)", re.M
)
_ABBREVIATION = re.compile(r"^[ ]{0,3}\*\[", re.M)
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")


@dataclass(frozen=True)
class Excess:
    """One limit a Markdown field goes over: which (`code`), where (1-based line of the
    field), how much (`found`) against `limit`."""

    code: str
    line: int
    found: int
    limit: int


def _normalise(text: str) -> str:
    # Python-Markdown reads CR and CRLF as line breaks, and only those.
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    """(offset, text) of each block: the text between blank lines."""
    start = 0
    for m in _BLANK_LINES.finditer(text):
        yield start, text[start : m.start()]
        start = m.end()
    yield start, text[start:]


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _depth(line: str) -> int:
    """How many block levels a line opens: its markers in a row, plus one level per four
    columns of indentation when it starts a nested block."""
    runs = 0
    for m in _MARKER_RUN.finditer(line):
        runs = max(runs, len(_MARKER.findall(m.group(0))))
    indent = 0
    if line[:1] in (" ", "\t") and _OPENER.match(line):
        stripped = line.lstrip(" \t")
        indent = len(line[: len(line) - len(stripped)].expandtabs(4)) // 4
    return indent + runs


def _too_deep(text: str, slack: int = 1) -> Excess | None:
    if not (_RUN_HINT.search(text) or _INDENT_HINT.search(text)):
        return None
    for number, line in enumerate(text.split("\n"), 1):
        depth = _depth(line)
        if depth > MAX_NESTING:
            return Excess("SK430", number, depth, MAX_NESTING)
    return None


_BRACKET_CHARS = re.compile(r"[\[\]()`\\]")


def bracket_scan(block: str) -> tuple[int, int]:
    """(characters the link patterns read, most `[` open at once) in `block`, upper bounds.

    Reads: from each `[` to its `]` or the block's end, from each `](` to its `)` or the
    block's end (Python-Markdown). Open at once: unclosed `[` stay open to the block's end;
    pandoc's reader takes time exponential in them. A code span may hide a `]` or `)`: one
    counts as a closer only when no backtick stands between it and its opener, so hiding can
    only make brackets look more open than they are, never less.
    """
    n = len(block)
    cost = most = 0
    opens: list[tuple[int, int]] = []  # (position, backticks seen before it)
    parens: list[tuple[int, int]] = []
    closes: dict[int, int] = {}
    targets: list[int] = []
    ticks = 0
    skip = -1
    # Only the characters that matter, found by the regex engine (most text has few).
    for m in _BRACKET_CHARS.finditer(block):
        i = m.start()
        if i <= skip:
            continue
        c = block[i]
        if c == "\\":
            skip = i + 1  # an escaped character is neither an opener nor a closer
        elif c == "`":
            ticks += 1
        elif c == "[":
            opens.append((i, ticks))
            most = max(most, len(opens))
        elif c == "]" and opens and opens[-1][1] == ticks:
            cost += i - opens.pop()[0]
            if i + 1 < n and block[i + 1] == "(":
                targets.append(i + 1)
        elif c == "(":
            parens.append((i, ticks))
        elif c == ")" and parens and parens[-1][1] == ticks:
            closes[parens.pop()[0]] = i
    cost += sum(n - j for j, _ in opens)
    if targets:
        # A quote inside a link target makes the scan look past its `)` for the title's end.
        quotes = [m.start() for m in re.finditer("[\"']", block)]
        for p in targets:
            q = closes.get(p)
            if q is None or bisect.bisect_left(quotes, p) != bisect.bisect_left(quotes, q):
                cost += n - p
            else:
                cost += q - p
    return cost, most


_NEXT_STOP = {"<": re.compile(r">"), "&": re.compile(r"[;\s]")}


def angle_scan(block: str) -> int:
    """Characters pandoc's reader reads after `<` and `&` in `block` (an upper bound): from
    each `<` to the next `>`, from each `&` to the next `;` or space, else to the block's end
    (20,000 `<` took over 30 s to make a DOCX)."""
    n = len(block)
    cost = 0
    for ch, stop in _NEXT_STOP.items():
        if ch not in block:
            continue
        # One pass over the openers from the end, remembering the nearest stop after each.
        stops = [m.start() for m in stop.finditer(block)]
        k = len(stops)
        for m in reversed(list(re.finditer(re.escape(ch), block))):
            i = m.start()
            while k > 0 and stops[k - 1] > i:
                k -= 1
            cost += (stops[k] if k < len(stops) else n) - i
    return cost


def _bracket_limits(text: str, slack: int = 1) -> list[Excess]:
    brackets = text.count("[")
    others = text.count("<") + text.count("&")
    limit = slack * (SCAN_PER_CHAR * len(text) + SCAN_FLOOR)
    if brackets <= MAX_OPEN_BRACKETS and (brackets + others) * len(text) <= limit:
        return []
    total, worst, worst_at = 0, -1, 0
    deepest, deepest_at = 0, 0
    for offset, block in _blocks(text):
        cost, most = bracket_scan(block) if "[" in block else (0, 0)
        if others:
            cost += angle_scan(block)
        total += cost
        if cost > worst:
            worst, worst_at = cost, offset
        if most > deepest:
            deepest, deepest_at = most, offset
    # Open brackets are most often also what reads too much: one message, the one whose fix
    # (close them) fixes both.
    if deepest > MAX_OPEN_BRACKETS:
        return [Excess("SK434", _line_at(text, deepest_at), deepest, MAX_OPEN_BRACKETS)]
    if total > limit:
        return [Excess("SK431", _line_at(text, worst_at), total, limit)]
    return []


def _too_many_splits(text: str, slack: int = 1) -> Excess | None:
    limit = slack * (SPLIT_PER_CHAR * len(text) + SPLIT_FLOOR)
    # Most fields have fewer lines than could ever go over (a C count before any regex).
    if (text.count("\n") + 1) * len(text) <= limit:
        return None
    if len(_SPLIT_LINE.findall(text)) * len(text) <= limit:
        return None
    total, worst, worst_at = 0, -1, 0
    for offset, block in _blocks(text):
        cost = len(_SPLIT_LINE.findall(block)) * len(block)
        total += cost
        if cost > worst:
            worst, worst_at = cost, offset
    if total <= limit:
        return None
    return Excess("SK432", _line_at(text, worst_at), total, limit)


def _long_backticks(text: str, slack: int = 1) -> Excess | None:
    if "`" * (MAX_BACKTICK_RUN + 1) not in text:
        return None
    longest = max(len(m.group(0)) for m in _LONG_BACKTICKS.finditer(text))
    first = _LONG_BACKTICKS.search(text)
    assert first is not None
    return Excess("SK435", _line_at(text, first.start()), longest, MAX_BACKTICK_RUN)


def _too_many_abbreviations(text: str, slack: int = 1) -> Excess | None:
    if text.count("*[") <= MAX_ABBREVIATIONS:
        return None
    found = list(_ABBREVIATION.finditer(text))
    if len(found) <= MAX_ABBREVIATIONS:
        return None
    return Excess(
        "SK433", _line_at(text, found[MAX_ABBREVIATIONS].start()), len(found), MAX_ABBREVIATIONS
    )


def markdown_excess(text: str, slack: int = 1) -> list[Excess]:
    """The limits `text` (a Markdown field as written) goes over, at most one per kind;
    empty when Python-Markdown can convert it in time linear in its length. `slack`
    multiplies the scan and split budgets (see `too_costly`)."""
    text = _normalise(text)
    out = [ex for check in (_too_deep, _too_many_splits) if (ex := check(text, slack))]
    out += _bracket_limits(text, slack)
    for check in (_too_many_abbreviations, _long_backticks):
        if ex := check(text, slack):
            out.append(ex)
    return sorted(out, key=lambda ex: ex.code)


def too_costly(text: str) -> bool:
    """Whether Python-Markdown must not be given `text` (a Markdown field as written): the
    guard of the renderer and of the link check, the same limits `validate` reports."""
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


def field_values(
    data: Any, path: tuple[str, ...], at: tuple[Any, ...]
) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(place, text) of every string at `path` in `data` ("*": each list item)."""
    if not path:
        if isinstance(data, str):
            yield at, data
        return
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from field_values(item, rest, (*at, i))
    elif isinstance(data, dict) and head in data:
        yield from field_values(data[head], rest, (*at, head))


def prose_limit_rules(doc: LoadedDoc, kind: str, schema_dir: str | None) -> list[Diagnostic]:
    """SK430-SK433 for every Markdown field of a loaded file, at the field's place.

    A field longer than `HARD_MAX_CHARS` is left to the schema's `maxLength` (one problem,
    one message).
    """
    out: list[Diagnostic] = []
    for spec in markdown_paths(kind, schema_dir):
        for where, text in field_values(doc.data, spec, ()):
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
