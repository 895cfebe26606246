"""Golden cases for `sangkien validate`: one folder per case under tests/cases/invalid/.

A case folder holds the *input* - files laid over a copy of the tiny valid registry in
tests/cases/base/ (usually one initiative, agency or fields file under `registry/`, sometimes a
`mkdocs.yml` with settings) - and the exact expected output:

    expected.vi.txt      --format text (Vietnamese, the default)
    expected.en.txt      --format text --lang en
    expected.json        --format json
    expected.github.txt  --format github

Optional control files: `delete.txt` (paths of base files to remove, one per line),
`args.txt` (extra command-line arguments, one per line, e.g. `--strict` or a PATH),
`no-base` (start from an empty project instead of the base registry), `symlinks.txt` (symbolic
links to create, one `LINK -> TARGET` a line; git keeps links, but copying follows them).

Adding a case is adding a folder. To (re)write the expected files after an intended change of
wording, run `SANGKIEN_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_cases.py` and
review the diff before committing.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.diagnostics.codes import CODES

CASES_DIR = Path(__file__).parent / "cases"
BASE = CASES_DIR / "base"
INVALID = CASES_DIR / "invalid"
TODAY = "2026-11-26"
UPDATE = os.environ.get("SANGKIEN_UPDATE_GOLDEN") == "1"

# (expected file name, extra arguments for that run)
OUTPUTS = (
    ("expected.vi.txt", ["--format", "text"]),
    ("expected.en.txt", ["--format", "text", "--lang", "en"]),
    ("expected.json", ["--format", "json"]),
    ("expected.github.txt", ["--format", "github"]),
)
CONTROL_FILES = {"delete.txt", "args.txt", "no-base", "symlinks.txt"} | {
    name for name, _ in OUTPUTS
}

CASE_NAMES = sorted(p.name for p in INVALID.iterdir() if p.is_dir())


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        return []
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def make_scratch(case: Path, dest: Path) -> Path:
    """Copy the base registry (unless `no-base`), lay the case's files over it, apply deletes."""
    dest.mkdir(parents=True, exist_ok=True)
    if not (case / "no-base").exists():
        shutil.copytree(BASE, dest, dirs_exist_ok=True)
    for src in sorted(case.rglob("*")):
        rel = src.relative_to(case)
        if src.is_dir() or rel.as_posix() in CONTROL_FILES:
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
    for rel in _lines(case / "delete.txt"):
        target = dest / rel
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
    for line in _lines(case / "symlinks.txt"):
        link, _arrow, target = line.partition(" -> ")
        (dest / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, dest / link)
    (dest / "registry").mkdir(exist_ok=True)
    return dest


def run_validate(
    scratch: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str]:
    """`sangkien validate` in-process from inside the scratch project; (exit status, stdout)."""
    monkeypatch.chdir(scratch)
    monkeypatch.setenv("SANGKIEN_TODAY", TODAY)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["validate", "--registry", "registry", *args])
    return status, out.getvalue()


@pytest.mark.parametrize("name", CASE_NAMES)
def test_case(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = INVALID / name
    scratch = make_scratch(case, tmp_path / "project")
    extra = _lines(case / "args.txt")
    mismatches = []
    statuses = set()
    for filename, fmt_args in OUTPUTS:
        status, got = run_validate(scratch, [*fmt_args, *extra], monkeypatch)
        statuses.add(status)
        expected_file = case / filename
        if UPDATE:
            expected_file.write_text(got, encoding="utf-8")
            continue
        assert expected_file.is_file(), (
            f"{name}: missing {filename} (run with SANGKIEN_UPDATE_GOLDEN=1)"
        )
        expected = expected_file.read_text(encoding="utf-8")
        if got != expected:
            mismatches.append(f"--- {filename} expected\n{expected}+++ got\n{got}")
    assert not mismatches, "\n".join(mismatches)
    # The exit status follows the errors in the report; one status for every format.
    assert len(statuses) == 1
    summary = json.loads((case / "expected.json").read_text(encoding="utf-8"))["summary"]
    assert statuses == {1 if summary["errors"] else 0}


# Codes that another command than `validate` reports, and the test file that shows each of
# them as a user sees it (`CODE error:` or `CODE warning:` in an asserted diagnostic line).
OTHER_COMMANDS = {
    "SK41": Path(__file__).parent / "security" / "test_documents.py",
    "SK44": Path(__file__).parent / "security" / "test_from_issue.py",
}


def test_every_code_has_a_case() -> None:
    """The union of the codes the golden cases produce is the whole table of codes."""
    seen: set[str] = set()
    for name in CASE_NAMES:
        payload = json.loads((INVALID / name / "expected.json").read_text(encoding="utf-8"))
        seen |= {d["code"] for d in payload["diagnostics"]}
    for prefix, test_file in OTHER_COMMANDS.items():
        text = test_file.read_text(encoding="utf-8")
        seen |= {
            c
            for c in CODES
            if c.startswith(prefix) and (f"{c} error" in text or f"{c} warning" in text)
        }
    missing = sorted(set(CODES) - seen)
    assert not missing, f"no golden case produces {missing}"
    assert seen <= set(CODES)


def test_every_case_is_named_after_what_it_shows() -> None:
    """A case called `sk204-...` must really produce SK204 (names are how people find cases)."""
    for name in CASE_NAMES:
        code = name.split("-", 1)[0].upper()
        if code not in CODES:
            continue
        payload = json.loads((INVALID / name / "expected.json").read_text(encoding="utf-8"))
        assert code in {d["code"] for d in payload["diagnostics"]}, name


def test_base_registry_is_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shared base has no problem at all, so every line in a case comes from the case."""
    scratch = tmp_path / "project"
    shutil.copytree(BASE, scratch)
    status, out = run_validate(scratch, ["--strict"], monkeypatch)
    assert (status, out) == (0, "Không có lỗi trong 5 tệp.\n")
