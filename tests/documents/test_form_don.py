"""The application form (`export form --kind don`) as the Circular 18/2013 annex prints it.

Read back from the produced DOCX (python-docx) and PDF (pypdf): the addressee is the
recognising body (Decree 13/2012, Charter Article 5.3a), the national name is Decree 30's
"CỘNG HÒA", both tables have the annex's 7 columns, the place-date line of an old record is
left blank, the investor is named, and later adopters are not passed off as first-application
participants.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import docx
import pytest
from pypdf import PdfReader

from generator.documents.forms import AUTHORS_HEAD, PARTICIPANTS_HEAD, form_markdown
from generator.layout import NATIONAL_NAME, PLACE_DATE_BLANK, place_date_line
from generator.model import Adoption

from .docs_helpers import ROOT, norm

ADOPTERS_LABEL = "tham gia áp dụng sáng kiến lần đầu, kể cả áp dụng thử (nếu có):"


def _run(*args: str) -> tuple[int, str]:
    import contextlib
    import io

    from generator.cli import main

    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main([*args, "--registry", str(ROOT / "registry")])
    return code, err.getvalue()


@pytest.fixture(scope="module")
def old_record(registry):
    """A record filed years ago, recognised by its own agency, adopted later by others."""
    today = date.today()
    for ini in registry.initiatives.values():
        first = ini.first_recognition
        if (
            first
            and first.issuer == ini.agency
            and ini.agency_name_at_time.startswith("UBND ")
            and ini.first_applied
            and ini.first_applied.year < today.year
            and not ini.investor
            and any(a.since > ini.first_applied for a in ini.adoptions)
        ):
            return ini
    pytest.skip("no bundled record fits")


@pytest.fixture(scope="module")
def exported(tmp_path_factory, old_record):
    out = tmp_path_factory.mktemp("don")
    paths = {}
    for fmt in ("docx", "pdf"):
        path = out / f"don.{fmt}"
        code, err = _run(
            "export", "form", old_record.id, "--kind", "don", "--format", fmt, "-o", str(path)
        )
        assert code == 0, err
        paths[fmt] = path
    return paths


def _docx_text(path) -> tuple[docx.document.Document, str]:
    d = docx.Document(str(path))
    paras = "\n".join(p.text for p in d.paragraphs)
    cells = " ".join(c.text for t in d.tables for r in t.rows for c in r.cells)
    return d, norm(paras + " " + cells)


def _pdf_text(path) -> str:
    return norm(" ".join(p.extract_text() for p in PdfReader(str(path)).pages))


def _expected_addressee(ini) -> str:
    return "Kính gửi: Ủy ban nhân dân " + ini.agency_name_at_time.removeprefix("UBND ")


def test_docx_follows_the_annex(exported, old_record):
    d, text = _docx_text(exported["docx"])
    # Addressed to the recognising body itself, not to its council.
    assert _expected_addressee(old_record) in text
    assert "Hội đồng sáng kiến" not in text
    # Decree 30's national name, never the old tone placement.
    assert NATIONAL_NAME == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert NATIONAL_NAME in text and "CỘNG HOÀ" not in text
    # The two tables of the annex, 7 columns each, with its headers.
    heads = {
        tuple(norm(c.text) for c in t.rows[0].cells): t
        for t in d.tables
        if len(t.rows) and norm(t.rows[0].cells[0].text) == "Số TT"
    }
    assert AUTHORS_HEAD in heads and PARTICIPANTS_HEAD in heads
    assert AUTHORS_HEAD == (
        "Số TT",
        "Họ và tên",
        "Ngày tháng năm sinh",
        "Nơi công tác (hoặc nơi thường trú)",
        "Chức danh",
        "Trình độ chuyên môn",
        "Tỷ lệ (%) đóng góp vào việc tạo ra sáng kiến",
    )
    authors = heads[AUTHORS_HEAD]
    assert len(authors.columns) == 7 and len(heads[PARTICIPANTS_HEAD].columns) == 7
    # Birth dates: dotted blanks for the applicant's hand, and a note saying so.
    rows = [[norm(c.text) for c in r.cells] for r in authors.rows[1:]]
    assert [r[1] for r in rows] == [norm(a.name) for a in old_record.authors]
    assert all(re.fullmatch(r"…+", r[2]) for r in rows)
    assert "tự ghi tay" in text
    # A record filed years ago: the place-date line is left blank, not dated today.
    assert PLACE_DATE_BLANK in text
    assert not re.search(r"ngày \d{1,2} tháng \d{1,2} năm \d{4}", text)
    # The investor is the owning agency as named at the time, not "Không có".
    assert "chủ đầu tư tạo ra sáng kiến): " + norm(old_record.agency_name_at_time) in text
    assert "Không có" not in text
    # Later adopters are replication, not first-application participants.
    for a in old_record.adoptions:
        if a.since > old_record.first_applied:
            assert norm(a.agency_name_at_time or a.agency) not in text
    after = text.split(ADOPTERS_LABEL, 1)[1]
    assert after.lstrip().startswith(".")


def test_pdf_says_the_same(exported, old_record):
    text = _pdf_text(exported["pdf"])
    assert _expected_addressee(old_record) in text
    assert "Hội đồng sáng kiến" not in text
    assert NATIONAL_NAME in text and "CỘNG HOÀ" not in text
    for head in (*AUTHORS_HEAD, *PARTICIPANTS_HEAD):
        assert head in text
    assert PLACE_DATE_BLANK in text
    assert not re.search(r"ngày \d{1,2} tháng \d{1,2} năm \d{4}", text)
    assert "chủ đầu tư tạo ra sáng kiến): " + norm(old_record.agency_name_at_time) in text
    for a in old_record.adoptions:
        if a.since > old_record.first_applied:
            assert norm(a.agency_name_at_time or a.agency) not in text


def test_first_application_adopter_and_named_investor(registry, settings, old_record):
    """An adopter that started with the first application is listed; a named investor too."""
    early = Adoption(
        agency="don-vi-thu",
        since=old_record.first_applied,
        stage="ap-dung",
        agency_name_at_time="Đơn vị áp dụng thử đầu tiên",
        result="Cùng áp dụng thử",
    )
    other = next(a for a in registry.agencies.values() if a.id != old_record.agency)
    ini = dataclasses.replace(
        old_record, adoptions=(early, *old_record.adoptions), investor=other.id
    )
    md = norm(form_markdown("don", ini, registry, settings))
    listed = md.split(ADOPTERS_LABEL, 1)[1].split("Danh sách những người", 1)[0]
    assert "Đơn vị áp dụng thử đầu tiên" in listed
    assert all(
        norm(a.agency_name_at_time or a.agency) not in listed
        for a in old_record.adoptions
        if a.since > old_record.first_applied
    )
    assert "chủ đầu tư tạo ra sáng kiến):** " + norm(other.name) in md


def test_place_date_line_filled_only_on_the_filing_day():
    today = date(2026, 12, 2)
    assert place_date_line("Quảng Ngãi", today, today) == "Quảng Ngãi, ngày 02 tháng 12 năm 2026"
    assert place_date_line("Quảng Ngãi", date(2022, 9, 28), today) == PLACE_DATE_BLANK
    assert place_date_line("Quảng Ngãi", None, today) == PLACE_DATE_BLANK
    assert not re.search(r"\d", PLACE_DATE_BLANK)


def test_every_document_takes_the_national_name_from_one_place():
    """No module in generator/ spells the national name itself (CỘNG HÒA or CỘNG HOÀ)."""
    spelled = []
    for path in (ROOT / "generator").rglob("*"):
        if path.suffix not in (".py", ".html", ".md", ".typ", ".yml", ".js"):
            continue
        if path == ROOT / "generator" / "layout.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"CỘNG H(?:ÒA|OÀ) XÃ HỘI", text):
            spelled.append(str(path.relative_to(ROOT)))
    assert spelled == []


def test_training_module_4_teaches_the_annex():
    """Module 4's good examples match what the form prints (addressee, motto, font)."""
    text = (ROOT / "docs" / "training" / "04-cach-trinh-bay-sang-kien.md").read_text(
        encoding="utf-8"
    )
    good = [line for line in text.splitlines() if line.startswith("- **Tốt:**")]
    assert any('"Kính gửi: Ủy ban nhân dân' in line for line in good)
    assert not any("Hội đồng sáng kiến" in line for line in good)
    assert NATIONAL_NAME in text and "CỘNG HOÀ" not in text
    assert "cùng kích thước" not in text and "TCVN 6909:2001" in text
    assert not any('"Không có"' in line for line in good)
