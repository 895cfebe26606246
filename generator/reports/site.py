"""The statistics section of the site ("Thống kê") and the yearly report JSON files.

Page provider `pages(registry, settings)`:

* `thong-ke/index.md` -> `thong-ke/`: the whole registry, year by year, with charts;
* `thong-ke/<yyyy>.md` -> `thong-ke/<yyyy>/`: the periodic report of each year, the same
  figures as `sangkien report --year <yyyy>`;
* `thong-ke/ung-vien-cap-tinh.md` -> `thong-ke/ung-vien-cap-tinh/`: the candidates for
  provincial scope as of the build date.

File provider `write_files(registry, settings, out_dir)` writes `api/v1/reports/<yyyy>.json`
(the JSON contract, one per year) and `api/v1/reports/ung-vien-cap-tinh.json`.

`agency_figures_markdown(registry, agency_id)` is the block an agency page shows.

Links to other pages are Markdown links to the target's Markdown file, relative to the page's
own file (`../sang-kien/qng-2024-0007.md`), which MkDocs checks and turns into served URLs;
only the raw HTML links to the JSON files (which MkDocs does not read) are site URLs relative
to the page's URL (`up`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from generator import fsio
from generator.config import Settings
from generator.model import Initiative, Registry
from generator.render.common import AGENCY_PATH, FIELD_PATH, initiative_uri, listing_uri
from generator.render.markdown_safe import escape_text
from generator.render.memo import generation, same
from generator.render.pages import Page
from generator.reports.criteria import candidates_json, find_candidates
from generator.reports.document import build_candidates, build_report
from generator.reports.figures import (
    ReportData,
    compute_for_settings,
    count_period,
    scope_agencies,
    to_json,
    year_period,
)
from generator.reports.labels import Labels
from generator.reports.svg import bar_chart
from generator.reports.tables import agency_label
from generator.reports.to_json import dumps
from generator.reports.to_md import document_markdown, table_markdown
from generator.text.vn import format_date, format_number

STATS_DIR = "thong-ke"
# The hand-written page that describes the open data (docs/du-lieu-mo.md).
OPEN_DATA_URI = "du-lieu-mo.md"
CANDIDATES_URI = f"{STATS_DIR}/ung-vien-cap-tinh.md"
REPORTS_API = "api/v1/reports"
CHART_TOP = 12
SITE_ANNEX_MAX = 100
# No statistics page may grow with the registry: longer tables are cut on the web page (with
# a note) and stay whole in the JSON, XLSX and DOCX.
SITE_TABLE_MAX = 60


def report_years(registry: Registry, today: date | None = None) -> list[int]:
    """Every year from the first recognition decision or adoption to the last one."""
    years: set[int] = set()
    for ini in registry.initiatives.values():
        years.update(r.decision_date.year for r in ini.recognitions)
        years.update(a.since.year for a in ini.adoptions)
    if not years:
        return []
    first, last = min(years), max(years)
    if today is not None:
        # Dates in the future are a validation error; never publish an empty future year.
        last = max(first, min(last, today.year))
    return list(range(first, last + 1))


def _links(registry: Registry, up: str) -> dict[str, str]:
    """Row id -> link: the Markdown files of initiatives, agencies and fields, from a page
    whose Markdown file is `up` (`../`) below the docs root.

    Built once per registry and depth: every table of every statistics page asks for it
    (about 50 times a build, 10,000 entries each at 10,000 records). Read-only.
    """
    hit = _LINKS.get(up)
    if hit is not None and hit[0] is registry:
        return hit[1]
    links = {i: up + initiative_uri(ini) for i, ini in registry.initiatives.items()}
    links.update({a: up + listing_uri(AGENCY_PATH, a) for a in registry.agencies})
    links.update({f: up + listing_uri(FIELD_PATH, f) for f in registry.fields})
    _LINKS[up] = (registry, links)
    return links


# up -> (registry, links) of the last registry seen.
_LINKS: dict[str, tuple[Registry, dict[str, str]]] = {}


def _top(items: dict[str, int], name: object, limit: int = CHART_TOP) -> list[tuple[str, int]]:
    ranked = sorted(items.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [(name(k), v) for k, v in ranked]  # type: ignore[operator]


def _year_page(
    registry: Registry, settings: Settings, labels: Labels, year: int, years: list[int]
) -> tuple[Page, ReportData]:
    start, end = year_period(year)
    data = compute_for_settings(registry, settings, start, end)
    doc = build_report(data, registry, settings, labels)
    # `thong-ke/<yyyy>.md`, served at `thong-ke/<yyyy>/`.
    up, md_up = "../../", "../"
    cur, prev = data.current, data.previous
    level_keys = list(cur.by_level)
    charts = {
        "theo-cap": bar_chart(
            f"bieu-do-cap-{year}",
            f"Lượt công nhận theo cấp, năm {year} so với năm {year - 1}",
            [(labels.level(k), cur.by_level[k]) for k in level_keys],
            previous=[prev.by_level.get(k, 0) for k in level_keys],
            current_label=f"Năm {year}",
            previous_label=f"Năm {year - 1}",
        ),
        "theo-linh-vuc": bar_chart(
            f"bieu-do-linh-vuc-{year}",
            f"Sáng kiến được công nhận theo lĩnh vực, năm {year}",
            _top(cur.by_field, registry.field_name),
        ),
        "theo-co-quan": bar_chart(
            f"bieu-do-co-quan-{year}",
            f"Sáng kiến được công nhận theo cơ quan, năm {year} (tối đa {CHART_TOP} cơ quan)",
            _top(cur.by_agency, registry.agency_name),
        ),
    }
    # A decade of a large province puts thousands of decisions in one year: past a size that
    # a browser shows comfortably, the annex is left to the JSON file (same rows).
    annex_rows = len(doc.annex.rows) if doc.annex else 0
    body = document_markdown(
        doc,
        heading_offset=1,
        links=_links(registry, md_up),
        include_annex=annex_rows <= SITE_ANNEX_MAX,
        max_rows=SITE_TABLE_MAX,
    )
    if annex_rows > SITE_ANNEX_MAX:
        body += (
            f"\n## Phụ lục\n\nTrong năm có {format_number(annex_rows)} quyết định; danh mục đầy đủ "
            f'(mã, số và ngày quyết định) ở tệp <a href="{up}{REPORTS_API}/{year}.json">'
            f"{REPORTS_API}/{year}.json</a> (khoá `annex`) và trong báo cáo XLSX, DOCX "
            f"của lệnh `sangkien report --year {year}`.\n"
        )
    # Each chart goes just before the table it draws; the table stays as its text alternative.
    for key, svg in charts.items():
        table = next(t for t in doc.tables if t.key == key)
        marker = table_markdown(table, _links(registry, md_up))
        body = body.replace(marker, svg + "\n\n" + marker, 1)
    nav = " · ".join(f"**{y}**" if y == year else f"[{y}]({y}.md)" for y in years)
    head = (
        f"# Thống kê sáng kiến năm {year}\n\n"
        f"Các năm: {nav} · [Toàn bộ sổ đăng ký](index.md)\n\n"
        f"Cùng số liệu với lệnh `sangkien report --year {year}`; dữ liệu máy đọc: "
        f'<a href="{up}{REPORTS_API}/{year}.json">{REPORTS_API}/{year}.json</a> '
        f"(mô tả tại trang [Dữ liệu mở]({md_up}{OPEN_DATA_URI})).\n\n"
    )
    return Page(f"{STATS_DIR}/{year}.md", head + body, None, f"Thống kê năm {year}"), data


def _index_page(
    registry: Registry, settings: Settings, labels: Labels, per_year: dict[int, ReportData]
) -> Page:
    # `thong-ke/index.md`, served at `thong-ke/`: one level down for files and URLs alike.
    up = "../"
    years = sorted(per_year)
    initiatives = list(registry.initiatives.values())
    rows = []
    for y in years:
        c = per_year[y].current
        rows.append(
            f"| [{y}]({y}.md) | {format_number(len(c.recognized))} | "
            + " | ".join(format_number(c.by_level.get(k, 0)) for k in labels.levels())
            + f" | {format_number(c.adoptions_applied)} |"
        )
    head_levels = " | ".join(labels.level(k) for k in labels.levels())
    year_table = "\n".join(
        [
            f"| Năm | Sáng kiến được công nhận | {head_levels} | Lượt nhân rộng mới |",
            "| --- | ---: | " + " | ".join("---:" for _ in labels.levels()) + " | ---: |",
            *rows,
        ]
    )
    chart_years = bar_chart(
        "bieu-do-theo-nam",
        "Số sáng kiến được công nhận theo năm",
        [(str(y), len(per_year[y].current.recognized)) for y in years],
    )
    today = settings.today_date()
    if years:
        whole = count_period(initiatives, date(years[0], 1, 1), max(today, date(years[-1], 12, 31)))
    else:
        whole = count_period(initiatives, today, today)
    recognized_now = sum(1 for i in initiatives if i.is_recognized)
    status: dict[str, int] = {}
    for ini in initiatives:
        if ini.status_level:
            status[ini.status_level] = status.get(ini.status_level, 0) + 1
    status_items = [(labels.level(k), status.get(k, 0)) for k in labels.levels()]
    chart_status = bar_chart(
        "bieu-do-cap-hien-tai", "Sáng kiến đang có hiệu lực theo cấp cao nhất", status_items
    )
    status_table = "\n".join(
        [
            "| Cấp cao nhất | Số sáng kiến |",
            "| --- | ---: |",
            *(f"| {k} | {format_number(v)} |" for k, v in status_items),
        ]
    )
    fields = _top(whole.by_field, registry.field_name, limit=len(whole.by_field))
    chart_fields = bar_chart(
        "bieu-do-linh-vuc", "Sáng kiến được công nhận theo lĩnh vực, toàn bộ sổ đăng ký",
        fields[:CHART_TOP],
    )  # fmt: skip
    field_ids = sorted(whole.by_field, key=lambda k: (-whole.by_field[k], k))
    field_table = "\n".join(
        [
            "| Lĩnh vực | Số sáng kiến |",
            "| --- | ---: |",
            *(
                f"| [{escape_text(registry.field_name(k))}]({up}{listing_uri(FIELD_PATH, k)}) | "
                f"{format_number(whole.by_field[k])} |"
                for k in field_ids
            ),
        ]
    )
    agency_ids = sorted(whole.by_agency, key=lambda k: (-whole.by_agency[k], k))
    agency_table = "\n".join(
        [
            "| Cơ quan, đơn vị | Số sáng kiến |",
            "| --- | ---: |",
            *(
                f"| [{escape_text(agency_label(registry, k))}]({up}{listing_uri(AGENCY_PATH, k)}) | "
                f"{format_number(whole.by_agency[k])} |"
                for k in agency_ids
            ),
        ]
    )
    md = f"""# Thống kê

Số liệu tổng hợp từ sổ đăng ký sáng kiến, cập nhật đến ngày {format_date(today)}:
{format_number(len(initiatives))} hồ sơ, trong đó {format_number(recognized_now)} sáng kiến đang
có hiệu lực công nhận. Mỗi năm có trang báo cáo riêng với đủ các bảng của báo cáo định kỳ;
danh sách [sáng kiến đủ điều kiện đề xuất công nhận cấp tỉnh]({CANDIDATES_URI.rsplit("/", 1)[1]})
được tính lại mỗi lần cập nhật trang.

## Theo năm

{chart_years}

{year_table}

## Theo cấp công nhận cao nhất

Tính cả các sáng kiến công nhận trước đây, không tính sáng kiến đã bị hủy công nhận.

{chart_status}

{status_table}

## Theo lĩnh vực

Một sáng kiến thuộc nhiều lĩnh vực được tính ở từng lĩnh vực.

{chart_fields}

{field_table}

## Theo cơ quan, đơn vị

Cơ quan đã sáp nhập giữ tên của mình, kèm tên đơn vị kế thừa hiện nay.

{agency_table}

## Dữ liệu máy đọc

Báo cáo từng năm ở dạng JSON: {", ".join(f'<a href="{up}{REPORTS_API}/{y}.json">{y}</a>' for y in years)}.
Cấu trúc được mô tả tại trang [Dữ liệu mở]({up}{OPEN_DATA_URI}).
"""
    return Page(f"{STATS_DIR}/index.md", md, None, "Thống kê")


def _candidates_page(registry: Registry, settings: Settings) -> Page:
    result = find_candidates(registry, settings.today_date(), settings.candidate_criteria)
    doc = build_candidates(result, registry, settings)
    up = "../../"
    md = (
        "# Sáng kiến đề xuất công nhận cấp tỉnh\n\n"
        "Danh sách tính tự động từ sổ đăng ký theo tiêu chí của tỉnh (có thể thay đổi trong "
        "cấu hình), cùng số liệu với lệnh `sangkien report candidates`; dữ liệu máy đọc: "
        f'<a href="{up}{REPORTS_API}/ung-vien-cap-tinh.json">{REPORTS_API}/ung-vien-cap-tinh.json</a>.\n\n'
        + document_markdown(
            doc, heading_offset=1, links=_links(registry, "../"), max_rows=SITE_TABLE_MAX
        )
    )
    return Page(CANDIDATES_URI, md, None, "Đề xuất cấp tỉnh")


def pages(registry: Registry, settings: Settings) -> Iterable[Page]:
    """The statistics pages: whole registry, each year, the provincial candidates."""
    labels = Labels(settings.schema_path)
    years = report_years(registry, settings.today_date())
    per_year: dict[int, ReportData] = {}
    out: list[Page] = []
    for year in years:
        page, data = _year_page(registry, settings, labels, year, years)
        per_year[year] = data
        out.append(page)
    out.insert(0, _index_page(registry, settings, labels, per_year))
    out.append(_candidates_page(registry, settings))
    return out


def _write(path: Path, text: str) -> None:
    fsio.make_dirs(path.parent)
    fsio.write_text(path, text, force=True)


def write_files(registry: Registry, settings: Settings, out_dir: Path) -> Iterable[str]:
    """Write the yearly report JSON and the candidates JSON; return their site paths."""
    written = []
    for year in report_years(registry, settings.today_date()):
        start, end = year_period(year)
        data = compute_for_settings(registry, settings, start, end)
        rel = f"{REPORTS_API}/{year}.json"
        _write(Path(out_dir) / rel, dumps(to_json(data)))
        written.append(rel)
    result = find_candidates(registry, settings.today_date(), settings.candidate_criteria)
    rel = f"{REPORTS_API}/ung-vien-cap-tinh.json"
    _write(Path(out_dir) / rel, dumps(candidates_json(result, registry)))
    written.append(rel)
    return written


def agency_figures_markdown(
    registry: Registry, agency_id: str, settings: Settings | None = None, up: str = "../../"
) -> str:
    """The figures block of an agency page (`co-quan/<id>/`): its initiatives year by year.

    Counts the agency's own records and, rolled up, those of every unit that merged into it;
    `up` is the relative path from the page's Markdown file to the docs root (its links are
    Markdown links to Markdown files). Returns "" for an unknown agency.
    """
    if agency_id not in registry.agencies:
        return ""
    scope = scope_agencies(registry, agency_id, rollup=True) or {agency_id}
    initiatives = _records_of(registry, scope)
    if settings is None:
        return _agency_figures(registry, agency_id, settings, up, scope, initiatives)
    # The block reads the records in scope, the agencies and the settings: a rebuild under
    # `sangkien serve` reuses the blocks of the agencies whose records did not change.
    key = (generation(registry, settings), tuple(initiatives))
    hit = _AGENCY_FIGURES.get((agency_id, up))
    if hit is not None and hit[0][0] == key[0] and same(hit[0][1], key[1]):
        return hit[1]
    text = _agency_figures(registry, agency_id, settings, up, scope, initiatives)
    _AGENCY_FIGURES[(agency_id, up)] = (key, text)
    return text


def _records_of(registry: Registry, scope: set[str]) -> list[Initiative]:
    """The records of the agencies in `scope`, in registry order.

    Grouped once per registry: every agency page asks (65 agencies x 10,000 records).
    """
    hit = _BY_AGENCY.get("last")
    if hit is None or hit[0] is not registry:
        groups: dict[str, list[tuple[int, Initiative]]] = {}
        for n, ini in enumerate(registry.initiatives.values()):
            groups.setdefault(ini.agency, []).append((n, ini))
        hit = _BY_AGENCY["last"] = (registry, groups)
    found = [pair for a in scope for pair in hit[1].get(a, ())]
    if len(scope) > 1:
        found.sort(key=lambda pair: pair[0])
    return [ini for _n, ini in found]


# The last registry's records by agency, with their place in the registry.
_BY_AGENCY: dict[str, tuple[Registry, dict[str, list[tuple[int, Initiative]]]]] = {}
# (agency, up) -> ((context generation, records in scope), text) of the last build.
_AGENCY_FIGURES: dict[tuple[str, str], tuple[tuple[int, tuple[Initiative, ...]], str]] = {}


def _agency_figures(
    registry: Registry,
    agency_id: str,
    settings: Settings | None,
    up: str,
    scope: set[str],
    initiatives: list[Initiative],
) -> str:
    labels = Labels(settings.schema_path if settings else None)
    years = sorted(
        {r.decision_date.year for i in initiatives for r in i.recognitions}
        | {a.since.year for i in initiatives for a in i.adoptions}
    )
    name = registry.agency_name(agency_id)
    if not years:
        return (
            f"### Số liệu sáng kiến\n\n{escape_text(name)} chưa có sáng kiến được công nhận "
            "trong sổ đăng ký.\n"
        )
    rows = []
    items = []
    for y in years:
        c = count_period(initiatives, *year_period(y))
        items.append((str(y), len(c.recognized)))
        rows.append(
            f"| [{y}]({up}{STATS_DIR}/{y}.md) | {format_number(len(c.recognized))} | "
            + " | ".join(format_number(c.by_level.get(k, 0)) for k in labels.levels())
            + f" | {format_number(c.adoptions_applied)} |"
        )
    adopted_elsewhere = sum(i.adoption_count for i in initiatives)
    merged = sorted(scope - {agency_id})
    note = ""
    if merged:
        note = (
            "Gồm cả sáng kiến của các đơn vị đã hợp nhất vào: "
            + ", ".join(
                f"[{escape_text(registry.agency_name(a))}]({up}{listing_uri(AGENCY_PATH, a)})"
                for a in merged
            )
            + ".\n\n"
        )
    chart = bar_chart(f"bieu-do-{agency_id}", f"Sáng kiến được công nhận theo năm, {name}", items)
    head_levels = " | ".join(labels.level(k) for k in labels.levels())
    return (
        "### Số liệu sáng kiến\n\n"
        + note
        + f"{format_number(sum(1 for i in initiatives if i.is_recognized))} sáng kiến đang có hiệu "
        f"lực công nhận; {format_number(adopted_elsewhere)} lượt đơn vị khác đang áp dụng.\n\n"
        + chart
        + "\n\n"
        + "\n".join(
            [
                f"| Năm | Sáng kiến được công nhận | {head_levels} | Lượt nhân rộng mới |",
                "| --- | ---: | " + " | ".join("---:" for _ in labels.levels()) + " | ---: |",
                *rows,
            ]
        )
        + "\n"
    )
