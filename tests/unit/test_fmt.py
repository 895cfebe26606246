"""`sangkien fmt`: canonical form without ever changing meaning or losing a comment."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import unicodedata
from pathlib import Path

import pytest

from generator.cli import main
from generator.fmt import format_text
from generator.load.yamlstrict import load_text
from generator.validate.schema import load_schema

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "tests" / "cases" / "base"
REGISTRY = ROOT / "registry"


def _kind(path: Path) -> str:
    if path.parent.name == "agencies":
        return "agency"
    if path.name == "fields.yml":
        return "fields"
    return "initiative"


BUNDLED = sorted(
    [
        *REGISTRY.glob("initiatives/*/*.yml"),
        *REGISTRY.glob("agencies/*.yml"),
        REGISTRY / "taxonomy" / "fields.yml",
    ]
)


def fmt(text: str, kind: str = "initiative") -> str:
    result = format_text(text, "f.yml", load_schema(kind))
    assert result.new_text is not None, [d.message("en") for d in result.diagnostics]
    return result.new_text


def data(text: str) -> object:
    doc = load_text(text, "f.yml")
    assert doc.data is not None
    return doc.data


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.relative_to(REGISTRY).as_posix())
def test_round_trip_over_the_bundled_registry(path: Path) -> None:
    """load(fmt(x)) == load(x), and fmt is idempotent, on every bundled file."""
    text = path.read_text(encoding="utf-8-sig")
    once = fmt(text, _kind(path))
    assert data(once) == data(text)
    assert fmt(once, _kind(path)) == once
    # Every comment line of the original is still there.
    comments = [ln.strip() for ln in text.splitlines() if ln.strip().startswith("#")]
    for comment in comments:
        assert comment in once


def test_bundled_registry_is_canonical(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    status, out = sangkien("fmt", "--check")
    assert status == 0, out


def test_comments_are_kept_when_keys_move() -> None:
    text = (
        "# yaml-language-server: $schema=../../../schema/initiative.schema.json\n"
        "title: Gắn mã QR   # tên như trên quyết định\n"
        "id: QNG-2024-0001\n"
        "# ghi chú trước tác giả\n"
        "authors:\n"
        "  - position: Chuyên viên  # chức vụ lúc công nhận\n"
        "    name: Nguyễn Thị Lan\n"
    )
    out = fmt(text)
    assert (
        out.splitlines()[0]
        == "# yaml-language-server: $schema=../../../schema/initiative.schema.json"
    )
    assert "# tên như trên quyết định" in out
    assert "# ghi chú trước tác giả" in out
    assert "# chức vụ lúc công nhận" in out
    assert data(out) == data(text)


def test_key_order_follows_the_schema() -> None:
    text = (
        "provenance:\n  last_reviewed: 2025-01-01\n  sample: true\n"
        "summary: Tóm tắt\n"
        "id: QNG-2024-0001\n"
        "recognitions:\n  - issuer: so-noi-vu\n    decision_date: 2024-10-15\n    level: co-so\n    decision_no: 1/QĐ\n"
        "title: Tên sáng kiến\n"
    )
    out = fmt(text)
    top = [ln.split(":")[0] for ln in out.splitlines() if ln and not ln.startswith((" ", "#"))]
    assert top == ["id", "title", "summary", "recognitions", "provenance"]
    assert (
        "  - level: co-so\n    decision_no: 1/QĐ\n    decision_date: 2024-10-15\n    issuer: so-noi-vu\n"
        in out
    )
    assert "provenance:\n  sample: true\n  last_reviewed: 2025-01-01\n" in out


def test_unknown_keys_keep_their_relative_place_at_the_end() -> None:
    out = fmt("zeta: 1\ntitle: Tên\nalpha: 2\nid: QNG-2024-0001\n")
    assert out == "id: QNG-2024-0001\ntitle: Tên\nzeta: 1\nalpha: 2\n"


def test_nfd_text_is_normalised() -> None:
    text = unicodedata.normalize("NFD", "title: Sở Tư pháp tỉnh Quảng Ngãi\n")
    out = fmt(text)
    assert out == "title: Sở Tư pháp tỉnh Quảng Ngãi\n"
    assert unicodedata.is_normalized("NFC", out)


def test_quoting_is_consistent() -> None:
    text = "title: 'Một cửa'\nsummary: \"Văn bản thường\"\ntags: ['qr', \"mot-cua\"]\n"
    assert fmt(text) == "title: Một cửa\nsummary: Văn bản thường\ntags: [qr, mot-cua]\n"


@pytest.mark.parametrize(
    "value",
    [
        "yes",
        "no",
        "on",
        "off",
        "010",
        "1:30",
        "true",
        "null",
        "~",
        "12",
        "1.5",
        "0x1F",
        "2024-03-01",
        "a: b",
        "a #b",
        " leading",
        "trailing ",
        "- dash",
        "? q",
        "@at",
        "`tick",
        "%pct",
        "!bang",
        "&amp",
        "*star",
        "[list]",
        "{map}",
        "'single'",
        '"double"',
        "|pipe",
        ">fold",
        "#hash",
        "",
        "Việt Nam — “ngoặc kép”",
        "tab\there",
        "emoji 🙂",
        "0255 3 822 123",
        "line1\nline2",
        "ends with newline\n",
        "  indented\nsecond",
        "\\backslash",
        "xin chào: bạn",
    ],
)
def test_fmt_never_changes_a_text_value(value: str) -> None:
    # A JSON string is a valid YAML double-quoted scalar: the input holds exactly `value`.
    text = f"title: {json.dumps(value, ensure_ascii=False)}\n"
    assert data(text) == {"title": value}
    out = fmt(text)
    assert data(out) == {"title": value}
    assert not load_text(out, "f.yml").diagnostics  # no SK010 on the formatted text
    assert fmt(out) == out


def test_numbers_booleans_and_dates_keep_their_type() -> None:
    text = "metrics:\n  - baseline: 2.5\n    result: 0\nprovenance:\n  sample: true\nfirst_applied: 2024-03-01\n"
    out = fmt(text)
    assert data(out) == data(text)
    assert "baseline: 2.5" in out and "sample: true" in out and "first_applied: 2024-03-01" in out


def test_a_file_with_errors_is_left_alone() -> None:
    result = format_text("title: A\ntitle: B\n", "f.yml", load_schema("initiative"))
    assert result.new_text is None and not result.changed
    assert [(d.code, d.line, d.col) for d in result.diagnostics] == [("SK004", 2, 1)]


# --- the command ----------------------------------------------------------------------------


def sangkien(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(list(argv))
    return status, out.getvalue()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    dest = tmp_path / "project"
    shutil.copytree(BASE, dest)
    monkeypatch.chdir(dest)
    return dest


def test_check_exits_1_on_a_non_canonical_file_and_0_after_fmt(project: Path) -> None:
    rec = project / "registry" / "initiatives" / "2024" / "QNG-2024-0001.yml"
    original = rec.read_text(encoding="utf-8")
    messy = original.replace("id: QNG-2024-0001\n", "").replace(
        "title:", "id: QNG-2024-0001\ntitle:", 1
    )
    messy = messy.replace(
        "fields: [cai-cach-hanh-chinh, chuyen-doi-so]",
        "fields: ['cai-cach-hanh-chinh', chuyen-doi-so]  # hai lĩnh vực",
    )
    rec.write_text(messy, encoding="utf-8")
    status, out = sangkien("fmt", "--check")
    assert status == 1
    assert out.splitlines() == [
        "registry/initiatives/2024/QNG-2024-0001.yml: cần chuẩn hoá (chạy sangkien fmt)",
        "1 tệp cần chuẩn hoá, 4 tệp đã đúng chuẩn.",
    ]
    assert rec.read_text(encoding="utf-8") == messy  # --check never writes
    status, out = sangkien("fmt")
    assert status == 0
    assert out.splitlines()[0] == "registry/initiatives/2024/QNG-2024-0001.yml: đã chuẩn hoá"
    formatted = rec.read_text(encoding="utf-8")
    [line] = [ln for ln in formatted.splitlines() if ln.startswith("fields:")]
    # Quotes dropped, the comment kept (ruamel keeps its column).
    assert line.startswith("fields: [cai-cach-hanh-chinh, chuyen-doi-so] ")
    assert line.endswith("  # hai lĩnh vực")
    assert data(formatted) == data(original)
    status, out = sangkien("fmt", "--check", "--lang", "en")
    assert status == 0
    assert out == "0 files would be reformatted, 5 already canonical.\n"
    assert not list(project.rglob("*.sangkien-tmp"))


def test_fmt_of_a_broken_file_exits_1_and_does_not_touch_it(project: Path) -> None:
    bad = project / "registry" / "initiatives" / "2024" / "QNG-2024-0002.yml"
    bad.write_text("id: QNG-2024-0002\nid: QNG-2024-0003\n", encoding="utf-8")
    status, out = sangkien("fmt", str(bad))
    assert status == 1
    assert "SK004" in out
    assert bad.read_text(encoding="utf-8") == "id: QNG-2024-0002\nid: QNG-2024-0003\n"


def test_fmt_normalises_an_nfd_file_on_disk(project: Path) -> None:
    rec = project / "registry" / "agencies" / "ubnd-xa-binh-son.yml"
    original = rec.read_text(encoding="utf-8")
    rec.write_text(unicodedata.normalize("NFD", original), encoding="utf-8")
    assert sangkien("fmt", "--check")[0] == 1
    assert sangkien("fmt")[0] == 0
    assert rec.read_text(encoding="utf-8") == original


def test_fmt_missing_path_exits_2(project: Path) -> None:
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status, _ = sangkien("fmt", "registry/nope.yml")
    assert status == 2
    assert "không tìm thấy / not found" in err.getvalue()
