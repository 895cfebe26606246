"""The generated reference pages are up to date and complete (docs that cannot drift)."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import pytest

from generator.diagnostics.codes import CODES

ROOT = Path(__file__).resolve().parents[2]


def _gen_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen_docs = _gen_docs()
HINT = "run `.venv/bin/python scripts/gen_docs.py` and commit the result"


def test_codes_page_is_up_to_date() -> None:
    page = ROOT / "docs" / "reference" / "ma-loi.md"
    assert page.read_text(encoding="utf-8") == gen_docs.codes_markdown(), HINT


def test_schema_page_is_up_to_date() -> None:
    page = ROOT / "docs" / "reference" / "schema.md"
    assert page.read_text(encoding="utf-8") == gen_docs.schema_markdown(), HINT


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_is_in_the_one_table(code: str) -> None:
    text = (ROOT / "docs" / "reference" / "ma-loi.md").read_text(encoding="utf-8")
    c = CODES[code]
    rows = [ln for ln in text.splitlines() if ln.startswith("|") and f"`{code}`" in ln]
    assert len(rows) == 1
    assert c.title_vi in rows[0] and c.title_en in rows[0]
    assert ("lỗi / error" if c.severity == "error" else "cảnh báo / warning") in rows[0]


def test_every_schema_property_is_documented() -> None:
    text = (ROOT / "docs" / "reference" / "schema.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([^`]+)` \|", text, re.M))
    for name in ("initiative", "agency", "fields"):
        schema = json.loads((ROOT / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
        for path, prop, _ in gen_docs.schema_properties(schema):
            assert path in documented, f"{name}: {path}"
            assert prop.get("title") and prop.get("description") and prop.get("examples"), path
    # Nested fields are listed under their parents.
    assert {"recognitions[].level", "replication.steps[].title", "authors[].name"} <= documented


def test_check_mode_reports_a_stale_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "ma-loi.md"
    stale.write_text("cũ / old\n", encoding="utf-8")
    fresh = tmp_path / "schema.md"
    fresh.write_text(gen_docs.schema_markdown(), encoding="utf-8")
    monkeypatch.setattr(gen_docs, "ROOT", tmp_path)
    monkeypatch.setattr(
        gen_docs, "PAGES", ((stale, gen_docs.codes_markdown), (fresh, gen_docs.schema_markdown))
    )
    assert gen_docs.main(["--check"]) == 1
    assert capsys.readouterr().out == "ma-loi.md: cần sinh lại / out of date\n"
    assert stale.read_text(encoding="utf-8") == "cũ / old\n"  # --check never writes
    assert gen_docs.main([]) == 0
    assert stale.read_text(encoding="utf-8") == gen_docs.codes_markdown()
    assert gen_docs.main(["--check"]) == 0


def test_reference_pages_in_the_built_site(built_site: Path) -> None:
    """What a reader sees: every code with its own anchor, `<mã>` shown as text, not eaten."""
    codes_html = (built_site / "reference" / "ma-loi" / "index.html").read_text(encoding="utf-8")
    for code, c in CODES.items():
        assert f'id="{code.lower()}"' in codes_html, code
        assert c.title_vi in codes_html, code
    assert "&lt;mã&gt;.yml" in codes_html
    schema_html = (built_site / "reference" / "schema" / "index.html").read_text(encoding="utf-8")
    for path in ("recognitions[].level", "replication.contact.email", "successors"):
        assert f"<code>{path}</code>" in schema_html, path
    assert "&lt;TIỀN TỐ&gt;" in schema_html
