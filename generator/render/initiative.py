"""One initiative -> one page, written as HTML (a pure function; no MkDocs import).

The page is the structure written here (headings, tables, the replication steps) with the
record's Markdown fields converted one by one (`generator.render.prose.HtmlPage`); the
site's Markdown pass sees only a placeholder (`generator.render.pages.placeholder`).

Every value from the record goes through `h` (plain values: title, names, numbers) or the
record prose converter of `HtmlPage` (Markdown fields: `generator.markup`, an allow-list on
the converted HTML) first: records are untrusted input. The HTML written here
(badges, tables, the download links) is ours and built only from escaped values.
`agency_md` is for the Markdown of the browse pages.
"""

from __future__ import annotations

from functools import partial
from urllib.parse import quote

from generator.config import Settings
from generator.markup import link_is_safe
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
from generator.render.markdown_safe import escape_text
from generator.render.pages import Article, Page, placeholder
from generator.render.prose import HtmlPage
from generator.text.legal import document_reference
from generator.text.vn import (
    format_change,
    format_date,
    format_number,
    format_number_or_dash,
    format_vnd,
    slugify_markdown_toc,
)


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


# Every heading a record page writes itself, as ids (see `HtmlPage`).
SECTION_IDS = frozenset(
    slugify_markdown_toc(title, "-")
    for title in (
        *(heading for heading, _ in DESCRIPTION_SECTIONS),
        "Kết quả đo được",
        "Quá trình công nhận",
        "Hướng dẫn nhân rộng",
        "Phần cốt lõi (giữ nguyên khi áp dụng)",
        "Phần có thể điều chỉnh",
        "Điều kiện tiên quyết",
        "Các bước thực hiện",
        "Rủi ro và lưu ý",
        "Liên hệ",
        "Đơn vị đã áp dụng",
        "Tài liệu đính kèm",
        "Sáng kiến liên quan",
        "Tải về và đóng góp",
    )
)


def _section(doc: HtmlPage, title: str, body: str | None) -> None:
    if body and body.strip():
        doc.heading(2, title)
        doc.markdown(body, 3)


def _metrics(ini: Initiative, doc: HtmlPage) -> None:
    if not ini.metrics:
        return
    rows = [
        (
            h(m.indicator),
            h(m.unit),
            format_number_or_dash(m.baseline),
            format_number(m.result),
            format_change(m.baseline, m.result, m.unit) or "—",
            h(m.period) or "—",
            h(m.method) or "—",
        )
        for m in ini.metrics
    ]
    head = ("Chỉ tiêu", "Đơn vị", "Trước", "Sau", "Thay đổi", "Thời kỳ", "Cách đo")
    doc.heading(2, "Kết quả đo được")
    doc.html(table(head, rows, right=(2, 3, 4)))


def _recognitions(ini: Initiative, registry: Registry, settings: Settings, doc: HtmlPage) -> None:
    if not ini.recognitions and not ini.revoked:
        return
    doc.heading(2, "Quá trình công nhận")
    if ini.recognitions:
        rows = [
            (
                format_date(r.decision_date),
                h(label(settings, "level", r.level)),
                # The kind is the legal label ("Công nhận phạm vi ảnh hưởng, hiệu quả áp
                # dụng"); the outcome column then says only whether it was granted.
                h(label(settings, "kind", r.kind)),
                h(label(settings, "outcome", r.outcome)),
                h(document_reference(r.decision_no)) or "—",
                agency_html(registry, doc.uri, r.issuer),
                format_number(r.score) if r.score is not None else "—",
            )
            for r in sorted(ini.recognitions, key=lambda r: r.decision_date)
        ]
        head = (
            "Ngày ban hành",
            "Cấp",
            "Nội dung",
            "Kết quả",
            "Văn bản",
            "Cơ quan ban hành",
            "Điểm",
        )
        doc.html(table(head, rows, right=(6,)))
    if ini.revoked:
        rv = ini.revoked
        # The admonition Python-Markdown writes for `!!! danger "..."`.
        doc.html(
            '<div class="admonition danger">\n'
            '<p class="admonition-title">Đã bị thu hồi công nhận</p>\n'
            f"<p>{h(document_reference(rv.decision_no))} ngày {format_date(rv.decision_date)}: "
            f"{h(rv.reason)}</p>\n</div>"
        )


def _replication(ini: Initiative, registry: Registry, settings: Settings, doc: HtmlPage) -> None:
    rep = ini.replication
    if rep is None:
        return
    doc.heading(2, "Hướng dẫn nhân rộng")
    doc.html(
        "<p><strong>Mức sẵn sàng nhân rộng:</strong> "
        f"{h(label(settings, 'readiness', rep.readiness))}</p>"
    )
    facts = []
    if rep.cost_vnd is not None:
        facts.append(f"<strong>Chi phí ước tính:</strong> {format_vnd(rep.cost_vnd)}")
    if rep.lead_time_days is not None:
        facts.append(
            f"<strong>Thời gian triển khai:</strong> {format_number(rep.lead_time_days)} ngày"
        )
    doc.html(bullets(facts))
    if rep.core:
        doc.heading(3, "Phần cốt lõi (giữ nguyên khi áp dụng)")
        doc.markdown(rep.core, 4)
    if rep.adaptable:
        doc.heading(3, "Phần có thể điều chỉnh")
        doc.markdown(rep.adaptable, 4)
    if rep.prerequisites:
        doc.heading(3, "Điều kiện tiên quyết")
        doc.html(bullets(h(p) for p in rep.prerequisites))
    if rep.steps:
        doc.heading(3, "Các bước thực hiện")
        # A step with details makes the list loose (paragraphs in each item), as in Markdown.
        loose = any(step.detail for step in rep.steps)
        items = []
        for step in rep.steps:
            meta = []
            if step.duration_days is not None:
                meta.append(f"{format_number(step.duration_days)} ngày")
            if step.role:
                meta.append(h(step.role))
            tail = f" ({'; '.join(meta)})" if meta else ""
            title = f"<strong>{h(step.title)}</strong>{tail}"
            if not loose:
                items.append(f"<li>{title}</li>")
                continue
            detail = doc.markdown_inline(step.detail or "", 4)
            items.append(
                f"<li>\n<p>{title}</p>\n{detail}\n</li>"
                if detail
                else f"<li>\n<p>{title}</p>\n</li>"
            )
        doc.html("\n".join(["<ol>", *items, "</ol>"]))
    if rep.risks:
        doc.heading(3, "Rủi ro và lưu ý")
        doc.markdown(rep.risks, 4)
    if rep.contact:
        c = rep.contact
        parts = [h(c.role)]
        if c.agency:
            parts.append(agency_html(registry, doc.uri, c.agency))
        if c.email:
            parts.append(
                f"thư điện tử: {a(f'mailto:{c.email}', h(c.email))}"
                if link_is_safe(f"mailto:{c.email}") and " " not in c.email
                else f"thư điện tử: {h(c.email)}"
            )
        if c.phone:
            parts.append(f"điện thoại: {h(c.phone)}")
        doc.heading(3, "Liên hệ")
        doc.html(f"<p>{' — '.join(parts)}</p>")


def _adoptions(ini: Initiative, registry: Registry, settings: Settings, doc: HtmlPage) -> None:
    if not ini.adoptions:
        return
    rows = [
        (
            agency_html(registry, doc.uri, ad.agency, ad.agency_name_at_time),
            format_date(ad.since),
            h(label(settings, "stage", ad.stage)),
            h(ad.result) or "—",
            h(ad.evidence) or "—",
        )
        for ad in sorted(ini.adoptions, key=lambda ad: ad.since)
    ]
    head = ("Đơn vị", "Từ ngày", "Giai đoạn", "Kết quả", "Minh chứng")
    doc.heading(2, "Đơn vị đã áp dụng")
    doc.html(table(head, rows))


def _attachments(ini: Initiative, settings: Settings, doc: HtmlPage) -> None:
    if not ini.attachments:
        return
    items = []
    for att in ini.attachments:
        # "Khác" says nothing about the file: only a real kind is worth printing.
        kind = (
            f" ({h(label(settings, 'kind', att.kind))})" if att.kind and att.kind != "khac" else ""
        )
        if att.url and link_is_safe(att.url) and att.url.startswith(("http://", "https://")):
            items.append(f"{a(att.url, h(att.title), rel='nofollow noopener')}{kind}")
        elif att.path:
            # Published at this path in the site (generator/site/attachments.py); quoted so
            # that a `#`, `?` or space in a file name stays part of the path.
            items.append(f"{a(site_link(doc.uri, quote(att.path)), h(att.title))}{kind}")
        else:
            items.append(f"{h(att.title)}{kind}")
    doc.heading(2, "Tài liệu đính kèm")
    doc.html(bullets(items))


def _related(ini: Initiative, registry: Registry, doc: HtmlPage) -> None:
    items = [registry.initiatives[r] for r in ini.related if r in registry.initiatives]
    if not items:
        return
    links = [f"{a(page_link(doc.uri, initiative_uri(r)), h(r.title))} ({h(r.id)})" for r in items]
    doc.heading(2, "Sáng kiến liên quan")
    doc.html(bullets(links))


def _header(ini: Initiative, registry: Registry, settings: Settings, uri: str) -> str:
    """Badges and the table of facts under the title."""
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
    facts += [("Loại giải pháp", types or "—"), ("Lĩnh vực", fields)]
    authors = "; ".join(
        h(au.name)
        + (f", {h(au.position)}" if au.position else "")
        + (f" ({format_number(au.contribution_pct)}%)" if au.contribution_pct is not None else "")
        for au in ini.authors
    )
    facts.append(("Tác giả", authors or "—"))
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
    if ini.summary:
        head.append(f"<blockquote>\n<p>{h(' '.join(ini.summary.split()))}</p>\n</blockquote>")
    return "\n".join(head)


def _downloads(ini: Initiative, settings: Settings, uri: str) -> str:
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
    return "\n".join(tail)


def initiative_page(ini: Initiative, registry: Registry, settings: Settings) -> Page:
    """The page of one initiative: front matter and a placeholder, the article rendered
    when the site asks for it (`initiative_article`)."""
    return Page(
        uri=initiative_uri(ini),
        markdown=front_matter(
            title=ini.title, description=ini.summary[:300] if ini.summary else None
        )
        + placeholder(0)
        + "\n",
        source=ini.source,
        title=ini.title,
        body=partial(initiative_article, ini, registry, settings),
    )


def initiative_article(ini: Initiative, registry: Registry, settings: Settings) -> Article:
    """The full page of one initiative as HTML, with its table of contents."""
    uri = initiative_uri(ini)
    doc = HtmlPage(uri, SECTION_IDS, ini.id, settings.project_dir)
    doc.heading(1, ini.title)
    doc.html(_header(ini, registry, settings, uri))
    for heading, attr in DESCRIPTION_SECTIONS:
        _section(doc, heading, getattr(ini, attr))
    _metrics(ini, doc)
    _recognitions(ini, registry, settings, doc)
    _replication(ini, registry, settings, doc)
    _adoptions(ini, registry, settings, doc)
    _attachments(ini, settings, doc)
    _related(ini, registry, doc)
    doc.heading(2, "Tải về và đóng góp")
    doc.html(_downloads(ini, settings, uri))
    return Article(doc.content, tuple(doc.toc), tuple(doc.linked_pages))
