"""Word (.docx) -> draft initiative YAML: read an application or description written in Word.

The file is checked first (a ZIP with `word/document.xml`; an OLE file means a password-
protected DOCX or an old .doc), legacy TCVN3/VNI runs are converted to Unicode (or refused),
then pandoc reads it into its JSON AST. The blocks are walked in order: a paragraph or
heading that starts with a known label ("Tên sáng kiến", "3. Mô tả bản chất ...",
"**Lợi ích thu được:**", numbered or not, with or without diacritics) opens a field; what
follows until the next label is its value. The authors table is recognised by its header.
Values go back to Markdown through pandoc (lists and emphasis survive) and to NFC.

Never imported: birth dates and qualifications (personal data) and the confidential
information item; the report says they were dropped, and so for images, comments, tracked
changes, headers and footers, embedded objects and links with a forbidden scheme.

Bounded (a .docx is a ZIP of XML parts, and records come from anyone): before any parser
sees the file, `check_archive` inflates every part itself, counting the bytes, and refuses
more than MAX_UNPACKED_BYTES in all (SK415), a part compressed more than MAX_RATIO:1 (SK416),
too many parts, a nested archive outside word/embeddings/, encryption or a size that differs
from the one declared (SK417), and any XML part declaring a DOCTYPE or ENTITY (SK418, checked
with defusedxml). pandoc then runs sandboxed with a heap limit.
"""

from __future__ import annotations

import io
import json
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET
from lxml import etree

from generator.diagnostics import Diagnostic
from generator.documents.convert import ConversionError, run_pandoc
from generator.documents.legacy import LegacyEncodingError, decode_tcvn3, decode_vni, font_encoding
from generator.model import Registry

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class DocxImportError(ValueError):
    """The file cannot be imported; the message is bilingual and names the file."""


# Limits on a Word file (an application or description is usually well under 5 MB).
MAX_DOCX_BYTES = 50_000_000
MAX_UNPACKED_BYTES = 50_000_000
MAX_RATIO = 100
# Small parts are never refused for their ratio: 1 MB of anything harms nobody.
RATIO_FLOOR_BYTES = 1_000_000
MAX_MEMBERS = 2_000
# pandoc's heap when it reads a Word file that passed the checks.
IMPORT_HEAP = "1500m"
_CHUNK = 1 << 20
_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)


def _refuse(path: Path, code: str, **args: object) -> DocxImportError:
    d = Diagnostic(code, str(path), 0, 0, dict(args))
    return DocxImportError(
        f"{path}: {code} lỗi: {d.message('vi')}.\n{path}: {code} error: {d.message('en')}."
    )


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def check_archive(path: Path, data: bytes, zf: zipfile.ZipFile) -> list[str]:
    """Refuse a bomb before any parser sees it; returns the embedded objects left out.

    Every part is inflated here, in chunks, from its raw bytes: the sizes counted are the real
    ones, not those the archive declares (which pandoc's reader would not trust either).
    """
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _refuse(path, "SK417", what=f"{len(infos)} parts (> {MAX_MEMBERS})")
    total = 0
    embedded: list[str] = []
    for zi in infos:
        if zi.flag_bits & 0x1:
            raise _refuse(path, "SK417", what=f"`{zi.filename}` is encrypted")
        if zi.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse(path, "SK417", what=f"`{zi.filename}`: compression {zi.compress_type}")
        header = data[zi.header_offset : zi.header_offset + 30]
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise DocxImportError(
                f"{path}: tệp DOCX bị hỏng / the DOCX file is corrupt ({zi.filename})."
            )
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        start = zi.header_offset + 30 + name_len + extra_len
        raw = data[start : start + zi.compress_size]
        size, crc, head = 0, 0, b""
        inflate = zlib.decompressobj(-15) if zi.compress_type == zipfile.ZIP_DEFLATED else None
        pending = raw
        while True:
            if inflate is None:
                chunk, pending = pending[:_CHUNK], pending[_CHUNK:]
            else:
                try:
                    chunk = inflate.decompress(pending, _CHUNK)
                except zlib.error as exc:
                    raise DocxImportError(
                        f"{path}: tệp DOCX bị hỏng / the DOCX file is corrupt ({zi.filename})."
                    ) from exc
                pending = inflate.unconsumed_tail
            if not chunk:
                break
            if not head:
                head = chunk[:4]
            size += len(chunk)
            crc = zlib.crc32(chunk, crc)
            if total + size > MAX_UNPACKED_BYTES:
                raise _refuse(
                    path, "SK415", size=f"> {_mb(total + size)}", limit=_mb(MAX_UNPACKED_BYTES)
                )
            if size > RATIO_FLOOR_BYTES and size > MAX_RATIO * max(zi.compress_size, 1):
                raise _refuse(
                    path,
                    "SK416",
                    member=zi.filename,
                    ratio=f"> {size // max(zi.compress_size, 1)}",
                    limit=MAX_RATIO,
                )
        total += size
        if size != zi.file_size or crc != zi.CRC:
            raise DocxImportError(
                f"{path}: tệp DOCX bị hỏng ({zi.filename}) / the DOCX file is corrupt ({zi.filename})."
            )
        if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
            # Word keeps embedded objects (an Excel chart, a PDF) there; nothing opens them.
            if zi.filename.startswith("word/embeddings/"):
                embedded.append(zi.filename.rsplit("/", 1)[-1])
            elif head.startswith(b"PK"):
                raise _refuse(path, "SK417", what=f"`{zi.filename}` is a nested archive")
    for zi in infos:
        if zi.filename.lower().endswith((".xml", ".rels")):
            _check_xml(path, zi.filename, zf.read(zi))
    return embedded


def _check_xml(path: Path, member: str, xml: bytes) -> None:
    """Refuse a DOCTYPE or ENTITY declaration (billion laughs, external entities).

    Declarations can only come before the root element: the parse stops at its start.
    """
    try:
        for _event in DefusedET.iterparse(
            io.BytesIO(xml), events=("start",), forbid_dtd=True, forbid_entities=True
        ):
            break
    except DefusedXmlException as exc:
        raise _refuse(path, "SK418", member=member) from exc
    except DefusedET.ParseError as exc:
        raise DocxImportError(
            f"{path}: tệp DOCX bị hỏng ({member}) / the DOCX file is corrupt ({member}): {exc}"
        ) from exc


def fold(text: str) -> str:
    """Lower-case, no diacritics, đ -> d; one character in, one character out (NFC input)."""
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base.lower() if len(base.lower()) == 1 else ch.lower())
    return "".join(out)


# Labels as regular expressions over folded text, in the order they are tried.
LABELS: tuple[tuple[str, str], ...] = (
    ("benefits_adopters", r"danh gia loi ich.*theo y kien cua (to chuc|ca nhan|don vi)"),
    ("benefits", r"danh gia loi ich.*(theo y kien cua tac gia)?"),
    ("participants", r"danh sach (nhung )?nguoi (da )?tham gia"),
    ("confidential", r"(nhung )?thong tin can (duoc )?bao mat"),
    ("title", r"(ten sang kien|ten giai phap|la tac gia .*de nghi xet cong nhan sang kien)"),
    ("investor", r"chu dau tu"),
    ("fields", r"linh vuc( ap dung)?"),
    ("first_applied", r"ngay (sang kien duoc )?ap dung (lan dau|thu)|thoi gian ap dung lan dau"),
    (
        "solution",
        r"(mo ta ban chat|noi dung (cua )?giai phap|mo ta (noi dung )?giai phap|ban chat (cua )?(sang kien|giai phap))",
    ),
    ("problem", r"(tinh trang (giai phap|ky thuat) da biet|thuc trang|tinh trang truoc)"),
    ("novelty", r"(tinh moi|diem moi)"),
    ("conditions", r"((nhung )?dieu kien can thiet|dieu kien ap dung|kha nang ap dung)"),
    ("benefits", r"(hieu qua,? loi ich|loi ich thu duoc|hieu qua thu duoc|hieu qua kinh te)"),
    ("authors", r"(nhom |dong )?tac gia(?=\s*(\(.*\))?\s*(:|$))"),
    # Where the agency is named: the addressee (the recognising body, Decree 13 art. 5.3a)
    # or an "agency/unit" line some provinces add.
    ("_addressee", r"kinh gui"),
    ("_agency", r"(co quan|don vi)( chu quan| cong tac| ap dung| de nghi)?\s*(\(.*\))?\s*$"),
    (
        "_skip",
        r"(cong hoa xa hoi chu nghia|doc lap - tu do|don yeu cau cong nhan|ban mo ta sang kien$|tai lieu kem theo|danh sach tai lieu|so lieu do hieu qua|toi \(chung toi\) (xin cam doan|ghi ten)|nguoi nop don|xac nhan cua)",
    ),
)
_LABEL_RES = [(name, re.compile(rx)) for name, rx in LABELS]
# "1.", "3.2.", "II.", "a)", "-", "•" before a label.
_NUMBERING = re.compile(r"^\s*(?:(?:\d+|[ivxlc]+)(?:\.\d+)*\s?[.)]|[a-zđ][.)]|[-–•*+·])?\s*", re.I)
_EMPTY_VALUES = re.compile(r"^[\s.…_\-–]*$|^\(?(khong|khong co|chua co|khong ap dung)\)?\.?$")


@dataclass
class ImportResult:
    """What the import found: field values, authors, and messages for the user."""

    values: dict[str, str] = field(default_factory=dict)
    authors: list[dict[str, Any]] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    investor: str | None = None
    investor_text: str | None = None
    first_applied: str | None = None
    first_applied_kind: str | None = None
    mapped: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    legacy: str | None = None
    adopters_benefits: str | None = None
    workplaces: list[str] = field(default_factory=list)
    agency: str | None = None
    agency_name_at_time: str | None = None
    agency_text: str | None = None


# ---- reading the file ------------------------------------------------------------------------
def _check_container(path: Path) -> tuple[bytes, list[str]]:
    try:
        size = path.stat().st_size
        if size > MAX_DOCX_BYTES:
            raise _refuse(path, "SK415", size=_mb(size), limit=_mb(MAX_DOCX_BYTES))
        data = path.read_bytes()
    except OSError as exc:
        raise DocxImportError(
            f"không đọc được tệp {path} / cannot read {path}: {exc.strerror}"
        ) from exc
    if data.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise DocxImportError(
                f"{path}: tệp Word được bảo vệ bằng mật khẩu; hãy gỡ mật khẩu rồi nhập lại.\n"
                f"{path}: the Word file is password-protected; remove the password and try again."
            )
        raise DocxImportError(
            f"{path}: đây là tệp .doc (Word 97-2003); hãy mở bằng Word/LibreOffice và lưu thành .docx.\n"
            f"{path}: this is an old .doc file; open it in Word/LibreOffice and save it as .docx."
        )
    if not data.startswith(b"PK"):
        raise DocxImportError(f"{path}: không phải tệp DOCX / not a DOCX file.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if "word/document.xml" not in zf.namelist():
                raise DocxImportError(
                    f"{path}: tệp ZIP nhưng không phải văn bản Word / a ZIP file but not a Word document."
                )
            embedded = check_archive(path, data, zf)
    except zipfile.BadZipFile as exc:
        raise DocxImportError(
            f"{path}: tệp DOCX bị hỏng / the DOCX file is corrupt ({exc})."
        ) from exc
    return data, embedded


def _style_fonts(zf: zipfile.ZipFile) -> tuple[dict[str, str], str | None]:
    """Paragraph/character style id -> font, and the document default font."""
    try:
        root = etree.fromstring(zf.read("word/styles.xml"), _XML_PARSER)
    except (KeyError, etree.XMLSyntaxError):
        return {}, None
    ns = {"w": W}
    default = None
    node = root.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", ns)
    if node is not None:
        default = node.get(f"{{{W}}}ascii") or node.get(f"{{{W}}}hAnsi")
    out: dict[str, str] = {}
    for st in root.findall("w:style", ns):
        f = st.find("w:rPr/w:rFonts", ns)
        if f is not None:
            name = f.get(f"{{{W}}}ascii") or f.get(f"{{{W}}}hAnsi")
            if name:
                out[st.get(f"{{{W}}}styleId", "")] = name
    normal = out.get("Normal")
    return out, normal or default


def convert_legacy(data: bytes, path: Path) -> tuple[bytes, str | None]:
    """Rewrite TCVN3/VNI runs as Unicode; returns the new DOCX bytes and the encoding found."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("word/document.xml")
        if (
            b".Vn" not in xml
            and b"VNI" not in xml.upper()
            and b"VPS" not in xml
            and b"VK " not in xml
        ):
            styles, default = _style_fonts(zf)
            if font_encoding(default) is None and not any(
                font_encoding(f) for f in styles.values()
            ):
                return data, None
        styles, default = _style_fonts(zf)
        root = etree.fromstring(xml, _XML_PARSER)
        found: set[str] = set()
        for p in root.iter(f"{{{W}}}p"):
            pstyle = p.find(f"{{{W}}}pPr/{{{W}}}pStyle")
            pfont = styles.get(pstyle.get(f"{{{W}}}val", "")) if pstyle is not None else None
            for r in p.iter(f"{{{W}}}r"):
                f = r.find(f"{{{W}}}rPr/{{{W}}}rFonts")
                font = None
                if f is not None:
                    font = f.get(f"{{{W}}}ascii") or f.get(f"{{{W}}}hAnsi")
                rstyle = r.find(f"{{{W}}}rPr/{{{W}}}rStyle")
                if font is None and rstyle is not None:
                    font = styles.get(rstyle.get(f"{{{W}}}val", ""))
                font = font or pfont or default
                enc = font_encoding(font)
                if enc is None:
                    continue
                found.add(enc)
                if enc == "unsupported":
                    raise DocxImportError(
                        f"{path}: văn bản dùng phông cũ {font!r} (bảng mã không hỗ trợ); hãy chuyển sang Unicode "
                        "bằng Unikey (Công cụ chuyển mã) rồi nhập lại.\n"
                        f"{path}: the text uses the legacy font {font!r} (unsupported encoding); convert it to "
                        "Unicode (e.g. Unikey's converter) and try again."
                    )
                for t in r.iter(f"{{{W}}}t"):
                    try:
                        t.text = (
                            decode_vni(t.text or "")
                            if enc == "vni"
                            else decode_tcvn3(t.text or "", caps=enc == "tcvn3-caps")
                        )
                    except LegacyEncodingError as exc:
                        raise DocxImportError(
                            f"{path}: không giải mã được văn bản phông {font!r}: {exc}.\n"
                            f"{path}: cannot decode text in font {font!r}: {exc}."
                        ) from exc
                if f is not None:
                    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
                        if f.get(f"{{{W}}}{slot}") is not None:
                            f.set(f"{{{W}}}{slot}", "Times New Roman")
        if not found:
            return data, None
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
            for item in zf.infolist():
                content = (
                    etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                    if item.filename == "word/document.xml"
                    else zf.read(item.filename)
                )
                out.writestr(item, content)
    return buf.getvalue(), "VNI" if "vni" in found else "TCVN3"


def _pandoc_ast(data: bytes, path: Path) -> dict[str, Any]:
    """pandoc's AST of the (checked) Word file: sandboxed, heap-limited."""
    try:
        out = run_pandoc(["-f", "docx", "-t", "json"], data, heap=IMPORT_HEAP)
    except ConversionError as exc:
        raise DocxImportError(
            f"{path}: pandoc không đọc được tệp / pandoc cannot read the file: {exc}"
        ) from exc
    return json.loads(out)


# ---- walking the AST -------------------------------------------------------------------------
def _inline_text(inlines: list[dict[str, Any]]) -> str:
    out = []
    for node in inlines:
        t = node.get("t")
        c = node.get("c")
        if t == "Str":
            out.append(c)
        elif t in ("Space", "SoftBreak"):
            out.append(" ")
        elif t == "LineBreak":
            out.append("\n")
        elif t in (
            "Emph",
            "Strong",
            "Underline",
            "SmallCaps",
            "Strikeout",
            "Superscript",
            "Subscript",
        ):
            out.append(_inline_text(c))
        elif t in ("Span", "Link"):
            out.append(_inline_text(c[1]))
        elif t == "Quoted":
            out.append(f'"{_inline_text(c[1])}"')
        elif t == "Code":
            out.append(c[1])
    return unicodedata.normalize("NFC", "".join(out))


def _block_text(block: dict[str, Any]) -> str:
    t = block.get("t")
    if t in ("Para", "Plain"):
        return _inline_text(block["c"])
    if t == "Header":
        return _inline_text(block["c"][2])
    return ""


def _flatten(blocks: list[dict[str, Any]]) -> list[tuple[dict[str, Any], bool]]:
    """Blocks in reading order; ordered-list items are split so each may start a label.

    Returns (block, is_list_item_start). A bullet list stays one block (a value).
    """
    out: list[tuple[dict[str, Any], bool]] = []
    for b in blocks:
        t = b.get("t")
        items = b["c"][1] if t == "OrderedList" else b["c"] if t == "BulletList" else None
        if items and any(item and match_label(_block_text(item[0])) for item in items):
            # Word numbered or bulleted the form's items ("1. Tên sáng kiến", "• Lĩnh vực:
            # ..."): each item may open a field.
            for item in items:
                first = True
                for sub in _flatten(item):
                    out.append((sub[0], first or sub[1]))
                    first = False
        elif t == "Div":
            out.extend(_flatten(b["c"][1]))
        elif t == "BlockQuote":
            out.extend(_flatten(b["c"]))
        else:
            out.append((b, False))
    return out


def match_label(text: str) -> tuple[str, str] | None:
    """(field, remainder) when `text` starts with a known label; None otherwise.

    A label may be a heading of its own ("5. Mô tả bản chất của sáng kiến") or written inline,
    then ":" then the value on the same line ("- Đánh giá lợi ích ... theo ý kiến của tác giả:
    Thời gian ..."). With a colon, only the text before it is matched against the labels, so
    a label's pattern never runs on into the value.
    """
    # Retyped text has runs of spaces and tabs; line breaks inside the paragraph stay.
    text = re.sub(r"[ \t\u00a0\u2002-\u200b]+", " ", unicodedata.normalize("NFC", text)).strip()
    if not text:
        return None
    folded = fold(text)
    m = _NUMBERING.match(folded)
    start = m.end() if m else 0
    colon = text.find(":", start)
    for name, rx in _LABEL_RES:
        if colon >= 0:
            lm = rx.match(folded, start, colon)
            # Between the label and the colon only a parenthesis ("(nếu có)") or a few words.
            if lm and len(folded[lm.end() : colon]) <= 140:
                return name, text[colon + 1 :].strip()
            continue
        lm = rx.match(folded, start)
        if not lm:
            continue
        head = folded[lm.end() :]
        if len(folded) - start <= 160 and re.fullmatch(r"[\s\w(),%/-]*", head) and len(head) <= 60:
            return name, ""
    return None


_NUMBER_CELL = re.compile(r"^\W*(\d+(\.\d+)*|[ivxlc]+|[a-z])?\W*$", re.I)


def _row_label(row: list[str]) -> tuple[str, str] | None:
    """(field, value) when a table row holds a label: its first cell that is not a number."""
    for j, cell in enumerate(row):
        if _NUMBER_CELL.match(cell.strip()):
            continue
        hit = match_label(cell)
        if not hit:
            return None
        value = hit[1] or " ".join(c for c in row[j + 1 :] if c.strip())
        return hit[0], value
    return None


def _table_rows(table: dict[str, Any]) -> list[list[str]]:
    """Plain-text rows of a pandoc Table (header rows first)."""
    _attr, _caption, _specs, head, bodies, foot = table["c"]

    def cells(row: list[Any]) -> list[str]:
        out = []
        for cell in row[1]:
            blocks = cell[4]
            out.append(" ".join(_block_text(b) for b in blocks).strip())
        return out

    rows = [cells(r) for r in head[1]]
    for body in bodies:
        rows += [cells(r) for r in body[2]]
        rows += [cells(r) for r in body[3]]
    rows += [cells(r) for r in foot[1]]
    return rows


_COLS = {
    "name": re.compile(r"ho (va )?ten|tac gia"),
    "birth": re.compile(r"ngay.*sinh|nam sinh"),
    "position": re.compile(r"chuc (danh|vu)"),
    "workplace": re.compile(r"noi cong tac|don vi|co quan"),
    "qualification": re.compile(r"trinh do"),
    "pct": re.compile(r"ty le|dong gop|%"),
}


def _authors_from_table(rows: list[list[str]], result: ImportResult) -> bool:
    if not rows:
        return False
    header = [fold(c) for c in rows[0]]
    cols: dict[str, int] = {}
    for i, h in enumerate(header):
        for key, rx in _COLS.items():
            if key not in cols and rx.search(h):
                cols[key] = i
                break
    if "name" not in cols or not ({"pct", "position"} & cols.keys()):
        return False
    if "pct" not in cols and "birth" not in cols and "workplace" not in cols:
        return False
    dropped = set()
    for row in rows[1:]:

        def get(key: str, row: list[str] = row) -> str:
            i = cols.get(key)
            return row[i].strip() if i is not None and i < len(row) else ""

        name = " ".join(get("name").split())
        if not name or _EMPTY_VALUES.match(fold(name)):
            continue
        author: dict[str, Any] = {"name": name}
        if get("workplace"):
            result.workplaces.append(" ".join(get("workplace").split()))
        position = get("position") or get("workplace")
        if position:
            author["position"] = " ".join(position.split())
        pct = get("pct").replace("%", "").replace(",", ".").strip()
        if pct:
            try:
                value = float(pct)
                author["contribution_pct"] = int(value) if value.is_integer() else value
            except ValueError:
                result.notes.append(
                    f"Tỷ lệ đóng góp không đọc được / unreadable contribution: {get('pct')!r}"
                )
        if get("birth"):
            dropped.add("ngày sinh / birth dates")
        if get("qualification"):
            dropped.add("trình độ chuyên môn / qualifications")
        result.authors.append(author)
    result.dropped += sorted(dropped)
    return bool(result.authors)


def _blocks_to_markdown(
    chunks: dict[str, list[dict[str, Any]]], meta: dict[str, Any]
) -> dict[str, str]:
    """Convert each field's blocks to Markdown with one pandoc call."""
    if not chunks:
        return {}
    marker = "SANGKIENFIELDSEPARATOR"
    blocks: list[dict[str, Any]] = []
    names = list(chunks)
    for name in names:
        blocks.append({"t": "Para", "c": [{"t": "Str", "c": f"{marker}{name}"}]})
        blocks.extend(chunks[name])
    doc = {"pandoc-api-version": meta["pandoc-api-version"], "meta": {}, "blocks": blocks}
    try:
        md = run_pandoc(
            ["-f", "json", "-t", "gfm-raw_html", "--wrap=none"], json.dumps(doc).encode()
        ).decode("utf-8")
    except ConversionError as exc:
        raise DocxImportError(f"pandoc: {exc}") from exc
    out: dict[str, str] = {}
    parts = re.split(rf"^{marker}(\S+)\s*$", md, flags=re.M)
    for i in range(1, len(parts), 2):
        # pandoc pads list markers ("1.  item"); one space reads as people type it.
        text = re.sub(r"^(\s*(?:\d+\.|[-*]))[ ]{2,}", r"\1 ", parts[i + 1].strip(), flags=re.M)
        out[parts[i]] = unicodedata.normalize("NFC", text)
    return out


def _parse_date(text: str) -> tuple[str | None, str | None]:
    """(ISO date, kind) from the text of the date item; the date through the one parser."""
    from generator.text.vn import parse_date_input

    folded = fold(text.replace("\\", ""))
    kind = "ap-dung-thu" if "thu" in folded.split("(")[-1] or "ap dung thu" in folded else None
    m = re.search(r"\d{1,2}\s*([/.-])\s*\d{1,2}\s*\1\s*\d{4}|\d{4}-\d{1,2}-\d{1,2}", folded)
    typed = m.group(0) if m else None
    m2 = re.search(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})", folded)
    if not typed and m2:
        typed = f"{m2.group(1)}/{m2.group(2)}/{m2.group(3)}"
    if not typed:
        return None, kind
    try:
        d = parse_date_input(typed)
    except ValueError:
        return None, kind
    return d.isoformat(), kind or "ap-dung"


def _para(text: str) -> dict[str, Any]:
    """A pandoc paragraph holding plain `text` (its words and spaces)."""
    inlines: list[dict[str, Any]] = []
    for i, word in enumerate(text.split()):
        if i:
            inlines.append({"t": "Space"})
        inlines.append({"t": "Str", "c": word})
    return {"t": "Para", "c": inlines}


def parse_docx(path: str | Path, registry: Registry | None = None) -> ImportResult:
    """Read a Word file into an ImportResult; raises DocxImportError with a clear message."""
    path = Path(path)
    data, embedded = _check_container(path)
    result = ImportResult()
    if embedded:
        result.dropped.append("đối tượng nhúng / embedded objects: " + ", ".join(sorted(embedded)))
    _count_unsupported(data, result)
    data, result.legacy = convert_legacy(data, path)
    ast = _pandoc_ast(data, path)
    chunks: dict[str, list[dict[str, Any]]] = {}
    current: str | None = None
    skipped_tables = 0
    for block, _item_start in _flatten(ast.get("blocks", [])):
        t = block.get("t")
        if t in ("Para", "Plain", "Header"):
            hit = match_label(_block_text(block))
            if hit:
                # A label seen again (a second "Lợi ích" heading) keeps adding to its field.
                current, rest = hit
                if rest:
                    chunks.setdefault(current, []).append(_para(rest))
                continue
        if t == "Table":
            rows = _table_rows(block)
            if (
                current in (None, "authors", "title")
                or (rows and any("ty le" in fold(c) for c in rows[0]))
            ) and _authors_from_table(rows, result):
                continue
            # A form laid out as a table: "Tên sáng kiến | Gắn mã QR ..." one item per row,
            # maybe after a number column ("1 | Tên sáng kiến | ..."), maybe "Nhãn: nội dung"
            # in one cell.
            labelled = [_row_label(r) for r in rows]
            if any(labelled):
                for hit in labelled:
                    if hit:
                        current, value = hit
                        if value:
                            chunks.setdefault(current, []).append(_para(value))
                continue
        if t in ("HorizontalRule", "RawBlock") or current is None:
            if current is None and t == "Table":
                skipped_tables += 1
            if current is None and t in ("Para", "Plain") and _block_text(block).strip():
                result.unmapped.append(_block_text(block).strip()[:80])
            continue
        chunks.setdefault(current, []).append(block)
    if skipped_tables:
        result.dropped.append(
            f"{skipped_tables} bảng ngoài các mục của mẫu / {skipped_tables} tables outside the form's items"
        )
    chunks = _filter_chunks(path, chunks, result)
    keep = ("_addressee", "_agency")
    values = _blocks_to_markdown(
        {k: v for k, v in chunks.items() if not k.startswith("_") or k in keep}, ast
    )
    for name, value in values.items():
        if _EMPTY_VALUES.match(fold(value.replace("\\", ""))):
            continue
        if name == "confidential":
            result.dropped.append("thông tin cần bảo mật / confidential information")
            continue
        if name == "participants":
            result.notes.append(
                "Danh sách người tham gia áp dụng thử không được nhập (dữ liệu cá nhân) / trial participants not imported (personal data)"
            )
            continue
        if name == "benefits_adopters":
            result.adopters_benefits = value
            continue
        if name == "authors":
            continue
        result.values[name] = value
    _resolve(result, registry)
    result.mapped = sorted(k for k in result.values if not k.startswith("_")) + (
        ["authors"] if result.authors else []
    )
    return result


def _filter_chunks(
    path: Path, chunks: dict[str, list[dict[str, Any]]], result: ImportResult
) -> dict[str, list[dict[str, Any]]]:
    """The same allow-list as the exports: no images, no raw code, safe links only."""
    from generator.documents.sanitise import FieldText, Sanitiser

    s = Sanitiser("/nonexistent", image_mode="drop")
    out = {
        name: s.field_blocks(FieldText(str(path), "", name, ""), blocks)
        for name, blocks in chunks.items()
    }
    counts = {
        code: sum(1 for d in s.dropped if d.code == code) for code in ("SK410", "SK411", "SK412")
    }
    for code, (vi, en) in {
        "SK410": ("hình ảnh", "images"),
        "SK411": ("liên kết không an toàn (chỉ giữ chữ)", "unsafe links (text kept)"),
        "SK412": ("mã định dạng thô", "raw format code"),
    }.items():
        if counts[code]:
            result.dropped.append(f"{counts[code]} {vi} / {counts[code]} {en}")
    return out


_COUNTS = (
    ("word/comments.xml", rb"<w:comment\b", "ghi chú (comment)", "comments"),
    (
        "word/document.xml",
        rb"<w:(?:ins|del)\b",
        "thay đổi được theo dõi (đã chấp nhận như đang hiển thị)",
        "tracked changes (accepted as shown)",
    ),
)


def _has_words(xml: bytes) -> bool:
    """True when a part shows some text beyond page numbers."""
    text = b"".join(re.findall(rb"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", xml)).decode("utf-8", "replace")
    return any(ch.isalpha() for ch in text)


def _count_unsupported(data: bytes, result: ImportResult) -> None:
    """What the draft never carries: comments, tracked changes, headers and footers."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        for member, rx, vi, en in _COUNTS:
            if member in names:
                n = len(re.findall(rx, zf.read(member)))
                if n:
                    result.dropped.append(f"{n} {vi} / {n} {en}")
        headers = [
            n
            for n in names
            if re.fullmatch(r"word/(header|footer)\d*\.xml", n) and _has_words(zf.read(n))
        ]
        if headers:
            result.dropped.append(
                f"đầu trang, chân trang ({len(headers)}) / headers and footers ({len(headers)})"
            )


def _resolve(result: ImportResult, registry: Registry | None) -> None:
    """Turn free text into ids: fields by folded name, investor by agency name, dates to ISO."""
    text = result.values.pop("fields", None)
    if text:
        wanted = [
            fold(x).strip(" .\\") for x in re.split(r"[;,\n]|\s-\s(?=[A-ZĐ])", text) if x.strip()
        ]
        for w in wanted:
            hit = None
            if registry:
                for f in registry.fields.values():
                    if fold(f.name) == w or fold(f.name) in w or (len(w) > 4 and w in fold(f.name)):
                        hit = f.id
                        break
            if hit and hit not in result.fields:
                result.fields.append(hit)
            elif not hit:
                result.notes.append(f"Lĩnh vực không khớp danh mục / field not in taxonomy: {w!r}")
        result.values["_fields_text"] = text
    inv = result.values.pop("investor", None)
    if inv:
        result.investor_text = inv
        key = fold(inv).strip(" .")
        if registry:
            for a in registry.agencies.values():
                if fold(a.name) == key:
                    result.investor = a.id
                    break
    first = result.values.pop("first_applied", None)
    if first:
        result.first_applied, result.first_applied_kind = _parse_date(first)
        if not result.first_applied:
            result.notes.append(f"Ngày áp dụng lần đầu không đọc được / unreadable date: {first!r}")
    for key, value in list(result.values.items()):
        result.values[key] = trim_quotes(value)
    title = result.values.get("title")
    if title:
        result.values["title"] = trim_quotes(" ".join(title.replace("\\", "").split()).strip(" ."))
    _resolve_agency(result, registry)


# Quotes people type around a value: “ ” " ' « » ‘ ’ „ (and the escaped forms pandoc writes).
_QUOTES = "\u201c\u201d\u201e\"'\u00ab\u00bb\u2018\u2019"


def trim_quotes(text: str) -> str:
    """The value without the quotes (and spaces) around it: “Gắn mã QR” -> Gắn mã QR.

    Only a matching outer pair is removed, so a value that merely starts with a quoted word
    ("“Một cửa” điện tử") keeps its quotes.
    """
    value = text.strip()
    while len(value) >= 2:
        inner = value
        for esc in ('\\"', "\\'"):
            if inner.startswith(esc):
                inner = inner[1:]
            if inner.endswith(esc):
                inner = inner[:-2] + inner[-1]
        if (
            inner[0] in _QUOTES
            and inner[-1] in _QUOTES
            and not any(ch in _QUOTES for ch in inner[1:-1])
        ):
            value = inner[1:-1].strip()
        else:
            break
    return value


# ---- the agency named in the form ----------------------------------------------------------
_AGENCY_PREFIXES = (
    # The addressee is often the council, or "Hội đồng sáng kiến cấp cơ sở của ...".
    r"hoi dong (xet (duyet |cong nhan )?)?sang kien( cap co so| co so| cap tinh)?( cua| thuoc)?",
    r"chu tich",
    r"lanh dao",
)
_AGENCY_ABBR = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "tp": "thanh pho",
    "tx": "thi xa",
    "kh&cn": "khoa hoc va cong nghe",
    "khcn": "khoa hoc va cong nghe",
    "kh va cn": "khoa hoc va cong nghe",
    "so kh cn": "so khoa hoc va cong nghe",
}


def agency_key(name: str) -> str:
    """A name compared loosely: folded, abbreviations spelt out, punctuation and spaces evened.

    "UBND huyện Bình Sơn", "Ủy ban nhân dân huyện  Bình Sơn" and "uy ban nhan dan huyen binh
    son" share one key; old/new tone placement ("Hoà"/"Hòa") folds alike.
    """
    from generator.text.vn import fold as vn_fold

    key = vn_fold(trim_quotes(name))
    key = re.sub(r"[.,;:()\[\]\u201c\u201d\"'«»\-–]+", " ", key)
    key = " ".join(key.split())
    for abbr, full in _AGENCY_ABBR.items():
        key = re.sub(rf"(?<![\w&]){re.escape(abbr)}(?![\w&])", full, key)
    for rx in _AGENCY_PREFIXES:
        key = re.sub(rf"^{rx}\s+", "", key)
    return " ".join(key.split())


def match_agency(text: str, registry: Registry, day: date | None = None) -> str | None:
    """The id of the agency `text` names, valid on `day` when the name was reused; or None.

    Names are compared by `agency_key`; when several agencies bore the name (a unit
    reorganised under the same name), the one valid on `day` wins, then the one still
    operating. A near spelling (a typo) is accepted only when nothing matches exactly.
    """
    wanted = agency_key(text)
    if not wanted:
        return None
    keys = {a.id: agency_key(a.name) for a in registry.agencies.values()}
    hits = [aid for aid, key in keys.items() if key == wanted]
    if not hits:
        # "Sở KH&CN tỉnh Quảng Ngãi": the registry names its own departments without the
        # province (whatever the province is called).
        hits = [aid for aid, key in keys.items() if wanted.startswith(key + " tinh ")]
    if not hits:
        from generator.text.vn import closest

        near = closest(wanted, [], cutoff=0.9, names=keys)
        hits = [near] if near else []
    if not hits:
        return None

    def rank(aid: str) -> tuple[int, int]:
        a = registry.agencies[aid]
        return (0 if day and a.active_on(day) else 1, 0 if a.valid_to is None else 1)

    return sorted(hits, key=rank)[0]


def _resolve_agency(result: ImportResult, registry: Registry | None) -> None:
    """Fill `agency` and `agency_name_at_time` from the names the form gives, best first.

    The addressee is the recognising body (Decree 13, art. 5.3a), then an explicit
    "Cơ quan/Đơn vị:" line, then the investor, then the authors' workplace.
    """
    candidates: list[str] = []
    for key in ("_agency", "_addressee"):
        text = result.values.pop(key, None)
        if text:
            candidates += [
                line.strip(" -*•+\t")
                for line in text.replace("\\", "").splitlines()
                if line.strip()
            ]
    if result.investor_text:
        candidates.append(result.investor_text)
    candidates += [w for w in result.workplaces if w]
    if not candidates:
        return
    # One line (it goes into a YAML comment of the draft), and not a page of it.
    result.agency_text = " ".join(candidates[0].split())[:200]
    if registry is None:
        return
    day = date.fromisoformat(result.first_applied) if result.first_applied else None
    for text in candidates:
        aid = match_agency(text, registry, day)
        if aid:
            result.agency = aid
            result.agency_name_at_time = registry.agencies[aid].name
            if day and not registry.agencies[aid].active_on(day):
                result.notes.append(
                    f"Cơ quan {registry.agencies[aid].name} không hoạt động vào ngày "
                    f"{day.strftime('%d/%m/%Y')}; kiểm tra lại / agency {aid} was not operating "
                    "on the date of first application; check it"
                )
            return
    result.notes.append(
        f"Cơ quan không khớp danh mục / agency not in registry/agencies: {result.agency_text!r}"
    )
