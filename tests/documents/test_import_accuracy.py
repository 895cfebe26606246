"""Word import accuracy on differently written forms, and the pieces behind it.

The forms and their expected values live in benchmarks/import_forms.py (shared with
benchmarks/import_bench.py, which prints the figures). This is an accuracy check, not a
timing one.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import sys
from datetime import date
from types import SimpleNamespace

import pytest
import yaml

from generator.cli import main
from generator.documents.importer import match_agency, match_label, parse_docx, trim_quotes
from generator.model import agency_from_dict
from generator.text.vn import parse_date_input

from .docs_helpers import ROOT
from .test_documents_import import run_import


def _forms():
    spec = importlib.util.spec_from_file_location(
        "import_forms", ROOT / "benchmarks" / "import_forms.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("import_forms", module)
    spec.loader.exec_module(module)
    return module


FORMS = _forms()


@pytest.mark.parametrize("name", list(FORMS.FORMS))
def test_each_form_maps_at_least_80_percent_of_its_fields(tmp_path, registry, name):
    build, expected = FORMS.FORMS[name]
    path = tmp_path / f"{name}.docx"
    build(path)
    marks = FORMS.score(parse_docx(path, registry), expected)
    share = sum(marks.values()) / len(marks)
    assert share >= 0.8, f"{name}: {share:.0%}; wrong: {[k for k, ok in marks.items() if not ok]}"


def test_inline_label_form_gives_a_draft_with_only_warnings(tmp_path):
    """The reviewer's form: benefits not in `conditions`, agency filled, no quotes, ISO date;
    `validate` on the draft then names each missing field once, and nothing is an error."""
    src = tmp_path / "inline.docx"
    FORMS.inline_labels(src)
    code, stdout, stderr, out = run_import(tmp_path, src)
    assert code == 0, stderr
    text = out.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["title"] == FORMS.TITLE
    assert data["conditions"].strip() == FORMS.CONDITIONS
    assert data["benefits"].strip() == FORMS.BENEFITS
    assert data["agency"] == "ubnd-huyen-binh-son"
    assert data["agency_name_at_time"] == "UBND huyện Bình Sơn"
    assert str(data["first_applied"]) == "2024-03-15"
    assert "CỘNG HÒA" not in stdout, "the motto is not reported as unrecognised"

    registry = out.parents[2]

    got = io.StringIO()
    with contextlib.redirect_stdout(got), contextlib.redirect_stderr(got):
        main(["validate", "--registry", str(registry)])
    mine = [ln for ln in got.getvalue().splitlines() if out.name in ln]
    assert not [ln for ln in mine if " error: " in ln], mine
    named = [ln.split("`")[1] for ln in mine if "SK321" in ln]
    assert sorted(named) == sorted(set(named)), "one message per missing field"
    assert {"summary", "solution_types", "problem"} <= set(named)

    # Files keep ISO dates: a date typed dd/mm/yyyy into the YAML is refused with the fix.
    out.write_text(text.replace("first_applied: 2024-03-15", "first_applied: 15/03/2024"))
    got = io.StringIO()
    with contextlib.redirect_stdout(got), contextlib.redirect_stderr(got):
        main(["validate", "--registry", str(registry)])
    sk106 = [ln for ln in got.getvalue().splitlines() if out.name in ln and "SK106" in ln]
    assert len(sk106) == 1 and "`2024-03-15`" in sk106[0], sk106


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        (
            "- Đánh giá lợi ích thu được hoặc dự kiến có thể thu được do áp dụng sáng kiến "
            "theo ý kiến của tác giả: Thời gian giảm",
            "benefits",
            "Thời gian giảm",
        ),
        ("a) Tính mới: Lần đầu", "novelty", "Lần đầu"),
        ("1 .  TEN   SANG KIEN :\tMã QR", "title", "Mã QR"),
        ("• Lĩnh vực áp dụng: Y tế", "fields", "Y tế"),
        ("5. Mô tả bản chất của sáng kiến", "solution", ""),
        ("Kính gửi: UBND xã Bình Sơn", "_addressee", "UBND xã Bình Sơn"),
    ],
)
def test_labels_inline_numbered_or_alone(text, field, value):
    assert match_label(text) == (field, value)


def test_a_sentence_with_a_colon_is_not_a_label():
    assert match_label("Kết quả: thời gian giảm một nửa") is None


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("“Gắn mã QR”", "Gắn mã QR"),
        ('"Gắn mã QR"', "Gắn mã QR"),
        ("«Gắn mã QR»", "Gắn mã QR"),
        ("'Gắn mã QR'", "Gắn mã QR"),
        ("“Một cửa” điện tử", "“Một cửa” điện tử"),
    ],
)
def test_quotes_around_a_value_are_trimmed(raw, clean):
    assert trim_quotes(raw) == clean


def _agency(**d):
    return agency_from_dict({"kind": "don-vi-su-nghiep", **d}, f"{d['id']}.yml")


def test_agency_matched_by_folded_name_with_history():
    reg = SimpleNamespace(
        agencies={
            a.id: a
            for a in (
                _agency(id="ttyt-cu", name="Trung tâm Y tế huyện Sơn Tịnh", valid_to="2025-06-30"),
                _agency(
                    id="ttyt-moi", name="Trung tâm Y tế huyện Sơn Tịnh", valid_from="2025-07-01"
                ),
                _agency(id="ubnd-xa-a", name="UBND xã Bình Sơn"),
            )
        }
    )
    assert match_agency("Ủy ban nhân dân  xã Bình Sơn", reg) == "ubnd-xa-a"
    assert match_agency("uy ban nhan dan xa binh son", reg) == "ubnd-xa-a"
    assert match_agency("Hội đồng sáng kiến UBND xã Bình Sơn", reg) == "ubnd-xa-a"
    assert match_agency("TRUNG TÂM Y TẾ HUYỆN SƠN TỊNH", reg, date(2024, 5, 1)) == "ttyt-cu"
    assert match_agency("Trung tâm Y tế huyện Sơn Tịnh", reg, date(2025, 9, 1)) == "ttyt-moi"
    assert match_agency("Trung tâm Y tế huyện Sơn Tịnh", reg) == "ttyt-moi"
    assert match_agency("Bệnh viện Đa khoa", reg) is None


@pytest.mark.parametrize(
    ("typed", "iso"),
    [
        ("15/03/2024", "2024-03-15"),
        ("5/3/2024", "2024-03-05"),
        ("05-03-2024", "2024-03-05"),
        ("05.03.2024", "2024-03-05"),
        (" 2024-03-05 ", "2024-03-05"),
    ],
)
def test_typed_dates(typed, iso):
    assert parse_date_input(typed).isoformat() == iso


@pytest.mark.parametrize("typed", ["31/02/2024", "15/13/2024", "2024/03/15", "hôm qua", ""])
def test_typed_dates_refused(typed):
    with pytest.raises(ValueError, match="dd/mm/yyyy"):
        parse_date_input(typed)
