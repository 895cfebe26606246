"""Documents never read outside the record and never fetch; `import` is bounded.

Hostile records go through `sangkien export` and the site's document build; the outputs are
opened with real readers (zipfile/python-docx, pypdf, the HTML text) and searched for the
bytes of local files, for links with forbidden schemes and for injected raw code. Hostile
Word files go through `sangkien import`.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import shutil
import socket
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]
RECORD = "QNG-2019-0001"
OTHER = "QNG-2019-0002"
SECRET = b"TOPSECRET-7f3a"


def _png(rgb: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" + rgb))
        + chunk(b"IEND", b"")
    )


OK_PNG = _png(b"\x10\x20\x30")
OTHER_PNG = _png(b"\x99\x88\x77")


def _cli(*args: str) -> tuple[int, str, str]:
    from generator.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def trap():
    """A local TCP server nobody should ever connect to (a fetched image would)."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    srv.setblocking(False)
    yield srv
    srv.close()


def _connections(srv: socket.socket) -> int:
    n = 0
    while True:
        try:
            conn, _addr = srv.accept()
        except BlockingIOError:
            return n
        conn.close()
        n += 1


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, trap):
    """A scratch project whose record RECORD carries every hostile form in `problem`."""
    project = tmp_path_factory.mktemp("hostile") / "project"
    shutil.copytree(ROOT / "registry", project / "registry")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "secret.txt").write_bytes(SECRET + b"\n")
    own = project / "registry" / "attachments" / RECORD
    own.mkdir(parents=True)
    (own / "ok.png").write_bytes(OK_PNG)
    (own / "fake.png").write_bytes(SECRET + b" not an image")
    (own / "drawing.svg").write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    (own / "link.png").symlink_to(project / "secret.txt")
    other = project / "registry" / "attachments" / OTHER
    other.mkdir(parents=True)
    (other / "other.png").write_bytes(OTHER_PNG)
    port = trap.getsockname()[1]
    att = f"registry/attachments/{RECORD}"
    problem = "\n".join(
        [
            "Trước đây người dân phải chờ lâu.",
            "",
            "![mật khẩu](/etc/passwd) ![cấu hình](../../mkdocs.yml) ![cấu hình 2](mkdocs.yml)",
            "",
            f"![bí mật](secret.txt) ![leo thang]({att}/../../../secret.txt)",
            "",
            f"![mạng](http://127.0.0.1:{port}/x.png) ![mạng 2](//127.0.0.1:{port}/y.png)",
            "",
            f"![giả]({att}/fake.png) ![liên kết]({att}/link.png) ![svg]({att}/drawing.svg)",
            "",
            f"![khác](registry/attachments/{OTHER}/other.png)",
            "",
            f"![sơ đồ hợp lệ]({att}/ok.png)",
            "",
            "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(2)) [c](file:///etc/passwd)",
            "[d](vbscript:msgbox) [e](data:text/html,<script>alert(3)</script>)",
            "[tham khảo](https://example.org/tai-lieu)",
            "",
            "[ref]: javascript:alert(4)",
            "",
            "Xem [tại đây][ref].",
            "",
            "```{=openxml}",
            "<w:p><w:r><w:t>INJECTED-OPENXML</w:t></w:r></w:p>",
            "```",
            "",
            "```{=typst}",
            '#panic("INJECTED-TYPST")',
            "```",
            "",
            "`INJECTED-INLINE`{=html} <script>alert(5)</script> \\input{/etc/passwd}",
            "",
            "::: {onclick=alert(6)}",
            "Khối có thuộc tính.",
            ":::",
        ]
    )
    path = project / "registry" / "initiatives" / "2019" / f"{RECORD}.yml"
    text = path.read_text(encoding="utf-8")
    block = "problem: |\n" + "\n".join(f"  {line}" if line else "" for line in problem.split("\n"))
    text = re.sub(
        r"^problem: \|\n(?:  .*\n|\n)*", lambda _m: block + "\n", text, count=1, flags=re.M
    )
    path.write_text(text, encoding="utf-8")
    return project


def _export(project: Path, out: Path, *args: str) -> tuple[int, str, str]:
    return _cli("export", *args, "-o", str(out), "--registry", str(project / "registry"))


@pytest.fixture(scope="module")
def exported(hostile, tmp_path_factory):
    out = tmp_path_factory.mktemp("exported")
    files, errors = {}, {}
    for what, args in (
        ("guide", ("guide", RECORD)),
        ("form", ("form", RECORD, "--kind", "mo-ta")),
    ):
        for fmt in ("docx", "pdf", "html", "md"):
            path = out / f"{what}.{fmt}"
            code, _stdout, stderr = _export(hostile, path, *args, "--format", fmt)
            assert code == 0, stderr
            files[what, fmt] = path
            errors[what, fmt] = stderr
    return files, errors


def _forbidden_bytes(data: bytes) -> list[bytes]:
    passwd = Path("/etc/passwd").read_bytes()[:20]
    mkdocs = (ROOT / "mkdocs.yml").read_bytes()[:40]
    return [
        b for b in (SECRET, passwd, mkdocs, b"INJECTED", b"javascript", b"JaVaScRiPt") if b in data
    ]


@pytest.mark.parametrize("what", ["guide", "form"])
def test_docx_holds_only_the_allowed_image_and_no_local_bytes(exported, what):
    files, _errors = exported
    path = files[what, "docx"]
    with zipfile.ZipFile(path) as zf:
        media = [n for n in zf.namelist() if n.startswith("word/media/")]
        assert [zf.read(n) for n in media] == [OK_PNG]
        for name in zf.namelist():
            assert _forbidden_bytes(zf.read(name)) == [], name
        rels = zf.read("word/_rels/document.xml.rels").decode()
    targets = re.findall(r'Target="([^"]+)"[^>]*TargetMode="External"', rels)
    assert "https://example.org/tai-lieu" in targets
    assert all(t.startswith(("https://", "http://", "mailto:", "tel:")) for t in targets), targets
    text = " ".join(p.text for p in docx.Document(str(path)).paragraphs)
    # What the reader saw stays: link text and alt text, never the target.
    assert "Trước đây người dân phải chờ lâu." in text
    for shown in ("mật khẩu", "mạng", "tham khảo", "tại đây", "Khối có thuộc tính."):
        assert shown in text
    assert "<script>alert(5)</script>" in text, "raw HTML shows as text"


@pytest.mark.parametrize("what", ["guide", "form"])
def test_pdf_has_no_local_bytes_and_no_injected_code(exported, what):
    files, _errors = exported
    reader = PdfReader(str(files[what, "pdf"]))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Trước đây người dân phải chờ lâu." in " ".join(text.split())
    assert "INJECTED" not in text and SECRET.decode() not in text and "root:" not in text
    images = [
        x
        for page in reader.pages
        for x in (page["/Resources"].get("/XObject") or {}).values()
        if x.get_object().get("/Subtype") == "/Image"
    ]
    assert len(images) == 1, "only the record's own PNG is drawn"


def test_html_and_markdown_exports(exported):
    files, _errors = exported
    html = files["guide", "html"].read_text(encoding="utf-8")
    assert "<script" not in html.lower() and "javascript:" not in html.lower()
    assert "onclick" not in html and "INJECTED" not in html and SECRET.decode() not in html
    srcs = re.findall(r'<img[^>]*src="([^"]+)"', html)
    assert len(srcs) == 1 and srcs[0].startswith("data:image/png;base64,")
    md = files["guide", "md"].read_text(encoding="utf-8")
    assert "javascript" not in md.lower() and "INJECTED" not in md and "](/etc/passwd" not in md
    assert "\\<script\\>" in md, "raw HTML stays visible text, escaped"
    assert f"registry/attachments/{RECORD}/ok.png" in md
    assert "127.0.0.1" not in md


def test_every_drop_is_a_located_warning(exported):
    _files, errors = exported
    err = errors["guide", "docx"]
    lines = [ln for ln in err.splitlines() if re.match(r"^\S+:\d+:\d+: SK41[012] ", ln)]
    assert lines and all(
        ln.startswith(f"registry/initiatives/2019/{RECORD}.yml:") and "`problem`" in ln
        for ln in lines
    ), err
    codes = [ln.split()[1] for ln in lines]
    # 11 images (in Vietnamese and English), 7 links, 4 raw pieces (2 blocks, 2 inline).
    assert codes.count("SK410") == 2 * 11
    assert codes.count("SK411") == 2 * 6
    assert codes.count("SK412") >= 2 * 3
    for target in ("/etc/passwd", "../../mkdocs.yml", "fake.png", "link.png", "drawing.svg"):
        assert any(target in ln and "SK410" in ln for ln in lines), target
    assert "SK410 warning: `problem`: image `/etc/passwd`" in err
    assert "SK411 warning: `problem`: the link to `javascript:alert(1)`" in err
    assert "SK412 warning: `problem`: raw typst code is removed" in err
    assert "a URL: documents never fetch" in err
    assert "not a PNG, JPEG or GIF image" in err
    assert "outside the record's registry/attachments/<id> folder" in err


def test_nothing_was_fetched(exported, trap):
    assert _connections(trap) == 0


def test_site_build_warns_even_from_the_cache(hostile, tmp_path, trap, caplog):
    from generator.config import load_settings
    from generator.documents.site import build_documents, jobs
    from generator.validate.check import check_registry

    settings = load_settings(hostile)
    registry = check_registry(settings).registry
    todo = [j for j in jobs(registry, settings) if j.source and RECORD in j.source]
    assert {j.fmt for j in todo} == {"docx", "pdf"}
    for expected in ({"converted": 2, "cached": 0}, {"converted": 0, "cached": 2}):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.generator.documents"):
            _written, stats = build_documents(registry, settings, tmp_path / "site", todo)
        assert stats == expected
        warnings = [r.getMessage() for r in caplog.records]
        assert any("SK410" in w and f"{RECORD}.yml" in w for w in warnings)
        assert any("SK411" in w for w in warnings) and any("SK412" in w for w in warnings)
    with zipfile.ZipFile(tmp_path / "site" / todo[0].site_path) as zf:
        assert all(_forbidden_bytes(zf.read(n)) == [] for n in zf.namelist())
    # A change in the record's attachments folder (an image added or replaced) is a change
    # of its documents, although the Markdown stays the same.
    (hostile / "registry" / "attachments" / RECORD / "added.txt").write_text("x")
    _written, stats = build_documents(registry, settings, tmp_path / "site", todo)
    assert stats == {"converted": 2, "cached": 0}
    assert _connections(trap) == 0


def test_a_conversion_failure_names_the_record(hostile, tmp_path, monkeypatch):
    """If typst still fails for one record, the site build's error names its YAML file."""
    from generator.config import load_settings
    from generator.documents import convert as conv
    from generator.documents.site import build_documents, jobs
    from generator.validate.check import check_registry

    settings = load_settings(hostile)
    registry = check_registry(settings).registry
    todo = [
        j for j in jobs(registry, settings) if j.fmt == "pdf" and j.source and RECORD in j.source
    ]
    # A new file in the attachments folder: a new cache key, so the PDF is converted again.
    (hostile / "registry" / "attachments" / RECORD / "bump-failure.txt").write_text("x")
    real = conv.compile_typst

    def failing(source, out, *args, **kwargs):
        if "Trước đây người dân" in source:
            raise conv.ConversionError("typst failed")
        return real(source, out, *args, **kwargs)

    monkeypatch.setattr(conv, "compile_typst", failing)
    with pytest.raises(conv.ConversionError) as exc:
        build_documents(registry, settings, tmp_path / "site", todo)
    assert f"registry/initiatives/2019/{RECORD}.yml: SK413 error / lỗi: " in str(exc.value)


def test_an_image_typst_cannot_read_is_left_out_not_fatal(hostile, tmp_path):
    """PNG magic, then garbage: the PDF is still made, without the image, and it is said."""
    from generator.config import load_settings
    from generator.documents.convert import convert
    from generator.documents.guide import guide_markdown
    from generator.model import initiative_from_dict
    from generator.validate.check import check_registry

    broken = hostile / "registry" / "attachments" / RECORD / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 20)
    settings = load_settings(hostile)
    registry = check_registry(settings).registry
    base = registry.initiatives[RECORD]
    problem = f"Ảnh hỏng:\n\n![hỏng](registry/attachments/{RECORD}/broken.png)\n"
    ini = initiative_from_dict({**base.raw, "problem": problem}, base.source)
    warnings = []
    out = convert(
        guide_markdown(ini, registry, settings, target="pdf"),
        "pdf",
        tmp_path / "g.pdf",
        project_dir=hostile,
        on_warning=warnings.append,
    )
    text = " ".join(p.extract_text() for p in PdfReader(str(out)).pages)
    assert "Ảnh hỏng" in text and "hỏng" in text
    assert [d.code for d in warnings] == ["SK410"]
    assert "typst cannot read the image" in warnings[0].message("en")


def test_a_fifo_or_folder_named_like_an_image_never_stalls_an_export(tmp_path):
    import os

    from generator.documents.sanitise import load_image

    folder = tmp_path / "registry" / "attachments" / RECORD
    folder.mkdir(parents=True)
    os.mkfifo(folder / "fifo.png")
    (folder / "dir.png").mkdir()
    for name in ("fifo.png", "dir.png"):
        assert (
            load_image(f"registry/attachments/{RECORD}/{name}", RECORD, tmp_path, 100) == "missing"
        )


# ---- import ----------------------------------------------------------------------------------
def _docx_bytes() -> bytes:
    d = docx.Document()
    d.add_paragraph("Tên sáng kiến: Thử nghiệm")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _replace(
    src: bytes, dest: Path, parts: dict[str, bytes], stored: set[str] = frozenset()
) -> Path:
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(dest, "w") as zout:
        for item in zin.infolist():
            data = parts.pop(item.filename, None)
            if data is None:
                data = zin.read(item.filename)
            kind = zipfile.ZIP_STORED if item.filename in stored else zipfile.ZIP_DEFLATED
            zout.writestr(item.filename, data, compress_type=kind)
        for name, data in parts.items():
            zout.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return dest


@pytest.fixture
def scratch(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "registry", project / "registry")
    return project


def _import(project: Path, src: Path, *extra: str) -> tuple[int, str, str]:
    return _cli("import", str(src), *extra, "--registry", str(project / "registry"))


def _drafts(project: Path) -> set[Path]:
    return set((project / "registry" / "initiatives").rglob("*"))


def test_zip_bomb_is_refused_before_any_parser(scratch, tmp_path):
    before = _drafts(scratch)
    # 60 MB of zeros after a valid XML start: about 60 KB on disk.
    bomb = b'<?xml version="1.0"?><w:document>' + b"\x00" * 60_000_000
    src = _replace(_docx_bytes(), tmp_path / "bomb.docx", {"word/document.xml": bomb})
    assert src.stat().st_size < 200_000
    code, _out, err = _import(scratch, src)
    assert code == 1
    assert f"{src}: SK416 error: " in err and "word/document.xml" in err and "zip bomb" in err
    assert "Traceback" not in err
    assert _drafts(scratch) == before


def test_total_unpacked_size_is_bounded(scratch, tmp_path, monkeypatch):
    from generator.documents import importer

    # Many parts, each compressed modestly, over the limit together (limit lowered for speed).
    monkeypatch.setattr(importer, "MAX_UNPACKED_BYTES", 2_000_000)
    filler = bytes(range(256)) * 2_000  # 512 KB that barely compresses
    parts = {f"word/media/part{i}.bin": filler for i in range(5)}
    src = _replace(_docx_bytes(), tmp_path / "big.docx", parts)
    code, _out, err = _import(scratch, src)
    assert code == 1 and f"{src}: SK415 error: " in err and "over the limit of 2.0 MB" in err


def test_a_lying_size_header_is_refused(scratch, tmp_path):
    good = _replace(_docx_bytes(), tmp_path / "good.docx", {})
    data = bytearray(good.read_bytes())
    # Declare, in the central directory, a smaller size than the part really unpacks to.
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46 : pos + 46 + name_len] == b"word/document.xml":
            struct.pack_into("<I", data, pos + 24, 10)
            break
        pos = data.find(b"PK\x01\x02", pos + 46)
    assert pos >= 0
    bad = tmp_path / "liar.docx"
    bad.write_bytes(bytes(data))
    code, _out, err = _import(scratch, bad)
    assert code == 1 and "corrupt" in err and "Traceback" not in err


def test_billion_laughs_and_external_entities_are_refused(scratch, tmp_path):
    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
        + b"".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'.encode()
            for i in range(1, 10)
        )
        + b']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    )
    external = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&xxe;</w:styles>'
    )
    for name, member, payload in (
        ("laughs.docx", "word/document.xml", laughs),
        ("xxe.docx", "word/styles.xml", external),
    ):
        src = _replace(_docx_bytes(), tmp_path / name, {member: payload})
        code, _out, err = _import(scratch, src)
        assert code == 1, err
        assert f"{src}: SK418 error: " in err and member in err and "DOCTYPE/ENTITY" in err
        assert "root:" not in err


def test_nested_archive_is_refused_but_embedded_objects_are_listed(scratch, tmp_path):
    inner = _docx_bytes()
    src = _replace(_docx_bytes(), tmp_path / "nested.docx", {"word/media/image1.png": inner})
    code, _out, err = _import(scratch, src)
    assert code == 1 and f"{src}: SK417 error: " in err and "nested archive" in err
    ok = _replace(
        _docx_bytes(), tmp_path / "chart.docx", {"word/embeddings/Microsoft_Excel.xlsx": inner}
    )
    code, out, err = _import(scratch, ok)
    assert code == 0, err
    assert "left out of the draft" in out and "Microsoft_Excel.xlsx" in out


def test_import_lists_what_it_left_out(scratch, tmp_path):
    d = docx.Document()
    d.add_paragraph("Tên sáng kiến: Thử nghiệm")
    d.add_paragraph("Tình trạng giải pháp đã biết:")
    p = d.add_paragraph("Trước đây rất chậm.")
    d.add_picture(io.BytesIO(OK_PNG))
    d.sections[0].header.paragraphs[0].text = "Tiêu đề trang"
    d.add_table(rows=1, cols=2)
    del p
    buf = io.BytesIO()
    d.save(buf)
    # A link with a forbidden scheme, as Word stores it: a relationship to an external target.
    doc_xml = zipfile.ZipFile(buf).read("word/document.xml").decode()
    assert "<w:t>Trước đây rất chậm.</w:t></w:r>" in doc_xml
    doc_xml = doc_xml.replace(
        "<w:t>Trước đây rất chậm.</w:t></w:r>",
        '<w:t>Trước đây rất chậm.</w:t></w:r><w:hyperlink r:id="rIdEvil"><w:r><w:t>bấm</w:t></w:r></w:hyperlink>',
    )
    rels = zipfile.ZipFile(buf).read("word/_rels/document.xml.rels").decode()
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdEvil" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/hyperlink" Target="javascript:alert(1)" TargetMode="External"/></Relationships>',
    )
    src = _replace(
        buf.getvalue(),
        tmp_path / "rich.docx",
        {"word/document.xml": doc_xml.encode(), "word/_rels/document.xml.rels": rels.encode()},
    )
    code, out, err = _import(scratch, src)
    assert code == 0, err
    listed = out.split("left out of the draft:\n", 1)[1]
    assert "1 images" in listed and "headers and footers" in listed
    assert "1 unsafe links (text kept)" in listed
    draft = Path(re.search(r"draft written: (\S+)", out).group(1)).read_text(encoding="utf-8")
    assert "javascript" not in draft and "bấm" in draft and "media/" not in draft
    assert draft.count("\nid: ") == 1 and str(scratch / "registry") in str(
        re.search(r"draft written: (\S+)", out).group(1)
    )
