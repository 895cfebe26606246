"""Helpers shared by the page renderers: enum labels from the schema, links, page URIs.

Enum labels come from the JSON Schemas' `x-enum-labels`, the single source of truth, so a
label changed in the schema changes everywhere (site, documents, web form).

URIs here are Markdown paths inside the docs tree (`sang-kien/qng-2024-0007.md`); the site
uses directory URLs, so that page is served at `sang-kien/qng-2024-0007/`.
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path
from typing import Any

from generator.config import Settings
from generator.model import Initiative, Registry

PAGE_SIZE = 50

LEVEL_PATH = "cap"
AGENCY_PATH = "co-quan"
FIELD_PATH = "linh-vuc"
YEAR_PATH = "nam"
TYPE_PATH = "loai"


@cache
def _schema_labels(schema_dir: str) -> dict[str, dict[str, str]]:
    """Map a property name to its enum labels, collected from every schema file."""
    out: dict[str, dict[str, str]] = {}

    def walk(node: Any, name: str | None) -> None:
        if isinstance(node, dict):
            labels = node.get("x-enum-labels")
            if isinstance(labels, dict) and name:
                out.setdefault(name, {}).update(labels)
            for key, value in node.items():
                if key == "properties" and isinstance(value, dict):
                    for prop, sub in value.items():
                        walk(sub, prop)
                elif key != "x-enum-labels":
                    walk(value, name)
        elif isinstance(node, list):
            for item in node:
                walk(item, name)

    for path in sorted(Path(schema_dir).glob("*.schema.json")):
        try:
            walk(json.loads(path.read_text(encoding="utf-8")), None)
        except (OSError, ValueError):
            continue
    return out


@cache
def _labels_for(project_dir: str, schema_dir: str) -> dict[str, dict[str, str]]:
    # Settings.schema_path touches the file system; resolve it once per project.
    return _schema_labels(str(Settings(project_dir=project_dir, schema_dir=schema_dir).schema_path))


def label(settings: Settings, prop: str, value: str | None) -> str:
    """The Vietnamese label of an enum value (`level`, `co-so` -> "Cấp cơ sở")."""
    if value is None:
        return ""
    return _labels_for(settings.project_dir, settings.schema_dir).get(prop, {}).get(value, value)


def labels(settings: Settings, prop: str) -> dict[str, str]:
    """All labels of one enum property, in schema order."""
    return dict(_labels_for(settings.project_dir, settings.schema_dir).get(prop, {}))


def recognition_result(settings: Settings, kind: str | None, outcome: str | None) -> str:
    """What a recognition decided, in the words of the decision.

    A granted recognition reads as its kind, the legal label ("Công nhận sáng kiến", or
    "Công nhận phạm vi ảnh hưởng, hiệu quả áp dụng" for a provincial-scope decision), never a
    bare "Đạt"; any other outcome reads as the outcome ("Yêu cầu bổ sung", "Không đạt").
    """
    if (outcome or "dat") == "dat":
        return label(settings, "kind", kind or "cong-nhan")
    return label(settings, "outcome", outcome)


# ---- URIs and links ----------------------------------------------------------------------
def initiative_uri(ini: Initiative | str) -> str:
    slug = ini.slug if isinstance(ini, Initiative) else ini.lower()
    return f"sang-kien/{slug}.md"


def listing_uri(kind: str, key: str | int, page: int = 1) -> str:
    """`co-quan/so-khcn/index.md`, then `co-quan/so-khcn/trang-2.md` ..."""
    base = f"{kind}/{key}"
    return f"{base}/index.md" if page == 1 else f"{base}/trang-{page}.md"


def index_uri(kind: str) -> str:
    return f"{kind}/index.md"


def md_link(from_uri: str, to_uri: str) -> str:
    """Relative link between two Markdown files (MkDocs checks and rewrites these).

    Always climbs to the docs root then descends (`../../co-quan/x/index.md`): MkDocs
    normalises the path, and a link that depends only on the depth of the page lets a
    listing reuse the same card text on every page of the same depth.
    """
    return "../" * from_uri.count("/") + to_uri


@cache
def url_dir(uri: str) -> str:
    """The directory a page is served from: `a/b.md` -> `a/b/`, `a/index.md` -> `a/`."""
    stem = uri[: -len(".md")] if uri.endswith(".md") else uri
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
        return stem
    return stem + "/"


def site_link(from_uri: str, site_path: str) -> str:
    """Relative URL from a page to a file of the built site that is not a page (JSON, PDF)."""
    depth = url_dir(from_uri).count("/")
    return "../" * depth + site_path


def page_link(from_uri: str, to_uri: str) -> str:
    """Relative URL from one page to another as served, for links written as HTML.

    The structured parts of generated pages (tables, cards, pagers) are HTML blocks, which
    Python-Markdown passes through untouched (see `generator.render.html`), so their links
    must already be what the browser follows: `sang-kien/x.md` links to `co-quan/y/index.md`
    as `../../co-quan/y/`. The built-site link test checks every one of them.
    """
    return site_link(from_uri, url_dir(to_uri))


def edit_url(settings: Settings, source: str | None) -> str | None:
    """The repository's edit page for a project-relative file."""
    if not source:
        return None
    return f"{settings.repo_url.rstrip('/')}/edit/{settings.repo_branch}/{source}"


def meta_text(text: str) -> str:
    """A record's text made safe for page metadata (`title`, `description`).

    Material prints `page.meta.title` and `description` into the HTML without escaping, and
    passes titles through `striptags`, which *unescapes* entities; so `<` and `>` become the
    look-alike ‹ › (they can never form a tag again) and the rest is HTML-escaped.
    """
    return html.escape(text.replace("<", "‹").replace(">", "›"), quote=True)


def front_matter(**values: Any) -> str:
    """YAML front matter; values are JSON-encoded, which YAML reads back unchanged.

    `title` and `description` go through `meta_text`: they come from untrusted records.
    """
    lines = ["---"]
    for key, value in values.items():
        if value is not None:
            if key in ("title", "description") and isinstance(value, str):
                value = meta_text(value)
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def agency_display(
    registry: Registry, agency_id: str, name_at_time: str | None = None
) -> tuple[str, list[str]]:
    """The name to show (as printed at the time) and the names of today's agencies if it ceased."""
    agency = registry.agencies.get(agency_id)
    shown = name_at_time or (agency.name if agency else agency_id)
    now: list[str] = []
    if agency and agency.ceased:
        now = [a.id for a in registry.current_agencies(agency_id) if a.id != agency_id]
    return shown, now
