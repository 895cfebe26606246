"""Pre-Unicode Vietnamese font encodings found in old Word files: TCVN3 (ABC) and VNI.

Before Unicode, Vietnamese offices typed in fonts such as `.VnTime` (TCVN3) or `VNI-Times`
(VNI) that drew Vietnamese letters in place of Latin-1 characters. Read without those fonts
the text is mojibake ("ViÖt Nam - Céng hoµ"). The tables below are the public code charts:
TCVN3 is one byte per letter; VNI writes a base letter followed by a mark character.
Fonts whose name ends in "H" (`.VnTimeH`) are the capital-letter variants of TCVN3: the same
codes drawn as capitals.
"""

from __future__ import annotations

import re
import unicodedata

# TCVN3 (TCVN 5712:1993, ABC): code point -> letter.
_TCVN3_HEX = (
    "b5à b6ả b7ã b8á b9ạ a8ă bbằ bcẳ bdẵ beắ c6ặ a9â c7ầ c8ẩ c9ẫ caấ cbậ aeđ "
    "ccè ceẻ cfẽ d0é d1ẹ aaê d2ề d3ể d4ễ d5ế d6ệ d7ì d8ỉ dcĩ ddí deị "
    "dfò e1ỏ e2õ e3ó e4ọ abô e5ồ e6ổ e7ỗ e8ố e9ộ acơ eaờ ebở ecỡ edớ eeợ "
    "efù f1ủ f2ũ f3ú f4ụ adư f5ừ f6ử f7ữ f8ứ f9ự faỳ fbỷ fcỹ fdý feỵ "
    "a1Ă a2Â a3Ê a4Ô a5Ơ a6Ư a7Đ"
)
TCVN3: dict[str, str] = {chr(int(item[:2], 16)): item[2:] for item in _TCVN3_HEX.split()}

# VNI (VNI Windows): sequences in the order of _VNI_LETTERS.
_VNI_LETTERS = (
    "áàảãạăắằẳẵặâấầẩẫậéèẻẽẹêếềểễệíìỉĩịóòỏõọôốồổỗộơớờởỡợúùủũụưứừửữựýỳỷỹỵđ"
    "ÁÀẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÉÈẺẼẸÊẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÚÙỦŨỤƯỨỪỬỮỰÝỲỶỸỴĐ"
)
_VNI_CODES = (  # noqa: SIM905 - the public chart, kept in its compact published form
    "aù,aø,aû,aõ,aï,aê,aé,aè,aú,aü,aë,aâ,aá,aà,aå,aã,aä,eù,eø,eû,eõ,eï,eâ,eá,eà,eå,eã,eä,"
    "í,ì,æ,ó,ò,où,oø,oû,oõ,oï,oâ,oá,oà,oå,oã,oä,ô,ôù,ôø,ôû,ôõ,ôï,uù,uø,uû,uõ,uï,ö,öù,öø,"
    "öû,öõ,öï,yù,yø,yû,yõ,î,ñ,AÙ,AØ,AÛ,AÕ,AÏ,AÊ,AÉ,AÈ,AÚ,AÜ,AË,AÂ,AÁ,AÀ,AÅ,AÃ,AÄ,EÙ,EØ,"
    "EÛ,EÕ,EÏ,EÂ,EÁ,EÀ,EÅ,EÃ,EÄ,Í,Ì,Æ,Ó,Ò,OÙ,OØ,OÛ,OÕ,OÏ,OÂ,OÁ,OÀ,OÅ,OÃ,OÄ,Ô,ÔÙ,ÔØ,ÔÛ,ÔÕ,"
    "ÔÏ,UÙ,UØ,UÛ,UÕ,UÏ,Ö,ÖÙ,ÖØ,ÖÛ,ÖÕ,ÖÏ,YÙ,YØ,YÛ,YÕ,Î,Ñ"
).split(",")
VNI: dict[str, str] = dict(zip(_VNI_CODES, _VNI_LETTERS, strict=True))
# Longest sequences first: "ôù" must win over "ô".
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(VNI, key=len, reverse=True)))

# Other legacy encodings we recognise but cannot convert reliably (VISCII, VPS, VK ...).
_UNSUPPORTED = re.compile(r"^(vps|vk|viscii|vni-?viet|bk\s|bach ?khoa|vietware|vn3)", re.I)


class LegacyEncodingError(ValueError):
    """Text in a legacy font that cannot be decoded."""


def font_encoding(font_name: str | None) -> str | None:
    """`tcvn3`, `tcvn3-caps`, `vni`, `unsupported` or None (a Unicode font) for a font name."""
    if not font_name:
        return None
    name = font_name.strip()
    if name.startswith(".Vn"):
        return "tcvn3-caps" if name.rstrip().endswith("H") else "tcvn3"
    if name.upper().startswith("VNI-") or name.upper().startswith("VNI "):
        return "vni"
    if _UNSUPPORTED.match(name):
        return "unsupported"
    return None


def decode_tcvn3(text: str, caps: bool = False) -> str:
    """TCVN3 text (as Latin-1 characters) -> Unicode NFC; raises if it is not TCVN3."""
    out = []
    for ch in text:
        if ch in TCVN3:
            out.append(TCVN3[ch])
        elif ord(ch) < 0x80 or ch in "\u00a0":
            out.append(ch)
        elif ord(ch) <= 0xFF:
            # Latin-1 punctuation that TCVN3 leaves as is ("«", "»", "°" ...).
            out.append(ch)
        else:
            raise LegacyEncodingError(
                f"ký tự {ch!r} không thuộc bảng mã TCVN3 / not a TCVN3 character"
            )
    result = "".join(out)
    return unicodedata.normalize("NFC", result.upper() if caps else result)


def decode_vni(text: str) -> str:
    """VNI text (as Windows-1252 characters) -> Unicode NFC; raises if it is not VNI."""
    for ch in text:
        if ord(ch) > 0xFF and ch not in "\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2022":
            raise LegacyEncodingError(f"ký tự {ch!r} không thuộc bảng mã VNI / not a VNI character")
    return unicodedata.normalize("NFC", _VNI_RE.sub(lambda m: VNI[m.group(0)], text))


def encode_tcvn3(text: str) -> str:
    """Unicode -> TCVN3 (for tests and tools that need to produce legacy text)."""
    rev = {v: k for k, v in TCVN3.items()}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in rev:
            out.append(rev[ch])
        elif ch.lower() in rev and ch != ch.lower():
            # TCVN3 has no capitals with tone marks in the normal font; .VnTimeH draws them.
            out.append(rev[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)


def encode_vni(text: str) -> str:
    """Unicode -> VNI (for tests)."""
    rev = {v: k for k, v in VNI.items()}
    return "".join(rev.get(ch, ch) for ch in unicodedata.normalize("NFC", text))
