"""Untrusted Markdown through the record prose converter and the HTML allow-list
(generator/markup.py); the full hostile set is in tests/security/test_markdown.py."""

from __future__ import annotations

import re

import markdown
import pytest

from generator.markup import link_is_safe, prose_findings, prose_markdown, sanitize
from generator.render.markdown_safe import escape_text

_MD, _POLICY = prose_markdown()


def render(text: str) -> str:
    _MD.reset()
    return sanitize(_MD.convert(text))


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<div onmouseover=alert(1)>x</div>",
        "<!-- <script>alert(1)</script> -->",
        "<svg/onload=alert(1)>",
        "- item\n- <script>alert(1)</script>",
        "`a\n\n<script>alert(1)</script>\n\nb`",
        "```\n<script>alert(1)</script>",  # a fence never closed is prose
        "   ```\n<script>alert(1)</script>\n   ```",  # an indented "fence" is not a fence
    ],
)
def test_raw_html_is_escaped(payload: str) -> None:
    html = render(payload)
    assert "<script" not in html
    assert "<img" not in html and "<svg" not in html and "<div" not in html
    # Shown as text (inside code, Markdown escapes the ampersand once more).
    assert "&lt;" in html or "&amp;lt;" in html


@pytest.mark.parametrize(
    "payload",
    [
        "[x](javascript:alert(1))",
        "[x](JavaScript:alert(1))",
        "[x]( javascript:alert(1) )",
        "[x](java&#115;cript:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "![x](javascript:alert(1))",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "<javascript:alert(1)>",
    ],
)
def test_script_links_are_dropped(payload: str) -> None:
    html = render(payload).lower()
    # No link or image may carry the script (its text may still show, harmlessly).
    assert not re.search(
        r"""(href|src)\s*=\s*["']?\s*(javascript|vbscript|data|java&#115;cript)""", html
    ), html
    assert "<img" not in html
    assert "<a " not in html or html.count("<a ") == html.count('<a href="#">')
    assert "x" in html or "javascript" in html


def test_attribute_lists_and_snippets_are_text() -> None:
    html = render(
        "Đoạn văn\n{: onclick=alert(1) }\n\n*x*{: onclick=alert(2) }\n\n--8<-- /etc/passwd"
    )
    assert not re.search(r"<[a-z]+[^>]*onclick", html), html
    assert "onclick=alert(1)" in html  # shown as text
    assert "--8&lt;-- /etc/passwd" in html


def test_findings_name_what_the_site_takes_out() -> None:
    found = prose_findings("[a](JAVA&#83;CRIPT:x) [b](https://a.vn) ![c](http://x/y.png)", "X", ".")
    assert [(f.kind, f.problem, f.scheme) for f in found] == [
        ("link", "scheme", "javascript"),
        ("image", "url", "http"),
    ]
    # Without `[` or `<` no link can exist: nothing is converted.
    assert prose_findings("javascript:alert(1) (x)", "X", ".") == []


def test_ordinary_markdown_survives() -> None:
    html = render(
        "**đậm**, *nghiêng*, [Cổng DVC](https://dichvucong.gov.vn), [mục](#dieu-kien)\n\n1. một\n2. hai\n\n```py\nx = '<b>'\n```"
    )
    assert "<strong>đậm</strong>" in html and "<em>nghiêng</em>" in html
    assert '<a href="https://dichvucong.gov.vn">Cổng DVC</a>' in html
    assert '<a href="#dieu-kien">mục</a>' in html
    assert "<ol>" in html
    # Inside a closed fence the text is shown as written.
    assert "&lt;b&gt;" in html and "&amp;lt;" not in html


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://a.gov.vn/x", True),
        ("mailto:vanphong@quangngai.gov.vn", True),
        ("../tai-lieu/a.pdf", True),
        ("#muc", True),
        ("javascript:alert(1)", False),
        ("JAVASCRIPT:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("ftp://x", False),
        ("java&#115;cript:alert(1)", False),
        ("javascript&colon;alert(1)", False),
        ("ｊａｖａｓｃｒｉｐｔ:alert(1)", False),  # full-width letters fold to ASCII
        ("a/b:c", True),
        ("tel:+842553822222", True),
    ],
)
def test_link_is_safe(url: str, ok: bool) -> None:
    assert link_is_safe(url) is ok


def test_escape_text_makes_plain_text() -> None:
    html = markdown.markdown(
        escape_text("<b>*TTHC*</b> [x](javascript:1) a | b"), extensions=["attr_list"]
    )
    assert "<b>" not in html and "<em>" not in html and "<a" not in html
    assert "&lt;b&gt;*TTHC*&lt;/b&gt;" in html


def test_an_image_is_a_real_image_inside_the_records_own_folder(tmp_path) -> None:
    from generator.markup import attachment_image

    folder = tmp_path / "registry" / "attachments" / "QNG-2024-0001"
    folder.mkdir(parents=True)
    (folder / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(8))
    (folder / "b.webp").write_bytes(b"RIFF\x00\x00\x00\x00WEBPVP8 ")
    (folder / "c.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(8))
    (folder / "d.gif").write_bytes(b"GIF89a" + bytes(8))
    (folder / "e.svg").write_text("<svg onload=alert(1)>")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(8))
    (tmp_path / "registry" / "attachments" / "QNG-2024-0002").symlink_to(elsewhere)
    project = str(tmp_path)

    def check(src: str, rid: str = "QNG-2024-0001") -> object:
        return attachment_image(src, rid, project)

    for name in ("a.png", "c.jpg", "d.gif"):
        path = f"registry/attachments/QNG-2024-0001/{name}"
        assert check(path) == (path, None)
    assert check("./registry/attachments/QNG-2024-0001/x/../a.png")[1] is None
    assert check("registry/attachments/QNG-2024-0001/e.svg") == (None, "not-image")
    # WebP: not every Word and typst version shows it, so the site does not take it either.
    assert check("registry/attachments/QNG-2024-0001/b.webp") == (None, "not-image")
    assert check("registry/attachments/QNG-2024-0001/z.png") == (None, "missing")
    # A folder that is a link to somewhere else is outside, even for its own record.
    assert check("registry/attachments/QNG-2024-0002/x.png", "QNG-2024-0002") == (None, "outside")
    assert check("registry/attachments/QNG-2024-0001/a.png", None) == (None, "outside")
    for url in ("https://a/x.png", "//a/x.png", "HTTP://a", "data:image/png;base64,AA", "c:/x.png"):
        assert check(url) == (None, "url"), url
