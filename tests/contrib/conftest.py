"""Fixtures for the contributor paths: a scratch copy of the project and a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def project(tmp_path: Path, make_registry: Callable[[Path], Path]) -> Path:
    """A scratch copy of the bundled project (registry, schema, docs, mkdocs.yml)."""
    return make_registry(tmp_path)


@pytest.fixture
def sk() -> Run:
    """Run `sangkien ARGS` as a child process (real stdin, exit code, no shared state)."""

    def run(
        *args: str, cwd: Path, stdin: str | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(ROOT)}
        return subprocess.run(
            [sys.executable, "-m", "generator", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
        )

    return run


@pytest.fixture
def files_in() -> Callable[[Path], set[Path]]:
    """Every file under a project's registry/initiatives (to prove nothing else was written)."""
    return lambda project: {
        p for p in (project / "registry" / "initiatives").rglob("*") if p.is_file()
    }
