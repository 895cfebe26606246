"""Record pages written as HTML: the record's Markdown fields, headings, ids and the TOC
(generator/render/prose.py, generator/render/initiative.py; no MkDocs involved)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import markdown
import pytest

from generator.render.initiative import SECTION_IDS, initiative_page
from generator.render.pages import fill_blocks
from generator.render.prose import HtmlPage

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def record(loaded):
    registry, _ = loaded
    return next(
        i
        for i in registry.initiatives.values()
        if i.replication and i.replication.steps and i.metrics and i.adoptions
    )


def _article(page) -> str:
    body = page.markdown.split("---\n", 2)[2]
    return fill_blocks(markdown.markdown(body), page.html_blocks())


def _render(loaded, ini, **changes):
    registry, settings = loaded
    return initiative_page(replace(ini, **changes), registry, settings)


def _ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


def _toc(headings, depth=0):
    for t in headings:
        yield depth, t.level, t.id, t.title
        yield from _toc(t.children, depth + 1)


def test_the_page_is_what_python_markdown_gives_for_the_same_markdown(loaded, record) -> None:
    """A section of prose reads exactly as it did when the whole page was Markdown."""
    page = _render(loaded, record, problem="Trước đây **chậm**.\n\n- một\n- hai")
    html = _article(page)
    assert (
        '<h2 id="thuc-trang-truoc-khi-co-sang-kien">Thực trạng trước khi có sáng kiến'
        '<a class="headerlink" href="#thuc-trang-truoc-khi-co-sang-kien" '
        'title="Liên kết tới mục này">&para;</a></h2>\n'
        "<p>Trước đây <strong>chậm</strong>.</p>\n<ul>\n<li>một</li>\n<li>hai</li>\n</ul>"
    ) in html


def test_headings_in_a_field_sit_below_its_section_and_join_the_toc(loaded, record) -> None:
    page = _render(loaded, record, problem="# Nguyên nhân\n\nVì thế.\n\n## Chi tiết\n\nĐây.")
    html = _article(page)
    assert '<h3 id="nguyen-nhan">Nguyên nhân<a class="headerlink"' in html
    assert '<h4 id="chi-tiet">Chi tiết<a class="headerlink"' in html
    assert html.count("<h1") == 1
    toc = list(_toc(page.article().toc))
    i = toc.index((1, 2, "thuc-trang-truoc-khi-co-sang-kien", "Thực trạng trước khi có sáng kiến"))
    assert toc[i + 1] == (2, 3, "nguyen-nhan", "Nguyên nhân")
    assert toc[i + 2] == (3, 4, "chi-tiet", "Chi tiết")


@pytest.mark.parametrize(
    "text",
    ["Nguyên nhân\n===========\n\nVì thế.", "> ### Nguyên nhân\n\nVì thế.", "- # Nguyên nhân"],
)
def test_every_way_of_writing_a_heading_gets_an_id(loaded, record, text) -> None:
    html = _article(_render(loaded, record, problem=text))
    assert re.search(r'<h[345] id="nguyen-nhan">Nguyên nhân<a class="headerlink"', html), html


def test_a_field_cannot_take_a_section_id_and_every_id_is_unique(loaded, record) -> None:
    """A record's own "Lợi ích" heading must not move the page's `#loi-ich` anchor."""
    page = _render(
        loaded,
        record,
        problem="# Lợi ích\n\nA.\n\n# Chi tiết\n\nB.",
        solution="# Chi tiết\n\nC.",
        benefits="Nhiều.",
    )
    html = _article(page)
    ids = _ids(html)
    assert len(ids) == len(set(ids)), [x for x in ids if ids.count(x) > 1]
    assert '<h2 id="loi-ich">Lợi ích<a' in html
    assert '<h3 id="loi-ich_1">Lợi ích<a' in html
    assert '<h3 id="chi-tiet">' in html and '<h3 id="chi-tiet_1">' in html
    assert {t[2] for t in _toc(page.article().toc)} <= set(ids)


def test_every_section_id_is_reserved(loaded, record) -> None:
    html = _article(_render(loaded, record))
    written = set(re.findall(r'<h[23] id="([^"]+)"', html))
    assert written and written <= SECTION_IDS, written - SECTION_IDS


def test_footnotes_in_two_fields_get_distinct_ids(loaded, record) -> None:
    page = _render(
        loaded,
        record,
        problem="Theo khảo sát[^1].\n\n[^1]: Năm 2023.",
        solution="Theo báo cáo[^1].\n\n[^1]: Quý II.",
    )
    html = _article(page)
    ids = _ids(html)
    assert len([x for x in ids if x.startswith("fn:")]) == 2
    assert len(ids) == len(set(ids))
    assert "Năm 2023." in html and "Quý II." in html
    # The same ids in every build: they number the fields, not the conversions.
    _render(loaded, record, problem="Khác[^a].\n\n[^a]: Chú thích.")
    again = _article(
        _render(
            loaded,
            record,
            problem="Theo khảo sát[^1].\n\n[^1]: Năm 2023.",
            solution="Theo báo cáo[^1].\n\n[^1]: Quý II.",
        )
    )
    assert again == html


def test_relative_links_resolve_like_mkdocs(loaded, record) -> None:
    page = _render(
        loaded,
        record,
        problem=(
            "[Cơ quan](../co-quan/ubnd-tinh-quang-ngai/index.md#lich-su), "
            "[sáng kiến](qng-2024-0001.md), [mẫu](../mau/mau-01.docx), "
            "[mục](#loi-ich), [ngoài](https://dichvucong.gov.vn/p?a=1)"
        ),
    )
    html = _article(page)
    assert 'href="../../co-quan/ubnd-tinh-quang-ngai/#lich-su"' in html
    assert 'href="../../sang-kien/qng-2024-0001/"' in html
    assert 'href="../../mau/mau-01.docx"' in html
    assert 'href="#loi-ich"' in html
    assert 'href="https://dichvucong.gov.vn/p?a=1"' in html
    # The pages linked to, for the site to check (a file like the .docx is not a page).
    assert page.article().links == (
        (
            "../co-quan/ubnd-tinh-quang-ngai/index.md#lich-su",
            "co-quan/ubnd-tinh-quang-ngai/index.md",
        ),
        ("qng-2024-0001.md", "sang-kien/qng-2024-0001.md"),
    )


def test_raw_html_and_script_links_in_a_field_stay_text(loaded, record) -> None:
    page = _render(
        loaded,
        record,
        problem='<img src=x onerror="alert(1)"> [bấm](javascript:alert(1)) <script>x</script>',
        replication=replace(
            record.replication,
            steps=(replace(record.replication.steps[0], detail="<b onclick=x>đậm</b>"),),
        ),
    )
    html = _article(page)
    assert "<img" not in html and "<script>" not in html and "javascript:" not in html
    assert "&lt;img src=x onerror=" in html
    assert "&lt;b onclick=x&gt;đậm" in html


def test_steps_keep_their_details_inside_each_item(loaded, record) -> None:
    steps = (
        replace(record.replication.steps[0], title="Khảo sát", detail="Đo **trước**.\n\n- a\n- b"),
        replace(record.replication.steps[0], title="Áp dụng", detail=None),
    )
    page = _render(loaded, record, replication=replace(record.replication, steps=steps))
    html = _article(page)
    ol = html[html.index("<ol>", html.index('id="cac-buoc-thuc-hien"')) :]
    ol = ol[: ol.index("</ol>\n<h") + 5]
    assert ol.startswith("<ol>\n<li>\n<p><strong>Khảo sát</strong>")
    assert "<p>Đo <strong>trước</strong>.</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n</li>" in ol
    assert "<li>\n<p><strong>Áp dụng</strong>" in ol
    tight = (replace(steps[0], detail=None), steps[1])
    html = _article(_render(loaded, record, replication=replace(record.replication, steps=tight)))
    assert "<li><strong>Khảo sát</strong>" in html


def test_an_html_page_alone() -> None:
    doc = HtmlPage("a/b.md", frozenset({"ket-qua"}))
    doc.heading(1, "Tiêu  đề & <b>")
    doc.markdown("# Kết quả\n\nVăn bản.", 2)
    doc.heading(2, "Kết quả")
    assert doc.content.startswith(
        '<h1 id="tieu-de">Tiêu đề &amp; &lt;b&gt;<a class="headerlink" href="#tieu-de"'
    )
    assert '<h2 id="ket-qua_1">Kết quả<a' in doc.content  # the field's heading
    assert '<h2 id="ket-qua">Kết quả<a' in doc.content  # the reserved section
    [top] = doc.toc
    assert [(c.level, c.id) for c in top.children] == [(2, "ket-qua_1"), (2, "ket-qua")]
