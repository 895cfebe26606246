"""`sangkien report` refuses bad input clearly, with exit status 1 (2 for usage) and no file."""

from __future__ import annotations

from pathlib import Path

import pytest


def _no_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_unknown_agency_suggests_the_closest(report, tmp_path: Path) -> None:
    target = tmp_path / "bc.docx"
    code, out, err = report(
        "--year", "2025", "--agency", "ubnd-xa-bb", "--format", "docx", "-o", str(target)
    )
    assert code == 1
    assert "không có cơ quan / unknown agency 'ubnd-xa-bb'" in err
    assert "did you mean `ubnd-xa-b`?" in err
    assert "Traceback" not in err and out == ""
    assert _no_files(tmp_path) == []


def test_inverted_period(report, tmp_path: Path) -> None:
    code, _, err = report(
        "--from", "2025-12-31", "--to", "2025-01-01", "-o", str(tmp_path / "x.md")
    )
    assert code == 1
    assert (
        "kỳ báo cáo ngược / inverted period: --from 2025-12-31 sau / is after --to 2025-01-01"
        in err
    )
    assert _no_files(tmp_path) == []


@pytest.mark.parametrize("bad", ["2025-02-30", "31/13/2025", "hôm qua"])
def test_invalid_date(report, bad: str) -> None:
    code, out, err = report("--from", bad, "--to", "2025-12-31")
    assert code == 1
    assert f"--from: ngày không hợp lệ / invalid date '{bad}'" in err
    assert out == ""


def test_unwritable_output_leaves_no_file(report, tmp_path: Path) -> None:
    missing = tmp_path / "khong-co" / "bc.xlsx"
    code, _, err = report("--year", "2025", "--format", "xlsx", "-o", str(missing))
    assert code == 1
    assert "không có thư mục / no such folder" in err
    assert not missing.parent.exists()
    folder = tmp_path / "la-thu-muc.xlsx"
    folder.mkdir()
    code, _, err = report("--year", "2025", "--format", "xlsx", "-o", str(folder))
    assert code == 1
    assert "là một thư mục / is a directory" in err
    assert _no_files(tmp_path) == ["la-thu-muc.xlsx"]
    assert _no_files(folder) == []


def test_existing_file_is_replaced_whole(report, tmp_path: Path) -> None:
    target = tmp_path / "bc.json"
    target.write_text("cũ", encoding="utf-8")
    # Never without --force (issue 11: every command that writes refuses to overwrite).
    code, _, err = report("--year", "2025", "--format", "json", "-o", str(target))
    assert code == 1 and "--force" in err
    assert target.read_text(encoding="utf-8") == "cũ"
    code, _, _ = report("--year", "2025", "--format", "json", "--force", "-o", str(target))
    assert code == 0
    assert target.read_text(encoding="utf-8").startswith("{")
    assert _no_files(tmp_path) == ["bc.json"]  # no temporary file left behind


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--year", "2025", "--from", "2025-01-01"), "--year không dùng cùng --from/--to"),
        (("--to", "2025-01-01"), "--to cần --from"),
        ((), "cần --year YYYY hoặc --from DATE"),
        (("--year", "2025", "--format", "docx"), "--format docx cần -o FILE"),
        (("--year", "2025", "--as-of", "2025-01-01"), "--as-of chỉ dùng với `report candidates`"),
        (("candidates", "--year", "2025"), "`report candidates` chỉ nhận --as-of"),
    ],
)
def test_usage_errors_exit_2(report, args: tuple[str, ...], message: str) -> None:
    code, _, err = report(*args)
    assert code == 2
    assert message in err


def test_argparse_errors_exit_2(report) -> None:
    code, _, err = report("--year", "hai-nghin", "--format", "json")
    assert code == 2
    assert "lỗi / error" in err
    code, _, err = report("--year", "2025", "--format", "pdf")
    assert code == 2


def test_registry_with_errors_is_refused(
    run_cli, tmp_path: Path, report_project: Path, today: str
) -> None:
    import shutil

    broken = tmp_path / "project"
    shutil.copytree(report_project, broken)
    bad = broken / "registry" / "initiatives" / "2025" / "QNG-2025-0001.yml"
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("agency: ubnd-huyen-a", "agency: khong-ton-tai", 1),
        encoding="utf-8",
    )
    code, out, err = run_cli("report", "--year", "2025", "--registry", str(broken / "registry"))
    assert code == 1
    assert "sangkien validate" in err and "QNG-2025-0001.yml" in err
    assert out == ""
