"""Macros for the training pages (docs/training/): worked examples taken from the registry.

Each returns plain Markdown (no HTML except the handout buttons), so that the same page
prints well as a DOCX/PDF handout. Examples are chosen at build time from the data, so the
course follows the registry as it grows. Registered in `generator.render.macros.MACROS`.

    <!-- sangkien:best-metrics limit=3 -->         biggest measured improvements
    <!-- sangkien:adopted-examples limit=3 -->     initiatives copied by other units, with results
    <!-- sangkien:recognition-path limit=3 -->     from basic to provincial recognition, with dates
    <!-- sangkien:form-example -->                 one complete record, field by field
    <!-- sangkien:type-examples limit=1 -->        one example of each solution type
    <!-- sangkien:handout-links module=SLUG -->    download buttons for the module's handout
    <!-- sangkien:cite topic=TOPIC -->              the law governing TOPIC on the build date
                                                   (`generator.text.legal.CITATIONS`)
    <!-- sangkien:legal-table -->                   that table: instruments and their dates
"""

from __future__ import annotations

import html
from collections.abc import Callable

from generator.config import Settings
from generator.model import LEVEL_ORDER, Initiative, Metric, Registry
from generator.render.common import (
    initiative_uri,
    label,
    md_link,
    recognition_result,
    site_link,
)
from generator.render.markdown_safe import escape_text
from generator.text.legal import CITATIONS, TOPICS, in_force
from generator.text.legal import document_reference as _document_reference
from generator.text.vn import (
    format_change,
    format_date,
    format_number,
    format_number_or_dash,
)

TrainingMacro = Callable[[dict[str, str], str, Registry, Settings], str]


def _limit(args: dict[str, str], default: int) -> int:
    try:
        return max(1, min(int(args.get("limit", default)), 20))
    except ValueError as exc:
        raise ValueError(
            f"limit phải là số / limit must be a number: {args.get('limit')!r}"
        ) from exc


def _link(ini: Initiative, page_uri: str) -> str:
    return f"[{escape_text(ini.title)}]({md_link(page_uri, initiative_uri(ini))}) ({escape_text(ini.id)})"


def _decision(number: str | None) -> str:
    """Return "Thông báo số <number>, " (the type read from the symbol) to put before a date,
    or nothing when the number is unknown."""
    return f"{escape_text(_document_reference(number))}, " if number else ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _change_text(m: Metric) -> str:
    """The change as the guide and the record page show it (`format_change`)."""
    # No baseline, no change: never show a difference against an invented zero.
    return format_change(m.baseline, m.result, m.unit) or "—"


def best_metrics(
    args: dict[str, str], page_uri: str, registry: Registry, settings: Settings
) -> str:
    """A table of the largest relative changes measured (one metric per initiative)."""
    rows = []
    for ini in registry.initiatives.values():
        if not ini.is_recognized:
            continue
        best = None
        for m in ini.metrics:
            change = m.change_pct
            if change is None:
                continue
            if best is None or abs(change) > abs(best.change_pct or 0):
                best = m
        if best is not None:
            rows.append((abs(best.change_pct or 0), ini.id, ini, best))
    rows.sort(key=lambda r: (-r[0], r[1]))
    if not rows:
        return "*Sổ đăng ký chưa có sáng kiến nào ghi số liệu trước và sau.*"
    out = [
        "| Sáng kiến | Chỉ tiêu | Trước | Sau | Thay đổi | Cách đo |",
        "|:------------|:-----------|----:|----:|-----:|:----------|",
    ]
    for _score, _id, ini, m in rows[: _limit(args, 3)]:
        out.append(
            f"| {_cell(_link(ini, page_uri))} | {_cell(escape_text(m.indicator))} ({_cell(escape_text(m.unit))}) "
            f"| {format_number_or_dash(m.baseline)} | {format_number(m.result)} "
            f"| {_change_text(m)} | {_cell(escape_text(m.method or ''))} |"
        )
    return "\n".join(out) + "\n"


def adopted_examples(
    args: dict[str, str], page_uri: str, registry: Registry, settings: Settings
) -> str:
    """Initiatives copied by other units, each with who adopted it and the result reported."""
    items = sorted(
        (i for i in registry.initiatives.values() if i.adoption_count),
        key=lambda i: (-i.adoption_count, i.id),
    )[: _limit(args, 3)]
    if not items:
        return "*Chưa có sáng kiến nào được đơn vị khác báo cáo áp dụng.*"
    out = []
    for ini in items:
        out.append(f"- {_link(ini, page_uri)}, {escape_text(ini.agency_name_at_time)}:")
        for a in sorted(ini.adoptions, key=lambda a: a.since):
            name = a.agency_name_at_time or registry.agency_name(a.agency)
            text = f"    - {escape_text(name)} từ {format_date(a.since)} ({label(settings, 'stage', a.stage).lower()})"
            if a.result:
                text += f": {escape_text(a.result)}"
            if a.evidence:
                text += f"; xác nhận: {escape_text(a.evidence)}"
            out.append(text)
    return "\n".join(out) + "\n"


def recognition_path(
    args: dict[str, str], page_uri: str, registry: Registry, settings: Settings
) -> str:
    """Initiatives that went from basic to provincial (or national) recognition, with dates."""
    items = [
        i
        for i in registry.initiatives.values()
        if i.status_level and LEVEL_ORDER.get(i.status_level, 0) >= LEVEL_ORDER["tinh"]
    ]
    items.sort(key=lambda i: (i.latest_decision_date or i.first_applied, i.id), reverse=True)
    if not items:
        return "*Sổ đăng ký chưa có sáng kiến cấp tỉnh.*"
    out = []
    for ini in items[: _limit(args, 3)]:
        steps = []
        if ini.first_applied:
            steps.append(f"áp dụng lần đầu {format_date(ini.first_applied)}")
        for r in sorted(ini.recognitions, key=lambda r: r.decision_date):
            steps.append(
                f"{label(settings, 'level', r.level).lower()}: "
                f"{_lower_first(recognition_result(settings, r.kind, r.outcome))} "
                f"({_decision(r.decision_no)}{format_date(r.decision_date)})"
            )
        out.append(f"- {_link(ini, page_uri)}: " + " → ".join(steps) + ".")
    return "\n".join(out) + "\n"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _completeness(ini: Initiative) -> int:
    return sum(
        bool(x)
        for x in (
            ini.novelty,
            ini.conditions,
            ini.benefits,
            ini.metrics,
            ini.replication,
            ini.adoptions,
            ini.first_applied,
        )
    )


def form_example(
    args: dict[str, str], page_uri: str, registry: Registry, settings: Settings
) -> str:
    """The most complete recognized record, shown item by item as it would fill the form."""
    items = [i for i in registry.initiatives.values() if i.is_recognized]
    if not items:
        return "*Sổ đăng ký chưa có hồ sơ được công nhận để làm ví dụ.*"
    ini = max(items, key=lambda i: (_completeness(i), len(i.metrics), i.id))
    authors = "; ".join(
        escape_text(a.name)
        + (f" ({format_number(a.contribution_pct)}%)" if a.contribution_pct is not None else "")
        for a in ini.authors
    )
    out = [
        f"Hồ sơ mẫu: {_link(ini, page_uri)}.",
        "",
        f"- **Tên sáng kiến:** {escape_text(ini.title)}",
        f"- **Tác giả:** {authors}",
        "- **Lĩnh vực áp dụng:** "
        + "; ".join(escape_text(registry.field_name(f)) for f in ini.fields),
    ]
    if ini.first_applied:
        out.append(f"- **Ngày áp dụng lần đầu:** {format_date(ini.first_applied)}")
    if ini.metrics:
        m = ini.metrics[0]
        out.append(
            f"- **Một chỉ tiêu đo được:** {escape_text(m.indicator)}: "
            + (f"{format_number(m.baseline)} → " if m.baseline is not None else "")
            + f"{format_number(m.result)} {escape_text(m.unit)}"
            + (f" ({escape_text(m.period)})" if m.period else "")
        )
    base = page_uri
    out += [
        "",
        # An HTML link: MkDocs would flag a Markdown link to a file that is not a page.
        "Xem hướng dẫn nhân rộng của hồ sơ này: "
        f'<a href="{html.escape(site_link(base, f"tai-lieu/huong-dan/{ini.slug}.pdf"))}">PDF</a>, '
        f'<a href="{html.escape(site_link(base, f"tai-lieu/huong-dan/{ini.slug}.docx"))}">DOCX</a>.',
    ]
    return "\n".join(out) + "\n"


def type_examples(
    args: dict[str, str], page_uri: str, registry: Registry, settings: Settings
) -> str:
    """For each of the four solution types, the latest recognized example(s)."""
    n = _limit(args, 1)
    out = []
    for value, name in _type_labels(settings).items():
        items = sorted(
            (
                i
                for i in registry.initiatives.values()
                if value in i.solution_types and i.is_recognized
            ),
            key=lambda i: (i.latest_decision_date or i.first_applied, i.id),
            reverse=True,
        )[:n]
        if items:
            out.append(f"- **{name}:** " + "; ".join(_link(i, page_uri) for i in items))
        else:
            out.append(f"- **{name}:** *chưa có ví dụ trong sổ đăng ký*")
    return "\n".join(out) + "\n"


def _type_labels(settings: Settings) -> dict[str, str]:
    from generator.render.common import labels

    return labels(settings, "solution_types")


def handout_links(
    args: dict[str, str], page_uri: str, registry: Registry, settings: Settings
) -> str:
    """Download buttons for the module's DOCX/PDF handout (and the whole course)."""
    module = args.get("module") or page_uri.rsplit("/", 1)[-1].removesuffix(".md")
    buttons = []
    if module != "index":
        for fmt, text in (("docx", "Tải tài liệu (DOCX)"), ("pdf", "Tải tài liệu (PDF)")):
            href = site_link(page_uri, f"tai-lieu/dao-tao/{module}.{fmt}")
            buttons.append(f'<a class="md-button" href="{html.escape(href)}" download>{text}</a>')
    href = site_link(page_uri, "tai-lieu/dao-tao/khoa-hoc.pdf")
    buttons.append(
        f'<a class="md-button" href="{html.escape(href)}" download>Cả khoá học (PDF)</a>'
    )
    return " ".join(buttons) + "\n"


def cite(args: dict[str, str], page_uri: str, registry: Registry, settings: Settings) -> str:
    """The instrument governing `topic` on the build date, from the one citation table.

    `form=short` gives "Nghị định số 152/2025/NĐ-CP"; the default the full name. Inline text
    (no newline), so that the macro can sit inside a sentence.
    """
    topic = args.get("topic", "")
    if topic not in TOPICS:
        raise ValueError(
            f"topic không có trong bảng văn bản / unknown topic {topic!r}: "
            + ", ".join(sorted(TOPICS))
        )
    inst = in_force(topic, settings.today_date())
    return escape_text(inst.short if args.get("form") == "short" else inst.citation)


def legal_table(args: dict[str, str], page_uri: str, registry: Registry, settings: Settings) -> str:
    """The citation table itself: every instrument, its dates and whether it applies today."""
    today = settings.today_date()
    out = [
        "| Văn bản | Hiệu lực từ | Đến | Nội dung áp dụng | Hiện hành |",
        "|:------------------|:-----|:-----|:--------------------|:--:|",
    ]
    for inst in CITATIONS:
        out.append(
            f"| {_cell(escape_text(inst.citation))} | {format_date(inst.effective_from)} "
            f"| {format_date(inst.effective_to) if inst.effective_to else ''} "
            f"| {_cell(escape_text(inst.governs))} "
            f"| {'Có' if inst.in_force_on(today) else 'Không'} |"
        )
    return "\n".join(out) + "\n"


TRAINING_MACROS: dict[str, TrainingMacro] = {
    "legal-table": legal_table,
    "cite": cite,
    "best-metrics": best_metrics,
    "adopted-examples": adopted_examples,
    "recognition-path": recognition_path,
    "form-example": form_example,
    "type-examples": type_examples,
    "handout-links": handout_links,
}
