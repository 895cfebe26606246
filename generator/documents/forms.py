"""The official forms, prefilled from a record or blank.

* `don`   "Đơn yêu cầu công nhận sáng kiến" (Circular 18/2013/TT-BKHCN, Phụ lục I);
* `mo-ta` "Bản mô tả sáng kiến" (the description most provinces ask for with it).

Each item starts with its label in bold ("**Tên sáng kiến:**"), the same labels that
`importer.py` recognises, so an exported form imported again gives back the record's
values. Birth dates and qualifications are columns of the official authors table but the
registry never holds them: they are left empty for the author to fill in by hand, and so is
the confidential-information item.

Rules of the filled application form (`don`), from Decree 13/2012/NĐ-CP and the annex:

* Addressee ("Kính gửi"): the recognising body itself (Charter, Article 5.3a: "tên cơ sở
  được yêu cầu công nhận sáng kiến"), i.e. the issuer of the record's first recognition,
  or the owning agency for a draft, its "UBND" written out as "Ủy ban nhân dân". Not its
  council: the council advises, the body recognises.
* Investor: the record's `investor` agency, else the owning agency under the name it had
  at the time (`agency_name_at_time`): a public agency funds its staff's work.
* First-application participants: only adoptions that started on or before
  `first_applied`. Later adoptions by other agencies are replication, not first use.
* Place and date: the schema has no filing date, so no record is ever "filed today" and
  the line is always the dotted blank `PLACE_DATE_BLANK` for the signer to write by hand
  (`generator.layout.place_date_line`). A record filed long ago must not carry the day it
  was printed.
* Both 7-column tables of the annex are kept; the birth-date and qualification cells are
  dotted blanks to be filled by hand, with a note saying so.
"""

from __future__ import annotations

from datetime import date

from generator.config import Settings
from generator.documents.blocks import centered_title, national_heading, right_block
from generator.documents.sanitise import field_markdown
from generator.layout import place_date_line
from generator.model import Initiative, Registry
from generator.render.common import label
from generator.render.markdown_safe import escape_text
from generator.text.vn import ABBREVIATIONS, format_date, format_number, format_number_or_dash

FORM_KINDS = {
    "don": ("ĐƠN YÊU CẦU CÔNG NHẬN SÁNG KIẾN", "don-yeu-cau-cong-nhan"),
    "mo-ta": ("BẢN MÔ TẢ SÁNG KIẾN", "ban-mo-ta-sang-kien"),
}

# Labels, shared with the importer (which also knows other ways people write them).
L_TITLE = "Tên sáng kiến"
L_AUTHORS_INTRO = "Tôi (chúng tôi) ghi tên dưới đây:"
# Circular 18/2013, Phụ lục I: the title follows this sentence (the importer knows it).
L_TITLE_DON = "Là tác giả (nhóm tác giả) đề nghị xét công nhận sáng kiến"
L_INVESTOR = "Chủ đầu tư tạo ra sáng kiến"
L_INVESTOR_DON = (
    "Chủ đầu tư tạo ra sáng kiến (trường hợp tác giả không đồng thời là chủ đầu tư tạo ra "
    "sáng kiến)"
)
L_FIELD = "Lĩnh vực áp dụng sáng kiến"
L_FIRST = "Ngày sáng kiến được áp dụng lần đầu hoặc áp dụng thử"
L_ESSENCE = "Mô tả bản chất của sáng kiến"
L_CONFIDENTIAL = "Những thông tin cần được bảo mật (nếu có)"
L_CONDITIONS = "Những điều kiện cần thiết để áp dụng sáng kiến"
L_BENEFIT_AUTHOR = "Đánh giá lợi ích thu được hoặc dự kiến có thể thu được do áp dụng sáng kiến theo ý kiến của tác giả"
L_BENEFIT_ADOPTERS = (
    "Đánh giá lợi ích thu được hoặc dự kiến có thể thu được do áp dụng sáng kiến theo ý kiến "
    "của tổ chức, cá nhân đã tham gia áp dụng sáng kiến lần đầu, kể cả áp dụng thử (nếu có)"
)
L_PARTICIPANTS = (
    "Danh sách những người đã tham gia áp dụng thử hoặc áp dụng sáng kiến lần đầu (nếu có)"
)
L_PROBLEM = "Tình trạng giải pháp đã biết"
L_SOLUTION = "Nội dung giải pháp đề nghị công nhận là sáng kiến"
L_NOVELTY = "Tính mới của giải pháp"
L_EFFECT = "Hiệu quả, lợi ích thu được"
L_ATTACHMENTS = "Danh sách tài liệu kèm theo"

BLANK = "." * 25
# A table cell left for the applicant to fill in by hand (birth dates, qualifications).
HAND = "…………"
AUTHORS_HEAD = (
    "Số TT",
    "Họ và tên",
    "Ngày tháng năm sinh",
    "Nơi công tác (hoặc nơi thường trú)",
    "Chức danh",
    "Trình độ chuyên môn",
    "Tỷ lệ (%) đóng góp vào việc tạo ra sáng kiến",
)
PARTICIPANTS_HEAD = (
    "Số TT",
    "Họ và tên",
    "Ngày tháng năm sinh",
    "Nơi công tác",
    "Chức danh",
    "Trình độ chuyên môn",
    "Nội dung công việc hỗ trợ",
)
HAND_NOTE = (
    "*Ghi chú: các ô “Ngày tháng năm sinh” và “Trình độ chuyên môn” để trống, người nộp đơn "
    "tự ghi tay trên bản nộp; sổ đăng ký công khai không lưu các thông tin cá nhân này.*"
)
PLEDGE = (
    "Tôi (chúng tôi) xin cam đoan mọi thông tin nêu trong đơn là trung thực, đúng sự thật và "
    "hoàn toàn chịu trách nhiệm trước pháp luật."
)


def _md(ini: Initiative, field: str, text: str | None) -> str:
    """Untrusted record Markdown: a placeholder that `convert` parses alone and filters."""
    return field_markdown(ini.source, ini.id, field, text)


def _cell(text: object) -> str:
    return escape_text("" if text is None else str(text)).replace("|", "\\|")


def _item(label_text: str, value: str | None, *, block: bool = False) -> str:
    """One form item: the bold label, then the value inline (short) or as paragraphs."""
    if value is None or value == "":
        value = BLANK
        block = False
    if block:
        return f"**{label_text}:**\n\n{value}\n"
    return f"**{label_text}:** {value}\n"


def _authors_table(ini: Initiative | None, *, official: bool) -> str:
    if official:
        head = "| " + " | ".join(AUTHORS_HEAD) + " |"
        # Dash counts set the column widths (pandoc reads them as proportions).
        sep = "|:-:|:--------|:------|:-------|:---------|:------|:-----:|"
    else:
        head = "| Số TT | Họ và tên | Chức danh | Nơi công tác | Tỷ lệ (%) đóng góp |"
        sep = "|:-:|:---------|:-----------|:---------|:----:|"
    rows = [head, sep]
    authors = ini.authors if ini else ()
    workplace = ini.agency_name_at_time if ini else ""
    for n, a in enumerate(authors, 1):
        pct = format_number(a.contribution_pct) if a.contribution_pct is not None else ""
        if official:
            # Birth date and qualification: personal data the registry never stores, left
            # as dots for the applicant's hand.
            rows.append(
                f"| {n} | {_cell(a.name)} | {HAND} | {_cell(workplace)} | {_cell(a.position)} | {HAND} | {pct} |"
            )
        else:
            rows.append(
                f"| {n} | {_cell(a.name)} | {_cell(a.position)} | {_cell(workplace)} | {pct} |"
            )
    if not authors:
        width = 7 if official else 5
        for n in (1, 2, 3):
            rows.append("| " + " | ".join([str(n)] + ["  "] * (width - 1)) + " |")
    return "\n".join(rows) + "\n"


def _participants_table() -> str:
    """The annex's second table: people who took part in the first (trial) application.

    The registry holds no such list (nor their birth dates), so the rows are left empty.
    """
    rows = [
        "| " + " | ".join(PARTICIPANTS_HEAD) + " |",
        "|:-:|:--------|:------|:-------|:-------|:------|:----------|",
    ]
    rows += ["| " + " | ".join([str(n)] + ["  "] * 6) + " |" for n in (1, 2)]
    return "\n".join(rows) + "\n"


def _first_applied(ini: Initiative | None, s: Settings) -> str | None:
    if not ini or not ini.first_applied:
        return None
    kind = label(s, "first_applied_kind", ini.first_applied_kind)
    return format_date(ini.first_applied) + (f" ({kind.lower()})" if kind else "")


def _fields(ini: Initiative | None, reg: Registry | None) -> str | None:
    if not ini or reg is None:
        return None
    return "; ".join(escape_text(reg.field_name(f)) for f in ini.fields)


def _formal_name(name: str) -> str:
    """An agency name as an addressee line writes it: "UBND huyện X" -> "Ủy ban nhân dân huyện X"."""
    head, _, rest = name.partition(" ")
    if head == "UBND" and rest:
        return f"{ABBREVIATIONS['UBND']} {rest}"
    return name


def _addressee(ini: Initiative | None, reg: Registry | None) -> str | None:
    """The recognising body (Decree 13/2012, Charter Article 5.3a), not its council."""
    if not ini:
        return None
    first = ini.first_recognition
    body = first.issuer if first else ini.agency
    # The owning agency under the name printed at the time; another body under its name.
    name = ini.agency_name_at_time if body == ini.agency else reg.agency_name(body) if reg else body
    return escape_text(_formal_name(name))


def _investor(ini: Initiative | None, reg: Registry | None) -> str | None:
    """The investor: the record's `investor`, else the owning agency as named at the time."""
    if not ini:
        return None
    investor = ini.investor or ini.agency
    if investor == ini.agency:
        return escape_text(ini.agency_name_at_time)
    return escape_text(reg.agency_name(investor) if reg else investor)


def _first_adopters(ini: Initiative | None, reg: Registry | None) -> str | None:
    """Adopters that took part in the first (trial) application: those that started on or
    before `first_applied`. Later adoptions are replication and stay out of the form."""
    if not ini or not ini.first_applied:
        return None
    lines = []
    for a in ini.adoptions:
        if a.since > ini.first_applied:
            continue
        name = a.agency_name_at_time or (reg.agency_name(a.agency) if reg else a.agency)
        text = f"- {escape_text(name)} (từ {format_date(a.since)})"
        if a.result:
            text += f": {escape_text(a.result)}"
        lines.append(text)
    # None leaves the dotted blank for the applicant: the item reads "(nếu có)".
    return "\n".join(lines) if lines else None


def _filed_on(ini: Initiative | None) -> date | None:
    """The day the application is filed, if the record says so.

    The schema has no filing (application) date, so this is always None and the
    place-and-date line stays blank: see the module docstring.
    """
    return None


def _signature(target: str, ini: Initiative | None, s: Settings, who: str) -> str:
    place_date = place_date_line(s.province, _filed_on(ini), s.today_date())
    lines = [("i", place_date), ("b", who), ("i", "(Ký và ghi rõ họ tên)"), ("", ""), ("", "")]
    if ini:
        lines += [("b", a.name) for a in ini.authors]
    return right_block(target, lines)


def form_markdown(
    kind: str,
    ini: Initiative | None,
    registry: Registry | None,
    settings: Settings,
    target: str = "md",
) -> str:
    """The form `kind` ("don" or "mo-ta") as Markdown for `target`; blank when `ini` is None."""
    if kind not in FORM_KINDS:
        raise ValueError(f"unknown form kind {kind!r}")
    title = FORM_KINDS[kind][0]
    out = [national_heading(target), centered_title(target, title), ""]
    s = settings
    if kind == "don":
        out += [
            _item("Kính gửi", _addressee(ini, registry)),
            L_AUTHORS_INTRO,
            "",
            _authors_table(ini, official=True),
            HAND_NOTE if ini else "",
            "",
            _item(L_TITLE_DON, escape_text(ini.title) if ini else None),
            _item(L_INVESTOR_DON, _investor(ini, registry)),
            _item(L_FIELD, _fields(ini, registry)),
            _item(L_FIRST, _first_applied(ini, s)),
            _item(L_ESSENCE, _md(ini, "solution", ini.solution) if ini else None, block=True),
            _item(L_CONFIDENTIAL, None),
            _item(
                L_CONDITIONS, _md(ini, "conditions", ini.conditions) if ini else None, block=True
            ),
            _item(
                L_BENEFIT_AUTHOR, _md(ini, "benefits", ini.benefits) if ini else None, block=True
            ),
            _item(L_BENEFIT_ADOPTERS, _first_adopters(ini, registry), block=True),
            f"**{L_PARTICIPANTS}:**",
            "",
            _participants_table(),
            PLEDGE,
            "",
            _signature(target, ini, s, "NGƯỜI NỘP ĐƠN"),
        ]
    else:
        out += [
            _item(L_TITLE, escape_text(ini.title) if ini else None),
            "**Tác giả:**",
            "",
            _authors_table(ini, official=False),
            _item(L_FIELD, _fields(ini, registry)),
            _item(L_FIRST, _first_applied(ini, s)),
            f"# 1. {L_PROBLEM}",
            "",
            (_md(ini, "problem", ini.problem) if ini else "") or BLANK,
            "",
            f"# 2. {L_SOLUTION}",
            "",
            (_md(ini, "solution", ini.solution) if ini else "") or BLANK,
            "",
            f"# 3. {L_NOVELTY}",
            "",
            (_md(ini, "novelty", ini.novelty) if ini else "") or BLANK,
            "",
            f"# 4. {L_CONDITIONS}",
            "",
            (_md(ini, "conditions", ini.conditions) if ini else "") or BLANK,
            "",
            f"# 5. {L_EFFECT}",
            "",
            (_md(ini, "benefits", ini.benefits) if ini else "") or BLANK,
            "",
        ]
        if ini and ini.metrics:
            out += [
                "**Số liệu đo hiệu quả:**",
                "",
                "| Chỉ tiêu | Đơn vị | Trước | Sau | Thời gian |",
                "|:-----------|:----|----:|----:|:-------|",
            ]
            out += [
                f"| {_cell(m.indicator)} | {_cell(m.unit)} | {format_number_or_dash(m.baseline)} | {format_number(m.result)} | {_cell(m.period or '')} |"
                for m in ini.metrics
            ]
            out.append("")
        out += [f"# 6. {L_CONFIDENTIAL}", "", BLANK, "", f"# 7. {L_ATTACHMENTS}", ""]
        atts = [
            f"- {escape_text(a.title)} ({label(s, 'kind', a.kind)})"
            for a in (ini.attachments if ini else ())
        ]
        out += ["\n".join(atts) if atts else BLANK, "", _signature(target, ini, s, "TÁC GIẢ")]
    return "\n".join(out) + "\n"


def form_filename(kind: str) -> str:
    """Site file stem of a blank form (`don-yeu-cau-cong-nhan`, `ban-mo-ta-sang-kien`)."""
    return FORM_KINDS[kind][1]
