"""Exports opened with real readers: python-docx for DOCX, pypdf for PDF, and the CLI."""

from __future__ import annotations

import re
import unicodedata
import zipfile

import docx
import pytest
from docx.shared import Cm, Pt
from pypdf import PdfReader

from generator.documents.convert import convert
from generator.documents.guide import PART_TITLES, guide_markdown
from generator.layout import NATIONAL_NAME, PLACE_DATE_BLANK

from .docs_helpers import ROOT, norm, plain

A4_MM = (210.0, 297.0)
VIETNAMESE = (
    "aàảãáạ ăằẳẵắặ âầẩẫấậ đ eèẻẽéẹ êềểễếệ iìỉĩíị oòỏõóọ ôồổỗốộ ơờởỡớợ uùủũúụ ưừửữứự yỳỷỹýỵ "
    "AÀẢÃÁẠ ĂẰẲẴẮẶ ÂẦẨẪẤẬ Đ EÈẺẼÉẸ ÊỀỂỄẾỆ IÌỈĨÍỊ OÒỎÕÓỌ ÔỒỔỖỐỘ ƠỜỞỠỚỢ UÙỦŨÚỤ ƯỪỬỮỨỰ YỲỶỸÝỴ"
)


@pytest.fixture(scope="module")
def guide_files(tmp_path_factory, run_cli_module, rich_record):
    out = tmp_path_factory.mktemp("guide")
    paths = {}
    for fmt in ("docx", "pdf", "md", "html"):
        path = out / f"guide.{fmt}"
        code, stdout, stderr = run_cli_module(
            "export", "guide", rich_record.id, "--format", fmt, "-o", str(path)
        )
        assert code == 0, stderr
        assert "written" in stdout
        paths[fmt] = path
    return paths


@pytest.fixture(scope="module")
def run_cli_module():
    import contextlib
    import io

    from generator.cli import main

    def run(*args):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([*args, "--registry", str(ROOT / "registry")])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 2
        return code, out.getvalue(), err.getvalue()

    return run


def _check_decree30_docx(path):
    d = docx.Document(str(path))
    sec = d.sections[0]
    assert abs(sec.page_width.mm - A4_MM[0]) < 0.5 and abs(sec.page_height.mm - A4_MM[1]) < 0.5
    assert 20 <= round(sec.top_margin.mm) <= 25 and 20 <= round(sec.bottom_margin.mm) <= 25
    assert 30 <= round(sec.left_margin.mm) <= 35 and 15 <= round(sec.right_margin.mm) <= 20
    # Page numbers: centred PAGE field in the header, none on the first page.
    assert sec.different_first_page_header_footer
    default_xml = sec.header._element.xml
    assert "PAGE" in default_xml and 'w:val="center"' in default_xml
    assert "PAGE" not in sec.first_page_header._element.xml
    for name in ("Normal", "Body Text", "First Paragraph"):
        style = d.styles[name]
        fmt = style.paragraph_format
        assert style.font.name == "Times New Roman"
        assert Pt(13) <= style.font.size <= Pt(14)
        assert fmt.alignment == 3  # justified
        assert Cm(1) <= fmt.first_line_indent <= Cm(1.3)
        assert fmt.space_after >= Pt(6)
        assert 1.0 <= fmt.line_spacing <= 1.5
    with zipfile.ZipFile(path) as zf:
        styles = zf.read("word/styles.xml").decode()
    # Every script slot names the serif, so Vietnamese runs never fall back to another font.
    assert 'w:eastAsia="Times New Roman"' in styles and 'w:cs="Times New Roman"' in styles
    return d


def test_guide_docx_follows_decree_30(guide_files, rich_record):
    d = _check_decree30_docx(guide_files["docx"])
    text = norm("\n".join(p.text for p in d.paragraphs))
    assert norm(rich_record.title) in text
    for title in PART_TITLES:
        assert title in text
    body = [p for p in d.paragraphs if p.style.name in ("Body Text", "First Paragraph")]
    assert body, "the guide has body paragraphs in the Decree 30 body style"


def _pdf_fonts(reader):
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            desc = (
                font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                if "/DescendantFonts" in font
                else font.get("/FontDescriptor")
            )
            fonts[str(font["/BaseFont"])] = desc is not None and any(
                k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    return fonts


def test_guide_pdf_is_a4_embeds_the_font_and_numbers_pages(guide_files, rich_record):
    reader = PdfReader(str(guide_files["pdf"]))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(w - 595.28) < 1 and abs(h - 841.89) < 1
    fonts = _pdf_fonts(reader)
    assert fonts and all(fonts.values()), fonts
    assert all("Tinos" in name for name in fonts)
    first = reader.pages[0].extract_text().strip()
    second = reader.pages[1].extract_text().strip()
    assert not re.match(r"^1\b", first), "no page number on page 1"
    assert second.startswith("2"), "page 2 carries its number at the top"
    text = norm(" ".join(p.extract_text() for p in reader.pages))
    assert norm(rich_record.title) in text
    # A paragraph of the record's own text comes back exactly (NFC, whitespace aside).
    first_para = plain(rich_record.problem.split("\n\n")[0])
    assert first_para in text


def test_every_vietnamese_letter_survives_pdf_and_docx(tmp_path):
    md = f"# Kiểm tra dấu\n\n{VIETNAMESE}\n"
    pdf = convert(md, "pdf", tmp_path / "vn.pdf")
    text = norm(" ".join(p.extract_text() for p in PdfReader(str(pdf)).pages))
    assert norm(VIETNAMESE) in text
    # Text typed on Windows often arrives decomposed (NFD): it must print the same.
    nfd = unicodedata.normalize("NFD", VIETNAMESE)
    pdf2 = convert(f"{nfd}\n", "pdf", tmp_path / "nfd.pdf")
    text2 = norm(" ".join(p.extract_text() for p in PdfReader(str(pdf2)).pages))
    assert norm(VIETNAMESE) in text2
    d = docx.Document(str(convert(md, "docx", tmp_path / "vn.docx")))
    assert norm(VIETNAMESE) in norm(" ".join(p.text for p in d.paragraphs))


def test_guide_markdown_and_html(guide_files, rich_record):
    md = guide_files["md"].read_text(encoding="utf-8")
    for title in PART_TITLES:
        assert f"# {title}" in md
    assert "```{=" not in md, "the Markdown export carries no raw OpenXML/typst"
    html = guide_files["html"].read_text(encoding="utf-8")
    assert 'lang="vi"' in html
    assert "Có phù hợp với đơn vị bạn?" in html
    assert rich_record.id in html


def test_guide_says_what_is_missing(registry, settings):
    from generator.model import initiative_from_dict

    base = next(iter(registry.initiatives.values()))
    raw = {
        k: v
        for k, v in base.raw.items()
        if k not in ("replication", "metrics", "adoptions", "attachments", "novelty", "conditions")
    }
    bare = initiative_from_dict(raw, base.source)
    md = guide_markdown(bare, registry, settings)
    assert "Hồ sơ chưa có thông tin về các bước triển khai" in md
    assert "Hồ sơ chưa có thông tin về số liệu đo hiệu quả" in md
    # No empty part: every heading is followed by text before the next heading.
    sections = re.split(r"^# .*$", md, flags=re.M)[1:]
    assert len(sections) == 12 and all(s.strip() for s in sections)


def test_forms_prefilled_and_blank(tmp_path, run_cli_module, rich_record):
    for kind, title in (
        ("don", "ĐƠN YÊU CẦU CÔNG NHẬN SÁNG KIẾN"),
        ("mo-ta", "BẢN MÔ TẢ SÁNG KIẾN"),
    ):
        out = tmp_path / f"{kind}.docx"
        code, _o, err = run_cli_module(
            "export", "form", rich_record.id, "--kind", kind, "--format", "docx", "-o", str(out)
        )
        assert code == 0, err
        d = _check_decree30_docx(out)
        text = norm("\n".join(p.text for p in d.paragraphs))
        cells = norm(" ".join(c.text for t in d.tables for r in t.rows for c in r.cells))
        assert (
            NATIONAL_NAME == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and NATIONAL_NAME in text + cells
        )
        assert "Độc lập - Tự do - Hạnh phúc" in text + cells
        assert title in text
        # A record filed on another day: the place-date line is left blank for the signer.
        assert PLACE_DATE_BLANK in cells
        assert all(norm(a.name) in cells for a in rich_record.authors)
        blank = tmp_path / f"blank-{kind}.pdf"
        code, _o, err = run_cli_module(
            "export", "form", "--blank", "--kind", kind, "--format", "pdf", "-o", str(blank)
        )
        assert code == 0, err
        btext = norm(" ".join(p.extract_text() for p in PdfReader(str(blank)).pages))
        assert title in btext and PLACE_DATE_BLANK in btext
        assert rich_record.title not in btext


def test_export_refuses_bad_input_without_leaving_files(tmp_path, run_cli_module, rich_record):
    out = tmp_path / "x.docx"
    code, _o, err = run_cli_module("export", "guide", "QNG-1999-9999", "-o", str(out))
    assert code == 1
    assert "QNG-1999-9999" in err and "no initiative" in err
    assert not out.exists() and list(tmp_path.iterdir()) == []
    out.write_text("giữ nguyên")
    code, _o, err = run_cli_module("export", "guide", rich_record.id, "-o", str(out))
    assert code == 1 and "not overwriting" in err
    assert out.read_text() == "giữ nguyên"


def test_export_help_is_bilingual(run_cli):
    code, out, _err = run_cli("export", "--help")
    assert code == 0
    assert "hướng dẫn nhân rộng" in out and "replication guide" in out
    code, out, _err = run_cli("import", "--help")
    assert code == 0
    assert "bản nháp" in out and "draft" in out


def test_record_markdown_cannot_inject_typst_or_openxml(tmp_path, registry, settings):
    """Records arrive by pull request: raw-format blocks in their text are dropped (SK412)."""
    from generator.model import initiative_from_dict

    base = next(iter(registry.initiatives.values()))
    evil = 'Trước đây.\n\n```{=typst}\n#panic("injected")\n```\n\n`x`{=openxml} <script>alert(1)</script>\n'
    ini = initiative_from_dict({**base.raw, "problem": evil}, base.source)
    for fmt in ("pdf", "docx", "html"):
        md = guide_markdown(ini, registry, settings, target=fmt)
        assert "{=typst}" not in md.split("# 3.")[0].split("# 2.")[1]
        warnings = []
        out = convert(md, fmt, tmp_path / f"evil.{fmt}", on_warning=warnings.append)
        assert out.stat().st_size > 0
        assert {d.code for d in warnings} == {"SK412"}
        assert {d.file for d in warnings} == {base.source}
    text = norm(" ".join(p.extract_text() for p in PdfReader(str(tmp_path / "evil.pdf")).pages))
    assert "panic" not in text, "the raw code neither runs nor shows"
    assert norm(evil.split(".")[0]) in text
    assert "<script>" not in (tmp_path / "evil.html").read_text(encoding="utf-8")


def test_docx_names_times_new_roman_with_tinos_fallback(guide_files):
    with zipfile.ZipFile(guide_files["docx"]) as zf:
        fonts = zf.read("word/fontTable.xml").decode()
    entry = re.search(r'<w:font w:name="Times New Roman">(.*?)</w:font>', fonts, flags=re.S)
    assert entry and '<w:altName w:val="Tinos"/>' in entry.group(1)
