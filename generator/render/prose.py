"""A generated page written straight to HTML, with only the record's own Markdown converted.

A record page is mostly structure this package writes (headings, tables, the replication
steps); the record's Markdown is its prose fields (problem, solution ..., step details). At
10,000 records, converting whole record pages with Python-Markdown was most of the build:
each page pays for a new `Markdown` instance, for parsing the structure again and for the
table of contents of fifteen headings. `HtmlPage` writes the structure and the headings as
HTML (the shape Python-Markdown's `toc` gives them: an ASCII id and a `¶` permalink) and
converts each Markdown field on its own with one long-lived Markdown instance; the page
keeps its table of contents beside it (`Heading`), which the site hands to the theme.

What a Markdown field may use: paragraphs, emphasis, lists, links, headings, tables,
definition lists, footnotes, abbreviations, admonitions (`!!! note`) and fenced code. Its
headings sit below the section it belongs to (`#` in "Lợi ích" is an `<h3>`) and join the
page's table of contents; every id on the page is unique (`loi-ich`, then `loi-ich_1`). A
relative link is resolved from the page's place in the docs tree, as MkDocs resolves one
in a hand-written page (`../co-quan/x.md` -> the served URL).

Records are untrusted: the converter is `generator.markup.prose_markdown` (raw HTML is text;
links other than http(s), mailto, tel and relative ones become text; an image must be a real
image file in the record's attachments folder, or only its alt text is shown), and each
field's HTML then goes through the allow-list of `generator.markup.sanitize`.

Nothing here imports mkdocs.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from xml.etree.ElementTree import Element

from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.toc import nest_toc_tokens, unique
from markdown.treeprocessors import Treeprocessor

from generator.markup import prose_markdown, sanitize
from generator.render.common import page_link, site_link
from generator.render.html import h
from generator.text.vn import slugify_markdown_toc
from generator.validate.prose_limits import too_costly

# The permalink after every heading, as the site's `toc` extension writes it (mkdocs.yml).
PERMALINK_TITLE = "Liên kết tới mục này"


@dataclass
class Heading:
    """One entry of a page's table of contents; `title` is HTML."""

    level: int
    id: str
    title: str
    children: list[Heading] = field(default_factory=list)


class _PageIds:
    """The `slugify` of the shared `toc` extension: a slug unique on the whole page.

    Python-Markdown keeps heading ids unique within one conversion; a page converts several
    fields, so the ids already taken on the page (its own headings, earlier fields) are
    passed in before each field.
    """

    def __init__(self) -> None:
        self.used: set[str] = set()
        # Highest suffix known taken per id (see `unique`): without it, the n-th heading
        # "a" tried a_1 ... a_n, and a field of repeated headings was quadratic.
        self.counters: dict[str, int] = {}

    def __call__(self, value: str, separator: str) -> str:
        return unique(slugify_markdown_toc(value, separator), self.used, self.counters)


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")


class _RelativeLinks(Treeprocessor):
    """Relative links and images resolved from the page's place in the docs tree.

    MkDocs does this for the Markdown it converts; a `.md` target becomes the served URL of
    that page, any other target the path of that file in the built site. An image (which
    the prose policy only leaves when it is a file of the record's attachments folder,
    written from the project root) points at that file in the built site. The pages linked
    to are kept (`pages`, as written and as docs paths) for the site to check, as MkDocs
    checks the links of a hand-written page.
    """

    page_uri = "index.md"
    pages: list[tuple[str, str]]

    def run(self, root: Element) -> None:
        for el in root.iter():
            attr = "href" if el.tag == "a" else "src" if el.tag == "img" else None
            if attr is None:
                continue
            target = el.get(attr)
            if target and attr == "src":
                el.set(attr, site_link(self.page_uri, target))
            elif target and not target.startswith(("#", "/")) and not _SCHEME.match(target):
                url, page = _served(self.page_uri, target)
                el.set(attr, url)
                if page:
                    self.pages.append((target, page))


def _served(page_uri: str, target: str) -> tuple[str, str | None]:
    """The URL the browser follows, and the docs path of the page it links to (if any)."""
    path, sep, anchor = target.partition("#")
    path, qsep, query = path.partition("?")
    if not path:
        return target, None
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), path))
    if resolved.startswith("../") or resolved == "..":
        return target, None  # outside the docs tree: left as written
    page = resolved if resolved.endswith(".md") else None
    url = page_link(page_uri, resolved) if page else site_link(page_uri, resolved)
    return url + (qsep + query if qsep else "") + (sep + anchor if sep else ""), page


# A line that may hold a heading: `#` after list or quote markers, or a setext underline.
# Most fields have none, and the `toc` extension walks and serialises every document it
# sees, so those are converted without it (a false match only costs that walk).
_HEADING_LINE = re.compile(r"^[ \t>*+\-\d.]*#{1,6}(?:[ \t]|$)|^[ \t]*(?:=+|-+)[ \t]*$", re.M)


class _Converter:
    """One Markdown instance for every field converted with headings from `base_level`
    (0: a field without headings)."""

    def __init__(self, base_level: int) -> None:
        self.ids = _PageIds()
        self.footnotes = FootnoteExtension(UNIQUE_IDS=True)
        self.links = _RelativeLinks()
        extensions: list = [self.footnotes]
        configs = {}
        if base_level:
            extensions.append("toc")
            configs["toc"] = {
                "permalink": True,
                "permalink_title": PERMALINK_TITLE,
                "slugify": self.ids,
                "baselevel": base_level,
            }
        self.md, self.policy = prose_markdown(extensions, configs)
        # After `inline` (priority 20) and before `toc` (5), like MkDocs' own link rewriting.
        self.md.treeprocessors.register(self.links, "sangkien_relative_links", 7)

    def convert(
        self,
        text: str,
        page_uri: str,
        used: set[str],
        counters: dict[str, int],
        fields: int,
        record_id: str | None = None,
        project_dir: str | None = None,
    ) -> tuple[str, list]:
        self.ids.used = used
        self.ids.counters = counters
        self.links.page_uri = page_uri
        self.links.pages = []
        self.policy.record_id, self.policy.project_dir = record_id, project_dir
        self.policy.findings = []
        # Footnote ids carry the field's number on the page (`fn:3-1`): unique on the page
        # and the same in every build (reset() adds one).
        self.footnotes.unique_prefix = fields - 1
        self.md.reset()
        out = sanitize(self.md.convert(text))
        return out, list(getattr(self.md, "toc_tokens", []))

    @property
    def linked_pages(self) -> list[tuple[str, str]]:
        return self.links.pages


@cache
def _converter(base_level: int) -> _Converter:
    return _Converter(base_level)


class HtmlPage:
    """Builds one page's HTML and its table of contents, in page order.

    `reserved` are the ids of the headings this page's own sections may write: a heading
    inside a field never takes one, so `#loi-ich` is the "Lợi ích" section on every record
    page whatever the record's text says. `record_id` and `project_dir` name the record whose
    attachments folder its images may come from (none without them).
    """

    def __init__(
        self,
        uri: str,
        reserved: frozenset[str] = frozenset(),
        record_id: str | None = None,
        project_dir: str | None = None,
    ) -> None:
        self.uri = uri
        self.reserved = reserved
        self.record_id = record_id
        self.project_dir = project_dir
        self.parts: list[str] = []
        self.ids: set[str] = set()
        # Every id taken on the page or reserved for it, grown as headings are added (one
        # set for the page: copying it for each field was quadratic in the fields).
        self._taken: set[str] = set(reserved)
        self._counters: dict[str, int] = {}
        # Pages the Markdown fields link to: (the link as written, its docs path).
        self.linked_pages: list[tuple[str, str]] = []
        self._flat: list[dict] = []
        self._fields = 0

    def heading(self, level: int, text: str) -> None:
        """A heading with the page-unique ASCII id the `toc` extension would give it."""
        text = " ".join(text.split())
        title = h(text)
        anchor = unique(_slug(text), self.ids)
        self._taken.add(anchor)
        self.parts.append(
            f'<h{level} id="{anchor}">{title}<a class="headerlink" href="#{anchor}" '
            f'title="{PERMALINK_TITLE}">&para;</a></h{level}>'
        )
        self._flat.append({"level": level, "id": anchor, "name": title, "children": []})

    def html(self, text: str) -> None:
        """HTML this package wrote from escaped values."""
        if text:
            self.parts.append(text.strip("\n"))

    def markdown(self, text: str, level: int) -> None:
        """Add a record's Markdown field whose headings start at `<h{level}>` to the page."""
        if text:
            self.parts.append(self.markdown_inline(text, level))

    def markdown_inline(self, text: str, level: int) -> str:
        """Convert a record's Markdown field placed inside HTML of ours (a list item) and return
        its HTML; its headings, ids and links count for the page all the same."""
        if not text:
            return ""
        if too_costly(text):
            # Past the limits `validate` enforces (SK430-SK435, the schema's maxLength),
            # Python-Markdown is slow or fails: only an unvalidated record gets here, and
            # it is shown as plain text so that the build still ends, and soon.
            return plain_text_html(text)
        self._fields += 1
        if _HEADING_LINE.search(text) is None:
            converter = _converter(0)
            out, tokens = converter.convert(
                text, self.uri, set(), {}, self._fields, self.record_id, self.project_dir
            )
        else:
            converter = _converter(level)
            out, tokens = converter.convert(
                text,
                self.uri,
                self._taken,
                self._counters,
                self._fields,
                self.record_id,
                self.project_dir,
            )
        self.linked_pages.extend(converter.linked_pages)
        flat = _flatten(tokens)
        self.ids.update(t["id"] for t in flat)
        self._flat.extend(flat)
        return out

    @property
    def content(self) -> str:
        return "\n".join(self.parts) + "\n"

    @property
    def toc(self) -> list[Heading]:
        return [_heading(t) for t in nest_toc_tokens([dict(t, children=[]) for t in self._flat])]


def plain_text_html(text: str) -> str:
    """A safe Markdown field shown as its text: paragraphs at blank lines, line breaks kept,
    no markup (linear in the text whatever it holds)."""
    # An entity reads as its character, as Markdown would show it; `h` escapes it again.
    blocks = re.split(r"\n[ \t]*\n", html.unescape(text).strip("\n"))
    return "\n".join(
        '<p class="sk-plain">' + "<br>\n".join(h(line) for line in b.split("\n")) + "</p>"
        for b in blocks
        if b.strip()
    )


@lru_cache(maxsize=256)
def _slug(text: str) -> str:
    # The section titles repeat on every page.
    return slugify_markdown_toc(text, "-")


def _flatten(tokens: list[dict]) -> list[dict]:
    out = []
    for t in tokens:
        # The name is HTML made from the heading's text: it goes through the allow-list too.
        name = sanitize(t["name"])
        out.append({"level": t["level"], "id": t["id"], "name": name, "children": []})
        out.extend(_flatten(t.get("children", [])))
    return out


def _heading(token: dict) -> Heading:
    return Heading(
        token["level"], token["id"], token["name"], [_heading(c) for c in token["children"]]
    )
