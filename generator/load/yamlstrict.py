"""A strict YAML loader that remembers where every key and value came from.

PyYAML's C composer does the parsing (fast, and it keeps line marks); we then build plain
Python data from the node tree ourselves so that nothing is silently changed:

* duplicate keys are an error (PyYAML would keep the last value and drop the first);
* plain scalars follow the YAML 1.2 core schema, not YAML 1.1: `yes/no/on/off` stay text,
  `1:30` is not sexagesimal 90, `010` is not octal 8 — these stay text and get a warning so
  that authors quote them for other tools;
* dates stay ISO strings (the schema checks them with `format: date`), so the data is JSON;
* anchors, aliases and merge keys are refused (no billion-laughs, no hidden copies);
* only UTF-8 is accepted (a BOM is fine); for anything else we name the likely encoding;
* text is normalised to NFC, and a file that was not NFC gets a warning.

A failure is a value (diagnostics in the result), never an exception.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import Diagnostic, T

try:  # The C composer is ~10x faster; fall back to pure Python where libyaml is missing.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 40

YamlPath = tuple[str | int, ...]

_INT_RE = re.compile(r"[-+]?(0|[1-9][0-9]*)\Z")
_FLOAT_RE = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
# `010`, `007.5`: a leading zero is kept as text (codes, not numbers), never read as octal.
_LEADING_ZERO_RE = re.compile(r"[-+]?0[0-9]")
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
# What YAML 1.1 tools (PyYAML's default loader, many editors' plugins) would turn these into.
_YAML11_BOOL = re.compile(r"(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)\Z")
_YAML11_INTLIKE = re.compile(
    r"[-+]?(0[0-7_]+|0b[01_]+|0x[0-9a-fA-F_]+|0o[0-7]+|[0-9][0-9_]*(:[0-5]?[0-9])+|[0-9][0-9_]*_[0-9_]*)\Z"
)
_YAML11_FLOATLIKE = re.compile(r"[-+]?(\.inf|\.Inf|\.INF|\.nan|\.NaN|\.NAN)\Z|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*\Z")
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:timestamp",
}
_STR_TAG = "tag:yaml.org,2002:str"


@dataclass
class LoadedDoc:
    """The result of loading one YAML file.

    `data` is None when the file could not be read at all. `positions` maps a path inside
    the document (keys and list indexes) to the 1-based (line, column) of its value;
    `key_positions` to the position of the key itself.
    """

    path: str
    data: Any = None
    positions: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    text: str = ""
    ok: bool = False

    def pos(self, path: YamlPath, key: bool = False) -> tuple[int, int]:
        """The closest known position for `path` (walking up to the parent when unknown)."""
        table = self.key_positions if key else self.positions
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if key and p in self.positions:
                return self.positions[p]
            p = p[:-1]
            table = self.key_positions if key else self.positions
        return self.positions.get((), (1, 1))


_VI_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ")


def _guess_encoding(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    # Vietnamese Windows files are usually cp1258; generic detectors rarely say so, so try it
    # first and accept it when the result reads like Vietnamese.
    try:
        as_1258 = raw.decode("cp1258")
        if sum(ch in _VI_LETTERS for ch in as_1258) >= 1 or re.search("[\u0300\u0301\u0303\u0309\u0323]", as_1258):
            return "Windows-1258"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        try:
            raw.decode("cp1252")
            return "Windows-1252 / Latin-1"
        except UnicodeDecodeError:
            pass
        best = from_bytes(raw[:20000]).best()
        if best is not None and best.encoding:
            return best.encoding.replace("_", "-").upper()
    except Exception:  # pragma: no cover - a detector failure must not hide the real error
        pass
    return "không rõ / unknown"


def _line_col_of_byte(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    col = len(raw[start:offset].decode("utf-8", errors="replace")) + 1
    return line, col


def decode(raw: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 (optionally with a BOM) to text; anything else is SK002 at the first bad byte."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line, col = _line_col_of_byte(raw, exc.start)
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            line, col = 1, 1
        return None, [Diagnostic("SK002", path, line, col, {"encoding": _guess_encoding(raw)})]


def read_file(file: Path, display: str | None = None) -> LoadedDoc:
    """Load one YAML file from disk."""
    shown = display or str(file)
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            return LoadedDoc(shown, diagnostics=[Diagnostic("SK011", shown, 1, 1, {"what": f"{size} bytes > {MAX_FILE_BYTES}"})])
        raw = file.read_bytes()
    except OSError as exc:
        return LoadedDoc(shown, diagnostics=[Diagnostic("SK001", shown, 0, 0, {"reason": exc.strerror or str(exc)})])
    return load_bytes(raw, shown)


def load_bytes(raw: bytes, path: str) -> LoadedDoc:
    text, diags = decode(raw, path)
    if text is None:
        return LoadedDoc(path, diagnostics=diags)
    return load_text(text, path)


def load_text(text: str, path: str) -> LoadedDoc:
    """Parse YAML text into plain data with positions; never raises on bad input."""
    doc = LoadedDoc(path, text=text)
    if not unicodedata.is_normalized("NFC", text):
        line, col = _first_non_nfc(text)
        doc.diagnostics.append(Diagnostic("SK009", path, line, col))
        text = unicodedata.normalize("NFC", text)
        doc.text = text
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        doc.diagnostics.append(_syntax_diag(exc, path, text))
        return doc
    except yaml.YAMLError as exc:  # reader errors (control characters) carry a position only
        pos = getattr(exc, "position", None)
        line, col = (1, 1)
        if isinstance(pos, int):
            line = text.count("\n", 0, pos) + 1
            col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        problem = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        doc.diagnostics.append(Diagnostic("SK003", path, line, col, {"problem": problem}))
        return doc
    except RecursionError:
        doc.diagnostics.append(Diagnostic("SK011", path, 1, 1, {"what": f"nesting deeper than {MAX_DEPTH}"}))
        return doc
    if node is None:
        doc.diagnostics.append(Diagnostic("SK007", path, 1, 1))
        return doc
    builder = _Builder(doc, text)
    try:
        doc.data = builder.build(node, (), 0)
    except _Stop:
        doc.data = None
        return doc
    doc.ok = not any(d.severity == "error" for d in doc.diagnostics)
    return doc


def _first_non_nfc(text: str) -> tuple[int, int]:
    for i, ch in enumerate(text):
        if unicodedata.combining(ch) or not unicodedata.is_normalized("NFC", text[max(0, i - 1) : i + 2]):
            line = text.count("\n", 0, i) + 1
            col = i - (text.rfind("\n", 0, i) + 1) + 1
            return line, col
    return 1, 1


def _syntax_diag(exc: yaml.MarkedYAMLError, path: str, text: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or exc.context or "?"
    if "expected a single document" in (exc.context or "") or "but found another document" in (problem or ""):
        return Diagnostic("SK006", path, line, col)
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        problem += " (tab; thụt lề bằng dấu cách / indent with spaces)"
    if exc.context and exc.context not in problem:
        problem = f"{exc.context}, {problem}"
    return Diagnostic("SK003", path, line, col, {"problem": problem})


class _Stop(Exception):
    """Raised to abandon building a document whose structure cannot be trusted."""


class _Builder:
    def __init__(self, doc: LoadedDoc, text: str) -> None:
        self.doc = doc
        self.text = text
        self.seen: set[int] = set()

    def _at(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def _err(self, code: str, node: yaml.Node, **args: Any) -> None:
        line, col = self._at(node)
        self.doc.diagnostics.append(Diagnostic(code, self.doc.path, line, col, args))

    def build(self, node: yaml.Node, path: YamlPath, depth: int) -> Any:
        if depth > MAX_DEPTH:
            self._err("SK011", node, what=f"nesting deeper than {MAX_DEPTH}")
            raise _Stop
        if id(node) in self.seen:
            # The C composer hands back the very same node object for an alias, marked where
            # the anchor was; the key that holds the alias is the place to point at.
            line, col = self.doc.key_positions.get(path, self._at(node))
            self.doc.diagnostics.append(
                Diagnostic("SK005", self.doc.path, line, col, {"what": "alias (*)"})
            )
            raise _Stop
        self.seen.add(id(node))
        self.doc.positions[path] = self._at(node)
        idx = node.start_mark.index
        first = self.text[idx] if 0 <= idx < len(self.text) else ""
        if first == "&":
            self._err("SK005", node, what="anchor (&)")
        if first == "!" and node.tag not in _STANDARD_TAGS:
            self._err("SK008", node, what=f"tag `{node.tag}`")
            raise _Stop
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
        return self._scalar(node, explicit=first == "!")

    def _mapping(self, node: yaml.MappingNode, path: YamlPath, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._err("SK005", key_node, what="merge key (<<)")
                raise _Stop
            if not isinstance(key_node, yaml.ScalarNode):
                self._err("SK008", key_node, what="complex key (a list or mapping used as a key)")
                raise _Stop
            key = self._scalar(key_node, explicit=False, warn=False)
            if not isinstance(key, str):
                # Keys are names; `2024:` or `true:` as a key is almost surely a mistake, but
                # keep it as text so the schema can name it.
                key = key_node.value
            key_path = (*path, key)
            if key in out or key in first_line:
                self._err("SK004", key_node, key=key, first_line=first_line.get(key, "?"))
                continue
            first_line[key] = key_node.start_mark.line + 1
            self.doc.key_positions[key_path] = self._at(key_node)
            out[key] = self.build(value_node, key_path, depth + 1)
        return out

    def _scalar(self, node: yaml.ScalarNode, explicit: bool, warn: bool = True) -> Any:
        value: str = node.value
        if node.style:  # quoted, literal or folded: always text
            return value
        if explicit and node.tag == _STR_TAG:
            return value
        if value in _NULLS:
            return None
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        leading_zero = _LEADING_ZERO_RE.match(value) is not None
        if _INT_RE.match(value):
            return int(value)
        if not leading_zero and _FLOAT_RE.match(value) and any(c.isdigit() for c in value):
            return float(value)
        if warn:
            other = None
            if _YAML11_BOOL.match(value):
                other = T("true/false", "true/false")
            elif _YAML11_INTLIKE.match(value) or _YAML11_FLOATLIKE.match(value) or leading_zero:
                other = T("một số", "a number")
            if other:
                self._err("SK010", node, value=value, other=other)
        return value
