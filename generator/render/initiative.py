"""One initiative -> one Markdown page with its HTML blocks aside (a pure function; no
MkDocs import; see `generator.render.pages.Blocks`).

Every value from the record goes through `escape_text` (plain fields in Markdown), `h`
(values in HTML blocks: tables, lists of links) or `safe_markdown` (Markdown fields):
records are untrusted input. The HTML written here (badges, tables, the download links) is
ours and built only from escaped values.
"""

from __future__ import annotations

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
    page_link,
    site_link,
)
from generator.render.html import a, bullets, h, table
from generator.render.markdown_safe import escape_text, link_is_safe, safe_markdown
from generator.render.pages import Blocks, Page
from generator.text.vn import format_date, format_number, format_percent_change, format_vnd


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


def agency_html(
    registry: Registry, uri: str, agency_id: str, name_at_time: str | None = None
) -> str:
    """`agency_md` for HTML blocks (tables, cards)."""
    shown, now = agency_display(registry, agency_id, name_at_time)
    if agency_id in registry.agencies:
        text = a(page_link(uri, listing_uri(AGENCY_PATH, agency_id)), h(shown))
    else:
        text = h(shown)
    if now:
        names = ", ".join(
            a(page_link(uri, listing_uri(AGENCY_PATH, n)), h(registry.agency_name(n))) for n in now
        )
        text += f" (nay là {names})"
    return text


def level_badge(settings: Settings, level: str | None) -> str:
    """A coloured badge with the level label (text, so it reads without colour too)."""
    if not level:
        return '<span class="sk-badge sk-badge--none">Chưa được công nhận</span>'
    return (
        f'<span class="sk-badge sk-badge--{h(level)}">{h(label(settings, "level", level))}</span>'
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


def _metrics(ini: Initiative, blocks: Blocks) -> list[str]:
    if not ini.metrics:
        return []
    rows = [
        (
            h(m.indicator),
            h(m.unit),
            _number(m.baseline),
            _number(m.result),
            format_percent_change(m.baseline, m.result) or "—",
            h(m.period) or "—",
            h(m.method) or "—",
        )
        for m in ini.metrics
    ]
    head = ("Chỉ tiêu", "Đơn vị", "Trước", "Sau", "Thay đổi", "Thời kỳ", "Cách đo")
    return ["## Kết quả đo được", blocks.add(table(head, rows, right=(2, 3, 4)))]


def _recognitions(
    ini: Initiative, registry: Registry, settings: Settings, uri: str, blocks: Blocks
) -> list[str]:
    if not ini.recognitions and not ini.revoked:
        return []
    out = ["## Quá trình công nhận", ""]
    if ini.recognitions:
        rows = [
            (
                format_date(r.decision_date),
                h(label(settings, "level", r.level)),
                h(label(settings, "kind", r.kind)),
                h(label(settings, "outcome", r.outcome)),
                h(r.decision_no),
                agency_html(registry, uri, r.issuer),
                format_number(r.score) if r.score is not None else "—",
            )
            for r in sorted(ini.recognitions, key=lambda r: r.decision_date)
        ]
        head = (
            "Ngày quyết định",
            "Cấp",
            "Nội dung",
            "Kết quả",
            "Số quyết định",
            "Cơ quan ban hành",
            "Điểm",
        )
        out.append(blocks.add(table(head, rows, right=(6,))))
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


def _adoptions(
    ini: Initiative, registry: Registry, settings: Settings, uri: str, blocks: Blocks
) -> list[str]:
    if not ini.adoptions:
        return []
    rows = [
        (
            agency_html(registry, uri, ad.agency, ad.agency_name_at_time),
            format_date(ad.since),
            h(label(settings, "stage", ad.stage)),
            h(ad.result) or "—",
            h(ad.evidence) or "—",
        )
        for ad in sorted(ini.adoptions, key=lambda ad: ad.since)
    ]
    head = ("Đơn vị", "Từ ngày", "Giai đoạn", "Kết quả", "Minh chứng")
    return ["## Đơn vị đã áp dụng", blocks.add(table(head, rows))]


def _attachments(ini: Initiative, settings: Settings, uri: str, blocks: Blocks) -> list[str]:
    if not ini.attachments:
        return []
    items = []
    for att in ini.attachments:
        kind = h(label(settings, "kind", att.kind))
        if att.url and link_is_safe(att.url) and att.url.startswith(("http://", "https://")):
            items.append(f"{a(att.url, h(att.title), rel='nofollow noopener')} ({kind})")
        elif att.path:
            items.append(f"{a(site_link(uri, att.path), h(att.title))} ({kind})")
        else:
            items.append(f"{h(att.title)} ({kind})")
    return ["## Tài liệu đính kèm", blocks.add(bullets(items))]


def _related(ini: Initiative, registry: Registry, uri: str, blocks: Blocks) -> list[str]:
    items = [registry.initiatives[r] for r in ini.related if r in registry.initiatives]
    if not items:
        return []
    links = [f"{a(page_link(uri, initiative_uri(r)), h(r.title))} ({h(r.id)})" for r in items]
    return ["## Sáng kiến liên quan", blocks.add(bullets(links))]


def initiative_page(ini: Initiative, registry: Registry, settings: Settings) -> Page:
    """The full page of one initiative: Markdown with front matter, its HTML blocks aside."""
    uri = initiative_uri(ini)
    blocks = Blocks()
    out: list[str] = [
        front_matter(title=ini.title, description=ini.summary[:300] if ini.summary else None)
    ]
    out.append(f"# {escape_text(ini.title)}")
    out.append("")
    head: list[str] = []
    if ini.title_en:
        head.append(f'<p class="sk-title-en" lang="en">{h(ini.title_en)}</p>')
    badges = [level_badge(settings, ini.status_level)]
    if ini.readiness:
        badges.append(
            f'<span class="sk-badge sk-badge--ready">{h(label(settings, "readiness", ini.readiness))}</span>'
        )
    if ini.provenance.sample:
        badges.append('<span class="sk-badge sk-badge--sample">Dữ liệu minh hoạ</span>')
    head.append(f'<p class="sk-badges">{" ".join(badges)}</p>')

    types = ", ".join(
        a(page_link(uri, listing_uri(TYPE_PATH, t)), h(label(settings, "solution_types", t)))
        for t in ini.solution_types
    )
    fields = ", ".join(
        a(page_link(uri, listing_uri(FIELD_PATH, f)), h(registry.field_name(f))) for f in ini.fields
    )
    facts = [
        ("Mã sáng kiến", f"<code>{h(ini.id)}</code>"),
        ("Cơ quan", agency_html(registry, uri, ini.agency, ini.agency_name_at_time)),
        ("Năm", a(page_link(uri, listing_uri(YEAR_PATH, ini.year)), str(ini.year))),
    ]
    if ini.status_level:
        facts.append(
            (
                "Cấp công nhận cao nhất",
                a(
                    page_link(uri, listing_uri(LEVEL_PATH, ini.status_level)),
                    h(label(settings, "level", ini.status_level)),
                ),
            )
        )
    facts += [("Loại giải pháp", types), ("Lĩnh vực", fields)]
    authors = "; ".join(
        h(au.name)
        + (f", {h(au.position)}" if au.position else "")
        + (f" ({format_number(au.contribution_pct)}%)" if au.contribution_pct is not None else "")
        for au in ini.authors
    )
    facts.append(("Tác giả", authors))
    if ini.first_applied:
        kind = (
            label(settings, "first_applied_kind", ini.first_applied_kind)
            if ini.first_applied_kind
            else "Áp dụng lần đầu"
        )
        facts.append(("Áp dụng lần đầu", f"{format_date(ini.first_applied)} ({h(kind.lower())})"))
    if ini.procedures:
        facts.append(
            (
                "Thủ tục hành chính",
                "; ".join(f"{h(p.name)} ({h(p.code)})" for p in ini.procedures),
            )
        )
    if ini.tags:
        facts.append(("Từ khoá", ", ".join(h(t) for t in ini.tags)))
    head.append(table(("Thông tin", "Nội dung"), [(f"<strong>{k}</strong>", v) for k, v in facts]))
    out.append(blocks.add("\n".join(head)))

    if ini.summary:
        out += [f"> {escape_text(ini.summary)}", ""]

    for heading, attr in DESCRIPTION_SECTIONS:
        out += _section(heading, getattr(ini, attr))
    out += _metrics(ini, blocks)
    out += _recognitions(ini, registry, settings, uri, blocks)
    out += _replication(ini, registry, settings, uri)
    out += _adoptions(ini, registry, settings, uri, blocks)
    out += _attachments(ini, settings, uri, blocks)
    out += _related(ini, registry, uri, blocks)

    links = []
    if settings.documents:
        links.append(
            f'<a class="md-button md-button--primary" href="{h(site_link(uri, f"tai-lieu/huong-dan/{ini.slug}.docx"))}" download>Hướng dẫn nhân rộng (DOCX)</a>'
        )
        links.append(
            f'<a class="md-button" href="{h(site_link(uri, f"tai-lieu/huong-dan/{ini.slug}.pdf"))}">Hướng dẫn nhân rộng (PDF)</a>'
        )
    links.append(
        f'<a class="md-button" href="{h(site_link(uri, f"api/v1/initiatives/{ini.id}.json"))}" type="application/json">Dữ liệu JSON</a>'
    )
    edit = edit_url(settings, ini.source)
    if edit:
        links.append(f'<a class="md-button" href="{h(edit)}" rel="edit">Sửa trang này</a>')
    tail = [f'<p class="sk-actions">{" ".join(links)}</p>']
    if ini.provenance.last_reviewed:
        tail.append(
            f"<p><small>Rà soát lần cuối: {format_date(ini.provenance.last_reviewed)}. "
            f"Nguồn dữ liệu: <code>{h(ini.source)}</code>.</small></p>"
        )
    out += ["## Tải về và đóng góp", blocks.add("\n".join(tail))]
    return Page(
        uri=uri,
        markdown="\n".join(out),
        source=ini.source,
        title=ini.title,
        blocks=tuple(blocks.items),
    )
