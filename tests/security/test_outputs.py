"""Item 4 of issue 11, outputs are safe, and the small frictions of item 13.

What a user sees: exit codes, the message naming the file, and the files on disk (the
registry intact, nothing replaced that is not a regular file, the usual permissions).
"""

from __future__ import annotations

import hashlib
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from generator import fsio

ROOT = Path(__file__).resolve().parents[2]


def tree_hash(folder: Path) -> str:
    """A hash of every path, mode and byte under `folder`."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        h.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture
def project(make_registry, tmp_path: Path) -> Path:
    return make_registry(tmp_path)


def a_record(project: Path) -> Path:
    return sorted((project / "registry" / "initiatives").rglob("*.yml"))[0]


# ---- build: the site folder ------------------------------------------------------------


@pytest.mark.parametrize(
    "site", ["registry", ".", "docs", "docs/site", "schema", "registry/initiatives", ".."]
)
def test_build_refuses_a_site_folder_over_the_sources(run_cli, project: Path, site: str) -> None:
    before = tree_hash(project)
    code, _out, err = run_cli("build", "-d", site, "--no-documents", "-q", cwd=project)
    assert code == 1, err
    assert "Traceback" not in err
    assert tree_hash(project) == before
    assert (project / "registry" / "initiatives").is_dir()


def test_build_refuses_the_home_folder(
    run_cli, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".bashrc").write_text("# mine\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    # "~" as typed in quotes (no shell expands it), and as a shell would expand it.
    code, _out, err = run_cli("build", "-d", "~", "--no-documents", "-q", cwd=project)
    assert code == 1 and "home folder" in err, err
    code2, _out, err2 = run_cli("build", "-d", str(home), "--no-documents", "-q", cwd=project)
    assert code2 == 1 and "home folder" in err2, err2
    assert (home / ".bashrc").read_text(encoding="utf-8") == "# mine\n"
    # A home folder that holds the project is refused as well (it contains the project).
    monkeypatch.setenv("HOME", str(tmp_path))
    code3, _out, err3 = run_cli("build", "-d", str(tmp_path), "--no-documents", "-q", cwd=project)
    assert code3 == 1 and "Traceback" not in err3, err3
    assert (project / "registry").is_dir()


def test_build_never_replaces_a_folder_it_did_not_make(
    run_cli, project: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "my-files"
    mine.mkdir()
    (mine / "thesis.docx").write_bytes(b"precious")
    code, _out, err = run_cli("build", "-d", str(mine), "--no-documents", "-q", cwd=project)
    assert code == 1
    assert str(mine) in err and ".sangkien-site" in err
    assert (mine / "thesis.docx").read_bytes() == b"precious"
    # A link to a folder is not followed nor replaced.
    link = tmp_path / "link"
    link.symlink_to(mine)
    code, _out, err = run_cli("build", "-d", str(link), "--no-documents", "-q", cwd=project)
    assert code == 1 and "symbolic link" in err
    assert link.is_symlink() and (mine / "thesis.docx").is_file()


# ---- report and export: -o ---------------------------------------------------------------


def test_report_never_overwrites_a_record(run_cli, project: Path) -> None:
    record = a_record(project)
    before = record.read_bytes()
    rel = record.relative_to(project).as_posix()
    code, _out, err = run_cli("report", "--year", "2024", "-o", rel, cwd=project)
    assert code == 1
    assert rel in err and "dùng --force để ghi đè / use --force to overwrite" in err
    # --force does not open the registry either.
    code, _out, err = run_cli("report", "--year", "2024", "--force", "-o", rel, cwd=project)
    assert code == 1 and "registry/" in err, err
    new = record.with_name("QNG-2024-9999.yml")
    code, _out, err = run_cli(
        "report", "--year", "2024", "-o", new.relative_to(project).as_posix(), cwd=project
    )
    assert code == 1 and not new.exists()
    assert record.read_bytes() == before


def test_report_output_needs_force_to_overwrite(run_cli, project: Path, tmp_path: Path) -> None:
    out = tmp_path / "bc.md"
    out.write_text("old\n", encoding="utf-8")
    code, _out, err = run_cli("report", "--year", "2024", "-o", str(out), cwd=project)
    assert code == 1 and str(out) in err and "--force" in err
    assert out.read_text(encoding="utf-8") == "old\n"
    code, _out, err = run_cli("report", "--year", "2024", "--force", "-o", str(out), cwd=project)
    assert code == 0, err
    assert out.read_text(encoding="utf-8") != "old\n"


def _special_files(tmp_path: Path) -> dict[str, Path]:
    target = tmp_path / "victim.txt"
    target.write_text("untouched\n", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    fifo = tmp_path / "fifo.md"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.md"
    folder.mkdir()
    return {"symbolic link": link, "not a regular file": fifo, "is a directory": folder}


def test_force_never_replaces_a_link_a_fifo_or_a_folder(
    run_cli, project: Path, tmp_path: Path
) -> None:
    for reason, path in _special_files(tmp_path).items():
        kind = os.lstat(path).st_mode
        for argv in (
            ("report", "--year", "2024", "--force", "-o", str(path)),
            (
                "export",
                "guide",
                a_record(project).stem,
                "--format",
                "md",
                "--force",
                "-o",
                str(path),
            ),
        ):
            code, _out, err = run_cli(*argv, cwd=project)
            assert code == 1, (argv, err)
            assert reason in err, err
            assert os.lstat(path).st_mode == kind
    assert (tmp_path / "victim.txt").read_text(encoding="utf-8") == "untouched\n"


def test_export_refuses_an_existing_file_and_the_sources(run_cli, project: Path) -> None:
    record = a_record(project)
    before = record.read_bytes()
    code, _out, err = run_cli(
        "export", "guide", record.stem, "--format", "md", "-o", str(record), cwd=project
    )
    assert code == 1 and "use --force to overwrite" in err
    code, _out, err = run_cli(
        "export", "guide", record.stem, "--format", "md", "--force", "-o", str(record), cwd=project
    )
    assert code == 1 and "registry/" in err
    out = project / "docs" / "guide.md"
    code, _out, err = run_cli(
        "export", "guide", record.stem, "--format", "md", "-o", str(out), cwd=project
    )
    assert code == 1 and "docs/" in err and not out.exists()
    assert record.read_bytes() == before


def test_a_device_is_never_replaced() -> None:
    # Checked without writing: a broken check must not cost the test machine its /dev/full.
    with pytest.raises(fsio.WriteRefused, match="not a regular file"):
        fsio.check_target("/dev/full", force=True)


def test_no_overwrite_holds_against_a_file_made_meanwhile(tmp_path: Path) -> None:
    out = tmp_path / "x.txt"
    with pytest.raises(fsio.WriteRefused, match="--force"), fsio.atomic_path(out) as tmp:
        tmp.write_text("mine", encoding="utf-8")
        out.write_text("theirs", encoding="utf-8")
    assert out.read_text(encoding="utf-8") == "theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]


# ---- permissions ---------------------------------------------------------------------------


def _sangkien_under_umask(mask: int, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    code = (
        f"import os, sys; os.umask({mask:#o}); from generator.cli import main; "
        f"sys.exit(main({list(args)!r}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_outputs_get_the_usual_permissions(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "bc.csv"
    proc = _sangkien_under_umask(
        0o022, "report", "--year", "2024", "--format", "csv", "-o", str(out), cwd=project
    )
    assert proc.returncode == 0, proc.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    private = tmp_path / "private.csv"
    proc = _sangkien_under_umask(
        0o077, "report", "--year", "2024", "--format", "csv", "-o", str(private), cwd=project
    )
    assert proc.returncode == 0, proc.stderr
    assert stat.S_IMODE(private.stat().st_mode) == 0o600


def test_the_built_site_is_readable_by_a_web_server(project: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    proc = _sangkien_under_umask(
        0o022, "build", "-q", "--no-documents", "-d", str(site), cwd=project
    )
    assert proc.returncode == 0, proc.stderr
    modes = {stat.S_IMODE(p.stat().st_mode) for p in site.rglob("*") if p.is_file()}
    folders = {stat.S_IMODE(p.stat().st_mode) for p in [site, *site.rglob("*")] if p.is_dir()}
    assert modes == {0o644} and folders == {0o755}, (modes, folders)
    assert (site / ".sangkien-site").is_file()


# ---- small frictions -----------------------------------------------------------------------


def test_fmt_diff_writes_nothing(run_cli, project: Path) -> None:
    record = a_record(project)
    text = record.read_text(encoding="utf-8")
    untidy = text.replace("\ntitle:", "\ntitle:   ", 1)
    assert untidy != text
    record.write_text(untidy, encoding="utf-8")
    code, out, _err = run_cli("fmt", "--diff", str(record), cwd=project)
    assert code == 0
    assert out.startswith("---") and "+title:" in out
    assert record.read_text(encoding="utf-8") == untidy


def test_new_never_writes_an_invalid_record(run_cli, project: Path) -> None:
    before = tree_hash(project / "registry")
    data = (project / "registry" / "agencies").iterdir()
    agency = next(data).stem
    fields = (project / "registry" / "taxonomy" / "fields.yml").read_text(encoding="utf-8")
    field = next(
        line.split(":", 1)[1].strip()
        for line in fields.splitlines()
        if line.strip().startswith("- id:") or line.strip().startswith("id:")
    )
    code, _out, err = run_cli(
        "new", "--no-input", "--title", "Một sáng kiến thử với ngày sai",
        "--agency", agency, "--field", field, "--type", "ky-thuat",
        "--author", "Nguyễn Văn A", "--first-applied", "31/02/2025",
        cwd=project,
    )  # fmt: skip
    assert code == 1, err
    assert "first_applied" in err and "nothing written" in err
    assert tree_hash(project / "registry") == before


def test_commands_find_the_project_from_a_subfolder(run_cli, project: Path) -> None:
    sub = project / "registry" / "initiatives"
    code, out, err = run_cli("validate", cwd=sub)
    assert code == 0, out + err
    code, out, err = run_cli("report", "--year", "2024", cwd=sub)
    assert code == 0, err
    assert out.strip()


def test_serve_on_a_busy_port_fails_before_building(run_cli) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, _out, err = run_cli("serve", "-a", f"127.0.0.1:{port}", cwd=ROOT)
    assert code == 2
    assert f"127.0.0.1:{port}" in err and "port is in use" in err
    assert "Documentation built" not in err and "Traceback" not in err
