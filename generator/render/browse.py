"""Browse pages: by agency, field, year, level and solution type (Markdown, no MkDocs).

Each listing is split into pages of `PAGE_SIZE` records so that no page grows with the
registry; every page links to its neighbours and to the section index. Records are listed
newest first (latest decision, then id), which is also what the Atom feed follows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date

from generator.config import Settings
from generator.model import LEVEL_ORDER, Initiative, Registry
from generator.render.common import (
    AGENCY_PATH,
    FIELD_PATH,
    LEVEL_PATH,
    PAGE_SIZE,
    TYPE_PATH,
    YEAR_PATH,
    front_matter,
    index_uri,
    initiative_uri,
    label,
    labels,
    listing_uri,
    md_link,
    page_link,
    site_link,
    url_dir,
)
from generator.render.html import a, h, table
from generator.render.initiative import agency_html, agency_md, level_badge
from generator.render.markdown_safe import escape_text
from generator.render.memo import generation, same
from generator.render.pages import Blocks, Page, resolve
from generator.text.vn import collation_key, format_date, format_number

# The first column of a section index (a table header must not be empty).
COLUMN_TITLES = {
    AGENCY_PATH: "Cơ quan, đơn vị",
    FIELD_PATH: "Lĩnh vực",
    YEAR_PATH: "Năm",
    LEVEL_PATH: "Cấp công nhận",
    TYPE_PATH: "Loại giải pháp",
}
SECTION_TITLES = {
    AGENCY_PATH: "Theo cơ quan",
    FIELD_PATH: "Theo lĩnh vực",
    YEAR_PATH: "Theo năm",
    LEVEL_PATH: "Theo cấp công nhận",
    TYPE_PATH: "Theo loại giải pháp",
}


def newest_first(items: Iterable[Initiative]) -> list[Initiative]:
    """Latest decision (or year) first; ties by id, so the order is stable between builds."""
    return sorted(
        items, key=lambda i: (i.latest_decision_date or date(i.year, 1, 1), i.id), reverse=True
    )


def card(ini: Initiative, registry: Registry, settings: Settings, uri: str) -> str:
    """One record in a listing, as an HTML `<li>`: linked title, badge, agency, year, summary.

    A record appears on about five listings, most at the same depth: the text is cached by
    record and depth (links depend only on the depth of the page as served, `page_link`).
    """
    key = (ini.id, url_dir(uri).count("/"))
    gen = generation(registry, settings)
    hit = _CARDS.get(key)
    if hit is not None and hit[1] == gen and same(hit[0], ini):
        return hit[2]
    text = _card(ini, registry, settings, uri)
    _CARDS[key] = (ini, gen, text)
    return text


# (id, depth) -> (record, context generation, text). A card reads its record, the agencies
# and the settings (see `generator.render.memo`); a rebuilt registry (under `sangkien serve`)
# reuses the cards of the records that did not change.
_CARDS: dict[tuple[str, int], tuple[Initiative, int, str]] = {}


def _card(ini: Initiative, registry: Registry, settings: Settings, uri: str) -> str:
    summary = ini.summary if len(ini.summary) <= 220 else ini.summary[:217].rsplit(" ", 1)[0] + " …"
    meta = [agency_html(registry, uri, ini.agency, ini.agency_name_at_time), str(ini.year)]
    if ini.adoption_count:
        meta.append(f"{format_number(ini.adoption_count)} đơn vị đã áp dụng")
    title = a(page_link(uri, initiative_uri(ini)), f"<strong>{h(ini.title)}</strong>")
    return (
        f"<li>{title} {level_badge(settings, ini.status_level)}<br />\n"
        f"<small>{h(ini.id)} · {' · '.join(meta)}</small><br />\n"
        f"{h(summary)}</li>"
    )


def cards(items: Iterable[Initiative], registry: Registry, settings: Settings, uri: str) -> str:
    """A list of record cards: one HTML block, so it must stand apart from other text."""
    inner = [card(i, registry, settings, uri) for i in items]
    return "\n".join(["<ul>", *inner, "</ul>", ""])


def _pager(kind: str, key: str | int, page: int, pages: int, uri: str) -> str:
    if pages <= 1:
        return ""
    parts = []
    if page > 1:
        parts.append(a(page_link(uri, listing_uri(kind, key, page - 1)), "← Trang trước"))
    parts.append(f"Trang {page}/{pages}")
    if page < pages:
        parts.append(a(page_link(uri, listing_uri(kind, key, page + 1)), "Trang sau →"))
    return f'<nav class="sk-pager" aria-label="Phân trang">\n<p>{" · ".join(parts)}</p>\n</nav>\n'


def listing_pages(
    kind: str,
    key: str | int,
    title: str,
    intro: str,
    items: Sequence[Initiative],
    registry: Registry,
    settings: Settings,
    source: str | None = None,
) -> Iterator[Page]:
    """The paginated listing of one key (an agency, a field ...)."""
    pages = max(1, -(-len(items) // PAGE_SIZE))
    gen = generation(registry, settings)
    for n in range(1, pages + 1):
        uri = listing_uri(kind, key, n)
        chunk = tuple(items[(n - 1) * PAGE_SIZE : n * PAGE_SIZE])
        page_title = title if n == 1 else f"{title} (trang {n})"
        # Everything the page shows besides the context: a serve rebuild re-renders only the
        # listings whose records (or counts, titles, intro) changed.
        inputs = (gen, page_title, intro if n == 1 else "", len(items), pages, source)
        hit = _LISTINGS.get(uri)
        if hit is not None and hit[0] == inputs and same(hit[1], chunk):
            yield hit[2]
            continue
        blocks = Blocks()
        out = [front_matter(title=page_title), f"# {escape_text(page_title)}", ""]
        if intro and n == 1:
            out += [intro, ""]
        # The catalogue page is another engineer's generated page: a plain HTML link keeps
        # this page valid whether or not it is present in a partial build.
        body = [
            f"<p>{format_number(len(items))} sáng kiến · "
            f"{a(page_link(uri, index_uri(kind)), SECTION_TITLES[kind])} · "
            f"{a(site_link(uri, 'tra-cuu/'), 'Tra cứu có bộ lọc')}</p>",
            cards(chunk, registry, settings, uri) if chunk else "<p>Chưa có sáng kiến nào.</p>",
            _pager(kind, key, n, pages, uri),
        ]
        out.append(blocks.add("\n".join(body)))
        page = Page(
            uri=uri,
            markdown="\n".join(out),
            source=source,
            title=page_title,
            blocks=tuple(blocks.items),
        )
        _LISTINGS[uri] = (inputs, chunk, page)
        yield page


# uri -> (inputs, records shown, page) of the last listing rendered at that address.
_LISTINGS: dict[str, tuple[tuple[object, ...], tuple[Initiative, ...], Page]] = {}


def _index_page(kind: str, title: str, intro: str, rows: list[tuple[str, str | int, int]]) -> Page:
    """A section index: a table of keys with their record counts."""
    uri = index_uri(kind)
    blocks = Blocks()
    out = [
        front_matter(title=title),
        f"# {title}",
        "",
        intro,
        blocks.add(
            table(
                (COLUMN_TITLES[kind], "Số sáng kiến"),
                [
                    (a(page_link(uri, listing_uri(kind, key)), h(name)), format_number(count))
                    for name, key, count in rows
                ],
                right=(1,),
            )
        ),
    ]
    return Page(uri=uri, markdown="\n".join(out), title=title, blocks=tuple(blocks.items))


def _agency_intro(registry: Registry, settings: Settings, agency_id: str, uri: str) -> str:
    agency = registry.agencies[agency_id]
    lines = [f"**Loại cơ quan:** {escape_text(label(settings, 'kind', agency.kind))}"]
    if agency.name_en:
        lines.append(f'<span lang="en">{escape_text(agency.name_en)}</span>')
    if agency.parent and agency.parent in registry.agencies:
        lines.append(f"**Trực thuộc:** {agency_md(registry, uri, agency.parent)}")
    if agency.valid_from:
        lines.append(f"**Hoạt động từ:** {format_date(agency.valid_from)}")
    if agency.ceased:
        assert agency.valid_to is not None
        lines.append(f"**Ngừng hoạt động:** {format_date(agency.valid_to)}")
        now = [a for a in registry.current_agencies(agency_id) if a.id != agency_id]
        if now:
            lines.append("**Nay là:** " + ", ".join(agency_md(registry, uri, a.id) for a in now))
    if agency.predecessors:
        lines.append(
            "**Tiếp nhận từ:** "
            + ", ".join(agency_md(registry, uri, p) for p in agency.predecessors)
        )
    if agency.successors:
        lines.append(
            "**Chuyển giao cho:** "
            + ", ".join(agency_md(registry, uri, s) for s in agency.successors)
        )
    intro = "  \n".join(lines)
    # The agency's own figures (with the units merged into it) come from the reports layer
    # through the provider mechanism, so rendering does not import it directly.
    figures = resolve(["generator.reports.site:agency_figures_markdown"])
    if figures:
        intro += "\n\n" + figures[0](registry, agency_id, settings, up="../../")
    return intro


def browse_pages(registry: Registry, settings: Settings) -> Iterator[Page]:
    """Every browse page and the five section indexes, plus the "Duyệt" landing page."""
    inis = newest_first(registry.initiatives.values())
    by_agency: dict[str, list[Initiative]] = defaultdict(list)
    by_field: dict[str, list[Initiative]] = defaultdict(list)
    by_year: dict[int, list[Initiative]] = defaultdict(list)
    by_level: dict[str, list[Initiative]] = defaultdict(list)
    by_type: dict[str, list[Initiative]] = defaultdict(list)
    for ini in inis:
        by_agency[ini.agency].append(ini)
        for f in ini.fields:
            by_field[f].append(ini)
        by_year[ini.year].append(ini)
        by_level[ini.status_level or "chua-cong-nhan"].append(ini)
        for t in ini.solution_types:
            by_type[t].append(ini)

    # Agencies: every agency gets a page (its history matters even with no record).
    agencies = sorted(registry.agencies.values(), key=lambda a: collation_key(a.name))
    for agency in agencies:
        uri = listing_uri(AGENCY_PATH, agency.id)
        yield from listing_pages(
            AGENCY_PATH,
            agency.id,
            agency.name,
            _agency_intro(registry, settings, agency.id, uri),
            by_agency.get(agency.id, []),
            registry,
            settings,
            source=agency.source,
        )
    yield _index_page(
        AGENCY_PATH,
        "Sáng kiến theo cơ quan",
        "Mỗi cơ quan, đơn vị và các sáng kiến được công nhận tại đó. Cơ quan đã sáp nhập vẫn giữ trang riêng, kèm cơ quan tiếp nhận.",
        [
            (
                a.name + (" (đã ngừng hoạt động)" if a.ceased else ""),
                a.id,
                len(by_agency.get(a.id, [])),
            )
            for a in agencies
        ],
    )

    fields = sorted(registry.fields.values(), key=lambda f: collation_key(f.name))
    for fld in fields:
        intro = escape_text(fld.description) if fld.description else ""
        yield from listing_pages(
            FIELD_PATH, fld.id, fld.name, intro, by_field.get(fld.id, []), registry, settings
        )
    yield _index_page(
        FIELD_PATH,
        "Sáng kiến theo lĩnh vực",
        "Các lĩnh vực trong danh mục của sổ đăng ký.",
        [(f.name, f.id, len(by_field.get(f.id, []))) for f in fields],
    )

    years = sorted(by_year, reverse=True)
    for year in years:
        yield from listing_pages(
            YEAR_PATH, year, f"Sáng kiến năm {year}", "", by_year[year], registry, settings
        )
    yield _index_page(
        YEAR_PATH,
        "Sáng kiến theo năm",
        "Năm trong mã sáng kiến: năm được công nhận lần đầu (hoặc năm nộp hồ sơ).",
        [(str(y), y, len(by_year[y])) for y in years],
    )

    level_names = {**labels(settings, "level"), "chua-cong-nhan": "Chưa được công nhận"}
    levels = sorted(level_names, key=lambda lv: -LEVEL_ORDER.get(lv, 0))
    for lv in levels:
        yield from listing_pages(
            LEVEL_PATH,
            lv,
            level_names[lv],
            "Xếp theo cấp công nhận cao nhất còn hiệu lực.",
            by_level.get(lv, []),
            registry,
            settings,
        )
    yield _index_page(
        LEVEL_PATH,
        "Sáng kiến theo cấp công nhận",
        "Cấp công nhận cao nhất còn hiệu lực của mỗi sáng kiến.",
        [(level_names[lv], lv, len(by_level.get(lv, []))) for lv in levels],
    )

    type_names = labels(settings, "solution_types")
    for t, name in type_names.items():
        yield from listing_pages(TYPE_PATH, t, name, "", by_type.get(t, []), registry, settings)
    yield _index_page(
        TYPE_PATH,
        "Sáng kiến theo loại giải pháp",
        "Bốn loại giải pháp theo Điều lệ Sáng kiến (Nghị định 13/2012/NĐ-CP).",
        [(n, t, len(by_type.get(t, []))) for t, n in type_names.items()],
    )

    uri = "duyet/index.md"
    out = [
        front_matter(title="Duyệt sáng kiến"),
        "# Duyệt sáng kiến",
        "",
        "Các trang duyệt là trang tĩnh, dùng được cả khi tắt JavaScript.",
        "",
    ]
    for kind, title in SECTION_TITLES.items():
        out.append(f"- [{title}]({md_link(uri, index_uri(kind))})")
    yield Page(uri=uri, markdown="\n".join(out) + "\n", title="Duyệt sáng kiến")
