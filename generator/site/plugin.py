"""The `sangkien` MkDocs plugin: publishes the registry as pages of a Material site.

Event by event (MkDocs 1.6):

* `on_config`: read the settings from the plugin options, load and validate the registry
  once. Errors stop the build with one PluginError listing every diagnostic; content
  warnings (SK3xx: old reviews, long summaries ...) are logged at INFO so that
  `mkdocs build --strict` passes on a registry that is valid but imperfect.
* `on_files`: run every page provider of `generator.render.pages` and add their pages with
  `File.generated`; drop nav entries whose page is absent from this build (with a note).
* `on_page_markdown`: expand `<!-- sangkien:... -->` macros in hand-written pages.
* `on_page_content`: put the HTML blocks of a generated page back in place of their
  placeholders (`generator.render.pages.Blocks`: Python-Markdown does not parse them), and
  hand the page's article to the search index being built (`build` only).
* `on_page_context`: point the edit link of a generated page at its YAML source.
* `on_post_page`: give the web form page its Content-Security-Policy (not under `serve`).
* `on_post_build`: copy our assets and the vendored npm files, run every file provider
  (JSON/CSV/XLSX/Atom, documents, reports), then the search indexer when present. Under
  `build` the file providers run in a forked process started at `on_files`, while MkDocs
  renders the pages on the other core (`_ExportJob`); `on_post_build` waits for it.
* `on_serve`: watch `registry/` and `schema/`.

Under `sangkien serve` builds are "dirty": the registry check reuses what unchanged files
gave last time (`check_registry(incremental=True)`), generated pages are written to a cache
folder only when their text changes, and hand-written pages are rebuilt when their macros
expand differently, so MkDocs re-renders just the pages a YAML edit touched.
"""

from __future__ import annotations

import gc
import importlib
import json
import multiprocessing
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkPage
from mkdocs.structure.toc import get_toc
from mkdocs.utils import normalize_url

from generator import fsio
from generator.config import SETTINGS, Settings, load_settings
from generator.contrib import site as contrib_site
from generator.diagnostics import Diagnostic
from generator.model import Registry
from generator.render import pages as page_registry
from generator.validate.check import CheckResult, check_registry

log = get_plugin_logger(__name__)

HERE = Path(__file__).resolve().parent
ASSETS_DIR = HERE / "assets"
VENDOR_JSON = HERE / "vendor.json"
# Where our own assets land in the built site.
SITE_ASSETS = "assets/sangkien"
SITE_VENDOR = "assets/vendor"
CODE_LICENSE = "MIT"
# Set to "1" by `sangkien build/serve --no-documents` (MkDocs re-creates plugins on each
# serve rebuild, so an environment variable is the one setting that reaches all of them).
NO_DOCUMENTS_ENV = "SANGKIEN_NO_DOCUMENTS"


def _option(default: Any) -> c.BaseConfigOption[Any]:
    if isinstance(default, bool):
        return c.Optional(c.Type(bool))
    if isinstance(default, (int, float)) and not isinstance(default, bool):
        return c.Optional(c.Type((int, float)))
    return c.Optional(c.Type(str))


# A typed Config built from the settings table, so a new Setting is a new plugin option.
_attrs: dict[str, Any] = {
    "enabled": c.Type(bool, default=True),
    "extra_providers": c.ListOfItems(c.Type(str), default=[]),
}
_attrs.update({s.name: _option(s.default) for s in SETTINGS})
SangkienConfig = type("SangkienConfig", (base.Config,), _attrs)


def format_diagnostics(result: CheckResult, lang: str = "vi") -> list[str]:
    """`file:line:col: CODE message` lines, the form editors and CI annotations understand."""
    return [
        f"{d.file}:{max(d.line, 1)}:{max(d.col, 1)}: {d.code} {d.message(lang)}"
        for d in result.errors()
    ]


# Under `mkdocs serve` the plugin is re-created at each rebuild; these survive in the process.
# "written": generated page uri -> (Markdown, HTML blocks or article renderer) last written
# to its cache file;
# "macros": hand-written page uri -> its text with the macros expanded, at the last build.
# "unbuilt": generated pages rewritten since the last build that completed.
_SERVE_STATE: dict[str, Any] = {
    "dirty": False,
    "cache_dir": None,
    "written": {},
    "macros": {},
    "unbuilt": set(),
}


class _PreviewPage(File):
    """A generated page under dirty serve. MkDocs asks twice per build and per page whether
    the source is newer than the HTML (three stat calls each, 11,000 pages); the plugin
    knows: the page is modified when its text was rewritten since the last complete build."""

    def is_modified(self) -> bool:
        return self.src_uri in _SERVE_STATE["unbuilt"]


class _HtmlPage(MkPage):
    """A page the renderer wrote as HTML (a record page): its Markdown is the front matter
    and one placeholder (generator/render/prose.py).

    Converting that placeholder would still cost a new Python-Markdown instance with every
    extension of the site (1 ms; 9% of the build at 10,000 records), so this page keeps it
    as its content; `on_page_content` puts the HTML in its place and sets the table of
    contents. MkDocs lets a plugin give a file its page (`File.page`) before the nav is built.
    """

    def render(self, config: MkDocsConfig, files: Files) -> None:
        body = (self.markdown or "").strip()
        if not page_registry.is_placeholder(body):
            super().render(config, files)  # the text was changed by another plugin
            return
        self.content = body
        self.present_anchor_ids = set()


class SangkienPlugin(BasePlugin[SangkienConfig]):  # type: ignore[valid-type,misc]
    """Loads the registry once per build and adds its pages and exports to the site."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.registry: Registry | None = None
        self.generated_sources: dict[str, str | None] = {}
        # Generated pages with HTML blocks (put back after the Markdown conversion) or
        # written as HTML, by source uri.
        self.page_articles: dict[str, page_registry.Page] = {}
        self.timings: dict[str, float] = {}
        self.command = ""
        # The search index built during `sangkien build` (generator/site/search.py).
        self.search_index: Any = None
        # The data exports written during `sangkien build`, in a forked process.
        self.exports: _ExportJob | None = None

    # ---- configuration -----------------------------------------------------------------
    def on_startup(self, *, command: str, dirty: bool) -> None:
        _SERVE_STATE["dirty"] = bool(dirty and command == "serve")
        self.command = command

    def on_shutdown(self) -> None:
        # The preview's page cache (11,000 files at 10,000 records) lives as long as the server.
        _cancel_idle_collection()
        cache = _SERVE_STATE.get("cache_dir")
        if cache is not None:
            fsio.remove_temp(cache)
        # What was written there goes with it (a later server in this process starts afresh).
        _SERVE_STATE.update(cache_dir=None, written={}, macros={}, unbuilt=set())
        _SERVE_STATE.pop("warned", None)
        _SERVE_STATE.pop("built_once", None)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        start = time.perf_counter()
        if _SERVE_STATE["dirty"]:
            _cancel_idle_collection()
        project = (
            Path(config.config_file_path).resolve().parent
            if config.config_file_path
            else Path.cwd()
        )
        overrides = {
            s.name: self.config.get(s.name) for s in SETTINGS if self.config.get(s.name) is not None
        }
        if os.environ.get(NO_DOCUMENTS_ENV) == "1":
            # `sangkien build/serve --no-documents`: a quick preview without DOCX/PDF.
            overrides["documents"] = False
        overrides.setdefault("site_url", config.site_url)
        overrides.setdefault("repo_url", config.repo_url)
        self.settings = load_settings(project, **overrides)
        if not self.settings.registry_path.is_dir():
            raise PluginError(
                f"Không có thư mục sổ đăng ký / registry folder not found: {self.settings.registry_path}"
            )
        # A serve rebuild checks again only the files changed since the previous build.
        result = check_registry(self.settings, incremental=_SERVE_STATE["dirty"])
        # A serve rebuild prints only the warnings the previous build did not: at 10,000
        # records the others are thousands of lines the terminal already shows.
        shown: set[tuple[Diagnostic, str]] | None = _SERVE_STATE.get("warned")
        warned: set[tuple[Diagnostic, str]] = set()
        repeated = 0
        for d in result.diagnostics:
            if d.effective_severity() != "error":
                if _SERVE_STATE["dirty"]:
                    key = (d, repr(d.args))
                    warned.add(key)
                    if shown is not None and key in shown:
                        repeated += 1
                        continue
                # INFO, not WARNING: content warnings must not fail `--strict` (see module doc).
                log.info(
                    "%s:%s:%s: %s %s",
                    d.file,
                    max(d.line, 1),
                    max(d.col, 1),
                    d.code,
                    d.message("vi"),
                )
        if _SERVE_STATE["dirty"]:
            _SERVE_STATE["warned"] = warned
            if repeated:
                log.info(
                    "%s cảnh báo như lần dựng trước, không in lại / %s warnings as in the "
                    "previous build, not repeated",
                    repeated,
                    repeated,
                )
        errors = format_diagnostics(result)
        if errors:
            raise PluginError(
                f"Sổ đăng ký có {len(errors)} lỗi, không dựng được trang / the registry has "
                f"{len(errors)} errors, the site was not built:\n" + "\n".join(errors)
            )
        self.registry = result.registry
        # The footer template reads the licences from here.
        config.extra["sangkien"] = {
            "content_license": self.settings.content_license,
            "content_license_url": self.settings.content_license_url,
            "code_license": CODE_LICENSE,
        }
        self.timings["load"] = time.perf_counter() - start
        return config

    # ---- pages -------------------------------------------------------------------------
    def _page_providers(self) -> list[Callable[..., Any]]:
        return page_registry.resolve([*page_registry.PAGE_PROVIDERS, *self.config.extra_providers])

    def _file_providers(self) -> list[Callable[..., Any]]:
        extra = [p.replace(":pages", ":write_files") for p in self.config.extra_providers]
        return page_registry.resolve([*page_registry.FILE_PROVIDERS, *extra])

    def _generated_file(
        self, config: MkDocsConfig, uri: str, markdown: str, change: object = ()
    ) -> File:
        cache = _SERVE_STATE.get("cache_dir")
        if not _SERVE_STATE["dirty"] or cache is None:
            return File.generated(config, uri, content=markdown)
        # Dirty serve: back the page by a cached file rewritten only when its text changes,
        # so File.is_modified() is False for every page the edit did not touch. The text last
        # written stays in memory (mostly the very strings the renderers keep between
        # builds): an unchanged page costs a comparison, not reading 11,000 files back.
        # A page's blocks change its HTML as much as its Markdown does; a page written as
        # HTML passes its `body`, which the renderers make anew only when the page changes.
        path = os.path.join(cache, uri)
        written = _SERVE_STATE["written"]
        previous = written.get(uri)
        if previous is None or (
            (previous[0] is not markdown and previous[0] != markdown)
            or (previous[1] is not change and previous[1] != change)
        ):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as out:
                out.write(markdown.encode("utf-8"))
            written[uri] = (markdown, change)
            _SERVE_STATE["unbuilt"].add(uri)
        return _PreviewPage.generated(config, uri, abs_src_path=path)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if not self.config.enabled or self.registry is None or self.settings is None:
            return files
        start = time.perf_counter()
        self.page_articles = {}
        if _SERVE_STATE["dirty"] and _SERVE_STATE["cache_dir"] is None:
            _SERVE_STATE["cache_dir"] = str(fsio.temp_dir("sangkien-serve-"))
        clashes = []
        for provider in self._page_providers():
            for page in _guard(provider, self.registry, self.settings):
                if files.get_file_from_path(page.uri) is not None:
                    clashes.append(page.uri)
                    continue
                # A page written as HTML changes when the renderer makes a new one.
                change = page.blocks or page.body
                file = self._generated_file(config, page.uri, page.markdown, change)
                files.append(file)
                self.generated_sources[page.uri] = page.source
                if page.blocks or page.body:
                    self.page_articles[page.uri] = page
                if page.body:
                    _HtmlPage(None, file, config)
        if clashes:
            raise PluginError(
                "Trang sinh tự động trùng với tệp trong docs/ / generated pages clash with files in docs/: "
                + ", ".join(sorted(clashes))
            )
        for uri, path in asset_files():
            if files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, abs_src_path=str(path)))
        if _SERVE_STATE["dirty"]:
            self._touch_macro_pages(files)
        config.nav = self._prune_nav(config.nav, files)
        self.timings["pages"] = time.perf_counter() - start
        self._start_search_index(files, config)
        self._start_exports(config)
        return files

    def _start_exports(self, config: MkDocsConfig) -> None:
        """`build` only: write the data exports in a forked process while MkDocs renders
        the pages. They read only the registry and write only files MkDocs never writes
        (JSON, CSV, XLSX, Atom, documents), and the site folder was emptied before
        `on_files`. `serve` writes them after its first build, as before."""
        self._close_exports()
        if self.command != "build" or self.registry is None or self.settings is None:
            return
        self.exports = _ExportJob(
            self._file_providers(), self.registry, self.settings, Path(config.site_dir)
        )

    def _close_exports(self) -> None:
        if self.exports is not None:
            self.exports.cancel()
            self.exports = None

    def _start_search_index(self, files: Files, config: MkDocsConfig) -> None:
        """`build` only: index the pages for search while MkDocs renders them (StreamingIndex,
        fed from `on_page_content`), on the second core, instead of after the build. `serve` keeps the simpler path (its
        live-reload threads do not mix with a forked worker) and indexes after its first
        build."""
        self._close_search_index()
        if self.command != "build" or self.registry is None or self.settings is None:
            return
        search = _search_module()
        if search is None or not hasattr(search, "StreamingIndex"):
            return
        rels = [f.dest_uri for f in files.documentation_pages() if search.is_indexed(f.dest_uri)]
        if rels:
            self.search_index = search.StreamingIndex(
                Path(config.site_dir), self.settings, rels, self.registry
            )

    def _close_search_index(self) -> None:
        if self.search_index is not None:
            self.search_index.close()
            self.search_index = None

    def on_build_error(self, *, error: Exception) -> None:
        self._close_search_index()
        self._close_exports()

    def _touch_macro_pages(self, files: Files) -> None:
        """Dirty serve: mark for rebuilding the hand-written pages whose macros changed.

        MkDocs rebuilds a page only when its file is newer than its HTML, but the home
        page's "latest" list changes with the registry, not with docs/index.md. Expanding
        the macros of the few pages that have some tells which ones to rebuild; their HTML
        is dated 1970 so that MkDocs sees them as modified.
        """
        try:
            macros = importlib.import_module("generator.render.macros")
        except ModuleNotFoundError:
            return
        seen: dict[str, str] = _SERVE_STATE["macros"]
        for file in files.documentation_pages():
            if file.generated_by is not None or file.abs_src_path is None:
                continue
            try:
                with open(file.abs_src_path, encoding="utf-8-sig") as src:
                    text = src.read()
            except (OSError, UnicodeDecodeError):
                continue
            if "sangkien:" not in text:
                continue
            # Errors are reported when the page itself is built (on_page_markdown).
            expanded = macros.expand_macros(
                text, file.src_uri, self.registry, self.settings, on_error=lambda _msg: None
            )
            before = seen.get(file.src_uri)
            seen[file.src_uri] = expanded
            if before is not None and before != expanded and os.path.isfile(file.abs_dest_path):
                os.utime(file.abs_dest_path, (0, 0))

    def _prune_nav(self, nav: Any, files: Files) -> Any:
        """Drop nav entries whose Markdown file is not in this build (a feature not installed)."""
        if nav is None:
            return None

        def keep(item: Any) -> Any:
            if isinstance(item, str):
                if "://" in item or item.startswith("/") or not item.endswith(".md"):
                    return item
                if files.get_file_from_path(item) is None and item.endswith("/index.md"):
                    # A section may be one page (`tra-cuu.md`) or a folder (`tra-cuu/index.md`).
                    flat = item[: -len("/index.md")] + ".md"
                    if files.get_file_from_path(flat) is not None:
                        return flat
                if files.get_file_from_path(item) is None:
                    log.info(
                        "Bỏ mục menu không có trang / nav entry without a page dropped: %s", item
                    )
                    return None
                return item
            if isinstance(item, dict):
                out = {}
                for k, v in item.items():
                    kept = keep(v)
                    if kept not in (None, []):
                        out[k] = kept
                return out or None
            if isinstance(item, list):
                return [k for k in (keep(i) for i in item) if k is not None]
            return item

        return keep(nav)

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if _SERVE_STATE["dirty"]:
            # MkDocs makes a new Jinja environment at each build; keeping the compiled
            # templates saves compiling Material's templates again at each serve rebuild.
            env.bytecode_cache = _SERVE_STATE.setdefault("templates", _MemoryBytecodeCache())
        for name in SHARED_PARTIALS:
            _render_once_per_nav_links(env, name)
        return env

    def on_page_markdown(
        self, markdown: str, *, page: MkPage, config: MkDocsConfig, files: Files
    ) -> str | None:
        if (
            not self.config.enabled
            or self.registry is None
            or page.file.src_uri in self.generated_sources
        ):
            return markdown
        try:
            macros = importlib.import_module("generator.render.macros")
        except ModuleNotFoundError:
            return markdown
        return macros.expand_macros(
            markdown, page.file.src_uri, self.registry, self.settings, on_error=log.warning
        )

    def on_page_content(
        self, html: str, *, page: MkPage, config: MkDocsConfig, files: Files
    ) -> str | None:
        generated = self.page_articles.get(page.file.src_uri)
        if generated is not None and generated.body is None:
            html = page_registry.fill_blocks(html, generated.blocks)
        elif generated is not None:
            article = _guard(generated.article, name=_page_name(generated))
            html = page_registry.fill_blocks(html, (article.html,))
            # The Markdown pass saw only the placeholder: the headings are in the article.
            page.toc = get_toc([_toc_token(t) for t in article.toc])
            page.present_anchor_ids = set(_ID_ATTR.findall(html))
            for written, target in article.links:
                if files.get_file_from_path(target) is None:
                    # What MkDocs says of a hand-written page (a warning: `build` is strict).
                    log.warning(
                        "%s: liên kết tới trang không có / link to a missing page: '%s' "
                        "(%s không có trong trang web / is not in the site)",
                        generated.source or page.file.src_uri,
                        written,
                        target,
                    )
        if self.search_index is not None:
            # Indexed from the converted article, while MkDocs converts the other pages.
            self.search_index.page_content(page.file.dest_uri, html, page.title or "")
        return html

    def on_page_context(
        self, context: dict[str, Any], *, page: MkPage, config: MkDocsConfig, nav: Any
    ) -> dict[str, Any]:
        uri = page.file.src_uri
        if uri in self.generated_sources and self.settings is not None:
            source = self.generated_sources[uri]
            page.edit_url = (
                f"{self.settings.repo_url.rstrip('/')}/edit/{self.settings.repo_branch}/{source}"
                if source
                else None
            )
        return context

    def on_post_page(self, output: str, *, page: MkPage, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return output
        if self.command == "serve":
            if not _SERVE_STATE["dirty"]:
                return output
            # A dirty preview keeps the first build's exports, documents and search index
            # (rewriting them at each edit costs far more than the edit): every page says so.
            return _ARTICLE_OPEN.sub(lambda m: m.group(0) + PREVIEW_NOTE, output, count=1)
        # The web form page gets a Content-Security-Policy (generator/contrib/site.py). Not
        # under `serve`: its live-reload script is inline and added after this event.
        if page.file.src_uri == contrib_site.PAGE_URI:
            return contrib_site.with_csp(output)
        return output

    # ---- after the build ---------------------------------------------------------------
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled or self.registry is None or self.settings is None:
            return
        site = Path(config.site_dir)
        if _SERVE_STATE["dirty"] and _SERVE_STATE.get("built_once"):
            # A preview rebuild (`sangkien serve`) re-renders only the pages whose text
            # changed and keeps the exports, documents and search index of the first build:
            # rewriting all of them costs far more than the edit. `sangkien serve --full` and
            # `sangkien build` always write everything.
            log.info(
                "Bản xem trước: giữ dữ liệu xuất và chỉ mục của lần dựng đầu / "
                "preview: exports and index kept from the first build"
            )
            _SERVE_STATE["unbuilt"].clear()
            _collect_when_idle()
            return
        if self.search_index is not None:
            self.search_index.pages_done()
        start = time.perf_counter()
        if self.exports is not None:
            exports, self.exports = self.exports, None
            self.timings["files_in_background"] = exports.wait()
            self.timings["files_wait"] = time.perf_counter() - start
        else:
            for provider in self._file_providers():
                _guard(provider, self.registry, self.settings, site)
            self.timings["files"] = time.perf_counter() - start
        _SERVE_STATE["built_once"] = True
        search = _search_module()
        start = time.perf_counter()
        figures = None
        if self.search_index is not None:
            streaming, self.search_index = self.search_index, None
            figures = _guard(streaming.finish)
            self.timings["search_wait"] = time.perf_counter() - start
        if figures is None and search is not None and hasattr(search, "index_site"):
            # Serve, or nothing was indexed during the build (an empty registry: the home page
            # is indexed instead).
            _guard(search.index_site, site, self.settings)
            self.timings["search"] = time.perf_counter() - start
        log.info(
            "Thời gian / timings: %s", json.dumps({k: round(v, 2) for k, v in self.timings.items()})
        )

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.settings is not None:
            server.watch(str(self.settings.registry_path))
            schema = Path(self.settings.schema_path)
            if schema.is_dir():
                server.watch(str(schema))
        if _SERVE_STATE["dirty"]:
            # The first build is done: every page it wrote is built.
            _SERVE_STATE["unbuilt"].clear()
            _collect_when_idle()
        return server


# Seconds between the end of a serve build and the idle-time garbage collection.
IDLE_COLLECTION_DELAY_S = 0.5


def _collect_when_idle() -> None:
    """Dirty serve, after a build: collect garbage while the server waits for edits, then
    freeze what survives.

    At 10,000 records the process holds millions of objects (the registry, the pages kept
    between builds, MkDocs' files and pages); a full collection scans them all, about a
    second, and one or two used to fall in the middle of every rebuild. Frozen objects are
    skipped by the collector, so the collections during a rebuild only scan what that
    rebuild made. Unfreezing first hands last round's frozen objects back to the
    collector, so garbage is not kept forever.
    """
    _cancel_idle_collection()

    def collect() -> None:
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    timer = threading.Timer(IDLE_COLLECTION_DELAY_S, collect)
    timer.daemon = True
    _SERVE_STATE["collector"] = timer
    timer.start()


def _cancel_idle_collection() -> None:
    """A build is starting: a collection not yet started waits for the next idle time."""
    timer = _SERVE_STATE.pop("collector", None)
    if timer is not None:
        timer.cancel()


# Material's navigation partials: on a page that is not in the nav (every record and listing
# page) nothing in them is active, so two such pages that link to the nav's pages by the same
# relative URLs get the same HTML. Rendering them once per set of URLs instead of once per
# page saved about 15 s of a 10,000-record build (the sidebar nav was 14% of it, profiled).
SHARED_PARTIALS = ("partials/nav.html", "partials/tabs.html")


def _nav_targets(nav: Any, config: Any) -> list[str]:
    """Every URL the navigation partials link to: the nav's pages and links, and the logo."""
    out: list[str] = []

    def walk(items: Any) -> None:
        for item in items:
            if getattr(item, "children", None):
                walk(item.children)
            url = getattr(item, "url", None)
            if url is not None:
                out.append(str(url))

    walk(nav.items)
    theme = config.get("theme") if config is not None else None
    logo = theme.get("logo") if theme is not None else None
    return [*out, str(logo or ""), "."]


def _render_once_per_nav_links(env: jinja2.Environment, name: str) -> None:
    """Make `env` render the partial `name` once per distinct set of nav URLs, for pages
    outside the nav.

    For a page absent from `nav.pages`, what these partials read of the page is the relative
    URL of each nav entry and of the logo (MkDocs' `url` filter, which shortens a shared
    prefix: `../../` and `../../../cap/` are both `cap/` seen from `cap/co-so/trang-2/`);
    the nav and the config are the same for the whole build. So those URLs are the key.
    Pages in the nav render as before.
    """
    try:
        template = env.get_template(name)
    except jinja2.TemplateNotFound:
        return
    render = template.root_render_func
    cache: dict[tuple[str, ...], str] = {}
    nav_state: dict[int, tuple[set[int], list[str]]] = {}

    def root_render_func(context: Any) -> Any:
        page, nav = context.get("page"), context.get("nav")
        if page is None or nav is None or not getattr(page, "url", None):
            yield from render(context)
            return
        state = nav_state.get(id(nav))
        if state is None:
            pages = {id(p) for p in nav.pages}
            state = nav_state[id(nav)] = (pages, _nav_targets(nav, context.get("config")))
        if id(page) in state[0]:
            yield from render(context)
            return
        key = tuple(normalize_url(target, page=page) for target in state[1])
        text = cache.get(key)
        if text is None:
            text = cache[key] = "".join(render(context))
        yield text

    template.root_render_func = root_render_func


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the life of the serve process (a template whose
    source changed fails Jinja's checksum test and is compiled again)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def _search_module() -> Any:
    """generator.site.search, or None when that feature is not installed."""
    try:
        return importlib.import_module("generator.site.search")
    except ModuleNotFoundError as exc:
        if exc.name != "generator.site.search":
            raise
        return None


def _guard(fn: Callable[..., Any], *args: Any, name: str | None = None) -> Any:
    """Call a provider; turn its failure into one PluginError naming it (no traceback).

    A page provider's generator is consumed here too, so that its errors surface inside the
    guard. Set SANGKIEN_DEBUG=1 to see the original traceback.
    """
    name = name or f"{fn.__module__}:{fn.__name__}"
    try:
        result = fn(*args)
        return list(result) if isinstance(result, Iterator) else result
    except PluginError:
        raise
    except Exception as exc:
        if os.environ.get("SANGKIEN_DEBUG") == "1":
            raise
        raise PluginError(
            f"{name} lỗi / failed: {type(exc).__name__}: {exc}\n"
            "(đặt SANGKIEN_DEBUG=1 để xem chi tiết / set SANGKIEN_DEBUG=1 for the traceback)"
        ) from exc


class _ExportJob:
    """The file providers, run in a forked child while the parent goes on rendering pages.

    Forked, so the child shares the loaded registry instead of receiving a copy. It reports
    through a pipe: the seconds it took, or the message of the provider that failed (the
    same message `_guard` gives in the parent, which raises it as the build's error).
    """

    def __init__(
        self,
        providers: list[Callable[..., Any]],
        registry: Registry,
        settings: Settings,
        site: Path,
    ) -> None:
        ctx = multiprocessing.get_context("fork")
        self.conn, child = ctx.Pipe(duplex=False)
        self.process = ctx.Process(
            target=_run_exports,
            args=(providers, registry, settings, site, child),
            name="sangkien-exports",
        )
        self.process.start()
        child.close()

    def wait(self) -> float:
        """Block until the exports are written; their time in the child, in seconds."""
        try:
            kind, value = self.conn.recv()
        except EOFError:
            kind, value = "error", "tiến trình xuất dữ liệu dừng đột ngột / the export process died"
        finally:
            self.process.join()
            self.conn.close()
        if kind == "error":
            raise PluginError(str(value))
        return float(value)

    def cancel(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.conn.close()


def _run_exports(
    providers: list[Callable[..., Any]],
    registry: Registry,
    settings: Settings,
    site: Path,
    conn: Any,
) -> None:
    """The body of the export process; leaves with os._exit so that nothing of the parent
    (its atexit handlers, the search worker pool it forked from) runs again here."""
    status = 0
    try:
        start = time.perf_counter()
        for provider in providers:
            _guard(provider, registry, settings, site)
        conn.send(("ok", time.perf_counter() - start))
    except PluginError as exc:
        conn.send(("error", str(exc)))
        status = 1
    except BaseException as exc:  # anything else still reaches the parent as one message
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        status = 1
    finally:
        conn.close()
        os._exit(status)


def vendor_map() -> dict[str, str]:
    """`generator/site/vendor.json`: npm file under node_modules -> path under assets/vendor/."""
    try:
        return dict(json.loads(VENDOR_JSON.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise PluginError(f"Không đọc được / cannot read {VENDOR_JSON}: {exc}") from exc


def node_modules() -> Path | None:
    """The node_modules folder of the project (or an ancestor of the working directory)."""
    for base_dir in (Path.cwd(), *Path.cwd().parents, HERE.parents[1]):
        candidate = base_dir / "node_modules"
        if candidate.is_dir():
            return candidate
    return None


def asset_files() -> list[tuple[str, Path]]:
    """(site path, source file) of our assets and of the vendored npm files.

    They are added to MkDocs' Files, so MkDocs copies them (and `mkdocs serve` serves them)
    like any static file. A vendored file missing from node_modules stops the build.
    """
    out: list[tuple[str, Path]] = []
    if ASSETS_DIR.is_dir():
        for path in sorted(ASSETS_DIR.rglob("*")):
            if path.is_file():
                out.append((f"{SITE_ASSETS}/{path.relative_to(ASSETS_DIR).as_posix()}", path))
    modules = node_modules()
    missing = []
    for src, target in vendor_map().items():
        path = modules / src if modules else None
        if path is None or not path.is_file():
            missing.append(src)
            continue
        out.append((f"{SITE_VENDOR}/{target}", path))
    if missing:
        raise PluginError(
            "Thiếu tệp từ npm (chạy `npm ci`) / npm files missing (run `npm ci`): "
            + ", ".join(missing)
        )
    return out


def _page_name(page: page_registry.Page) -> str:
    """A generated page in an error message: its URL path and the file it is made from."""
    return f"trang / page {page.uri}" + (f" ({page.source})" if page.source else "")


_ID_ATTR = re.compile(r'\sid="([^"]+)"')
_ARTICLE_OPEN = re.compile(r"<article\b[^>]*\bmd-content__inner\b[^>]*>")
PREVIEW_NOTE = (
    '<div class="admonition note sangkien-preview-note" data-pagefind-ignore>'
    '<p class="admonition-title">Bản xem trước / preview</p>'
    "<p>Dữ liệu xuất (JSON, CSV, XLSX, Atom), tài liệu DOCX/PDF và chỉ mục tìm kiếm là của lần "
    "dựng đầu tiên của máy chủ này; khởi động lại <code>sangkien serve</code> (hoặc dùng "
    "<code>--full</code>) để làm mới. / The data exports, DOCX/PDF documents and search index "
    "are from this server's first build; restart <code>sangkien serve</code> (or use "
    "<code>--full</code>) to refresh them.</p></div>"
)


def _toc_token(heading: Any) -> dict[str, Any]:
    """A `generator.render.prose.Heading` as the token MkDocs builds its TOC from."""
    return {
        "level": heading.level,
        "id": heading.id,
        "name": heading.title,
        "children": [_toc_token(c) for c in heading.children],
    }
