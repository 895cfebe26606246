"""Fixtures for the contributor paths: a scratch copy of the project and a CLI runner."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def project(tmp_path: Path, make_registry: Callable[[Path], Path]) -> Path:
    """A scratch copy of the bundled project (registry, schema, docs, mkdocs.yml)."""
    return make_registry(tmp_path)


@pytest.fixture
def sk(run_cli: Callable[..., tuple[int, str, str]], monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run `sangkien ARGS` in `cwd` with `stdin` as its input; a CompletedProcess-like result.

    In-process (through the shared `run_cli` fixture) because starting Python for each call
    would dominate these tests; the Ctrl-C test starts a real child process instead.
    """

    def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin or ""))
        code, out, err = run_cli(*args, cwd=cwd)
        return subprocess.CompletedProcess(["sangkien", *args], code, out, err)

    return run


@pytest.fixture
def files_in() -> Callable[[Path], set[Path]]:
    """Every file under a project's registry/initiatives (to prove nothing else was written)."""
    return lambda project: {
        p for p in (project / "registry" / "initiatives").rglob("*") if p.is_file()
    }
