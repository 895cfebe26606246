"""Full-text search: run Pagefind on the built site, with Vietnamese folding added.

The MkDocs plugin calls `index_site(site_dir, settings)` at the very end of `on_post_build`.
Pagefind (PyPI `pagefind[bin]`, the binary ships inside the wheel) indexes static HTML and
loads its index in small chunks, so no search server is needed and a first query downloads a
few hundred kilobytes even at 10,000 records.

What is indexed, and how, is decided here rather than in the page templates, so that the
templates need no Pagefind markup. For each page worth searching (records under `sang-kien/`,
the training section and a few guides; never listing pages, which would only repeat records)
a small stand-in page is written to a temporary folder at the same relative path, holding:

* the page's main content (`<article class="md-content__inner">`) as `data-pagefind-body`;
* filters `cap`, `linh-vuc`, `nam`, `co-quan`, `loai-trang` and display metadata (title,
  agency, year, level) as `<meta>` tags, taken from `api/v1/catalogue.json` in the built site
  (written by generator/render/catalogue.py), so the registry is not loaded a second time;
* a low-weight block of extra words for what Pagefind does not do by itself, measured in
  its browser tests: words with "đ" again with "d" (Pagefind strips tone marks but keeps "đ",
  so "doi moi" would not find "đổi mới"), the expansion of every abbreviation on the page
  ("TTHC" -> "thu tuc hanh chinh") and the abbreviations of phrases spelled out
  ("chuyển đổi số" -> "cds").

Pagefind then runs on that folder and writes its bundle to `<site>/pagefind/` (first into a
temporary folder, then moved into place, so a failed run never leaves half an index).
URLs in the index are relative to the site root, exactly as if the real pages were indexed.
"""

from __future__ import annotations

import html
import json
import multiprocessing
import os
import re
import resource
import shutil
import subprocess
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from generator import fsio
from generator.config import Settings
from generator.render.initiative import DESCRIPTION_SECTIONS
from generator.text.vn import ABBREVIATIONS, fold, slugify

BUNDLE_DIR = "pagefind"
# In the bundle: the folders of the other parts of the index, for the browser to merge.
PARTS_FILE = "sangkien-parts.json"
CATALOGUE_INDEX = "api/v1/catalogue.json"
# Pages that answer a search. Listing pages (browse, catalogue, statistics) only repeat the
# records and would push them down the results.
INDEXED_GLOBS: tuple[str, ...] = (
    "sang-kien/*/index.html",
    "training/index.html",
    "training/**/index.html",
    "dong-gop/index.html",
    "du-lieu-mo/index.html",
)
# Material furniture inside the article that is not content.
EXCLUDE_SELECTORS = ".headerlink, .md-content__button, .md-source-file, script, style, form"
# The kind of page, a filter so the search page can show only records.
PAGE_KINDS = {"sang-kien": "Sáng kiến", "training": "Đào tạo"}
OTHER_KIND = "Hướng dẫn"
# Below the default weight 1: the extra words help a page be found, not rank above a page
# that has the words as written.
EXTRA_WEIGHT = "0.5"
# Below this many pages, spawning worker processes costs more than it saves.
PARALLEL_MIN_PAGES = 400


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site; the message is bilingual and names the cause."""


@dataclass(frozen=True)
class RecordFacts:
    """What the search shows and filters on for one initiative page."""

    title: str
    agency: str
    year: str
    level: str | None
    fields: tuple[str, ...]


# ---- finding Pagefind ------------------------------------------------------------------------
def pagefind_command() -> list[str]:
    """The command that runs the Pagefind binary shipped in the `pagefind_bin` wheel."""
    try:
        from pagefind_bin import get_executable  # type: ignore[import-untyped]
    except ImportError as exc:
        raise SearchIndexError(
            "Không tìm thấy Pagefind; hãy cài `pagefind[bin]` (scripts/setup.sh). / "
            "Pagefind is not installed; install `pagefind[bin]` (scripts/setup.sh)."
        ) from exc
    try:
        return [str(get_executable())]
    except FileNotFoundError as exc:
        raise SearchIndexError(
            f"Gói pagefind_bin thiếu tệp chạy / the pagefind_bin package has no binary: {exc}"
        ) from exc


# ---- reading the built pages -------------------------------------------------------------
_ARTICLE_START = re.compile(r"<article\b[^>]*\bmd-content__inner\b[^>]*>", re.I)
_MAIN_START = re.compile(r"<main\b[^>]*>", re.I)
_TITLE = re.compile(r"<title>(.*?)</title>", re.I | re.S)
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.I | re.S)
_WORD = re.compile(r"[\w&]+")


def main_content(page_html: str) -> str | None:
    """The inner HTML of the page's main article, or None when the page has none."""
    match = _ARTICLE_START.search(page_html)
    if match:
        end = page_html.rfind("</article>")
        if end > match.end():
            return page_html[match.end() : end]
    match = _MAIN_START.search(page_html)
    if match:
        end = page_html.rfind("</main>")
        if end > match.end():
            return page_html[match.end() : end]
    return None


def page_title(page_html: str) -> str:
    """The page's own title: its first heading, else the <title> without the site name."""
    for pattern in (_H1, _TITLE):
        match = pattern.search(page_html)
        if match:
            text = html.unescape(_TAG.sub("", match.group(1)))
            text = text.replace("¶", "").strip()
            if pattern is _TITLE:
                text = text.split(" - ")[0].strip()
            if text:
                return " ".join(text.split())
    return ""


def plain_text(fragment: str) -> str:
    """Visible text of an HTML fragment (scripts and tags removed, entities decoded)."""
    return html.unescape(_TAG.sub(" ", _SCRIPT.sub(" ", fragment)))


class _StripMarks(dict[int, str | None]):
    """`str.translate` table dropping combining marks, filled per character on first use."""

    def __missing__(self, code: int) -> str | None:
        value = None if unicodedata.combining(chr(code)) else chr(code)
        self[code] = value
        return value


_STRIP_MARKS = _StripMarks()


def pagefind_fold(text: str) -> str:
    """Text as Pagefind compares it: lower case, tone and vowel marks dropped, "đ" kept."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return unicodedata.normalize("NFC", decomposed.translate(_STRIP_MARKS))


def _abbreviation_tables() -> tuple[dict[str, str], dict[str, list[str]]]:
    """From generator.text.vn.ABBREVIATIONS: folded abbreviation -> folded expansion, and
    " folded expansion " -> the abbreviation as a visitor may type it ("cds" and "cđs":
    Pagefind keeps đ apart from d)."""
    expansion_of: dict[str, str] = {}
    abbreviations_of: dict[str, list[str]] = {}
    for abbr, expansion in ABBREVIATIONS.items():
        phrase = " ".join(_WORD.findall(fold(expansion)))
        expansion_of.setdefault(fold(abbr), phrase)
        forms = abbreviations_of.setdefault(f" {phrase} ", [])
        for form in (fold(abbr), pagefind_fold(abbr)):
            if form not in forms:
                forms.append(form)
    return expansion_of, abbreviations_of


_EXPANSION_OF, _ABBREVIATIONS_OF = _abbreviation_tables()


def extra_words(text: str) -> str:
    """Words to index next to `text` so that Vietnamese queries typed loosely still match.

    * words with đ/Đ written with d (Pagefind folds tone marks but not đ);
    * expansions of the abbreviations used in `text` (generator.text.vn.ABBREVIATIONS),
      folded;
    * abbreviations of the phrases `text` spells out, folded and, for those written with Đ,
      also with đ ("cds" and "cđs").

    Each word appears once; words Pagefind already sees in `text` are left out. This runs on
    every indexed page, so it folds the text once and looks phrases up as substrings rather
    than calling vn.expand_abbreviations / vn.abbreviation_synonyms (same tables, several
    passes over the text each), which made indexing 10,000 pages several times slower.
    """
    words = _WORD.findall(pagefind_fold(text))
    present = set(words)
    out: list[str] = []

    def add(new: Iterable[str]) -> None:
        for word in new:
            if word and word not in present:
                present.add(word)
                out.append(word)

    # Pagefind matches "đổi" when asked "đoi"/"đổi", never "doi": index the d-form too.
    add(w.replace("đ", "d") for w in dict.fromkeys(w for w in words if "đ" in w))
    folded = [w.replace("đ", "d") for w in words]
    joined = f" {' '.join(folded)} "
    for abbr in dict.fromkeys(w for w in folded if w in _EXPANSION_OF):
        phrase = _EXPANSION_OF[abbr]
        if f" {phrase} " not in joined:
            add(phrase.split())
    for phrase, forms in _ABBREVIATIONS_OF.items():
        if phrase in joined:
            add(forms)
    return " ".join(out)


# ---- facts from the catalogue index ----------------------------------------------------------
def record_facts(site_dir: Path) -> dict[str, RecordFacts]:
    """Facts per initiative slug, from the catalogue index in the built site (empty if absent)."""
    path = site_dir / CATALOGUE_INDEX
    try:
        index = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return facts_from_index(index)


def facts_from_index(index: dict[str, Any]) -> dict[str, RecordFacts]:
    """Facts per initiative slug, from a catalogue index (generator.render.catalogue)."""
    cols = {name: n for n, name in enumerate(index.get("cols", []))}
    facets = index.get("facets", {})
    needed = ("id", "title", "agency", "fields", "level", "year")
    if not all(name in cols for name in needed):
        return {}
    agencies = [label for _, label in facets.get("agencies", [])]
    fields = [label for _, label in facets.get("fields", [])]
    levels = [label for _, label in facets.get("levels", [])]
    out: dict[str, RecordFacts] = {}
    for row in index.get("rows", []):
        level_no = row[cols["level"]]
        out[str(row[cols["id"]]).lower()] = RecordFacts(
            title=row[cols["title"]],
            agency=agencies[row[cols["agency"]]],
            year=str(row[cols["year"]]),
            level=levels[level_no] if 0 <= level_no < len(levels) else None,
            fields=tuple(fields[f] for f in row[cols["fields"]]),
        )
    return out


# ---- stand-in pages --------------------------------------------------------------------------
# The sections of a record page that are indexed (heading ids, as the toc extension writes
# them): the description. The rest (metrics, recognition timeline, replication steps,
# adopters, downloads) repeats the same vocabulary on every record, so indexing it made every
# record match every common query, doubled Pagefind's memory (about 400 bytes per indexed
# word: 3.2 GB at 10,000 records) and swelled the index chunks a first search downloads.
RECORD_SECTION_IDS = frozenset(slugify(heading) for heading, _ in DESCRIPTION_SECTIONS)
_H2_ID = re.compile(r'<h2\b[^>]*\bid="([^"]*)"', re.I)
# The facts table's label cells ("Cơ quan", "Năm" ...): the same words on every record.
_LABEL_CELL = re.compile(r"<td>\s*<strong>[^<]*</strong>\s*</td>", re.I)
_TABLE_HEAD = re.compile(r"<thead>.*?</thead>", re.I | re.S)


def record_search_content(content: str) -> str:
    """What of a record page's article is indexed: the header (title, badges, the facts'
    values, the summary) and the description sections; the rest of the page is left out."""
    heads = list(_H2_ID.finditer(content))
    if not heads:
        return content
    header = content[: heads[0].start()]
    kept = [_LABEL_CELL.sub("", _TABLE_HEAD.sub("", header))]
    ends = [m.start() for m in heads[1:]] + [len(content)]
    for match, end in zip(heads, ends, strict=True):
        if match.group(1) in RECORD_SECTION_IDS:
            kept.append(content[match.start() : end])
    return "".join(kept)


def _meta(name: str, value: str, attr: str = "data-pagefind-filter") -> str:
    return f'<meta {attr}="{html.escape(name)}[content]" content="{html.escape(value)}">'


def stand_in_content(rel: str, content: str, title: str, facts: RecordFacts | None) -> str:
    """The HTML Pagefind indexes in place of the page at `rel`, made from the page's article
    (MkDocs' `page.content`, or `main_content` of the written page) and its title, which a
    record's facts replace."""
    if facts is not None:
        content = record_search_content(content)
    title = facts.title if facts else (page_title(content) or title)
    kind = PAGE_KINDS.get(rel.split("/", 1)[0], OTHER_KIND)
    head = [
        '<meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        _meta("title", title, "data-pagefind-meta"),
        _meta("loai-trang", kind),
    ]
    if facts:
        head += [
            _meta("co-quan", facts.agency),
            _meta("nam", facts.year),
            _meta("agency", facts.agency, "data-pagefind-meta"),
            _meta("year", facts.year, "data-pagefind-meta"),
        ]
        head += [_meta("linh-vuc", f) for f in facts.fields]
        if facts.level:
            head += [_meta("cap", facts.level), _meta("level", facts.level, "data-pagefind-meta")]
    extra = extra_words(plain_text(content))
    extra_html = (
        f'<div data-pagefind-weight="{EXTRA_WEIGHT}">{html.escape(extra)}</div>' if extra else ""
    )
    return (
        '<!doctype html><html lang="vi"><head>'
        + "".join(head)
        + "</head><body><main data-pagefind-body>"
        + content
        + extra_html
        + "</main></body></html>"
    )


def is_indexed(rel: str) -> bool:
    """Whether the page written at site-relative `rel` goes into the search index."""
    path = PurePosixPath(rel)
    return not rel.startswith(f"{BUNDLE_DIR}/") and any(
        path.full_match(pattern) if hasattr(path, "full_match") else _glob_match(rel, pattern)
        for pattern in INDEXED_GLOBS
    )


def _glob_match(rel: str, pattern: str) -> bool:
    # Path.glob semantics for the patterns above, on Python < 3.13 (no PurePath.full_match):
    # "*" stays within one folder, "**/" spans any number of them.
    regex = re.escape(pattern).replace(r"\*\*/", "(?:[^/]+/)*").replace(r"\*", "[^/]*")
    return re.fullmatch(regex, rel) is not None


def pages_to_index(site_dir: Path) -> list[str]:
    """Site-relative paths of the HTML pages that go into the search index, sorted."""
    found: set[str] = set()
    for pattern in INDEXED_GLOBS:
        for path in site_dir.glob(pattern):
            if path.is_file() and BUNDLE_DIR not in path.relative_to(site_dir).parts[:1]:
                found.add(path.relative_to(site_dir).as_posix())
    return sorted(found)


def _write_stand_ins(job: tuple[str, str, list[tuple[str, str]], dict[str, RecordFacts]]) -> int:
    """Write the stand-ins of written pages (`index_site`); return how many had an article."""
    site, out, pairs, facts = job
    written = 0
    for rel, target_rel in pairs:
        article = _article_on_disk(Path(site), rel)
        if article is not None:
            _write_stand_in(Path(out) / target_rel, *article, facts)
            written += 1
    return written


def _write_stand_in(
    target: Path, rel: str, content: str, title: str, facts: dict[str, RecordFacts]
) -> None:
    """Write the stand-in of the page at `rel` from its article and title to `target`."""
    slug = rel.split("/")[1] if rel.startswith("sang-kien/") else ""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(stand_in_content(rel, content, title, facts.get(slug)), encoding="utf-8")


def _article_on_disk(site_dir: Path, rel: str) -> tuple[str, str, str] | None:
    """(rel, article, title) of a written page, or None when it has no article."""
    page_html = (site_dir / rel).read_text(encoding="utf-8", errors="replace")
    content = main_content(page_html)
    return None if content is None else (rel, content, page_title(page_html))


def _chunks(items: list[str], n: int) -> Iterator[list[str]]:
    size = max(1, -(-len(items) // n))
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _workers(settings: Settings) -> int:
    return settings.jobs if settings.jobs > 0 else (os.cpu_count() or 1)


def index_parts(rels: list[str], part_pages: int) -> list[list[str]]:
    """The pages to index split into parts of at most `part_pages` (at least one part).

    Pagefind holds the whole index in memory while it builds it (measured at 10,000 records:
    2.35 GB in one run, 1.29 GB for the larger of two), so a large registry is indexed in
    parts, one Pagefind run each, and the browser merges them (`mergeIndex`). Parts cost the
    visitor bytes: each part has its own index chunks, so a query loads one chunk per word
    per part (at 10,000 records, two parts add 300-400 KB to a first search of common
    syllables). Hence the default of 5,000 pages: one part up to there.
    """
    size = max(1, part_pages)
    return [rels[i : i + size] for i in range(0, len(rels), size)] or [[]]


def part_dir(number: int) -> str:
    """Folder in the staging bundle of part `number` (from 0), as Pagefind writes it; the
    first part indexed becomes the primary index when the bundle is published."""
    return f"part-{number + 1}"


def write_stand_ins(
    site_dir: Path, out_dir: Path, settings: Settings, parts: list[list[str]] | None = None
) -> list[int]:
    """Write the stand-in page of every page to index, part `n` into `out_dir/<n>/`; return
    how many each part got (pages without an article are skipped)."""
    if parts is None:
        parts = [pages_to_index(site_dir)]
    facts = record_facts(site_dir)
    pairs = [(n, (rel, f"{n}/{rel}")) for n, part in enumerate(parts) for rel in part]
    workers = _workers(settings)
    if len(pairs) < PARALLEL_MIN_PAGES or workers < 2:
        counts = [
            _write_stand_ins((str(site_dir), str(out_dir), [p for m, p in pairs if m == n], facts))
            for n in range(len(parts))
        ]
        return counts
    # One job per (part, worker) slice, so each part's count is known.
    jobs: list[tuple[int, tuple[str, str, list[tuple[str, str]], dict[str, RecordFacts]]]] = []
    for n, part in enumerate(parts):
        for chunk in _chunks(part, workers):
            slugs = {r.split("/")[1] for r in chunk if r.startswith("sang-kien/")}
            sub = {s: facts[s] for s in slugs if s in facts}
            jobs.append((n, (str(site_dir), str(out_dir), [(r, f"{n}/{r}") for r in chunk], sub)))
    counts = [0] * len(parts)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for (n, _), written in zip(
            jobs, pool.map(_write_stand_ins, [j for _, j in jobs]), strict=True
        ):
            counts[n] += written
    return counts


# ---- running Pagefind ------------------------------------------------------------------------
def run_pagefind(source: Path, bundle: Path) -> subprocess.CompletedProcess[str]:
    """Run the Pagefind CLI on `source`, writing its bundle to `bundle`."""
    command = [
        *pagefind_command(),
        "--site",
        str(source),
        "--output-path",
        str(bundle),
        "--force-language",
        "vi",
        "--exclude-selectors",
        EXCLUDE_SELECTORS,
        "--quiet",
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise SearchIndexError(f"Không chạy được Pagefind / cannot run Pagefind: {exc}") from exc
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()
        raise SearchIndexError(
            f"Pagefind lỗi (mã {done.returncode}) khi lập chỉ mục tìm kiếm / Pagefind failed "
            f"(exit {done.returncode}) while indexing {source}:\n{detail}"
        )
    return done


def index_site(site_dir: Path, settings: Settings) -> dict[str, Any]:
    """Build the Pagefind search index of the built site in `site_dir`, after the build.

    Writes `<site_dir>/pagefind/` (replacing an older one only once the new one is complete)
    and returns figures for the build log: pages indexed, parts, wall and CPU seconds per
    step. Raises SearchIndexError (bilingual message) when Pagefind is missing or fails.
    The plugin normally uses StreamingIndex instead, which does the same during the build.
    """
    site_dir = Path(site_dir)
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    rels = pages_to_index(site_dir)
    if not rels and (site_dir / "index.html").is_file():
        # A new registry with no records yet: Pagefind refuses an empty site, and the search
        # box should still work, so the home page is indexed.
        rels = ["index.html"]
    parts = index_parts(rels, settings.search_bundle_pages)
    with tempfile.TemporaryDirectory(prefix="sangkien-search-") as tmp:
        source = Path(tmp)
        counts = write_stand_ins(site_dir, source, settings, parts)
        prepared, cpu_prepared = time.perf_counter(), _cpu_seconds()
        if sum(counts) == 0:
            raise SearchIndexError(
                f"Không có trang nào để lập chỉ mục tìm kiếm trong {site_dir} / "
                f"no page to index for search in {site_dir}"
            )
        staging = fsio.temp_dir(".pagefind-", site_dir)
        try:
            # Parts run one after another: running them together would add up their memory.
            # A part whose pages all had no article has nothing to index and is left out.
            indexed = []
            for n, count in enumerate(counts):
                if count:
                    run_pagefind(source / str(n), staging / part_dir(n))
                    shutil.rmtree(source / str(n), ignore_errors=True)
                    indexed.append(part_dir(n))
            _publish(staging, site_dir, indexed)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    done, cpu_done = time.perf_counter(), _cpu_seconds()
    return {
        "pages": sum(counts),
        "parts": len(indexed),
        "prepare_s": round(prepared - started, 2),
        "pagefind_s": round(done - prepared, 2),
        "prepare_cpu_s": round(cpu_prepared - cpu_started, 2),
        "pagefind_cpu_s": round(cpu_done - cpu_prepared, 2),
    }


def _publish(staging: Path, site_dir: Path, part_dirs: list[str]) -> None:
    """Turn the indexed parts in `staging` into `<site_dir>/pagefind/`: the first part becomes
    the primary index (the bundle folder itself), the others stay in their folders and are
    listed in PARTS_FILE; an older bundle is replaced only now, in one rename."""
    primary, *others = part_dirs
    for item in (staging / primary).iterdir():
        item.rename(staging / item.name)
    (staging / primary).rmdir()
    (staging / PARTS_FILE).write_text(
        json.dumps({"parts": [f"{d}/" for d in others]}, ensure_ascii=False), encoding="utf-8"
    )
    final = site_dir / BUNDLE_DIR
    old = None
    if final.exists():
        old = site_dir / f".{BUNDLE_DIR}-old-{os.getpid()}"
        final.rename(old)
    staging.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


_WORKER_FACTS: dict[str, RecordFacts] = {}


def _init_streaming_worker(registry: Any, settings: Settings) -> None:
    """In StreamingIndex's worker (forked: the registry is not copied, only shared): the
    record facts, from the same catalogue index the build writes, computed here so that the
    MkDocs process does not wait for them."""
    from generator.render.catalogue import build_index

    _WORKER_FACTS.update(facts_from_index(build_index(registry, settings)))


# Pages whose stand-ins StreamingIndex's worker writes in one job.
STAND_IN_BATCH = 250


def _stand_in_batch(job: tuple[str, list[tuple[str, str, str]]]) -> int:
    """In StreamingIndex's worker: write the stand-ins of some pages of one part into
    `source`, from their (rel, article HTML, title); return how many were written."""
    source, items = job
    for rel, content, title in items:
        _write_stand_in(Path(source) / rel, rel, content, title, _WORKER_FACTS)
    return len(items)


def _index_part(job: tuple[str, str]) -> None:
    """In StreamingIndex's worker: run Pagefind on the stand-ins of one part (written by
    the batches before it) into `target`, then remove them."""
    source, target = job
    try:
        if any(Path(source).rglob("*.html")):
            run_pagefind(Path(source), Path(target))
    finally:
        shutil.rmtree(source, ignore_errors=True)


class StreamingIndex:
    """The search index, built while MkDocs is still writing the other pages.

    MkDocs renders pages one after another on one core, in two passes: it converts every
    page's Markdown, then puts every page in the theme's template and writes it. The plugin
    hands each page's converted article to the index as soon as it exists (`page_content`,
    from `on_page_content`, in the first pass); a worker process on the other core writes the
    stand-ins, `STAND_IN_BATCH` at a time, and once it has every page of a part of the index,
    runs Pagefind on that part, while MkDocs goes on. The second pass (templates and writing,
    a third of the build) then covers the last part's Pagefind run, which waited for the last
    page's Markdown. Indexing the written pages instead (`on_post_page`) left 25 s of a
    10,000-record build to wait for Pagefind after the last page.

    One worker, so parts are indexed one at a time and Pagefind's memory is that of one
    part. `finish()` (after the build) indexes what is left, waits, and publishes
    `<site>/pagefind/` as `index_site` does; the result is the same index (the same bytes
    for a query, measured at 10,000), built in the shadow of the page rendering instead of
    after it.
    """

    def __init__(self, site_dir: Path, settings: Settings, rels: list[str], registry: Any) -> None:
        self.site_dir = Path(site_dir)
        self.parts = index_parts(sorted(rels), settings.search_bundle_pages)
        self.part_of = {rel: n for n, part in enumerate(self.parts) for rel in part}
        self.waiting = [len(part) for part in self.parts]
        self.ready: list[int] = []
        # (rel, article, title) of each part's pages whose stand-ins are not asked for yet.
        self.pending: list[list[tuple[str, str, str]]] = [[] for _ in self.parts]
        self.reported: set[str] = set()
        self.batches: dict[int, list[Any]] = {}
        self.futures: dict[int, Any] = {}
        self.tmp = fsio.temp_dir("sangkien-search-")
        self.staging: Path | None = None
        # Forked, so the worker shares the loaded registry instead of receiving a copy.
        self.pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_init_streaming_worker,
            initargs=(registry, settings),
        )

    def page_content(self, rel: str, content: str, title: str) -> None:
        """The article of the page at `rel` is converted (on_page_content): queue it; a full
        batch goes to the worker, and a complete part to Pagefind."""
        n = self.part_of.get(rel)
        if n is None or rel in self.reported:
            return
        self.reported.add(rel)
        self.pending[n].append((rel, content, title))
        self.waiting[n] -= 1
        if len(self.pending[n]) >= STAND_IN_BATCH:
            self._send_batch(n)
        if self.waiting[n] == 0:
            self.ready.append(n)
            self._submit_ready()

    def pages_done(self) -> None:
        """Every page is built (on_post_build): the parts still queued go to the worker."""
        self._submit_ready()

    def _send_batch(self, n: int) -> None:
        items, self.pending[n] = self.pending[n], []
        if items and self.pool is not None:
            job = (str(self.tmp / str(n)), items)
            self.batches.setdefault(n, []).append(self.pool.submit(_stand_in_batch, job))

    def _submit_ready(self) -> None:
        while self.ready and self.pool is not None:
            n = self.ready.pop(0)
            self._send_batch(n)
            if self.staging is None:
                # MkDocs creates the site folder only when it writes the first page.
                self.site_dir.mkdir(parents=True, exist_ok=True)
                self.staging = fsio.temp_dir(".pagefind-", self.site_dir)
            job = (str(self.tmp / str(n)), str(self.staging / part_dir(n)))
            self.futures[n] = self.pool.submit(_index_part, job)

    def finish(self) -> dict[str, Any] | None:
        """Index the parts still waiting, wait for all and publish the bundle; return figures
        for the build log, or None when no page was indexed (the caller falls back to
        `index_site`, which indexes the home page of an empty registry)."""
        waiting_from = time.perf_counter()
        for n, left in enumerate(self.waiting):
            if left > 0:
                # Pages MkDocs did not report (none in a normal build): those on disk are
                # indexed all the same, from their written HTML.
                unreported = [
                    rel
                    for rel in self.parts[n]
                    if rel not in self.reported and (self.site_dir / rel).is_file()
                ]
                for rel in unreported:
                    article = _article_on_disk(self.site_dir, rel)
                    if article is not None:
                        self.pending[n].append(article)
                self.ready.append(n)
        self.waiting = [0] * len(self.parts)
        self._submit_ready()
        try:
            for future in self.futures.values():
                future.result()
            counts = {
                n: sum(batch.result() for batch in self.batches.get(n, []))
                for n in sorted(self.futures)
            }
            indexed = [part_dir(n) for n, count in counts.items() if count]
            if not indexed or self.staging is None:
                return None
            _publish(self.staging, self.site_dir, indexed)
            self.staging = None
            return {
                "pages": sum(counts.values()),
                "parts": len(indexed),
                "wait_after_build_s": round(time.perf_counter() - waiting_from, 2),
            }
        finally:
            self.close()

    def close(self) -> None:
        """Stop the worker and remove the temporary folders (also when the build failed)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        fsio.remove_temp(self.tmp)
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (workers, Pagefind): on a shared
    machine the steadier figure than wall time."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
