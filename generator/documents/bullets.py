"""Lists in administrative documents start with "-", not "•" (Decree 30/2020/NĐ-CP practice).

pandoc's DOCX writer gives bullet lists the Symbol/Courier/Wingdings glyphs (shown as "•",
"o", "▪"); the typst writer uses "•". `plain_dash_bullets` rewrites a written DOCX so that
every bullet level prints a hyphen in the body font; `TYPST_LIST_MARKER` does the same for
the PDF. Numbered lists are left alone.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from generator import fsio
from generator.documents.fonts import DOCX_FAMILY as FAMILY

DASH = "-"
TYPST_LIST_MARKER = f"#set list(marker: [{DASH}])\n"

_LEVEL = re.compile(r"<w:lvl\b[^>]*>.*?</w:lvl>", re.S)
_LVL_TEXT = re.compile(r'<w:lvlText w:val="[^"]*"\s*/>')
_RPR = re.compile(r"<w:rPr>.*?</w:rPr>", re.S)
_RUN_FONT = (
    f'<w:rPr><w:rFonts w:ascii="{FAMILY}" w:hAnsi="{FAMILY}" w:cs="{FAMILY}" '
    'w:hint="default" /></w:rPr>'
)


def _dash_level(m: re.Match[str]) -> str:
    level = m.group(0)
    if 'w:numFmt w:val="bullet"' not in level:
        return level
    level = _LVL_TEXT.sub(f'<w:lvlText w:val="{DASH}" />', level)
    level = _RPR.sub("", level)
    return level.replace("</w:lvl>", _RUN_FONT + "</w:lvl>")


def dash_numbering(xml: str) -> str:
    """numbering.xml with every bullet level printing "-" in the body font."""
    return _LEVEL.sub(_dash_level, xml)


def plain_dash_bullets(path: str | Path) -> None:
    """Rewrite the DOCX at `path` in place (atomically) so that its bullets are hyphens."""
    path = Path(path)
    with zipfile.ZipFile(path) as zin:
        if "word/numbering.xml" not in zin.namelist():
            return
        items = [(info, zin.read(info.filename)) for info in zin.infolist()]
    # The one writer: a temporary file beside the DOCX, renamed over it when complete.
    tmp = fsio.temp_beside(path)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
            for info, data in items:
                if info.filename == "word/numbering.xml":
                    data = dash_numbering(data.decode("utf-8")).encode("utf-8")
                zout.writestr(info, data)
        fsio.commit(tmp, path, force=True)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
