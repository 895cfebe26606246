"""The documents of the built site: guides linked from every initiative page, forms, training."""

from __future__ import annotations

import os
import re

import docx
import pytest
import yaml
from pypdf import PdfReader

from generator.documents.site import build_documents, jobs, write_files

from .docs_helpers import ROOT, norm

MODULES = sorted(p.stem for p in (ROOT / "docs" / "training").glob("*.md") if p.name != "index.md")


def test_training_has_the_seven_modules_with_every_part():
    assert len(MODULES) >= 7
    for stem in MODULES:
        text = (ROOT / "docs" / "training" / f"{stem}.md").read_text(encoding="utf-8")
        for heading in ("## Mục tiêu", "## Nội dung", "## Bài tập", "## Tự kiểm tra"):
            assert heading in text, (stem, heading)
        assert "<!-- sangkien:handout-links" in text
        # Worked examples come from the registry at build time, through a macro.
        assert re.search(
            r"<!-- sangkien:(examples|best-metrics|adopted-examples|recognition-path|form-example|type-examples)\b",
            text,
        ), stem
    module4 = (ROOT / "docs" / "training" / "04-cach-trinh-bay-sang-kien.md").read_text(
        encoding="utf-8"
    )
    assert module4.count("**Tốt:**") >= 10 and module4.count("**Chưa tốt:**") >= 10


@pytest.fixture
def small_project(tmp_path, make_registry, registry):
    """A scratch project holding three records of the bundled registry."""
    project = make_registry(tmp_path / "docs-site")
    keep = sorted(registry.initiatives)[:3]
    for path in (project / "registry" / "initiatives").rglob("*.yml"):
        if path.stem not in keep:
            path.unlink()
    # Records kept may name related ids that were removed: drop those references.
    for path in (project / "registry" / "initiatives").rglob("*.yml"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"^related:.*\n", "", text, flags=re.M)
        path.write_text(text, encoding="utf-8")
    return project, keep


def _load(project):
    from generator.config import load_settings
    from generator.validate.check import check_registry

    settings = load_settings(project)
    result = check_registry(settings)
    return settings, result.registry


def test_incremental_build_converts_only_changed_records(small_project, tmp_path):
    project, keep = small_project
    settings, registry = _load(project)
    # Only the guides, for speed: the forms and handouts go through the same cache.
    guide_jobs = [
        j for j in jobs(registry, settings) if j.site_path.startswith("tai-lieu/huong-dan/")
    ]
    assert len(guide_jobs) == 2 * len(keep)
    out = tmp_path / "site"
    written, stats = build_documents(registry, settings, out, guide_jobs)
    assert stats["converted"] + stats["cached"] == len(guide_jobs)
    for path in written:
        assert (out / path).stat().st_size > 1000
    written, stats = build_documents(registry, settings, out, guide_jobs)
    assert stats == {"converted": 0, "cached": len(guide_jobs)}
    # Edit one record: only its two documents are converted again.
    path = next((project / "registry" / "initiatives").rglob(f"{keep[0]}.yml"))
    data_text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(data_text)
    new_title = data["title"] + " (sửa đổi)"
    path.write_text(
        data_text.replace(f"title: {data['title']}", f"title: {new_title}", 1), encoding="utf-8"
    )
    settings, registry = _load(project)
    assert registry.initiatives[keep[0]].title == new_title
    guide_jobs = [
        j for j in jobs(registry, settings) if j.site_path.startswith("tai-lieu/huong-dan/")
    ]
    written, stats = build_documents(registry, settings, out, guide_jobs)
    assert stats == {"converted": 2, "cached": len(guide_jobs) - 2}
    d = docx.Document(str(out / f"tai-lieu/huong-dan/{keep[0].lower()}.docx"))
    assert new_title in norm(" ".join(p.text for p in d.paragraphs))


def test_documents_setting_off_writes_nothing(small_project, tmp_path):
    project, _keep = small_project
    settings, registry = _load(project)
    out = tmp_path / "site"
    assert write_files(registry, settings.with_(documents=False), out) == []
    assert not out.exists()


def test_every_initiative_page_links_working_guides(built_site, registry):
    if os.environ.get("SANGKIEN_FAST_TESTS") == "1":
        pytest.skip("site built without documents")
    for ini in registry.initiatives.values():
        page = (built_site / "sang-kien" / ini.slug / "index.html").read_text(encoding="utf-8")
        for fmt in ("docx", "pdf"):
            href = f"tai-lieu/huong-dan/{ini.slug}.{fmt}"
            assert href in page, (ini.id, fmt)
            assert (built_site / href).stat().st_size > 1000
    pdf = PdfReader(str(built_site / f"tai-lieu/huong-dan/{ini.slug}.pdf"))
    assert norm(ini.title) in norm(" ".join(p.extract_text() for p in pdf.pages))


def test_forms_and_training_handouts_download(built_site, registry):
    if os.environ.get("SANGKIEN_FAST_TESTS") == "1":
        pytest.skip("site built without documents")
    for stem in ("don-yeu-cau-cong-nhan", "ban-mo-ta-sang-kien"):
        for fmt in ("docx", "pdf"):
            assert (built_site / f"tai-lieu/mau/{stem}.{fmt}").stat().st_size > 1000
    for stem in MODULES:
        pdf = built_site / f"tai-lieu/dao-tao/{stem}.pdf"
        text = norm(" ".join(p.extract_text() for p in PdfReader(str(pdf)).pages))
        assert "Mục tiêu" in text and "Tự kiểm tra" in text
        assert "sangkien:" not in text, "macros are expanded in the handout"
        d = docx.Document(str(built_site / f"tai-lieu/dao-tao/{stem}.docx"))
        assert d.sections[0].different_first_page_header_footer
        page = (built_site / "training" / stem / "index.html").read_text(encoding="utf-8")
        assert f"tai-lieu/dao-tao/{stem}.pdf" in page and f"tai-lieu/dao-tao/{stem}.docx" in page
    course = PdfReader(str(built_site / "tai-lieu/dao-tao/khoa-hoc.pdf"))
    course_text = norm(" ".join(p.extract_text() for p in course.pages))
    assert "Bài 1. Thế nào là sáng kiến" in course_text and "Bài 7." in course_text
    # Module 3's worked examples link real records of the registry.
    page = (built_site / "training" / "03-do-luong-loi-ich" / "index.html").read_text(
        encoding="utf-8"
    )
    linked = re.findall(r'href="\.\./\.\./sang-kien/(qng-\d{4}-\d{4})/"', page)
    assert linked and all(x.upper() in registry.initiatives for x in linked)


def test_macro_examples_follow_the_data(registry, settings):
    from generator.render.macros import expand_macros

    md = expand_macros(
        "<!-- sangkien:best-metrics limit=2 -->\n<!-- sangkien:recognition-path limit=2 -->",
        "training/x.md",
        registry,
        settings,
    )
    ids = re.findall(r"\((QNG-\d{4}-\d{4})\)", md)
    assert ids and all(i in registry.initiatives for i in ids)
    assert "Lỗi macro" not in md
