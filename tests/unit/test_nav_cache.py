"""Material navigation partials, rendered once per set of nav URLs (plugin._render_once_per_nav_links)."""

from __future__ import annotations

from dataclasses import dataclass, field

import jinja2
from mkdocs.utils.templates import url_filter

from generator.site.plugin import _render_once_per_nav_links

# What the partial reads: each nav entry's URL through MkDocs' `url` filter.
NAV = '{% for item in nav.items %}<a href="{{ item.url | url }}">{{ item.title }}</a>{% endfor %}'


@dataclass(eq=False)
class Item:
    title: str
    url: str
    children: list[Item] = field(default_factory=list)


@dataclass
class Nav:
    items: list[Item]

    @property
    def pages(self) -> list[Item]:
        return self.items


def env() -> jinja2.Environment:
    e = jinja2.Environment(loader=jinja2.DictLoader({"partials/nav.html": NAV, "page.html": ""}))
    e.filters["url"] = url_filter
    e.globals["config"] = {"theme": {"logo": "assets/logo.svg"}}
    return e


def render(e: jinja2.Environment, page: Item, nav: Nav) -> str:
    template = e.get_template("partials/nav.html")
    depth = page.url.count("/")
    return template.render(page=page, nav=nav, base_url="/".join([".."] * depth) or ".")


def test_pages_outside_the_nav_get_the_links_they_would_get_without_the_cache() -> None:
    nav = Nav([Item("Trang chủ", ""), Item("Theo cấp", "cap/"), Item("Theo lĩnh vực", "linh-vuc/")])
    # Same depth, different folders: MkDocs shortens a link into the page's own section
    # (`../../` for `linh-vuc/` from `linh-vuc/x/trang-2/`), so the depth alone is no key.
    pages = [
        Item("a", "linh-vuc/x/trang-2/"),
        Item("b", "cap/co-so/trang-2/"),
        Item("c", "sang-kien/qng-1/"),
        Item("d", "sang-kien/qng-2/"),
        Item("e", "cap/co-so/trang-3/"),
    ]
    plain = env()
    expected = [render(plain, page, nav) for page in pages]
    cached = env()
    _render_once_per_nav_links(cached, "partials/nav.html")
    assert [render(cached, page, nav) for page in pages] == expected
    assert expected[1] != expected[0]


def test_a_page_in_the_nav_is_rendered_for_itself() -> None:
    home, levels = Item("Trang chủ", ""), Item("Theo cấp", "cap/")
    nav = Nav([home, levels])
    e = env()
    e.loader = jinja2.DictLoader(
        {"partials/nav.html": "{% for item in nav.items %}{{ item == page }}{% endfor %}"}
    )
    _render_once_per_nav_links(e, "partials/nav.html")
    assert render(e, home, nav) == "TrueFalse"
    assert render(e, levels, nav) == "FalseTrue"


def test_a_missing_partial_is_left_alone() -> None:
    e = env()
    _render_once_per_nav_links(e, "partials/none.html")
    assert render(e, Item("a", "x/"), Nav([])) == ""
