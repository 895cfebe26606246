"""`sangkien report candidates`: criteria as settings, evidence and what is missing."""

from __future__ import annotations

import json
from pathlib import Path

from docx import Document
from openpyxl import load_workbook


def test_candidates_json(report) -> None:
    code, out, err = report("candidates", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["as_of"] == "2026-06-30"
    assert data["criteria"]["min_adopting_units"] == 2
    assert data["considered"] == 3
    assert (data["qualifying"], data["nearly"]) == (1, 1)
    first, second = data["candidates"]
    assert (first["initiative"], first["qualifies"]) == ("QNG-2024-0002", True)
    assert [c["key"] for c in first["criteria"]] == [
        "recognized",
        "applied",
        "adopted",
        "metrics",
        "readiness",
    ]
    assert all(c["met"] for c in first["criteria"])
    evidence = {c["key"]: c["evidence"] for c in first["criteria"]}
    assert evidence["recognized"] == "Quyết định số 45/QĐ-UBND ngày 01/05/2024 (cấp cơ sở)"
    assert evidence["applied"] == "Áp dụng từ 15/01/2024 (29 tháng)"
    assert evidence["adopted"] == (
        "Sở Khoa học và Công nghệ (Công văn 4/SKHCN ngày 20/08/2024); "
        "Sở Y tế (Quyết định 5/QĐ-SYT ngày 01/09/2025)"
    )
    assert evidence["readiness"] == "Mức sẵn sàng: đã kiểm chứng"
    # QNG-2025-0001 was also taken up by xã B, but xã B inherited the district's work: not "other".
    assert (second["initiative"], second["qualifies"]) == ("QNG-2025-0001", False)
    missing = [c for c in second["criteria"] if not c["met"]]
    assert [(c["key"], c["missing"]) for c in missing] == [
        ("adopted", "cần thêm 1 đơn vị áp dụng có văn bản xác nhận")
    ]
    # Already provincial (QNG-2025-0002, QNG-2023-0001), revoked (0003) or refused (0004): absent;
    # QNG-2024-0001 misses two criteria (unwritten adoption, readiness pilot): absent.
    assert {c["initiative"] for c in data["candidates"]} == {"QNG-2024-0002", "QNG-2025-0001"}


def test_as_of_date_changes_the_outcome(report) -> None:
    # Before Sở Y tế's written adoption of QNG-2024-0002 (09/2025) it had only one unit.
    code, out, _ = report("candidates", "--as-of", "2025-08-01", "--format", "json")
    assert code == 0
    data = json.loads(out)
    by_id = {c["initiative"]: c for c in data["candidates"]}
    assert by_id["QNG-2024-0002"]["qualifies"] is False


def test_criteria_are_settings(
    run_cli, report_project: Path, tmp_path: Path, today: str, monkeypatch
) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - sangkien:\n      candidate_criteria:\n        min_adopting_units: 1\n",
        encoding="utf-8",
    )
    code, out, err = run_cli(
        "report",
        "candidates",
        "--format",
        "json",
        "--registry",
        str(report_project / "registry"),
        cwd=tmp_path,
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["criteria"]["min_adopting_units"] == 1
    assert {c["initiative"] for c in data["candidates"] if c["qualifies"]} == {
        "QNG-2024-0002",
        "QNG-2025-0001",
    }


def test_bad_criteria_name_the_setting(
    run_cli, report_project: Path, tmp_path: Path, today: str
) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - sangkien:\n      candidate_criteria:\n        min_readiness: tot\n",
        encoding="utf-8",
    )
    code, _, err = run_cli(
        "report", "candidates", "--registry", str(report_project / "registry"), cwd=tmp_path
    )
    assert code == 1
    assert "mkdocs.yml" in err and "candidate_criteria.min_readiness" in err and "'tot'" in err


def test_candidates_in_office_formats(report, tmp_path: Path) -> None:
    code, _, err = report("candidates", "--format", "xlsx", "-o", str(tmp_path / "uv.xlsx"))
    assert code == 0, err
    wb = load_workbook(tmp_path / "uv.xlsx")
    assert wb.sheetnames == ["Tiêu chí", "Ứng viên", "Minh chứng"]
    rows = list(wb["Ứng viên"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[3]) for r in rows] == [
        ("QNG-2024-0002", "Đủ điều kiện"),
        ("QNG-2025-0001", "Gần đủ"),
    ]
    code, _, err = report("candidates", "--format", "docx", "-o", str(tmp_path / "uv.docx"))
    assert code == 0, err
    text = "\n".join(
        " | ".join(c.text for c in row.cells)
        for t in Document(str(tmp_path / "uv.docx")).tables
        for row in t.rows
    )
    assert (
        "QNG-2025-0001 | Sổ theo dõi hồ sơ điện tử | UBND huyện A (đã kết thúc hoạt động; nay là UBND xã B) | Gần đủ"
        in text
    )
    code, out, _ = report("candidates")
    assert "## II. DANH SÁCH" in out and "| QNG-2024-0002 |" in out
