"""Record -> Markdown rendering, browse pagination, macros and exports (no MkDocs involved)."""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import replace
from pathlib import Path

import markdown

from generator.config import load_settings
from generator.render import api, browse, macros
from generator.render.common import PAGE_SIZE, md_link, url_dir
from generator.render.initiative import initiative_page
from generator.render.pages import fill_blocks
from generator.render.site_pages import pages
from generator.validate.check import check_registry

ROOT = Path(__file__).resolve().parents[2]


def _html(md: str) -> str:
    body = md.split("---\n", 2)[2] if md.startswith("---\n") else md
    return markdown.markdown(body, extensions=["tables", "attr_list", "md_in_html", "admonition"])


def _article(page) -> str:
    """The page's article as the site writes it: the Markdown pass, then the blocks."""
    return fill_blocks(_html(page.markdown), page.html_blocks())


def test_initiative_page_shows_vietnamese_formats(loaded) -> None:
    registry, settings = loaded
    ini = next(
        i
        for i in registry.initiatives.values()
        if i.metrics and i.replication and i.replication.cost_vnd
    )
    page = initiative_page(ini, registry, settings)
    html = _article(page)
    assert page.markdown.startswith("---\ntitle: ")
    assert ini.recognitions[0].decision_date.strftime("%d/%m/%Y") in html
    cost = f"{ini.replication.cost_vnd:,}".replace(",", ".") + " đồng"
    assert cost in html
    m = ini.metrics[0]
    from generator.text.vn import format_percent_change

    change = format_percent_change(m.baseline, m.result)
    if change:
        assert change in html
    for section in ("Hướng dẫn nhân rộng", "Quá trình công nhận", "Kết quả đo được"):
        assert f'>{section}<a class="headerlink"' in html
    assert f"/edit/main/{ini.source}" in html
    assert f"tai-lieu/huong-dan/{ini.slug}.pdf" in html


def test_a_record_page_is_one_html_block_with_its_table_of_contents(loaded) -> None:
    """The site's Markdown pass sees a placeholder; the article and its TOC come ready."""
    registry, settings = loaded
    ini = next(i for i in registry.initiatives.values() if i.metrics and i.adoptions)
    page = initiative_page(ini, registry, settings)
    assert page.markdown.split("---\n", 2)[2].strip() == "<!--sk:0-->"
    assert len(page.html_blocks()) == 1
    html = _article(page)
    assert ini.metrics[0].indicator in html and "<table>" in html
    [title] = page.article().toc
    assert title.level == 1 and html.startswith(f'<h1 id="{title.id}">')
    sections = [(t.level, t.title, t.id) for t in title.children]
    assert (2, "Kết quả đo được", "ket-qua-do-duoc") in sections
    assert (2, "Đơn vị đã áp dụng", "don-vi-da-ap-dung") in sections
    steps = next(t for t in title.children if t.id == "huong-dan-nhan-rong").children
    assert "cac-buoc-thuc-hien" in [t.id for t in steps]
    for level, _, anchor in sections:
        assert f'<h{level} id="{anchor}">' in html


def test_a_record_cannot_write_a_block_placeholder(loaded) -> None:
    registry, settings = loaded
    ini = next(iter(registry.initiatives.values()))
    forged = replace(ini, title="<!--sk:0--> tiêu đề", problem="Đoạn <!--sk:1--> và `<!--sk:0-->`")
    page = initiative_page(forged, registry, settings)
    assert page.markdown.count("<!--sk:") == len(page.html_blocks())
    html = _article(page)
    assert '">&lt;!--sk:0--&gt; tiêu đề<a class="headerlink"' in html
    # Raw HTML is text; inside a code span it shows exactly as written.
    assert "Đoạn &lt;!--sk:1--&gt; và <code>&lt;!--sk:0--&gt;</code>" in html


def test_documents_off_drops_the_guide_links(loaded) -> None:
    registry, settings = loaded
    ini = next(iter(registry.initiatives.values()))
    html = _article(initiative_page(ini, registry, replace(settings, documents=False)))
    assert "tai-lieu/huong-dan/" not in html
    assert f"api/v1/initiatives/{ini.id}.json" in html


def test_every_generated_link_targets_a_generated_or_docs_page(loaded) -> None:
    import posixpath
    import re

    from generator.reports.site import pages as statistics_pages

    registry, settings = loaded
    generated = list(pages(registry, settings))
    # The agency pages' figures link to the statistics pages (another provider's).
    statistics = {p.uri for p in statistics_pages(registry, settings)}
    uris = {p.uri for p in generated} | {
        p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")
    }
    assert len(uris) == len({p.uri for p in generated}) + len(list((ROOT / "docs").rglob("*.md")))
    uris |= statistics
    served = {url_dir(u) for u in uris}
    for page in generated:
        for target in re.findall(r"\]\(([^)\s]+\.md)\)", page.full_markdown):
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page.uri), target))
            assert resolved in uris, (page.uri, target)
        # The HTML blocks link to pages as served (`../../co-quan/x/`).
        for target in re.findall(r'href="((?:\.\./)*[a-z0-9/-]+/)"', page.full_markdown):
            resolved = posixpath.normpath(posixpath.join(url_dir(page.uri), target)) + "/"
            assert resolved in served or resolved == "tra-cuu/", (page.uri, target)


def test_listings_paginate(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synth import generate

    generate(tmp_path / "registry", 3 * PAGE_SIZE, 7)
    settings = load_settings(ROOT).with_(project_dir=str(tmp_path), schema_dir=str(ROOT / "schema"))
    registry = check_registry(settings).registry
    out = {p.uri: p for p in browse.browse_pages(registry, settings)}
    year_pages = [u for u in out if "/trang-2.md" in u]
    assert year_pages, "a listing with more than PAGE_SIZE records must paginate"
    biggest = max(out.values(), key=lambda p: p.full_markdown.count("<li>"))
    assert 0 < biggest.full_markdown.count("<li>") <= PAGE_SIZE
    second = out[year_pages[0]]
    assert "Trang trước" in second.full_markdown and "(trang 2)" in second.full_markdown


def test_macros_expand_and_report_errors(loaded) -> None:
    registry, settings = loaded
    errors: list[str] = []
    text = macros.expand_macros(
        "<!-- sangkien:key-figures -->\n<!-- sangkien:latest limit=2 -->\n<!-- sangkien:nope -->",
        "index.md",
        registry,
        settings,
        on_error=errors.append,
    )
    assert f"<strong>{len(registry.initiatives)}</strong>" in text
    assert text.count('href="sang-kien/') == 2
    assert len(errors) == 1 and "nope" in errors[0]
    assert "Lỗi macro" in text


def test_md_link_climbs_to_the_root() -> None:
    assert md_link("sang-kien/a.md", "co-quan/b/index.md") == "../co-quan/b/index.md"
    assert md_link("index.md", "nam/2024/index.md") == "nam/2024/index.md"


def test_exports_carry_the_licence_and_resist_formula_injection(loaded, tmp_path: Path) -> None:
    registry, settings = loaded
    ini = next(iter(registry.initiatives.values()))
    evil = replace(ini, title='=HYPERLINK("http://x","bấm")', raw={**ini.raw, "title": "=cmd"})
    reg2 = replace(registry, initiatives={**registry.initiatives, ini.id: evil})
    rows = list(csv.reader(io.StringIO(api.csv_bytes(reg2, settings).decode("utf-8-sig"))))
    row = next(r for r in rows if r[0] == ini.id)
    assert row[1].startswith("'=")
    assert rows[0][-1] == "license" and row[-1] == settings.content_license

    from openpyxl import load_workbook

    (tmp_path / "x.xlsx").write_bytes(api.xlsx_bytes(reg2, settings))
    ws = load_workbook(tmp_path / "x.xlsx")["Sáng kiến"]
    cell = next(r for r in ws.iter_rows() if r[0].value == ini.id)[1]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")

    written = api.write_files(registry, settings, tmp_path / "site")
    assert "api/v1/initiatives.json" in written and "feed.xml" in written
    one = json.loads(
        (tmp_path / "site" / f"api/v1/initiatives/{ini.id}.json").read_text(encoding="utf-8")
    )
    assert one["license"]["name"] == "CC BY 4.0" and one["data"]["id"] == ini.id
    assert not list((tmp_path / "site").rglob(".tmp-*"))
