"""Hostile text in a Word form cannot steer the draft through the agency or date lines.

The agency named in a form is free text from anyone: it is matched against the registry,
and what is kept of it goes into a YAML comment of the draft on one line, capped in length.
Dates typed by people are read by one parser (ASCII digits only) and written ISO.
"""

from __future__ import annotations

import docx
import pytest
import yaml

from generator.text.vn import parse_date_input
from tests.documents.test_documents_import import run_import


def _form(path, addressee_runs, date_text="15/03/2024"):
    d = docx.Document()
    p = d.add_paragraph("Kính gửi: ")
    for i, text in enumerate(addressee_runs):
        if i:
            p.add_run().add_break()  # a line break inside the paragraph
        p.add_run(text)
    d.add_paragraph("Tên sáng kiến: Gắn mã QR tra cứu thủ tục hành chính")
    d.add_paragraph(f"Ngày áp dụng lần đầu: {date_text}")
    d.add_paragraph("Mô tả bản chất của sáng kiến: In mã QR.")
    d.save(path)


def test_agency_line_cannot_inject_yaml_keys(tmp_path):
    src = tmp_path / "hostile.docx"
    _form(src, ["Phòng Bí mật", "agency: ubnd-tinh-quang-ngai", "# TODO: x\nid: QNG-2000-0001"])
    code, _out, err, draft = run_import(tmp_path, src)
    assert code == 0, err
    text = draft.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    # Nothing of the form's text became a key; the agency stays a gap to fill.
    assert "agency" not in data and data["id"] == draft.stem
    assert not [ln for ln in text.splitlines() if ln.startswith(("agency:", "id: QNG-2000"))]


def test_a_page_long_agency_name_is_capped(tmp_path):
    src = tmp_path / "long.docx"
    _form(src, ["Ủy ban " * 3000])
    code, _out, err, draft = run_import(tmp_path, src)
    assert code == 0, err
    longest = max(len(ln) for ln in draft.read_text(encoding="utf-8").splitlines())
    assert longest < 400


@pytest.mark.parametrize(
    "typed",
    ["१५/०३/२०२४", "15/03/2024\n2024-01-01", "15/03/2024; rm -rf", "0/0/0000", "15/03/20245"],
)
def test_typed_dates_other_than_plain_digits_are_refused(typed):
    with pytest.raises(ValueError):
        parse_date_input(typed)


def test_unreadable_date_in_a_form_is_left_as_a_gap(tmp_path):
    src = tmp_path / "date.docx"
    _form(src, ["UBND xã Bình Sơn"], date_text="31/02/2024")
    code, out, err, draft = run_import(tmp_path, src)
    assert code == 0, err
    data = yaml.safe_load(draft.read_text(encoding="utf-8"))
    assert "first_applied" not in data
    assert "unreadable date" in out
    assert data["agency"] == "ubnd-xa-binh-son"
