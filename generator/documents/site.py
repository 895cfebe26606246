"""Documents for the site: every guide, the blank forms and the training handouts.

`write_files(registry, settings, out_dir)` writes

* `tai-lieu/huong-dan/<slug>.docx|.pdf` for every initiative,
* `tai-lieu/mau/don-yeu-cau-cong-nhan.docx|.pdf`, `tai-lieu/mau/ban-mo-ta-sang-kien.docx|.pdf`,
* `tai-lieu/dao-tao/<module>.docx|.pdf` for each page of docs/training/ and
  `tai-lieu/dao-tao/khoa-hoc.pdf` (the whole course),

and returns their site paths. Nothing is written when `settings.documents` is False.

Conversions are cached by content: the key is a hash of the document's Markdown (which
already contains everything taken from the record and the registry), the format and the
template hash (generator version, layout, template code). An unchanged record costs one
Markdown rendering and a file copy; only changed ones go through pandoc/typst. Conversions
run in a thread pool: pandoc is a subprocess and typst releases the interpreter while it
compiles. Cache entries not used by a build are removed at its end.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.config import Settings
from generator.documents.blocks import centered_title, page_break
from generator.documents.convert import Item, convert_many, copy_atomic, diagnostics
from generator.documents.export import GUIDE_TITLE
from generator.documents.forms import FORM_KINDS, form_markdown
from generator.documents.guide import guide_markdown
from generator.documents.reference import template_hash
from generator.documents.sanitise import ATTACHMENTS, Dropped
from generator.model import Registry
from generator.render.pages import Page

# MkDocs shows the records of its own logger tree; the name is a string, not an import.
log = logging.getLogger("mkdocs.plugins.generator.documents")

GUIDE_DIR = "tai-lieu/huong-dan"
FORM_DIR = "tai-lieu/mau"
TRAINING_DIR = "tai-lieu/dao-tao"
COURSE_PDF = f"{TRAINING_DIR}/khoa-hoc.pdf"
TRAINING_SOURCE = "docs/training"


@dataclass(frozen=True)
class Job:
    """One document to produce: where it goes and how to make its Markdown."""

    site_path: str
    fmt: str
    title: str
    markdown: Callable[[], str]
    # What an error names: the record's YAML file, or the page the handout comes from.
    source: str | None = None


def cache_dir(settings: Settings) -> Path:
    return Path(settings.project_dir) / ".cache" / "sangkien" / "documents"


def _key(markdown: str, fmt: str, tmpl: str) -> str:
    h = hashlib.sha256()
    h.update(tmpl.encode())
    h.update(fmt.encode())
    h.update(markdown.encode("utf-8"))
    return h.hexdigest()[:32]


def _attachments_stamp(settings: Settings, job: Job) -> str:
    """The record's attachments folder as names, sizes and times: an image the document may
    show changes the document (its Markdown names the image, not its bytes)."""
    if not job.source or not job.source.endswith(".yml"):
        return ""
    folder = Path(settings.project_dir) / ATTACHMENTS / Path(job.source).stem
    if not folder.is_dir():
        return ""
    rows = []
    for p in sorted(folder.rglob("*")):
        try:
            st = p.lstat()
        except OSError:
            continue
        rows.append(f"{p.relative_to(folder)}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(["", *rows])


def pages(registry: Registry, settings: Settings) -> Iterable[Page]:
    """No generated pages: the training pages are hand-written in docs/training/."""
    return []


# ---- training handouts -----------------------------------------------------------------------
_HTML_TAG = re.compile(r"</?(?:small|span|div|nav|abbr|kbd|br|a)\b[^>]*>", re.I)
_HANDOUT_DIRECTIVE = re.compile(r"^.*<!--\s*sangkien:handout-links\b[^>]*-->.*$", re.M)
_MD_LINK = re.compile(r"\]\((?!https?:|mailto:|#)([^)\s]+)\)")
_ADMONITION = re.compile(r"^(!!!|\?\?\?\+?)\s*(\w+)(?:\s+\"([^\"]*)\")?\s*$")


def training_modules(settings: Settings) -> list[Path]:
    """The training pages in course order (file names sort: 01-..., 02-...)."""
    folder = Path(settings.project_dir) / TRAINING_SOURCE
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.md") if p.name != "index.md")


def module_slug(path: Path) -> str:
    return path.stem


def _absolute_links(markdown: str, page_uri: str, settings: Settings) -> str:
    """Relative page links -> absolute site URLs, so links work in a printed/saved handout."""
    base = settings.site_url.rstrip("/") + "/"
    page_dir = page_uri.rsplit("/", 1)[0] + "/" if "/" in page_uri else ""

    def repl(m: re.Match[str]) -> str:
        target = m.group(1)
        parts = (page_dir + target).split("/")
        stack: list[str] = []
        for part in parts:
            if part == "..":
                if stack:
                    stack.pop()
            elif part and part != ".":
                stack.append(part)
        path = "/".join(stack)
        if path.endswith("index.md"):
            path = path[: -len("index.md")]
        elif path.endswith(".md"):
            path = path[:-3] + "/"
        return f"]({base}{path})"

    return _MD_LINK.sub(repl, markdown)


def _print_markdown(markdown: str) -> str:
    """Site-only syntax -> plain Markdown: admonitions become bold-titled paragraphs."""
    out: list[str] = []
    in_admonition = False
    for line in markdown.split("\n"):
        m = _ADMONITION.match(line)
        if m:
            title = m.group(3) or m.group(2).capitalize()
            out += ["", f"**{title}**", ""]
            in_admonition = True
            continue
        if in_admonition:
            if line.startswith("    "):
                out.append(line[4:])
                continue
            if line.strip():
                in_admonition = False
        out.append(line)
    text = "\n".join(out)
    # Front matter and the handout download line belong to the web page only.
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    text = re.sub(r"\{[:#.][^}\n]*\}", "", text)
    return _HTML_TAG.sub("", text)


HANDOUT_TITLE = "TÀI LIỆU BỒI DƯỠNG VỀ SÁNG KIẾN"


def handout_markdown(
    path: Path, registry: Registry, settings: Settings, target: str = "md", *, heading: bool = True
) -> str:
    """A training page as print Markdown: macros expanded, links absolute, no site syntax.

    With `heading`, the handout opens with the document title block for `target`.
    """
    page_uri = f"training/{path.name}"
    # The download buttons belong to the web page, not to the handout they point at.
    text = _HANDOUT_DIRECTIVE.sub("", path.read_text(encoding="utf-8"))
    try:
        from generator.render.macros import expand_macros

        text = expand_macros(text, page_uri, registry, settings)
    except ModuleNotFoundError:  # pragma: no cover - macros ship with the render layer
        pass
    body = _absolute_links(_print_markdown(text), page_uri, settings)
    if not heading:
        return body
    subtitle = f"Sổ đăng ký sáng kiến tỉnh {settings.province}"
    return centered_title(target, HANDOUT_TITLE, subtitle) + "\n" + body


# ---- jobs and the build ----------------------------------------------------------------------
def jobs(registry: Registry, settings: Settings) -> list[Job]:
    """Every document of the site."""
    out: list[Job] = []
    for ini in registry.initiatives.values():
        for fmt in ("docx", "pdf"):
            out.append(
                Job(
                    f"{GUIDE_DIR}/{ini.slug}.{fmt}",
                    fmt,
                    f"{GUIDE_TITLE}: {ini.title}",
                    lambda ini=ini, fmt=fmt: guide_markdown(ini, registry, settings, target=fmt),
                    ini.source,
                )
            )
    for kind, (title, stem) in FORM_KINDS.items():
        for fmt in ("docx", "pdf"):
            out.append(
                Job(
                    f"{FORM_DIR}/{stem}.{fmt}",
                    fmt,
                    title,
                    lambda kind=kind, fmt=fmt: form_markdown(
                        kind, None, None, settings, target=fmt
                    ),
                )
            )
    modules = training_modules(settings)
    for path in modules:
        for fmt in ("docx", "pdf"):
            out.append(
                Job(
                    f"{TRAINING_DIR}/{module_slug(path)}.{fmt}",
                    fmt,
                    path.stem,
                    lambda path=path, fmt=fmt: handout_markdown(path, registry, settings, fmt),
                    f"{TRAINING_SOURCE}/{path.name}",
                )
            )
    if modules:

        def course() -> str:
            parts = []
            index = Path(settings.project_dir) / TRAINING_SOURCE / "index.md"
            if index.is_file():
                parts.append(handout_markdown(index, registry, settings, "pdf"))
            for p in modules:
                parts.append(page_break("pdf"))
                parts.append(handout_markdown(p, registry, settings, "pdf", heading=False))
            return "\n\n".join(parts)

        out.append(Job(COURSE_PDF, "pdf", "Khoá bồi dưỡng về sáng kiến", course, TRAINING_SOURCE))
    return out


# PDFs whose Markdown goes through one pandoc run.
_BATCH = 50


def _workers() -> int:
    return max(1, min(8, os.cpu_count() or 1))


def build_documents(
    registry: Registry, settings: Settings, out_dir: Path, todo: list[Job] | None = None
) -> tuple[list[str], dict[str, int]]:
    """Produce `todo` (default: every job) under out_dir; returns site paths and counts.

    Only a full build (no `todo`) prunes the cache: a partial one cannot know what the
    other documents need.
    """
    full = todo is None
    todo = jobs(registry, settings) if todo is None else todo
    cache = cache_dir(settings)
    cache.mkdir(parents=True, exist_ok=True)
    tmpl = template_hash()
    stats = {"converted": 0, "cached": 0}
    used: set[str] = set()
    sources: list[Path] = []
    pending: list[tuple[Job, str, Path]] = []
    dropped: list[Dropped] = []
    for job in todo:
        md = job.markdown()
        cached = cache / f"{_key(md + _attachments_stamp(settings, job), job.fmt, tmpl)}.{job.fmt}"
        sources.append(cached)
        # Two identical documents (same Markdown) are converted once.
        if cached.is_file() or cached.name in used:
            stats["cached"] += 1
            dropped += _load_dropped(cached)
        else:
            pending.append((job, md, cached))
        used.add(cached.name)

    if pending:
        # Build the shared inputs once before the threads race for them.
        from generator.documents.fonts import font_dir
        from generator.documents.reference import reference_docx

        font_dir(settings.project_dir)
        reference_docx(cache)
        batches: list[list[tuple[Job, str, Path]]] = []
        for fmt in sorted({job.fmt for job, _md, _p in pending}):
            group = [item for item in pending if item[0].fmt == fmt]
            size = max(1, min(_BATCH, -(-len(group) // _workers())))
            batches += [group[i : i + size] for i in range(0, len(group), size)]

        def run_batch(batch: list[tuple[Job, str, Path]]) -> list[Dropped]:
            # One pandoc run parses the whole batch; a failure names the record's file.
            items = [Item(md, job.fmt, cached, job.title, job.source) for job, md, cached in batch]
            found = convert_many(
                items,
                project_dir=settings.project_dir,
                cache_dir=cache,
                max_image_bytes=settings.attachment_max_bytes,
            )
            out: list[Dropped] = []
            for (_job, _md, cached), d in zip(batch, found, strict=True):
                _save_dropped(cached, d)
                out += d
            return out

        with ThreadPoolExecutor(max_workers=_workers()) as pool:
            futures = [pool.submit(run_batch, b) for b in batches]
            for f in futures:
                dropped += f.result()
        stats["converted"] = len(pending)
    for d in diagnostics(dropped, settings.project_dir):
        log.warning(
            "%s:%d:%d: %s %s / %s", d.file, max(d.line, 1), max(d.col, 1), d.code,
            d.message("vi"), d.message("en"),
        )  # fmt: skip
    written = []
    for job, src in zip(todo, sources, strict=True):
        copy_atomic(src, out_dir / job.site_path)
        written.append(job.site_path)
    if full:
        _prune(cache, used, tmpl)
    return written, stats


_DROPPED = ".dropped.json"


def _save_dropped(cached: Path, dropped: list[Dropped]) -> None:
    """What the filter dropped, kept beside the cached document: a cached build warns too."""
    side = cached.with_name(cached.name + _DROPPED)
    if dropped:
        rows = [[d.code, d.source, d.field, [list(a) for a in d.args]] for d in dropped]
        side.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    else:
        side.unlink(missing_ok=True)


def _load_dropped(cached: Path) -> list[Dropped]:
    side = cached.with_name(cached.name + _DROPPED)
    try:
        rows = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [Dropped(c, s, f, tuple((str(k), str(v)) for k, v in args)) for c, s, f, args in rows]


def _prune(cache: Path, used: set[str], tmpl: str) -> None:
    """Remove documents no build needs any more (edited or deleted records, old templates)."""
    for p in cache.iterdir():
        if p.name.endswith(_DROPPED):
            if p.name[: -len(_DROPPED)] not in used:
                p.unlink(missing_ok=True)
        elif (
            p.suffix in (".docx", ".pdf")
            and p.name not in used
            and not p.name.startswith("reference-")
        ) or (p.name.startswith("reference-") and tmpl not in p.name):
            p.unlink(missing_ok=True)


def write_files(registry: Registry, settings: Settings, out_dir: Path) -> list[str]:
    """The site's file provider: every document, unless `documents: false`."""
    if not settings.documents:
        return []
    written, _stats = build_documents(registry, settings, Path(out_dir))
    return written
