"""`sangkien new`: the wizard and its non-interactive flags, end to end on a scratch registry."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.config import load_settings
from generator.contrib import record as record_mod
from generator.contrib.record import Draft, next_free_id, write_exclusive, write_new_record

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_LINE = "# yaml-language-server: $schema=../../../schema/initiative.schema.json"

NEW_ARGS = (
    "new",
    "--no-input",
    "--title",
    "Tổ tư vấn pháp luật lưu động tại các thôn vùng cao",
    "--agency",
    "ubnd-xa-binh-son",
    "--field",
    "tu-phap-ho-tich",
    "--field",
    "cai-cach-hanh-chinh",
    "--type",
    "tac-nghiep",
    "--author",
    "Trần Thị Mai, Công chức Tư pháp - Hộ tịch",
    "--author",
    "Lê Văn Tâm",
    "--year",
    "2025",
)


def test_no_input_writes_a_commented_record_that_validates(project: Path, sk) -> None:
    expected = next_free_id(load_settings(project), 2025)
    proc = sk(*NEW_ARGS, cwd=project)
    assert proc.returncode == 0, proc.stderr
    path = project / proc.stdout.strip()
    assert path == project / "registry" / "initiatives" / "2025" / f"{expected}.yml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == SCHEMA_LINE
    assert f"id: {expected}" in lines
    assert "title: Tổ tư vấn pháp luật lưu động tại các thôn vùng cao" in lines
    assert "fields: [tu-phap-ho-tich, cai-cach-hanh-chinh]" in lines
    assert "agency_name_at_time: UBND xã Bình Sơn" in lines
    assert "    position: Công chức Tư pháp - Hộ tịch" in lines
    # Guidance for what is still to write comes from the schema's titles and descriptions.
    assert "# TODO Thực trạng và hạn chế: Tình trạng trước khi có sáng kiến" in text
    assert "# TODO Nội dung giải pháp:" in text
    # The diagnostics of the new file are shown (the empty summary is a warning, not an error).
    assert "SK301" in proc.stderr
    assert "0 lỗi" in proc.stderr
    check = sk("validate", str(path.relative_to(project)), cwd=project)
    assert check.returncode == 0, check.stdout
    fmt = sk("fmt", "--check", str(path.relative_to(project)), cwd=project)
    assert fmt.returncode == 0, fmt.stdout


def test_ids_are_allocated_in_turn_and_never_reused(project: Path, sk) -> None:
    settings = load_settings(project)
    first = sk(*NEW_ARGS, cwd=project)
    second = sk(*NEW_ARGS, cwd=project)
    assert first.returncode == second.returncode == 0
    a, b = Path(first.stdout.strip()).stem, Path(second.stdout.strip()).stem
    assert int(b.rsplit("-", 1)[1]) == int(a.rsplit("-", 1)[1]) + 1
    # A gap left by a deleted record is not reused: the next id follows the highest one.
    (project / first.stdout.strip()).unlink()
    assert next_free_id(settings, 2025) == f"QNG-2025-{int(b.rsplit('-', 1)[1]) + 1:04d}"


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "QNG-2025-0001.yml"
    target.write_text("original\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_exclusive(target, "new text\n")
    assert target.read_text(encoding="utf-8") == "original\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["QNG-2025-0001.yml"]


def test_a_racing_writer_gets_the_following_id(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_settings(project)
    taken = next_free_id(settings, 2025)
    real_next = record_mod.next_free_id
    calls = []

    def stale_scan(s, year):  # the first scan misses a file another contributor just wrote
        calls.append(year)
        if len(calls) == 1:
            (project / "registry" / "initiatives" / "2025" / f"{taken}.yml").write_text(
                "other\n", encoding="utf-8"
            )
            return taken
        return real_next(s, year)

    monkeypatch.setattr(record_mod, "next_free_id", stale_scan)
    draft = Draft(
        2025,
        "Một tiêu đề đủ dài",
        "ubnd-xa-binh-son",
        "UBND xã Bình Sơn",
        ["chuyen-doi-so"],
        ["quan-ly"],
        [("Lê Văn Tâm", None)],
    )
    record_id, path = write_new_record(settings, draft)
    assert record_id != taken
    assert (project / "registry" / "initiatives" / "2025" / f"{taken}.yml").read_text(
        encoding="utf-8"
    ) == "other\n"
    assert path.read_text(encoding="utf-8").startswith(SCHEMA_LINE)


def test_interrupted_write_leaves_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch, files_in
) -> None:
    before = files_in(project)

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "link", interrupted)
    draft = Draft(
        2025,
        "Một tiêu đề đủ dài",
        "ubnd-xa-binh-son",
        "UBND xã Bình Sơn",
        ["chuyen-doi-so"],
        ["quan-ly"],
        [("Lê Văn Tâm", None)],
    )
    with pytest.raises(KeyboardInterrupt):
        write_new_record(load_settings(project), draft)
    assert files_in(project) == before


@pytest.mark.parametrize(
    ("flag", "value", "suggestion"),
    [
        ("--agency", "ubnd-xa-binh-sn", "ubnd-xa-binh-son"),
        ("--agency", "Bình Sơn xã", "ubnd-xa-binh-son"),
        ("--field", "chuyen-doi-so-hoa", "chuyen-doi-so"),
        ("--type", "tac-nghiep-x", "tac-nghiep"),
    ],
)
def test_unknown_ids_get_the_closest_suggestion(
    project: Path, sk, files_in, flag: str, value: str, suggestion: str
) -> None:
    before = files_in(project)
    args = list(NEW_ARGS)
    args[args.index(flag) + 1] = value
    proc = sk(*args, cwd=project)
    assert proc.returncode == 2
    assert f"`{value}`" in proc.stderr
    assert f"did you mean `{suggestion}`" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
    assert files_in(project) == before


def test_missing_flags_are_a_usage_error(project: Path, sk) -> None:
    proc = sk("new", "--no-input", "--title", "Chỉ có tên thôi", cwd=project)
    assert proc.returncode == 2
    assert "--agency" in proc.stderr and "--field" in proc.stderr and "--author" in proc.stderr


def test_a_future_year_is_refused(project: Path, sk, files_in) -> None:
    before = files_in(project)
    args = list(NEW_ARGS)
    args[args.index("--year") + 1] = "2999"
    proc = sk(*args, cwd=project)
    assert proc.returncode == 2
    assert "2999" in proc.stderr
    assert files_in(project) == before


# Answers in the order the wizard asks: year, title, English title, agency (searched without
# diacritics, then picked from the matches), name on the decision, types, fields, authors,
# first application, summary, problem, solution, confirmation.
WIZARD_ANSWERS = "\n".join(
    [
        "2024",
        "Sổ tay hỏi đáp pháp luật bằng mã QR cho người dân",
        "",
        "binh son",
        "xa binh",
        "",
        "2,3",
        "tu phap, chuyen doi",
        "Nguyễn Văn Bình",
        "Chuyên viên",
        "Hồ Thị Hạnh",
        "",
        "",
        "2024-02-01",
        "Sổ tay hỏi đáp pháp luật in mã QR, đặt tại nhà văn hoá các thôn.",
        "",
        "Người dân khó tiếp cận văn bản pháp luật.",
        "",
        "1. Biên soạn câu hỏi thường gặp.",
        "2. Gắn mã QR dẫn tới văn bản.",
        "",
        "c",
        "",
    ]
)


def test_interactive_wizard_from_stdin(project: Path, sk) -> None:
    proc = sk("new", cwd=project, stdin=WIZARD_ANSWERS)
    assert proc.returncode == 0, proc.stderr
    # Prompts and help texts come from the schema and the taxonomy.
    assert "== Tên sáng kiến (bắt buộc)" in proc.stderr
    assert "Tên sáng kiến như ghi trên quyết định công nhận." in proc.stderr
    assert "Giải pháp tác nghiệp  [tac-nghiep]" in proc.stderr
    assert "Tư pháp - hộ tịch  [tu-phap-ho-tich]" in proc.stderr
    assert "✓ UBND xã Bình Sơn (ubnd-xa-binh-son)" in proc.stderr
    path = project / proc.stdout.strip()
    assert path.parent.name == "2024"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == SCHEMA_LINE
    assert "solution_types: [quan-ly, tac-nghiep]" in text
    assert "fields: [tu-phap-ho-tich, chuyen-doi-so]" in text
    assert "agency: ubnd-xa-binh-son" in text
    assert "  - name: Hồ Thị Hạnh" in text
    assert "first_applied: 2024-02-01" in text
    assert (
        "solution: |\n  1. Biên soạn câu hỏi thường gặp.\n  2. Gắn mã QR dẫn tới văn bản.\n" in text
    )
    check = sk("validate", "--strict", str(path.relative_to(project)), cwd=project)
    assert check.returncode == 0, check.stdout
    fmt = sk("fmt", "--check", str(path.relative_to(project)), cwd=project)
    assert fmt.returncode == 0, fmt.stdout


def test_wizard_reasks_until_the_answer_fits_the_schema(project: Path, sk) -> None:
    answers = WIZARD_ANSWERS.split("\n")
    answers[1:1] = ["Ngắn"]  # shorter than the schema's minLength for titles
    # 30/02 is no date: asked again (dd/mm/yyyy itself is accepted, see below).
    answers[answers.index("2024-02-01") : answers.index("2024-02-01")] = ["30/02/2024"]
    proc = sk("new", cwd=project, stdin="\n".join(answers))
    assert proc.returncode == 0, proc.stderr
    assert "cần ít nhất 5 ký tự" in proc.stderr
    assert "ngày dạng dd/mm/yyyy hoặc YYYY-MM-DD" in proc.stderr


def test_wizard_and_flags_accept_dd_mm_yyyy_and_write_iso(project: Path, sk) -> None:
    """A person types 01/02/2024 (or 1/2/2024); the file keeps 2024-02-01."""
    answers = WIZARD_ANSWERS.replace("2024-02-01", "1/2/2024")
    proc = sk("new", cwd=project, stdin=answers)
    assert proc.returncode == 0, proc.stderr
    written = project / proc.stdout.strip().splitlines()[-1]
    assert "first_applied: 2024-02-01" in written.read_text(encoding="utf-8")
    assert "Ví dụ: 01/03/2024" in proc.stderr, "the prompt shows the day-first form"
    proc = sk(*NEW_ARGS, "--first-applied", "15/03/2024", cwd=project)
    assert proc.returncode == 0, proc.stderr
    text = (project / proc.stdout.strip()).read_text(encoding="utf-8")
    assert "first_applied: 2024-03-15" in text
    bad = sk(*NEW_ARGS, "--first-applied", "31/02/2024", cwd=project)
    assert bad.returncode == 1
    assert "first_applied" in bad.stderr and "nothing written" in bad.stderr


def test_declining_or_running_out_of_input_writes_nothing(project: Path, sk, files_in) -> None:
    before = files_in(project)
    declined = sk("new", cwd=project, stdin=WIZARD_ANSWERS.replace("\nc\n", "\nk\n"))
    assert declined.returncode == 1
    assert "không ghi tệp nào" in declined.stderr
    cut = sk("new", cwd=project, stdin="2024\nMột sáng kiến bị bỏ dở\n")
    assert cut.returncode == 130
    assert "Traceback" not in cut.stderr
    assert files_in(project) == before


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_in_the_middle_leaves_nothing(
    project: Path, files_in: Callable[[Path], set[Path]]
) -> None:
    before = files_in(project)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "new"],
        cwd=project,
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
    )
    try:
        assert proc.stdin is not None and proc.stderr is not None
        proc.stdin.write("2024\nMột sáng kiến bị huỷ giữa chừng\n\n".encode())
        proc.stdin.flush()
        seen = b""
        deadline = time.monotonic() + 60
        while "Cơ quan chủ quản".encode() not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stderr], [], [], 1)
            if ready:
                seen += os.read(proc.stderr.fileno(), 65536)
        assert "Cơ quan chủ quản".encode() in seen
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert b"Traceback" not in err
    assert out == b""
    assert files_in(project) == before
