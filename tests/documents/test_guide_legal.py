"""The replication guide as a legal reviewer reads it: document types, legal labels,
citations in force, percentage points, plain typography. Read from the exported DOCX/PDF."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from datetime import date

import docx
import pytest
from pypdf import PdfReader

from generator.documents.guide import guide_markdown
from generator.render.initiative import initiative_article

from .docs_helpers import ROOT

TB_RECORD = "QNG-2024-0002"  # provincial review answered by Thông báo 118/TB-UBND
PROVINCIAL = "QNG-2024-0001"  # granted provincial-scope recognition
OTHER_ATTACHMENT = "QNG-2023-0001"  # an attachment of kind "khac"


def _run(*args: str) -> int:
    import contextlib
    import io

    from generator.cli import main

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main([*args, "--registry", str(ROOT / "registry")])


def _docx_text(path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def tb_guide(tmp_path_factory):
    out = tmp_path_factory.mktemp("guide-legal")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SANGKIEN_TODAY", "2026-12-02")
        for fmt in ("docx", "pdf"):
            assert (
                _run("export", "guide", TB_RECORD, "--format", fmt, "-o", str(out / f"g.{fmt}"))
                == 0
            )
    return out


def test_docx_names_a_notice_a_notice(tb_guide):
    text = _docx_text(tb_guide / "g.docx")
    assert "Thông báo số 118/TB-UBND" in text
    assert "Cấp tỉnh: Yêu cầu bổ sung (Thông báo số 118/TB-UBND)" in text
    assert "Quyết định số 3105/QĐ-UBND" in text
    # Never "QĐ" before a number, least of all before a notice or twice ("QĐ 210/QĐ-UBND").
    assert not re.search(r"\bQĐ \d", text)


def test_docx_cites_the_personal_data_law_in_force(tb_guide):
    text = _docx_text(tb_guide / "g.docx")
    assert "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15" in text
    assert "13/2023" not in text


def test_docx_and_pdf_bullets_are_hyphens(tb_guide):
    text = _docx_text(tb_guide / "g.docx")
    assert "•" not in text
    with zipfile.ZipFile(tb_guide / "g.docx") as zf:
        numbering = zf.read("word/numbering.xml").decode()
    bullets = re.findall(r'<w:numFmt w:val="bullet" />\s*<w:lvlText w:val="([^"]*)"', numbering)
    assert bullets and set(bullets) == {"-"}
    assert "Symbol" not in numbering and "Wingdings" not in numbering
    pdf = "\n".join(p.extract_text() for p in PdfReader(tb_guide / "g.pdf").pages)
    assert "•" not in pdf
    assert re.search(r"^- Mã số: " + TB_RECORD, pdf, re.M)


def test_guide_cites_the_old_decree_before_2026(registry, settings):
    old = replace(settings, today=date(2025, 12, 31))
    md = guide_markdown(registry.initiatives[TB_RECORD], registry, old)
    assert "Nghị định số 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân" in md
    assert "91/2025" not in md
    new = replace(settings, today=date(2026, 1, 1))
    assert "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15" in guide_markdown(
        registry.initiatives[TB_RECORD], registry, new
    )


def test_provincial_row_uses_the_legal_label(registry, settings):
    md = guide_markdown(registry.initiatives[PROVINCIAL], registry, settings)
    assert "| Cấp tỉnh | Công nhận phạm vi ảnh hưởng, hiệu quả áp dụng |" in md
    assert "Cấp tỉnh: Công nhận phạm vi ảnh hưởng, hiệu quả áp dụng (Quyết định số" in md
    assert "Đạt (được công nhận)" not in md


def test_other_attachment_prints_no_kind(registry, settings):
    ini = registry.initiatives[OTHER_ATTACHMENT]
    khac = [a for a in ini.attachments if a.kind == "khac"]
    assert khac
    md = guide_markdown(ini, registry, settings)
    html = initiative_article(ini, registry, settings).html
    assert "(Khác)" not in md and "(Khác)" not in html
    assert khac[0].title in md


def test_rate_changes_read_the_same_in_guide_and_training(registry, settings):
    """A "%" indicator changes by percentage points, written by one function everywhere."""
    from generator.render.training_macros import best_metrics
    from generator.text.vn import format_change

    rates = [
        (ini, m)
        for ini in registry.initiatives.values()
        for m in ini.metrics
        if m.unit.strip() == "%" and m.baseline is not None
    ]
    assert rates
    ini, m = rates[0]
    expected = format_change(m.baseline, m.result, m.unit)
    assert expected.endswith(" điểm phần trăm")
    assert f"| {expected} |" in guide_markdown(ini, registry, settings)
    table = best_metrics({"limit": "20"}, "training/03.md", registry, settings)
    assert "điểm %" not in table
    assert all("điểm phần trăm" in row for row in table.splitlines() if "(%)" in row)


def test_guide_prose_uses_curly_quotes(registry, settings):
    md = guide_markdown(registry.initiatives[PROVINCIAL], registry, settings)
    assert "“Chưa”" in md and '"Chưa"' not in md


def test_record_page_names_the_document_type(registry, settings):
    html = initiative_article(registry.initiatives[TB_RECORD], registry, settings).html
    assert "Thông báo số 118/TB-UBND" in html and "Quyết định số 3105/QĐ-UBND" in html
    html = initiative_article(registry.initiatives[PROVINCIAL], registry, settings).html
    assert "Công nhận phạm vi ảnh hưởng, hiệu quả áp dụng" in html
    assert "Đạt (được công nhận)" not in html
