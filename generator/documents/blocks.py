"""Layout blocks that Markdown cannot express, as raw blocks for each output format.

The national heading, the place-and-date line and the signature block are two-column or
right-aligned layouts. Each helper returns Markdown for one *target*: `docx` gets an OpenXML
raw block, `pdf` a typst raw block, `html` an HTML raw block, and `md` plain Markdown lines
(so that an exported `.md` stays readable and contains no foreign markup). pandoc drops raw
blocks of other formats, but a target-specific text keeps each output clean.

Record text is never put into raw blocks unescaped: XML is escaped and typst text is
written as a string literal. Every raw block made here is registered with `sanitise`, whose
filter drops any raw block it did not see made here (record text cannot bring its own).
"""

from __future__ import annotations

import html
from xml.sax.saxutils import escape as xml_escape

from generator.documents.sanitise import trust_raw
from generator.layout import DECREE_30, NATIONAL_MOTTO, NATIONAL_NAME

TARGETS = ("docx", "pdf", "html", "md")
# Text width between the margins, in twentieths of a point (Word's table units).
_TEXT_TWIPS = round(
    (DECREE_30.page_width_mm - DECREE_30.margin_left_mm - DECREE_30.margin_right_mm) / 25.4 * 1440
)


def typst_str(text: str) -> str:
    """A typst string literal showing `text` verbatim."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _w_par(
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size_pt: float = 13,
    align: str = "center",
    after_pt: float = 0,
) -> str:
    # Element order follows the OOXML schema (CT_RPr, CT_PPr): Word rejects other orders.
    rpr = "".join(
        (
            "<w:b/><w:bCs/>" if bold else "",
            "<w:i/><w:iCs/>" if italic else "",
            f'<w:sz w:val="{round(size_pt * 2)}"/><w:szCs w:val="{round(size_pt * 2)}"/>',
            '<w:u w:val="single"/>' if underline else "",
        )
    )
    return (
        f'<w:p><w:pPr><w:keepNext/><w:spacing w:before="0" w:after="{round(after_pt * 20)}"/>'
        f'<w:ind w:left="0" w:firstLine="0"/><w:jc w:val="{align}"/></w:pPr>'
        f"<w:r><w:rPr>{rpr}</w:rPr>"
        f'<w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r></w:p>'
    )


def _w_table(left: str, right: str, left_share: float) -> str:
    lw = round(_TEXT_TWIPS * left_share)
    rw = _TEXT_TWIPS - lw
    none = "".join(
        f'<w:{side} w:val="nil"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{_TEXT_TWIPS}" w:type="dxa"/><w:tblBorders>{none}</w:tblBorders>'
        f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid><w:gridCol w:w="{lw}"/><w:gridCol w:w="{rw}"/></w:tblGrid>'
        f'<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="{lw}" w:type="dxa"/></w:tcPr>{left or _w_par("")}</w:tc>'
        f'<w:tc><w:tcPr><w:tcW w:w="{rw}" w:type="dxa"/></w:tcPr>{right or _w_par("")}</w:tc></w:tr></w:tbl>'
        # Word needs a paragraph between a table and what follows it.
        + _w_par("", size_pt=6)
    )


def _raw(target: str, content: str) -> str:
    fmt = {"docx": "openxml", "pdf": "typst", "html": "html"}[target]
    # Only raw blocks made here pass the document filter (sanitise.py): record text
    # cannot bring its own.
    trust_raw(fmt, content)
    return f"\n```{{={fmt}}}\n{content}\n```\n"


def page_break(target: str) -> str:
    """A page break (PDF only; other targets get nothing)."""
    return _raw(target, "#pagebreak()") if target == "pdf" else ""


def national_heading(target: str, issuer_lines: list[str] | None = None) -> str:
    """The heading block: issuing body on the left, the national name and motto on the right.

    With no `issuer_lines` (an application written by a person) the national name is
    centred across the page, as on the Circular 18/2013 form.
    """
    issuer = [line for line in (issuer_lines or []) if line]
    if target == "md":
        lines = [
            *(f"**{line}**" for line in issuer),
            f"**{NATIONAL_NAME}**",
            f"**{NATIONAL_MOTTO}**",
        ]
        return "\n" + "  \n".join(lines) + "\n"
    if target == "docx":
        right = _w_par(NATIONAL_NAME, bold=True, size_pt=13) + _w_par(
            NATIONAL_MOTTO, bold=True, underline=True, size_pt=14
        )
        if not issuer:
            return _raw(target, right + _w_par("", size_pt=6))
        left = "".join(
            _w_par(line, bold=i == len(issuer) - 1, size_pt=13) for i, line in enumerate(issuer)
        )
        return _raw(target, _w_table(left, right, 0.4))
    if target == "pdf":
        right = (
            f'#text(size: 13pt, weight: "bold")[#{typst_str(NATIONAL_NAME)}] \\\n'
            # The motto is underlined by a rule as long as itself (Decree 30, Appendix I).
            f'#underline(offset: 3pt, stroke: 0.6pt)[#text(size: 14pt, weight: "bold")[#{typst_str(NATIONAL_MOTTO)}]]'
        )
        if not issuer:
            return _raw(target, f"#align(center)[{right}]\n#v(0.5em)")
        bold = ', weight: "bold"'
        left = " \\\n".join(
            f"#text(size: 13pt{bold if i == len(issuer) - 1 else ''})[#{typst_str(line)}]"
            for i, line in enumerate(issuer)
        )
        return _raw(
            target,
            f"#grid(columns: (40%, 60%), align: center + top, [{left}], [{right}])\n#v(0.5em)",
        )
    esc = html.escape
    right = (
        f"<strong>{esc(NATIONAL_NAME)}</strong><br><strong><u>{esc(NATIONAL_MOTTO)}</u></strong>"
    )
    left = "<br>".join(esc(line) for line in issuer)
    return _raw(target, f'<div class="quoc-hieu"><div>{left}</div><div>{right}</div></div>')


def centered_title(target: str, title: str, subtitle: str | None = None) -> str:
    """The document's name in bold capitals, centred (e.g. "ĐƠN YÊU CẦU CÔNG NHẬN SÁNG KIẾN")."""
    if target == "md":
        return f"\n**{title}**\n" + (f"\n*{subtitle}*\n" if subtitle else "")
    if target == "docx":
        body = _w_par(title, bold=True, size_pt=14, after_pt=6)
        if subtitle:
            body += _w_par(subtitle, italic=True, size_pt=14, after_pt=6)
        return _raw(target, body)
    if target == "pdf":
        body = f'#align(center)[#text(weight: "bold")[#{typst_str(title)}]'
        if subtitle:
            body += f" \\\n#emph[#{typst_str(subtitle)}]"
        return _raw(target, body + "]\n#v(0.3em)")
    sub = f"<br><em>{html.escape(subtitle)}</em>" if subtitle else ""
    return _raw(target, f'<p class="ten-van-ban"><strong>{html.escape(title)}</strong>{sub}</p>')


def right_block(target: str, lines: list[tuple[str, str]]) -> str:
    """Lines aligned at the right, centred within the right half: place-date line, signature.

    Each line is (style, text) with style one of "i" (italic), "b" (bold), "" (plain).
    """
    if target == "md":
        return (
            "\n"
            + "  \n".join(
                f"*{t}*" if s == "i" else f"**{t}**" if s == "b" and t else t for s, t in lines
            )
            + "\n"
        )
    if target == "docx":
        right = "".join(_w_par(t, bold=s == "b", italic=s == "i", size_pt=14) for s, t in lines)
        return _raw(target, _w_table("", right, 0.4))
    if target == "pdf":
        parts = []
        for s, t in lines:
            inner = f"#{typst_str(t)}" if t else "#v(1.2em)"
            parts.append(
                f"#emph[{inner}]" if s == "i" else f"#strong[{inner}]" if s == "b" else inner
            )
        # One unbreakable block: a signature never starts on one page and ends on the next.
        return _raw(
            target,
            "#block(breakable: false, grid(columns: (40%, 60%), [], align(center)["
            + " \\\n".join(parts)
            + "]))",
        )
    cells = "<br>".join(
        f"<em>{html.escape(t)}</em>"
        if s == "i"
        else f"<strong>{html.escape(t)}</strong>"
        if s == "b"
        else html.escape(t) or "&nbsp;"
        for s, t in lines
    )
    return _raw(target, f'<div class="ky-ten"><div></div><div>{cells}</div></div>')
