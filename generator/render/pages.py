"""The extension point every generated page and file goes through.

A *page provider* is a function `(registry, settings) -> Iterable[Page]` that returns Markdown
pages; a *file provider* is `(registry, settings, out_dir) -> Iterable[str]` that writes
finished files (JSON, CSV, DOCX, PDF ...) under the built site and returns their site paths.
The MkDocs plugin (generator/site) runs every provider listed below; the built-in pages use
the same mechanism a fork would use to add its own (listing a provider in
`plugins: - sangkien: extra_providers: [...]`).

Nothing here imports mkdocs: pages are plain Markdown so that a move away from MkDocs only
changes generator/site.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.config import Settings
from generator.model import Registry


@dataclass(frozen=True)
class Page:
    """One generated Markdown page.

    `uri` is the path of the Markdown file inside the docs tree, e.g.
    `sang-kien/qng-2024-0007.md` (served at `sang-kien/qng-2024-0007/`). `source` is the
    project-relative file the page is made from (for the "Sửa trang này" edit link), or None.
    """

    uri: str
    markdown: str
    source: str | None = None
    title: str | None = None


PageProvider = Callable[[Registry, Settings], Iterable[Page]]
FileProvider = Callable[[Registry, Settings, Path], Iterable[str]]

# "module:function" names, imported lazily; a provider whose module is not present is skipped.
PAGE_PROVIDERS: list[str] = [
    "generator.render.site_pages:pages",
    "generator.render.catalogue:pages",
    "generator.render.search_page:pages",
    "generator.documents.site:pages",
    "generator.reports.site:pages",
    "generator.contrib.site:pages",
]
FILE_PROVIDERS: list[str] = [
    "generator.render.api:write_files",
    "generator.render.catalogue:write_files",
    "generator.documents.site:write_files",
    "generator.reports.site:write_files",
]


def resolve(names: Iterable[str]) -> list[Callable[..., Any]]:
    out = []
    for name in names:
        module_name, _, attr = name.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        fn = getattr(module, attr, None)
        if fn is not None:
            out.append(fn)
    return out
