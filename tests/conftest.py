"""Shared fixtures.

* `built_site`  the bundled registry built once per test worker (session scope), with the
  documents (DOCX/PDF) unless SANGKIEN_FAST_TESTS=1; returns the site folder.
* `run_cli`     runs `sangkien ...` in-process and returns (exit code, stdout, stderr).
* `make_registry(dest)`  copies the bundled project (registry/, schema/, mkdocs.yml, docs/)
  into a scratch folder for tests that change records; returns the project folder.
* `build_site(project, site, documents=...)`  runs `sangkien build` in a child process.
* `loaded`      the bundled registry, checked (no errors), and its settings: (registry,
  settings), once per test worker. Tests derive changed records with `dataclasses.replace`.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def make_registry(dest: Path) -> Path:
    """Copy the bundled project into `dest/project` (site-independent paths made absolute)."""
    project = Path(dest) / "project"
    project.mkdir(parents=True, exist_ok=True)
    for name in ("registry", "schema", "docs"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, project / name, dirs_exist_ok=True)
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    # The theme overrides live in the package, not in the copied project.
    overrides = (ROOT / "generator" / "site" / "overrides").as_posix()
    text = text.replace("custom_dir: generator/site/overrides", f"custom_dir: {overrides}")
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")
    return project


def set_plugin_option(project: Path, **options: object) -> None:
    """Change options of the `sangkien` plugin in a scratch project's mkdocs.yml."""
    path = project / "mkdocs.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        key = line.strip().split(":", 1)[0]
        if line.startswith("      ") and key in options:
            continue
        out.append(line)
        if line.strip() == "- sangkien:":
            out += [
                f"      {k}: {yaml.safe_dump(v, default_flow_style=True).strip().removesuffix('...').strip()}"
                for k, v in options.items()
            ]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def build_site(project: Path, site: Path, *, documents: bool) -> subprocess.CompletedProcess[str]:
    """`sangkien build` in a child process (MkDocs keeps global state between builds)."""
    args = [sys.executable, "-m", "generator", "build", "-q", "--site-dir", str(site)]
    if not documents:
        args.append("--no-documents")
    return subprocess.run(
        args, cwd=project, capture_output=True, text=True, timeout=900, check=False
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled site, built once per worker."""
    site = tmp_path_factory.mktemp("built") / "site"
    documents = os.environ.get("SANGKIEN_FAST_TESTS") != "1"
    proc = build_site(ROOT, site, documents=documents)
    if proc.returncode != 0:
        pytest.fail(f"sangkien build failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return site


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., tuple[int, str, str]]:
    """Run `sangkien ARGS` in-process, optionally in `cwd`; return (code, stdout, stderr)."""
    from generator.cli import main

    def run(*args: str, cwd: Path | str | None = None) -> tuple[int, str, str]:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 2
        return code, out.getvalue(), err.getvalue()

    return run


@pytest.fixture(name="make_registry", scope="session")
def make_registry_fixture() -> Callable[[Path], Path]:
    """The `make_registry(dest)` helper as a fixture (session scope: usable by any fixture)."""
    return make_registry


@pytest.fixture(name="build_site", scope="session")
def build_site_fixture() -> Callable[..., subprocess.CompletedProcess[str]]:
    """The `build_site(project, site, documents=...)` helper as a fixture."""
    return build_site


@pytest.fixture(scope="session")
def loaded() -> tuple[Any, Any]:
    from generator.config import load_settings
    from generator.validate.check import check_registry

    settings = load_settings(ROOT)
    result = check_registry(settings)
    assert result.ok(), [d.message() for d in result.errors()]
    return result.registry, settings
