"""Untrusted record text in documents: an allow-list applied to pandoc's AST, not to the source.

Records arrive by pull request. A guide or form is a trusted template (our Markdown, with
plain-text values escaped) into which record prose fields are placed. Each prose field is
carried in the template as one placeholder line (`field_markdown`), parsed by pandoc *on its
own* (so it cannot close or swallow anything of the template), and walked here:

* a Link keeps its target only for http, https, mailto, tel or a relative/fragment target;
  any other link becomes its plain inline content (SK411);
* an Image is kept only when its target is a path, relative to the project root, inside the
  record's own attachments folder `registry/attachments/<id>/`, and the file is a PNG, JPEG
  or GIF by its first bytes, within `attachment_max_bytes`. Its bytes are read here, never by
  pandoc or typst: DOCX/HTML get a `data:` URI, typst a copy in its private root folder.
  Anything else (a URL, `//host`, an absolute path, `..`, a symlink out, another record's
  folder, an SVG ...) is replaced by its alt text (SK410): documents never fetch;
* RawBlock/RawInline are dropped (SK412); Div/Span are unwrapped and every attribute is
  cleared (an attribute can carry `onclick` into HTML or a style into Word);
* any node type not listed here is dropped: this is an allow-list.

Template raw blocks (the national heading, signatures, page breaks from `blocks.py`) are kept
only when `blocks.py` produced exactly that text in this process (`trusted_raw`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

Node = dict[str, Any]

SAFE_LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# (magic, extension, MIME type). No SVG: it is XML that can reference other files.
IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"GIF87a", "gif", "image/gif"),
    (b"GIF89a", "gif", "image/gif"),
)
ATTACHMENTS = "registry/attachments"

_FIELD_LINE = re.compile(r"^⟦sangkien-field:([A-Za-z0-9_-]*={0,2})⟧[ \t]*$", re.M)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_EMPTY_ATTR: list[Any] = ["", [], []]

# Raw blocks made by blocks.py in this process: (pandoc format, text).
_TRUSTED_RAW: set[tuple[str, str]] = set()


def trust_raw(fmt: str, text: str) -> None:
    """Record that our own layout code produced this raw block (see module docstring)."""
    _TRUSTED_RAW.add((fmt, text.strip("\n")))


# ---- placeholders ----------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldText:
    """One untrusted prose field of a record, as placed in a document's Markdown."""

    source: str  # the record's YAML file, relative to the project
    record_id: str
    field: str  # YAML path with dots: "replication.core"
    text: str


def field_markdown(source: str, record_id: str, field_path: str, text: str | None) -> str:
    """The placeholder line standing for an untrusted Markdown field ("" when it is blank).

    The text travels base64-encoded, so nothing of it is read as part of the template; the
    line is deterministic, so the document cache key still follows the record's content.
    """
    if not text or not text.strip():
        return ""
    payload = json.dumps(
        {"s": source, "i": record_id, "f": field_path, "t": text}, ensure_ascii=False
    )
    return f"⟦sangkien-field:{base64.urlsafe_b64encode(payload.encode()).decode()}⟧"


def split_fields(markdown: str, token: Callable[[int], str]) -> tuple[str, list[FieldText]]:
    """Replace each placeholder line by `token(n)` and return the fields in order."""
    fields: list[FieldText] = []

    def repl(m: re.Match[str]) -> str:
        data = json.loads(base64.urlsafe_b64decode(m.group(1)).decode())
        fields.append(FieldText(data["s"], data["i"], data["f"], data["t"]))
        return token(len(fields) - 1)

    return _FIELD_LINE.sub(repl, markdown), fields


def expand_fields(markdown: str, render: Callable[[FieldText], str]) -> str:
    """Replace each placeholder line by `render(field)` (used for the Markdown export)."""

    def repl(m: re.Match[str]) -> str:
        data = json.loads(base64.urlsafe_b64decode(m.group(1)).decode())
        return render(FieldText(data["s"], data["i"], data["f"], data["t"]))

    return _FIELD_LINE.sub(repl, markdown)


# ---- what was dropped ------------------------------------------------------------------------
@dataclass(frozen=True)
class Dropped:
    """One thing the filter removed from a record field: reported as SK410/SK411/SK412."""

    code: str
    source: str
    field: str
    args: tuple[tuple[str, str], ...]


def link_allowed(target: str) -> bool:
    """http(s)/mailto/tel URLs, fragments and relative paths; nothing else.

    Control characters and spaces are removed first (browsers ignore them inside a scheme);
    a backslash is refused (Windows reads `\\\\host\\share` as a network path), and so is a
    `//host` target.
    """
    t = _CONTROL.sub("", target)
    if "\\" in t or t.startswith("//"):
        return False
    m = _SCHEME.match(t)
    if m:
        return m.group(1).lower() in SAFE_LINK_SCHEMES
    head = t.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return ":" not in head


@dataclass
class Image:
    """An allowed image, read once: its bytes and a stable name."""

    name: str
    data: bytes
    mime: str


def image_kind(data: bytes) -> tuple[str, str] | None:
    """(extension, MIME type) of a PNG, JPEG or GIF by its first bytes; None otherwise."""
    for magic, ext, mime in IMAGE_MAGIC:
        if data.startswith(magic):
            return ext, mime
    return None


def load_image(target: str, record_id: str, project_dir: str | Path, max_bytes: int) -> Image | str:
    """The image at `target` if the rule allows it, else the reason (English, short)."""
    t = _CONTROL.sub("", target)
    if _SCHEME.match(t) or t.startswith(("//", "\\\\")):
        return "URL"
    path = unquote(t.split("#", 1)[0].split("?", 1)[0])
    if not path or path.startswith(("/", "\\")) or "\\" in path or "\x00" in path:
        return "path"
    root = Path(project_dir).resolve()
    folder = (root / ATTACHMENTS / record_id).resolve()
    try:
        real = (root / path).resolve(strict=True)
    except (OSError, RuntimeError):
        return "missing"
    if not real.is_relative_to(folder) or real == folder:
        return "path"
    # Non-blocking, no symlink, and a regular file: a FIFO or a device never stalls a build.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(real, flags)
    except OSError:
        return "missing"
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return "missing"
        data = os.read(fd, max_bytes + 1)
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        return "size"
    kind = image_kind(data)
    if kind is None:
        return "type"
    ext, mime = kind
    return Image(f"img-{hashlib.sha256(data).hexdigest()[:16]}.{ext}", data, mime)


_REASONS = {
    "URL": ("địa chỉ mạng: tài liệu không tải gì từ mạng", "a URL: documents never fetch"),
    "path": (
        "ngoài thư mục registry/attachments/<mã> của hồ sơ",
        "outside the record's registry/attachments/<id> folder",
    ),
    "missing": ("không có tệp này", "no such file"),
    "size": ("tệp quá lớn", "the file is too large"),
    "type": ("không phải ảnh PNG, JPEG hay GIF", "not a PNG, JPEG or GIF image"),
}


def without_images(blocks: list[Node]) -> list[Node]:
    """`blocks` with every Image replaced by its alt text (a last resort for typst)."""

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            out: list[Any] = []
            for item in node:
                if isinstance(item, dict) and item.get("t") == "Image":
                    out.extend(walk(item["c"][1]))
                else:
                    out.append(walk(item))
            return out
        if isinstance(node, dict) and "c" in node:
            return {**node, "c": walk(node["c"])}
        return node

    return walk(blocks)


# ---- the walk --------------------------------------------------------------------------------
@dataclass
class Sanitiser:
    """Walks pandoc JSON blocks; one instance per document.

    `image_mode`: "data" (a data: URI, for DOCX and HTML), "file" (a root-relative name for
    typst, the bytes kept in `images`), "keep" (the checked relative path, for Markdown) or
    "drop" (every image becomes its alt text: the Word import).
    `raw_format`: the pandoc raw format of the target whose trusted raw blocks are kept.
    """

    project_dir: str | Path
    image_mode: str = "data"
    raw_format: str | None = None
    max_image_bytes: int = 10_000_000
    dropped: list[Dropped] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)
    # Where each kept image came from, to name it should typst fail to read it.
    image_origins: list[Dropped] = field(default_factory=list)
    # The field being walked; None for the trusted template.
    current: FieldText | None = None

    def field_blocks(self, f: FieldText, blocks: list[Node]) -> list[Node]:
        self.current = f
        try:
            return self.blocks(blocks)
        finally:
            self.current = None

    def _drop(self, code: str, **args: str) -> None:
        if self.current is not None:
            self.dropped.append(
                Dropped(code, self.current.source, self.current.field, tuple(args.items()))
            )

    # blocks
    def blocks(self, blocks: list[Node]) -> list[Node]:
        out: list[Node] = []
        for b in blocks:
            out.extend(self.block(b))
        return out

    def block(self, b: Node) -> list[Node]:
        t, c = b.get("t"), b.get("c")
        if t in ("Plain", "Para"):
            return [{"t": t, "c": self.inlines(c)}]
        if t == "LineBlock":
            return [{"t": t, "c": [self.inlines(line) for line in c]}]
        if t == "CodeBlock":
            return [{"t": t, "c": [_EMPTY_ATTR, c[1]]}]
        if t == "RawBlock":
            fmt, text = c
            if (
                self.current is None
                and fmt == self.raw_format
                and (fmt, text.strip("\n")) in _TRUSTED_RAW
            ):
                return [b]
            self._drop("SK412", format=str(fmt))
            return []
        if t == "BlockQuote":
            return [{"t": t, "c": self.blocks(c)}]
        if t == "OrderedList":
            return [{"t": t, "c": [c[0], [self.blocks(item) for item in c[1]]]}]
        if t == "BulletList":
            return [{"t": t, "c": [self.blocks(item) for item in c]}]
        if t == "DefinitionList":
            return [
                {
                    "t": t,
                    "c": [[self.inlines(term), [self.blocks(d) for d in defs]] for term, defs in c],
                }
            ]
        if t == "Header":
            attr = c[1] if self.current is None else _EMPTY_ATTR
            return [{"t": t, "c": [c[0], attr, self.inlines(c[2])]}]
        if t == "HorizontalRule":
            return [{"t": t}]
        if t == "Table":
            _attr, caption, specs, head, bodies, foot = c
            return [
                {
                    "t": t,
                    "c": [
                        _EMPTY_ATTR,
                        self._caption(caption),
                        specs,
                        [_EMPTY_ATTR, [self._row(r) for r in head[1]]],
                        [
                            [
                                _EMPTY_ATTR,
                                body[1],
                                [self._row(r) for r in body[2]],
                                [self._row(r) for r in body[3]],
                            ]
                            for body in bodies
                        ],
                        [_EMPTY_ATTR, [self._row(r) for r in foot[1]]],
                    ],
                }
            ]
        if t == "Figure":
            return [{"t": t, "c": [_EMPTY_ATTR, self._caption(c[1]), self.blocks(c[2])]}]
        if t == "Div":
            return self.blocks(c[1])
        return []

    def _caption(self, caption: list[Any]) -> list[Any]:
        short, long = caption
        return [self.inlines(short) if short is not None else None, self.blocks(long)]

    def _row(self, row: list[Any]) -> list[Any]:
        return [
            _EMPTY_ATTR,
            [[_EMPTY_ATTR, cell[1], cell[2], cell[3], self.blocks(cell[4])] for cell in row[1]],
        ]

    # inlines
    def inlines(self, inlines: list[Node]) -> list[Node]:
        out: list[Node] = []
        for i in inlines:
            out.extend(self.inline(i))
        return out

    def inline(self, i: Node) -> list[Node]:
        t, c = i.get("t"), i.get("c")
        if t in ("Str",):
            return [i]
        if t in ("Space", "SoftBreak", "LineBreak"):
            return [{"t": t}]
        if t in (
            "Emph",
            "Underline",
            "Strong",
            "Strikeout",
            "Superscript",
            "Subscript",
            "SmallCaps",
        ):
            return [{"t": t, "c": self.inlines(c)}]
        if t == "Quoted":
            return [{"t": t, "c": [c[0], self.inlines(c[1])]}]
        if t == "Cite":
            return self.inlines(c[1])
        if t == "Code":
            return [{"t": t, "c": [_EMPTY_ATTR, c[1]]}]
        if t == "Math":
            # Shown as typed: TeX is not a record's business and typst/Word need none of it.
            delim = "$$" if c[0].get("t") == "DisplayMath" else "$"
            return [{"t": "Str", "c": f"{delim}{c[1]}{delim}"}]
        if t == "RawInline":
            self._drop("SK412", format=str(c[0]))
            return []
        if t == "Link":
            url, title = c[2]
            content = self.inlines(c[1])
            if link_allowed(url):
                return [{"t": t, "c": [_EMPTY_ATTR, content, [url, title]]}]
            self._drop("SK411", target=url)
            return content
        if t == "Image":
            return self._image(c)
        if t == "Note":
            return [{"t": t, "c": self.blocks(c)}]
        if t == "Span":
            return self.inlines(c[1])
        return []

    def _image(self, c: list[Any]) -> list[Node]:
        alt = self.inlines(c[1])
        url, title = c[2]
        if self.current is None:
            return alt  # the template never shows images
        if self.image_mode == "drop":
            self._drop("SK410", target=url, reason_vi="không nhập ảnh", reason_en="not imported")
            return alt
        found = load_image(url, self.current.record_id, self.project_dir, self.max_image_bytes)
        if isinstance(found, str):
            vi, en = _REASONS[found]
            self._drop("SK410", target=url, reason_vi=vi, reason_en=en)
            return alt
        if self.image_mode == "keep":
            target = url
        elif self.image_mode == "file":
            self.images[found.name] = found.data
            target = "/" + found.name
            self.image_origins.append(
                Dropped(
                    "SK410",
                    self.current.source,
                    self.current.field,
                    (
                        ("target", url),
                        ("reason_vi", "typst không đọc được ảnh"),
                        ("reason_en", "typst cannot read the image"),
                    ),
                )
            )
        else:
            target = f"data:{found.mime};base64,{base64.b64encode(found.data).decode()}"
        return [{"t": "Image", "c": [_EMPTY_ATTR, alt, [target, title]]}]
