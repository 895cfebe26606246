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

import errno
import math
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import Diagnostic, T

try:  # The C composer is ~10x faster; fall back to pure Python where libyaml is missing.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_MERGE_TAG = "tag:yaml.org,2002:merge"
_IMPLICIT_TAG = {
    yaml.ScalarNode: "tag:yaml.org,2002:str",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The C composer with a trivial tag resolver.

    The composer asks the resolver for the implicit tag of every node; PyYAML's YAML 1.1
    resolver runs a list of regular expressions for each scalar, which was a third of the
    loading time. We resolve plain scalars ourselves (YAML 1.2 rules, in the builder), so
    the only implicit tag that matters here is the merge key `<<`, which we refuse.
    """

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:  # type: ignore[override]
        if kind is yaml.ScalarNode and value == "<<" and implicit and implicit[0]:
            return _MERGE_TAG
        return _IMPLICIT_TAG[kind]

    # The composer also reports every step down and up the tree for path-based resolvers,
    # which we do not use: two Python calls per node saved (~5% of loading).
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:  # type: ignore[override]
        return None

    def ascend_resolver(self) -> None:  # type: ignore[override]
        return None


MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 40

YamlPath = tuple[str | int, ...]

_INT_RE = re.compile(r"[-+]?(0|[1-9][0-9]*)\Z")
_FLOAT_RE = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
# `010`, `007.5`: a leading zero is kept as text (codes, not numbers), never read as octal.
_LEADING_ZERO_RE = re.compile(r"[-+]?0[0-9]")
# First characters of every plain scalar that may resolve to something other than text.
_SPECIAL_START = frozenset("0123456789+-.~nNtTfFyYoO")
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
# What YAML 1.1 tools (PyYAML's default loader, many editors' plugins) would turn these into.
_YAML11_BOOL = re.compile(r"(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)\Z")
_YAML11_INTLIKE = re.compile(
    r"[-+]?(0[0-7_]+|0b[01_]+|0x[0-9a-fA-F_]+|0o[0-7]+|[0-9][0-9_]*(:[0-5]?[0-9])+|[0-9][0-9_]*_[0-9_]*)\Z"
)
_YAML11_FLOATLIKE = re.compile(
    r"[-+]?(\.inf|\.Inf|\.INF|\.nan|\.NaN|\.NAN)\Z|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*\Z"
)
# The only explicit tags accepted: they say what the node already is. Any other (`!!bool 69`,
# `!!int "12"`, `!!float`, `!!binary`, `!custom`) would ask for a conversion the registry does
# not make, so the value would silently differ from what the author asked for: refused.
_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
_STR_TAG = "tag:yaml.org,2002:str"
_YAML_ORG = "tag:yaml.org,2002:"
# Integers beyond what JSON (and JavaScript, the web form, the JSON API) hold exactly; also
# far below Python's 4,300-digit limit for turning text into an int.
MAX_SAFE_INT = 2**53 - 1
_MAX_INT_DIGITS = len(str(MAX_SAFE_INT))
# The smallest magnitude of a non-zero decimal number (see `_scalar`).
MIN_NONZERO_FLOAT = 1e-9


@dataclass
class LoadedDoc:
    """The result of loading one YAML file.

    `data` is None when the file could not be read at all. Positions are looked up in the
    composed node tree only when a diagnostic needs one (most files need none, and building a
    table of every position cost as much as parsing): `pos(path)` gives the 1-based
    (line, column) of a value, `pos(path, key=True)` of its key. `positions` and
    `key_positions` are the full tables, built on first use.
    """

    path: str
    data: Any = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    text: str = ""
    ok: bool = False
    root: Any = field(default=None, repr=False, compare=False)
    # (line, column) of values the loader refused (SK016) and replaced with None.
    refused: set[tuple[int, int]] = field(default_factory=set, repr=False, compare=False)
    _tables: tuple[dict[YamlPath, tuple[int, int]], dict[YamlPath, tuple[int, int]]] | None = field(
        default=None, repr=False, compare=False
    )

    def _node_at(self, path: YamlPath) -> tuple[Any, Any, int]:
        """(value node, key node, how many path parts were found) for `path`."""
        node, key_node, found = self.root, None, 0
        for part in path:
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == part:
                        node, key_node = v, k
                        break
                else:
                    break
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                node, key_node = node.value[part], None
            else:
                break
            found += 1
        return node, key_node, found

    def pos(self, path: YamlPath, key: bool = False) -> tuple[int, int]:
        """The closest known position for `path` (its parent's when `path` is not there)."""
        if self.root is None:
            return (1, 1)
        node, key_node, _found = self._node_at(tuple(path))
        # The key itself when asked for, or the deepest key found when `path` runs past it.
        if key and key_node is not None:
            node = key_node
        return node.start_mark.line + 1, node.start_mark.column + 1

    def _build_tables(
        self,
    ) -> tuple[dict[YamlPath, tuple[int, int]], dict[YamlPath, tuple[int, int]]]:
        if self._tables is None:
            values: dict[YamlPath, tuple[int, int]] = {}
            keys: dict[YamlPath, tuple[int, int]] = {}
            todo: list[tuple[Any, YamlPath]] = [(self.root, ())] if self.root is not None else []
            seen: set[int] = set()
            while todo:
                node, path = todo.pop()
                if id(node) in seen:  # an alias: the tables describe what was written once
                    continue
                seen.add(id(node))
                values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
                if isinstance(node, yaml.MappingNode):
                    for k, v in node.value:
                        if isinstance(k, yaml.ScalarNode):
                            kp = (*path, k.value)
                            if kp not in keys:
                                keys[kp] = (k.start_mark.line + 1, k.start_mark.column + 1)
                                todo.append((v, kp))
                elif isinstance(node, yaml.SequenceNode):
                    todo.extend((child, (*path, i)) for i, child in enumerate(node.value))
            self._tables = (values, keys)
        return self._tables

    @property
    def positions(self) -> dict[YamlPath, tuple[int, int]]:
        return self._build_tables()[0]

    @property
    def key_positions(self) -> dict[YamlPath, tuple[int, int]]:
        return self._build_tables()[1]


_VI_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ")


def _guess_encoding(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    # Vietnamese Windows files are usually cp1258; generic detectors rarely say so, so try it
    # first and accept it when the result reads like Vietnamese.
    try:
        as_1258 = raw.decode("cp1258")
        if sum(ch in _VI_LETTERS for ch in as_1258) >= 1 or re.search(
            "[\u0300\u0301\u0303\u0309\u0323]", as_1258
        ):
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
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Diagnostic("SK002", path, 1, 1, {"encoding": "UTF-16"})]
    nul = raw.find(b"\x00")
    if nul >= 0:
        # NUL is valid UTF-8 but never appears in a text file: UTF-16 without a byte-order mark.
        return None, [
            Diagnostic("SK002", path, *_line_col_of_byte(raw, nul), {"encoding": "UTF-16"})
        ]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line, col = _line_col_of_byte(raw, exc.start)
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            line, col = 1, 1
        return None, [Diagnostic("SK002", path, line, col, {"encoding": _guess_encoding(raw)})]


# Opening never follows a link in the last part of the path (a link swapped in after the file
# tree was walked) and never blocks on a FIFO; Windows has neither flag and needs neither.
OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def read_file(file: Path, display: str | None = None) -> LoadedDoc:
    """Load one YAML file from disk: a regular file only, never through a symbolic link."""
    shown = display or str(file)
    try:
        fd = os.open(file, OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP or os.path.islink(file):
            what = T(
                f"`{file.name}` là một liên kết tượng trưng (symlink)",
                f"`{file.name}` is a symbolic link (symlink)",
            )
            return LoadedDoc(shown, diagnostics=[Diagnostic("SK012", shown, 1, 1, {"what": what})])
        return LoadedDoc(
            shown,
            diagnostics=[Diagnostic("SK001", shown, 0, 0, {"reason": exc.strerror or str(exc)})],
        )
    try:
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                what = (
                    T("một thư mục", "a folder")
                    if stat.S_ISDIR(st.st_mode)
                    else T(
                        "một tệp đặc biệt (FIFO, socket, thiết bị)",
                        "a special file (FIFO, socket, device)",
                    )
                )
                return LoadedDoc(
                    shown,
                    diagnostics=[
                        Diagnostic("SK013", shown, 1, 1, {"name": file.name, "what": what})
                    ],
                )
            if st.st_size > MAX_FILE_BYTES:
                what = T(
                    f"tệp nặng {st.st_size} byte, vượt giới hạn {MAX_FILE_BYTES} byte",
                    f"the file is {st.st_size} bytes, over the {MAX_FILE_BYTES} byte limit",
                )
                return LoadedDoc(
                    shown, diagnostics=[Diagnostic("SK011", shown, 1, 1, {"what": what})]
                )
            # One byte past the limit: a file that grew since fstat is still caught.
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return LoadedDoc(
            shown,
            diagnostics=[Diagnostic("SK001", shown, 0, 0, {"reason": exc.strerror or str(exc)})],
        )
    if len(raw) > MAX_FILE_BYTES:
        what = T(
            f"tệp vượt giới hạn {MAX_FILE_BYTES} byte",
            f"the file is over the {MAX_FILE_BYTES} byte limit",
        )
        return LoadedDoc(shown, diagnostics=[Diagnostic("SK011", shown, 1, 1, {"what": what})])
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
            if _BaseLoader is not getattr(yaml, "SafeLoader", None):
                # libyaml counts bytes of the UTF-8 text; lines and columns count characters.
                pos = len(text.encode("utf-8")[:pos].decode("utf-8", errors="ignore"))
            line = text.count("\n", 0, pos) + 1
            col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        problem = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        doc.diagnostics.append(Diagnostic("SK003", path, line, col, {"problem": _explain(problem)}))
        return doc
    except RecursionError:
        doc.diagnostics.append(Diagnostic("SK011", path, 1, 1, {"what": _too_deep()}))
        return doc
    if node is None:
        doc.diagnostics.append(Diagnostic("SK007", path, 1, 1))
        return doc
    doc.root = node
    builder = _Builder(doc, text)
    try:
        doc.data = builder.build(node, 0)
    except _Stop:
        doc.data = None
        return doc
    if doc.data is None:
        # `---`, `~` or `null` alone: no record at all, which must not pass as "nothing wrong".
        doc.diagnostics.append(Diagnostic("SK007", path, 1, 1))
        return doc
    doc.ok = not any(d.severity == "error" for d in doc.diagnostics)
    return doc


def _too_big(digits: int) -> T:
    return T(
        f"là số quá lớn ({digits} chữ số): giới hạn là {MAX_SAFE_INT} (2^53 − 1)",
        f"is too large a number ({digits} digits): the limit is {MAX_SAFE_INT} (2^53 − 1)",
    )


def _too_deep() -> T:
    return T(f"lồng nhau sâu hơn {MAX_DEPTH} cấp", f"nesting deeper than {MAX_DEPTH} levels")


def _first_non_nfc(text: str) -> tuple[int, int]:
    for i, ch in enumerate(text):
        if unicodedata.combining(ch) or not unicodedata.is_normalized(
            "NFC", text[max(0, i - 1) : i + 2]
        ):
            line = text.count("\n", 0, i) + 1
            col = i - (text.rfind("\n", 0, i) + 1) + 1
            return line, col
    return 1, 1


def _syntax_diag(exc: yaml.MarkedYAMLError, path: str, text: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark is not None and "end of stream" in (exc.problem or ""):
        # An unclosed quote or bracket: where it was opened, not the end of the file.
        mark = exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or exc.context or "?"
    if "expected a single document" in (exc.context or "") or "but found another document" in (
        problem or ""
    ):
        return Diagnostic("SK006", path, line, col)
    tab = mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t"
    if exc.context and exc.context not in problem:
        problem = f"{exc.context}, {problem}"
    return Diagnostic("SK003", path, line, col, {"problem": _explain(problem, tab)})


# libyaml's problems, said the way a contributor can act on them; the English keeps the
# parser's own words (they are what a web search finds).
_PROBLEMS_VI = (
    ("tab character", "dùng tab để thụt lề; hãy thụt lề bằng dấu cách"),
    (
        "did not find expected key",
        "thụt lề không khớp: dòng này không thẳng hàng với các khoá cùng cấp",
    ),
    ("cannot start any token", "có ký tự không được đứng đầu một giá trị ở đây"),
    (
        "could not find expected ':'",
        "thiếu dấu hai chấm `:` sau tên khoá (hoặc một dòng bị ngắt giữa chừng)",
    ),
    ("did not find expected ',' or '}'", "thiếu dấu phẩy `,` hoặc ngoặc nhọn đóng `}`"),
    ("did not find expected ',' or ']'", "thiếu dấu phẩy `,` hoặc ngoặc vuông đóng `]`"),
    ("did not find expected <document start>", "có nội dung thừa, không thuộc bản ghi"),
    (
        "mapping values are not allowed",
        "có `: ` ở giữa giá trị: thụt lề sai, hoặc cần đặt cả giá trị trong dấu nháy kép",
    ),
    ("did not find expected node content", "thiếu giá trị ở đây"),
    (
        "block sequence entries are not allowed",
        "mục danh sách `- ` không được đặt ở đây (kiểm tra thụt lề)",
    ),
    (
        "did not find expected '-' indicator",
        "thiếu dấu `- ` của mục danh sách (thụt lề không đều?)",
    ),
    ("found unexpected end of stream", "tệp kết thúc khi dấu nháy hoặc dấu ngoặc chưa được đóng"),
    (
        "found unknown escape character",
        "ký tự `\\` không hợp lệ trong chuỗi nháy kép; dùng nháy đơn hoặc viết `\\\\`",
    ),
    ("control characters are not allowed", "có ký tự điều khiển (không in ra được) trong tệp"),
    ("found unexpected ':'", "dấu hai chấm `:` không đúng chỗ; hãy đặt giá trị trong dấu nháy kép"),
    (
        "found unexpected document indicator",
        "dòng `---` hoặc `...` nằm giữa một chuỗi trong dấu nháy",
    ),
    ("found duplicate anchor", "một anchor `&tên` được khai báo hai lần"),
)


def _explain(problem: str, tab: bool = False) -> T:
    """The parser's problem in both languages (Vietnamese when we know how to say it)."""
    vi = next((text for key, text in _PROBLEMS_VI if key in problem), problem)
    if tab and "tab" not in vi:
        vi += " (ký tự tab; hãy thụt lề bằng dấu cách)"
    en = problem + (" (a tab; indent with spaces)" if tab else "")
    return T(vi, en)


def _first_alias_at(text: str) -> tuple[int, int] | None:
    """Where the first `*alias` is written (only called once an alias was found: rare)."""
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark.line + 1, event.start_mark.column + 1
    except yaml.YAMLError:
        pass
    return None


class _Stop(Exception):
    """Raised to abandon building a document whose structure cannot be trusted."""


_TOKEN_BEFORE = frozenset(" \t\n[]{},:-?")


def _starts_token(text: str, ch: str, allow_double: bool = True, alone: bool = False) -> bool:
    """Whether `ch` ever stands where YAML could read it as an anchor, tag or alias indicator.

    `KH&CN`, `**đậm**` or `Lưu ý!` in prose cannot start one; skipping the per-node checks for
    such files saves a good part of the building time. `alone`: the indicator counts even
    when a space follows (`! 69` is the non-specific tag: the text "69", not a number).
    """
    if alone:
        stops: tuple[str, ...] = ("",)
    else:
        stops = ("", " ", "\n", "\t") if allow_double else ("", " ", "\n", "\t", ch)
    i = text.find(ch)
    while i >= 0:
        if (i == 0 or text[i - 1] in _TOKEN_BEFORE) and text[i + 1 : i + 2] not in stops:
            return True
        i = text.find(ch, i + 1)
    return False


class _Builder:
    def __init__(self, doc: LoadedDoc, text: str) -> None:
        self.doc = doc
        self.text = text
        self.seen: set[int] = set()
        # Anchors and tags start with `&` or `!`, aliases need a `*`: when the text has none
        # of these characters the per-node checks are skipped (they are most of the cost).
        self.check_marks = _starts_token(text, "&") or _starts_token(text, "!", alone=True)
        # An alias needs an anchor, so any possible anchor turns the alias check on too (the
        # identity check is what stops a billion-laughs expansion); `**bold**` alone does not.
        self.check_alias = self.check_marks or _starts_token(text, "*", allow_double=False)

    def _at(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def _err(self, code: str, node: yaml.Node, **args: Any) -> None:
        line, col = self._at(node)
        self.doc.diagnostics.append(Diagnostic(code, self.doc.path, line, col, args))

    def _refuse_number(self, node: yaml.Node, value: str, what: T) -> None:
        """SK016 for a number that cannot be kept; its place is remembered so that the schema
        pass does not report the same value a second time (as missing or of the wrong type)."""
        shown = value if len(value) <= 24 else f"{value[:12]}…{value[-4:]}"
        self._err("SK016", node, value=shown, what=what)
        self.doc.refused.add(self._at(node))

    def build(self, node: yaml.Node, depth: int) -> Any:
        if depth > MAX_DEPTH:
            self._err("SK011", node, what=_too_deep())
            raise _Stop
        if self.check_alias:
            if id(node) in self.seen:
                # The C composer hands back the very same node object for an alias, marked
                # where the anchor was; the parser's events know where `*name` is written.
                line, col = _first_alias_at(self.text) or self._at(node)
                self.doc.diagnostics.append(
                    Diagnostic("SK005", self.doc.path, line, col, {"what": "alias (*)"})
                )
                raise _Stop
            self.seen.add(id(node))
        explicit = False
        if self.check_marks:
            idx = node.start_mark.index
            first = self.text[idx] if 0 <= idx < len(self.text) else ""
            if first == "&":
                self._err("SK005", node, what="anchor (&)")
            if first == "!" and node.tag not in _ALLOWED_TAGS:
                tag = node.tag
                if tag.startswith(_YAML_ORG):
                    tag = "!!" + tag[len(_YAML_ORG) :]
                self._err(
                    "SK008",
                    node,
                    what=T(
                        f"thẻ kiểu `{tag}` (chỉ dùng được `!!str`; hãy bỏ thẻ và ghi giá trị)",
                        f"the tag `{tag}` (only `!!str` may be used; drop the tag and write the value)",
                    ),
                )
                raise _Stop
            explicit = first == "!"
        cls = node.__class__
        if cls is yaml.MappingNode:
            return self._mapping(node, depth)
        if cls is yaml.SequenceNode:
            return [self.build(child, depth + 1) for child in node.value]
        return self._scalar(node, explicit=explicit)

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._err("SK005", key_node, what="merge key (<<)")
                raise _Stop
            if key_node.__class__ is not yaml.ScalarNode:
                what = T(
                    "khoá phức (dùng danh sách hoặc bảng làm khoá)",
                    "a complex key (a list or mapping used as a key)",
                )
                self._err("SK008", key_node, what=what)
                raise _Stop
            # Keys are names: `2024:` or `true:` as a key stays the text written, so the
            # schema can name it.
            key = key_node.value
            if key in out:
                self._err("SK004", key_node, key=key, first_line=first_line[key])
                continue
            first_line[key] = key_node.start_mark.line + 1
            out[key] = self.build(value_node, depth + 1)
        return out

    def _scalar(self, node: yaml.ScalarNode, explicit: bool, warn: bool = True) -> Any:
        value: str = node.value
        if node.style:  # quoted, literal or folded: always text
            return value
        if explicit and node.tag == _STR_TAG:
            return value
        # Fast path: ordinary words cannot be null, a boolean or a number in either YAML 1.1
        # or 1.2, so they skip the regular expressions below.
        if value and value[0] not in _SPECIAL_START:
            return value
        if value in _NULLS:
            return None
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        leading_zero = _LEADING_ZERO_RE.match(value) is not None
        if _INT_RE.match(value):
            digits = len(value.lstrip("+-"))
            # Counted before converting: `int()` of 5,000 digits raises, and any later
            # formatting of such a number would too.
            number = int(value) if digits <= _MAX_INT_DIGITS else None
            if number is None or abs(number) > MAX_SAFE_INT:
                self._refuse_number(node, value, _too_big(digits))
                return None
            return number
        if not leading_zero and _FLOAT_RE.match(value) and any(c.isdigit() for c in value):
            number_f = float(value)
            if not math.isfinite(number_f):
                self._refuse_number(
                    node,
                    value,
                    T(
                        "lớn quá mức máy tính biểu diễn được (thành vô cực)",
                        "is too large for a computer number (it becomes infinity)",
                    ),
                )
                return None
            # `1e-400` underflows to 0.0: still not the zero the author wrote.
            underflow = not number_f and any(c in "123456789" for c in value.lower().split("e")[0])
            if underflow or (number_f and abs(number_f) < MIN_NONZERO_FLOAT):
                # 1e-300 is finite, but a change "from 1e-300 to 15" is a 10^302 % rise that
                # no page or report can print; no measured value in a record is that small.
                self._refuse_number(
                    node,
                    value,
                    T(
                        "gần 0 quá mức (nhỏ hơn 10^-9): ghi 0 hoặc đổi sang đơn vị nhỏ hơn",
                        "is too close to zero (below 10^-9): write 0 or use a smaller unit",
                    ),
                )
                return None
            return number_f
        if warn:
            other = None
            if _YAML11_BOOL.match(value):
                other = T("true/false", "true/false")
            elif (
                _YAML11_INTLIKE.match(value)
                or _YAML11_FLOATLIKE.match(value)
                # `010`, `007.5`; but not `0905 123 456` (a phone number is text everywhere).
                or (leading_zero and _FLOAT_RE.match(value))
            ):
                other = T("một số", "a number")
            if other:
                self._err("SK010", node, value=value, other=other)
        return value
