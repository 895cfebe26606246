"""`sangkien validate` as a contributor and CI meet it: output, exit status, options, help."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import __version__
from generator.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "tests" / "cases" / "base"
NEW = "registry/initiatives/2024/QNG-2024-0002.yml"

RECORD = """id: QNG-2024-0002
title: Sổ tay điện tử hướng dẫn hồ sơ đất đai cho người dân
summary: Tập hợp hướng dẫn hồ sơ đất đai vào một sổ tay điện tử.
solution_types: [quan-ly]
fields: [cai-cach-hanh-chinh]
agency: ubnd-huyen-binh-son
agency_name_at_time: UBND huyện Bình Sơn
authors:
  - name: Phạm Văn Hùng
first_applied: 2024-02-01
problem: Hồ sơ bị trả lại nhiều lần.
solution: Biên soạn sổ tay điện tử.
metrics:
  - indicator: Tỷ lệ hồ sơ phải bổ sung
    unit: "%"
    baseline: 40
    result: 12
recognitions:
  - level: co-so
    decision_no: 246/QĐ-UBND
    decision_date: 2024-10-15
    issuer: ubnd-huyen-binh-son
provenance:
  sample: true
  last_reviewed: 2026-06-01
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the tiny valid base registry; the current folder is the project."""
    dest = tmp_path / "project"
    shutil.copytree(BASE, dest)
    monkeypatch.chdir(dest)
    monkeypatch.setenv("SANGKIEN_TODAY", "2026-11-26")
    return dest


def write(project: Path, rel: str, text: str) -> None:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def sangkien(*argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process: (exit status, stdout, stderr). argparse exits become statuses."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(argv))
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 2
    return status, out.getvalue(), err.getvalue()


# --- exit status --------------------------------------------------------------------------


def test_valid_registry_exits_0(project: Path) -> None:
    status, out, _ = sangkien("validate")
    assert status == 0
    assert out == "Không có lỗi trong 5 tệp.\n"


def test_errors_exit_1_with_a_count(project: Path) -> None:
    write(project, NEW, RECORD.replace("agency: ubnd-huyen-binh-son", "agency: ubnd-khong-co"))
    status, out, _ = sangkien("validate")
    assert status == 1
    assert out.splitlines() == [
        f"{NEW}:6:9: SK204 error: không có cơ quan `ubnd-khong-co` trong registry/agencies/",
        "1 lỗi, 0 cảnh báo trong 6 tệp đã kiểm tra.",
    ]


def test_every_problem_in_every_file_is_reported(project: Path) -> None:
    write(
        project,
        NEW,
        RECORD.replace("level: co-so", "level: tỉnh").replace(
            "fields: [cai-cach-hanh-chinh]", "fields: [dat-dai]"
        ),
    )
    write(project, "registry/initiatives/2024/QNG-2024-0003.yml", "id: QNG-2024-0003\ntitle: [\n")
    write(project, "registry/agencies/so-x.yml", "id: so-x\nname: Sở X\nkind: so\n")
    status, out, _ = sangkien("validate")
    assert status == 1
    # Sorted by file, then line: agencies, then each initiative file.
    assert re.findall(r"^(\S+?):\d+:\d+: (SK\d{3}) error:", out, re.M) == [
        ("registry/agencies/so-x.yml", "SK103"),
        (NEW, "SK205"),
        (NEW, "SK103"),
        ("registry/initiatives/2024/QNG-2024-0003.yml", "SK003"),
    ]
    assert out.strip().endswith("4 lỗi, 0 cảnh báo trong 8 tệp đã kiểm tra.")


def test_unknown_option_exits_2(project: Path) -> None:
    status, out, err = sangkien("validate", "--no-such-option")
    assert status == 2
    assert "lỗi / error" in err and out == ""


def test_bad_format_choice_exits_2(project: Path) -> None:
    status, _, err = sangkien("validate", "--format", "xml")
    assert status == 2
    assert "xml" in err


def test_missing_path_exits_2(project: Path) -> None:
    status, out, err = sangkien("validate", "registry/initiatives/2030/QNG-2030-0001.yml")
    assert status == 2
    assert "không tìm thấy / not found" in err
    assert "Traceback" not in err and out == ""


def test_a_path_outside_the_registry_exits_2_instead_of_passing_unchecked(
    project: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.yml"
    outside.write_text("id: 1\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    for path in (str(outside), "mkdocs.yml"):
        status, out, err = sangkien("validate", path)
        assert status == 2, path
        assert "không phải tệp của sổ đăng ký / not a registry file" in err
        assert out == ""


def test_missing_registry_folder_exits_2(project: Path, tmp_path: Path) -> None:
    status, out, err = sangkien("validate", "--registry", str(tmp_path / "nowhere"))
    assert status == 2
    assert "không có thư mục sổ đăng ký / no registry folder" in err
    assert out == ""


def test_default_registry_is_the_current_folder(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    status, _, err = sangkien("validate")
    assert status == 2
    assert "registry" in err


# --- --strict and PATHS ---------------------------------------------------------------------


def test_strict_turns_warnings_into_errors(project: Path) -> None:
    write(project, NEW, RECORD.replace("last_reviewed: 2026-06-01", "last_reviewed: 2023-01-01"))
    status, out, _ = sangkien("validate")
    assert status == 0
    assert f"{NEW}:25:18: SK304 warning:" in out
    status, out, _ = sangkien("validate", "--strict")
    assert status == 1
    assert f"{NEW}:25:18: SK304 error:" in out
    assert out.strip().endswith("1 lỗi, 0 cảnh báo trong 6 tệp đã kiểm tra.")


def test_paths_report_only_those_files_but_check_against_the_whole_registry(project: Path) -> None:
    other = "registry/initiatives/2024/QNG-2024-0003.yml"
    # The named file refers to a record in another file: that reference must resolve...
    write(project, NEW, RECORD + "related: [QNG-2024-0003]\n")
    # ... and the other file's own problems must not be reported.
    write(
        project,
        other,
        RECORD.replace("QNG-2024-0002", "QNG-2024-0003")
        .replace("Sổ tay điện tử", "Phiếu hẹn")
        .replace("agency: ubnd-huyen-binh-son", "agency: khong-co"),
    )
    status, out, _ = sangkien("validate", NEW)
    assert (status, out) == (0, "Không có lỗi trong 1 tệp.\n")
    status, out, _ = sangkien("validate", other)
    assert status == 1
    assert out.splitlines()[0].startswith(f"{other}:6:9: SK204 error:")
    # A duplicate id is found even when only the second file is named.
    write(project, other, RECORD)
    status, out, _ = sangkien("validate", other)
    assert status == 1
    assert "SK203" in out and f"đã được dùng ở {NEW}" in out


def test_path_may_be_a_folder(project: Path) -> None:
    write(project, NEW, RECORD.replace("fields: [cai-cach-hanh-chinh]", "fields: [khong-co]"))
    status, out, _ = sangkien("validate", "registry/initiatives")
    assert status == 1
    assert "SK205" in out and out.strip().endswith("trong 2 tệp đã kiểm tra.")
    status, out, _ = sangkien("validate", "registry/agencies")
    assert (status, out) == (0, "Không có lỗi trong 3 tệp.\n")


# --- output formats and languages ---------------------------------------------------------


def test_json_format_is_valid_json_with_documented_keys(project: Path) -> None:
    write(project, NEW, RECORD.replace("level: co-so", "level: tinh1"))
    status, out, _ = sangkien("validate", "--format", "json")
    assert status == 1
    payload = json.loads(out)
    assert set(payload) == {"version", "summary", "diagnostics"}
    assert payload["summary"] == {"files": 6, "errors": 1, "warnings": 0}
    [diag] = payload["diagnostics"]
    assert set(diag) == {"file", "line", "col", "code", "severity", "title", "message"}
    assert diag["file"] == NEW
    assert (diag["line"], diag["col"], diag["code"], diag["severity"]) == (19, 12, "SK103", "error")
    assert diag["title"] == "Giá trị không nằm trong danh sách cho phép"
    assert "có phải ý bạn là `tinh`?" in diag["message"]


def test_json_in_english(project: Path) -> None:
    write(project, NEW, RECORD.replace("level: co-so", "level: tinh1"))
    _, out, _ = sangkien("validate", "--format", "json", "--lang", "en")
    diag = json.loads(out)["diagnostics"][0]
    assert diag["title"] == "Value not allowed"
    assert diag["message"].endswith("did you mean `tinh`?")


GITHUB_LINE = re.compile(
    r"::(error|warning) file=(?P<file>[^,]+),line=(?P<line>\d+),col=(?P<col>\d+),title=(?P<code>SK\d{3})::(?P<msg>.+)"
)


def test_github_format_annotations(project: Path) -> None:
    write(
        project,
        NEW,
        RECORD.replace("level: co-so", "level: tỉnh").replace(
            "last_reviewed: 2026-06-01", "last_reviewed: 2023-01-01"
        ),
    )
    status, out, _ = sangkien("validate", "--format", "github")
    assert status == 1
    lines = out.splitlines()
    annotations = [GITHUB_LINE.fullmatch(ln) for ln in lines[:-1]]
    assert all(annotations), lines
    assert [(m.group(1), m["file"], m["line"], m["col"], m["code"]) for m in annotations] == [
        ("error", NEW, "19", "12", "SK103"),
        ("warning", NEW, "25", "18", "SK304"),
    ]
    assert lines[-1] == "1 lỗi, 1 cảnh báo trong 6 tệp đã kiểm tra."


def test_github_format_escapes_newlines_and_percent(project: Path) -> None:
    from generator.diagnostics import Diagnostic
    from generator.report import report_github

    out = io.StringIO()
    report_github(
        [Diagnostic("SK110", "a,b:c.yml", 3, 4, {"field": "x", "detail": "50%\nnext"})],
        out,
        lang="en",
        strict=False,
        files=1,
    )
    first = out.getvalue().splitlines()[0]
    assert first == "::error file=a%2Cb%3Ac.yml,line=3,col=4,title=SK110::`x`: 50%25%0Anext"


def test_english_messages(project: Path) -> None:
    write(project, NEW, RECORD.replace("level: co-so", "level: tỉnh"))
    status, out, _ = sangkien("validate", "--lang", "en")
    assert status == 1
    assert out.splitlines() == [
        f"{NEW}:19:12: SK103 error: `recognitions[0].level` does not accept this value "
        "(expected one of: co-so, bo-nganh, tinh, toan-quoc; got 'tỉnh') — did you mean `tinh`?",
        "1 error, 0 warnings in 6 files checked.",
    ]


@pytest.mark.parametrize("wrong", ["tỉnh", "tinh1", "Tinh", "tính"])
def test_enum_suggests_the_closest_value(project: Path, wrong: str) -> None:
    write(project, NEW, RECORD.replace("level: co-so", f"level: {wrong}"))
    _, out, _ = sangkien("validate")
    assert "cần một trong: co-so, bo-nganh, tinh, toan-quoc" in out
    assert "— có phải ý bạn là `tinh`?" in out


def test_no_suggestion_when_nothing_is_close(project: Path) -> None:
    write(project, NEW, RECORD.replace("level: co-so", "level: xyz"))
    _, out, _ = sangkien("validate", "--lang", "en")
    assert "SK103" in out
    assert "did you mean" not in out and "None" not in out


def test_missing_required_field_points_at_the_mapping_that_lacks_it(project: Path) -> None:
    text = RECORD.replace("    issuer: ubnd-huyen-binh-son\n", "").replace(
        "agency_name_at_time: UBND huyện Bình Sơn\n", ""
    )
    write(project, NEW, text)
    status, out, _ = sangkien("validate", "--lang", "en")
    assert status == 1
    assert out.splitlines()[:2] == [
        f"{NEW}:1:1: SK101 error: missing required field `agency_name_at_time` (Tên cơ quan tại thời điểm công nhận) in the record",
        f"{NEW}:18:5: SK101 error: missing required field `issuer` (Cơ quan ban hành) in `recognitions[0]`",
    ]


def test_unknown_field_suggests_the_right_name(project: Path) -> None:
    write(project, NEW, RECORD.replace("first_applied:", "first_aplied:"))
    _, out, _ = sangkien("validate", "--lang", "en")
    assert (
        f"{NEW}:10:1: SK104 error: field `first_aplied` is not in the schema of the record (a typo?) — did you mean `first_applied`?"
        in out
    )


def test_unreadable_and_broken_files_never_raise(project: Path) -> None:
    (project / NEW).parent.mkdir(parents=True, exist_ok=True)
    (project / NEW).write_bytes(b"\xff\xfe\x00\x01garbage")
    write(project, "registry/initiatives/2024/QNG-2024-0003.yml", "- just\n- a list\n")
    write(project, "registry/agencies/x.yml", "'just a string'\n")
    write(project, "registry/taxonomy/fields.yml", "{a: 1}\n")
    status, out, err = sangkien("validate")
    assert status == 1
    assert err == ""
    for code in ("SK002", "SK102"):
        assert code in out


# --- the bundled registry, version and help -------------------------------------------------


def test_bundled_registry_validates_without_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    status, out, _ = sangkien("validate")
    assert status == 0, out
    assert re.fullmatch(
        r"(Không có lỗi trong \d+ tệp\.|0 lỗi, \d+ cảnh báo trong \d+ tệp đã kiểm tra\.)",
        out.splitlines()[-1],
    )


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"sangkien {__version__}"


def test_python_dash_m_generator_help() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 0
    assert "sổ đăng ký sáng kiến" in proc.stdout and "the registry of initiatives" in proc.stdout
    assert "validate" in proc.stdout


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


@pytest.mark.parametrize("name", sorted(_subcommands()))
def test_every_subcommand_help_works_and_is_bilingual(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main([name, "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith(f"usage: sangkien {name}")
    # Every option speaks both languages: "Vietnamese / English".
    sub = _subcommands()[name]
    for action in sub._actions:
        if action.help in (None, argparse.SUPPRESS) or isinstance(action, argparse._HelpAction):
            continue
        assert " / " in action.help, (
            f"`sangkien {name}` option {action.option_strings or action.dest}: {action.help!r}"
        )
    assert "Trạng thái thoát / exit status" in text


def test_no_command_prints_help_and_exits_2() -> None:
    status, out, _ = sangkien()
    assert status == 2
    assert "validate" in out


# --- never a traceback: any value of any type in any field ---------------------------------

_WEIRD = [None, 1.5, True, "x", "2024-02-30", [None], [1, "a"], {"a": 1}]
_INITIATIVE_KEYS = list(
    json.loads((ROOT / "schema" / "initiative.schema.json").read_text(encoding="utf-8"))[
        "properties"
    ]
)


@pytest.mark.parametrize("key", _INITIATIVE_KEYS)
def test_any_type_in_any_initiative_field_is_reported_not_raised(project: Path, key: str) -> None:
    import yaml

    record = yaml.safe_load(RECORD)
    agency = {"id": "ubnd-xa-tinh-khe", "name": "UBND xã Tịnh Khê", "kind": "ubnd-xa"}
    for value in _WEIRD:
        record[key] = value
        write(project, NEW, yaml.safe_dump(record, allow_unicode=True))
        # The same value in the agency file's matching slot, when it has one.
        agency_key = {"agency": "parent", "related": "successors", "adoptions": "predecessors"}.get(
            key
        )
        if agency_key:
            write(
                project,
                "registry/agencies/ubnd-xa-tinh-khe.yml",
                yaml.safe_dump({**agency, agency_key: value}, allow_unicode=True),
            )
        status, out, err = sangkien("validate", "--format", "json")
        assert status in (0, 1) and err == "", (key, value, err)
        json.loads(out)


def test_worker_processes_give_exactly_the_serial_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above PARALLEL_MIN_FILES files validation runs in workers: same lines, same order."""
    import importlib.util

    from generator.validate.check import PARALLEL_MIN_FILES

    spec = importlib.util.spec_from_file_location("synth", ROOT / "benchmarks" / "synth.py")
    assert spec and spec.loader
    synth = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "synth", synth)  # dataclasses look their module up
    spec.loader.exec_module(synth)
    project = tmp_path / "project"
    synth.generate(project / "registry", PARALLEL_MIN_FILES + 20, 7)
    # A few broken files among them, so that errors travel back from the workers too.
    write(
        project,
        "registry/initiatives/2019/QNG-2019-9998.yml",
        RECORD.replace("QNG-2024-0002", "QNG-2019-9998").replace("level: co-so", "level: tỉnh"),
    )
    write(project, "registry/initiatives/2019/QNG-2019-9999.yml", "id: [\n")
    monkeypatch.chdir(project)
    monkeypatch.setenv("SANGKIEN_TODAY", "2026-11-26")
    serial = sangkien("validate", "--jobs", "1", "--format", "json")
    parallel = sangkien("validate", "--jobs", "2", "--format", "json")
    assert serial == parallel
    payload = json.loads(serial[1])
    assert serial[0] == 1
    assert {"SK103", "SK003"} <= {d["code"] for d in payload["diagnostics"]}
