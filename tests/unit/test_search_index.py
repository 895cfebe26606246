"""generator/site/search.py: what goes into the Pagefind index, and running Pagefind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.config import Settings
from generator.render.search_page import page_markdown
from generator.site import search

ARTICLE = """<html lang="vi"><head><title>{title} - Sổ sáng kiến</title></head><body>
<header>Menu điều hướng</header><main class="md-main"><div class="md-content">
<article class="md-content__inner md-typeset">
<a class="md-content__button md-icon" href="#">Sửa</a>
<h1 id="t">{title}<a class="headerlink" href="#t">¶</a></h1>
<p>{body}</p></article></div></main><footer>Chân trang</footer></body></html>"""


def write_page(site: Path, rel: str, title: str, body: str) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ARTICLE.format(title=title, body=body), encoding="utf-8")


def article(title: str, body: str) -> str:
    """A page's converted Markdown, as `on_page_content` receives it."""
    return f'<h1 id="t">{title}<a class="headerlink" href="#t">¶</a></h1>\n<p>{body}</p>'


def write_catalogue(site: Path) -> None:
    index = {
        "cols": ["id", "title", "summary", "text", "agency", "fields", "level", "year"],
        "facets": {
            "agencies": [["ubnd-xa-a", "UBND xã A"]],
            "fields": [["cai-cach-hanh-chinh", "Cải cách hành chính"]],
            "levels": [["co-so", "Cấp cơ sở"], ["tinh", "Cấp tỉnh"]],
        },
        "rows": [["QNG-2024-0001", "Gắn mã QR cho TTHC", "", "", 0, [0], 1, 2024]],
    }
    path = site / "api" / "v1" / "catalogue.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")


def test_extra_words_fold_d_and_expand_abbreviations() -> None:
    extra = search.extra_words("Đổi mới TTHC và chuyển đổi số tại UBND").split()
    assert "doi" in extra  # Pagefind keeps đ apart from d
    assert {"thu", "tuc", "hanh", "chinh"} <= set(extra)  # TTHC spelled out
    assert {"cds", "cđs"} <= set(extra)  # chuyển đổi số abbreviated, both spellings
    assert "moi" not in extra  # Pagefind already folds "mới" to "moi"
    assert len(extra) == len(set(extra))


def test_main_content_and_title() -> None:
    html = ARTICLE.format(title="Gắn mã QR", body="Nội dung")
    content = search.main_content(html)
    assert content is not None
    assert "Nội dung" in content and "Menu điều hướng" not in content
    assert "Chân trang" not in content
    assert search.page_title(html) == "Gắn mã QR"
    assert search.main_content("<html><body><p>x</p></body></html>") is None


def test_stand_in_carries_filters_and_meta(tmp_path: Path) -> None:
    write_catalogue(tmp_path)
    facts = search.record_facts(tmp_path)["qng-2024-0001"]
    assert facts.level == "Cấp tỉnh" and facts.agency == "UBND xã A"
    html = ARTICLE.format(title="Gắn mã QR cho TTHC", body="Đổi mới thủ tục")
    content = search.main_content(html)
    assert content is not None
    doc = search.stand_in_content(
        "sang-kien/qng-2024-0001/index.html", content, search.page_title(html), facts
    )
    assert 'data-pagefind-filter="cap[content]" content="Cấp tỉnh"' in doc
    assert 'data-pagefind-filter="linh-vuc[content]" content="Cải cách hành chính"' in doc
    assert 'data-pagefind-filter="loai-trang[content]" content="Sáng kiến"' in doc
    assert 'data-pagefind-meta="title[content]" content="Gắn mã QR cho TTHC"' in doc
    assert "<main data-pagefind-body>" in doc and "Menu điều hướng" not in doc
    assert f'data-pagefind-weight="{search.EXTRA_WEIGHT}"' in doc


def test_only_records_and_guides_are_indexed(tmp_path: Path) -> None:
    write_page(tmp_path, "sang-kien/qng-2024-0001/index.html", "A", "a")
    write_page(tmp_path, "training/index.html", "B", "b")
    write_page(tmp_path, "training/01-sang-kien-la-gi/index.html", "C", "c")
    write_page(tmp_path, "linh-vuc/cai-cach-hanh-chinh/index.html", "D", "d")
    write_page(tmp_path, "tra-cuu/index.html", "E", "e")
    write_page(tmp_path, "index.html", "F", "f")
    assert search.pages_to_index(tmp_path) == [
        "sang-kien/qng-2024-0001/index.html",
        "training/01-sang-kien-la-gi/index.html",
        "training/index.html",
    ]


def test_index_site_runs_pagefind(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_catalogue(site)
    write_page(site, "sang-kien/qng-2024-0001/index.html", "Gắn mã QR cho TTHC", "Đổi mới.")
    write_page(site, "training/index.html", "Đào tạo", "Cách viết sáng kiến.")
    figures = search.index_site(site, Settings(jobs=1))
    assert figures["pages"] == 2
    bundle = site / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["vi"]["page_count"] == 2
    assert list((bundle / "filter").iterdir()), "the filters were indexed"
    # Running again replaces the bundle and leaves no staging folders behind.
    search.index_site(site, Settings(jobs=1))
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".")) == []


def test_pagefind_failure_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    write_page(site, "training/index.html", "Đào tạo", "x")
    monkeypatch.setattr(search, "pagefind_command", lambda: ["false"])
    with pytest.raises(search.SearchIndexError, match=r"Pagefind lỗi .* Pagefind failed"):
        search.index_site(site, Settings(jobs=1))
    assert not (site / "pagefind").exists()
    assert [p.name for p in site.iterdir()] == ["training"]


def test_search_page_has_labelled_controls() -> None:
    md = page_markdown()
    assert '<label for="sk-find-q">' in md and 'id="sk-find-q"' in md
    for key in ("cap", "linh-vuc", "nam", "co-quan", "loai-trang"):
        assert f'<label for="sk-find-{key}">' in md and f'id="sk-find-{key}"' in md
    assert 'role="status" aria-live="polite"' in md
    assert "<noscript>" in md


def test_site_without_records_indexes_the_home_page(tmp_path: Path) -> None:
    write_page(tmp_path, "index.html", "Sổ sáng kiến", "Chưa có sáng kiến nào.")
    assert search.index_site(tmp_path, Settings(jobs=1))["pages"] == 1
    assert (tmp_path / "pagefind" / "pagefind.js").is_file()


def test_site_without_any_page_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(search.SearchIndexError, match="no page to index"):
        search.index_site(tmp_path, Settings(jobs=1))
    assert list(tmp_path.iterdir()) == []


def test_large_sites_are_indexed_in_parts_listed_for_the_browser(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_catalogue(site)
    for n in range(1, 6):
        write_page(site, f"sang-kien/qng-2024-000{n}/index.html", f"Sáng kiến {n}", "Đổi mới.")
    figures = search.index_site(site, Settings(jobs=1, search_bundle_pages=2))
    assert (figures["pages"], figures["parts"]) == (5, 3)
    bundle = site / "pagefind"
    listed = json.loads((bundle / search.PARTS_FILE).read_text(encoding="utf-8"))
    assert listed == {"parts": ["part-2/", "part-3/"]}
    counts = [
        json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]["vi"][
            "page_count"
        ]
        for folder in (bundle, bundle / "part-2", bundle / "part-3")
    ]
    assert counts == [2, 2, 1]
    # One part (the default for a small registry): the list is there and empty.
    search.index_site(site, Settings(jobs=1))
    assert json.loads((bundle / search.PARTS_FILE).read_text(encoding="utf-8")) == {"parts": []}
    assert not (bundle / "part-2").exists()


def test_record_pages_index_their_description_not_the_whole_page() -> None:
    content = (
        '<h1 id="t">Gắn mã QR</h1><table><thead><tr><th>Thông tin</th><th>Nội dung</th></tr>'
        "</thead><tbody><tr><td><strong>Cơ quan</strong></td><td>UBND xã A</td></tr></tbody>"
        '</table><h2 id="thuc-trang-truoc-khi-co-sang-kien">Thực trạng</h2><p>Chờ lâu.</p>'
        '<h2 id="noi-dung-giai-phap">Nội dung giải pháp</h2><p>Dán mã QR.</p>'
        '<h2 id="huong-dan-nhan-rong">Hướng dẫn nhân rộng</h2><p>Bước 1: tập huấn.</p>'
        '<h2 id="loi-ich">Lợi ích</h2><p>Nhanh hơn.</p>'
        '<h2 id="tai-ve-va-dong-gop">Tải về</h2><p>DOCX</p>'
    )
    text = search.plain_text(search.record_search_content(content))
    for kept in ("Gắn mã QR", "UBND xã A", "Chờ lâu.", "Dán mã QR.", "Nhanh hơn."):
        assert kept in text
    for dropped in ("Cơ quan", "Thông tin", "tập huấn", "DOCX"):
        assert dropped not in text


def test_streaming_index_builds_the_same_parts_during_the_build(tmp_path: Path) -> None:
    # As the plugin drives it: each page's article handed over once converted, parts handed
    # to Pagefind once complete, the rest at the end.
    from generator.config import load_settings
    from generator.validate.check import check_registry

    root = Path(__file__).resolve().parents[2]
    settings = load_settings(root).with_(search_bundle_pages=2, jobs=1)
    registry = check_registry(settings).registry
    site = tmp_path / "site"
    rels = [f"sang-kien/qng-2024-000{n}/index.html" for n in range(1, 6)]
    index = search.StreamingIndex(site, settings, [*rels, "training/index.html"], registry)
    try:
        for n, rel in enumerate(rels, start=1):
            index.page_content(rel, article(f"Sáng kiến {n}", "Đổi mới thủ tục."), f"SK {n}")
        assert len(index.futures) == 2, "two full parts went to the worker during the build"
        index.page_content("tra-cuu/index.html", article("Tra cứu", "không lập chỉ mục"), "")
        index.page_content("training/index.html", article("Đào tạo", "Cách viết."), "Đào tạo")
        index.pages_done()
        figures = index.finish()
    finally:
        index.close()
    assert figures is not None and (figures["pages"], figures["parts"]) == (6, 3)
    bundle = site / "pagefind"
    assert json.loads((bundle / search.PARTS_FILE).read_text(encoding="utf-8")) == {
        "parts": ["part-2/", "part-3/"]
    }
    assert (bundle / "pagefind.js").is_file()
    leftovers = [p.name for p in site.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_streaming_index_with_nothing_to_index_leaves_it_to_index_site(tmp_path: Path) -> None:
    from generator.model import Registry

    index = search.StreamingIndex(tmp_path, Settings(jobs=1), [], Registry({}, {}, {}, ""))
    assert index.finish() is None
    assert list(tmp_path.iterdir()) == []


def test_streaming_index_writes_stand_ins_while_pages_arrive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stand-ins go to the worker in batches as pages are converted, so that only Pagefind is
    # left when a part's last page is; a page on disk that MkDocs never reported is still
    # indexed at the end, from its written HTML.
    from generator.config import load_settings
    from generator.validate.check import check_registry

    monkeypatch.setattr(search, "STAND_IN_BATCH", 2)
    root = Path(__file__).resolve().parents[2]
    settings = load_settings(root).with_(search_bundle_pages=10, jobs=1)
    registry = check_registry(settings).registry
    site = tmp_path / "site"
    rels = [f"sang-kien/qng-2024-000{n}/index.html" for n in range(1, 7)]
    index = search.StreamingIndex(site, settings, rels, registry)
    try:
        for n, rel in enumerate(rels[:5], start=1):
            index.page_content(rel, article(f"Sáng kiến {n}", "Đổi mới thủ tục."), f"SK {n}")
        assert not index.futures, "the part is not complete yet"
        assert sum(f.result() for f in index.batches[0]) == 4, "two batches of two"
        write_page(site, rels[5], "Sáng kiến 6", "Không được báo.")
        index.pages_done()
        figures = index.finish()
    finally:
        index.close()
    assert figures is not None and (figures["pages"], figures["parts"]) == (6, 1)
