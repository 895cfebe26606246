"""Record -> Markdown of the replication guide ("hướng dẫn nhân rộng"), 12 parts.

The parts follow the domain brief §6: identification; problem and context; core vs
adaptable; evidence; the fit check "Có phù hợp với đơn vị bạn?" as a checklist; steps and
timeline; cost; risks and legal cautions; monitoring; units that adopted it; attachments;
contact, credit and version history. Where the record lacks what a part needs, the guide
says what is missing (and who should add it) instead of printing an empty heading.

Pure functions: the same record, registry and settings always give the same Markdown, which
is what the document cache hashes.
"""

from __future__ import annotations

from datetime import date

from generator import __version__
from generator.config import Settings
from generator.documents.blocks import centered_title
from generator.documents.sanitise import field_markdown
from generator.model import Initiative, Registry
from generator.render.common import agency_display, label, recognition_result
from generator.render.markdown_safe import escape_text
from generator.text.legal import cite, document_reference
from generator.text.vn import (
    format_change,
    format_date,
    format_number,
    format_number_or_dash,
    format_vnd,
)

GUIDE_TITLE = "HƯỚNG DẪN NHÂN RỘNG SÁNG KIẾN"

PART_TITLES = (
    "1. Thông tin nhận diện",
    "2. Vấn đề và bối cảnh",
    "3. Giải pháp: phần cốt lõi và phần có thể điều chỉnh",
    "4. Bằng chứng hiệu quả",
    "5. Có phù hợp với đơn vị bạn?",
    "6. Các bước triển khai và tiến độ",
    "7. Chi phí và nguồn lực",
    "8. Rủi ro và lưu ý pháp lý",
    "9. Theo dõi, đánh giá và báo cáo lại",
    "10. Các đơn vị đã áp dụng",
    "11. Tài liệu kèm theo",
    "12. Liên hệ, ghi công và lịch sử phiên bản",
)

# Cautions every copy must respect, whatever the record says (domain brief §6.8). The law on
# personal data is cited from the one table (`generator.text.legal`), as in force on the day
# the guide is made: `standard_cautions`.
STANDARD_CAUTIONS = (
    "Không thu thập, công khai dữ liệu cá nhân của người dân vượt quá mức cần thiết cho thủ tục "
    "({personal_data}).",
    "Bảo đảm an toàn thông tin cho phần mềm, tài khoản và dữ liệu dùng trong giải pháp; phân "
    "quyền và sao lưu theo quy định.",
    "Không phát sinh thêm giấy tờ, chi phí hay bước thực hiện cho người dân, doanh nghiệp so "
    "với thủ tục đã được công bố.",
    "Giữ ghi công cho tác giả và đơn vị gốc khi trình bày, báo cáo hoặc đề nghị công nhận.",
)


def standard_cautions(on: date) -> tuple[str, ...]:
    """The cautions, citing the instruments in force on `on`."""
    return tuple(c.format(personal_data=cite("du-lieu-ca-nhan", on)) for c in STANDARD_CAUTIONS)


def _md(ini: Initiative, field: str, text: str | None) -> str:
    """Untrusted record Markdown: a placeholder that `convert` parses alone and filters."""
    return field_markdown(ini.source, ini.id, field, text)


def _missing(what: str) -> str:
    return (
        f"*Hồ sơ chưa có thông tin về {what}. Đơn vị chủ trì sáng kiến cần bổ sung mục này "
        "vào sổ đăng ký trước khi nhân rộng.*"
    )


def _cell(text: object) -> str:
    """Plain text safe inside a pipe-table cell."""
    return escape_text(str(text) if text is not None else "").replace("|", "\\|")


def _agency(registry: Registry, agency_id: str, name_at_time: str | None = None) -> str:
    shown, now = agency_display(registry, agency_id, name_at_time)
    text = escape_text(shown)
    if now:
        text += " (nay là " + ", ".join(escape_text(registry.agency_name(a)) for a in now) + ")"
    return text


def _identification(ini: Initiative, reg: Registry, s: Settings) -> str:
    lines = [
        f"- **Mã số:** {escape_text(ini.id)}",
        f"- **Tên sáng kiến:** {escape_text(ini.title)}",
        "- **Loại giải pháp:** "
        + ("; ".join(label(s, "solution_types", t) for t in ini.solution_types) or "—"),
        "- **Lĩnh vực:** " + "; ".join(escape_text(reg.field_name(f)) for f in ini.fields),
        f"- **Cơ quan chủ trì:** {_agency(reg, ini.agency, ini.agency_name_at_time)}",
    ]
    authors = []
    for a in ini.authors:
        text = escape_text(a.name)
        if a.position:
            text += f", {escape_text(a.position)}"
        if a.contribution_pct is not None:
            text += f" ({format_number(a.contribution_pct)}%)"
        authors.append(text)
    lines.append("- **Tác giả:** " + ("; ".join(authors) or "—"))
    if ini.first_applied:
        kind = label(s, "first_applied_kind", ini.first_applied_kind) or "Áp dụng"
        lines.append(
            f"- **Ngày áp dụng lần đầu:** {format_date(ini.first_applied)} ({kind.lower()})"
        )
    if ini.readiness:
        lines.append(f"- **Mức độ sẵn sàng nhân rộng:** {label(s, 'readiness', ini.readiness)}")
    if ini.revoked:
        lines.append(
            f"- **Đã bị huỷ bỏ công nhận:** {escape_text(document_reference(ini.revoked.decision_no))} "
            f"ngày {format_date(ini.revoked.decision_date)}. {escape_text(ini.revoked.reason)}"
        )
    out = "\n".join(lines) + "\n"
    if ini.recognitions:
        out += "\n**Quá trình xét công nhận**\n\n| Cấp | Kết quả | Văn bản | Ngày | Cơ quan |\n|:------|:-------|:-------|:-----|:----------|\n"
        for r in ini.recognitions:
            out += (
                f"| {_cell(label(s, 'level', r.level))} | {_cell(recognition_result(s, r.kind, r.outcome))} "
                f"| {_cell(document_reference(r.decision_no) or '—')} | {format_date(r.decision_date)} | {_cell(reg.agency_name(r.issuer))} |\n"
            )
    else:
        out += "\n*Sáng kiến chưa có quyết định công nhận.*\n"
    return out


def _problem(ini: Initiative, reg: Registry, s: Settings) -> str:
    out = _md(ini, "problem", ini.problem) or _missing("tình trạng trước khi có sáng kiến")
    if ini.procedures:
        out += "\n\n**Thủ tục hành chính liên quan**\n\n" + "\n".join(
            f"- {escape_text(p.name)} (mã {escape_text(p.code)})" for p in ini.procedures
        )
    return out


def _solution(ini: Initiative, reg: Registry, s: Settings) -> str:
    out = [
        "**Bản chất giải pháp**",
        "",
        _md(ini, "solution", ini.solution) or _missing("nội dung giải pháp"),
        "",
    ]
    if ini.novelty:
        out += ["**Điểm mới**", "", _md(ini, "novelty", ini.novelty), ""]
    rep = ini.replication
    out += ["**Phần cốt lõi - cần giữ nguyên khi nhân rộng**", ""]
    out += [
        _md(ini, "replication.core", rep.core)
        if rep and rep.core
        else _missing("phần cốt lõi của giải pháp"),
        "",
    ]
    out += ["**Phần có thể điều chỉnh cho phù hợp với đơn vị**", ""]
    out += [
        _md(ini, "replication.adaptable", rep.adaptable)
        if rep and rep.adaptable
        else _missing("phần có thể điều chỉnh"),
        "",
    ]
    return "\n".join(out)


def _evidence(ini: Initiative, reg: Registry, s: Settings) -> str:
    out = []
    if ini.metrics:
        out.append("| Chỉ tiêu | Đơn vị | Trước | Sau | Thay đổi | Thời gian | Cách đo |")
        out.append("|:------------|:-----|----:|----:|-----:|:------|:-----------|")
        for m in ini.metrics:
            # Without a baseline there is no change to state ("—"), not a change from zero.
            change = format_change(m.baseline, m.result, m.unit) or (
                "—" if m.baseline is None else ""
            )
            out.append(
                f"| {_cell(m.indicator)} | {_cell(m.unit)} | {format_number_or_dash(m.baseline)} | {format_number(m.result)} "
                f"| {change} | {_cell(m.period or '')} | {_cell(m.method or '')} |"
            )
        out.append("")
    else:
        out += [_missing("số liệu đo hiệu quả (trước và sau khi áp dụng)"), ""]
    if ini.benefits:
        out += ["**Lợi ích thu được**", "", _md(ini, "benefits", ini.benefits), ""]
    confirmations = [a for a in ini.adoptions if a.evidence]
    if confirmations:
        out += ["**Xác nhận bằng văn bản của đơn vị áp dụng**", ""]
        out += [
            f"- {_agency(reg, a.agency, a.agency_name_at_time)}: {escape_text(a.evidence)}"
            for a in confirmations
        ]
        out.append("")
    return "\n".join(out)


def _fit_check(ini: Initiative, reg: Registry, s: Settings) -> str:
    rep = ini.replication
    rows: list[tuple[str, str]] = [
        ("Thẩm quyền", "Đơn vị có chức năng, nhiệm vụ thực hiện công việc mà sáng kiến cải tiến"),
    ]
    for p in ini.procedures:
        rows.append(("Thẩm quyền", f"Đơn vị giải quyết thủ tục “{p.name}”"))
    for pre in rep.prerequisites if rep else ():
        rows.append(("Hạ tầng, dữ liệu", pre))
    if ini.conditions:
        rows.append(
            ("Kỹ năng, điều kiện", "Đáp ứng các điều kiện áp dụng nêu tại mục 3 của bản mô tả")
        )
    rows.append(("Nhân lực", "Có người được giao phụ trách và được tập huấn"))
    if rep and rep.cost_vnd is not None:
        rows.append(("Kinh phí", f"Bố trí được khoảng {format_vnd(rep.cost_vnd)}"))
    else:
        rows.append(("Kinh phí", "Bố trí được kinh phí triển khai (hồ sơ chưa ghi mức chi phí)"))
    if rep and rep.lead_time_days:
        rows.append(
            (
                "Thời gian",
                f"Dành được khoảng {format_number(rep.lead_time_days)} ngày để triển khai",
            )
        )
    out = [
        "Đánh dấu từng điều kiện trước khi quyết định áp dụng. Nếu có điều kiện “Chưa”, xem mục 3 "
        "(phần có thể điều chỉnh) hoặc liên hệ đơn vị gốc (mục 12).",
        "",
        "| Nhóm | Điều kiện | Có | Chưa |",
        "|:-------|:-------------------------|:--:|:--:|",
    ]
    out += [f"| {_cell(group)} | {_cell(text)} |   |   |" for group, text in rows]
    if ini.conditions:
        out += ["", "**Điều kiện áp dụng theo hồ sơ**", "", _md(ini, "conditions", ini.conditions)]
    if not rep or not rep.prerequisites:
        out += ["", _missing("hạ tầng, dữ liệu cần có")]
    return "\n".join(out)


def _steps(ini: Initiative, reg: Registry, s: Settings) -> str:
    rep = ini.replication
    if not rep or not rep.steps:
        return (
            _missing("các bước triển khai")
            + "\n\nKhung chung khi chưa có hướng dẫn chi tiết: (1) chuẩn bị - nghiên cứu hồ sơ, cử "
            "người phụ trách; (2) thí điểm ở một bộ phận; (3) đánh giá theo các chỉ tiêu ở mục 4; "
            "(4) áp dụng chính thức và báo cáo lại (mục 9)."
        )
    out = [
        "| TT | Bước | Nội dung | Thực hiện | Số ngày |",
        "|--:|:--------|:--------------------|:--------|--:|",
    ]
    total = 0
    for n, st in enumerate(rep.steps, 1):
        total += st.duration_days or 0
        detail = " ".join((st.detail or "").split())
        out.append(
            f"| {n} | {_cell(st.title)} | {_cell(detail)} | {_cell(st.role or '')} "
            f"| {format_number(st.duration_days) if st.duration_days is not None else ''} |"
        )
    if total:
        out += ["", f"Tổng thời gian các bước: khoảng {format_number(total)} ngày."]
    return "\n".join(out)


def _cost(ini: Initiative, reg: Registry, s: Settings) -> str:
    rep = ini.replication
    out = []
    if rep and rep.cost_vnd is not None:
        out.append(f"- **Chi phí ước tính:** {format_vnd(rep.cost_vnd)}")
    if rep and rep.lead_time_days is not None:
        out.append(
            f"- **Thời gian chuẩn bị đến khi vận hành:** {format_number(rep.lead_time_days)} ngày"
        )
    if rep and rep.steps:
        roles = sorted({st.role for st in rep.steps if st.role})
        if roles:
            out.append("- **Bộ phận tham gia:** " + "; ".join(escape_text(r) for r in roles))
    if rep and rep.prerequisites:
        out.append(
            "- **Trang thiết bị, điều kiện sẵn có cần dùng:** "
            + "; ".join(escape_text(p) for p in rep.prerequisites)
        )
    if not out:
        return _missing("chi phí và nguồn lực")
    return "\n".join(out)


def _risks(ini: Initiative, reg: Registry, s: Settings) -> str:
    rep = ini.replication
    out = []
    if rep and rep.risks:
        out += [_md(ini, "replication.risks", rep.risks), ""]
    else:
        out += [_missing("rủi ro riêng của giải pháp"), ""]
    out += ["**Lưu ý chung khi nhân rộng**", ""]
    out += [f"- {c}" for c in standard_cautions(s.today_date())]
    return "\n".join(out)


def _monitoring(ini: Initiative, reg: Registry, s: Settings) -> str:
    out = []
    if ini.metrics:
        out += [
            "Theo dõi cùng các chỉ tiêu mà đơn vị gốc đã dùng, đo trước khi bắt đầu và sau mỗi kỳ:",
            "",
        ]
        out += [
            f"- {escape_text(m.indicator)} ({escape_text(m.unit)}); cách đo: {escape_text(m.method or 'tự xác định')}"
            for m in ini.metrics
        ]
        out.append("")
    else:
        out += [_missing("chỉ tiêu theo dõi"), ""]
    page = s.site_url.rstrip("/") + f"/sang-kien/{ini.slug}/"
    out.append(
        "Khi áp dụng, đơn vị báo cáo lại để sổ đăng ký ghi nhận (mục “Đơn vị áp dụng” của hồ sơ): "
        f"tên đơn vị, ngày bắt đầu, giai đoạn, kết quả và văn bản xác nhận, qua trang đề xuất "
        f"<{s.site_url.rstrip('/')}/de-xuat/> hoặc trang của sáng kiến <{page}>."
    )
    return "\n".join(out)


def _adopters(ini: Initiative, reg: Registry, s: Settings) -> str:
    if not ini.adoptions:
        return "*Chưa có đơn vị nào báo cáo đã áp dụng sáng kiến này. Đơn vị bạn có thể là đơn vị đầu tiên.*"
    out = [
        "| Đơn vị | Từ ngày | Giai đoạn | Kết quả |",
        "|:-----------|:-----|:------|:----------------|",
    ]
    for a in sorted(ini.adoptions, key=lambda a: (a.since, a.agency)):
        out.append(
            f"| {_agency(reg, a.agency, a.agency_name_at_time)} | {format_date(a.since)} "
            f"| {_cell(label(s, 'stage', a.stage))} | {_cell(a.result or '')} |"
        )
    return "\n".join(out)


def _attachments(ini: Initiative, reg: Registry, s: Settings) -> str:
    items = []
    for att in ini.attachments:
        # "Khác" says nothing about the file: only a real kind is worth printing.
        kind = label(s, "kind", att.kind) if att.kind and att.kind != "khac" else ""
        if att.url:
            target = att.url
        elif att.path:
            target = f"{s.repo_url.rstrip('/')}/blob/{s.repo_branch}/{att.path}"
        else:
            target = ""
        text = f"- {escape_text(att.title)}" + (f" ({kind})" if kind else "")
        if target:
            text += f": <{target}>"
        items.append(text)
    base = s.site_url.rstrip("/")
    items.append(
        f"- Mẫu đơn yêu cầu công nhận sáng kiến: <{base}/tai-lieu/mau/don-yeu-cau-cong-nhan.docx>"
    )
    items.append(f"- Mẫu bản mô tả sáng kiến: <{base}/tai-lieu/mau/ban-mo-ta-sang-kien.docx>")
    out = "\n".join(items)
    if not ini.attachments:
        out = (
            _missing("tài liệu kèm theo (biểu mẫu, kịch bản, mã nguồn, bài trình bày)")
            + "\n\n"
            + out
        )
    return out


def _contact(ini: Initiative, reg: Registry, s: Settings) -> str:
    rep = ini.replication
    out = []
    if rep and rep.contact:
        c = rep.contact
        text = f"- **Đầu mối:** {escape_text(c.role)}"
        if c.agency:
            text += f", {_agency(reg, c.agency)}"
        out.append(text)
        if c.email:
            out.append(f"- **Thư điện tử công vụ:** {escape_text(c.email)}")
        if c.phone:
            out.append(f"- **Điện thoại cơ quan:** {escape_text(c.phone)}")
    else:
        out.append(
            f"- **Đầu mối:** {_agency(reg, ini.agency, ini.agency_name_at_time)} (hồ sơ chưa ghi bộ phận đầu mối)"
        )
    names = ", ".join(escape_text(a.name) for a in ini.authors)
    out += [
        "",
        f"**Ghi công.** Sáng kiến của {names} ({_agency(reg, ini.agency, ini.agency_name_at_time)}). "
        "Khi áp dụng, trích dẫn mã số và tên tác giả.",
        "",
        "**Lịch sử phiên bản**",
        "",
    ]
    history = []
    if ini.first_applied:
        history.append((ini.first_applied, "Áp dụng lần đầu"))
    for r in ini.recognitions:
        history.append(
            (
                r.decision_date,
                f"{label(s, 'level', r.level)}: {recognition_result(s, r.kind, r.outcome)}"
                + (f" ({document_reference(r.decision_no)})" if r.decision_no else ""),
            )
        )
    if ini.revoked:
        history.append(
            (
                ini.revoked.decision_date,
                f"Huỷ bỏ công nhận ({document_reference(ini.revoked.decision_no)})",
            )
        )
    if ini.provenance.last_reviewed:
        history.append((ini.provenance.last_reviewed, "Rà soát hồ sơ gần nhất"))
    out += [f"- {format_date(d)}: {escape_text(t)}" for d, t in sorted(history, key=lambda x: x[0])]
    out += [
        "",
        f"Tài liệu được tạo tự động từ hồ sơ {escape_text(ini.id)} của sổ đăng ký sáng kiến "
        f"({s.site_url.rstrip('/')}/sang-kien/{ini.slug}/), trình tạo phiên bản {__version__}.",
    ]
    if ini.provenance.sample:
        out += ["", "*Lưu ý: đây là hồ sơ minh hoạ (dữ liệu mẫu), không phải sáng kiến có thật.*"]
    return "\n".join(out)


_PARTS = (
    _identification,
    _problem,
    _solution,
    _evidence,
    _fit_check,
    _steps,
    _cost,
    _risks,
    _monitoring,
    _adopters,
    _attachments,
    _contact,
)


def guide_markdown(
    ini: Initiative, registry: Registry, settings: Settings, target: str = "md"
) -> str:
    """The full replication guide of one initiative as Markdown for `target` (docx|pdf|html|md)."""
    out = [centered_title(target, GUIDE_TITLE, ini.title), ""]
    if ini.summary:
        out += [f"*{escape_text(ini.summary)}*", ""]
    for title, part in zip(PART_TITLES, _PARTS, strict=True):
        out += [f"# {title}", "", part(ini, registry, settings).strip(), ""]
    return "\n".join(out)
