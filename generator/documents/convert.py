"""Markdown -> DOCX / PDF / HTML / Markdown through pandoc (and typst for PDF).

pandoc comes inside the `pypandoc-binary` wheel (3.x, with a typst writer), typst inside the
`typst` wheel: a fresh machine needs no system tools and no LaTeX. Every writer goes to a
temporary file in the target folder and is renamed into place only when complete, so a
failure never leaves half a document behind.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pypandoc

from generator import fsio
from generator.documents.fonts import FAMILY, font_dir
from generator.documents.layout import DECREE_30, Layout
from generator.documents.reference import reference_docx

FORMATS = ("docx", "pdf", "md", "html")
# The reader: pandoc's Markdown without raw HTML/TeX (record text is untrusted), keeping
# raw-attribute blocks for the layout helpers in blocks.py.
READER = "markdown-raw_html-raw_tex-implicit_figures-smart"


class ConversionError(RuntimeError):
    """pandoc or typst failed; the message says which document."""


def _atomic_target(out: Path) -> Path:
    """A temporary file beside `out`; `fsio.commit` renames it into place when complete
    (with the usual permissions, never over a link or a device). The caller decided that
    `out` may be replaced: `sangkien export` checks before it starts."""
    fsio.make_dirs(out.parent)
    return fsio.temp_beside(out)


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
#show enum: set par(first-line-indent: 0cm)
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


def markdown_to_typst(markdown: str, title: str = "") -> str:
    """The full typst source of a document: Decree 30 preamble + pandoc's typst body."""
    body = pypandoc.convert_text(markdown, "typst", format=READER, extra_args=["--wrap=none"])
    return typst_preamble(title=title) + "\n" + body


_SEPARATOR = "SANGKIENDOCUMENTSEPARATOR"


def markdown_to_typst_many(items: list[tuple[str, str]]) -> list[str]:
    """Like markdown_to_typst for many (markdown, title) pairs, in one pandoc run.

    Starting pandoc costs more than converting one guide, so a site build converts its
    PDFs' Markdown in batches, separated by a marker paragraph, and splits the result.
    """
    if not items:
        return []
    joined = f"\n\n{_SEPARATOR}\n\n".join(md for md, _title in items)
    body = pypandoc.convert_text(joined, "typst", format=READER, extra_args=["--wrap=none"])
    parts = re.split(rf"^{_SEPARATOR}\s*$", body, flags=re.M)
    if len(parts) != len(items):
        # A document swallowed the marker (inside a code block...): convert one by one.
        return [markdown_to_typst(md, title) for md, title in items]
    return [
        typst_preamble(title=title) + "\n" + part
        for part, (_md, title) in zip(parts, items, strict=True)
    ]


def compile_typst(source: str, out: Path, project_dir: str | Path = ".") -> Path:
    """Compile typst `source` to the PDF `out` with only the bundled fonts (embedded)."""
    import typst

    fonts = font_dir(project_dir)
    target = _atomic_target(out)
    try:
        with tempfile.TemporaryDirectory(prefix="sangkien-typst-") as tmp:
            main = Path(tmp) / "main.typ"
            main.write_text(source, encoding="utf-8")
            typst.compile(
                str(main),
                output=str(target),
                root=tmp,
                font_paths=[str(fonts)],
                ignore_system_fonts=True,
            )
        fsio.commit(target, out, force=True)
    except Exception as exc:
        target.unlink(missing_ok=True)
        raise ConversionError(
            f"typst không biên dịch được / typst failed for {out.name}: {exc}"
        ) from exc
    return out


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


def convert(
    markdown: str,
    fmt: str,
    out: str | Path,
    *,
    title: str = "",
    project_dir: str | Path = ".",
    cache_dir: str | Path | None = None,
) -> Path:
    """Write `markdown` as `fmt` (docx|pdf|md|html) to `out`; returns the path.

    Raises ConversionError (with nothing written) when pandoc or typst fails.
    """
    out = Path(out)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    cache = (
        Path(cache_dir) if cache_dir else Path(project_dir) / ".cache" / "sangkien" / "documents"
    )
    if fmt == "pdf":
        try:
            source = markdown_to_typst(markdown, title)
        except (RuntimeError, OSError) as exc:
            raise ConversionError(f"pandoc: {exc}") from exc
        return compile_typst(source, out, project_dir)
    target = _atomic_target(out)
    try:
        if fmt == "md":
            target.write_text(
                markdown if markdown.endswith("\n") else markdown + "\n", encoding="utf-8"
            )
        elif fmt == "docx":
            ref = reference_docx(cache)
            pypandoc.convert_text(
                markdown,
                "docx",
                format=READER,
                outputfile=str(target),
                extra_args=[
                    f"--reference-doc={ref}",
                    "-M",
                    "lang=vi-VN",
                    "-M",
                    f"title-meta={title}",
                    "-M",
                    f"pagetitle={title}",
                ],
            )
        else:
            pypandoc.convert_text(
                markdown,
                "html5",
                format=READER,
                outputfile=str(target),
                extra_args=[
                    "--standalone",
                    "-M",
                    "lang=vi",
                    "-M",
                    f"pagetitle={title or 'sangkien'}",
                    "-V",
                    f"header-includes={_HTML_CSS}",
                ],
            )
        fsio.commit(target, out, force=True)
    except (RuntimeError, OSError) as exc:
        raise ConversionError(
            f"pandoc không chuyển được / pandoc failed for {out.name}: {exc}"
        ) from exc
    finally:
        # Whatever went wrong, no partial file stays next to the target.
        target.unlink(missing_ok=True)
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
