"""The built-in page provider: one page per initiative and the browse pages.

Listed first in `generator.render.pages.PAGE_PROVIDERS`; a fork adds its own providers the
same way.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.config import Settings
from generator.model import Initiative, Registry
from generator.render.browse import browse_pages
from generator.render.initiative import initiative_page
from generator.render.memo import generation, same
from generator.render.pages import Page

# id -> (record, context generation, its related records' (id, title), page): a record page
# reads the record, the agencies, fields and settings, and the titles of the records it
# lists as related. Serve rebuilds re-render only the pages whose inputs changed.
_PAGES: dict[str, tuple[Initiative, int, tuple[tuple[str, str], ...], Page]] = {}


def record_page(ini: Initiative, registry: Registry, settings: Settings) -> Page:
    """`initiative_page`, reusing the page of an earlier build with equal inputs."""
    gen = generation(registry, settings)
    related = tuple(
        (r, registry.initiatives[r].title) for r in ini.related if r in registry.initiatives
    )
    hit = _PAGES.get(ini.id)
    if hit is not None and hit[1] == gen and hit[2] == related and same(hit[0], ini):
        return hit[3]
    page = initiative_page(ini, registry, settings)
    _PAGES[ini.id] = (ini, gen, related, page)
    return page


def pages(registry: Registry, settings: Settings) -> Iterator[Page]:
    """Every initiative page (edit link -> its YAML file), then every browse page."""
    for ini in registry.initiatives.values():
        yield record_page(ini, registry, settings)
    # Records gone from the registry leave the cache.
    for rid in [r for r in _PAGES if r not in registry.initiatives]:
        del _PAGES[rid]
    yield from browse_pages(registry, settings)
