"""The catalogue ("Tra cứu sáng kiến"): a compact JSON index and the page that filters it.

The page `tra-cuu/` is a static HTML skeleton; generator/site/assets/catalogue.js loads
`api/v1/catalogue.json` and does the filtering, counting, sorting and paging in the browser.
Without JavaScript the page still offers links to the static browse pages.

The index is built for size and speed at 10,000 records (figures in benchmarks/README.md):

* one array per record instead of an object (no repeated key names);
* facet values (agency, fields, level, solution types, readiness) as small integers into
  lookup tables sent once, with their Vietnamese labels;
* searchable words not already in the title and card summary, folded (no diacritics,
  đ -> d, lower case) and each sent once, with abbreviation expansions and synonyms; the
  browser folds title and card summary once at load, never per keystroke;
* the summary cut to a card-sized excerpt; the full text lives on the record page.

Row layout (``cols`` in the JSON names it, so that a reader need not guess):
``[id, title, summary, search text, agency, [fields], level, year, [solution types],
readiness, adoption count, latest decision date as yyyymmdd]``; a missing level or
readiness is -1, a missing date 0.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from generator import fsio
from generator.config import Settings
from generator.model import LEVEL_ORDER, READINESS_ORDER, Initiative, Registry
from generator.render.pages import Page
from generator.text.vn import (
    abbreviation_synonyms,
    collation_key,
    expand_abbreviations,
    fold,
    format_number,
)

INDEX_PATH = "api/v1/catalogue.json"
PAGE_URI = "tra-cuu.md"
PAGE_TITLE = "Tra cứu sáng kiến"
INDEX_VERSION = 1
# Cards show about two lines of summary; the full summary (<= 600 characters) is on the page.
SUMMARY_CHARS = 180
COLUMNS = (
    "id",
    "title",
    "summary",
    "text",
    "agency",
    "fields",
    "level",
    "year",
    "types",
    "readiness",
    "adoptions",
    "date",
)
# Label of initiatives without a standing recognition (drafts, refused or revoked ones).
NO_LEVEL_LABEL = "Chưa được công nhận"


# ---- labels from the schema ----------------------------------------------------------------
@cache
def _schema(schema_dir: str) -> dict[str, Any]:
    path = Path(schema_dir) / "initiative.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _enum_labels(schema: dict[str, Any], *path: str) -> dict[str, str]:
    """Follow `path` (property names; "[]" for array items) and return its x-enum-labels."""
    node: Any = schema
    for step in path:
        node = node.get("items", {}) if step == "[]" else node.get("properties", {}).get(step, {})
    labels = node.get("x-enum-labels") or {}
    # Keep the schema's own enum order when it has one: it is the documented order.
    order = node.get("enum") or list(labels)
    return {value: labels.get(value, value) for value in order}


def facet_labels(settings: Settings) -> dict[str, dict[str, str]]:
    """Vietnamese labels of the enum facets, read from the JSON Schema (the source of truth)."""
    schema = _schema(str(settings.schema_path))
    levels = _enum_labels(schema, "recognitions", "[]", "level")
    readiness = _enum_labels(schema, "replication", "readiness")
    return {
        "level": dict(sorted(levels.items(), key=lambda kv: LEVEL_ORDER.get(kv[0], 99))),
        "types": _enum_labels(schema, "solution_types", "[]"),
        "readiness": dict(sorted(readiness.items(), key=lambda kv: READINESS_ORDER.get(kv[0], 99))),
    }


# ---- the index -----------------------------------------------------------------------------
def shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    """Cut `text` to at most `limit` characters at a word boundary, adding "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-–") + "…"


_TOKEN_SPLIT = re.compile(r"[^\w&]+")


def tokens(text: str) -> list[str]:
    """Folded search tokens of `text`, as catalogue.js splits them (letters, digits, "&")."""
    return [t for t in _TOKEN_SPLIT.split(fold(text).replace("_", " ")) if t]


def search_text(initiative: Initiative) -> str:
    """Extra folded words the catalogue's text box matches, beyond what the card shows.

    The browser folds the title and the card summary itself once, when the index loads (that
    is cheaper than sending them twice). This string adds, each word once: the words of the
    full summary and the tags that the card does not show, the expansion of every
    abbreviation used ("TTHC" -> "thu tuc hanh chinh") and the abbreviations of phrases
    spelled out ("cải cách hành chính" -> "cchc"), so that a query matches either way.
    """
    source = " ".join([initiative.title, initiative.summary, *initiative.tags])
    source = source.replace("-", " ")
    words = expand_abbreviations(source).split() + abbreviation_synonyms(source)
    shown = set(tokens(f"{initiative.title} {shorten(initiative.summary)}"))
    out: list[str] = []
    for word in tokens(" ".join(words)):
        if word not in shown:
            shown.add(word)
            out.append(word)
    return " ".join(out)


def _date_int(initiative: Initiative) -> int:
    d = initiative.latest_decision_date
    return d.year * 10000 + d.month * 100 + d.day if d else 0


def build_index(registry: Registry, settings: Settings) -> dict[str, Any]:
    """Build the catalogue index of every initiative in `registry` (see the module docstring).

    The result is plain JSON data; records are in id order, facet tables in the order the
    catalogue shows them (fields and agencies in Vietnamese alphabetical order, levels from
    lowest to highest, readiness from idea to packaged).
    """
    labels = facet_labels(settings)
    initiatives = list(registry.initiatives.values())

    used_fields = {f for i in initiatives for f in i.fields}
    field_ids = sorted(
        (f for f in used_fields), key=lambda f: collation_key(registry.field_name(f))
    )
    used_agencies = {i.agency for i in initiatives}
    agency_ids = sorted(used_agencies, key=lambda a: collation_key(registry.agency_name(a)))
    level_ids = list(labels["level"])
    type_ids = list(labels["types"])
    readiness_ids = list(labels["readiness"])
    # Values a newer schema may add before this module learns their order go last.
    for ids, used in (
        (level_ids, {i.status_level for i in initiatives if i.status_level}),
        (type_ids, {t for i in initiatives for t in i.solution_types}),
        (readiness_ids, {i.readiness for i in initiatives if i.readiness}),
    ):
        ids.extend(sorted(used - set(ids)))

    def code(ids: list[str]) -> dict[str, int]:
        return {value: n for n, value in enumerate(ids)}

    field_no, agency_no, level_no = code(field_ids), code(agency_ids), code(level_ids)
    type_no, readiness_no = code(type_ids), code(readiness_ids)

    rows = []
    for i in initiatives:
        rows.append(
            [
                i.id,
                i.title,
                shorten(i.summary),
                search_text(i),
                agency_no[i.agency],
                [field_no[f] for f in i.fields],
                level_no[i.status_level] if i.status_level else -1,
                i.year,
                [type_no[t] for t in i.solution_types],
                readiness_no[i.readiness] if i.readiness else -1,
                i.adoption_count,
                _date_int(i),
            ]
        )

    def table(ids: list[str], label: Any) -> list[list[str]]:
        return [[value, label(value)] for value in ids]

    return {
        "version": INDEX_VERSION,
        "license": settings.content_license,
        "license_url": settings.content_license_url,
        "count": len(rows),
        "cols": list(COLUMNS),
        "facets": {
            "fields": table(field_ids, registry.field_name),
            "agencies": table(agency_ids, registry.agency_name),
            "levels": table(level_ids, lambda v: labels["level"].get(v, v)),
            "types": table(type_ids, lambda v: labels["types"].get(v, v)),
            "readiness": table(readiness_ids, lambda v: labels["readiness"].get(v, v)),
        },
        "rows": rows,
    }


def dumps_index(index: dict[str, Any]) -> str:
    """Serialise the index as compact UTF-8 JSON (no spaces, Vietnamese kept as is)."""
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))


def _write_atomic(path: Path, text: str) -> None:
    fsio.make_dirs(path.parent)
    fsio.write_text(path, text, force=True)


def write_files(registry: Registry, settings: Settings, out_dir: Path) -> Iterable[str]:
    """File provider: write `api/v1/catalogue.json` under the built site."""
    _write_atomic(Path(out_dir) / INDEX_PATH, dumps_index(build_index(registry, settings)))
    return [INDEX_PATH]


# ---- the page ------------------------------------------------------------------------------
def _browse_list(items: list[tuple[str, str, int]]) -> str:
    links = "".join(
        f'<li><a href="../{escape(href)}/">{escape(label)}</a> '
        f'<span class="sk-cat__n">({format_number(n)})</span></li>'
        for href, label, n in items
    )
    return f'<ul class="sk-cat__browse-list">{links}</ul>'


def _fallback_html(registry: Registry, settings: Settings) -> str:
    """Links to the static browse pages: the catalogue without JavaScript."""
    labels = facet_labels(settings)
    initiatives = list(registry.initiatives.values())

    def counted(key: Any) -> dict[str, int]:
        counts: dict[str, int] = {}
        for i in initiatives:
            for value in key(i):
                counts[value] = counts.get(value, 0) + 1
        return counts

    by_field = counted(lambda i: i.fields)
    by_level = counted(lambda i: [i.status_level] if i.status_level else [])
    by_type = counted(lambda i: i.solution_types)
    by_year = counted(lambda i: [str(i.year)])
    by_agency = counted(lambda i: [i.agency])
    groups = [
        (
            "Theo lĩnh vực",
            [
                (f"linh-vuc/{f}", registry.field_name(f), n)
                for f, n in sorted(
                    by_field.items(), key=lambda kv: collation_key(registry.field_name(kv[0]))
                )
            ],
        ),
        (
            "Theo cấp công nhận",
            [
                (f"cap/{v}", labels["level"][v], by_level[v])
                for v in labels["level"]
                if v in by_level
            ],
        ),
        (
            "Theo loại giải pháp",
            [
                (f"loai/{v}", labels["types"][v], by_type[v])
                for v in labels["types"]
                if v in by_type
            ],
        ),
        (
            "Theo năm",
            [(f"nam/{y}", y, n) for y, n in sorted(by_year.items(), reverse=True)],
        ),
        (
            "Theo cơ quan",
            [
                (f"co-quan/{a}", registry.agency_name(a), n)
                for a, n in sorted(
                    by_agency.items(), key=lambda kv: collation_key(registry.agency_name(kv[0]))
                )
            ],
        ),
    ]
    parts = ['<div class="sk-cat__fallback" data-sk-fallback>']
    parts.append('<h2 id="duyet-theo-nhom">Duyệt theo nhóm</h2>')
    parts.append(
        "<p>Trình duyệt của bạn không chạy JavaScript, nên bộ lọc không hoạt động. "
        "Bạn vẫn có thể xem sáng kiến theo từng nhóm dưới đây.</p>"
    )
    for heading, items in groups:
        parts.append(f'<h3 class="sk-cat__browse-title">{escape(heading)}</h3>')
        parts.append(_browse_list(items))
    parts.append("</div>")
    return "".join(parts)


def page_markdown(registry: Registry, settings: Settings) -> str:
    """Markdown of `tra-cuu.md`: an introduction and the catalogue's HTML skeleton."""
    total = format_number(len(registry.initiatives))
    skeleton = (
        '<div class="sk-cat" data-sk-catalogue data-index="../api/v1/catalogue.json" '
        'data-root="../">'
        '<form class="sk-cat__controls" data-sk-form hidden role="search" '
        'aria-label="Lọc sáng kiến">'
        '<div class="sk-cat__query">'
        '<label for="sk-cat-q">Từ khóa <span class="sk-cat__hint">(gõ có dấu hoặc không dấu, '
        "viết tắt như TTHC, CCHC, CĐS)</span></label>"
        '<input type="search" id="sk-cat-q" name="q" autocomplete="off" spellcheck="false" '
        'placeholder="Ví dụ: cai cach hanh chinh">'
        "</div>"
        '<div class="sk-cat__sort">'
        '<label for="sk-cat-sort">Sắp xếp</label>'
        '<select id="sk-cat-sort" name="sort">'
        '<option value="new">Mới công nhận nhất</option>'
        '<option value="adopted">Được nhân rộng nhiều nhất</option>'
        '<option value="title">Tên sáng kiến (A-Z)</option>'
        "</select>"
        "</div>"
        '<details class="sk-cat__filters" data-sk-filters open>'
        "<summary>Bộ lọc</summary>"
        '<div class="sk-cat__facets" data-sk-facets></div>'
        '<button type="button" class="md-button sk-cat__reset" data-sk-reset>Xóa bộ lọc</button>'
        "</details>"
        "</form>"
        '<div class="sk-cat__main">'
        '<p class="sk-cat__status" role="status" aria-live="polite" aria-atomic="true" '
        f"data-sk-status>Có {total} sáng kiến trong sổ đăng ký.</p>"
        '<ol class="sk-cat__results" data-sk-results aria-label="Kết quả tra cứu"></ol>'
        '<nav class="sk-cat__pager" data-sk-pager aria-label="Phân trang kết quả" hidden></nav>'
        "</div>"
        f"{_fallback_html(registry, settings)}"
        "</div>"
    )
    return (
        "---\n"
        f"title: {PAGE_TITLE}\n"
        # The page is its own navigation; the table of contents would only take width.
        "hide:\n  - toc\n"
        "description: Lọc các sáng kiến đã được công nhận theo lĩnh vực, cơ quan, cấp, năm, "
        "loại giải pháp và mức sẵn sàng nhân rộng.\n"
        "---\n\n"
        f"# {PAGE_TITLE}\n\n"
        f"Tìm trong {total} sáng kiến một mô hình phù hợp để áp dụng tại đơn vị của bạn: "
        "chọn bộ lọc, gõ từ khóa (có dấu hay không dấu đều được) và sắp xếp kết quả. "
        "Địa chỉ trang luôn ghi lại bộ lọc đang chọn, nên bạn có thể sao chép để gửi cho "
        "đồng nghiệp.\n\n"
        f"{skeleton}\n"
    )


def pages(registry: Registry, settings: Settings) -> Iterable[Page]:
    """Page provider: the catalogue page `tra-cuu/`."""
    return [Page(uri=PAGE_URI, markdown=page_markdown(registry, settings), title=PAGE_TITLE)]
