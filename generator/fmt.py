"""Canonical formatting of registry files, keeping every comment and every value.

ruamel.yaml's round-trip mode keeps comments and block styles; we only
* normalise text to NFC,
* order keys as the JSON Schema lists them (unknown keys keep their place at the end),
* quote consistently: plain when the strict loader reads the text back unchanged and without
  a warning, double quotes otherwise (never single quotes),
* indent mappings by 2 and list items by 2 under their key.

Safety net: the formatted text is loaded again with the strict loader and must give exactly
the same data; if not, the file is left untouched and the difference is reported.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    ScalarString,
)

from generator import fsio
from generator.diagnostics import Diagnostic
from generator.load.yamlstrict import load_text

_PLAIN_SAFE = re.compile(r"[^\-?:,\[\]{}#&*!|>'\"%@`\s][^\n]*\Z")
_RISKY = re.compile(r":(\s|$)|\s#|\s\Z|\t")


@dataclass
class FmtResult:
    path: str
    changed: bool
    new_text: str | None
    diagnostics: list[Diagnostic]


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096
    y.preserve_quotes = False
    y.allow_unicode = True
    return y


def _needs_quotes(s: str) -> bool:
    if not s or not _PLAIN_SAFE.match(s) or _RISKY.search(s):
        return True
    probe = load_text(f"k: {s}\n", "probe")
    return not probe.ok or probe.data != {"k": s} or bool(probe.diagnostics)


def _style(value: Any) -> Any:
    if isinstance(value, (LiteralScalarString, FoldedScalarString)):
        # Block scalars keep their style and, for `>`, the author's line breaks (fold_pos);
        # the text was normalised to NFC before parsing, so there is nothing to change.
        return value
    if isinstance(value, str):
        s = unicodedata.normalize("NFC", str(value))
        if "\n" in s:
            return LiteralScalarString(s)
        return DoubleQuotedScalarString(s) if _needs_quotes(s) else s
    return value


def _subschema(schema: dict[str, Any], key: Any) -> dict[str, Any]:
    if isinstance(key, int):
        items = schema.get("items")
        return items if isinstance(items, dict) else {}
    prop = schema.get("properties", {}).get(key)
    return prop if isinstance(prop, dict) else {}


def _canon(node: Any, schema: dict[str, Any]) -> Any:
    if isinstance(node, CommentedMap):
        order = list(schema.get("properties", {}))
        keys = list(node.keys())
        ranked = sorted(
            keys, key=lambda k: order.index(k) if k in order else len(order) + keys.index(k)
        )
        if ranked != keys:
            # Rebuild in schema order, carrying each key's comments along with it.
            items = [(k, node[k], node.ca.items.get(k)) for k in ranked]
            for k in keys:
                del node[k]
            for k, v, ca in items:
                node[k] = v
                if ca is not None:
                    node.ca.items[k] = ca
        for k in list(node.keys()):
            node[k] = _canon(
                _style(node[k])
                if not isinstance(node[k], (CommentedMap, CommentedSeq))
                else node[k],
                _subschema(schema, k),
            )
        return node
    if isinstance(node, CommentedSeq):
        for i in range(len(node)):
            item = node[i]
            node[i] = _canon(
                _style(item) if not isinstance(item, (CommentedMap, CommentedSeq)) else item,
                _subschema(schema, i),
            )
        return node
    if isinstance(node, (ScalarString, str)):
        return _style(node)
    return node


def format_text(text: str, path: str, schema: dict[str, Any]) -> FmtResult:
    """Return the canonical text of one file (or diagnostics when it cannot be formatted)."""
    before = load_text(text, path)
    errors = [d for d in before.diagnostics if d.severity == "error"]
    if errors or before.data is None:
        return FmtResult(path, False, None, errors or before.diagnostics)
    nfc = unicodedata.normalize("NFC", text)
    y = _yaml()
    try:
        doc = y.load(nfc)
    except Exception as exc:  # ruamel is stricter than libyaml on a few inputs
        return FmtResult(
            path,
            False,
            None,
            [Diagnostic("SK003", path, 1, 1, {"problem": str(exc).splitlines()[0]})],
        )
    doc = _canon(doc, schema)
    buf = io.StringIO()
    y.dump(doc, buf)
    new = unicodedata.normalize("NFC", buf.getvalue())
    if isinstance(doc, CommentedSeq):
        # A top-level list (the field taxonomy) starts at column 0 like the data model shows;
        # ruamel indents it by the sequence offset. A uniform dedent keeps the meaning, and
        # the check below proves it.
        new = "".join(line[2:] if line.startswith("  ") else line for line in new.splitlines(True))
    after = load_text(new, path)
    if after.data != before.data:
        return FmtResult(
            path,
            False,
            None,
            [
                Diagnostic(
                    "SK003",
                    path,
                    1,
                    1,
                    {
                        "problem": "sangkien fmt would change the data; file left untouched (please report this)"
                    },
                )
            ],
        )
    return FmtResult(path, new != text, new, [])


def format_file(file: Path, display: str, schema: dict[str, Any], write: bool) -> FmtResult:
    raw = file.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        from generator.load.yamlstrict import decode

        _, diags = decode(raw, display)
        return FmtResult(display, False, None, diags)
    result = format_text(text, display, schema)
    if write and result.changed and result.new_text is not None:
        # Atomic: a crash never leaves a half-written record.
        fsio.write_text(file, result.new_text, force=True)
    return result
