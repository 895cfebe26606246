"""DOCX writer: the report as an administrative document in the Decree 30/2020/NĐ-CP layout.

A4 portrait; margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman 13 pt,
justified, first-line indent 1 cm, 6 pt after each paragraph, line spacing 1.15; the national
heading block; "Quảng Ngãi, ngày ... tháng ... năm ..."; page numbers centred at the top from
page 2; the signature block; the annex on its own page. Tables use 11 pt, fixed column widths
that add up to the printable width, and a header row repeated on every page.

Written with python-docx directly (the guides' document machinery in generator.documents has no
public reference-document builder yet); table rows are built as XML elements because
python-docx's cell API is too slow for an annex of thousands of rows.
"""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt
from docx.text.paragraph import Paragraph

from generator.layout import NATIONAL_MOTTO, NATIONAL_NAME
from generator.reports.bundle import ReportBundle
from generator.reports.document import Heading, Para, ReportDocument, TableBlock, format_cell
from generator.reports.tables import Column, Table
from generator.text.vn import format_date_long

FONT = "Times New Roman"
BODY_PT = 13
TABLE_PT = 11
PAGE_W_MM, PAGE_H_MM = 210, 297
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_W_MM = PAGE_W_MM - MARGINS_MM["left"] - MARGINS_MM["right"]
TABLE_STYLE_ID = "SangkienBang"
TT_W_MM = 10.0
# Characters XML 1.0 cannot carry; YAML text may still hold them (pasted from old tools).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ALIGN = {"int": "right", "float": "right", "date": "center"}


def _set_font(style_or_run: object, size: int | None = None) -> None:
    font = style_or_run.font  # type: ignore[attr-defined]
    font.name = FONT
    if size:
        font.size = Pt(size)
    # Word picks the East Asian and complex-script slots for some Vietnamese characters; name
    # the font in every slot so no letter falls back to another face.
    rpr = style_or_run.element.get_or_add_rPr()  # type: ignore[attr-defined]
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(slot), FONT)
    if rpr.find(qn("w:lang")) is None:
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "vi-VN")
        rpr.append(lang)


def _setup(document: Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_W_MM), Mm(PAGE_H_MM)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)

    normal = document.styles["Normal"]
    _set_font(normal, BODY_PT)
    pf = normal.paragraph_format
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.first_line_indent = Cm(1)
    pf.space_before = Pt(0)
    pf.space_after = Pt(6)
    pf.line_spacing = 1.15

    table_text = document.styles.add_style(TABLE_STYLE_ID, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    _set_font(table_text, TABLE_PT)
    tf = table_text.paragraph_format
    tf.first_line_indent = Cm(0)
    tf.alignment = WD_ALIGN_PARAGRAPH.LEFT
    tf.space_after = Pt(1)
    tf.space_before = Pt(1)
    tf.line_spacing = 1.0

    # Page number centred at the top, not on the first page (Decree 30).
    section.different_first_page_header_footer = True
    para = section.header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.first_line_indent = Cm(0)
    _add_field(para, "PAGE")


def _add_field(paragraph: Paragraph, instr: str) -> None:
    run = paragraph.add_run()
    _set_font(run, BODY_PT)
    for kind, text in (
        ("begin", None),
        (None, instr),
        ("separate", None),
        (None, "2"),
        ("end", None),
    ):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == instr:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instr} "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


def _para(
    container: object,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: int | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool | None = None,
    after: int | None = None,
    upper: bool = False,
) -> Paragraph:
    p = container.add_paragraph()  # type: ignore[attr-defined]
    if text:
        run = p.add_run(text.upper() if upper else text)
        run.bold = bold or None
        run.italic = italic or None
        if size:
            run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    if indent is False:
        p.paragraph_format.first_line_indent = Cm(0)
    if after is not None:
        p.paragraph_format.space_after = Pt(after)
    return p


def _rule(p: Paragraph, width_mm: float, cell_mm: float) -> None:
    """A short centred line under paragraph `p` (the underline of a heading line).

    Drawn as the top border of an empty, 1-pt paragraph inserted right after `p`, indented so
    that the line is `width_mm` long within a column of `cell_mm`; `p` itself keeps its width.
    """
    side = max(0.0, (cell_mm - width_mm) / 2)
    new_p = OxmlElement("w:p")
    p._p.addnext(new_p)
    rule = Paragraph(new_p, p._parent)
    fmt = rule.paragraph_format
    fmt.left_indent = Mm(side)
    fmt.right_indent = Mm(side)
    fmt.first_line_indent = Cm(0)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(p.paragraph_format.space_after.pt if p.paragraph_format.space_after else 0)
    fmt.line_spacing = Pt(1)
    p.paragraph_format.space_after = Pt(0)
    ppr = new_p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(k), v)
    border.append(top)
    # pBdr must precede spacing and indentation inside pPr.
    ppr.insert(0, border)
    run = rule.add_run()
    run.font.size = Pt(1)


def _no_borders(table: object) -> None:
    tbl = table._tbl  # type: ignore[attr-defined]
    tblpr = tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tblpr.append(borders)


def _layout_table(table: object, widths_mm: list[float]) -> None:
    table.autofit = False  # type: ignore[attr-defined]
    tbl = table._tbl  # type: ignore[attr-defined]
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl.tblPr.append(layout)
    for col, w in zip(table.columns, widths_mm, strict=True):  # type: ignore[attr-defined]
        col.width = Mm(w)
        for cell in col.cells:
            cell.width = Mm(w)


def _heading_block(document: Document, doc: ReportDocument) -> None:
    left_w, right_w = 70.0, TEXT_W_MM - 70.0
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _layout_table(table, [left_w, right_w])
    left, right = table.rows[0].cells
    left.paragraphs[0]._p.getparent().remove(left.paragraphs[0]._p)
    right.paragraphs[0]._p.getparent().remove(right.paragraphs[0]._p)
    center = WD_ALIGN_PARAGRAPH.CENTER
    if doc.issuer_parent:
        _para(left, doc.issuer_parent, size=12, align=center, indent=False, after=0, upper=True)
    p = _para(left, doc.issuer, bold=True, size=12, align=center, indent=False, after=4, upper=True)
    _rule(p, 24, left_w)
    _para(left, "Số:        /BC", size=13, align=center, indent=False, after=0)
    _para(
        right,
        NATIONAL_NAME,
        bold=True,
        size=12,
        align=center,
        indent=False,
        after=0,
    )
    p = _para(
        right,
        NATIONAL_MOTTO,
        bold=True,
        size=13,
        align=center,
        indent=False,
        after=4,
    )
    _rule(p, 60, right_w)
    _para(
        right,
        format_date_long(doc.date, place=doc.province),
        italic=True,
        size=13,
        align=center,
        indent=False,
        after=0,
    )


def _cell_xml(text: str, width_twips: int, align: str, bold: bool) -> str:
    """One table cell as WordprocessingML text (parsed in bulk by `_append_rows`)."""
    jc = f'<w:jc w:val="{align}"/>' if align != "left" else ""
    run = ""
    if text:
        rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
        safe = xml_escape(_XML_ILLEGAL.sub("", text))
        run = f'<w:r>{rpr}<w:t xml:space="preserve">{safe}</w:t></w:r>'
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width_twips}" w:type="dxa"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{TABLE_STYLE_ID}"/>{jc}</w:pPr>{run}</w:p></w:tc>'
    )


def _row_xml(cells: list[str], header: bool) -> str:
    head = "<w:tblHeader/>" if header else ""
    return f"<w:tr><w:trPr>{head}<w:cantSplit/></w:trPr>{''.join(cells)}</w:tr>"


def _append_rows(tbl: object, rows: list[str]) -> None:
    # Building elements one by one through python-docx costs ~20 µs each; an annex of
    # thousands of rows is written as text and parsed by lxml in one go instead.
    wrapper = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(rows)}</w:tbl>")
    for tr in list(wrapper):
        tbl.append(tr)  # type: ignore[attr-defined]


def _data_table(document: Document, table: Table, text_w_mm: float = TEXT_W_MM) -> None:
    """A bordered table with fixed widths summing to the text width, header repeated."""
    # Printed tables number their rows ("TT") and leave machine keys to the spreadsheet.
    shown = [i for i, c in enumerate(table.columns) if not c.machine]
    cols = [Column("tt", "TT", "int"), *(table.columns[i] for i in shown)]
    rows = [(n, *(r[i] for i in shown)) for n, r in enumerate(table.rows, 1)]
    total = sum(c.width for c in cols[1:])
    widths = [TT_W_MM] + [(text_w_mm - TT_W_MM) * c.width / total for c in cols[1:]]
    twips = [round(w / 25.4 * 1440) for w in widths]
    t = document.add_table(rows=0, cols=len(cols))
    t.style = document.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl = t._tbl
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl.tblPr.append(layout)
    tblw = tbl.tblPr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tbl.tblPr.append(tblw)
    tblw.set(qn("w:w"), str(sum(twips)))
    tblw.set(qn("w:type"), "dxa")
    grid = tbl.tblGrid
    for gc, tw in zip(grid.findall(qn("w:gridCol")), twips, strict=True):
        gc.set(qn("w:w"), str(tw))

    xml_rows = [
        _row_xml(
            [_cell_xml(c.label, tw, "center", True) for c, tw in zip(cols, twips, strict=True)],
            True,
        )
    ]
    for values in rows:
        xml_rows.append(
            _row_xml(
                [
                    _cell_xml(
                        format_cell(v, c.kind),
                        tw,
                        _ALIGN.get(c.kind, "left") if c.key != "tt" else "center",
                        False,
                    )
                    for c, v, tw in zip(cols, values, twips, strict=True)
                ],
                False,
            )
        )
    if not rows:
        cells = [_cell_xml("", twips[0], "left", False)]
        cells.append(_cell_xml("Không có", twips[1], "left", False))
        cells += [_cell_xml("", tw, "left", False) for tw in twips[2:]]
        xml_rows.append(_row_xml(cells, False))
    _append_rows(tbl, xml_rows)
    if table.note:
        _para(document, table.note, italic=True, size=TABLE_PT, indent=False, after=6)
    else:
        _para(document, "", size=4, indent=False, after=0)


def _signature(document: Document, doc: ReportDocument) -> None:
    half = TEXT_W_MM / 2
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _layout_table(table, [half, half])
    center = WD_ALIGN_PARAGRAPH.CENTER
    for cell, title, note in zip(
        table.rows[0].cells,
        ("NGƯỜI LẬP BÁO CÁO", "THỦ TRƯỞNG ĐƠN VỊ"),
        ("(Ký, ghi rõ họ tên)", "(Ký tên, đóng dấu)"),
        strict=True,
    ):
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
        _para(cell, title, bold=True, align=center, indent=False, after=0)
        _para(cell, note, italic=True, align=center, indent=False, after=60)
    p = _para(document, "Nơi nhận:", bold=True, italic=True, size=12, indent=False, after=0)
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    for line in (f"- {doc.addressee};", "- Lưu: VT."):
        _para(document, line, size=11, indent=False, after=0, align=WD_ALIGN_PARAGRAPH.LEFT)


def document_docx(doc: ReportDocument) -> bytes:
    """Lay out a ReportDocument as a Decree 30 administrative document; returns DOCX bytes."""
    document = Document()
    _setup(document)
    _heading_block(document, doc)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _para(document, "", indent=False, after=0)
    _para(document, doc.title, bold=True, size=14, align=center, indent=False, after=0)
    p = _para(document, doc.subtitle, bold=True, size=14, align=center, indent=False, after=6)
    _rule(p, 40, TEXT_W_MM)
    _para(document, f"Kính gửi: {doc.addressee}.", align=center, indent=False, after=12)
    for block in doc.blocks:
        if isinstance(block, Heading):
            _para(document, block.text, bold=True, after=6).paragraph_format.keep_with_next = True
        elif isinstance(block, Para):
            _para(document, block.text)
        elif isinstance(block, TableBlock):
            _data_table(document, block.table)
    _signature(document, doc)
    if doc.annex is not None:
        # The annex is a wide register: a landscape section gives its columns room.
        section = document.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(PAGE_H_MM), Mm(PAGE_W_MM)
        section.different_first_page_header_footer = False
        _para(document, "PHỤ LỤC", bold=True, size=14, align=center, indent=False, after=0)
        _para(
            document,
            doc.annex.title.split(":", 1)[-1].strip(),
            bold=True,
            align=center,
            indent=False,
            after=0,
        )
        _para(
            document,
            f"(Kèm theo Báo cáo {doc.subtitle[0].lower() + doc.subtitle[1:]})",
            italic=True,
            align=center,
            indent=False,
            after=12,
        )
        _data_table(document, doc.annex, PAGE_H_MM - MARGINS_MM["left"] - MARGINS_MM["right"])
    props = document.core_properties
    props.title = f"{doc.title} {doc.subtitle}"
    props.author = doc.issuer
    props.language = "vi-VN"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def write_docx(bundle: ReportBundle) -> bytes:
    return document_docx(bundle.document)
