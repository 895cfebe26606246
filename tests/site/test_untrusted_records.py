"""Records are untrusted input: HTML in a record renders as text.

A scratch copy of the bundled project gets one record whose fields carry the classic
payloads; the built page must show them as text and contain no active markup. Script links
are refused by `validate` (SK401) and so by the build; the page they would give, and many
more link forms, are tested in tests/security/test_markdown.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def xss_site(
    tmp_path_factory: pytest.TempPathFactory, make_registry, build_site
) -> tuple[Path, str]:
    project = make_registry(tmp_path_factory.mktemp("xss"))
    path = sorted((project / "registry" / "initiatives").rglob("*.yml"))[0]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["title"] = f'{SCRIPT} Tiêu đề </title><b>đậm</b> & "trích"'
    data["summary"] = f'Tóm tắt {IMG} "><script>alert(6)</script>'
    data["problem"] = f"Trước đây {SCRIPT} và {IMG} rồi <a href=javascript:alert(2)>bấm</a>.\n"
    data["solution"] = "Giải pháp {: onclick=alert(3) }\n\n<div onmouseover=alert(4)>hover</div>\n"
    data["benefits"] = f"{data.get('benefits') or ''}\n\n<javascript:alert(5)>"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    site = project / "site-out"
    proc = build_site(project, site, documents=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return site, data["id"].lower()


def _article(site: Path, slug: str) -> str:
    html = (site / "sang-kien" / slug / "index.html").read_text(encoding="utf-8")
    return html[html.index("<article") : html.index("</article>")]


def test_raw_html_in_a_record_is_shown_as_text(xss_site: tuple[Path, str]) -> None:
    article = _article(*xss_site)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article
    assert "&lt;img src=x onerror=alert(1)&gt;" in article
    assert "&lt;div onmouseover=alert(4)&gt;" in article
    assert "<script" not in article.lower()
    assert not re.search(r"<img[^>]*onerror", article, re.I)
    assert not re.search(r"<[a-z]+[^>]*\son[a-z]+\s*=", article, re.I), (
        "an event handler attribute got through"
    )


def test_html_links_are_text(xss_site: tuple[Path, str]) -> None:
    article = _article(*xss_site)
    assert "&lt;a href=javascript:alert(2)&gt;bấm" in article
    assert "&lt;javascript:alert(5)&gt;" in article
    assert not re.search(r"""<a\s[^>]*href=["']?\s*javascript""", article, re.I)


def test_title_and_summary_are_text_everywhere_on_the_page(xss_site: tuple[Path, str]) -> None:
    site, slug = xss_site
    html = (site / "sang-kien" / slug / "index.html").read_text(encoding="utf-8")
    # Head (<title>, meta description), header and body: no live tag from the record.
    assert "<script>alert" not in html
    assert "<b>đậm</b>" not in html
    assert not re.search(r"<img[^>]*onerror", html, re.I)
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title and "Tiêu đề" in title.group(1) and "<" not in title.group(1)
    meta = re.search(r'<meta name="description" content="([^"]*)"', html)
    assert meta and "Tóm tắt" in meta.group(1)
    listing = (site / "nam" / slug.split("-")[1] / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in listing and "&lt;script&gt;alert(1)&lt;/script&gt;" in listing


def test_the_page_is_otherwise_complete(xss_site: tuple[Path, str]) -> None:
    site, slug = xss_site
    html = (site / "sang-kien" / slug / "index.html").read_text(encoding="utf-8")
    assert 'lang="vi"' in html and "Sửa trang này" in html


def _leaks(site: Path) -> list[str]:
    leaks = []
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if "<script>alert" in text or re.search(r"<img[^>]*onerror=alert", text):
            leaks.append(page.relative_to(site).as_posix())
    return sorted(leaks)


def test_no_page_of_the_site_runs_the_record_payload(xss_site: tuple[Path, str]) -> None:
    """Every page that shows the record (lists, statistics, catalogue ...) shows it as text."""
    leaks = _leaks(xss_site[0])
    assert not leaks, leaks
