"""One initiative -> one Markdown page (a pure function; no MkDocs import).

Every value from the record goes through `escape_text` (plain fields) or `safe_markdown`
(Markdown fields): records are untrusted input. The HTML written here (badges, the
download links) is ours and built only from escaped values.
"""

from __future__ import annotations

import html

from generator.config import Settings
from generator.model import Initiative, Registry
from generator.render.common import (
    AGENCY_PATH,
    FIELD_PATH,
    LEVEL_PATH,
    TYPE_PATH,
    YEAR_PATH,
    agency_display,
    edit_url,
    front_matter,
    initiative_uri,
    label,
    listing_uri,
    md_link,
    site_link,
)
from generator.render.markdown_safe import escape_text, link_is_safe, safe_markdown
from generator.text.vn import format_date, format_number, format_percent_change, format_vnd


def _h(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def agency_md(registry: Registry, uri: str, agency_id: str, name_at_time: str | None = None) -> str:
    """An agency name linked to its page, followed by "(nay là ...)" when it has ceased."""
    shown, now = agency_display(registry, agency_id, name_at_time)
    if agency_id in registry.agencies:
        text = f"[{escape_text(shown)}]({md_link(uri, listing_uri(AGENCY_PATH, agency_id))})"
    else:
        text = escape_text(shown)
    if now:
        names = ", ".join(
            f"[{escape_text(registry.agency_name(a))}]({md_link(uri, listing_uri(AGENCY_PATH, a))})"
            for a in now
        )
        text += f" (nay là {names})"
    return text


def level_badge(settings: Settings, level: str | None) -> str:
    """A coloured badge with the level label (text, so it reads without colour too)."""
    if not level:
        return '<span class="sk-badge sk-badge--none">Chưa được công nhận</span>'
    return (
        f'<span class="sk-badge sk-badge--{_h(level)}">{_h(label(settings, "level", level))}</span>'
    )


# The record's own description, in page order: (heading, Initiative attribute). The search
# index keeps these sections and the header, and leaves out the rest of the page (timeline,
# replication steps, downloads), which repeats the same words on every record.
DESCRIPTION_SECTIONS: tuple[tuple[str, str], ...] = (
    ("Thực trạng trước khi có sáng kiến", "problem"),
    ("Nội dung giải pháp", "solution"),
    ("Tính mới", "novelty"),
    ("Điều kiện áp dụng", "conditions"),
    ("Lợi ích", "benefits"),
)


def _section(title: str, body: str | None) -> list[str]:
    text = safe_markdown(body)
    return [f"## {title}", "", text, ""] if text else []


def _number(x: float) -> str:
    return format_number(x)


def _metrics(ini: Initiative) -> list[str]:
    if not ini.metrics:
        return []
    out = [
        "## Kết quả đo được",
        "",
        "| Chỉ tiêu | Đơn vị | Trước | Sau | Thay đổi | Thời kỳ | Cách đo |",
        "|---|---|--:|--:|--:|---|---|",
    ]
    for m in ini.metrics:
        change = format_percent_change(m.baseline, m.result) or "—"
        out.append(
            f"| {escape_text(m.indicator)} | {escape_text(m.unit)} | {_number(m.baseline)} | "
            f"{_number(m.result)} | {change} | {escape_text(m.period) or '—'} | {escape_text(m.method) or '—'} |"
        )
    return [*out, ""]


def _recognitions(ini: Initiative, registry: Registry, settings: Settings, uri: str) -> list[str]:
    if not ini.recognitions and not ini.revoked:
        return []
    out = ["## Quá trình công nhận", ""]
    if ini.recognitions:
        out += [
            "| Ngày quyết định | Cấp | Nội dung | Kết quả | Số quyết định | Cơ quan ban hành | Điểm |",
            "|---|---|---|---|---|---|--:|",
        ]
        for r in sorted(ini.recognitions, key=lambda r: r.decision_date):
            score = format_number(r.score) if r.score is not None else "—"
            out.append(
                f"| {format_date(r.decision_date)} | {escape_text(label(settings, 'level', r.level))} | "
                f"{escape_text(label(settings, 'kind', r.kind))} | {escape_text(label(settings, 'outcome', r.outcome))} | "
                f"{escape_text(r.decision_no)} | {agency_md(registry, uri, r.issuer)} | {score} |"
            )
        out.append("")
    if ini.revoked:
        rv = ini.revoked
        out += [
            '!!! danger "Đã bị thu hồi công nhận"',
            f"    Quyết định {escape_text(rv.decision_no)} ngày {format_date(rv.decision_date)}: {escape_text(rv.reason)}",
            "",
        ]
    return out


def _replication(ini: Initiative, registry: Registry, settings: Settings, uri: str) -> list[str]:
    rep = ini.replication
    if rep is None:
        return []
    out = ["## Hướng dẫn nhân rộng", ""]
    out.append(
        f"**Mức sẵn sàng nhân rộng:** {escape_text(label(settings, 'readiness', rep.readiness))}"
    )
    facts = []
    if rep.cost_vnd is not None:
        facts.append(f"**Chi phí ước tính:** {format_vnd(rep.cost_vnd)}")
    if rep.lead_time_days is not None:
        facts.append(f"**Thời gian triển khai:** {format_number(rep.lead_time_days)} ngày")
    if facts:
        out += ["", *[f"- {f}" for f in facts]]
    out.append("")
    if rep.core:
        out += ["### Phần cốt lõi (giữ nguyên khi áp dụng)", "", safe_markdown(rep.core), ""]
    if rep.adaptable:
        out += ["### Phần có thể điều chỉnh", "", safe_markdown(rep.adaptable), ""]
    if rep.prerequisites:
        out += [
            "### Điều kiện tiên quyết",
            "",
            *[f"- {escape_text(p)}" for p in rep.prerequisites],
            "",
        ]
    if rep.steps:
        out += ["### Các bước thực hiện", ""]
        for n, step in enumerate(rep.steps, 1):
            meta = []
            if step.duration_days is not None:
                meta.append(f"{format_number(step.duration_days)} ngày")
            if step.role:
                meta.append(escape_text(step.role))
            tail = f" ({'; '.join(meta)})" if meta else ""
            out.append(f"{n}. **{escape_text(step.title)}**{tail}")
            if step.detail:
                detail = safe_markdown(step.detail)
                out += ["", *[("    " + line) if line else "" for line in detail.split("\n")], ""]
        out.append("")
    if rep.risks:
        out += ["### Rủi ro và lưu ý", "", safe_markdown(rep.risks), ""]
    if rep.contact:
        c = rep.contact
        parts = [escape_text(c.role)]
        if c.agency:
            parts.append(agency_md(registry, uri, c.agency))
        if c.email:
            parts.append(
                f"thư điện tử: [{escape_text(c.email)}](mailto:{c.email})"
                if link_is_safe(f"mailto:{c.email}") and " " not in c.email and ")" not in c.email
                else escape_text(c.email)
            )
        if c.phone:
            parts.append(f"điện thoại: {escape_text(c.phone)}")
        out += ["### Liên hệ", "", " — ".join(parts), ""]
    return out


def _adoptions(ini: Initiative, registry: Registry, settings: Settings, uri: str) -> list[str]:
    if not ini.adoptions:
        return []
    out = [
        "## Đơn vị đã áp dụng",
        "",
        "| Đơn vị | Từ ngày | Giai đoạn | Kết quả | Minh chứng |",
        "|---|---|---|---|---|",
    ]
    for a in sorted(ini.adoptions, key=lambda a: a.since):
        out.append(
            f"| {agency_md(registry, uri, a.agency, a.agency_name_at_time)} | {format_date(a.since)} | "
            f"{escape_text(label(settings, 'stage', a.stage))} | {escape_text(a.result) or '—'} | {escape_text(a.evidence) or '—'} |"
        )
    return [*out, ""]


def _attachments(ini: Initiative, settings: Settings, uri: str) -> list[str]:
    if not ini.attachments:
        return []
    out = ["## Tài liệu đính kèm", ""]
    for att in ini.attachments:
        kind = escape_text(label(settings, "kind", att.kind))
        if att.url and link_is_safe(att.url) and att.url.startswith(("http://", "https://")):
            out.append(
                f'- <a href="{_h(att.url)}" rel="nofollow noopener">{_h(att.title)}</a> ({kind})'
            )
        elif att.path:
            out.append(f'- <a href="{_h(site_link(uri, att.path))}">{_h(att.title)}</a> ({kind})')
        else:
            out.append(f"- {escape_text(att.title)} ({kind})")
    return [*out, ""]


def _related(ini: Initiative, registry: Registry, uri: str) -> list[str]:
    items = [registry.initiatives[r] for r in ini.related if r in registry.initiatives]
    if not items:
        return []
    out = ["## Sáng kiến liên quan", ""]
    out += [
        f"- [{escape_text(r.title)}]({md_link(uri, initiative_uri(r))}) ({escape_text(r.id)})"
        for r in items
    ]
    return [*out, ""]


def initiative_markdown(ini: Initiative, registry: Registry, settings: Settings) -> str:
    """The full page of one initiative, as Markdown with front matter."""
    uri = initiative_uri(ini)
    out: list[str] = [
        front_matter(title=ini.title, description=ini.summary[:300] if ini.summary else None)
    ]
    out.append(f"# {escape_text(ini.title)}")
    out.append("")
    if ini.title_en:
        out += [f'<p class="sk-title-en" lang="en">{_h(ini.title_en)}</p>', ""]
    badges = [level_badge(settings, ini.status_level)]
    if ini.readiness:
        badges.append(
            f'<span class="sk-badge sk-badge--ready">{_h(label(settings, "readiness", ini.readiness))}</span>'
        )
    if ini.provenance.sample:
        badges.append('<span class="sk-badge sk-badge--sample">Dữ liệu minh hoạ</span>')
    out += [f'<p class="sk-badges">{" ".join(badges)}</p>', ""]

    types = ", ".join(
        f"[{escape_text(label(settings, 'solution_types', t))}]({md_link(uri, listing_uri(TYPE_PATH, t))})"
        for t in ini.solution_types
    )
    fields = ", ".join(
        f"[{escape_text(registry.field_name(f))}]({md_link(uri, listing_uri(FIELD_PATH, f))})"
        for f in ini.fields
    )
    facts = [
        ("Mã sáng kiến", f"`{ini.id}`"),
        ("Cơ quan", agency_md(registry, uri, ini.agency, ini.agency_name_at_time)),
        ("Năm", f"[{ini.year}]({md_link(uri, listing_uri(YEAR_PATH, ini.year))})"),
    ]
    if ini.status_level:
        facts.append(
            (
                "Cấp công nhận cao nhất",
                f"[{escape_text(label(settings, 'level', ini.status_level))}]({md_link(uri, listing_uri(LEVEL_PATH, ini.status_level))})",
            )
        )
    facts += [("Loại giải pháp", types), ("Lĩnh vực", fields)]
    authors = "; ".join(
        escape_text(a.name)
        + (f", {escape_text(a.position)}" if a.position else "")
        + (f" ({format_number(a.contribution_pct)}%)" if a.contribution_pct is not None else "")
        for a in ini.authors
    )
    facts.append(("Tác giả", authors))
    if ini.first_applied:
        kind = (
            label(settings, "first_applied_kind", ini.first_applied_kind)
            if ini.first_applied_kind
            else "Áp dụng lần đầu"
        )
        facts.append(
            ("Áp dụng lần đầu", f"{format_date(ini.first_applied)} ({escape_text(kind.lower())})")
        )
    if ini.procedures:
        facts.append(
            (
                "Thủ tục hành chính",
                "; ".join(f"{escape_text(p.name)} ({escape_text(p.code)})" for p in ini.procedures),
            )
        )
    if ini.tags:
        facts.append(("Từ khoá", ", ".join(escape_text(t) for t in ini.tags)))
    out += ["| Thông tin | Nội dung |", "|---|---|", *[f"| **{k}** | {v} |" for k, v in facts], ""]

    if ini.summary:
        out += [f"> {escape_text(ini.summary)}", ""]

    for heading, attr in DESCRIPTION_SECTIONS:
        out += _section(heading, getattr(ini, attr))
    out += _metrics(ini)
    out += _recognitions(ini, registry, settings, uri)
    out += _replication(ini, registry, settings, uri)
    out += _adoptions(ini, registry, settings, uri)
    out += _attachments(ini, settings, uri)
    out += _related(ini, registry, uri)

    links = []
    if settings.documents:
        links.append(
            f'<a class="md-button md-button--primary" href="{_h(site_link(uri, f"tai-lieu/huong-dan/{ini.slug}.docx"))}" download>Hướng dẫn nhân rộng (DOCX)</a>'
        )
        links.append(
            f'<a class="md-button" href="{_h(site_link(uri, f"tai-lieu/huong-dan/{ini.slug}.pdf"))}">Hướng dẫn nhân rộng (PDF)</a>'
        )
    links.append(
        f'<a class="md-button" href="{_h(site_link(uri, f"api/v1/initiatives/{ini.id}.json"))}" type="application/json">Dữ liệu JSON</a>'
    )
    edit = edit_url(settings, ini.source)
    if edit:
        links.append(f'<a class="md-button" href="{_h(edit)}" rel="edit">Sửa trang này</a>')
    out += ["## Tải về và đóng góp", "", f'<p class="sk-actions">{" ".join(links)}</p>', ""]
    if ini.provenance.last_reviewed:
        out += [
            f"<small>Rà soát lần cuối: {format_date(ini.provenance.last_reviewed)}. Nguồn dữ liệu: <code>{_h(ini.source)}</code>.</small>",
            "",
        ]
    return "\n".join(out)
