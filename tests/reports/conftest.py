"""A small registry with known counts for the report tests, written from YAML in the test.

Report period 2025 (previous period 2024), as of 30/06/2026. The figures each test expects
are listed in EXPECTED below and derived by hand from the records:

* UBND huyện A ceased on 30/06/2025; its work went to UBND xã B and UBND xã C.
* QNG-2025-0001  huyện A, co-so dat 10/03/2025, adopted by Sở Y tế (05/2025, written) and by
  its own successor xã B (08/2025): nearly a candidate (only 1 *other* unit).
* QNG-2025-0002  xã B, co-so dat 20/10/2025 and tinh dat 15/12/2025; Sở Y tế only exploring
  it ("Đang tìm hiểu", 12/2025): not an adoption.
* QNG-2025-0003  Sở KH&CN, co-so dat 01/04/2025 but revoked 01/09/2025: never counted.
* QNG-2025-0004  Sở Y tế, co-so khong-dat 05/05/2025: annex only; no metrics, no replication.
* QNG-2024-0001  Sở KH&CN, co-so dat 01/11/2024; adopted by huyện A (02/2025, written) and
  Sở Y tế (12/2024, no evidence); readiness pilot.
* QNG-2024-0002  huyện A, co-so dat 01/05/2024, tinh khong-dat 01/06/2025; adopted by Sở KH&CN
  (08/2024) and Sở Y tế (09/2025), both written; readiness proven: the one qualifying candidate.
* QNG-2023-0001  Sở Y tế, co-so 2023, tinh dat 01/03/2024.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-06-30"

AGENCIES: list[dict[str, Any]] = [
    {"id": "ubnd-tinh-quang-ngai", "name": "UBND tỉnh Quảng Ngãi", "kind": "ubnd-tinh"},
    {"id": "so-khcn", "name": "Sở Khoa học và Công nghệ", "kind": "so-ban-nganh", "parent": "ubnd-tinh-quang-ngai"},
    {"id": "so-y-te", "name": "Sở Y tế", "kind": "so-ban-nganh", "parent": "ubnd-tinh-quang-ngai"},
    {"id": "ubnd-huyen-a", "name": "UBND huyện A", "kind": "ubnd-huyen", "parent": "ubnd-tinh-quang-ngai",
     "valid_to": "2025-06-30", "successors": ["ubnd-xa-b", "ubnd-xa-c"]},
    {"id": "ubnd-xa-b", "name": "UBND xã B", "kind": "ubnd-xa", "parent": "ubnd-tinh-quang-ngai",
     "valid_from": "2025-07-01", "predecessors": ["ubnd-huyen-a"]},
    {"id": "ubnd-xa-c", "name": "UBND xã C", "kind": "ubnd-xa", "parent": "ubnd-tinh-quang-ngai",
     "valid_from": "2025-07-01", "predecessors": ["ubnd-huyen-a"]},
]  # fmt: skip

FIELDS = [
    {
        "id": "cai-cach-hanh-chinh",
        "name": "Cải cách hành chính",
        "name_en": "Administrative reform",
    },
    {"id": "chuyen-doi-so", "name": "Chuyển đổi số", "name_en": "Digital transformation"},
    {"id": "y-te", "name": "Y tế", "name_en": "Health"},
]

_NAMES = {a["id"]: a["name"] for a in AGENCIES}


def _rec(level: str, day: str, issuer: str, no: str, outcome: str = "dat") -> dict[str, Any]:
    return {
        "level": level,
        "kind": "cong-nhan" if level == "co-so" else "pham-vi-anh-huong",
        "outcome": outcome,
        "decision_no": no,
        "decision_date": day,
        "issuer": issuer,
    }


def _adopt(agency: str, since: str, stage: str, evidence: str | None) -> dict[str, Any]:
    out = {"agency": agency, "agency_name_at_time": _NAMES[agency], "since": since, "stage": stage}
    if evidence:
        out["evidence"] = evidence
    return out


def _metric(indicator: str, unit: str, baseline: float, result: float) -> dict[str, Any]:
    return {"indicator": indicator, "unit": unit, "baseline": baseline, "result": result}


def _replication(readiness: str) -> dict[str, Any]:
    return {
        "readiness": readiness,
        "core": "Giữ quy trình tiếp nhận một đầu mối.",
        "steps": [{"title": "Lập danh mục", "duration_days": 5}],
    }


def _initiative(
    iid: str,
    title: str,
    agency: str,
    fields: list[str],
    types: list[str],
    first_applied: str,
    recognitions: list[dict[str, Any]],
    **extra: Any,
) -> dict[str, Any]:
    rec = {
        "id": iid,
        "title": title,
        "summary": f"Tóm tắt của sáng kiến {title.lower()}.",
        "solution_types": types,
        "fields": fields,
        "agency": agency,
        "agency_name_at_time": _NAMES[agency],
        "authors": [{"name": "Nguyễn Văn An", "position": "Chuyên viên"}],
        "first_applied": first_applied,
        "first_applied_kind": "ap-dung",
        "legal_basis": "nd-13-2012",
        "problem": "Người dân phải đi lại nhiều lần.",
        "solution": "Tiếp nhận và trả kết quả qua một đầu mối.",
        "recognitions": recognitions,
    }
    rec.update(extra)
    rec["provenance"] = {"sample": True, **extra.get("provenance", {})}
    return rec


INITIATIVES: list[dict[str, Any]] = [
    _initiative(
        "QNG-2025-0001", "Sổ theo dõi hồ sơ điện tử", "ubnd-huyen-a",
        ["cai-cach-hanh-chinh", "chuyen-doi-so"], ["tac-nghiep"], "2024-06-01",
        [_rec("co-so", "2025-03-10", "ubnd-huyen-a", "101/QĐ-UBND")],
        metrics=[_metric("Thời gian xử lý hồ sơ mỗi năm", "giờ/năm", 1200, 300)],
        replication=_replication("proven"),
        adoptions=[
            _adopt("so-y-te", "2025-05-01", "ap-dung", "Công văn 1/SYT ngày 10/05/2025"),
            _adopt("ubnd-xa-b", "2025-08-01", "thi-diem", "Công văn 2/UBND ngày 05/08/2025"),
        ],
        provenance={"last_reviewed": "2025-09-01"},
    ),
    _initiative(
        "QNG-2025-0002", "Bản đồ số dịch vụ công", "ubnd-xa-b",
        ["chuyen-doi-so"], ["ky-thuat", "quan-ly"], "2025-07-15",
        [
            _rec("co-so", "2025-10-20", "ubnd-xa-b", "55/QĐ-UBND"),
            _rec("tinh", "2025-12-15", "ubnd-tinh-quang-ngai", "2001/QĐ-UBND"),
        ],
        metrics=[
            _metric("Thời gian tra cứu mỗi năm", "giờ/năm", 500, 100),
            _metric("Hồ sơ trễ hạn mỗi quý", "hồ sơ", 40, 10),
        ],
        replication=_replication("packaged"),
        adoptions=[
            _adopt("so-khcn", "2025-11-01", "ap-dung", "Công văn 7/SKHCN ngày 20/11/2025"),
            _adopt("ubnd-xa-c", "2026-01-05", "ap-dung", "Công văn 3/UBND ngày 10/01/2026"),
            # Only exploring: counted apart from applied adoptions (docs/reference/cach-dem.md).
            _adopt("so-y-te", "2025-12-01", "tim-hieu", None),
        ],
        provenance={"last_reviewed": "2025-09-01"},
    ),
    _initiative(
        "QNG-2025-0003", "Phiếu khảo sát bằng mã QR", "so-khcn",
        ["cai-cach-hanh-chinh"], ["tac-nghiep"], "2024-09-01",
        [_rec("co-so", "2025-04-01", "so-khcn", "12/QĐ-SKHCN")],
        metrics=[_metric("Số phiếu khảo sát mỗi tháng", "phiếu", 100, 600)],
        revoked={"decision_no": "30/QĐ-SKHCN", "decision_date": "2025-09-01", "reason": "Trùng giải pháp đã có."},
        provenance={"last_reviewed": "2025-09-01"},
    ),
    _initiative(
        "QNG-2025-0004", "Nhắc lịch tái khám", "so-y-te",
        ["y-te"], ["tac-nghiep"], "2025-01-05",
        [_rec("co-so", "2025-05-05", "so-y-te", "77/QĐ-SYT", outcome="khong-dat")],
        provenance={"last_reviewed": "2025-09-01"},
    ),
    _initiative(
        "QNG-2024-0001", "Chấm điểm cải cách hành chính hằng tháng", "so-khcn",
        ["cai-cach-hanh-chinh"], ["quan-ly"], "2024-01-10",
        [_rec("co-so", "2024-11-01", "so-khcn", "90/QĐ-SKHCN")],
        metrics=[_metric("Tỷ lệ hồ sơ trễ hạn", "%", 4.8, 0.6)],
        replication=_replication("pilot"),
        adoptions=[
            _adopt("ubnd-huyen-a", "2025-02-01", "ap-dung", "Công văn 3/UBND ngày 01/03/2025"),
            _adopt("so-y-te", "2024-12-01", "ap-dung", None),
        ],
    ),
    _initiative(
        "QNG-2024-0002", "Một cửa liên thông khai sinh và bảo hiểm y tế", "ubnd-huyen-a",
        ["y-te"], ["tac-nghiep"], "2024-01-15",
        [
            _rec("co-so", "2024-05-01", "ubnd-huyen-a", "45/QĐ-UBND"),
            _rec("tinh", "2025-06-01", "ubnd-tinh-quang-ngai", "1500/QĐ-UBND", outcome="khong-dat"),
        ],
        metrics=[_metric("Thời gian trả kết quả", "ngày", 12, 5)],
        replication=_replication("proven"),
        adoptions=[
            _adopt("so-khcn", "2024-08-01", "ap-dung", "Công văn 4/SKHCN ngày 20/08/2024"),
            _adopt("so-y-te", "2025-09-01", "thi-diem", "Quyết định 5/QĐ-SYT ngày 01/09/2025"),
        ],
        provenance={"last_reviewed": "2025-09-01"},
    ),
    _initiative(
        "QNG-2023-0001", "Đặt lịch khám qua tổng đài", "so-y-te",
        ["y-te"], ["tac-nghiep"], "2023-01-10",
        [
            _rec("co-so", "2023-06-01", "so-y-te", "20/QĐ-SYT"),
            _rec("tinh", "2024-03-01", "ubnd-tinh-quang-ngai", "300/QĐ-UBND"),
        ],
        metrics=[_metric("Thời gian chờ khám", "phút", 90, 30)],
        provenance={"last_reviewed": "2023-01-10"},
    ),
]  # fmt: skip

# What the report for 2025 (whole province, as of 30/06/2026) must say.
EXPECTED_2025 = {
    "period": {"from": "2025-01-01", "to": "2025-12-31"},
    # QNG-2025-0001 and -0002 are first recognised in 2025; one provincial grant (-0002).
    "totals": {"recognized": 2, "new_recognized": 2, "provincial_granted": 1},
    "by_level": {"co-so": 2, "bo-nganh": 0, "tinh": 1, "toan-quoc": 0},
    "by_agency": {"ubnd-huyen-a": 1, "ubnd-xa-b": 1},
    "by_field": {"cai-cach-hanh-chinh": 1, "chuyen-doi-so": 2},
    "by_solution_type": {"ky-thuat": 1, "quan-ly": 1, "tac-nghiep": 1},
    "adoptions_started": 6,
    "adoptions_applied": 5,
    "adoptions_exploring": 1,
    "initiatives": ["QNG-2025-0001", "QNG-2025-0002"],
}
EXPECTED_2024 = {
    "period": {"from": "2024-01-01", "to": "2024-12-31"},
    # QNG-2023-0001 was first recognised in 2023: its 2024 provincial grant is not "new".
    "totals": {"recognized": 3, "new_recognized": 2, "provincial_granted": 1},
    "by_level": {"co-so": 2, "bo-nganh": 0, "tinh": 1, "toan-quoc": 0},
    "by_agency": {"so-khcn": 1, "so-y-te": 1, "ubnd-huyen-a": 1},
    "by_field": {"cai-cach-hanh-chinh": 1, "y-te": 2},
    "by_solution_type": {"quan-ly": 1, "tac-nghiep": 2},
    "adoptions_started": 2,
    "adoptions_applied": 2,
    "adoptions_exploring": 0,
    "initiatives": ["QNG-2023-0001", "QNG-2024-0001", "QNG-2024-0002"],
}


def write_project(dest: Path) -> Path:
    """Write the fixture registry (and a copy of the schemas) under `dest`; return it."""
    reg = dest / "registry"
    (reg / "agencies").mkdir(parents=True)
    (reg / "taxonomy").mkdir()
    for agency in AGENCIES:
        (reg / "agencies" / f"{agency['id']}.yml").write_text(
            yaml.safe_dump(agency, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    (reg / "taxonomy" / "fields.yml").write_text(
        yaml.safe_dump(FIELDS, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    for ini in INITIATIVES:
        folder = reg / "initiatives" / ini["id"].split("-")[1]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{ini['id']}.yml").write_text(
            yaml.safe_dump(ini, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    shutil.copytree(ROOT / "schema", dest / "schema")
    return dest


@pytest.fixture(scope="session")
def report_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project folder (registry/ and schema/), written once per worker."""
    return write_project(tmp_path_factory.mktemp("reports") / "project")


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> str:
    """Pin "today" for the validator's and the reports' date checks."""
    monkeypatch.setenv("SANGKIEN_TODAY", TODAY)
    return TODAY


@pytest.fixture
def report(run_cli: Any, report_project: Path, today: str) -> Any:
    """Run `sangkien report ARGS --registry <fixture>`; returns (code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        return run_cli("report", *args, "--registry", str(report_project / "registry"))

    return run


@pytest.fixture
def fixture_registry(report_project: Path, today: str) -> Any:
    """(registry, settings) of the fixture project, checked to be free of errors."""
    from generator.config import load_settings
    from generator.validate.check import check_registry

    settings = load_settings(report_project)
    result = check_registry(settings)
    assert result.ok(), [d.message("en") for d in result.errors()]
    return result.registry, settings
