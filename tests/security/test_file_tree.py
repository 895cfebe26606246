"""The registry's file tree is untrusted: links are never followed, nothing is skipped silently.

Each test lays hostile files over a copy of the tiny golden base registry, runs
`sangkien validate` as a contributor or CI would, and checks the exact located lines, the exit
status, and that the content of a secret file outside the registry never appears in any output
format (text, JSON, GitHub annotations).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.config import load_settings
from generator.load.yamlstrict import read_file
from generator.validate.check import check_registry

BASE = Path(__file__).resolve().parents[1] / "cases" / "base"
RECORD = BASE / "registry" / "initiatives" / "2024" / "QNG-2024-0001.yml"
CANARY = "CANARY-7f3a-MAT-KHAU"
SECRET_TEXT = f"root:x:0:0:{CANARY}:/root:/bin/bash\nadmin: {CANARY}\n"
FORMATS = (["--format", "text"], ["--format", "json"], ["--format", "github"])

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need POSIX")

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the golden base registry, and a secret file next to (outside) the project."""
    proj = tmp_path / "project"
    shutil.copytree(BASE, proj)
    (tmp_path / "secret.txt").write_text(SECRET_TEXT, encoding="utf-8")
    monkeypatch.setenv("SANGKIEN_TODAY", "2026-11-26")
    return proj


def _validate(run_cli: Run, proj: Path, *args: str) -> tuple[int, str]:
    code, out, err = run_cli("validate", "--registry", "registry", *args, cwd=proj)
    assert not err.strip() or "Traceback" not in err, err
    return code, out + err


def _all_formats(run_cli: Run, proj: Path, *args: str) -> dict[str, tuple[int, str]]:
    return {fmt[1]: _validate(run_cli, proj, *fmt, *args) for fmt in FORMATS}


def _assert_secret_never_shown(outputs: dict[str, tuple[int, str]]) -> None:
    for fmt, (code, out) in outputs.items():
        assert code == 1, (fmt, out)
        assert CANARY not in out, fmt
        assert "root:" not in out, fmt
        assert "/bin/bash" not in out, fmt


def _lines(out: str, code: str) -> list[str]:
    return [ln for ln in out.splitlines() if f" {code} " in ln or f"title={code}::" in ln]


def test_a_record_linked_to_a_secret_file_is_refused_and_never_read(
    project: Path, run_cli: Run
) -> None:
    link = project / "registry" / "initiatives" / "2024" / "QNG-2024-0002.yml"
    link.symlink_to(project.parent / "secret.txt")
    (project / "registry" / "agencies" / "so-x.yml").symlink_to("../../../secret.txt")
    outputs = _all_formats(run_cli, project)
    _assert_secret_never_shown(outputs)
    assert _lines(outputs["text"][1], "SK012") == [
        "registry/agencies/so-x.yml:1:1: SK012 error: `so-x.yml` là một liên kết tượng trưng "
        "(symlink); sổ đăng ký không đọc liên kết (nội dung của nó không được đọc hay in ra)",
        "registry/initiatives/2024/QNG-2024-0002.yml:1:1: SK012 error: `QNG-2024-0002.yml` là một "
        "liên kết tượng trưng (symlink); sổ đăng ký không đọc liên kết (nội dung của nó không "
        "được đọc hay in ra)",
    ]
    assert _lines(outputs["github"][1], "SK012") == [
        "::error file=registry/agencies/so-x.yml,line=1,col=1,title=SK012::`so-x.yml` là một "
        "liên kết tượng trưng (symlink); sổ đăng ký không đọc liên kết (nội dung của nó không "
        "được đọc hay in ra)",
        "::error file=registry/initiatives/2024/QNG-2024-0002.yml,line=1,col=1,title=SK012::"
        "`QNG-2024-0002.yml` là một liên kết tượng trưng (symlink); sổ đăng ký không đọc liên "
        "kết (nội dung của nó không được đọc hay in ra)",
    ]
    # Only the two links are reported: nothing parsed out of the secret (no SK104 `root`).
    assert outputs["text"][1].splitlines()[-1] == "2 lỗi, 0 cảnh báo trong 5 tệp đã kiểm tra."


@pytest.mark.parametrize("target", ["/etc/passwd", "/etc/shadow"])
def test_links_to_system_files_are_never_read(project: Path, run_cli: Run, target: str) -> None:
    link = project / "registry" / "initiatives" / "2024" / "QNG-2024-0002.yml"
    link.symlink_to(target)
    outputs = _all_formats(run_cli, project)
    _assert_secret_never_shown(outputs)
    code, out = outputs["text"]
    assert _lines(out, "SK012") == [
        "registry/initiatives/2024/QNG-2024-0002.yml:1:1: SK012 error: `QNG-2024-0002.yml` là một "
        "liên kết tượng trưng (symlink); sổ đăng ký không đọc liên kết (nội dung của nó không "
        "được đọc hay in ra)"
    ]
    # Naming the link on the command line reports it too, without following it.
    code, out = _validate(run_cli, project, "--lang", "en", str(link))
    assert code == 1
    assert "root:" not in out
    assert out.splitlines() == [
        "registry/initiatives/2024/QNG-2024-0002.yml:1:1: SK012 error: `QNG-2024-0002.yml` is a "
        "symbolic link (symlink); the registry does not follow links (its content is neither "
        "read nor shown)",
        "1 error, 0 warnings in 1 file checked.",
    ]


def test_a_dangling_link_is_reported(project: Path, run_cli: Run) -> None:
    (project / "registry" / "initiatives" / "2024" / "QNG-2024-0003.yml").symlink_to(
        "QNG-2024-0009.yml"
    )
    code, out = _validate(run_cli, project, "--lang", "en")
    assert code == 1
    assert out.splitlines() == [
        "registry/initiatives/2024/QNG-2024-0003.yml:1:1: SK012 error: `QNG-2024-0003.yml` is a "
        "symbolic link (symlink) to something that does not exist; the registry does not follow "
        "links (its content is neither read nor shown)",
        "1 error, 0 warnings in 5 files checked.",
    ]


def test_a_linked_folder_is_not_entered(project: Path, run_cli: Run) -> None:
    """A year folder that is a link to a folder of records outside the project."""
    outside = project.parent / "elsewhere"
    outside.mkdir()
    (outside / "QNG-2023-0001.yml").write_text(SECRET_TEXT, encoding="utf-8")
    (project / "registry" / "initiatives" / "2023").symlink_to(outside, target_is_directory=True)
    outputs = _all_formats(run_cli, project, "--lang", "en")
    _assert_secret_never_shown(outputs)
    assert outputs["text"][1].splitlines() == [
        "registry/initiatives/2023:1:1: SK012 error: `2023` is a symbolic link (symlink); the "
        "registry does not follow links (its content is neither read nor shown)",
        "1 error, 0 warnings in 5 files checked.",
    ]


def test_a_linked_fields_file_is_refused_not_called_missing(project: Path, run_cli: Run) -> None:
    fields = project / "registry" / "taxonomy" / "fields.yml"
    fields.unlink()
    fields.symlink_to(project.parent / "secret.txt")
    outputs = _all_formats(run_cli, project, "--lang", "en")
    _assert_secret_never_shown(outputs)
    out = outputs["text"][1]
    assert "registry/taxonomy/fields.yml:1:1: SK012 error:" in out
    assert "SK001" not in out


def test_the_registry_folder_itself_as_a_link_is_refused(
    tmp_path: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "real"
    shutil.copytree(BASE, real)
    (real / "registry" / "initiatives" / "2024" / "QNG-2024-0002.yml").write_text(
        SECRET_TEXT, encoding="utf-8"
    )
    proj = tmp_path / "project"
    proj.mkdir()
    (proj / "registry").symlink_to(real / "registry", target_is_directory=True)
    monkeypatch.setenv("SANGKIEN_TODAY", "2026-11-26")
    code, out, err = run_cli("validate", "--lang", "en", cwd=proj)
    assert code == 1
    assert CANARY not in out + err
    assert out.splitlines()[0] == (
        "registry:1:1: SK012 error: the registry folder `registry` is a symbolic link; the "
        "registry does not follow links (its content is neither read nor shown)"
    )


def test_a_folder_named_like_a_record_is_reported(project: Path, run_cli: Run) -> None:
    folder = project / "registry" / "initiatives" / "2024" / "QNG-2024-0002.yml"
    folder.mkdir()
    (folder / "x.yml").write_text("id: x\n", encoding="utf-8")
    code, out = _validate(run_cli, project, "--lang", "en")
    assert code == 1
    # One problem, one message: the files inside the folder are not reported again.
    assert out.splitlines() == [
        "registry/initiatives/2024/QNG-2024-0002.yml:1:1: SK013 error: `QNG-2024-0002.yml` is "
        "named like a YAML file but is a folder, so it is not read",
        "1 error, 0 warnings in 5 files checked.",
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_like_a_record_does_not_block(project: Path, run_cli: Run) -> None:
    os.mkfifo(project / "registry" / "agencies" / "so-fifo.yml")
    code, out = _validate(run_cli, project, "--lang", "en")
    assert code == 1
    assert out.splitlines()[0] == (
        "registry/agencies/so-fifo.yml:1:1: SK013 error: `so-fifo.yml` is named like a YAML file "
        "but is a special file (FIFO, socket, device), so it is not read"
    )


def test_yaml_and_uppercase_endings_are_reported_with_the_new_name(
    project: Path, run_cli: Run
) -> None:
    year = project / "registry" / "initiatives" / "2024"
    shutil.copyfile(RECORD, year / "QNG-2024-0002.yaml")
    shutil.copyfile(RECORD, year / "QNG-2024-0003.YML")
    shutil.copyfile(
        project / "registry" / "agencies" / "ubnd-xa-binh-son.yml",
        project / "registry" / "agencies" / "so-x.Yaml",
    )
    outputs = _all_formats(run_cli, project, "--lang", "en")
    assert outputs["text"][1].splitlines() == [
        "registry/agencies/so-x.Yaml:1:1: SK014 error: file `so-x.Yaml` is not read: the "
        "registry reads only files ending in `.yml` (lowercase) — rename to `so-x.yml`",
        "registry/initiatives/2024/QNG-2024-0002.yaml:1:1: SK014 error: file `QNG-2024-0002.yaml` "
        "is not read: the registry reads only files ending in `.yml` (lowercase) — rename to "
        "`QNG-2024-0002.yml`",
        "registry/initiatives/2024/QNG-2024-0003.YML:1:1: SK014 error: file `QNG-2024-0003.YML` "
        "is not read: the registry reads only files ending in `.yml` (lowercase) — rename to "
        "`QNG-2024-0003.yml`",
        "3 errors, 0 warnings in 5 files checked.",
    ]
    assert outputs["github"][1].splitlines()[0] == (
        "::error file=registry/agencies/so-x.Yaml,line=1,col=1,title=SK014::file `so-x.Yaml` is "
        "not read: the registry reads only files ending in `.yml` (lowercase) — rename to "
        "`so-x.yml`"
    )


def test_files_outside_their_folder_are_reported(project: Path, run_cli: Run) -> None:
    reg = project / "registry"
    shutil.copyfile(RECORD, reg / "initiatives" / "QNG-2024-0002.yml")
    shutil.copyfile(RECORD, reg / "QNG-2024-0003.yml")
    (reg / "agencies" / "cu").mkdir()
    shutil.copyfile(reg / "agencies" / "ubnd-xa-binh-son.yml", reg / "agencies" / "cu" / "a.yml")
    (reg / "taxonomy" / "linh-vuc-cu.yml").write_text("- id: x\n", encoding="utf-8")
    # Attachments are documents: a .yml there is not a misplaced record. Hidden files
    # (editor swap and lock files) are not registry content.
    (reg / "attachments" / "QNG-2024-0001").mkdir(parents=True)
    (reg / "attachments" / "QNG-2024-0001" / "cau-hinh.yml").write_text("a: 1\n", "utf-8")
    (reg / "initiatives" / "2024" / ".QNG-2024-0001.yml.swp").write_text("x", "utf-8")
    code, out = _validate(run_cli, project, "--lang", "en")
    assert code == 1
    assert out.splitlines() == [
        "registry/QNG-2024-0003.yml:1:1: SK015 error: this file is not read because it is "
        "outside its folder; move it to `registry/initiatives/2024/QNG-2024-0003.yml`",
        "registry/agencies/cu/a.yml:1:1: SK015 error: this file is not read because it is "
        "outside its folder; initiative records go in `registry/initiatives/<year>/`, agencies "
        "in `registry/agencies/`",
        "registry/initiatives/QNG-2024-0002.yml:1:1: SK015 error: this file is not read because "
        "it is outside its folder; move it to `registry/initiatives/2024/QNG-2024-0002.yml`",
        "registry/taxonomy/linh-vuc-cu.yml:1:1: SK015 error: this file is not read because it is "
        "outside its folder; initiative records go in `registry/initiatives/<year>/`, agencies "
        "in `registry/agencies/`",
        "4 errors, 0 warnings in 5 files checked.",
    ]


def test_the_serve_rebuild_reports_links_too(project: Path) -> None:
    """The incremental check (`sangkien serve`) walks the same tree with the same rules."""
    link = project / "registry" / "initiatives" / "2024" / "QNG-2024-0002.yml"
    link.symlink_to(project.parent / "secret.txt")
    settings = load_settings(project)
    for _ in range(2):  # the second run answers from the cache
        result = check_registry(settings, incremental=True)
        found = [(d.code, d.file) for d in result.diagnostics if d.severity == "error"]
        assert found == [("SK012", "registry/initiatives/2024/QNG-2024-0002.yml")]
        assert sorted(result.registry.initiatives) == ["QNG-2024-0001"]


def test_the_loader_refuses_a_link_swapped_in_after_the_walk(tmp_path: Path) -> None:
    """`read_file` opens with O_NOFOLLOW: a link made between listing and reading is refused."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET_TEXT, encoding="utf-8")
    link = tmp_path / "QNG-2024-0002.yml"
    link.symlink_to(secret)
    doc = read_file(link, "registry/initiatives/2024/QNG-2024-0002.yml")
    assert [(d.code, d.line, d.col) for d in doc.diagnostics] == [("SK012", 1, 1)]
    assert doc.data is None and doc.text == ""
    assert all(CANARY not in d.message("en") for d in doc.diagnostics)


def test_fmt_neither_reads_nor_rewrites_a_link(project: Path, run_cli: Run) -> None:
    secret = project.parent / "secret.txt"
    link = project / "registry" / "initiatives" / "2024" / "QNG-2024-0002.yml"
    link.symlink_to(secret)
    for args in ([str(link)], [str(link.parent)], []):
        code, out, err = run_cli(
            "fmt", "--registry", "registry", "--lang", "en", *args, cwd=project
        )
        assert code == 1, out + err
        assert CANARY not in out + err and "root:" not in out + err
        assert (
            "registry/initiatives/2024/QNG-2024-0002.yml:1:1: SK012 error: `QNG-2024-0002.yml` "
            "is a symbolic link (symlink)"
        ) in out
        assert link.is_symlink()
        assert secret.read_text(encoding="utf-8") == SECRET_TEXT
