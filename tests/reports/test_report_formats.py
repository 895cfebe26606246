"""`sangkien report` on the fixture registry: every figure, in every format, agreeing."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from .conftest import EXPECTED_2024, EXPECTED_2025

CONTRACT_KEYS = (
    "period",
    "totals",
    "by_level",
    "by_agency",
    "by_field",
    "by_solution_type",
    "adoptions_started",
    "adoptions_applied",
    "adoptions_exploring",
    "initiatives",
)


def _json(report, *args: str) -> dict:
    code, out, err = report(*args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


# ---- JSON --------------------------------------------------------------------------------
def test_json_contract_is_exact(report) -> None:
    data = _json(report, "--year", "2025")
    assert {k: data[k] for k in CONTRACT_KEYS} == EXPECTED_2025
    assert list(data)[: len(CONTRACT_KEYS)] == list(CONTRACT_KEYS)
    assert data["format_version"] == 1
    assert {k: data["previous"][k] for k in CONTRACT_KEYS} == EXPECTED_2024


def test_json_extras(report) -> None:
    data = _json(report, "--from", "2025-01-01", "--to", "31/12/2025")
    assert data["period"] == EXPECTED_2025["period"]
    assert data["scope"] == {"agency": None, "rollup": True, "agencies": []}
    assert data["provincial"]["by_outcome"] == {"dat": 1, "khong-dat": 1}
    assert [(d["initiative"], d["outcome"]) for d in data["provincial"]["decisions"]] == [
        ("QNG-2024-0002", "khong-dat"),
        ("QNG-2025-0002", "dat"),
    ]
    assert [(a["initiative"], a["agency"], a["since"]) for a in data["adoptions"]] == [
        ("QNG-2024-0001", "ubnd-huyen-a", "2025-02-01"),
        ("QNG-2025-0001", "so-y-te", "2025-05-01"),
        ("QNG-2025-0001", "ubnd-xa-b", "2025-08-01"),
        ("QNG-2024-0002", "so-y-te", "2025-09-01"),
        ("QNG-2025-0002", "so-khcn", "2025-11-01"),
    ]
    assert [
        (r["initiative"], r["adopters"], r["started_in_period"]) for r in data["most_replicated"]
    ] == [
        ("QNG-2025-0001", 2, 2),
        ("QNG-2024-0001", 2, 1),
        ("QNG-2024-0002", 2, 1),
        ("QNG-2025-0002", 1, 1),
    ]
    assert data["benefits"] == [
        {
            "unit": "giờ/năm",
            "metrics": 2,
            "initiatives": 2,
            "baseline": 1700,
            "result": 400,
            "change": -1300,
        },
        {
            "unit": "hồ sơ",
            "metrics": 1,
            "initiatives": 1,
            "baseline": 40,
            "result": 10,
            "change": -30,
        },
    ]
    assert data["data_quality"] == {
        "as_of": "2026-06-30",
        "without_metrics": ["QNG-2025-0004"],
        "without_replication": ["QNG-2023-0001", "QNG-2025-0003", "QNG-2025-0004"],
        "not_reviewed": ["QNG-2023-0001", "QNG-2024-0001"],
    }
    annex = [
        (d["initiative"], d["level"], d["outcome"], d["decision_no"], d["revoked"])
        for d in data["annex"]
    ]
    assert annex == [
        ("QNG-2024-0002", "tinh", "khong-dat", "1500/QĐ-UBND", False),
        ("QNG-2025-0001", "co-so", "dat", "101/QĐ-UBND", False),
        ("QNG-2025-0002", "co-so", "dat", "55/QĐ-UBND", False),
        ("QNG-2025-0002", "tinh", "dat", "2001/QĐ-UBND", False),
        ("QNG-2025-0003", "co-so", "dat", "12/QĐ-SKHCN", True),
        ("QNG-2025-0004", "co-so", "khong-dat", "77/QĐ-SYT", False),
    ]


def test_ceased_district_is_reported_by_one_successor(report) -> None:
    # xã B took over huyện A's work on 01/07/2025: its own report includes huyện A's records.
    rolled = _json(report, "--year", "2025", "--agency", "ubnd-xa-b")
    assert rolled["initiatives"] == ["QNG-2025-0001", "QNG-2025-0002"]
    assert rolled["by_agency"] == {"ubnd-huyen-a": 1, "ubnd-xa-b": 1}
    assert rolled["scope"]["agencies"] == ["ubnd-huyen-a", "ubnd-xa-b"]
    assert rolled["previous"]["initiatives"] == ["QNG-2024-0002"]
    own = _json(report, "--year", "2025", "--agency", "ubnd-xa-b", "--no-rollup")
    assert own["initiatives"] == ["QNG-2025-0002"]
    assert own["previous"]["initiatives"] == []
    # Counted once: the other successor does NOT report huyện A's records again.
    other = _json(report, "--year", "2025", "--agency", "ubnd-xa-c")
    assert other["initiatives"] == []
    assert other["scope"]["agencies"] == ["ubnd-xa-c"]
    # The district is reported under its own name for the time it existed.
    district = _json(report, "--year", "2025", "--agency", "ubnd-huyen-a")
    assert district["initiatives"] == ["QNG-2025-0001"]
    assert district["by_agency"] == {"ubnd-huyen-a": 1}


def test_agency_markdown_explains_the_merger(report) -> None:
    code, out, _ = report("--year", "2025", "--agency", "ubnd-xa-b")
    assert code == 0
    assert "hợp nhất vào" not in out
    assert (
        "Số liệu gồm cả hồ sơ của đơn vị đã kết thúc hoạt động mà UBND xã B tiếp nhận chức "
        "năng, nhiệm vụ: UBND huyện A; mỗi sáng kiến chỉ được tính một lần"
    ) in out
    code, out, _ = report("--year", "2025", "--agency", "ubnd-huyen-a")
    assert (
        "UBND huyện A kết thúc hoạt động từ ngày 30/06/2025; hồ sơ của đơn vị do UBND xã B báo cáo."
        in out
    )


# ---- CSV ---------------------------------------------------------------------------------
def _csv_tables(text: str) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        out.setdefault(row["bang"], []).append(row)
    return out


def test_csv_tables(report, tmp_path: Path) -> None:
    target = tmp_path / "bc.csv"
    code, _, err = report("--year", "2025", "--format", "csv", "-o", str(target))
    assert code == 0, err
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM so that Excel reads UTF-8
    tables = _csv_tables(raw.decode("utf-8-sig"))
    summary = {
        r["id"]: (int(r["current"]), int(r["previous"]), int(r["change"]))
        for r in tables["tong-hop"]
    }
    assert summary == {
        "new_recognized": (2, 2, 0),
        "provincial_granted": (1, 1, 0),
        "recognized": (2, 3, -1),
        "level:co-so": (2, 2, 0),
        "level:bo-nganh": (0, 0, 0),
        "level:tinh": (1, 1, 0),
        "level:toan-quoc": (0, 0, 0),
        "adoptions_applied": (5, 2, 3),
        "adoptions_exploring": (1, 0, 1),
    }
    agencies = {r["id"]: int(r["current"]) for r in tables["theo-co-quan"]}
    assert {k: v for k, v in agencies.items() if v} == EXPECTED_2025["by_agency"]
    fields = {r["id"]: int(r["current"]) for r in tables["theo-linh-vuc"]}
    assert {k: v for k, v in fields.items() if v} == EXPECTED_2025["by_field"]
    annex = tables["phu-luc"]
    assert [(r["id"], r["decision_no"], r["decision_date"]) for r in annex][:2] == [
        ("QNG-2024-0002", "1500/QĐ-UBND", "2025-06-01"),
        ("QNG-2025-0001", "101/QĐ-UBND", "2025-03-10"),
    ]
    assert len(annex) == 6
    assert {r["id"] for r in tables["chat-luong-chi-tiet"]} == {
        "QNG-2023-0001", "QNG-2024-0001", "QNG-2025-0003", "QNG-2025-0004",
    }  # fmt: skip


def test_csv_to_stdout_has_no_bom(report) -> None:
    code, out, _ = report("--year", "2025", "--format", "csv")
    assert code == 0
    assert out.startswith("bang,dong,")


# ---- XLSX --------------------------------------------------------------------------------
def test_xlsx_one_sheet_per_table_with_real_types(report, tmp_path: Path) -> None:
    target = tmp_path / "bc.xlsx"
    code, _, err = report("--year", "2025", "--format", "xlsx", "-o", str(target))
    assert code == 0, err
    wb = load_workbook(target)
    assert wb.sheetnames == [
        "Tổng hợp",
        "Theo cấp",
        "Theo cơ quan",
        "Theo lĩnh vực",
        "Theo loại giải pháp",
        "Đề xuất cấp tỉnh",
        "Áp dụng mới",
        "Nhân rộng nhiều nhất",
        "Lợi ích",
        "Chất lượng dữ liệu",
        "Chất lượng - chi tiết",
        "Phụ lục",
    ]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert all(c.value for c in ws[1]), ws.title  # a labelled header on every column
    summary = wb["Tổng hợp"]
    rows = {r[0]: r[2:5] for r in summary.iter_rows(min_row=2, values_only=True)}
    assert rows["recognized"] == (2, 3, -1)
    assert rows["new_recognized"] == (2, 2, 0)
    assert rows["provincial_granted"] == (1, 1, 0)
    assert rows["adoptions_applied"] == (5, 2, 3)
    assert rows["adoptions_exploring"] == (1, 0, 1)
    assert isinstance(rows["recognized"][0], int)
    annex = wb["Phụ lục"]
    first = next(annex.iter_rows(min_row=2, values_only=True))
    assert first[0] == "QNG-2024-0002"
    assert first[-1] == datetime(2025, 6, 1)  # a real date, not text
    assert annex["G2"].number_format == "DD/MM/YYYY"
    benefits = list(wb["Lợi ích"].iter_rows(min_row=2, values_only=True))
    assert benefits == [("giờ/năm", 2, 2, 1700, 400, -1300), ("hồ sơ", 1, 1, 40, 10, -30)]


# ---- DOCX --------------------------------------------------------------------------------
def _docx_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


@pytest.fixture
def docx_report(report, tmp_path: Path):
    target = tmp_path / "bao-cao-2025.docx"
    code, _, err = report("--year", "2025", "--format", "docx", "-o", str(target))
    assert code == 0, err
    assert "đã ghi / wrote" in err
    return Document(str(target))


def test_docx_layout_follows_decree_30(docx_report) -> None:
    doc = docx_report
    first = doc.sections[0]
    mm = {
        k: round(getattr(first, k).mm)
        for k in (
            "page_width",
            "page_height",
            "top_margin",
            "bottom_margin",
            "left_margin",
            "right_margin",
        )
    }
    assert (mm["page_width"], mm["page_height"]) == (210, 297)
    assert 20 <= mm["top_margin"] <= 25 and 20 <= mm["bottom_margin"] <= 25
    assert 30 <= mm["left_margin"] <= 35 and 15 <= mm["right_margin"] <= 20
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert 13 <= normal.font.size.pt <= 14
    assert normal.paragraph_format.alignment == 3  # justified
    # Page number centred at the top, not on page 1.
    assert first.different_first_page_header_footer
    header_xml = first.header._element.xml
    assert "PAGE" in header_xml and 'w:val="center"' in header_xml
    assert not first.first_page_header.paragraphs[0].text.strip()
    text = _docx_text(doc)
    for line in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "Quảng Ngãi, ngày 30 tháng 6 năm 2026",
        "BÁO CÁO",
        "Kết quả công nhận, áp dụng và nhân rộng sáng kiến năm 2025",
        "NGƯỜI LẬP BÁO CÁO",
        "THỦ TRƯỞNG ĐƠN VỊ",
        "PHỤ LỤC",
    ):
        assert line in text, line
    # Tables fit the printable width (165 mm portrait; annex on a landscape page of 252 mm).
    annex_section = doc.sections[-1]
    assert annex_section.page_width > annex_section.page_height
    for table in doc.tables:
        grid = table._tbl.tblGrid.findall(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}gridCol"
        )
        total_mm = (
            sum(
                int(g.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w"))
                for g in grid
            )
            / 1440
            * 25.4
        )
        assert total_mm <= 252.5


def test_docx_figures(docx_report) -> None:
    text = _docx_text(docx_report)
    assert "Trong kỳ có 2 sáng kiến mới được công nhận, bằng kỳ trước (2)" in text
    assert "1 | Sáng kiến mới được công nhận trong kỳ | 2 | 2 | 0" in text
    assert "Lượt công nhận phạm vi ảnh hưởng cấp tỉnh trở lên trong kỳ | 1 | 1 | 0" in text
    assert "Sáng kiến có quyết định công nhận trong kỳ (mọi cấp) | 2 | 3 | -1" in text
    # "Đang tìm hiểu" is counted apart from applied adoptions.
    assert "Lượt áp dụng, thí điểm mới | 5 | 2 | 3" in text
    assert "Lượt đơn vị đang tìm hiểu (chưa áp dụng) | 1 | 0 | 1" in text
    assert "UBND huyện A (đã kết thúc hoạt động; nay là UBND xã B) | 1 | 1 | 0" in text
    assert "giờ/năm | 2 | 2 | 1.700 | 400 | -1.300" in text
    assert (
        "QNG-2025-0003 | Phiếu khảo sát bằng mã QR | Sở Khoa học và Công nghệ | Cấp cơ sở | Đạt (sau đó bị hủy) | 12/QĐ-SKHCN | 01/04/2025"
        in text
    )
    assert (
        "QNG-2025-0004 | Nhắc lịch tái khám | Sở Y tế | Cấp cơ sở | Không đạt | 77/QĐ-SYT | 05/05/2025"
        in text
    )
    # Machine keys stay in the spreadsheet; the printed report shows names.
    assert "level:co-so" not in text and "ubnd-huyen-a" not in text


# ---- Markdown ----------------------------------------------------------------------------
def test_markdown(report) -> None:
    code, out, _ = report("--year", "2025")
    assert code == 0
    assert out.startswith("# Báo cáo: kết quả công nhận, áp dụng và nhân rộng sáng kiến năm 2025")
    assert "| Sáng kiến mới được công nhận trong kỳ | 2 | 2 | 0 |" in out
    assert "| Cấp tỉnh | 1 | 1 | 0 |" in out
    assert "Trong kỳ có 2 lượt xét ở cấp tỉnh trở lên: 1 đạt, 1 không đạt." in out
    assert (
        "| QNG-2025-0002 | Bản đồ số dịch vụ công | UBND xã B | Cấp tỉnh | Đạt | 2001/QĐ-UBND | 15/12/2025 |"
        in out
    )


# ---- all formats and the site agree ------------------------------------------------------
def test_formats_and_site_agree(report, tmp_path: Path, fixture_registry) -> None:
    data = _json(report, "--year", "2025")
    want = {
        "new_recognized": data["totals"]["new_recognized"],
        "provincial_granted": data["totals"]["provincial_granted"],
        "recognized": data["totals"]["recognized"],
        **{f"level:{k}": v for k, v in data["by_level"].items()},
        "adoptions_applied": data["adoptions_applied"],
        "adoptions_exploring": data["adoptions_exploring"],
    }
    report("--year", "2025", "--format", "csv", "-o", str(tmp_path / "r.csv"))
    rows = _csv_tables((tmp_path / "r.csv").read_text(encoding="utf-8-sig"))["tong-hop"]
    assert {r["id"]: int(r["current"]) for r in rows} == want
    report("--year", "2025", "--format", "xlsx", "-o", str(tmp_path / "r.xlsx"))
    ws = load_workbook(tmp_path / "r.xlsx")["Tổng hợp"]
    assert {r[0]: r[2] for r in ws.iter_rows(min_row=2, values_only=True)} == want
    report("--year", "2025", "--format", "docx", "-o", str(tmp_path / "r.docx"))
    docx_rows = {
        tuple(c.text for c in row.cells)[1]: int(row.cells[2].text)
        for row in Document(str(tmp_path / "r.docx")).tables[1].rows[1:]
    }
    assert list(docx_rows.values()) == list(want.values())
    # The site's page for 2025 shows the same summary table.
    from generator.reports.site import pages

    registry, settings = fixture_registry
    page = next(p for p in pages(registry, settings) if p.uri == "thong-ke/2025.md")
    shown = re.findall(r"^\| (Sáng kiến [^|]+|Lượt [^|]+) \| (\d+) \|", page.markdown, re.M)
    assert [int(n) for _, n in shown[: len(want)]] == list(want.values())


def test_record_text_never_becomes_a_formula(fixture_registry) -> None:
    from dataclasses import replace

    from generator.reports.api import period_report
    from generator.reports.writers import WRITER_BY_FORMAT

    registry, settings = fixture_registry
    ini = registry.initiatives["QNG-2025-0001"]
    evil = replace(ini, title='=HYPERLINK("http://example.invalid","x")')
    tampered = replace(registry, initiatives={**registry.initiatives, ini.id: evil})
    bundle = period_report(tampered, settings, date(2025, 1, 1), date(2025, 12, 31))
    wb = load_workbook(io.BytesIO(WRITER_BY_FORMAT["xlsx"](bundle)))
    titles = [r[1] for r in wb["Phụ lục"].iter_rows(min_row=2, values_only=True)]
    assert '=HYPERLINK("http://example.invalid","x")' in titles
    assert all(c.data_type == "s" for c in wb["Phụ lục"]["B"][1:])
    text = WRITER_BY_FORMAT["csv"](bundle).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
