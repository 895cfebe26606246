"""Record prose: one Markdown configuration, one link and image rule, one HTML allow-list.

Records arrive by pull request, so their Markdown fields (`problem`, `solution` ...,
`replication.steps[].detail`) are untrusted. They are made safe by construction, on what
Python-Markdown *builds*, never by reading the source text with regular expressions
(Python-Markdown accepts more link forms than any such pattern sees):

* `prose_markdown` builds the converter every consumer uses, the site (`render/prose.py`)
  and `validate` alike. Raw HTML is off (the `html_block` preprocessor and the `html`
  inline pattern are removed), so `<script>` is text; `attr_list` (`{: onclick=...}`),
  `md_in_html` and `pymdownx.snippets` (`--8<--`) are not loaded, so they are text too.
* `ProsePolicy`, a tree processor run on the converted tree, looks at every link and image
  Python-Markdown made, whatever syntax made it (nested brackets, reference definitions in
  a quote or a list, autolinks ...), with the target decoded as a browser decodes it. A link
  whose target is not http(s), mailto, tel or relative keeps its text and loses the link; an
  image that is not a real image file in the record's own attachments folder
  (`registry/attachments/<id>/`) is replaced by its alt text. What it did is kept in
  `findings`, which `validate` reports (SK401-SK405).
* `sanitize` passes the HTML through nh3 (ammonia) with an allow-list of tags, attributes,
  classes and URL schemes: whatever the steps above miss cannot reach a page.

`link_is_safe` is also used for URLs outside prose (attachments, contact e-mails).
This module is core: it imports nothing from `render`, `site` or the CLI.
"""

from __future__ import annotations

import html as html_lib
import os
import posixpath
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote, unquote
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from generator.validate.prose_limits import field_values, markdown_paths, too_costly

# Schemes a record may link to; anything else with a scheme loses its link.
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Where a record's own files live (the schema's `attachments[].path` pattern).
ATTACHMENTS_DIR = "registry/attachments"

# The extensions a record's Markdown may use (schema/README.md, "Các trường Markdown").
# Not `attr_list`, `md_in_html`, `pymdownx.snippets`: they would let a record add attributes,
# raw HTML or files from disk.
PROSE_EXTENSIONS: tuple[str, ...] = (
    "abbr",
    "admonition",
    "def_list",
    "footnotes",
    "tables",
    "pymdownx.superfences",
)

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def _normalise(target: str) -> str:
    """The target as a browser's URL parser reads it: entities decoded, compatibility
    characters folded, whitespace and control characters (ignored inside a scheme) gone."""
    t = target.strip()
    if t.startswith("<") and t.endswith(">"):
        t = t[1:-1]
    t = html_lib.unescape(t)
    t = unicodedata.normalize("NFKC", t)
    return _CONTROL.sub("", t)


def link_scheme(target: str) -> str | None:
    """The scheme a browser would see in `target` (lower case), or None for a relative link.

    A colon before any `/`, `?` or `#` counts as a scheme even when the letters before it
    are not a valid one: some browsers read it so.
    """
    t = _normalise(target)
    m = _SCHEME.match(t)
    if m:
        return m.group(1).lower()
    head = t.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return head.split(":", 1)[0].lower() if ":" in head else None


def link_is_safe(target: str) -> bool:
    """True for http(s)/mailto/tel URLs and scheme-less (relative or #fragment) targets.

    Browsers ignore whitespace and control characters inside a scheme and decode entities
    in attributes, so `java&#115;cript:` or `java\\tscript:` are normalised before the test.
    """
    scheme = link_scheme(target)
    return scheme is None or scheme in SAFE_SCHEMES


# ---- images ---------------------------------------------------------------------------------
ImageProblem = Literal["url", "outside", "missing", "not-image"]

# The formats a browser, pandoc and typst all show, by their first bytes (the same list as
# documents/sanitise.py: what the site shows, the guides show). SVG is refused:
# it is a document that can carry script.
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "PNG"),
    (b"\xff\xd8\xff", 0, "JPEG"),
    (b"GIF87a", 0, "GIF"),
    (b"GIF89a", 0, "GIF"),
)


def image_kind(path: str) -> str | None:
    """ "PNG", "JPEG" or "GIF" from the file's first bytes; None for anything else."""
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError:
        return None
    for magic, at, kind in _MAGIC:
        if head[at : at + len(magic)] == magic:
            return kind
    return None


def attachment_image(
    src: str, record_id: str | None, project_dir: str | None
) -> tuple[str | None, ImageProblem | None]:
    """Check an image target from a record's prose.

    Allowed: a path, relative to the project like `attachments[].path`, to a PNG, JPEG, GIF
    file inside `registry/attachments/<record id>/` (after `..`, percent-escapes and
    symbolic links are resolved). Returns (that path, normalised, None) or (None, problem).
    """
    t = _normalise(src)
    if _SCHEME.match(t) or t.startswith(("//", "\\\\")) or link_scheme(t) is not None:
        return None, "url"
    path = unquote(t.split("#", 1)[0].split("?", 1)[0])
    if not record_id or not path or path.startswith("/") or "\\" in path or "\x00" in path:
        return None, "outside"
    folder = f"{ATTACHMENTS_DIR}/{record_id}"
    norm = posixpath.normpath(path)
    if not norm.startswith(folder + "/"):
        return None, "outside"
    if project_dir is None:
        return None, "missing"
    # The folder is not resolved itself: a folder that is a link elsewhere is outside too.
    base = os.path.join(os.path.realpath(project_dir), folder)
    full = os.path.realpath(os.path.join(project_dir, norm))
    if not full.startswith(base + os.sep):
        return None, "outside"
    if not os.path.isfile(full):
        return None, "missing"
    if image_kind(full) is None:
        return None, "not-image"
    return norm, None


# ---- the converter --------------------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    """A link or image the policy took out of a field: what was written and why."""

    kind: Literal["link", "image"]
    target: str
    problem: Literal["scheme"] | ImageProblem
    scheme: str | None = None


class ProsePolicy(Treeprocessor):
    """Every link and image in the converted tree, checked (see the module docstring).

    Runs after the inline patterns (20) made the links, before the site's relative-link
    rewriting (7) and the table of contents (5). `record_id` and `project_dir` say where
    the record's images may come from; `findings` lists what was taken out.
    """

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.record_id: str | None = None
        self.project_dir: str | None = None
        self.findings: list[Finding] = []
        # Every image target seen, decoded (the files a check of this field looked at).
        self.images: list[str] = []

    def _decoded(self, value: str) -> str:
        # Inline patterns store escaped characters and the entity-encoded automail address
        # as placeholders the serializer later turns into "&" and characters; decode them
        # first, then entities, so the value judged is the one the browser follows.
        value = value.replace(AMP_SUBSTITUTE, "&")
        unescape = self.md.treeprocessors["unescape"]
        value = unescape.unescape(value)  # type: ignore[attr-defined]
        return html_lib.unescape(value)

    def run(self, root: Element) -> None:
        for el in root.iter():
            if el.tag == "a":
                href = el.get("href")
                if href is None:
                    continue
                target = self._decoded(href)
                if link_is_safe(target):
                    el.set("href", target.strip())
                    continue
                self.findings.append(Finding("link", target, "scheme", link_scheme(target)))
                # Its text stays, as text: a span with no attribute.
                el.tag = "span"
                el.attrib.clear()
            elif el.tag == "img":
                src = self._decoded(el.get("src") or "")
                self.images.append(src)
                path, problem = attachment_image(src, self.record_id, self.project_dir)
                if path is not None:
                    el.set("src", quote(path))
                    continue
                assert problem is not None
                self.findings.append(Finding("image", src, problem, link_scheme(src)))
                alt = el.get("alt") or ""
                el.tag = "span"
                el.attrib.clear()
                el.text = alt


def prose_markdown(
    extensions: list[Any] | None = None, configs: dict[str, dict[str, Any]] | None = None
) -> tuple[markdown.Markdown, ProsePolicy]:
    """A Markdown converter for record prose and its policy (one instance; `reset()` it
    between fields). `extensions` adds to `PROSE_EXTENSIONS` (the site adds `toc`); an
    extension instance replaces the one of the same module (the site's footnotes)."""
    chosen: list[Any] = list(extensions or [])
    given = {type(e).__module__ for e in chosen if not isinstance(e, str)}
    base = [name for name in PROSE_EXTENSIONS if f"markdown.extensions.{name}" not in given]
    md = markdown.Markdown(extensions=[*base, *chosen], extension_configs=configs or {})
    # Raw HTML is text: no HTML block is set aside, no inline tag is passed through.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    policy = ProsePolicy(md)
    md.treeprocessors.register(policy, "sangkien_prose_policy", 8)
    return md, policy


# ---- the HTML allow-list --------------------------------------------------------------------
_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "code": {"class"},
    "pre": {"class"},
    "span": {"class"},
    # Heading anchors (`toc`) and footnotes (`fn:1`, `fnref:1`) are linked to by id.
    **{f"h{n}": {"id"} for n in range(1, 7)},
    "li": {"id"},
    "sup": {"id"},
    "ol": {"start"},
    # Table column alignment (`| :-- |`), filtered to `text-align` below.
    "th": {"style"},
    "td": {"style"},
}
# Admonition kinds Material styles; any other kind keeps the plain "admonition" look.
_ADMONITIONS = {
    "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important",
    "success", "check", "done", "question", "help", "faq", "warning", "caution", "attention",
    "failure", "fail", "missing", "danger", "error", "bug", "example", "quote", "cite",
}  # fmt: skip
_CLASSES = {
    "div": {"admonition", "footnote", "highlight", *_ADMONITIONS},
    "p": {"admonition-title"},
    "a": {"headerlink", "footnote-ref", "footnote-backref"},
}
_CLEANER_OPTIONS: dict[str, Any] = {
    "tags": _TAGS,
    "clean_content_tags": {"script", "style"},
    "attributes": _ATTRIBUTES,
    "allowed_classes": _CLASSES,
    "url_schemes": set(SAFE_SCHEMES),
    "filter_style_properties": {"text-align"},
    "link_rel": None,
    "strip_comments": True,
}
_CLEANER = nh3.Cleaner(**_CLEANER_OPTIONS)


def _image_src(tag: str, attr: str, value: str) -> str | None:
    # Images only from a record's attachments folder, by a relative path (ProsePolicy has
    # already checked the file; this holds even if a step before it were wrong).
    if tag == "img" and attr == "src":
        if link_scheme(value) is not None or value.startswith(("/", "\\")):
            return None
        parts = posixpath.normpath(value).split("/")
        if "/".join(p for p in parts if p != "..").startswith(ATTACHMENTS_DIR + "/"):
            return value
        return None
    return value


_IMAGE_CLEANER = nh3.Cleaner(
    **{
        **_CLEANER_OPTIONS,
        "tags": _TAGS | {"img"},
        "attributes": {**_ATTRIBUTES, "img": {"src", "alt", "title"}},
        "attribute_filter": _image_src,
    }
)


def sanitize(html: str) -> str:
    """Converted prose HTML, with only the allowed tags, attributes, classes and schemes."""
    if not html:
        return html
    if "<img" in html:
        return _IMAGE_CLEANER.clean(html)
    return _CLEANER.clean(html)


# ---- for validate ---------------------------------------------------------------------------
def prose_fields(data: Any) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(path, text) of every Markdown field present in a record's data; the schema's
    `contentMediaType: text/markdown` mark says which fields those are."""
    for spec in markdown_paths("initiative"):
        yield from field_values(data, spec, ())


_CHECKER: tuple[markdown.Markdown, ProsePolicy] | None = None


def _check(text: str, record_id: str | None, project_dir: str | None) -> ProsePolicy | None:
    # Python-Markdown makes a link or an image only from `[` or `<`: a field with neither
    # has none, and most fields are skipped without a conversion.
    if not text or ("[" not in text and "<" not in text):
        return None
    # Past the Markdown limits (SK430-SK435, reported on their own) Python-Markdown is slow
    # or fails: such a field is not converted, here as on the site.
    if too_costly(text):
        return None
    global _CHECKER
    if _CHECKER is None:
        _CHECKER = prose_markdown()
    md, policy = _CHECKER
    policy.record_id, policy.project_dir = record_id, project_dir
    policy.findings, policy.images = [], []
    md.reset()
    md.convert(text)
    return policy


def prose_findings(text: str, record_id: str | None, project_dir: str | None) -> list[Finding]:
    """The links and images of one field that the site would take out, each once."""
    policy = _check(text, record_id, project_dir)
    return list(dict.fromkeys(policy.findings)) if policy else []


def local_image_paths(data: Any) -> list[str]:
    """The project-relative files the images of a record's prose name (URLs left out), for
    a cache to notice when one of them appears, changes or goes."""
    out: list[str] = []
    for _path, text in prose_fields(data):
        # An image needs `![` (inline or reference form).
        if "![" not in text:
            continue
        policy = _check(text, None, None)
        for src in policy.images if policy else ():
            if link_scheme(src) is None and not src.startswith("//"):
                out.append(posixpath.normpath(unquote(src.split("#")[0].split("?")[0]) or "."))
    return out


def attachment_images(data: Any, record_id: str, project_dir: str) -> list[str]:
    """The images of a record's prose that its page shows: the normalised project-relative
    paths `attachment_image` allows (files of the record's own attachments folder), for
    the site to publish those files with the pages."""
    out: list[str] = []
    for _path, text in prose_fields(data):
        if "![" not in text:
            continue
        policy = _check(text, record_id, project_dir)
        for src in list(policy.images) if policy else ():
            path, _problem = attachment_image(src, record_id, project_dir)
            if path is not None:
                out.append(path)
    return out
