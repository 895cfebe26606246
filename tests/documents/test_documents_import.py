"""`sangkien import`: Word files written in different ways -> draft YAML; bad input refused."""

from __future__ import annotations

import contextlib
import io
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from generator.documents.legacy import encode_tcvn3, encode_vni

from .docs_helpers import ROOT, plain

PROBLEM = "Người dân phải hỏi cán bộ để biết giấy tờ cần mang, mất trung bình 15 phút mỗi thủ tục."
SOLUTION_ITEMS = [
    "Lập danh mục thủ tục và đường dẫn.",
    "In mã QR cho từng thủ tục.",
    "Cập nhật khi thủ tục thay đổi.",
]
BENEFITS = "Thời gian tra cứu giảm từ 15 phút xuống 3 phút."


def run(*args, cwd=None):
    from generator.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([*args, "--registry", str(ROOT / "registry")])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def run_import(tmp_path, src, output=None):
    """`sangkien import SRC` into a scratch copy of the registry: (code, out, err, draft path).

    Drafts are only ever written inside the registry, with a new id; `output` (relative to
    registry/initiatives/) asks for one id.
    """
    import re
    import shutil

    project = tmp_path / "project"
    if not project.is_dir():
        shutil.copytree(ROOT / "registry", project / "registry")
    registry = project / "registry"
    args = ["import", str(src)]
    if output:
        args += ["-o", str(registry / "initiatives" / output)]
    from generator.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([*args, "--registry", str(registry)])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    m = re.search(r"draft written: (\S+)", out.getvalue())
    return code, out.getvalue(), err.getvalue(), (Path(m.group(1)) if m else None)


def load(path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        "# yaml-language-server: $schema=../../../schema/initiative.schema.json\n"
    )
    return text, yaml.safe_load(text)


def authors_table(doc, with_personal=True):
    head = [
        "STT",
        "Họ và tên",
        "Ngày tháng năm sinh",
        "Nơi công tác",
        "Chức danh",
        "Trình độ chuyên môn",
        "Tỷ lệ (%) đóng góp",
    ]
    rows = [
        [
            "1",
            "Nguyễn Thị Lan",
            "12/03/1985",
            "UBND xã Bình Sơn",
            "Công chức Văn phòng - Thống kê",
            "Đại học",
            "70",
        ],
        ["2", "Trần Văn Minh", "01/01/1990", "UBND xã Bình Sơn", "Chuyên viên", "Thạc sĩ", "30"],
    ]
    if not with_personal:
        keep = [1, 3, 4, 6]
        head = [head[i] for i in keep]
        rows = [[r[i] for i in keep] for r in rows]
    t = doc.add_table(rows=1 + len(rows), cols=len(head))
    for i, h in enumerate(head):
        t.rows[0].cells[i].text = h
    for r, row in enumerate(rows, 1):
        for i, v in enumerate(row):
            t.rows[r].cells[i].text = v


def check_common(data, *, authors=True):
    assert data["title"] == "Gắn mã QR tra cứu thủ tục hành chính tại Bộ phận Một cửa"
    assert plain(data["problem"]) == plain(PROBLEM)
    for item in SOLUTION_ITEMS:
        assert item in data["solution"]
    assert plain(data["benefits"]) == plain(BENEFITS)
    assert data["first_applied"].isoformat() == "2024-03-01"
    assert data["fields"] == ["cai-cach-hanh-chinh", "chuyen-doi-so"]
    if authors:
        assert [a["name"] for a in data["authors"]] == ["Nguyễn Thị Lan", "Trần Văn Minh"]
        assert [a["contribution_pct"] for a in data["authors"]] == [70, 30]
        assert data["authors"][0]["position"] == "Công chức Văn phòng - Thống kê"


def test_headings_style(tmp_path):
    """Headings typed as Word headings, in capitals, numbered; a bullet list for the steps."""
    d = docx.Document()
    d.add_heading("ĐƠN YÊU CẦU CÔNG NHẬN SÁNG KIẾN", 0)
    authors_table(d)
    d.add_heading("1. TÊN SÁNG KIẾN", 1)
    d.add_paragraph("Gắn mã QR tra cứu thủ tục hành chính tại Bộ phận Một cửa")
    d.add_heading("2. Lĩnh vực áp dụng", 1)
    d.add_paragraph("Cải cách hành chính; Chuyển đổi số")
    d.add_heading("3. Ngày áp dụng lần đầu", 1)
    d.add_paragraph("Ngày 01 tháng 3 năm 2024")
    d.add_heading("4. Thực trạng", 1)
    d.add_paragraph(PROBLEM)
    d.add_heading("5. Mô tả bản chất của sáng kiến", 1)
    for item in SOLUTION_ITEMS:
        d.add_paragraph(item, style="List Bullet")
    d.add_heading("6. Lợi ích thu được", 1)
    d.add_paragraph(BENEFITS)
    d.add_heading("7. Những thông tin cần được bảo mật (nếu có)", 1)
    d.add_paragraph("Mật khẩu quản trị: abc123")
    src = tmp_path / "headings.docx"
    d.save(src)
    code, stdout, stderr, out = run_import(tmp_path, src, "2024/QNG-2024-0999.yml")
    assert code == 0, stderr
    text, data = load(out)
    check_common(data)
    assert data["id"] == "QNG-2024-0999"
    assert "- Lập danh mục" in data["solution"], "the bullet list stays a Markdown list"
    # Personal and confidential data never reach the draft, and the user is told.
    assert "12/03/1985" not in text and "Đại học" not in text and "abc123" not in text
    assert "birth dates" in stdout and "qualifications" in stdout and "confidential" in stdout
    assert "# TODO: summary" in text
    # The authors' workplace names the agency when the form has no addressee.
    assert data["agency"] == "ubnd-xa-binh-son"
    assert data["agency_name_at_time"] == "UBND xã Bình Sơn"
    assert "mapped" in stdout and "title" in stdout


def test_numbered_bold_labels_without_diacritics_and_nfd(tmp_path):
    """'1. Ten sang kien:' typed without diacritics, bold labels, values inline, NFD text."""
    d = docx.Document()
    p = d.add_paragraph()
    p.add_run("1. Ten sang kien:").bold = True
    p.add_run(
        " "
        + unicodedata.normalize("NFD", "Gắn mã QR tra cứu thủ tục hành chính tại Bộ phận Một cửa")
    )
    d.add_paragraph(
        unicodedata.normalize("NFD", "2. Linh vuc ap dung: cải cách hành chính, chuyển đổi số")
    )
    d.add_paragraph(
        "3. Ngay sang kien duoc ap dung lan dau hoac ap dung thu: 01/03/2024 (áp dụng thử)"
    )
    d.add_paragraph("4. Tình trạng giải pháp đã biết: " + unicodedata.normalize("NFD", PROBLEM))
    p = d.add_paragraph()
    p.add_run("5. Noi dung giai phap:").bold = True
    for item in SOLUTION_ITEMS:
        d.add_paragraph(item, style="List Number")
    d.add_paragraph("6. Hiệu quả, lợi ích thu được: " + BENEFITS)
    d.add_paragraph("7. Tác giả:")
    authors_table(d, with_personal=False)
    src = tmp_path / "numbered.docx"
    d.save(src)
    code, _stdout, stderr, out = run_import(tmp_path, src)
    assert code == 0, stderr
    text, data = load(out)
    assert unicodedata.is_normalized("NFC", text)
    check_common(data)
    assert data["first_applied_kind"] == "ap-dung-thu"
    assert "1. Lập danh mục" in data["solution"]


def _legacy_doc(path, font, encode):
    d = docx.Document()

    def para(text, bold=False):
        p = d.add_paragraph()
        run_ = p.add_run(encode(text))
        run_.bold = bold
        rpr = run_._r.get_or_add_rPr()
        fonts = OxmlElement("w:rFonts")
        for slot in ("w:ascii", "w:hAnsi"):
            fonts.set(qn(slot), font)
        rpr.insert(0, fonts)

    para("Tên sáng kiến: Gắn mã QR tra cứu thủ tục hành chính tại Bộ phận Một cửa")
    para("Lĩnh vực áp dụng: cải cách hành chính; chuyển đổi số")
    para("Ngày áp dụng lần đầu: 01/03/2024")
    para("Tình trạng giải pháp đã biết: " + PROBLEM)
    para("Mô tả bản chất của sáng kiến:")
    for item in SOLUTION_ITEMS:
        para(item)
    para("Lợi ích thu được: " + BENEFITS)
    d.save(path)


@pytest.mark.parametrize(
    ("font", "encode", "name"),
    [(".VnTime", encode_tcvn3, "TCVN3"), ("VNI-Times", encode_vni, "VNI")],
)
def test_legacy_fonts_are_converted(tmp_path, font, encode, name):
    src = tmp_path / "legacy.docx"
    # TCVN3's normal font has no toned capitals: keep the sample's capitals plain.
    _legacy_doc(src, font, encode)
    code, stdout, stderr, out = run_import(tmp_path, src)
    assert code == 0, stderr
    assert name in stdout
    _text, data = load(out)
    check_common(data, authors=False)


def test_unsupported_legacy_font_is_refused(tmp_path):
    src = tmp_path / "vps.docx"
    _legacy_doc(src, "VPS Times", lambda s: s)
    code, _o, err, out = run_import(tmp_path, src)
    assert code == 1
    assert "VPS Times" in err and "Unicode" in err
    assert out is None


def test_round_trip_export_then_import(tmp_path, registry):
    """A form exported from a record and imported again gives back the record's values."""
    candidates = [
        i
        for i in registry.initiatives.values()
        if i.novelty and i.conditions and i.benefits and i.first_applied
    ][:3]
    assert candidates
    for ini in candidates:
        for kind in ("don", "mo-ta"):
            form = tmp_path / f"{ini.slug}-{kind}.docx"
            code, _o, err = run(
                "export", "form", ini.id, "--kind", kind, "--format", "docx", "-o", str(form)
            )
            assert code == 0, err
            code, _o, err, out = run_import(tmp_path, form)
            assert code == 0, err
            _text, data = load(out)
            assert data["title"] == ini.title
            assert [a["name"] for a in data["authors"]] == [a.name for a in ini.authors]
            assert [a.get("position") for a in data["authors"]] == [a.position for a in ini.authors]
            assert [a.get("contribution_pct") for a in data["authors"]] == [
                a.contribution_pct for a in ini.authors
            ]
            assert data["first_applied"] == ini.first_applied
            assert data["first_applied_kind"] == ini.first_applied_kind
            assert data["fields"] == list(ini.fields)
            fields = (
                ("solution", "conditions", "benefits")
                if kind == "don"
                else ("problem", "solution", "novelty", "conditions", "benefits")
            )
            for name in fields:
                assert plain(data[name]) == plain(getattr(ini, name)), (ini.id, kind, name)
            if kind == "don":
                # The form names the investor explicitly: without `investor` it is the
                # owning agency as named at the time. Import maps that name back to the
                # agency, or leaves a to-do when the name is not an agency's current name,
                # never a wrong agency.
                got = data.get("investor")
                assert got == (ini.investor or ini.agency) or (not ini.investor and got is None)


def test_never_overwrites(tmp_path):
    d = docx.Document()
    d.add_paragraph("Tên sáng kiến: Thử")
    src = tmp_path / "a.docx"
    d.save(src)
    # An existing record, asked for by name: refused, the record is untouched.
    code, _o, err, _out = run_import(tmp_path, src)
    assert code == 0, err
    record = next((tmp_path / "project" / "registry" / "initiatives").glob("*/QNG-*.yml"))
    before = record.read_bytes()
    code, _o, err, out = run_import(tmp_path, src, f"{record.parent.name}/{record.name}")
    assert code == 1 and "not overwriting" in err and out is None
    assert record.read_bytes() == before
    # An id already used in another year's folder is not new either.
    moved = f"{int(record.parent.name) + 1}/{record.name}"
    code, _o, err, out = run_import(tmp_path, src, moved)
    assert code == 1 and out is None
    # Anywhere outside the registry: refused, nothing written.
    outside = tmp_path / "exists.yml"
    outside.write_text("id: giữ nguyên\n", encoding="utf-8")
    for target in (outside, tmp_path / "QNG-2025-0999.yml", tmp_path / "new.yml"):
        code, _o, err = run("import", str(src), "-o", str(target))
        assert code == 1 and "only inside the registry" in err, err
    assert outside.read_text(encoding="utf-8") == "id: giữ nguyên\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx", "exists.yml", "project"]


def _password_protected(path):
    # What Word writes for an encrypted .docx: an OLE compound file holding "EncryptedPackage".
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    path.write_bytes(header + "EncryptedInfo EncryptedPackage".encode("utf-16-le") + b"\x00" * 1024)


@pytest.mark.parametrize(
    ("maker", "expected"),
    [
        (lambda p: p.write_text("Đây không phải tệp Word", encoding="utf-8"), "not a DOCX"),
        (lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 40), "corrupt"),
        (_password_protected, "password-protected"),
        (lambda p: zipfile.ZipFile(p, "w").writestr("hello.txt", "x"), "not a Word document"),
    ],
)
def test_bad_input_is_refused_clearly(tmp_path, maker, expected):
    src = tmp_path / "bad.docx"
    maker(src)
    code, _stdout, err, out = run_import(tmp_path, src)
    assert code == 1
    assert expected in err and str(src) in err
    assert "Traceback" not in err
    assert out is None
    written = tmp_path / "project" / "registry" / "initiatives"
    assert not list(written.glob("*/.*")), "no partial file left behind"


def test_truncated_docx_is_corrupt(tmp_path):
    d = docx.Document()
    d.add_paragraph("Tên sáng kiến: Thử")
    good = tmp_path / "good.docx"
    d.save(good)
    src = tmp_path / "bad.docx"
    src.write_bytes(good.read_bytes()[:-200])
    code, _o, err, _out = run_import(tmp_path, src)
    assert code == 1 and "corrupt" in err


def test_legacy_tables():
    from generator.documents.legacy import decode_tcvn3, decode_vni, font_encoding

    # The mojibake quoted in the issue, read back through the TCVN3 chart.
    assert decode_tcvn3("ViÖt Nam - Céng hoµ") == "Việt Nam - Cộng hoà"
    # .VnTimeH draws the same codes as capitals.
    assert decode_tcvn3("céng hoµ", caps=True) == "CỘNG HOÀ"
    assert decode_vni("Vieät Nam - Coäng hoøa") == "Việt Nam - Cộng hòa"
    assert font_encoding(".VnTimeH") == "tcvn3-caps"
    assert font_encoding("VNI-Helve") == "vni"
    assert font_encoding("Times New Roman") is None


def test_default_output_is_the_next_free_id(tmp_path, make_registry, monkeypatch):
    project = make_registry(tmp_path)
    d = docx.Document()
    d.add_paragraph("Tên sáng kiến: Sổ tay điện tử hướng dẫn thủ tục")
    d.add_paragraph("Ngày áp dụng lần đầu: 05/02/2025")
    src = tmp_path / "don.docx"
    d.save(src)
    folder = project / "registry" / "initiatives" / "2025"
    before = sorted(p.name for p in folder.glob("*.yml")) if folder.is_dir() else []
    last = max((int(n[9:13]) for n in before), default=0)
    monkeypatch.chdir(project)
    from generator.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["import", str(src)])
    assert code == 0, err.getvalue()
    expected = folder / f"QNG-2025-{last + 1:04d}.yml"
    assert expected.is_file()
    assert str(expected.relative_to(project)) in out.getvalue() or expected.name in out.getvalue()
    _text, data = load(expected)
    assert data["id"] == expected.stem
    assert data["first_applied"].isoformat() == "2025-02-05"


def test_form_laid_out_as_a_table(tmp_path):
    """Some units type the form as a two-column table: label | value."""
    d = docx.Document()
    d.add_paragraph("BẢN MÔ TẢ SÁNG KIẾN")
    rows = [
        ("Tên sáng kiến", "Gắn mã QR tra cứu thủ tục hành chính tại Bộ phận Một cửa"),
        ("Lĩnh vực áp dụng", "Cải cách hành chính; Chuyển đổi số"),
        ("Ngày áp dụng lần đầu", "01/03/2024"),
        ("Tình trạng giải pháp đã biết", PROBLEM),
        ("Lợi ích thu được", BENEFITS),
    ]
    t = d.add_table(rows=len(rows), cols=2)
    for r, (label_text, value) in enumerate(rows):
        t.rows[r].cells[0].text = label_text
        t.rows[r].cells[1].text = value
    d.add_paragraph("Mô tả bản chất của sáng kiến:")
    for item in SOLUTION_ITEMS:
        d.add_paragraph(item, style="List Bullet")
    authors_table(d)
    src = tmp_path / "table.docx"
    d.save(src)
    code, _o, err, out = run_import(tmp_path, src)
    assert code == 0, err
    _text, data = load(out)
    check_common(data)
