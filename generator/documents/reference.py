"""The reference DOCX that gives pandoc's Word output the Decree 30/2020 layout.

Built from code with python-docx, never committed as a binary: page size and margins, the
serif font in every script slot (`w:rFonts` ascii/hAnsi/cs/eastAsia), 14 pt justified body
with a first-line indent, 6 pt after each paragraph, headings in the body font, bordered
tables, and a header with the page number centred at the top that is absent on page 1
(a "different first page" section whose first-page header is empty). pandoc copies the
styles, the page setup and the headers from this file into every DOCX it writes.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from generator import __version__, fsio
from generator import layout as layout_module
from generator.documents.fonts import DOCX_FAMILY, FAMILY
from generator.layout import DECREE_30, Layout

# Paragraph styles pandoc writes body text with; all get the Decree 30 body formatting.
_BODY_STYLES = ("Body Text", "First Paragraph")
# Styles with no first-line indent (list items, table cells, captions).
_FLAT_STYLES = ("Compact", "Table Caption", "Image Caption", "Captioned Figure", "Figure")


def _set_fonts(rpr_parent: object, family: str) -> None:
    """Name `family` in all four script slots so Vietnamese runs never switch font."""
    rpr = rpr_parent.find(qn("w:rPr"))  # type: ignore[attr-defined]
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_parent.append(rpr)  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), family)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        if fonts.get(qn(theme)) is not None:
            del fonts.attrib[qn(theme)]
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")


def _style(doc: object, name: str, kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH) -> object:
    styles = doc.styles  # type: ignore[attr-defined]
    try:
        return styles[name]
    except KeyError:
        style = styles.add_style(name, kind)
        if kind == WD_STYLE_TYPE.PARAGRAPH:
            style.base_style = styles["Normal"]
        return style


def _body_format(style: object, layout: Layout, indent: bool) -> None:
    fmt = style.paragraph_format  # type: ignore[attr-defined]
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Cm(layout.first_line_indent_cm) if indent else Cm(0)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(layout.space_after_pt)
    fmt.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    fmt.line_spacing = layout.line_spacing
    font = style.font  # type: ignore[attr-defined]
    font.name = DOCX_FAMILY
    font.size = Pt(layout.body_pt)
    font.color.rgb = RGBColor(0, 0, 0)


def _page_field(paragraph: object) -> None:
    """Append a PAGE field: Word fills in the number when it lays out the page."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)  # type: ignore[attr-defined]


def _pandoc_default_reference() -> bytes:
    """pandoc's own reference DOCX: small, and it already defines every style pandoc uses.

    (python-docx's default template carries 800 KB of styles that pandoc re-reads on every
    conversion; starting from pandoc's keeps each DOCX conversion fast.)
    """
    from generator.documents.convert import run_pandoc

    return run_pandoc(["--print-default-data-file", "reference.docx"])


def build_reference_docx(path: str | Path, layout: Layout = DECREE_30) -> Path:
    """Write the reference DOCX to `path` (atomically) and return it."""
    doc = Document(io.BytesIO(_pandoc_default_reference()))
    section = doc.sections[0]
    section.page_width = Mm(layout.page_width_mm)
    section.page_height = Mm(layout.page_height_mm)
    section.top_margin = Mm(layout.margin_top_mm)
    section.bottom_margin = Mm(layout.margin_bottom_mm)
    section.left_margin = Mm(layout.margin_left_mm)
    section.right_margin = Mm(layout.margin_right_mm)
    section.header_distance = Mm(layout.header_distance_mm)
    section.footer_distance = Mm(layout.header_distance_mm)
    # Page 1 carries no number (Decree 30): its own, empty, header.
    section.different_first_page_header_footer = True
    header_p = section.header.paragraphs[0]
    header_p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header_p.paragraph_format.first_line_indent = Cm(0)
    _page_field(header_p)
    section.first_page_header.paragraphs[0].text = ""

    styles = doc.styles
    # Document defaults, so that runs without a style still use the serif in Vietnamese.
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            _set_fonts(rpr_default, DOCX_FAMILY)

    normal = styles["Normal"]
    _body_format(normal, layout, indent=True)
    _set_fonts(normal.element, DOCX_FAMILY)
    for name in _BODY_STYLES:
        style = _style(doc, name)
        _body_format(style, layout, indent=True)
        _set_fonts(style.element, DOCX_FAMILY)
    for name in _FLAT_STYLES:
        style = _style(doc, name)
        _body_format(style, layout, indent=False)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        _set_fonts(style.element, DOCX_FAMILY)
    for name in ("Header", "Footer"):
        style = _style(doc, name)
        style.font.name = DOCX_FAMILY
        style.font.size = Pt(layout.small_pt)
        style.paragraph_format.first_line_indent = Cm(0)
        _set_fonts(style.element, DOCX_FAMILY)

    for name, size, align in (
        ("Title", layout.heading_pt, WD_ALIGN_PARAGRAPH.CENTER),
        ("Subtitle", layout.body_pt, WD_ALIGN_PARAGRAPH.CENTER),
        ("Heading 1", layout.heading_pt, WD_ALIGN_PARAGRAPH.LEFT),
        ("Heading 2", layout.heading_pt, WD_ALIGN_PARAGRAPH.LEFT),
        ("Heading 3", layout.body_pt, WD_ALIGN_PARAGRAPH.LEFT),
        ("Heading 4", layout.body_pt, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        style = _style(doc, name)
        fmt = style.paragraph_format
        fmt.alignment = align
        fmt.first_line_indent = Cm(0)
        fmt.space_before = Pt(layout.space_after_pt * 2)
        fmt.space_after = Pt(layout.space_after_pt)
        fmt.keep_with_next = True
        font = style.font
        font.name = DOCX_FAMILY
        font.size = Pt(size)
        font.bold = True
        font.italic = name in ("Subtitle", "Heading 4")
        font.color.rgb = RGBColor(0, 0, 0)
        _set_fonts(style.element, DOCX_FAMILY)
    # Title style has a bottom border and theme colour in the default template: plain text.
    title_ppr = styles["Title"].element.find(qn("w:pPr"))
    if title_ppr is not None:
        border = title_ppr.find(qn("w:pBdr"))
        if border is not None:
            title_ppr.remove(border)

    # pandoc styles tables "Table": thin borders on every cell, as on official forms.
    table = _style(doc, "Table", WD_STYLE_TYPE.TABLE)
    tbl_pr = table.element.find(qn("w:tblPr"))
    if tbl_pr is None:
        tbl_pr = OxmlElement("w:tblPr")
        table.element.append(tbl_pr)
    old_borders = tbl_pr.find(qn("w:tblBorders"))
    if old_borders is not None:
        tbl_pr.remove(old_borders)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "4")
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), "000000")
        borders.append(edge)
    tbl_pr.append(borders)
    _set_fonts(table.element, DOCX_FAMILY)
    # Table text: 13 pt, no indent, left-aligned (narrow cells justify badly).
    for tstyle in table.element.findall(qn("w:tblStylePr")):
        table.element.remove(tstyle)

    hyperlink = _style(doc, "Hyperlink", WD_STYLE_TYPE.CHARACTER)
    hyperlink.font.color.rgb = RGBColor(0x1F, 0x3A, 0x93)

    out = Path(path)
    fsio.make_dirs(out.parent)
    buf = io.BytesIO()
    doc.save(buf)
    fsio.write_bytes(out, _with_font_fallback(buf.getvalue()), force=True)
    return out


_FONT_ENTRY = (
    f'<w:font w:name="{DOCX_FAMILY}"><w:altName w:val="{FAMILY}"/>'
    '<w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/>'
    '<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'
)


def _with_font_fallback(docx_bytes: bytes) -> bytes:
    """Declare Times New Roman in the font table with Tinos as its alternative name.

    Word on office PCs uses Times New Roman itself; LibreOffice on Linux, which lacks it,
    follows `w:altName` to the metric-compatible Tinos so the pages break the same way.
    """
    src = zipfile.ZipFile(io.BytesIO(docx_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "word/fontTable.xml":
                text = content.decode("utf-8")
                text = re.sub(rf'<w:font w:name="{DOCX_FAMILY}">.*?</w:font>', "", text, flags=re.S)
                text = text.replace("</w:fonts>", _FONT_ENTRY + "</w:fonts>")
                content = text.encode("utf-8")
            dst.writestr(item, content)
    return out.getvalue()


# The modules that turn Markdown into files. Changes to guide.py or forms.py change the
# Markdown itself, which the cache already hashes; the importer does not shape any output.
_TEMPLATE_MODULES = ("bullets.py", "convert.py", "fonts.py", "reference.py", "sanitise.py")


def template_hash(layout: Layout = DECREE_30) -> str:
    """A hash of everything that shapes a document besides its Markdown.

    The generator version, the layout values and the source of the converting modules: a
    change to any of them makes the document cache rebuild every file.
    """
    here = Path(__file__).resolve().parent
    h = hashlib.sha256(__version__.encode())
    h.update(repr(sorted(layout.as_dict().items())).encode())
    for name in _TEMPLATE_MODULES:
        h.update(name.encode())
        h.update((here / name).read_bytes())
    # The layout rules (national name, motto, place-date line) live in the core.
    h.update(Path(layout_module.__file__).read_bytes())
    return h.hexdigest()[:16]


def reference_docx(cache_dir: str | Path) -> Path:
    """The reference DOCX for the current template, built once into `cache_dir`."""
    path = Path(cache_dir) / f"reference-{template_hash()}.docx"
    if not path.is_file():
        build_reference_docx(path)
    return path
