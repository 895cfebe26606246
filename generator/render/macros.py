"""Macros for hand-written pages: `<!-- sangkien:NAME key=value ... -->` becomes Markdown.

The MkDocs plugin calls `expand_macros` on every hand-written page. Each macro is a function
`(args: dict[str, str], page_uri: str, registry, settings) -> str` registered in `MACROS`;
several engineers add their own macros here, each owning their functions. An unknown macro
or a bad argument is left visible as an admonition (and logged by the plugin) rather than
silently dropped.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from datetime import date

from generator.config import Settings
from generator.model import Initiative, Registry
from generator.render.browse import cards, newest_first
from generator.render.common import (
    AGENCY_PATH,
    FIELD_PATH,
    LEVEL_PATH,
    TYPE_PATH,
    YEAR_PATH,
    index_uri,
    md_link,
)
from generator.render.training_macros import TRAINING_MACROS
from generator.text.vn import format_number

Macro = Callable[[dict[str, str], str, Registry, Settings], str]

_MACRO_RE = re.compile(r"<!--\s*sangkien:([a-z][a-z0-9_-]*)((?:\s+[^\s>]+)*)\s*-->")


class MacroError(ValueError):
    """A macro called with arguments it cannot use."""


def _limit(args: dict[str, str], default: int) -> int:
    try:
        n = int(args.get("limit", default))
    except ValueError as exc:
        raise MacroError(
            f"limit phải là số / limit must be a number: {args.get('limit')!r}"
        ) from exc
    return max(1, min(n, 50))


def _cards(items: list[Initiative], page_uri: str, registry: Registry, settings: Settings) -> str:
    if not items:
        return "Chưa có sáng kiến nào."
    return cards(items, registry, settings, page_uri)


def key_figures(args: dict[str, str], page_uri: str, registry: Registry, settings: Settings) -> str:
    """Four figures: initiatives, agencies with records, provincial-level or above, adoptions."""
    inis = list(registry.initiatives.values())
    agencies = {i.agency for i in inis}
    provincial = sum(1 for i in inis if i.status_level in ("tinh", "toan-quoc"))
    adoptions = sum(i.adoption_count for i in inis)
    figures = [
        (len(inis), "sáng kiến trong sổ"),
        (len(agencies), "cơ quan, đơn vị có sáng kiến"),
        (provincial, "sáng kiến cấp tỉnh trở lên"),
        (adoptions, "lượt nhân rộng sang đơn vị khác"),
    ]
    items = "\n".join(
        f"<li><strong>{format_number(n)}</strong> <span>{text}</span></li>" for n, text in figures
    )
    return f'<ul class="sk-figures" aria-label="Số liệu chính">\n{items}\n</ul>'


def latest(args: dict[str, str], page_uri: str, registry: Registry, settings: Settings) -> str:
    """The most recently recognized initiatives."""
    recognized = [i for i in registry.initiatives.values() if i.is_recognized]
    return _cards(newest_first(recognized)[: _limit(args, 5)], page_uri, registry, settings)


def most_adopted(
    args: dict[str, str], page_uri: str, registry: Registry, settings: Settings
) -> str:
    """The initiatives copied by the most other units."""
    items = [i for i in registry.initiatives.values() if i.adoption_count]
    items.sort(
        key=lambda i: (-i.adoption_count, -(i.latest_decision_date or date.min).toordinal(), i.id)
    )
    return _cards(items[: _limit(args, 5)], page_uri, registry, settings)


def examples(args: dict[str, str], page_uri: str, registry: Registry, settings: Settings) -> str:
    """Examples from one field (`field=...`) or of one solution type (`type=...`)."""
    items = list(registry.initiatives.values())
    if "field" in args:
        if args["field"] not in registry.fields:
            raise MacroError(f"không có lĩnh vực / no such field: {args['field']}")
        items = [i for i in items if args["field"] in i.fields]
    if "type" in args:
        items = [i for i in items if args["type"] in i.solution_types]
    return _cards(newest_first(items)[: _limit(args, 3)], page_uri, registry, settings)


def browse_links(
    args: dict[str, str], page_uri: str, registry: Registry, settings: Settings
) -> str:
    """Links to the five browse sections."""
    from generator.render.browse import SECTION_TITLES

    kinds = (AGENCY_PATH, FIELD_PATH, YEAR_PATH, LEVEL_PATH, TYPE_PATH)
    return "\n".join(f"- [{SECTION_TITLES[k]}]({md_link(page_uri, index_uri(k))})" for k in kinds)


def agency_figures(
    args: dict[str, str], page_uri: str, registry: Registry, settings: Settings
) -> str:
    """An agency's own figures year by year (`agency=ID`), rolled up over merged units.

    The figures belong to the reports layer; it is looked up through the same lazy
    "module:function" mechanism as the page providers, so render never imports it directly.
    """
    from generator.render.pages import resolve

    agency = args.get("agency", "")
    if agency not in registry.agencies:
        raise MacroError(f"không có cơ quan / no such agency: {agency!r}")
    found = resolve(["generator.reports.site:agency_figures_markdown"])
    if not found:
        return ""
    # Markdown links from this page's file to the docs root (MkDocs checks and rewrites them).
    return found[0](registry, agency, settings, up="../" * page_uri.count("/"))


MACROS: dict[str, Macro] = {
    "agency-figures": agency_figures,
    "key-figures": key_figures,
    "latest": latest,
    "most-adopted": most_adopted,
    "examples": examples,
    "browse-links": browse_links,
}

# Training-course macros (docs/training/), owned by the documents engineer.
MACROS.update(TRAINING_MACROS)


def parse_args(text: str) -> dict[str, str]:
    """`field=cai-cach-hanh-chinh limit=3` -> {"field": ..., "limit": "3"}."""
    out: dict[str, str] = {}
    for token in shlex.split(text):
        key, sep, value = token.partition("=")
        if not sep:
            raise MacroError(
                f"đối số phải có dạng khoá=giá trị / argument must be key=value: {token!r}"
            )
        out[key] = value
    return out


def expand_macros(
    markdown: str,
    page_uri: str,
    registry: Registry,
    settings: Settings,
    *,
    on_error: Callable[[str], None] | None = None,
) -> str:
    """Replace every `<!-- sangkien:NAME ... -->` directive in a hand-written page.

    A failing macro shows a visible error box in the page and is reported to `on_error`
    (the plugin logs it as a warning, so `mkdocs build --strict` fails).
    """

    def repl(m: re.Match[str]) -> str:
        name = m.group(1)
        fn = MACROS.get(name)
        try:
            if fn is None:
                raise MacroError(f"không có macro / unknown macro: {name}")
            return fn(parse_args(m.group(2)), page_uri, registry, settings)
        except (MacroError, ValueError) as exc:
            if on_error is not None:
                on_error(f"{page_uri}: macro {name}: {exc}")
            return f'\n!!! failure "Lỗi macro `{name}` / macro error"\n    {exc}\n'

    return _MACRO_RE.sub(repl, markdown)
