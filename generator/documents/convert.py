"""Markdown -> DOCX / PDF / HTML / Markdown through pandoc (and typst for PDF), confined.

pandoc comes inside the `pypandoc-binary` wheel (3.x, with a typst writer), typst inside the
`typst` wheel: a fresh machine needs no system tools and no LaTeX.

Confinement (records are untrusted, see `sanitise`):

* pandoc always runs with `--sandbox` (it reads only the files named on its command line:
  the inputs and the reference DOCX, and fetches nothing) and a heap limit;
* a document is parsed to pandoc's JSON AST (template and each record field separately, one
  pandoc run for a whole batch), filtered by `sanitise.Sanitiser`, and every output is
  written from the filtered AST;
* typst compiles in a temporary root folder holding only `main.typ` and the images the
  filter allowed; fonts come from the bundled font folder only.

Every writer goes to a temporary file in the target folder and is renamed into place only
when complete, so a failure never leaves half a document behind.
"""

from __future__ import annotations

import functools
import json
import re
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import fsio
from generator.diagnostics import Diagnostic
from generator.documents.bullets import TYPST_LIST_MARKER, plain_dash_bullets
from generator.documents.fonts import FAMILY, font_dir
from generator.documents.reference import reference_docx
from generator.documents.sanitise import (
    Dropped,
    FieldText,
    Sanitiser,
    expand_fields,
    split_fields,
    without_images,
)
from generator.layout import DECREE_30, Layout

FORMATS = ("docx", "pdf", "md", "html")
# The reader: pandoc's Markdown without raw HTML/TeX, metadata blocks or title blocks (record
# text is untrusted), keeping raw-attribute blocks for the layout helpers in blocks.py (the
# filter drops every raw block it did not see blocks.py make).
READER = "markdown-raw_html-raw_tex-implicit_figures-smart-yaml_metadata_block-pandoc_title_block"
# pandoc's heap: far above what the largest guide needs, far below what hurts the machine.
PANDOC_HEAP = "2g"
PANDOC_TIMEOUT_S = 600
_RAW_FORMAT = {"docx": "openxml", "pdf": "typst", "html": "html", "md": None}
_IMAGE_MODE = {"docx": "data", "html": "data", "pdf": "file", "md": "keep"}


class ConversionError(RuntimeError):
    """pandoc or typst failed; the message says which document."""


@functools.cache
def _pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def run_pandoc(args: list[str], data: bytes | None = None, *, heap: str = PANDOC_HEAP) -> bytes:
    """Run pandoc sandboxed, with a heap limit; its stdout, or ConversionError with stderr."""
    cmd = [_pandoc_path(), "+RTS", f"-M{heap}", "-RTS", "--sandbox", *args]
    try:
        proc = subprocess.run(
            cmd, input=data, capture_output=True, timeout=PANDOC_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ConversionError(f"pandoc: {exc}") from exc
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip()
        if "Heap exhausted" in err or "heap overflow" in err:
            err = f"pandoc vượt giới hạn bộ nhớ {heap} / pandoc exceeded its {heap} memory limit"
        raise ConversionError(err[-2000:] or f"pandoc exit {proc.returncode}")
    return proc.stdout


def _atomic_target(out: Path) -> Path:
    """A temporary file beside `out`; `fsio.commit` renames it into place when complete
    (with the usual permissions, never over a link or a device). The caller decided that
    `out` may be replaced: `sangkien export` checks before it starts."""
    fsio.make_dirs(out.parent)
    return fsio.temp_beside(out)


# ---- parsing and filtering -------------------------------------------------------------------
def _text_of(inlines: list[dict[str, Any]]) -> str:
    return "".join(i.get("c", " ") if i.get("t") == "Str" else " " for i in inlines)


def parse_many(texts: list[str]) -> tuple[list[int], list[list[dict[str, Any]]]]:
    """Parse each Markdown text on its own, in one pandoc run: (api version, blocks per text).

    `--file-scope` parses every input file separately (nothing in one text can close, swallow
    or define anything for another); each file opens with a heading carrying a random nonce,
    which no text can forge, to find where its blocks start in the joined result. Should the
    headings not come back in order, each text is parsed alone.
    """
    if not texts:
        return [], []
    nonce = secrets.token_hex(8)
    with tempfile.TemporaryDirectory(prefix="sangkien-md-") as tmp:
        paths = []
        for n, text in enumerate(texts):
            path = Path(tmp) / f"{n}.md"
            path.write_text(f"# SKPART{nonce}N{n}\n\n{text}\n", encoding="utf-8")
            paths.append(str(path))
        doc = json.loads(run_pandoc(["--file-scope", "-f", READER, "-t", "json", *paths]))
    parts: list[list[dict[str, Any]]] = []
    for b in doc["blocks"]:
        if b.get("t") == "Header" and _text_of(b["c"][2]) == f"SKPART{nonce}N{len(parts)}":
            parts.append([])
        elif parts:
            parts[-1].append(b)
        else:
            break
    if len(parts) != len(texts):
        if len(texts) == 1:
            raise ConversionError("pandoc: unexpected output")
        parts = [parse_many([t])[1][0] for t in texts]
    return doc["pandoc-api-version"], parts


@dataclass
class Prepared:
    """One document as a filtered pandoc AST, with what the filter kept and dropped."""

    blocks: list[dict[str, Any]]
    images: dict[str, bytes] = field(default_factory=dict)
    dropped: list[Dropped] = field(default_factory=list)
    image_origins: list[Dropped] = field(default_factory=list)


def prepare_many(
    markdowns: list[str], fmt: str, project_dir: str | Path, max_image_bytes: int
) -> tuple[list[int], list[Prepared]]:
    """Parse and filter documents (template + record fields), all in one pandoc run."""
    nonce = secrets.token_hex(6)
    texts: list[str] = []
    layout: list[tuple[int, list[FieldText]]] = []
    for md in markdowns:
        template, fields = split_fields(md, lambda n: f"SKFIELD{nonce}N{n}")
        layout.append((len(texts), fields))
        texts.append(template)
        texts.extend(f.text for f in fields)
    api, parts = parse_many(texts)
    out = []
    for start, fields in layout:
        s = Sanitiser(
            project_dir,
            image_mode=_IMAGE_MODE[fmt],
            raw_format=_RAW_FORMAT[fmt],
            max_image_bytes=max_image_bytes,
        )
        filled = [s.field_blocks(f, parts[start + 1 + n]) for n, f in enumerate(fields)]
        blocks: list[dict[str, Any]] = []
        seen = 0
        for b in s.blocks(parts[start]):
            m = (
                re.fullmatch(rf"SKFIELD{nonce}N(\d+)", _text_of(b["c"]))
                if b.get("t") == "Para"
                else None
            )
            if m:
                blocks.extend(filled[int(m.group(1))])
                seen += 1
            else:
                blocks.append(b)
        if seen != len(fields):
            raise ConversionError("a record field was not placed in its document (our bug)")
        out.append(Prepared(blocks, s.images, s.dropped, s.image_origins))
    return api, out


def _json(api: list[int], blocks: list[dict[str, Any]]) -> bytes:
    # Our own metadata only: nothing a record wrote reaches the template variables.
    doc = {"pandoc-api-version": api, "meta": {}, "blocks": blocks}
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def diagnostics(dropped: list[Dropped], project_dir: str | Path) -> list[Diagnostic]:
    """SK410/SK411/SK412 diagnostics, located at the field in the record's YAML file."""
    from generator.diagnostics import T
    from generator.load.yamlstrict import read_file

    docs: dict[str, Any] = {}
    out: list[Diagnostic] = []
    seen: set[tuple[Any, ...]] = set()
    for d in dropped:
        key = (d.code, d.source, d.field, d.args)
        if key in seen:
            continue
        seen.add(key)
        if d.source not in docs:
            docs[d.source] = read_file(Path(project_dir) / d.source, d.source)
        doc = docs[d.source]
        path = tuple(int(p) if p.isdigit() else p for p in d.field.split("."))
        line, col = doc.pos(path) if doc.root is not None else (0, 0)
        args: dict[str, Any] = {"field": d.field, **dict(d.args)}
        if "reason_vi" in args:
            args["reason"] = T(args.pop("reason_vi"), args.pop("reason_en"))
        out.append(Diagnostic(d.code, d.source, line, col, args))
    return out


def typst_preamble(layout: Layout = DECREE_30, title: str = "") -> str:
    """The typst page setup for Decree 30: passed as typst settings, not pandoc variables."""
    lay = layout
    # Leading is the gap between lines: (spacing - 1) of a line plus typst's default 0.65em
    # for single spacing.
    leading = 0.65 + (lay.line_spacing - 1.0)
    return f"""#set document(title: {_typst_string(title)})
#set page(
  width: {lay.page_width_mm}mm, height: {lay.page_height_mm}mm,
  margin: (top: {lay.margin_top_mm}mm, bottom: {lay.margin_bottom_mm}mm,
           left: {lay.margin_left_mm}mm, right: {lay.margin_right_mm}mm),
  header-ascent: 30%,
  header: context {{
    let n = counter(page).get().first()
    if n > 1 {{ align(center, text(size: {lay.small_pt}pt, str(n))) }}
  }},
)
#set text(font: "{FAMILY}", size: {lay.body_pt}pt, lang: "vi", region: "VN", hyphenate: false)
#set par(justify: true, leading: {leading:.2f}em, spacing: {lay.space_after_pt + 4}pt,
         first-line-indent: (amount: {lay.first_line_indent_cm}cm, all: true))
#show heading: set text(size: {lay.heading_pt}pt, weight: "bold")
#show heading: set block(above: 1.2em, below: 0.8em)
#show heading: set par(first-line-indent: 0cm, justify: false)
#show list: set par(first-line-indent: 0cm)
{TYPST_LIST_MARKER}#show enum: set par(first-line-indent: 0cm)
#show table: set par(first-line-indent: 0cm, justify: false)
#show grid: set par(first-line-indent: 0cm, justify: false)
#set table(inset: 5pt, stroke: 0.5pt)
#show table: set text(size: {lay.small_pt}pt)
#show link: set text(fill: rgb("#1f3a93"))
#let horizontalrule = line(start: (25%, 0%), end: (75%, 0%))
#show terms.item: it => block(breakable: false)[
  #text(weight: "bold")[#it.term]
  #block(inset: (left: 1.5em, top: -0.4em))[#it.description]
]
"""


def _typst_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_HTML_CSS = """<style>
body{font-family:"Times New Roman",Tinos,serif;font-size:14pt;line-height:1.4;max-width:46em;margin:2em auto;padding:0 1em;color:#000}
p{text-align:justify;text-indent:1.27cm;margin:0 0 6pt}
li p,td p,th p{text-indent:0}
table{border-collapse:collapse;width:100%;margin:0 0 1em}
td,th{border:1px solid #444;padding:4px 6px;vertical-align:top;font-size:13pt}
.quoc-hieu,.ky-ten{display:grid;grid-template-columns:40% 60%;text-align:center;margin-bottom:1em}
.ten-van-ban{text-align:center;text-indent:0}
@media print{body{margin:0;max-width:none}}
</style>"""


# ---- writing ---------------------------------------------------------------------------------
def compile_typst(
    source: str,
    out: Path,
    project_dir: str | Path = ".",
    resources: dict[str, bytes] | None = None,
) -> Path:
    """Compile typst `source` to the PDF `out` with only the bundled fonts (embedded).

    The typst root is a fresh temporary folder holding `main.typ` and `resources` (the images
    the filter allowed, by name): typst cannot read any other file, and it never fetches.
    """
    import typst

    fonts = font_dir(project_dir)
    target = _atomic_target(out)
    try:
        with tempfile.TemporaryDirectory(prefix="sangkien-typst-") as tmp:
            main = Path(tmp) / "main.typ"
            main.write_text(source, encoding="utf-8")
            for name, data in (resources or {}).items():
                (Path(tmp) / name).write_bytes(data)
            typst.compile(
                str(main),
                output=str(target),
                root=tmp,
                font_paths=[str(fonts)],
                ignore_system_fonts=True,
            )
        fsio.commit(target, out, force=True)
    except Exception as exc:
        raise ConversionError(
            f"typst không biên dịch được / typst failed for {out.name}: {exc}"
        ) from exc
    finally:
        target.unlink(missing_ok=True)
    return out


def _typst_many(api: list[int], docs: list[Prepared], titles: list[str]) -> list[str]:
    """The typst sources of many filtered documents, from one pandoc run.

    The documents are joined with a paragraph carrying a random nonce (built in the AST, so no
    record text can forge or break it) and the output is split there.
    """
    nonce = secrets.token_hex(8)
    blocks: list[dict[str, Any]] = []
    for n, doc in enumerate(docs):
        if n:
            blocks.append({"t": "Para", "c": [{"t": "Str", "c": f"SKDOC{nonce}"}]})
        blocks.extend(doc.blocks)
    body = run_pandoc(["-f", "json", "-t", "typst", "--wrap=none"], _json(api, blocks)).decode()
    parts = re.split(rf"^SKDOC{nonce}\s*$", body, flags=re.M)
    if len(parts) != len(docs):
        raise ConversionError("pandoc: documents lost their separators")
    return [typst_preamble(title=t) + "\n" + p for p, t in zip(parts, titles, strict=True)]


def _field_markdown_many(api: list[int], fields: list[list[dict[str, Any]]]) -> list[str]:
    """Filtered record fields written back as Markdown (for the `.md` export), one run."""
    if not fields:
        return []
    nonce = secrets.token_hex(8)
    blocks: list[dict[str, Any]] = []
    for n, f in enumerate(fields):
        if n:
            blocks.append({"t": "Para", "c": [{"t": "Str", "c": f"SKFIELD{nonce}"}]})
        blocks.extend(f)
    text = run_pandoc(
        ["-f", "json", "-t", "markdown-raw_attribute-raw_html-raw_tex", "--wrap=none"],
        _json(api, blocks),
    ).decode()
    parts = re.split(rf"^SKFIELD{nonce}\s*$", text, flags=re.M)
    if len(parts) != len(fields):
        raise ConversionError("pandoc: fields lost their separators")
    return [p.strip() for p in parts]


def _markdown_export(
    markdown: str, project_dir: str | Path, max_image_bytes: int
) -> tuple[str, list[Dropped]]:
    """The template as written, each record field replaced by its filtered Markdown."""
    _template, fields = split_fields(markdown, lambda n: "")
    if not fields:
        return markdown, []
    api, parts = parse_many([f.text for f in fields])
    s = Sanitiser(project_dir, image_mode="keep", max_image_bytes=max_image_bytes)
    filtered = [s.field_blocks(f, blocks) for f, blocks in zip(fields, parts, strict=True)]
    texts = iter(_field_markdown_many(api, filtered))
    return expand_fields(markdown, lambda _f: next(texts)), s.dropped


def _write_one(
    api: list[int], doc: Prepared, fmt: str, target: Path, title: str, cache: Path
) -> None:
    if fmt == "docx":
        ref = reference_docx(cache)
        args = [
            "-f", "json", "-t", "docx", "-o", str(target), f"--reference-doc={ref}",
            "-M", "lang=vi-VN", "-M", f"title-meta={title}", "-M", f"pagetitle={title}",
        ]  # fmt: skip
        run_pandoc(args, _json(api, doc.blocks))
        plain_dash_bullets(target)
        return
    args = [
        "-f", "json", "-t", "html5", "-o", str(target), "--standalone",
        "-M", "lang=vi", "-M", f"pagetitle={title or 'sangkien'}",
        "-V", f"header-includes={_HTML_CSS}",
    ]  # fmt: skip
    run_pandoc(args, _json(api, doc.blocks))


@dataclass(frozen=True)
class Item:
    """One document to write: its Markdown (template with field placeholders), where, how."""

    markdown: str
    fmt: str
    out: Path
    title: str = ""
    # Named in errors: the record's YAML file, or another label for non-record documents.
    source: str | None = None


def convert_many(
    items: list[Item],
    *,
    project_dir: str | Path = ".",
    cache_dir: str | Path | None = None,
    max_image_bytes: int = 10_000_000,
) -> list[list[Dropped]]:
    """Write many documents of one format; parsing (and the typst writer) run once for all.

    Returns what the filter dropped, per item. A failure names the item's source.
    """
    if not items:
        return []
    fmt = items[0].fmt
    if any(i.fmt != fmt for i in items) or fmt not in FORMATS:
        raise ValueError(f"one known format per batch, not {fmt!r}")
    cache = (
        Path(cache_dir) if cache_dir else Path(project_dir) / ".cache" / "sangkien" / "documents"
    )
    if fmt == "md":
        out = []
        for item in items:
            text, dropped = _markdown_export(item.markdown, project_dir, max_image_bytes)
            _write_text_atomic(item.out, text if text.endswith("\n") else text + "\n")
            out.append(dropped)
        return out
    try:
        api, docs = prepare_many([i.markdown for i in items], fmt, project_dir, max_image_bytes)
    except ConversionError:
        if len(items) == 1:
            raise _named(items[0], "pandoc") from None
        # Find the document that pandoc cannot read, and name it.
        return [
            d
            for item in items
            for d in convert_many(
                [item], project_dir=project_dir, cache_dir=cache, max_image_bytes=max_image_bytes
            )
        ]
    if fmt == "pdf":
        try:
            sources = _typst_many(api, docs, [i.title for i in items])
        except ConversionError:
            if len(items) == 1:
                raise _named(items[0], "pandoc") from None
            sources = [
                _typst_many(api, [d], [i.title])[0] for d, i in zip(docs, items, strict=True)
            ]
        for item, doc, source in zip(items, docs, sources, strict=True):
            try:
                compile_typst(source, item.out, project_dir, doc.images)
            except ConversionError as exc:
                if not doc.images:
                    raise _named(item, str(exc)) from exc
                # An image with the right first bytes that typst cannot decode: the document
                # is still made, without its images, and each is reported (SK410).
                bare = Prepared(without_images(doc.blocks))
                try:
                    [retry] = _typst_many(api, [bare], [item.title])
                    compile_typst(retry, item.out, project_dir)
                except ConversionError as again:
                    raise _named(item, str(again)) from again
                doc.dropped.extend(doc.image_origins)
        return [d.dropped for d in docs]
    for item, doc in zip(items, docs, strict=True):
        target = _atomic_target(item.out)
        try:
            _write_one(api, doc, fmt, target, item.title, cache)
            fsio.commit(target, item.out, force=True)
        except (ConversionError, OSError) as exc:
            raise _named(item, str(exc)) from exc
        finally:
            # Whatever went wrong, no partial file stays next to the target.
            target.unlink(missing_ok=True)
    return [d.dropped for d in docs]


def _named(item: Item, reason: str) -> ConversionError:
    # SK413: the file to look at comes first, as in every diagnostic line.
    where = f"{item.source}: SK413 error / lỗi: " if item.source else ""
    return ConversionError(
        f"{where}không tạo được tài liệu / cannot produce the document {item.out.name}: {reason}"
    )


def _write_text_atomic(out: Path, text: str) -> None:
    target = _atomic_target(out)
    try:
        target.write_text(text, encoding="utf-8")
        fsio.commit(target, out, force=True)
    finally:
        target.unlink(missing_ok=True)


def convert(
    markdown: str,
    fmt: str,
    out: str | Path,
    *,
    title: str = "",
    project_dir: str | Path = ".",
    cache_dir: str | Path | None = None,
    max_image_bytes: int = 10_000_000,
    on_warning: Callable[[Diagnostic], None] | None = None,
    source: str | None = None,
) -> Path:
    """Write `markdown` as `fmt` (docx|pdf|md|html) to `out`; returns the path.

    What the filter dropped from record fields goes to `on_warning` as located diagnostics.
    Raises ConversionError (with nothing written) when pandoc or typst fails.
    """
    out = Path(out)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    [dropped] = convert_many(
        [Item(markdown, fmt, out, title, source)],
        project_dir=project_dir,
        cache_dir=cache_dir,
        max_image_bytes=max_image_bytes,
    )
    if on_warning is not None:
        for d in diagnostics(dropped, project_dir):
            on_warning(d)
    return out


def copy_atomic(src: Path, out: Path) -> None:
    """Copy a finished file into place without ever exposing a partial copy."""
    target = _atomic_target(out)
    try:
        shutil.copyfile(src, target)
        fsio.commit(target, out, force=True)
    except OSError:
        target.unlink(missing_ok=True)
        raise
