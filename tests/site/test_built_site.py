"""Checks on the built bundled site: links, language, size, self-hosting, formatting."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator.config import load_settings
from generator.validate.check import check_registry

ROOT = Path(__file__).resolve().parents[2]
MAX_PAGE_BYTES = 150 * 1024


class _Refs(HTMLParser):
    """Collects the URLs a page links to or loads, with the tag they came from."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.ids: set[str] = set()
        self.lang: str | None = None
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if a.get("id"):
            self.ids.add(a["id"] or "")
        for attr in ("href", "src"):
            if a.get(attr):
                self.refs.append((tag, attr, a[attr] or ""))
        if a.get("style"):
            self.styles.append(a["style"] or "")
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


@cache
def _parse(path: Path) -> _Refs:
    p = _Refs()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.relative_to(site).parts[:1])


def _resolve(site: Path, page: Path, url: str) -> Path | None:
    """The file a relative URL on `page` points to (None for external or special URLs)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("#", "mailto:", "tel:")) or not parts.path:
        return None
    if parts.path.startswith("/"):
        return None
    target = (page.parent / unquote(parts.path)).resolve()
    if url.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def test_every_page_has_lang_vi_and_stays_small(built_site: Path) -> None:
    pages = _pages(built_site)
    assert len(pages) > 40
    for page in pages:
        assert _parse(page).lang == "vi", page
        assert page.stat().st_size <= MAX_PAGE_BYTES, f"{page} is {page.stat().st_size} bytes"


def test_every_internal_link_resolves(built_site: Path) -> None:
    broken = []
    for page in _pages(built_site):
        for tag, attr, url in _parse(page).refs:
            target = _resolve(built_site, page, url)
            if target is None:
                continue
            if not target.exists():
                broken.append(f"{page.relative_to(built_site)}: <{tag} {attr}={url!r}>")
                continue
            frag = urlsplit(url).fragment
            if frag and target.suffix == ".html" and unquote(frag) not in _parse(target).ids:
                broken.append(f"{page.relative_to(built_site)}: {url!r} (no #{frag})")
    assert not broken, "\n".join(broken[:50])


class _NavLinks(HTMLParser):
    """The site navigation's links (sidebar and tabs): label -> hrefs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: dict[str, set[str]] = {}
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        href = a.get("href") or ""
        if tag == "a" and {"md-nav__link", "md-tabs__link"} & set(classes):
            if not href.startswith("#"):  # the page's own table of contents
                self._href, self._text = href, []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            label = " ".join("".join(self._text).split())
            self.links.setdefault(label, set()).add(self._href)
            self._href = None


def test_navigation_links_the_same_pages_from_every_page(built_site: Path) -> None:
    # The plugin renders Material's nav once per set of relative URLs for pages outside the
    # nav (records, listings): every page must still reach each nav entry, not a neighbour.
    def targets(page: Path) -> dict[str, set[Path | None]]:
        parser = _NavLinks()
        parser.feed(page.read_text(encoding="utf-8"))
        return {
            label: {_resolve(built_site, page, href) for href in hrefs}
            for label, hrefs in parser.links.items()
        }

    home = targets(built_site / "index.html")
    assert len(home) > 15
    wrong = []
    for page in _pages(built_site):
        if page.name == "404.html":  # absolute URLs: it is served at any address
            continue
        for label, found in targets(page).items():
            if label in home and found != home[label]:
                wrong.append(f"{page.relative_to(built_site)}: {label!r} -> {found}")
    assert not wrong, "\n".join(wrong[:20])


# Hosts a page must never load from (fonts, CDNs, analytics).
_REMOTE = re.compile(r"""(?:https?:)?//[^\s"')]+""")


def _css_urls(text: str) -> list[str]:
    urls = re.findall(r"""url\(\s*['"]?([^'")]+)""", text)
    urls += re.findall(r"""@import\s+(?:url\()?\s*['"]?([^'")\s;]+)""", text)
    return urls


def test_no_request_to_a_third_party_host(built_site: Path) -> None:
    offenders = []
    for page in _pages(built_site):
        parsed = _parse(page)
        for tag, attr, url in parsed.refs:
            loads = (tag in ("script", "img", "iframe", "source", "audio", "video")) or (
                tag == "link" and attr == "href"
            )
            if (
                loads
                and _REMOTE.match(url)
                and not url.startswith("https://sangkien-qng.github.io/")
            ):
                # <link rel=canonical/alternate> to our own site is a reference, not a load.
                offenders.append(f"{page.relative_to(built_site)}: <{tag} {attr}={url}>")
        for style in parsed.styles:
            offenders += [f"{page}: url({u})" for u in _css_urls(style) if _REMOTE.match(u)]
    for css in built_site.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        offenders += [
            f"{css.relative_to(built_site)}: {u}" for u in _css_urls(text) if _REMOTE.match(u)
        ]
    html_text = (built_site / "index.html").read_text(encoding="utf-8")
    for host in ("googleapis", "gstatic", "jsdelivr", "unpkg", "cdnjs", "api.github.com"):
        assert host not in html_text, host
    assert not offenders, "\n".join(offenders[:30])
    # The repository link must not be Material's star-counting component (it calls GitHub).
    assert 'data-md-component="source"' not in html_text


def test_fonts_are_self_hosted(built_site: Path) -> None:
    css = (built_site / "assets/sangkien/fonts.css").read_text(encoding="utf-8")
    fonts = re.findall(r"url\(([^)]+)\)", css)
    assert fonts
    for font in fonts:
        assert (built_site / "assets/sangkien" / font).resolve().is_file(), font
    assert "fonts.css" in (built_site / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def registry():
    return check_registry(load_settings(ROOT)).registry


def test_footer_states_the_licences(built_site: Path) -> None:
    for page in [
        built_site / "index.html",
        *list((built_site / "sang-kien").rglob("index.html"))[:3],
    ]:
        text = page.read_text(encoding="utf-8")
        footer = text[text.index('<footer class="md-footer"') :]
        assert "CC BY 4.0" in footer
        assert "creativecommons.org/licenses/by/4.0" in footer
        assert "MIT" in footer


def test_initiative_page_content(built_site: Path, registry) -> None:
    ini = next(i for i in registry.initiatives.values() if i.recognitions and i.metrics)
    html_text = (built_site / "sang-kien" / ini.slug / "index.html").read_text(encoding="utf-8")
    assert ini.id in html_text
    rec = ini.recognitions[0]
    # Dates dd/mm/yyyy, never ISO, in the visible page.
    assert rec.decision_date.strftime("%d/%m/%Y") in html_text
    article = html_text[html_text.index("<article") : html_text.index("</article>")]
    assert rec.decision_date.isoformat() not in article
    assert rec.decision_no.replace("&", "&amp;") in article
    # The edit link goes to the YAML file in the repository.
    assert f'href="https://github.com/sangkien-qng/sangkien/edit/main/{ini.source}"' in html_text
    assert "Sửa trang này" in article
    assert f"api/v1/initiatives/{ini.id}.json" in article
    assert (built_site / "api/v1/initiatives" / f"{ini.id}.json").is_file()
    for heading in (
        "Thực trạng trước khi có sáng kiến",
        "Nội dung giải pháp",
        "Kết quả đo được",
        "Quá trình công nhận",
    ):
        assert heading in article


def test_headings_get_d_aware_ids(built_site: Path, registry) -> None:
    ini = next(i for i in registry.initiatives.values() if i.conditions)
    html_text = (built_site / "sang-kien" / ini.slug / "index.html").read_text(encoding="utf-8")
    assert 'id="dieu-kien-ap-dung"' in html_text
    assert 'id="ieu-kien' not in html_text


def test_ceased_agency_shows_what_it_is_now(built_site: Path, registry) -> None:
    ini = next(i for i in registry.initiatives.values() if registry.agencies[i.agency].ceased)
    now = [a for a in registry.current_agencies(ini.agency) if a.id != ini.agency]
    html_text = (built_site / "sang-kien" / ini.slug / "index.html").read_text(encoding="utf-8")
    assert "(nay là " in html_text
    assert f'href="../../co-quan/{now[0].id}/"' in html_text
    agency_page = (built_site / "co-quan" / ini.agency / "index.html").read_text(encoding="utf-8")
    assert "Ngừng hoạt động" in agency_page and now[0].name in agency_page


def test_browse_pages_exist_without_javascript(built_site: Path, registry) -> None:
    ini = next(iter(registry.initiatives.values()))
    for path in (
        f"co-quan/{ini.agency}",
        f"linh-vuc/{ini.fields[0]}",
        f"nam/{ini.year}",
        f"loai/{ini.solution_types[0]}",
        "cap",
        "duyet",
    ):
        text = (built_site / path / "index.html").read_text(encoding="utf-8")
        if path.count("/"):
            assert f"../../sang-kien/{ini.slug}/" in text, path


def test_home_page_has_figures_and_lists(built_site: Path, registry) -> None:
    text = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'class="sk-figures"' in text
    assert f"<strong>{len(registry.initiatives)}</strong>" in text
    assert "Mới được công nhận" in text and "sang-kien/" in text
    assert "sangkien:" not in text  # every macro expanded


def test_open_data_exports(built_site: Path, registry) -> None:
    raw = (built_site / "initiatives.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(registry.initiatives)
    assert {r["license"] for r in rows} == {"CC BY 4.0"}
    assert any("ả" in r["title"] or "ế" in r["title"] for r in rows)

    data = json.loads((built_site / "api/v1/initiatives.json").read_text(encoding="utf-8"))
    assert data["license"]["name"] == "CC BY 4.0" and data["count"] == len(registry.initiatives)
    agencies = json.loads((built_site / "api/v1/agencies.json").read_text(encoding="utf-8"))
    assert agencies["count"] == len(registry.agencies)

    from openpyxl import load_workbook

    wb = load_workbook(built_site / "initiatives.xlsx", read_only=True)
    assert wb.sheetnames == ["Sáng kiến", "Giấy phép"]
    rows_x = list(wb["Sáng kiến"].iter_rows(values_only=True))
    assert len(rows_x) == len(registry.initiatives) + 1 and rows_x[0][0] == "id"
    assert any("CC BY 4.0" in str(c.value) for row in wb["Giấy phép"].iter_rows() for c in row)

    feed = ET.parse(built_site / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.find("a:rights", ns) is not None and "CC BY 4.0" in feed.find("a:rights", ns).text
    assert feed.findall("a:entry", ns)

    for name in ("initiative", "agency", "fields"):
        json.loads((built_site / f"schema/{name}.schema.json").read_text(encoding="utf-8"))
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"sang-kien/{next(iter(registry.initiatives.values())).slug}/" in sitemap


def test_hand_written_pages_edit_their_markdown(built_site: Path) -> None:
    text = (built_site / "du-lieu-mo" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/sangkien-qng/sangkien/edit/main/docs/du-lieu-mo.md"' in text
