"""The commented template in registry/README.md is what non-programmers copy: it must validate."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from generator.config import load_settings
from generator.validate.check import check_registry

ROOT = Path(__file__).resolve().parents[2]


def _template() -> str:
    text = (ROOT / "registry" / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert match, "registry/README.md has no ```yaml template block"
    return match.group(1)


def test_template_starts_with_the_schema_line() -> None:
    assert (
        _template().splitlines()[0]
        == "# yaml-language-server: $schema=../../../schema/initiative.schema.json"
    )


def test_template_validates_against_the_bundled_registry(tmp_path: Path) -> None:
    shutil.copytree(
        ROOT / "registry", tmp_path / "registry", ignore=shutil.ignore_patterns("README.md")
    )
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    target = tmp_path / "registry" / "initiatives" / "2025" / "QNG-2025-0012.yml"
    if target.exists():  # keep the test independent of how many sample records 2025 has
        target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(_template(), encoding="utf-8")
    result = check_registry(
        load_settings(tmp_path), only={"registry/initiatives/2025/QNG-2025-0012.yml"}
    )
    errors = [f"{d.file}:{d.line}:{d.col}: {d.code} {d.message('en')}" for d in result.errors()]
    assert errors == []
