"""The extension point every generated page and file goes through.

A *page provider* is a function `(registry, settings) -> Iterable[Page]` that returns Markdown
pages; a *file provider* is `(registry, settings, out_dir) -> Iterable[str]` that writes
finished files (JSON, CSV, DOCX, PDF ...) under the built site and returns their site paths.
The MkDocs plugin (generator/site) runs every provider listed below; the built-in pages use
the same mechanism a fork would use to add its own (listing a provider in
`plugins: - sangkien: extra_providers: [...]`).

Nothing here imports mkdocs: pages are plain Markdown so that a move away from MkDocs only
changes generator/site.

A page may keep its HTML blocks (tables, record cards, pagers) aside: its `markdown` then
holds a placeholder line (`<!--sk:0-->`, `<!--sk:1-->` ...) where each block goes, and
`blocks` holds the HTML. Python-Markdown spends most of a generated page's time parsing
those blocks again (a record page: 14 ms, of which the prose takes 3), so the site puts
them back after the conversion (`fill_blocks`). A record page goes further: all of it is
one block, written as HTML with its Markdown fields converted one by one, and it comes with
its table of contents (`Page.body`, `generator.render.prose`). `full_markdown` is the same
page as one Markdown text, for any other tool. A placeholder cannot come from a record: record
prose is converted on its own with raw HTML off (`<` shows as `&lt;`), and plain values are
escaped, before they reach a page.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.config import Settings
from generator.model import Registry
from generator.render.prose import Heading


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
    blocks: tuple[str, ...] = ()
    # A page written as HTML (a record page): `article()` renders it when the site renders
    # the page, so that a build writes it while the search index reads the pages before.
    # Its `markdown` is then the front matter and the placeholder `<!--sk:0-->`.
    body: Callable[[], Article] | None = None

    def article(self) -> Article | None:
        """A page written as HTML, rendered now; None for a page left to Markdown (its
        headings and table of contents come from the Markdown pass)."""
        return self.body() if self.body is not None else None

    def html_blocks(self) -> tuple[str, ...]:
        """What goes in place of the placeholders: the blocks, or the whole article."""
        article = self.article()
        return (article.html,) if article is not None else self.blocks

    @property
    def full_markdown(self) -> str:
        """The page as one Markdown text, its HTML blocks in place of their placeholders."""
        return fill_blocks(self.markdown, self.html_blocks())


@dataclass(frozen=True)
class Article:
    """A page written as HTML: the article, its table of contents, and the pages its
    Markdown links to, as (the link as written, the docs path), for the site to check."""

    html: str
    toc: tuple[Heading, ...]
    links: tuple[tuple[str, str], ...] = ()


_PLACEHOLDER = re.compile(r"<!--sk:(\d+)-->")


class Blocks:
    """Collects a page's HTML blocks while its Markdown is written.

    `add(html)` keeps the block and returns the line to put in the Markdown, with the blank
    lines that make it a block of its own.
    """

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, html: str) -> str:
        if not html:
            return ""
        self.items.append(html.strip("\n"))
        return f"\n{placeholder(len(self.items) - 1)}\n"


def placeholder(n: int) -> str:
    """The line that stands for block `n` in a page's Markdown."""
    return f"<!--sk:{n}-->"


def is_placeholder(text: str) -> bool:
    """True when `text` is one block's placeholder and nothing else."""
    return _PLACEHOLDER.fullmatch(text) is not None


def fill_blocks(text: str, blocks: tuple[str, ...]) -> str:
    """Put each block in place of its placeholder (in Markdown or in the converted HTML)."""
    if not blocks:
        return text
    return _PLACEHOLDER.sub(lambda m: blocks[int(m.group(1))], text)


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
