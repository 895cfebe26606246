"""Benchmark of the catalogue and the search: index sizes, indexing time, bytes, latency.

    .venv/bin/python benchmarks/search_bench.py [--counts 1000 10000] [--keep DIR] [--no-browser]
    .venv/bin/python benchmarks/search_bench.py --built SITE_DIR [SITE_DIR ...]

For each count it writes a synthetic registry (benchmarks/synth.py, seed 1) into a scratch
project, builds the site (`sangkien build --no-documents`) and reports:

* catalogue index (api/v1/catalogue.json): bytes raw and gzipped (level 6, what static hosts
  send), and the time `build_index` takes on the loaded registry;
* Pagefind indexing: `index_site` run again on the built site (stand-in pages, then the
  Pagefind CLI), wall and CPU seconds per step (CPU includes worker processes and the
  Pagefind binary: the steadier figure on a shared machine), pages indexed, bundle size;
* bytes to the first search result: the home page (header box) and the search page
  tim-kiem/ opened in headless Chromium from a local server that gzips text like GitHub
  Pages does, a query typed, and the compressed bytes of every response (page, CSS, fonts,
  scripts, Pagefind's worker fetches) counted until the first result shows; for the search
  page also the search part alone;
* catalogue in the browser: time from opening tra-cuu/ until it is ready (download, parse,
  folding), and the time of one update (filtering, facet counts, 20 cards) after typing a
  word, ticking a facet and sorting by title (median of 5 each, measured inside the page).

Figures go to stdout as a table and, with --json, as JSON.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from site_bench import make_project, timed  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
GZIP_TYPES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".csv", ".txt")
# The examples: common words (large index chunks) and a rarer one.
QUERIES = ("cai cach hanh chinh", "dich vu cong", "ma qr")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped for text types when the client accepts it (as GitHub Pages)."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to "dir/"
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in GZIP_TYPES and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(GzipHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def catalogue_figures(project: Path, site: Path) -> dict[str, Any]:
    from generator.config import load_settings
    from generator.render.catalogue import build_index, dumps_index
    from generator.validate.check import check_registry

    raw = (site / "api" / "v1" / "catalogue.json").read_bytes()
    settings = load_settings(project)
    registry = check_registry(settings).registry
    start = time.perf_counter()
    dumps_index(build_index(registry, settings))
    return {
        "catalogue_bytes": len(raw),
        "catalogue_gzip_bytes": len(gzip.compress(raw, compresslevel=6)),
        "catalogue_build_s": round(time.perf_counter() - start, 2),
    }


def pagefind_figures(project: Path, site: Path) -> dict[str, Any]:
    from generator.config import load_settings
    from generator.site.search import index_site

    start = time.perf_counter()
    figures = index_site(site, load_settings(project))
    total = time.perf_counter() - start
    bundle = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
    return {
        "pagefind_pages": figures["pages"],
        "pagefind_prepare_s": figures["prepare_s"],
        "pagefind_prepare_cpu_s": figures["prepare_cpu_s"],
        "pagefind_cli_s": figures["pagefind_s"],
        "pagefind_cli_cpu_s": figures["pagefind_cpu_s"],
        "pagefind_total_s": round(total, 2),
        "pagefind_bundle_bytes": bundle,
    }


def browser_figures(site: Path) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    server, base = serve(site)
    out: dict[str, Any] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                out.update(_first_result_bytes(browser, base))
                out.update(_catalogue_latency(browser, base))
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return out


def _visit_bytes(browser: Any, url: str, box: str, hit: str, query: str) -> tuple[int, int]:
    """Open `url`, type `query` into `box`, wait for the first `hit`; return the compressed
    bytes (bodies + headers, as received) before typing and up to the first result.

    Counted from Playwright's finished requests, which include the Pagefind web worker's
    fetches (the index chunks), unlike the page's own DevTools session. Only requests that
    started before the first result was drawn count: the page goes on fetching after it (the
    "đ" spellings of plain-d words, the filter lists), and whether those finish before the
    count is taken would otherwise depend on timing.
    """
    context = browser.new_context()
    try:
        page = context.new_page()
        finished: list[Any] = []
        context.on("requestfinished", lambda request: finished.append(request))
        page.goto(url, wait_until="networkidle")
        before = len(finished)
        # The moment the first result is drawn, in the same clock as request.timing.
        page.evaluate(
            """(hit) => {
                window.__skFirst = null;
                new MutationObserver((_, observer) => {
                    if (document.querySelector(hit)) {
                        window.__skFirst = performance.timeOrigin + performance.now();
                        observer.disconnect();
                    }
                }).observe(document.body, {childList: true, subtree: true});
            }""",
            hit,
        )
        page.locator(box).fill(query)
        page.locator(hit).first.wait_for(timeout=120_000)
        first = page.evaluate("() => window.__skFirst")
        page.wait_for_load_state("networkidle")
        counted = list(finished)

        def size(requests: list[Any]) -> int:
            total = 0
            for request in requests:
                sizes = request.sizes()
                total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
            return total

        searched = [r for r in counted[before:] if first is None or r.timing["startTime"] <= first]
        return size(counted[:before]), size(searched)
    finally:
        context.close()


def _first_result_bytes(browser: Any, base: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for query in QUERIES:
        key = query.replace(" ", "_")
        page_bytes, search_bytes = _visit_bytes(
            browser, base, "#sk-search-q", "#sk-search-panel .sk-hit", query
        )
        out[f"first_result_header_{key}_bytes"] = page_bytes + search_bytes
        page_bytes, search_bytes = _visit_bytes(
            browser, base + "tim-kiem/", "#sk-find-q", ".sk-find__results .sk-hit", query
        )
        out[f"first_result_page_{key}_bytes"] = page_bytes + search_bytes
        out[f"first_result_page_{key}_search_only_bytes"] = search_bytes
    return out


def _catalogue_latency(browser: Any, base: str) -> dict[str, Any]:
    page = browser.new_page()
    start = time.perf_counter()
    page.goto(base + "tra-cuu/")
    page.wait_for_selector("[data-sk-catalogue][data-sk-ready]", timeout=60_000)
    ready = time.perf_counter() - start

    def update_ms(action: Any) -> float:
        page.evaluate(
            "document.querySelector('[data-sk-catalogue]').removeAttribute('data-sk-update-ms')"
        )
        action()
        page.wait_for_function(
            "() => document.querySelector('[data-sk-catalogue]').hasAttribute('data-sk-update-ms')"
        )
        return float(page.get_attribute("[data-sk-catalogue]", "data-sk-update-ms"))

    typed, ticked, sorted_ = [], [], []
    box = page.locator("input[type=checkbox][data-facet]").first
    for word in ("cai", "chuyen doi", "ma qr", "tthc", "dich vu"):
        typed.append(update_ms(lambda w=word: page.locator("#sk-cat-q").fill(w)))
    page.locator("#sk-cat-q").fill("")
    for _ in range(5):
        ticked.append(update_ms(lambda: box.click()))
    for mode in ("title", "adopted", "new", "title", "new"):
        sorted_.append(update_ms(lambda m=mode: page.locator("#sk-cat-sort").select_option(m)))
    page.close()
    return {
        "catalogue_ready_s": round(ready, 2),
        "catalogue_type_ms": round(statistics.median(typed), 1),
        "catalogue_facet_ms": round(statistics.median(ticked), 1),
        "catalogue_sort_ms": round(statistics.median(sorted_), 1),
        "catalogue_sort_max_ms": round(max(sorted_), 1),
    }


def bench(count: int, work: Path, browser: bool, strict: bool) -> dict[str, Any]:
    project = make_project(work, count, seed=1)
    site = work / f"site-{count}"
    cmd = [
        sys.executable,
        "-m",
        "generator",
        "build",
        "-q",
        "--no-documents",
        "--site-dir",
        str(site),
    ]
    if not strict:
        cmd.append("--no-strict")
    wall, rss, _cpu = timed(cmd, cwd=project)
    row: dict[str, Any] = {"count": count, "build_s": round(wall, 1), "build_peak_mb": rss}
    row.update(catalogue_figures(project, site))
    row.update(pagefind_figures(project, site))
    if browser and Path(CHROMIUM).exists():
        row.update(browser_figures(site))
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--keep", type=Path, help="work folder to keep (default: a temp folder)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium figures")
    parser.add_argument("--no-strict", action="store_true", help="build with warnings allowed")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument(
        "--built",
        type=Path,
        nargs="+",
        help="already built sites: only measure the catalogue file and the browser figures",
    )
    args = parser.parse_args()
    if args.built:
        for site in args.built:
            raw = (site / "api" / "v1" / "catalogue.json").read_bytes()
            row = {
                "site": str(site),
                "catalogue_bytes": len(raw),
                "catalogue_gzip_bytes": len(gzip.compress(raw, compresslevel=6)),
                **browser_figures(site),
            }
            for key, value in row.items():
                print(f"{key:<48} {value}", flush=True)
        return 0
    work = args.keep or Path(tempfile.mkdtemp(prefix="search-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for count in args.counts:
        row = bench(count, work, not args.no_browser, not args.no_strict)
        rows.append(row)
        for key, value in row.items():
            print(f"{count:>6} {key:<48} {value}", flush=True)
    if args.json:
        print(json.dumps(rows, indent=2))
    print(f"(cpu: {os.cpu_count()}, work: {work})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
