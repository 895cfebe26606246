"""The built-in page provider: one page per initiative and the browse pages.

Listed first in `generator.render.pages.PAGE_PROVIDERS`; a fork adds its own providers the
same way.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.config import Settings
from generator.model import Registry
from generator.render.browse import browse_pages
from generator.render.common import initiative_uri
from generator.render.initiative import initiative_markdown
from generator.render.pages import Page


def pages(registry: Registry, settings: Settings) -> Iterator[Page]:
    """Every initiative page (edit link -> its YAML file), then every browse page."""
    for ini in registry.initiatives.values():
        yield Page(
            uri=initiative_uri(ini),
            markdown=initiative_markdown(ini, registry, settings),
            source=ini.source,
            title=ini.title,
        )
    yield from browse_pages(registry, settings)
