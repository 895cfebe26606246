"""Every input of the YAML test suite goes through the loader and through `sangkien validate`.

The suite (https://github.com/yaml/yaml-test-suite, one folder per case with `in.yaml` and an
`error` marker for inputs a parser must refuse) is shared next to the project as
../shared/peer/yaml-test-suite. Whatever the input - valid, invalid, exotic - the loader never
raises, every refusal carries a place (line >= 1), and the command exits 0 or 1, never 2 and
never with a traceback.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.config import load_settings
from generator.load.yamlstrict import load_bytes
from generator.validate.check import check_registry

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT.parent / "shared" / "peer" / "yaml-test-suite"
BASE = ROOT / "tests" / "cases" / "base"
TARGET = "registry/initiatives/2024/QNG-2024-0002.yml"

CASES = sorted(p.parent for p in SUITE.glob("**/in.yaml")) if SUITE.is_dir() else []
pytestmark = pytest.mark.skipif(
    not CASES, reason=f"YAML test suite not found at {SUITE} (CI copies shared/ next to the clone)"
)


def _id(case: Path) -> str:
    return case.relative_to(SUITE).as_posix()


def test_the_whole_suite_is_found() -> None:
    assert len(CASES) >= 400
    assert sum((c / "error").exists() for c in CASES) >= 90


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_loader_never_raises_and_locates_every_problem(case: Path) -> None:
    raw = (case / "in.yaml").read_bytes()
    doc = load_bytes(raw, "in.yaml")
    for d in doc.diagnostics:
        assert d.line >= 1 and d.col >= 1, (d.code, d.line, d.col)
        assert d.message("vi") and d.message("en")
    if doc.data is None:
        # Refused: at least one error says why.
        assert any(d.severity == "error" for d in doc.diagnostics)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("suite") / "project"
    shutil.copytree(BASE, dest)
    return dest


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_validate_never_crashes_on_any_input(
    case: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(scratch)
    monkeypatch.setenv("SANGKIEN_TODAY", "2026-11-26")
    shutil.copyfile(case / "in.yaml", scratch / TARGET)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["validate", "--format", "json", TARGET])
    assert status in (0, 1), err.getvalue()
    assert err.getvalue() == ""
    payload = json.loads(out.getvalue())
    assert status == (1 if payload["summary"]["errors"] else 0)
    # A record that is not a real initiative can never pass.
    assert status == 1
    # The raw diagnostics (before reporters clamp 0 to 1) all point at a real place.
    result = check_registry(load_settings("."), only={TARGET})
    assert result.diagnostics
    for d in result.diagnostics:
        assert d.file == TARGET
        assert d.line >= 1 and d.col >= 1, (d.code, d.line, d.col)
