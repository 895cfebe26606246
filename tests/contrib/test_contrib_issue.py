"""The issue form and `sangkien from-issue`: a filled GitHub issue becomes a valid record."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.config import load_settings
from generator.contrib.issue import FORM_PATH, form_sections, issue_form
from generator.contrib.record import initiative_schema, load_choices
from generator.validate.check import check_registry

ROOT = Path(__file__).resolve().parents[2]

# What GitHub renders when someone submits the form (headings are the form's labels).
FILLED = """### Tên sáng kiến

Tổ tư vấn pháp luật lưu động tại thôn

### Năm

2025

### Tên tiếng Anh

_No response_

### Cơ quan chủ quản

UBND xã Bình Sơn [ubnd-xa-binh-son]

### Tên cơ quan tại thời điểm công nhận

_No response_

### Loại giải pháp

Giải pháp tác nghiệp [tac-nghiep], Giải pháp quản lý [quan-ly]

### Lĩnh vực

Tư pháp - hộ tịch [tu-phap-ho-tich], Văn hoá - du lịch [van-hoa-du-lich]

### Tác giả

Trần Thị Mai, Công chức Tư pháp - Hộ tịch
- Lê Văn Tâm

### Ngày áp dụng lần đầu

2025-03-01

### Tóm tắt

Tổ tư vấn đến từng thôn mỗi tháng một lần, giải đáp pháp luật tại chỗ.

### Thực trạng và hạn chế

Người dân ở các thôn xa phải đi 20 km để hỏi về thủ tục.

### Nội dung giải pháp

1. Lập lịch theo tháng.
2. Tổ tư vấn đến nhà văn hoá thôn.

### Tính mới

_No response_

### Điều kiện áp dụng

_No response_

### Lợi ích thu được

_No response_

### Công khai thông tin

- [X] Tôi hiểu sổ đăng ký là công khai; tôi không ghi ngày sinh, số điện thoại hay thư điện tử cá nhân.
"""


def test_committed_issue_form_is_generated_from_the_schema() -> None:
    settings = load_settings(ROOT)
    registry = load_choices(settings)
    expected = issue_form(initiative_schema(settings), registry, settings)
    committed = (ROOT / FORM_PATH).read_text(encoding="utf-8")
    assert committed == expected, f"regenerate: sangkien from-issue --print-template > {FORM_PATH}"


def test_issue_form_matches_the_schema_and_github_form_syntax() -> None:
    form = yaml.safe_load((ROOT / FORM_PATH).read_text(encoding="utf-8"))
    settings = load_settings(ROOT)
    schema = initiative_schema(settings)
    registry = check_registry(settings).registry
    by_id = {item.get("id"): item for item in form["body"] if "id" in item}
    # Every required property but the allocated id has a required question with the schema title.
    for key in schema["required"]:
        if key == "id":
            continue
        item = by_id[key.replace("_", "-")]
        assert item["attributes"]["label"] == schema["properties"][key]["title"]
        if key != "agency_name_at_time":  # defaults to the agency's name
            assert item["validations"]["required"] is True, key
    agency_options = by_id["agency"]["attributes"]["options"]
    assert len(agency_options) == len(registry.agencies)
    assert all(any(opt.endswith(f"[{aid}]") for opt in agency_options) for aid in registry.agencies)
    type_labels = schema["properties"]["solution_types"]["items"]["x-enum-labels"]
    assert by_id["solution-types"]["attributes"]["options"] == [
        f"{v} [{k}]" for k, v in type_labels.items()
    ]
    proc = subprocess.run(
        [
            str(Path(sys.executable).parent / "check-jsonschema"),
            "--builtin-schema",
            "vendor.github-issue-forms",
            str(ROOT / FORM_PATH),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_filled_issue_becomes_a_valid_record(project: Path, run_cli, tmp_path: Path) -> None:
    body = tmp_path / "issue.md"
    body.write_text(FILLED, encoding="utf-8")
    code, out, err = run_cli("from-issue", str(body), cwd=project)
    assert code == 0, err
    path = project / out.strip()
    assert path.parent == project / "registry" / "initiatives" / "2025"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        "# yaml-language-server: $schema=../../../schema/initiative.schema.json\n"
    )
    assert "solution_types: [tac-nghiep, quan-ly]" in text
    assert "fields: [tu-phap-ho-tich, van-hoa-du-lich]" in text
    assert "agency_name_at_time: UBND xã Bình Sơn" in text
    assert "  - name: Lê Văn Tâm" in text
    assert "title_en" not in text  # "_No response_" means absent
    assert "# TODO Tính mới:" in text
    code, out, _ = run_cli("validate", "--strict", str(path.relative_to(project)), cwd=project)
    assert code == 0, out
    code, out, _ = run_cli("fmt", "--check", str(path.relative_to(project)), cwd=project)
    assert code == 0, out


def test_body_from_stdin_and_output_folder(project: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "from-issue", "-", "-o", str(out_dir)],
        cwd=project,
        input=FILLED.replace("\n", "\r\n"),  # issue bodies from the API use CRLF
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    written = Path(proc.stdout.strip())
    assert written.parent == out_dir and written.name.startswith("QNG-2025-")
    again = subprocess.run(
        [sys.executable, "-m", "generator", "from-issue", "-", "-o", str(written)],
        cwd=project,
        input=FILLED,
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 1
    assert "không ghi đè" in again.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("UBND xã Bình Sơn [ubnd-xa-binh-son]", "UBND xã Không Có [ubnd-xa-khong-co]"),
            "Cơ quan chủ quản",
        ),
        (("### Năm\n\n2025", "### Năm\n\nnăm ngoái"), "Năm"),
        (
            (
                "### Tác giả\n\nTrần Thị Mai, Công chức Tư pháp - Hộ tịch\n- Lê Văn Tâm",
                "### Tác giả\n\n_No response_",
            ),
            "Tác giả",
        ),
        (
            ("### Tên sáng kiến\n\nTổ tư vấn pháp luật lưu động tại thôn\n\n", ""),
            "### Tên sáng kiến",
        ),
    ],
)
def test_unusable_issue_is_refused_with_every_problem_named(
    project: Path, run_cli, tmp_path: Path, files_in, change, message: str
) -> None:
    before = files_in(project)
    body = tmp_path / "issue.md"
    body.write_text(FILLED.replace(*change), encoding="utf-8")
    code, out, err = run_cli("from-issue", str(body), cwd=project)
    assert code == 1
    assert str(body) in err and message in err
    assert out == ""
    assert files_in(project) == before


def test_missing_body_is_a_usage_error(project: Path, run_cli) -> None:
    code, _, err = run_cli("from-issue", cwd=project)
    assert code == 2
    assert "BODY.md" in err
    code, _, err = run_cli("from-issue", "khong-co.md", cwd=project)
    assert code == 2
    assert "khong-co.md" in err


def test_issue_chooser_points_at_the_web_form_and_the_guide() -> None:
    path = ROOT / ".github" / "ISSUE_TEMPLATE" / "config.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    site = load_settings(ROOT).site_url.rstrip("/")
    assert [link["url"] for link in config["contact_links"]] == [
        f"{site}/de-xuat/",
        f"{site}/dong-gop/",
    ]
    proc = subprocess.run(
        [
            str(Path(sys.executable).parent / "check-jsonschema"),
            "--builtin-schema",
            "vendor.github-issue-config",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_parser_reads_the_sections_of_the_committed_form_in_order() -> None:
    # The headings from-issue expects and the form GitHub shows come from one list; a label
    # used twice would make a section impossible to place.
    settings = load_settings(ROOT)
    sections = form_sections(initiative_schema(settings), load_choices(settings), settings)
    form = yaml.safe_load((ROOT / FORM_PATH).read_text(encoding="utf-8"))
    rendered = [item["attributes"]["label"] for item in form["body"] if item["type"] != "markdown"]
    assert rendered == [f.label for f in sections]
    assert len(set(rendered)) == len(rendered)
    assert sections[-1].type == "checkboxes"
