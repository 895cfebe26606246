"""Legal references: the type of a document from its number, and the one table of laws cited.

Two things a reviewer checks on every page and every document:

* A document number names its type in its symbol (Decree 30/2020/NĐ-CP, Appendix III):
  "118/TB-UBND" is a notice (Thông báo), "3105/QĐ-UBND" a decision (Quyết định), and
  "2464/UBND-KGVX" (issuer and unit, no type) an official letter (Công văn). Writing "QĐ"
  before a notice is wrong, so every page and document asks `document_reference` instead.
* Laws are cited from `CITATIONS`, one row per instrument with its effective dates and the
  matter it governs; `in_force(topic, on)` picks the instrument that governs a matter on a
  date, so a citation changes by itself when a new law takes effect (personal data: Decree
  13/2023/NĐ-CP until 31/12/2025, Law 91/2025/QH15 from 01/01/2026).

Imports nothing from the rest of `generator` (core layer).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

# Type abbreviations of Decree 30/2020/NĐ-CP, Appendix III (plus the normative documents:
# Nghị định, Thông tư, Luật). Keys are upper-case NFC.
DOCUMENT_TYPES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QYĐ": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTR": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTR": "Tờ trình",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "BGN": "Bản ghi nhớ",
    "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển",
    "PB": "Phiếu báo",
    "CV": "Công văn",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
}

# Typed without "Đ" (a keyboard without Vietnamese input): "QD" is still a decision. Only the
# unambiguous ones: "HD" is Hướng dẫn, never Hợp đồng, and "DA" stays Dự án.
_ASCII_ALIASES = {"QD": "QĐ", "ND": "NĐ", "QYD": "QYĐ", "CD": "CĐ"}

FALLBACK_TYPE = "Văn bản"
OFFICIAL_LETTER = "Công văn"
LAW = "Luật"

# An issuer-unit symbol of an official letter: "UBND-KGVX", "SKHCN-QLKH", "VP".
_ISSUER = re.compile(r"^[A-ZĐ&]{2,}[0-9]*$")
_ASSEMBLY = re.compile(r"^QH[0-9]{1,2}$")


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().upper()


def document_type(number: str | None) -> str:
    """The type of the document numbered `number`: "118/TB-UBND" -> "Thông báo".

    "QĐ" -> "Quyết định", "TB" -> "Thông báo", "KH" -> "Kế hoạch", "BC" -> "Báo cáo", "NQ" ->
    "Nghị quyết", "CV" or an issuer-unit symbol with no type ("2464/UBND-KGVX") -> "Công văn",
    "06/2022/QH15" -> "Luật"; anything else (no symbol, unknown type) -> "Văn bản".
    """
    if not number:
        return FALLBACK_TYPE
    parts = [p.strip() for p in _norm(number).split("/")]
    if len(parts) < 2 or not parts[0] or not parts[-1]:
        return FALLBACK_TYPE
    symbol = parts[-1]
    if _ASSEMBLY.match(symbol):
        return LAW
    head, _, rest = symbol.partition("-")
    head = head.strip()
    head = _ASCII_ALIASES.get(head, head)
    if head in DOCUMENT_TYPES:
        return DOCUMENT_TYPES[head]
    # No type abbreviation: an official letter carries the issuer and the drafting unit.
    if rest and _ISSUER.match(head) and all(_ISSUER.match(p.strip()) for p in rest.split("-")):
        return OFFICIAL_LETTER
    return FALLBACK_TYPE


def document_reference(number: str | None) -> str:
    """The number as a sentence names it: "118/TB-UBND" -> "Thông báo số 118/TB-UBND".

    An empty number gives "" so that callers write nothing rather than "Văn bản số ".
    """
    if not number or not number.strip():
        return ""
    return f"{document_type(number)} số {unicodedata.normalize('NFC', number.strip())}"


# ---------------------------------------------------------------------------------------------
# The citation table
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Instrument:
    """One legal instrument as the site cites it.

    `topic` is the matter it governs for this registry (one instrument may govern several
    matters: one row each); `effective_from`/`effective_to` bound the days it governs it
    (`effective_to` is the last day, None while in force). `verify` notes what a legal
    reviewer still has to confirm against the official gazette.
    """

    topic: str
    kind: str
    number: str
    name: str
    effective_from: date
    effective_to: date | None = None
    governs: str = ""
    verify: str = ""

    @property
    def citation(self) -> str:
        """ "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15", "Nghị định số 13/2012/NĐ-CP ban
        hành Điều lệ Sáng kiến": a law is named before its number, as it is written."""
        if self.kind == LAW:
            return f"{self.kind} {self.name} số {self.number}"
        return f"{self.kind} số {self.number} {self.name}".strip()

    @property
    def short(self) -> str:
        """ "Luật số 91/2025/QH15" """
        return f"{self.kind} số {self.number}"

    def in_force_on(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


CITATIONS: tuple[Instrument, ...] = (
    Instrument(
        topic="sang-kien",
        kind="Nghị định",
        number="13/2012/NĐ-CP",
        name="ban hành Điều lệ Sáng kiến",
        effective_from=date(2012, 4, 20),
        governs="Loại giải pháp, điều kiện và trình tự công nhận sáng kiến",
        verify="Luật Khoa học, công nghệ và đổi mới sáng tạo 93/2025/QH15 có thể kéo theo "
        "nghị định mới thay thế",
    ),
    Instrument(
        topic="sang-kien-huong-dan",
        kind="Thông tư",
        number="18/2013/TT-BKHCN",
        name="hướng dẫn thi hành một số quy định của Điều lệ Sáng kiến",
        effective_from=date(2013, 9, 15),
        governs="Mẫu đơn yêu cầu công nhận sáng kiến (Phụ lục I), hội đồng sáng kiến",
    ),
    Instrument(
        topic="thi-dua-khen-thuong",
        kind="Luật",
        number="06/2022/QH15",
        name="Thi đua, khen thưởng",
        effective_from=date(2024, 1, 1),
        governs="Danh hiệu Chiến sĩ thi đua cần sáng kiến được công nhận",
    ),
    Instrument(
        topic="thi-dua-khen-thuong-chi-tiet",
        kind="Nghị định",
        number="98/2023/NĐ-CP",
        name="quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
        effective_from=date(2024, 1, 1),
        effective_to=date(2025, 6, 30),
        governs="Tiêu chuẩn danh hiệu thi đua gắn với sáng kiến (đến khi được thay thế)",
        verify="ngày hết hiệu lực theo ngày Nghị định 152/2025/NĐ-CP có hiệu lực",
    ),
    Instrument(
        topic="thi-dua-khen-thuong-chi-tiet",
        kind="Nghị định",
        number="152/2025/NĐ-CP",
        name="quy định chi tiết một số điều của Luật Thi đua, khen thưởng",
        effective_from=date(2025, 7, 1),
        governs="Tiêu chuẩn danh hiệu thi đua gắn với sáng kiến; phân cấp trong lĩnh vực "
        "thi đua, khen thưởng",
        verify="ngày có hiệu lực và số điều cần đối chiếu Công báo trước khi dẫn số điều",
    ),
    Instrument(
        topic="du-lieu-ca-nhan",
        kind="Nghị định",
        number="13/2023/NĐ-CP",
        name="về bảo vệ dữ liệu cá nhân",
        effective_from=date(2023, 7, 1),
        effective_to=date(2025, 12, 31),
        governs="Bảo vệ dữ liệu cá nhân (đến khi Luật 91/2025/QH15 có hiệu lực)",
    ),
    Instrument(
        topic="du-lieu-ca-nhan",
        kind="Luật",
        number="91/2025/QH15",
        name="Bảo vệ dữ liệu cá nhân",
        effective_from=date(2026, 1, 1),
        governs="Bảo vệ dữ liệu cá nhân",
    ),
    Instrument(
        topic="van-thu",
        kind="Nghị định",
        number="30/2020/NĐ-CP",
        name="về công tác văn thư",
        effective_from=date(2020, 3, 5),
        governs="Thể thức, kỹ thuật trình bày văn bản hành chính",
    ),
)

TOPICS = frozenset(i.topic for i in CITATIONS)


def in_force(topic: str, on: date) -> Instrument:
    """The instrument that governs `topic` on the day `on`.

    Before the first instrument took effect the earliest one is returned (the registry never
    cites "nothing"); an unknown topic raises KeyError naming the known ones.
    """
    rows = sorted((i for i in CITATIONS if i.topic == topic), key=lambda i: i.effective_from)
    if not rows:
        raise KeyError(
            f"không có văn bản cho chủ đề {topic!r} / no instrument for topic {topic!r}; "
            f"known: {', '.join(sorted(TOPICS))}"
        )
    for inst in reversed(rows):
        if inst.in_force_on(on):
            return inst
    later = [i for i in rows if i.effective_from > on]
    return later[0] if later else rows[-1]


def cite(topic: str, on: date, *, short: bool = False) -> str:
    """The citation text of the instrument governing `topic` on `on`."""
    inst = in_force(topic, on)
    return inst.short if short else inst.citation


# "Nghị định 13/2023/NĐ-CP", "Luật số 91/2025/QH15", "Thông tư 18/2013/TT-BKHCN": used by the
# test that every citation in the training pages is in the table.
CITATION_PATTERN = re.compile(
    r"(?:Nghị định|Luật|Thông tư|Nghị quyết|Quyết định)(?: số)? ?"
    r"([0-9]{1,4}/[0-9]{4}/[A-ZĐ0-9-]+)"
)


def known_numbers() -> frozenset[str]:
    return frozenset(i.number for i in CITATIONS)
